"""The final check's answers: missing ones named, tampered ones refused, hostile text shown as
text."""

import pytest
from bs4 import BeautifulSoup

from roles.models import FinalCheckPage
from tests import factories
from tests.test_final_check import answers, take, two_lessons_of_five_checks


@pytest.fixture
def module(db):
    return two_lessons_of_five_checks()


def test_unanswered_questions_are_named_and_the_given_answers_kept(client, module):
    page = FinalCheckPage.objects.get()
    data = answers(page, 10)
    del data[page.questions[1].field_name]
    del data[page.questions[4].field_name]
    status, html = take(client, page, data)
    assert status == 200
    alert = [li.get_text() for li in html.select("[role=alert] li")]
    assert alert == ["Question 2 has no answer.", "Question 5 has no answer."]
    assert not html.select("[data-final-result]")
    assert len(html.select("form.final-check input[checked]")) == 8


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"q-999999-nope": "0"}, "Some answers do not belong to these questions."),
        ("huge", "choose one of its answers"),
        ("many", "The form was too large."),
    ],
)
def test_tampered_answers_are_refused_with_a_message(client, module, change, message):
    page = FinalCheckPage.objects.get()
    data = answers(page, 10)
    assert take(client, page, data)[0] == 200  # positive control: the real answers are fine
    if change == "huge":
        data[page.questions[0].field_name] = "9" * 40
    elif change == "many":
        data.update({f"x{n}": "0" for n in range(50)})
    else:
        data.update(change)
    status, html = take(client, page, data)
    assert status == 400
    assert message in html.select_one("[role=alert]").get_text()
    assert not html.select("[data-final-result]")


def test_hostile_text_is_shown_as_text(client, module):
    hostile = factories.hostile("Question")
    lesson = factories.LessonPageFactory(
        parent=module.home,
        hostile=True,
        body=[factories.knowledge_check(hostile, options=[hostile + " A", hostile + " B"])],
    )
    page = FinalCheckPage.objects.get()
    response = client.get(page.url, answers(page, 0))
    assert response.status_code == 200
    html = BeautifulSoup(response.content, "html.parser")
    assert b"<script>alert" not in response.content
    review = html.select(".final-review__item")[-1].get_text(" ")
    assert hostile in review
    assert f"Reread: {lesson.title}" in review
