"""Knowledge checks: answered by submitting the form without JavaScript; tampering is refused."""

import pytest
from bs4 import BeautifulSoup
from django.core.management import call_command
from wagtail.blocks import StructBlockValidationError

from roles.blocks import KnowledgeCheckBlock
from roles.models import LessonPage
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def lesson(module):
    """A lesson whose check has the right answer second: "The Technical Program Manager"."""
    return factories.LessonPageFactory(parent=module.home, body=[factories.knowledge_check()])


def check_id(lesson):
    return lesson.body[0].id


def answer(client, lesson, **data):
    response = client.get(lesson.url, data)
    html = BeautifulSoup(response.content, "html.parser")
    return response.status_code, html


def test_the_check_renders_as_a_form_with_every_option(client, lesson):
    form = BeautifulSoup(client.get(lesson.url).content, "html.parser").select_one(
        "form.knowledge-check"
    )
    assert "Who owns the program roadmap?" in form.legend.get_text()
    assert len(form.select("input[type=radio]")) == 2
    # Nothing is stored, so the form is a GET: no CSRF token, no cookie, one cacheable page.
    assert form["method"] == "get"
    assert not form.select_one("input[name=csrfmiddlewaretoken]")


def test_a_right_answer_says_so_and_explains(client, lesson):
    status, html = answer(client, lesson, check=check_id(lesson), answer="1")
    feedback = html.select_one(".knowledge-check__feedback").get_text(" ")
    assert status == 200
    assert "Correct." in feedback and "Roadmaps span several projects." in feedback
    assert html.select_one("input[value='1']").has_attr("checked")


def test_a_wrong_answer_names_the_right_one(client, lesson):
    status, html = answer(client, lesson, check=check_id(lesson), answer="0")
    feedback = html.select_one(".knowledge-check__feedback").get_text(" ")
    assert status == 200
    assert "Not quite. The answer is: The Technical Program Manager." in feedback


@pytest.mark.parametrize("right", [0, 1, 2])
def test_whichever_option_is_right_is_the_one_counted(client, module, right):
    """The right answer anywhere in the list, the first included: each choice is judged
    against it, the page tells the script which it is, and a wrong choice names it."""
    options = ["Stakeholders", "The sponsor", "The program board"]
    lesson = factories.LessonPageFactory(
        parent=module.home, body=[factories.knowledge_check(right=right, options=options)]
    )
    page = BeautifulSoup(client.get(lesson.url).content, "html.parser")
    form = page.select_one("form.knowledge-check")
    assert form["data-correct"] == str(right)  # what the script checks answers against
    for choice in range(len(options)):
        status, html = answer(client, lesson, check=check_id(lesson), answer=str(choice))
        verdict = html.select_one(".knowledge-check__verdict").get_text(" ", strip=True)
        assert status == 200
        expected = "Correct." if choice == right else f"The answer is: {options[right]}."
        assert expected in verdict, (choice, verdict)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"answer": "0"}, "not part of this lesson"),
        ({"check": "not-a-block", "answer": "0"}, "not part of this lesson"),
        ({"check": "CHECK", "answer": "7"}, "Choose one of the answers"),
        ({"check": "CHECK", "answer": "-1"}, "Choose one of the answers"),
        ({"check": "CHECK", "answer": "x" * 5000}, "Choose one of the answers"),
        ({"check": "CHECK"}, "Choose one of the answers"),
    ],
)
def test_tampered_answers_get_the_lesson_back_with_a_clear_error(client, lesson, data, message):
    data = {k: (check_id(lesson) if v == "CHECK" else v) for k, v in data.items()}
    status, html = answer(client, lesson, **data)
    assert status == 400
    assert message in html.get_text()
    assert html.select_one("form.knowledge-check")  # the lesson is still there to retry


def test_an_oversized_answer_is_refused_without_a_server_error(client, lesson):
    client.raise_request_exception = False
    padding = {f"pad{i}": "x" for i in range(20_000)}  # beyond DATA_UPLOAD_MAX_NUMBER_FIELDS
    response = client.get(lesson.url, {"check": check_id(lesson), "answer": "0", **padding})
    assert response.status_code == 400


def test_editors_must_mark_exactly_one_correct_option():
    block = KnowledgeCheckBlock()
    for flags in ([False, False], [True, True]):
        value = block.to_python(
            {
                "question": "Q",
                "options": [{"text": str(i), "correct": f} for i, f in enumerate(flags)],
                "explanation": "<p>E</p>",
            }
        )
        with pytest.raises(StructBlockValidationError):
            block.clean(value)


def test_the_seed_gives_every_lesson_a_check():
    call_command("load_module", verbosity=0)
    for lesson in LessonPage.objects.all():
        kinds = [block.block_type for block in lesson.body]
        assert "knowledge_check" in kinds, lesson.title
