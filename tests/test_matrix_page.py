"""The admin's matrix as a page (issue 16): each cell's state, escaping, its queries, and
publishing or submitting a column or every change in one action, each aspect as if by hand
(a cell's own save is test_matrix_editing.py)."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from wagtail.models import WorkflowState

from tests import factories
from tests.test_matrix_editing import JSON, actions, add_role, cell, matrix, public, save

pytestmark = pytest.mark.django_db


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
