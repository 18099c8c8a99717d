"""Career paths whose steps may fork: a step taken instead of the one above it."""

import pytest
from django.core.management import call_command

from roles.models import CareerPathPage
from tests import factories
from tests.conftest import soup
from tests.test_api_writes import draft, write

pytestmark = pytest.mark.django_db


def numbered_items(html):
    """The path as it is numbered: per item of the ordered list, its step headings."""
    return [
        [h2.get_text(" ", strip=True) for h2 in li.find_all("h2")]
        for li in html.select("ol.career-steps > li")
    ]


def test_the_seeded_project_manager_path_forks_into_program_or_portfolio(client):
    call_command("load_module", verbosity=0)
    path = CareerPathPage.objects.get(slug="technical-project-manager-career-path")
    html = soup(client, path.url)
    assert numbered_items(html) == [
        ["Technical Project Manager"],
        ["Either Program Manager", "or Project portfolio management"],
    ]
    (fork,) = html.select("ol.career-steps > li > ul.career-fork")
    branches = fork.find_all("li", recursive=False)
    assert [b.select_one(".career-fork__label").get_text() for b in branches] == ["Either", "or"]
    assert "portfolio of projects" in branches[1].p.get_text()
    # The program path has no alternatives: plain numbered steps.
    other = CareerPathPage.objects.get(slug="technical-program-manager-career-path")
    html = soup(client, other.url)
    assert not html.select(".career-fork")
    assert numbered_items(html) == [
        ["Technical Program Manager"],
        ["Director of Program Management"],
    ]


def test_a_path_without_alternatives_keeps_one_numbered_step_each(client, module):
    path = factories.CareerPathPageFactory(
        parent=module.career_index, steps=[("First", None), ("Second", None), ("Third", None)]
    )
    html = soup(client, path.url)
    assert numbered_items(html) == [["First"], ["Second"], ["Third"]]
    assert not html.select(".career-fork, .career-fork__label")


def test_consecutive_alternatives_share_one_fork_and_later_steps_follow_it(client, module):
    role = module.roles[0]
    path = factories.CareerPathPageFactory(
        parent=module.career_index,
        steps=[
            ("Start", None),
            ("Lead", role),
            ("Specialise", None, True),
            ("Consult", None, True),
            ("Retire", None),
        ],
    )
    html = soup(client, path.url)
    assert numbered_items(html) == [
        ["Start"],
        ["Either Lead", "or Specialise", "or Consult"],
        ["Retire"],
    ]
    assert html.select_one(".career-fork h2 a")["href"] == role.url  # links kept in a fork


def test_a_first_step_marked_as_an_alternative_is_an_ordinary_first_step(client, module):
    # Nothing comes before it to be an alternative to; an editor who reorders steps is not
    # stopped by an error, and the path still reads in order.
    path = factories.CareerPathPageFactory(
        parent=module.career_index, steps=[("Alone", None, True), ("Next", None)]
    )
    html = soup(client, path.url)
    assert numbered_items(html) == [["Alone"], ["Next"]]
    assert not html.select(".career-fork")


def test_the_api_reads_and_writes_whether_a_step_is_an_alternative(client, module, moderator):
    career = module.careers[0]
    steps = [{"title": "Lead", "role_id": None}, {"title": "Or teach", "alternative": True}]
    response = write(client, moderator, "patch", f"/api/v3/pages/{career.pk}/", {"steps": steps})
    assert response.status_code == 200, response.content[:500]
    saved = draft(client, moderator, career)["steps"]
    assert [(s["title"], s["alternative"]) for s in saved] == [("Lead", False), ("Or teach", True)]
    # The published bundle says so too, for the live page.
    call_command("load_module", verbosity=0)
    bundle = client.get("/api/v3/module/").json()
    forks = [
        [s["alternative"] for s in path["steps"]]
        for path in bundle["career_paths"]
        if path["title"] == "Technical Project Manager career path"
    ]
    assert forks == [[False, False, True]]


def test_editors_mark_an_alternative_in_the_step_form(admin_client, module):
    path = module.careers[0]
    html = soup(admin_client, f"/admin/pages/{path.pk}/edit/")
    boxes = html.select("input[type=checkbox][name$='-alternative']")
    assert len(boxes) == len(path.steps.all())  # one per step
    label = html.find("label", attrs={"for": boxes[0]["id"]})
    assert label and "Or: an alternative to the step above" in label.get_text()
