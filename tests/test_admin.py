"""Admin conveniences: groups, validation messages, the comparison matrix, the dashboard."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone
from wagtail.models import GroupPagePermission, Page, Workflow

from tests import factories
from tests.conftest import edit_form_data

pytestmark = pytest.mark.django_db


def test_fresh_database_has_editor_and_moderator_permissions_and_moderation():
    root = Page.get_first_root_node()

    def codenames(group):
        perms = GroupPagePermission.objects.filter(group__name=group, page=root)
        return set(perms.values_list("permission__codename", flat=True))

    assert codenames("Editors") == {"add_page", "change_page", "lock_page"}
    assert codenames("Moderators") >= {"add_page", "change_page", "publish_page", "unlock_page"}
    for name in ("Editors", "Moderators"):
        assert Group.objects.get(name=name).permissions.filter(codename="access_admin").exists()
    workflow = Workflow.objects.get(workflow_pages__page=root)
    assert workflow.active
    task = workflow.tasks.get().specific
    assert list(task.groups.values_list("name", flat=True)) == ["Moderators"]


def post(client, page, data):
    return client.post(reverse("wagtailadmin_pages:edit", args=[page.pk]), data)


def errors(response):
    html = BeautifulSoup(response.content, "html.parser")
    return " ".join(html.select_one("main").get_text(" ").split())


def test_a_blank_statement_is_rejected_with_a_clear_message(admin_client, module):
    aspect = module.aspects[0]
    data = edit_form_data(admin_client, aspect)
    data["statements-0-statement"] = "   \n  "
    response = post(admin_client, aspect, data)
    assert response.status_code == 200
    assert "Write the statement for this role, or delete the row." in errors(response)


def test_a_role_cannot_appear_twice_on_one_aspect(admin_client, module):
    aspect = module.aspects[0]
    data = edit_form_data(admin_client, aspect)
    data["statements-1-role"] = data["statements-0-role"]
    response = post(admin_client, aspect, data)
    assert response.status_code == 200
    assert f"{module.roles[0].title} already has a statement on this aspect" in errors(response)


def test_the_matrix_shows_published_statements_drafts_and_gaps(admin_client, module):
    extra = factories.RolePageFactory(parent=module.role_index, title="Engineering Manager")
    aspect = module.aspects[0]
    draft = aspect.get_latest_revision_as_object()
    rows = list(draft.statements.all())
    rows[0].statement = "A draft wording"
    draft.statements = rows
    draft.save_revision()

    response = admin_client.get(reverse("comparison_matrix"))
    assert response.status_code == 200
    html = BeautifulSoup(response.content, "html.parser")
    headers = [th.get_text(" ", strip=True) for th in html.select("thead th")]
    assert headers[1:] == [r.title for r in module.roles] + ["Engineering Manager"]
    first_row = html.select("tbody tr")[0]
    assert "A draft wording" in first_row.select_one(".matrix__draft").get_text()
    assert f"{module.roles[0].title} on aspect 0" in first_row.get_text()
    assert len(html.select(".matrix__missing")) == len(module.aspects)  # the new role's column
    edit = reverse("wagtailadmin_pages:edit", args=[aspect.pk])
    assert first_row.find("a", href=edit)
    assert extra.title in html.get_text()


def test_the_matrix_is_in_the_admin_menu_for_editors(editor_client, module):
    home = editor_client.get(reverse("wagtailadmin_home")).content.decode()
    assert reverse("comparison_matrix") in home
    assert editor_client.get(reverse("comparison_matrix")).status_code == 200


def test_dashboard_lists_drafts_moderation_and_scheduled_pages(
    editor_client, moderator_client, module
):
    draft_lesson = factories.LessonPageFactory(parent=module.home, live=False, title="New lesson")
    submitted = module.aspects[0]
    data = edit_form_data(editor_client, submitted)
    data["action-submit"] = "submit"
    post(editor_client, submitted, data)
    scheduled = module.roles[1].get_latest_revision_as_object()
    scheduled.go_live_at = timezone.now() + datetime.timedelta(days=1)
    scheduled.save_revision().publish()

    html = BeautifulSoup(moderator_client.get(reverse("wagtailadmin_home")).content, "html.parser")
    panel = html.select_one("#module-status-section")
    assert panel, "the dashboard shows the module status panel"
    sections = {s.h3.get_text(): s.get_text(" ") for s in panel.select("section")}
    assert draft_lesson.title in sections["In draft (3)"]
    assert submitted.title in sections["Awaiting moderation (1)"]
    assert module.roles[1].title in sections["Scheduled (1)"]


def test_locking_comments_and_concurrent_editing_work_for_every_page_type(admin_client, module):
    for page in module.one_of_each().values():
        edit_url = reverse("wagtailadmin_pages:edit", args=[page.pk])
        html = admin_client.get(edit_url).content.decode()
        assert 'id="comments-data"' in html, page  # comments on fields are enabled
        assert "/admin/editing-sessions/ping/" in html, page  # concurrent-editing notices
        assert (
            admin_client.post(reverse("wagtailadmin_pages:lock", args=[page.pk])).status_code
            == 302
        )
        page.refresh_from_db()
        assert page.locked, page
        admin_client.post(reverse("wagtailadmin_pages:unlock", args=[page.pk]))


def test_every_page_type_ends_its_edit_form_with_the_change_note(admin_client, module):
    """The note is declared once, on ModuleBasePage: last on the Content tab of every page
    type's edit form, next to the publish button it describes, and writable over the API."""
    for model, page in module.one_of_each().items():
        response = admin_client.get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
        tab = BeautifulSoup(response.content, "html.parser").select_one("#tab-content")
        fields = tab.select("input[name], textarea[name], select[name]")
        assert (fields[0]["name"], fields[-1]["name"]) == ("title", "change_note"), model
        label = tab.find("label", attrs={"for": "id_change_note"}).get_text(" ", strip=True)
        assert label.startswith("Change note (public, optional)"), model
        notes = [field for field in model.api_fields if field.name == "change_note"]
        assert len(notes) == 1 and notes[0].writable, model


def test_a_new_page_type_gets_the_change_note_without_declaring_it():
    from django.db import models
    from wagtail.admin.panels import FieldPanel
    from wagtail.api import APIField

    from roles.models.base import ModuleBasePage

    class GlossaryPage(ModuleBasePage):
        term = models.CharField(max_length=50)

        content_panels = Page.content_panels + [FieldPanel("term")]
        api_fields = [APIField("term", writable=True)]

        class Meta:
            abstract = True  # not registered: nothing to migrate
            app_label = "roles"

    class PlainPage(ModuleBasePage):  # declares no panels or API fields of its own
        class Meta:
            abstract = True
            app_label = "roles"

    panels = [getattr(panel, "field_name", None) for panel in GlossaryPage.content_panels]
    assert panels[-2:] == ["term", "change_note"]
    assert [(f.name, f.writable) for f in GlossaryPage.api_fields] == [
        ("term", True),
        ("change_note", True),
    ]
    assert [getattr(p, "field_name", None) for p in PlainPage.content_panels][-1] == "change_note"
    assert [f.name for f in PlainPage.api_fields] == ["change_note"]
