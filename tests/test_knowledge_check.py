"""Knowledge-check scoring (LessonPage.check_answer, KnowledgeCheckValue.judge) as the
reader sees it: which check shows the result, the exact messages, the last option's edge."""

import pytest
from bs4 import BeautifulSoup
from wagtail.blocks import StructBlockValidationError

from roles.blocks import KnowledgeCheckBlock
from tests import factories

pytestmark = pytest.mark.django_db

OPTIONS = ["Stakeholders", "The sponsor", "The program board"]
NOT_HERE = "That question is not part of this lesson."
CHOOSE = "Choose one of the answers, then check it."


@pytest.fixture
def lesson(module):
    """A heading, then two checks: the first one's right answer is its second option."""
    return factories.LessonPageFactory(
        parent=module.home,
        body=[
            {"type": "heading", "value": "Before the checks"},
            factories.knowledge_check(right=1, options=OPTIONS),
            factories.knowledge_check(question="And the budget?", right=0, options=OPTIONS),
        ],
    )


def submit(client, lesson, check, answer):
    response = client.get(lesson.url, {"check": check, "answer": answer})
    return response.status_code, BeautifulSoup(response.content, "html.parser")


def shown(html):
    """Per check on the page: (checked option or None, verdict or error text or None)."""
    rows = []
    for form in html.select("form.knowledge-check"):
        checked = [i["value"] for i in form.select("input[type=radio]") if i.has_attr("checked")]
        said = form.select_one(".knowledge-check__verdict, .knowledge-check__error")
        rows.append((checked[0] if checked else None, said.get_text() if said else None))
    return rows


def alert(html):
    found = html.select_one("p.notice--error[role=alert]")
    return found.get_text() if found else None


def test_only_the_answered_check_shows_the_choice_and_the_verdict(client, lesson):
    first, second = lesson.body[1].id, lesson.body[2].id
    status, html = submit(client, lesson, first, "1")
    assert status == 200 and alert(html) is None
    assert shown(html) == [("1", "Correct."), (None, None)]
    status, html = submit(client, lesson, second, "1")
    assert status == 200
    assert shown(html) == [(None, None), ("1", f"Not quite. The answer is: {OPTIONS[0]}.")]


def test_the_last_option_can_be_chosen_and_one_past_it_is_a_clear_error(client, lesson):
    check = lesson.body[1].id
    last = len(OPTIONS) - 1
    status, html = submit(client, lesson, check, str(last))
    assert status == 200
    assert shown(html)[0] == (str(last), f"Not quite. The answer is: {OPTIONS[1]}.")
    status, html = submit(client, lesson, check, str(last + 1))
    assert status == 400 and alert(html) is None
    assert shown(html) == [(None, CHOOSE), (None, None)]  # under the check, to try again


def test_a_check_id_that_is_no_check_here_is_a_clear_error_for_the_whole_page(client, lesson):
    heading = lesson.body[0].id  # a block of this lesson, but no check
    for check in (heading, "not-a-block", ""):
        status, html = submit(client, lesson, check, "0")
        assert status == 400, check
        assert alert(html) == NOT_HERE
        assert shown(html) == [(None, None), (None, None)]
    status, html = submit(client, lesson, lesson.body[1].id, "0")
    assert status == 200 and alert(html) is None


def test_a_check_saved_without_a_right_answer_is_judged_wrong_not_a_crash(client, module):
    # The admin requires one right option; content written through the API need not have one.
    lesson = factories.LessonPageFactory(
        parent=module.home, body=[factories.knowledge_check(right=len(OPTIONS), options=OPTIONS)]
    )
    assert lesson.body[0].value.correct_index() is None
    status, html = submit(client, lesson, lesson.body[0].id, "0")
    [(choice, verdict)] = shown(html)
    assert status == 200 and choice == "0" and verdict == "Not quite."


@pytest.mark.parametrize("answer", ["١", "1.0", "-1", "one", ""])
def test_an_answer_that_is_no_option_number_is_a_clear_error(client, lesson, answer):
    # "١" (Arabic-Indic one) is a digit to str.isdigit() and int() reads it as 1, but it is no
    # option's number here. ("²" never gets this far: the input guard answers it, 400.)
    check = lesson.body[1].id
    status, html = submit(client, lesson, check, answer)
    assert status == 400 and shown(html)[0] == (None, CHOOSE), answer
    status, html = submit(client, lesson, check, "1")  # the control: a real option's number
    assert status == 200 and shown(html)[0] == ("1", "Correct.")


@pytest.mark.parametrize("right", [[], [0, 1], [0, 1, 2]])
def test_an_editor_must_mark_exactly_one_option_right(right):
    block = KnowledgeCheckBlock()
    raw = factories.knowledge_check(options=OPTIONS)["value"]
    raw["options"] = [{"text": t, "correct": i in right} for i, t in enumerate(OPTIONS)]
    with pytest.raises(StructBlockValidationError) as refused:
        block.clean(block.to_python(raw))
    assert list(refused.value.block_errors["options"]) == ["Mark exactly one option as correct."]
    raw["options"] = [{"text": t, "correct": i == 2} for i, t in enumerate(OPTIONS)]
    assert block.clean(block.to_python(raw))["options"][2]["correct"] is True
