"""'Which role suits you?': scoring, the result, tampered answers, editing the questions."""

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from wagtail.models import PageLogEntry, Revision

from tests import factories
from tests.conftest import edit_form_data, soup

pytestmark = pytest.mark.django_db


def answers_for(assessment, picks):
    """Form data choosing answer ``picks[i]`` for question i."""
    return {f"q-{q.id}": str(pick) for q, pick in zip(assessment.questions, picks, strict=True)}


def take(client, assessment, data):
    response = client.get(assessment.url, data)
    return response.status_code, BeautifulSoup(response.content, "html.parser")


def scores(result):
    """The result's score table: [role heading, points] per row, best first."""
    return [[c.get_text() for c in tr.find_all(["th", "td"])] for tr in result.select("tbody tr")]


def test_the_role_with_most_points_wins_and_the_result_explains_why(client, module):
    assessment = module.assessment
    program, project = module.roles
    status, html = take(client, assessment, answers_for(assessment, [0, 0, 1]))
    result = html.select_one(".assessment-result")
    assert status == 200
    assert result.h2.get_text() == f"Your best match: {program.title}"
    # "Like <role>" gives that role 3 points and the other 1: 3 + 3 + 1 and 1 + 1 + 3.
    assert scores(result) == [[program.heading, "7"], [project.heading, "5"]]
    why = result.select_one("dl.statements").get_text(" ")
    assert f"{program.title} on aspect 0" in why
    assert result.find("a", href=program.url)
    assert result.find("a", href=module.careers[0].url)


def test_a_tie_names_every_tied_role(client, module):
    assessment = module.assessment
    status, html = take(client, assessment, answers_for(assessment, [0, 1, 2]))
    heading = html.select_one(".assessment-result h2").get_text()
    assert status == 200
    assert heading == f"A tie: {module.roles[0].title} and {module.roles[1].title}"


def test_a_tie_keeps_the_tables_order_not_the_order_roles_were_created_in(client, module):
    # The fixture creates roles in tree order, so ordering by id looked right; here the
    # second role created is moved first, as an editor reordering the table would.
    first, second = factories.reverse_tree_order(module.roles)
    assert first == module.roles[1]
    status, html = take(client, module.assessment, answers_for(module.assessment, [0, 1, 2]))
    result = html.select_one(".assessment-result")
    assert status == 200
    assert result.h2.get_text() == f"A tie: {first.title} and {second.title}"
    assert scores(result) == [[first.heading, "4"], [second.heading, "4"]]
    # The same order as the table's columns, which the reader has just seen.
    header = soup(client, module.comparison.url).select("table.comparison thead th a")
    assert [a.get_text() for a in header] == [first.heading, second.heading]


def test_any_number_of_roles_can_be_scored(client, module):
    third = factories.RolePageFactory(parent=module.role_index, title="Engineering Manager")
    assessment = factories.SelfAssessmentPageFactory(
        parent=module.home, slug="quiz-3", roles=[*module.roles, third]
    )
    status, html = take(client, assessment, answers_for(assessment, [2, 2, 0]))
    assert status == 200
    assert (
        html.select_one(".assessment-result h2").get_text()
        == "Your best match: Engineering Manager"
    )
    assert len(html.select(".scores tbody tr")) == 3


@pytest.mark.parametrize(
    ("tamper", "message"),
    [
        (lambda data, q: data.pop(f"q-{q[1].id}"), "Question 2 has no answer."),
        (lambda data, q: data.update({f"q-{q[0].id}": "9"}), "Question 1: choose one of its"),
        (lambda data, q: data.update({f"q-{q[0].id}": "-1"}), "Question 1: choose one of its"),
        (
            lambda data, q: data.update({"q-not-a-question": "0"}),
            "do not belong to these questions",
        ),
        (lambda data, q: data.update({f"x{i}": "1" for i in range(150)}), "too large"),
    ],
)
def test_tampered_answers_show_the_form_again_with_a_clear_error(client, module, tamper, message):
    assessment = module.assessment
    data = answers_for(assessment, [0, 0, 0])
    tamper(data, list(assessment.questions))
    status, html = take(client, assessment, data)
    assert status == 400
    assert message in html.select_one("[role=alert]").get_text()
    assert html.select_one("form.assessment") and not html.select_one(".assessment-result")


def test_nothing_personal_is_stored(client, module):
    before = (Revision.objects.count(), PageLogEntry.objects.count())
    take(client, module.assessment, answers_for(module.assessment, [0, 0, 0]))
    assert (Revision.objects.count(), PageLogEntry.objects.count()) == before
    assert "sessionid" not in client.cookies


def test_editors_change_the_questions_in_the_admin(admin_client, module):
    assessment = module.assessment
    role = module.roles[1]
    weights = factories.list_block([{"role": role.pk, "points": 3}])
    answers = factories.list_block(
        [{"text": "Detail first", "weights": weights}, {"text": "Breadth first", "weights": {}}]
    )
    answers["1"]["value"]["weights"] = factories.list_block([])
    data = edit_form_data(
        admin_client,
        assessment,
        streams={"questions": [("question", {"text": "How do you plan?", "answers": answers})]},
    )
    data["action-publish"] = "publish"
    response = admin_client.post(reverse("wagtailadmin_pages:edit", args=[assessment.pk]), data)
    assert response.status_code == 302
    assessment.refresh_from_db()
    question = assessment.questions[0]
    assert question.value["text"] == "How do you plan?"
    assert question.value["answers"][0]["weights"][0]["role"].pk == role.pk
