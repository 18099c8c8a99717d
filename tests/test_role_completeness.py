"""A role goes live complete; adding one never blocks an aspect (issue 16).

Publishing a role that is not yet live needs a published statement for it on every published
aspect; submitting it needs one at least in each aspect's latest draft. Aspects publish
whatever roles they lack. The gaps are shown on the role's editor, the dashboard and the
matrix, with links to the rows to write.
"""

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from roles.matrix_editing import publish_or_submit, save_cell
from roles.models import RolePage
from tests import factories
from tests.conftest import edit_form_data

pytestmark = pytest.mark.django_db


def edit(client, page, action=None, **changes):
    data = edit_form_data(client, page)
    data.update(changes)
    if action:
        data[f"action-{action}"] = action
    return client.post(reverse("wagtailadmin_pages:edit", args=[page.pk]), data)


def main_text(response):
    return " ".join(BeautifulSoup(response.content, "html.parser").main.get_text(" ").split())


def edit_link(aspect, role):
    return f"{reverse('wagtailadmin_pages:edit', args=[aspect.pk])}?role={role.pk}"


@pytest.fixture
def manager(module):
    """An editor's new role, saved as a draft: no statement anywhere yet."""
    return factories.RolePageFactory(
        parent=module.role_index, title="Engineering Manager", live=False
    )


def test_an_aspect_publishes_while_a_live_role_has_no_statement_on_it(admin_client, module):
    factories.RolePageFactory(parent=module.role_index, title="Engineering Manager")
    aspect = module.aspects[0]
    response = edit(admin_client, aspect, "publish", title="A typo, fixed")
    assert response.status_code == 302, main_text(response)
    aspect.refresh_from_db()
    assert aspect.title == "A typo, fixed" and not aspect.has_unpublished_changes


def test_publishing_a_new_role_lists_each_aspect_without_its_statement_with_a_link(
    admin_client, module, manager
):
    response = edit(admin_client, manager, "publish")
    assert response.status_code == 200
    html = BeautifulSoup(response.content, "html.parser")
    message = " ".join(html.select_one(".messages .error").get_text(" ").split())
    titles = ", ".join(a.title for a in module.aspects)
    assert f"it has no statement on 2 published aspects: {titles}." in message
    # The message is text (Wagtail escapes it); the Statements panel below links each row.
    panel = html.select_one(".role-completeness")
    for aspect in module.aspects:
        assert panel.find("a", href=edit_link(aspect, manager), string=aspect.title), aspect
    assert panel.find("a", href=reverse("comparison_matrix"))
    manager.refresh_from_db()
    assert not manager.live

    # A draft of the role itself is never refused.
    assert edit(admin_client, manager, definition="Leads engineers").status_code == 302


def test_a_draft_aspect_or_a_private_one_is_not_asked_for(admin_client, module, manager):
    factories.AspectPageFactory(parent=module.comparison, live=False)
    factories.AspectPageFactory(parent=module.comparison, private=True)
    assert manager.statement_gaps() == (module.aspects, [])


def test_a_role_may_be_submitted_with_its_statements_in_draft_but_published_only_after_them(
    admin_client, editor_client, editor, module, manager
):
    for aspect in module.aspects:
        revision, errors = save_cell(aspect, manager, f"Leads on {aspect.title}", editor)
        assert revision and not errors
    assert manager.statement_gaps() == ([], module.aspects)

    response = edit(admin_client, manager, "publish")
    assert response.status_code == 200
    text = main_text(response)
    assert "are drafts: publish them first" in text
    assert "no statement on" not in text

    response = edit(editor_client, manager, "submit")
    assert response.status_code == 302, main_text(response)
    assert RolePage.objects.get(pk=manager.pk).current_workflow_state

    done, refused = publish_or_submit(module.aspects, admin_client.user, "publish")
    assert (len(done), refused) == (2, [])
    assert edit(admin_client, manager, "publish").status_code == 302
    assert RolePage.objects.get(pk=manager.pk).live


def test_an_editor_cannot_submit_a_role_with_a_gap(editor_client, editor, module, manager):
    save_cell(module.aspects[0], manager, "Leads the engineers", editor)
    response = edit(editor_client, manager, "submit")
    assert response.status_code == 200
    assert "no statement on 1 published aspect:" in main_text(response)
    assert module.aspects[1].title in main_text(response)


def test_a_live_role_with_a_gap_still_publishes_and_says_where_it_is_empty(admin_client, module):
    role = module.roles[0]
    new_aspect = factories.AspectPageFactory(
        parent=module.comparison, title="Budget", statements={module.roles[1]: "Owns it"}
    )
    response = admin_client.get(reverse("wagtailadmin_pages:edit", args=[role.pk]))
    panel = BeautifulSoup(response.content, "html.parser").select_one(".role-completeness")
    assert panel is not None
    assert "no statement for this role on 1 published aspect" in panel.get_text(" ")
    assert "Learners see empty cells there" in panel.get_text(" ")
    assert panel.find("a", href=edit_link(new_aspect, role), string="Budget")

    response = edit(admin_client, role, "publish", definition="Runs programs")
    assert response.status_code == 302, main_text(response)


def test_a_complete_role_shows_no_warning(admin_client, module):
    response = admin_client.get(reverse("wagtailadmin_pages:edit", args=[module.roles[0].pk]))
    assert not BeautifulSoup(response.content, "html.parser").select(".role-completeness")


def test_the_draft_role_editor_and_the_dashboard_show_what_is_missing(
    admin_client, editor, module, manager
):
    save_cell(module.aspects[0], manager, "Leads the engineers", editor)
    response = admin_client.get(reverse("wagtailadmin_pages:edit", args=[manager.pk]))
    panel = BeautifulSoup(response.content, "html.parser").select_one(".role-completeness")
    text = " ".join(panel.get_text(" ").split())
    assert "on 1 published aspect: " + module.aspects[1].title in text
    assert "can be published once each has one" in text
    assert "Written, not yet published: " + module.aspects[0].title in text

    home = BeautifulSoup(admin_client.get(reverse("wagtailadmin_home")).content, "html.parser")
    sections = {s.h3.get_text(): s for s in home.select("#module-status-section section")}
    gaps = sections["Roles with missing statements (1)"]
    assert "Engineering Manager (draft): 1 aspect without its statement" in " ".join(
        gaps.get_text(" ").split()
    )
    assert gaps.find("a", href=reverse("comparison_matrix"))
