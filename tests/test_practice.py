"""Practice that teaches: learning objectives, "In practice" scenarios, and knowledge checks
with per-option feedback, a marked answer and a verdict in words and icon, without JavaScript."""

import pytest
from django.urls import reverse

from roles.blocks import KnowledgeCheckBlock
from roles.models import LessonPage
from tests import factories
from tests.conftest import edit_form_data, soup
from tests.test_api_writes import draft, write
from tests.test_loader import load

pytestmark = pytest.mark.django_db

OPTIONS = ["Stakeholders", "The sponsor", "The program board"]
INTRO = "By the end of this lesson you will be able to:"


def objectives(texts):
    return [{"type": "objective", "value": text} for text in texts]


def shown_objectives(client, lesson):
    section = soup(client, lesson.url).select_one("section.objectives")
    if section is None:
        return None
    return section.h2.get_text(strip=True), [li.get_text() for li in section.select("li")]


@pytest.mark.parametrize("count", [1, 2, 3])
def test_a_lessons_objectives_open_it_in_the_editors_order(client, module, count):
    texts = [f"Objective {n}" for n in range(count, 0, -1)]
    lesson = factories.LessonPageFactory(parent=module.home, objectives=objectives(texts))
    assert shown_objectives(client, lesson) == (INTRO, texts)


def test_a_lesson_without_objectives_shows_no_empty_list(client, module):
    lesson = factories.LessonPageFactory(parent=module.home, objectives=[])
    assert shown_objectives(client, lesson) is None
    assert shown_objectives(client, module.lessons[0]) is not None  # the control: it has one


def test_objectives_are_escaped(client, module):
    text = factories.hostile("Objective")
    lesson = factories.LessonPageFactory(parent=module.home, objectives=objectives([text]))
    assert shown_objectives(client, lesson)[1] == [text]


def test_an_editor_sets_objectives_in_the_admin_and_a_fourth_is_refused(admin_client, module):
    lesson = module.lessons[0]
    url = reverse("wagtailadmin_pages:edit", args=[lesson.pk])
    body = [("heading", "Kept")]
    three = [("objective", f"Do thing {n}") for n in range(3)]
    data = edit_form_data(admin_client, lesson, body=body, streams={"objectives": three})
    data["action-publish"] = "action-publish"
    assert admin_client.post(url, data).status_code == 302
    lesson = LessonPage.objects.get(pk=lesson.pk)
    assert [block.value for block in lesson.objectives] == [text for _, text in three]

    four = [*three, ("objective", "Do thing 3")]
    data = edit_form_data(admin_client, lesson, body=body, streams={"objectives": four})
    data["action-publish"] = "action-publish"
    response = admin_client.post(url, data)
    assert response.status_code == 200  # the form again, with its error
    assert "The maximum number of items is 3" in response.content.decode()
    assert len(LessonPage.objects.get(pk=lesson.pk).objectives) == 3


def test_objectives_are_read_and_written_through_the_api(client, module, moderator):
    lesson = module.lessons[0]
    texts = ["Name the roles", "Compare them"]
    path = f"/api/v3/pages/{lesson.pk}/"
    response = write(client, moderator, "patch", path, {"objectives": objectives(texts)})
    assert response.status_code == 200, response.content[:500]
    assert [item["value"] for item in draft(client, moderator, lesson)["objectives"]] == texts
    too_many = objectives([*texts, "Three", "Four"])
    assert write(client, moderator, "patch", path, {"objectives": too_many}).status_code == 422
    bundle = client.get("/api/v3/module/").json()["lessons"][0]
    assert bundle["objectives"] == [f"Explain {lesson.title}"]  # the published version


def scenario_lesson(module, first_text, second_text):
    first, second = module.roles
    return factories.LessonPageFactory(
        parent=module.home,
        body=[factories.scenario([(first, first_text), (second, second_text)])],
    )


def shown_perspectives(client, lesson):
    section = soup(client, lesson.url).select_one("section.scenario")
    return section, [
        (p.h3.get_text(), p.p.get_text()) for p in section.select(".scenario__perspective")
    ]


def test_a_scenario_shows_each_roles_perspective_under_its_name(client, module):
    first, second = module.roles
    lesson = scenario_lesson(module, "Owns the roadmap.", "Ships the app.")
    section, perspectives = shown_perspectives(client, lesson)
    assert section.select_one(".scenario__eyebrow").get_text() == "In practice"
    assert section.h2.get_text() == "Launching a payments feature"
    assert section["aria-labelledby"] == section.h2["id"]
    assert perspectives == [(first.title, "Owns the roadmap."), (second.title, "Ships the app.")]


def test_a_scenarios_text_is_escaped(client, module):
    text = factories.hostile("Perspective")
    lesson = scenario_lesson(module, text, "Plain.")
    section, perspectives = shown_perspectives(client, lesson)
    assert perspectives[0][1] == text
    assert not section.select("script")


