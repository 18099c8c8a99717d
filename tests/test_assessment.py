"""'Which role suits you?': scoring, the result and its reasons, editing the questions (answers
the form refuses or keeps: test_assessment_input.py)."""

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


def errors_shown(html):
    """The messages in the error summary, as the reader sees them."""
    alert = html.select_one("[role=alert]")
    return [li.get_text() for li in alert.select("li")] if alert else []


def checked(html):
    """The value of the checked radio in each question of the form (None where none is)."""
    return [
        next(
            (i["value"] for i in fieldset.select("input[type=radio]") if i.has_attr("checked")),
            None,
        )
        for fieldset in html.select("form.assessment fieldset")
    ]


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
    assert "Your answers fit both roles equally" in html.select_one(".assessment-result").text
    assert "comes first" not in html.text  # a tie is not a ranking


def distinct_answers_assessment(module):
    """Three questions whose answers all have their own words, so a reason can be told
    apart from every other answer. Points: (program, project)."""
    program, project = module.roles

    def answer(text, program_points, project_points):
        weights = [(program, program_points), (project, project_points)]
        return {
            "text": text,
            "weights": [{"role": r.pk, "points": p} for r, p in weights if p],
        }

    questions = [
        (
            "How far ahead do you look?",
            [answer("I like long-term strategy", 2, 0), answer("I like shipping one thing", 0, 2)],
        ),
        (
            "Who do you work with?",
            [answer("Many teams at once", 1, 1), answer("One team, closely", 0, 3)],
        ),
        ("What do you keep?", [answer("Roadmaps", 3, 0), answer("Checklists", 0, 2)]),
    ]
    return factories.SelfAssessmentPageFactory(
        parent=module.home,
        slug="quiz-words",
        questions=[
            {"type": "question", "value": {"text": text, "answers": answers}}
            for text, answers in questions
        ],
    )


def reasons(section):
    return [li.get_text() for li in section.select(".assessment-why__reasons li")]


def test_why_names_exactly_the_chosen_answers_that_gave_the_winner_points(client, module):
    program, project = module.roles
    assessment = distinct_answers_assessment(module)
    # Strategy (+2 program), one team (+3 project), roadmaps (+3 program): 5 to 3.
    status, html = take(client, assessment, answers_for(assessment, [0, 1, 0]))
    assert status == 200
    assert html.h2.get_text() == f"Your best match: {program.title}"
    (why,) = html.select(".assessment-why")
    assert why.h3.get_text() == f"Why {program.title}"
    assert reasons(why) == [
        f"You chose “I like long-term strategy” (+2 {program.title})",
        f"You chose “Roadmaps” (+3 {program.title})",
    ]
    # Chosen but for the other role, and not chosen at all: neither is a reason.
    assert "One team, closely" not in why.select_one(".assessment-why__reasons").text
    for unchosen in ["I like shipping one thing", "Many teams at once", "Checklists"]:
        assert unchosen not in html.select_one(".assessment-result").text
        assert unchosen in html.select_one("form.assessment").text  # still offered below
    # The role's comparison column stays, as labelled context.
    assert why.h4.get_text() == f"How the comparison describes the {program.title} role"
    assert f"{program.title} on aspect 0" in why.select_one("dl.statements").text


def test_a_tie_explains_both_roles_with_their_own_reasons_and_links(client, module):
    program, project = module.roles
    assessment = distinct_answers_assessment(module)
    # Strategy (+2 program), many teams (+1 each), checklists (+2 project): 3 to 3.
    status, html = take(client, assessment, answers_for(assessment, [0, 0, 1]))
    result = html.select_one(".assessment-result")
    assert status == 200
    assert result.h2.get_text() == f"A tie: {program.title} and {project.title}"
    assert "Your answers fit both roles equally." in result.text
    first, second = result.select(".assessment-why")
    assert first.h3.get_text() == f"Why {program.title}"
    assert reasons(first) == [
        f"You chose “I like long-term strategy” (+2 {program.title})",
        f"You chose “Many teams at once” (+1 {program.title})",
    ]
    assert second.h3.get_text() == f"Why {project.title}"
    assert reasons(second) == [
        f"You chose “Many teams at once” (+1 {project.title})",
        f"You chose “Checklists” (+2 {project.title})",
    ]
    for section, role, path in [
        (first, program, module.careers[0]),
        (second, project, module.careers[1]),
    ]:
        assert section.find("a", href=role.url, string=f"Read about the {role.title} role")
        assert section.find("a", href=path.url, string=f"See the {role.title} career path")


def test_answers_keep_the_editors_order_without_javascript(client, module):
    assessment = distinct_answers_assessment(module)
    status, html = take(client, assessment, {})
    assert status == 200
    containers = html.select("fieldset.assessment__question [data-shuffle]")
    assert len(containers) == 3  # one per question, for checks.js to shuffle
    labels = [[label.get_text() for label in c.select("label")] for c in containers]
    assert labels == [
        ["I like long-term strategy", "I like shipping one thing"],
        ["Many teams at once", "One team, closely"],
        ["Roadmaps", "Checklists"],
    ]
    # Each radio is a direct child's, so shuffling the children moves label and radio together.
    for container in containers:
        for child in container.find_all(recursive=False):
            assert child.select_one("input[type=radio]") and child.select_one("label")


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


def test_a_weight_of_zero_points_adds_nothing(client, module):
    program, project = module.roles
    assessment = factories.SelfAssessmentPageFactory(
        parent=module.home,
        slug="quiz-0",
        questions=factories.assessment_questions(module.roles, count=1, points=3, others=0),
    )
    status, html = take(client, assessment, answers_for(assessment, [0]))  # "Like <program>"
    assert status == 200
    assert scores(html) == [[program.heading, "3"], [project.heading, "0"]]


def test_points_for_a_role_readers_cannot_see_are_left_out(client, module):
    program, project = module.roles
    data = answers_for(module.assessment, [1, 1, 1])  # "Like <project>": 3 to it, 1 to program
    status, html = take(client, module.assessment, data)
    assert status == 200
    assert scores(html) == [[project.heading, "9"], [program.heading, "3"]]
    project.unpublish()
    status, html = take(client, module.assessment, data)
    assert status == 200
    assert html.select_one(".assessment-result h2").get_text() == (
        f"Your best match: {program.title}"
    )
    assert scores(html) == [[program.heading, "3"]]


def test_without_published_roles_the_result_says_there_is_nothing_to_compare(client, module):
    data = answers_for(module.assessment, [0, 0, 0])
    nothing = "There are no published roles to compare yet."
    status, html = take(client, module.assessment, data)
    assert status == 200 and html.select_one(".assessment-result")
    assert nothing not in html.get_text()
    for role in module.roles:
        role.unpublish()
    status, html = take(client, module.assessment, data)
    assert status == 200 and not html.select_one(".assessment-result")
    assert nothing in [p.get_text() for p in html.select("p.notice")]


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
