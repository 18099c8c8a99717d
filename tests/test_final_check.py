"""The final check: questions drawn from the published lessons, the pass mark, the result and
its review, the completion panel and the printable summary's fallback (missing, tampered and
hostile answers: test_final_check_input.py)."""

import pytest
from bs4 import BeautifulSoup
from django.core.management import call_command
from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase

from roles.models import FinalCheckPage, LessonPage, ModulePage
from tests import factories
from tests.conftest import build_module, soup

pytestmark = pytest.mark.django_db

THREE = ["Option A", "Option B", "Option C"]


def lesson_with_checks(module, questions, **kwargs):
    """A lesson whose body is a paragraph, then a check per question (3 options; the right one
    is option 1 or 2, never the first)."""
    body = [{"type": "paragraph", "value": factories.PARAGRAPH}]
    for n, question in enumerate(questions):
        body.append(factories.knowledge_check(question, right=1 + n % 2, options=THREE))
    return factories.LessonPageFactory(parent=module.home, body=body, **kwargs)


def final_check(module, **fields):
    """The module's final check page, its fields changed in place (the row is what is served)."""
    FinalCheckPage.objects.filter(pk=module.final_check.pk).update(**fields)
    return FinalCheckPage.objects.get(pk=module.final_check.pk)


def answers(page, right):
    """Form data answering the first ``right`` questions rightly and the others wrongly."""
    data = {}
    for n, question in enumerate(page.questions):
        correct = question.value.correct_index()
        wrong = (correct + 1) % len(question.value["options"])
        data[question.field_name] = str(correct if n < right else wrong)
    return data


def take(client, page, data):
    response = client.get(page.url, data)
    return response.status_code, BeautifulSoup(response.content, "html.parser")


def legends(html):
    return [legend.get_text(" ", strip=True) for legend in html.select("form.final-check legend")]


def two_lessons_of_five_checks():
    module = build_module(lessons=0)
    module.lessons = [
        lesson_with_checks(module, [f"Question {n}.{i}?" for i in range(5)]) for n in (1, 2)
    ]
    return module


@pytest.fixture
def module(db):
    return two_lessons_of_five_checks()


