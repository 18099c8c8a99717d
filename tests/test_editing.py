"""Editing through the Wagtail admin: drafts, preview, publish, history, compare, revert."""

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from wagtail.models import Page
from wagtail.test.utils.form_data import nested_form_data, querydict_from_html, rich_text

from roles.comparison.palette import ROLE_COLOURS
from tests import factories
from tests.conftest import edit_form_data
from tests.test_comparison import table

pytestmark = pytest.mark.django_db

OLD = "Manages multiple related projects"
NEW = "Runs a portfolio of interdependent projects"


@pytest.fixture
def aspect(module):
    """The first aspect, with its first role's statement set to OLD and published."""
    aspect = module.aspects[0]
    rows = list(aspect.statements.all())
    rows[0].statement = OLD
    aspect.statements = rows
    aspect.save_revision().publish()
    aspect.refresh_from_db()
    return aspect


def edit_statement(client, page, text, publish):
    data = edit_form_data(client, page)
    data["statements-0-statement"] = text
    if publish:
        data["action-publish"] = "action-publish"
    response = client.post(reverse("wagtailadmin_pages:edit", args=[page.pk]), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    return response


def public_html(client, module):
    client.logout()
    return client.get(module.comparison.url).content.decode()


def test_a_saved_draft_never_reaches_the_public_site(admin_client, module, aspect):
    edit_statement(admin_client, aspect, NEW, publish=False)
    aspect.refresh_from_db()
    assert aspect.has_unpublished_changes
    html = public_html(admin_client, module)
    assert OLD in html and NEW not in html
    assert NEW not in admin_client.get(module.home.url).content.decode()


def test_a_never_published_page_is_not_found_by_readers(client, module):
    draft = factories.LessonPageFactory(parent=module.home, live=False, title="Secret draft")
    assert client.get(draft.url or f"/{draft.slug}/").status_code == 404
    assert "Secret draft" not in client.get(module.home.url).content.decode()


def test_preview_shows_the_draft_statement(admin_client, aspect):
    data = edit_form_data(admin_client, aspect)
    data["statements-0-statement"] = NEW
    url = reverse("wagtailadmin_pages:preview_on_edit", args=[aspect.pk])
    assert admin_client.post(url, data).json() == {"is_valid": True, "is_available": True}
    preview = admin_client.get(url).content.decode()
    assert NEW in preview and OLD not in preview


def test_publishing_an_edited_statement_updates_the_table(admin_client, module, aspect):
    edit_statement(admin_client, aspect, NEW, publish=True)
    html = public_html(admin_client, module)
    assert NEW in html and OLD not in html


def test_history_and_compare_show_the_edited_statement(admin_client, aspect):
    before = aspect.latest_revision
    edit_statement(admin_client, aspect, NEW, publish=False)
    aspect.refresh_from_db()
    after = aspect.latest_revision
    assert after.pk != before.pk

    history = admin_client.get(reverse("wagtailadmin_pages:history", args=[aspect.pk]))
    assert history.status_code == 200

    compare = BeautifulSoup(
        admin_client.get(
            reverse("wagtailadmin_pages:revisions_compare", args=[aspect.pk, before.pk, after.pk])
        ).content,
        "html.parser",
    )
    assert "Statements" in compare.get_text()
    # The compare view diffs word by word: the old wording is struck, the new one added.
    removed = " ".join(el.get_text() for el in compare.select(".deletion"))
    added = " ".join(el.get_text() for el in compare.select(".addition"))
    assert "Manages multiple related" in removed
    assert "Runs a portfolio of interdependent" in added


def test_reverting_to_an_earlier_revision_restores_the_statement(admin_client, module, aspect):
    original = aspect.live_revision
    edit_statement(admin_client, aspect, NEW, publish=True)
    assert NEW in public_html(admin_client, module)

    admin_client.force_login(admin_client.user)
    revert_url = reverse("wagtailadmin_pages:revisions_revert", args=[aspect.pk, original.pk])
    form = querydict_from_html(
        admin_client.get(revert_url).content.decode(), form_id="page-edit-form"
    )
    assert form["statements-0-statement"].strip() == OLD
    form["action-publish"] = "action-publish"
    assert admin_client.post(revert_url, form).status_code == 302

    html = public_html(admin_client, module)
    assert OLD in html and NEW not in html
    aspect.refresh_from_db()
    assert aspect.revisions.count() == 4  # factory, fixture, edit, revert: nothing lost
    assert aspect.live_revision.content["statements"][0]["statement"] == OLD


def test_editors_can_add_a_role_in_the_admin(admin_client, module):
    add_url = reverse("wagtailadmin_pages:add", args=["roles", "rolepage", module.role_index.pk])
    taken = {role.colour for role in module.roles}  # two published roles may not share one
    data = nested_form_data(
        {
            "title": "Engineering Manager",
            "slug": "engineering-manager",
            "abbreviation": "EM",
            "short_label": "Engineering",
            "colour": next(key for key in ROLE_COLOURS if key not in taken),
            "definition": "Leads engineers.",
            "summary": rich_text("<p>Leads a team of engineers.</p>"),
            "responsibilities": rich_text(""),
            "skills": rich_text(""),
            "kpis": rich_text(""),
            "comments-TOTAL_FORMS": 0,
            "comments-INITIAL_FORMS": 0,
            "action-publish": "action-publish",
        }
    )
    response = admin_client.post(add_url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    html = public_html(admin_client, module)
    assert "Engineering Manager" in html
    assert ">Engineering</span>" in html  # its short label, as a chip in the table's header
    assert Page.objects.get(slug="engineering-manager").live


def test_an_aspect_without_a_new_roles_statement_saves_as_a_draft_only(admin_client, module):
    """Publishing it is refused (tests/test_admin.py checks the message); a draft is kept, and
    readers meanwhile see the new role as a column, its cell on the aspect empty."""
    new_role = factories.RolePageFactory(parent=module.role_index, title="Engineering Manager")
    aspect, (first, second) = module.aspects[0], module.roles
    published = aspect.live_revision
    edit_statement(admin_client, aspect, NEW, publish=False)  # no row for the new role
    aspect.refresh_from_db()
    assert aspect.live_revision == published and aspect.has_unpublished_changes
    draft = aspect.get_latest_revision_as_object()
    assert [row.statement for row in draft.statements.all()][0] == NEW
    admin_client.logout()
    rows = table(admin_client, module.comparison.url)
    assert rows[0] == ["Aspect", first.heading, second.heading, new_role.heading]
    assert rows[1] == [
        aspect.title,
        f"{first.title} on aspect 0",  # the published wording, not the draft's
        f"{second.title} on aspect 0",
        "— No statement yet",
    ]
