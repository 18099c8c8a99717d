"""Editing the comparison from the admin's matrix (issue 16): a cell saved as a new revision of
its aspect, with the page editor's validation, permissions and workflow; each cell's state; and
publishing or submitting a column, or every change, at once."""

import datetime
from urllib.parse import parse_qs, urlsplit

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from wagtail.models import PageLogEntry, WorkflowState

from tests import factories
from tests.conftest import edit_form_data, logged_in

pytestmark = pytest.mark.django_db

JSON = {"HTTP_ACCEPT": "application/json"}
NEW = "Owns the roadmap of every project in the program"


def cell_url(aspect, role):
    return reverse("comparison_matrix_cell", args=[aspect.pk, role.pk])


def save(client, aspect, role, text=NEW, action="save", **extra):
    return client.post(cell_url(aspect, role), {"statement": text, "action": action}, **extra)


def latest_statements(aspect):
    aspect.refresh_from_db()
    draft = aspect.get_latest_revision_as_object()
    return {s.role_id: s.statement for s in draft.statements.all()}


def live_statements(aspect):
    return dict(aspect.statements.values_list("role_id", "statement"))


def public(client, module):
    return client.get(module.comparison.url).content.decode()


def matrix(client):
    response = client.get(reverse("comparison_matrix"))
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def cell(html, aspect, role):
    form = html.find("form", action=cell_url(aspect, role))
    return form.find_parent("td") if form else None


def actions(page):
    return list(PageLogEntry.objects.filter(page=page).values_list("action", flat=True))


def add_role(module, title="Engineering Manager", live=True):
    return factories.RolePageFactory(parent=module.role_index, title=title, live=live)


def test_an_editors_save_is_a_new_draft_revision_and_learners_see_no_change(
    editor_client, client, module
):
    aspect, role = module.aspects[0], module.roles[0]
    before = aspect.revisions.count()
    response = save(editor_client, aspect, role, **JSON)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["ok"] and body["state"] == "draft" and body["label"] == "Draft differs"
    assert body["who"] == "Eddie Editor"
    assert aspect.revisions.count() == before + 1
    assert latest_statements(aspect)[role.pk] == NEW
    assert live_statements(aspect)[role.pk] == f"{role.title} on aspect 0"  # unchanged
    assert NEW not in public(client, module)
    assert aspect.latest_revision.user == editor_client.user
    assert "wagtail.edit" in actions(aspect)
    # The other role's cell is as it was, in the draft too (positive control of the edit).
    assert latest_statements(aspect)[module.roles[1].pk] == f"{module.roles[1].title} on aspect 0"
    td = cell(matrix(editor_client), aspect, role)
    assert td["data-state"] == "draft" and NEW in td.get_text()


def test_a_moderator_publishes_a_cell_and_learners_see_it(moderator_client, client, module):
    aspect, role = module.aspects[1], module.roles[1]
    response = save(moderator_client, aspect, role, action="publish", **JSON)
    assert response.status_code == 200 and response.json()["state"] == "published"
    assert NEW in public(client, module)
    assert live_statements(aspect)[role.pk] == NEW
    assert "wagtail.publish" in actions(aspect)


def test_an_editor_cannot_publish_a_cell(editor_client, client, module):
    aspect, role = module.aspects[0], module.roles[0]
    before = aspect.revisions.count()
    response = save(editor_client, aspect, role, action="publish", **JSON)
    assert response.status_code == 403
    assert "submit it for moderation" in response.json()["errors"][0]
    assert aspect.revisions.count() == before
    assert NEW not in public(client, module)
    # Without JavaScript: refused too.
    response = save(editor_client, aspect, role, action="publish", follow=True)
    assert "You may not publish" in response.content.decode()
    assert aspect.revisions.count() == before


def test_a_blank_statement_is_refused_with_the_editors_message_and_nothing_saved(
    moderator_client, module
):
    aspect, role = module.aspects[0], module.roles[0]
    before = aspect.revisions.count()
    response = save(moderator_client, aspect, role, text="   ", action="publish", **JSON)
    assert response.status_code == 400
    assert "Write the statement for this role" in " ".join(response.json()["errors"])
    assert aspect.revisions.count() == before
    assert latest_statements(aspect)[role.pk] == f"{role.title} on aspect 0"


def test_a_user_without_edit_permission_is_refused(db, module):
    viewer = factories.UserFactory()
    viewer.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client = logged_in(viewer)
    aspect, role = module.aspects[0], module.roles[0]
    before = aspect.revisions.count()
    assert save(client, aspect, role, **JSON).status_code == 403
    assert "You may not edit" in save(client, aspect, role, follow=True).content.decode()
    assert aspect.revisions.count() == before
    html = matrix(client)
    assert not html.select("form[data-matrix-cell]")  # no forms offered either