class FinalCheckPageTests(WagtailPageTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.module = build_module(lessons=0)
        lesson_with_checks(cls.module, ["Only question?"])

    def test_it_lives_once_directly_in_the_module(self):
        self.assertAllowedParentPageTypes(FinalCheckPage, {ModulePage})
        self.assertAllowedSubpageTypes(FinalCheckPage, set())
        self.assertCanNotCreateAt(Page, FinalCheckPage)
        self.assertCanNotCreateAt(LessonPage, FinalCheckPage)
        self.assertEqual(FinalCheckPage.max_count, 1)
        # One exists already (build_module makes it): a second cannot be added.
        self.assertFalse(FinalCheckPage.can_create_at(self.module.home))
        self.module.final_check.delete()
        self.assertCanCreateAt(ModulePage, FinalCheckPage)

    def test_questions_result_and_summary_are_routable_and_render(self):
        page = self.module.final_check
        self.assertPageIsRoutable(page)
        self.assertPageIsRoutable(page, "summary/")
        self.assertPageIsRenderable(page)
        self.assertPageIsRenderable(page, "summary/")
        question = FinalCheckPage.objects.get(pk=page.pk).questions[0]
        self.assertPageIsRenderable(page, query_data={question.field_name: "1"})


def test_the_questions_page_lists_every_check_of_the_lessons_in_order(client, module):
    html = soup(client, module.final_check.url)
    expected = [f"Question {lesson}.{i}?" for lesson in (1, 2) for i in range(5)]
    assert legends(html) == [f"{n}. {q}" for n, q in enumerate(expected, start=1)]
    first = html.select_one("form.final-check fieldset")
    assert first.select_one("[data-shuffle]").select("input[type=radio]")  # shuffled by checks.js
    assert first.find("a", href=module.lessons[0].url)
    assert "You pass with 80% or more right" in html.get_text(" ")
    assert html.select_one("form.final-check")["method"] == "get"


def test_the_factory_never_puts_the_right_answer_first(module):
    page = FinalCheckPage.objects.get()
    assert {q.value.correct_index() for q in page.questions} == {1, 2}


def test_questions_come_from_lessons_readers_may_see_only(client, module):
    lesson_with_checks(module, ["Private question?"], private=True)
    lesson_with_checks(module, ["Unpublished question?"], unpublished=True)
    lesson_with_checks(module, ["Never published question?"], live=False)
    lesson_with_checks(module, ["Late public question?"])  # positive control, after them
    text = " ".join(legends(soup(client, module.final_check.url)))
    assert "Late public question?" in text
    assert "Question 1.0?" in text
    for hidden in ("Private", "Unpublished", "Never published"):
        assert hidden not in text


def test_marked_source_asks_only_checks_marked_for_the_final_check(client, module):
    marked = factories.knowledge_check("Marked?")
    marked["value"]["final_check"] = True
    unmarked = factories.knowledge_check("Not marked?")
    unmarked["value"]["final_check"] = False
    older = factories.knowledge_check("Saved before the flag existed?")
    factories.LessonPageFactory(parent=module.home, body=[marked, unmarked, older])

    everything = " ".join(legends(soup(client, module.final_check.url)))
    assert all(q in everything for q in ("Marked?", "Not marked?", "Saved before", "1.0?"))

    final_check(module, question_source="marked")
    only_marked = " ".join(legends(soup(client, module.final_check.url)))
    assert "Marked?" in only_marked
    assert "Saved before the flag existed?" in only_marked  # the flag defaults to True
    assert "Not marked?" not in only_marked


@pytest.mark.parametrize(
    ("right", "heading", "verdict"),
    [
        (6, "Not passed yet: 6 of 10, 60%", "You did not pass this time: the pass mark is 70%."),
        (7, "Passed: 7 of 10, 70%", "You passed: the pass mark is 70%."),
        (8, "Passed: 8 of 10, 80%", "You passed: the pass mark is 70%."),
    ],
)
def test_the_pass_mark_is_the_pages_own_and_reached_exactly(
    client, module, right, heading, verdict
):
    page = final_check(module, pass_mark=70)  # not the default: a hard-coded 80 fails here
    status, html = take(client, page, answers(page, right))
    result = html.select_one("[data-final-result]")
    assert status == 200
    assert result.h2.get_text(" ", strip=True) == heading
    assert verdict in result.get_text(" ")
    assert result["data-score"] == str(right)
    assert result["data-total"] == "10"
    assert result["data-percent"] == str(right * 10)
    assert result["data-passed"] == ("true" if right >= 7 else "false")


@pytest.mark.parametrize(("score", "passed"), [(79, False), (80, True), (81, True)])
def test_grading_at_the_default_pass_mark(score, passed):
    assert FinalCheckPage(pass_mark=80).grade(score, 100) == {
        "score": score,
        "total": 100,
        "percent": score,
        "passed": passed,
    }


def test_a_percentage_is_rounded_down_as_shown_so_shown_and_judged_agree():
    assert FinalCheckPage(pass_mark=67).grade(2, 3) == {
        "score": 2,
        "total": 3,
        "percent": 66,
        "passed": False,
    }


def test_the_review_says_right_or_wrong_in_words_and_links_back_to_the_lesson(client, module):
    page = FinalCheckPage.objects.get()
    status, html = take(client, page, answers(page, 9))
    items = html.select(".final-review__item")
    assert status == 200 and len(items) == 10
    right, wrong = items[0], items[-1]
    assert "Right" in right.select_one(".final-review__verdict").get_text()
    assert "The right answer" not in right.get_text()
    assert "Wrong" in wrong.select_one(".final-review__verdict").get_text()
    assert wrong.select_one(".final-review__verdict [aria-hidden=true]")  # the icon, not read out
    question = page.questions[-1]
    correct = question.value.correct_index()
    chosen = THREE[(correct + 1) % 3]
    assert f"Your answer {chosen}" in wrong.get_text(" ", strip=True)
    assert f"The right answer {THREE[correct]}" in wrong.get_text(" ", strip=True)
    reread = wrong.find("a", href=module.lessons[1].url)
    assert reread.get_text() == f"Reread: {module.lessons[1].title}"
    # The form comes back for another go, with the answers given kept.
    assert html.select_one("form.final-check input[checked]")


def test_the_review_shows_the_chosen_options_feedback(client, module):
    check = factories.knowledge_check("With feedback?", options=THREE, right=2)
    check["value"]["options"][0]["feedback"] = "Option A is the project's view."
    lesson = factories.LessonPageFactory(parent=module.home, body=[check])
    page = FinalCheckPage.objects.get()
    data = answers(page, len(page.questions))
    data[f"q-{lesson.pk}-{lesson.body[0].id}"] = "0"
    _, html = take(client, page, data)
    assert "Option A is the project's view." in html.select(".final-review__item")[-1].get_text()


def test_few_queries_for_the_result_of_many_lessons(client, module, django_assert_max_num_queries):
    for n in range(10):
        lesson_with_checks(module, [f"More {n}?"])
    page = FinalCheckPage.objects.get()
    data = answers(page, 5)
    client.get(page.url, data)
    with django_assert_max_num_queries(10):
        assert client.get(page.url, data).status_code == 200


def test_the_summary_without_progress_says_how_to_complete_the_module(client, module):
    html = soup(client, module.final_check.url + "summary/")
    empty = html.select_one("[data-summary-empty]")
    assert not empty.has_attr("hidden")
    assert "read every lesson, then pass the" in empty.get_text(" ")
    assert [a["href"] for a in empty.select("[data-completion-lessons] a")] == [
        lesson.url for lesson in module.lessons
    ]
    assert empty.find("a", href=module.final_check.url)
    sheet = html.select_one("[data-summary-complete]")
    assert sheet.has_attr("hidden")  # completion.js reveals it from this browser's progress
    assert module.home.title in sheet.get_text()
    name = html.select_one("#learner-name")
    assert not name.has_attr("name") and name.find_parent("form") is None
    assert "Your name stays in this browser" in html.get_text()


def test_the_module_page_has_a_hidden_completion_panel_linking_the_summary(client, module):
    html = soup(client, module.home.url)
    panel = html.select_one("[data-completion]")
    assert panel.has_attr("hidden")
    assert "You have completed the module" in panel.get_text()
    assert panel.find("a", href=module.final_check.url + "summary/")


def test_the_loaded_module_has_a_final_check_after_the_lessons(client):
    call_command("load_module", verbosity=0)
    page = FinalCheckPage.objects.get()
    assert (page.title, page.pass_mark, page.question_source) == ("Final check", 80, "all")
    assert LessonPage.objects.filter(path__gt=page.path).count() == 0
    checks = sum(
        1
        for lesson in LessonPage.objects.all()
        for block in lesson.body
        if block.block_type == "knowledge_check"
    )
    assert len(page.questions) == checks > 0
    assert client.get(page.url).status_code == 200