def test_a_role_readers_cannot_see_is_not_named_in_a_scenario(client, module):
    first, second = module.roles
    lesson = scenario_lesson(module, "Owns the roadmap.", "Ships the app.")
    second.unpublish()
    assert shown_perspectives(client, lesson)[1] == [(first.title, "Owns the roadmap.")]


@pytest.fixture
def lesson(module):
    """One check whose right answer is its second option, each option with its feedback."""
    return factories.LessonPageFactory(
        parent=module.home, body=[factories.knowledge_check(right=1, options=OPTIONS)]
    )


def answered(client, lesson, answer):
    check = lesson.body[0].id
    return soup(client, f"{lesson.url}?check={check}&answer={answer}").select_one(
        "form.knowledge-check"
    )


def marked(form):
    """(the option marked "Your answer", its icon, its hidden word) or None."""
    mine = form.select(".knowledge-check__mine")
    if not mine:
        return None
    [mine] = mine
    label = mine.find_parent(class_="knowledge-check__option").label.get_text()
    icon = mine.select_one(".knowledge-check__icon[aria-hidden=true]").get_text()
    return label, icon, mine.select_one(".visually-hidden").get_text(), mine.get_text()


@pytest.mark.parametrize(
    ("answer", "verdict", "icon", "word"),
    [
        ("1", "Correct.", "✓", "Right:"),
        ("2", f"Not quite. The answer is: {OPTIONS[1]}.", "✗", "Wrong:"),
        ("0", f"Not quite. The answer is: {OPTIONS[1]}.", "✗", "Wrong:"),
    ],
)
def test_without_javascript_the_chosen_option_is_marked_with_its_feedback(
    client, lesson, answer, verdict, icon, word
):
    form = answered(client, lesson, answer)
    chosen = OPTIONS[int(answer)]
    assert marked(form) == (chosen, icon, word, f"{icon}{word} Your answer")
    result = form.select_one(".knowledge-check__feedback .knowledge-check__result")
    assert result.select_one(".knowledge-check__verdict").get_text() == verdict
    assert result.select_one(".knowledge-check__icon[aria-hidden=true]").get_text() == icon
    feedback = form.select_one(".knowledge-check__feedback")
    assert feedback.select_one(".knowledge-check__why").get_text() == (
        f"Why {chosen} is {answer == '1'}."
    )
    assert "Roadmaps span several projects." in feedback.get_text()  # the explanation too
    assert form["data-answered"] == ("right" if answer == "1" else "wrong")


def test_an_unanswered_check_marks_nothing_and_carries_each_options_feedback(client, lesson):
    form = soup(client, lesson.url).select_one("form.knowledge-check")
    assert marked(form) is None and not form.select(".knowledge-check__result")
    assert not form.has_attr("data-answered")
    assert [o["data-feedback"] for o in form.select(".knowledge-check__option")] == [
        f"Why {text} is {i == 1}." for i, text in enumerate(OPTIONS)
    ]
    retry = form.select_one("button[data-retry]")
    assert retry.get_text() == "Try again" and retry.has_attr("hidden")  # for checks.js


def test_options_keep_the_editors_order_in_the_html_inside_a_shuffle_container(client, lesson):
    form = soup(client, lesson.url).select_one("form.knowledge-check")
    container = form.select_one("[data-shuffle]")
    labels = [label.get_text() for label in container.select(".knowledge-check__option label")]
    values = [i["value"] for i in container.select("input[type=radio]")]
    assert labels == OPTIONS and values == ["0", "1", "2"]
    assert [child["class"] for child in container.find_all(recursive=False)] == [
        ["knowledge-check__option"]
    ] * len(OPTIONS)


def test_a_check_asks_to_be_in_the_final_check_unless_the_editor_says_not():
    block = KnowledgeCheckBlock()
    assert block.get_default()["final_check"] is True
    raw = factories.knowledge_check()["value"]  # stored before the field existed
    assert block.to_python(raw)["final_check"] is True
    assert block.to_python({**raw, "final_check": False})["final_check"] is False


def test_every_seeded_lesson_teaches_with_objectives_and_two_or_three_checks(client):
    load()
    positions, scenarios = set(), 0
    for lesson in LessonPage.objects.order_by("path"):
        with_title = lesson.title
        assert 1 <= len(lesson.objectives) <= 3, with_title
        checks = [b.value for b in lesson.body if b.block_type == "knowledge_check"]
        assert 2 <= len(checks) <= 3, with_title
        for check in checks:
            assert all(option["feedback"] for option in check["options"]), check["question"]
            positions.add(check.correct_index())
        roles = [
            {p["role"].slug for p in b.value["perspectives"]}
            for b in lesson.body
            if b.block_type == "scenario"
        ]
        scenarios += len(roles)
        assert all(len(r) == 2 for r in roles), with_title  # both roles, every time
    assert positions == {0, 1, 2}  # the right answer is not always in the same place
    assert scenarios >= 3
    page = soup(client, LessonPage.objects.get(slug="key-responsibilities").url)
    assert page.select_one("section.objectives li") is not None
    assert len(page.select("section.scenario .scenario__perspective")) == 2
