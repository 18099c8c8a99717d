"""Editing the comparison from the admin's matrix (issue 16): a cell saved as a new revision of
its aspect, with the page editor's validation, permissions and workflow; each cell's state; and
publishing or submitting a column, or every change, at once."""

from urllib.parse import parse_qs, urlsplit

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Permission
from django.urls import reverse
from wagtail.models import PageLogEntry

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