def test_a_locked_aspect_is_refused_to_others(editor_client, moderator_client, module):
    aspect, role = module.aspects[0], module.roles[0]
    moderator_client.post(reverse("wagtailadmin_pages:lock", args=[aspect.pk]))
    response = save(editor_client, aspect, role, **JSON)
    assert response.status_code == 423
    assert latest_statements(aspect)[role.pk] != NEW
    assert save(moderator_client, aspect, role, **JSON).status_code == 200  # its holder may


def test_a_missing_cell_is_added_as_a_row_for_the_role(moderator_client, client, module):
    extra = add_role(module)
    aspect = module.aspects[0]
    html = matrix(moderator_client)
    assert cell(html, aspect, extra)["data-state"] == "missing"
    assert "Incomplete: 2 missing statements" in html.get_text()
    response = save(moderator_client, aspect, extra, text="Leads the engineers", **JSON)
    assert response.status_code == 200, response.content
    assert latest_statements(aspect)[extra.pk] == "Leads the engineers"
    assert len(latest_statements(aspect)) == 3  # added, the others kept
    assert "Incomplete: 1 missing statement" in matrix(moderator_client).get_text()


def test_without_javascript_the_form_posts_and_the_matrix_says_what_happened(
    editor_client, module
):
    aspect, role = module.aspects[0], module.roles[0]
    response = save(editor_client, aspect, role, follow=True)
    assert response.redirect_chain[-1][0] == reverse("comparison_matrix")
    assert f"Saved as a draft: {aspect.title}, {role.title}." in response.content.decode()
    response = save(editor_client, aspect, role, text="", follow=True)
    assert "Write the statement for this role" in response.content.decode()


def test_each_cell_links_to_the_aspects_editor_at_its_role_and_back(editor_client, module):
    html = matrix(editor_client)
    for aspect in module.aspects:
        for role in module.roles:
            link = cell(html, aspect, role).find("a", class_="matrix__open")
            url = urlsplit(link["href"])
            assert url.path == reverse("wagtailadmin_pages:edit", args=[aspect.pk])
            query = parse_qs(url.query)
            assert query["role"] == [str(role.pk)]
            assert query["next"] == [reverse("comparison_matrix")]


def test_saving_in_the_editor_opened_from_the_matrix_comes_back_to_it(editor_client, module):
    aspect = module.aspects[0]
    edit = reverse("wagtailadmin_pages:edit", args=[aspect.pk])
    data = edit_form_data(editor_client, aspect)
    data["statements-0-statement"] = NEW
    data["next"] = reverse("comparison_matrix")
    response = editor_client.post(edit, data)
    assert response.status_code == 302 and response["Location"] == reverse("comparison_matrix")
    data.pop("next")  # a positive control: without it, Wagtail stays in the editor
    response = editor_client.post(edit, data)
    assert response["Location"].startswith(edit)


def test_cell_states_published_draft_moderation_scheduled_and_missing(
    editor_client, moderator_client, module
):
    extra = add_role(module, live=False)  # a draft role: submitting an aspect is not blocked
    one, two = module.aspects
    first, second = module.roles
    response = save(editor_client, one, first, text="Submitted wording", action="submit", **JSON)
    assert response.json().get("state") == "moderation", response.json()
    save(editor_client, two, first, text="A draft wording")
    later = timezone.now() + datetime.timedelta(days=2)
    draft = second.get_latest_revision_as_object()
    planned = two.get_latest_revision_as_object()
    planned.go_live_at = later
    rows = list(planned.statements.all())
    rows[1].statement = "Scheduled wording"
    planned.statements = rows
    planned.save_revision(user=moderator_client.user).publish(user=moderator_client.user)
    assert draft  # (the role itself is untouched)

    html = matrix(moderator_client)
    states = {
        (a.pk, r.pk): cell(html, a, r)["data-state"]
        for a in module.aspects
        for r in [first, second, extra]
    }
    assert states[(one.pk, first.pk)] == "moderation"
    assert states[(one.pk, second.pk)] == "published"
    assert states[(one.pk, extra.pk)] == "missing"
    assert states[(two.pk, second.pk)] == "scheduled"
    scheduled = cell(html, two, second).get_text(" ", strip=True)
    assert "Scheduled wording" in scheduled and "goes live" in scheduled
    moderation = cell(html, one, first).get_text(" ", strip=True)
    assert "In moderation" in moderation and "Eddie Editor" in moderation


def test_a_moderator_publishes_a_column_each_aspect_as_by_hand(
    editor_client, moderator_client, client, module
):
    first, second = module.roles
    one, two = module.aspects
    save(editor_client, one, first, text="Column wording one")
    save(editor_client, two, first, text="Column wording two")
    other = factories.AspectPageFactory(
        parent=module.comparison, statements={first: "Kept", second: "Kept too"}
    )
    save(editor_client, other, second, text="Another column's draft")

    url = reverse("comparison_matrix_bulk") + f"?action=publish&role={first.pk}"
    confirm = moderator_client.get(url).content.decode()
    assert one.title in confirm and two.title in confirm and other.title not in confirm
    response = moderator_client.post(url, follow=True)
    text = response.content.decode()
    assert "Published: " in text
    page = public(client, module)
    assert "Column wording one" in page and "Column wording two" in page
    assert "Another column&#x27;s draft" not in page and "Another column's draft" not in page
    for aspect in (one, two):
        assert actions(aspect).count("wagtail.publish") == 2  # the factory's, and this one
    assert actions(other).count("wagtail.publish") == 1


