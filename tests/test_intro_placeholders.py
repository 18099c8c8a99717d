"""Counts and role names in intros follow the published comparison (issue 16): an intro typed
as "{Aspects} aspects of the {roles} roles" never goes stale when a role is published."""

import pytest
from bs4 import BeautifulSoup
from django.core.management import call_command

from roles.models import ComparisonPage, RoleIndexPage
from roles.models.base import fill_counts
from tests import factories
from tests.conftest import soup

pytestmark = pytest.mark.django_db

INTRO = "<p>{Aspects} aspects of the {roles} roles: {role_names}. {Roles} roles; {other}.</p>"


def publish_intro(page, intro):
    page.intro = intro
    page.save_revision().publish()


def intro_text(client, page):
    html = soup(client, page.url)
    return " ".join(html.select_one("main").get_text(" ").split()), html


def test_the_intro_counts_what_learners_see_and_follows_a_new_role(client, module):
    publish_intro(module.comparison, INTRO)
    first, second = (role.title for role in module.roles)
    text, html = intro_text(client, module.comparison)
    assert f"Two aspects of the two roles: {first} and {second}. Two roles; {{other}}." in text
    description = html.find("meta", attrs={"name": "description"})["content"]
    assert description.startswith("Two aspects of the two roles:"), description

    # A third published role, and pages learners do not see: a draft role, a private aspect.
    factories.RolePageFactory(parent=module.role_index, title="Engineering <Manager>")
    factories.RolePageFactory(parent=module.role_index, title="Draft role", live=False)
    factories.AspectPageFactory(parent=module.comparison, private=True)
    text, html = intro_text(client, module.comparison)
    assert f"Two aspects of the three roles: {first}, {second} and Engineering <Manager>." in text
    assert "Engineering &lt;Manager&gt;" in str(html.select_one("main"))  # escaped, not markup
    assert "Draft role" not in text


def test_the_bundle_and_the_module_page_fill_the_module_intro(client, module):
    publish_intro(module.home, "<p>Compare {roles} roles.</p>")
    assert "Compare two roles." in intro_text(client, module.home)[0]
    assert client.get("/api/v3/module/").json()["module"]["intro"] == "<p>Compare two roles.</p>"


def test_ten_or_more_are_written_in_figures(client, module):
    """apnumber spells one to nine only: a module of ten aspects must still render (it
    answered 500 at the benchmark's 60 aspects x 10 roles)."""
    for n in range(8):
        factories.AspectPageFactory(parent=module.comparison, title=f"Aspect {n}")
    publish_intro(module.comparison, INTRO)
    text, _ = intro_text(client, module.comparison)
    assert "10 aspects of the two roles" in text
    assert "Two roles;" in text


def test_an_intro_without_placeholders_costs_no_query(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert fill_counts("<p>Plain {text}.</p>") == "<p>Plain {text}.</p>"
        assert fill_counts("") == ""


def test_the_seed_intros_read_as_the_article_with_its_counts(client):
    call_command("load_module", verbosity=0)
    comparison = ComparisonPage.objects.get()
    assert "{" in comparison.intro  # the editable text keeps the placeholders
    text, _ = intro_text(client, comparison)
    assert "Six aspects of the two roles, side by side." in text
    roles = intro_text(client, RoleIndexPage.objects.get())[0]
    assert "The two roles this module compares: Technical Program Manager and Technical" in roles


def test_the_intro_field_tells_editors_the_placeholders(admin_client, module):
    from django.urls import reverse

    response = admin_client.get(reverse("wagtailadmin_pages:edit", args=[module.comparison.pk]))
    help_text = BeautifulSoup(response.content, "html.parser").select_one(
        "#panel-child-content-intro-helptext, [id$='intro-helptext']"
    )
    assert help_text is not None and "{role_names}" in help_text.get_text()
