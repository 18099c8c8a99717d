"""'Which role suits you?': tampered, missing and oversized answers, and the choices kept."""

import pytest

from roles.models.assessment import MAX_FIELDS
from tests.test_assessment import answers_for, checked, errors_shown, take

CHOOSE = "Question 1: choose one of its answers."  # what the reader is told, word for word


@pytest.mark.parametrize(
    ("tamper", "message"),
    [
        (lambda data, q: data.pop(f"q-{q[1].id}"), "Question 2 has no answer."),
        (lambda data, q: data.update({f"q-{q[0].id}": "9"}), CHOOSE),
        (lambda data, q: data.update({f"q-{q[0].id}": "-1"}), CHOOSE),
        (
            lambda data, q: data.update({"q-not-a-question": "0"}),
            "Some answers do not belong to these questions. Please try again.",
        ),
        (
            lambda data, q: data.update({f"x{i}": "1" for i in range(150)}),
            "The form was too large. Please answer the questions again.",
        ),
    ],
)
def test_tampered_answers_show_the_form_again_with_a_clear_error(client, module, tamper, message):
    assessment = module.assessment
    data = answers_for(assessment, [0, 0, 0])
    tamper(data, list(assessment.questions))
    status, html = take(client, assessment, data)
    assert status == 400
    assert errors_shown(html) == [message]
    assert html.select_one("form.assessment") and not html.select_one(".assessment-result")


def test_the_form_comes_back_with_the_readers_choices_kept(client, module):
    assessment = module.assessment
    status, html = take(client, assessment, {})
    assert checked(html) == [None, None, None]  # a fresh form
    legends = [legend.get_text() for legend in html.select("form.assessment legend")]
    assert legends == [f"{n}. Question {n}?" for n in (1, 2, 3)]  # numbered from 1
    picks = [1, 0, 2]
    data = answers_for(assessment, picks)
    status, html = take(client, assessment, data)
    assert status == 200 and html.select_one(".assessment-result")
    assert checked(html) == [str(pick) for pick in picks]  # under the result, to change
    del data[f"q-{assessment.questions[1].id}"]
    status, html = take(client, assessment, data)
    assert status == 400 and errors_shown(html) == ["Question 2 has no answer."]
    assert checked(html) == [str(picks[0]), None, str(picks[2])]  # nothing to answer again
    assert [legend.get_text() for legend in html.select("form.assessment legend")] == legends


def test_the_form_its_result_and_its_errors_keep_the_site_navigation(client, module):
    assessment = module.assessment
    data = answers_for(assessment, [0, 0, 0])
    wrong = {**data, f"q-{assessment.questions[0].id}": "9"}
    for query, status in [({}, 200), (data, 200), (wrong, 400)]:
        code, html = take(client, assessment, query)
        assert code == status
        current = html.select_one(".site-nav [aria-current=page]")
        assert current and current["href"] == assessment.url, query


def test_an_answer_one_past_the_last_option_is_refused(client, module):
    assessment = module.assessment
    last = len(assessment.questions[0].value["answers"]) - 1  # "No preference"
    status, html = take(client, assessment, answers_for(assessment, [last, 0, 0]))
    assert status == 200 and errors_shown(html) == []
    status, html = take(client, assessment, answers_for(assessment, [last + 1, 0, 0]))
    assert status == 400 and errors_shown(html) == [CHOOSE]


def test_the_form_may_have_max_fields_fields_and_not_one_more(client, module):
    assessment = module.assessment
    data = answers_for(assessment, [0, 0, 0])
    data.update({f"x{i}": "1" for i in range(MAX_FIELDS - len(data))})
    status, html = take(client, assessment, data)
    assert status == 200 and html.select_one(".assessment-result")
    status, html = take(client, assessment, {**data, "one-more": "1"})
    assert status == 400
    assert errors_shown(html) == ["The form was too large. Please answer the questions again."]