def test_an_editor_submits_every_change_and_cannot_publish_them(editor_client, client, module):
    one, two = module.aspects
    save(editor_client, one, module.roles[0], text="Submitted one")
    save(editor_client, two, module.roles[1], text="Submitted two")
    html = matrix(editor_client)
    assert not html.find("a", string=lambda s: s and s.startswith("Publish all"))

    url = reverse("comparison_matrix_bulk") + "?action=publish"
    response = editor_client.post(url, follow=True).content.decode()
    assert "Not published: " in response
    assert "Submitted one" not in public(client, module)

    url = reverse("comparison_matrix_bulk") + "?action=submit"
    response = editor_client.post(url, follow=True).content.decode()
    assert "Submitted for moderation: " in response
    for aspect in (one, two):
        assert WorkflowState.objects.active().filter(object_id=str(aspect.pk)).exists()
        assert "wagtail.workflow.start" in actions(aspect)
    assert "Submitted one" not in public(client, module)
    again = editor_client.post(url, follow=True).content.decode()
    assert "Not submitted for moderation" in again, again


def test_hostile_wording_is_escaped_in_the_matrix(moderator_client, module):
    aspect, role = module.aspects[0], module.roles[0]
    save(moderator_client, aspect, role, text=factories.hostile("cell"))
    response = moderator_client.get(reverse("comparison_matrix")).content.decode()
    assert "<script>alert(" not in response
    assert "&lt;script&gt;alert(" in response


def test_the_matrix_reads_in_a_bounded_number_of_queries(moderator_client, module):
    def count():
        with CaptureQueriesContext(connection) as queries:
            assert moderator_client.get(reverse("comparison_matrix")).status_code == 200
        return len(queries)

    save(moderator_client, module.aspects[0], module.roles[0])
    small = count()
    for i in range(4):
        aspect = factories.AspectPageFactory(
            parent=module.comparison, statements={r: f"Row {i}" for r in module.roles}
        )
        save(moderator_client, aspect, module.roles[0])
    assert count() == small


def test_saves_on_a_draft_with_a_new_row_keep_every_row_once(moderator_client, module):
    """A row added in a draft has no id until published: later saves must neither lose it
    nor add it twice."""
    extra = add_role(module, live=False)
    aspect, first = module.aspects[0], module.roles[0]
    assert save(moderator_client, aspect, extra, text="Added", **JSON).status_code == 200
    assert save(moderator_client, aspect, first, text="Changed", **JSON).status_code == 200
    assert save(moderator_client, aspect, extra, text="Added, reworded", **JSON).status_code == 200
    statements = latest_statements(aspect)
    assert statements[extra.pk] == "Added, reworded" and statements[first.pk] == "Changed"
    draft = aspect.get_latest_revision_as_object()
    assert draft.statements.count() == 3


def test_a_cell_save_changes_nothing_else_and_starts_a_new_change_note(moderator_client, module):
    aspect, role = module.aspects[0], module.roles[0]
    page = aspect.get_latest_revision_as_object()
    page.explanation = factories.hostile_rich("explanation")
    page.change_note = "An earlier change"
    page.save_revision().publish()
    save(moderator_client, aspect, role, action="publish", **JSON)
    aspect.refresh_from_db()
    assert aspect.statements.get(role=role).statement == NEW
    assert aspect.explanation == factories.hostile_rich("explanation")
    assert aspect.title == page.title
    assert aspect.change_note == ""  # as the editor's form: a new change, a new note


def test_a_change_note_typed_in_the_cell_is_published_with_it(moderator_client, client, module):
    aspect, role = module.aspects[0], module.roles[0]
    note = "Clarified the roadmap statement"
    response = moderator_client.post(
        cell_url(aspect, role),
        {"statement": NEW, "action": "publish", "change_note": note},
        **JSON,
    )
    assert response.status_code == 200
    aspect.refresh_from_db()
    assert aspect.change_note == note
    assert note in client.get(aspect.url).content.decode()


def test_a_cells_save_keeps_the_infographics_phrases_values_and_scale(moderator_client, module):
    one, two = module.roles
    aspect = factories.AspectPageFactory(
        parent=module.comparison,
        scaled=True,
        statements={
            one: {"statement": "Broad", "phrase": "Many projects", "value": 5},
            two: {"statement": "Narrow", "phrase": "One project", "value": 2},
        },
    )

    assert save(moderator_client, aspect, one, action="publish").status_code in (200, 302)

    aspect.refresh_from_db()
    rows = {s.role_id: (s.statement, s.phrase, s.value) for s in aspect.statements.all()}
    assert rows == {one.pk: (NEW, "Many projects", 5), two.pk: ("Narrow", "One project", 2)}
    assert aspect.scale_label.startswith("How far along scale")
