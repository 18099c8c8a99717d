"""Moderation: editors submit, moderators publish; scheduling, locking and the audit log."""

import datetime
from unittest import mock

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from wagtail.actions.publish_revision import PublishPermissionError
from wagtail.models import PageLogEntry, Revision, WorkflowState
from wagtail.test.utils.form_data import querydict_from_html

from tests.conftest import edit_form_data

pytestmark = pytest.mark.django_db

NEW = "Owns the program roadmap across every related project"


def post_edit(client, page, **actions):
    data = edit_form_data(client, page)
    data["statements-0-statement"] = NEW
    data.update({f"action-{name}": name for name in actions})
    return client.post(reverse("wagtailadmin_pages:edit", args=[page.pk]), data)


def public(client, module):
    return client.get(module.comparison.url).content.decode()


def task_state(page):
    return WorkflowState.objects.active().get(object_id=str(page.pk)).current_task_state


def workflow_action(client, page, action, comment=""):
    state = task_state(page)
    url = reverse("wagtailadmin_pages:workflow_action", args=[page.pk, action, state.pk])
    return client.post(url, {"comment": comment})


def actions(page):
    return list(PageLogEntry.objects.filter(page=page).values_list("action", flat=True))


def test_an_editor_cannot_publish_through_the_editor(editor_client, client, module):
    aspect = module.aspects[0]
    assert not aspect.permissions_for_user(editor_client.user).can_publish()
    post_edit(editor_client, aspect, publish=True)
    aspect.refresh_from_db()
    assert aspect.has_unpublished_changes  # kept as a draft, not published
    assert NEW not in public(client, module)


def test_an_editor_cannot_publish_through_the_model_either(editor, module):
    aspect = module.aspects[0]
    revision = aspect.save_revision(user=editor)
    with pytest.raises(PublishPermissionError):
        revision.publish(user=editor)
    aspect.refresh_from_db()
    assert aspect.live_revision_id != revision.pk


def test_an_editor_cannot_unpublish_revert_or_approve(editor_client, client, module):
    aspect = module.aspects[0]
    unpublish = reverse("wagtailadmin_pages:unpublish", args=[aspect.pk])
    assert editor_client.post(unpublish).status_code in (302, 403)
    aspect.refresh_from_db()
    assert aspect.live
    post_edit(editor_client, aspect, submit=True)
    response = workflow_action(editor_client, aspect, "approve")
    assert response.status_code in (302, 403)
    assert NEW not in public(client, module)
    assert WorkflowState.objects.active().filter(object_id=str(aspect.pk)).exists()


def test_submit_then_approve_publishes_with_the_change_note(
    editor_client, moderator_client, client, module
):
    aspect = module.aspects[0]
    data = edit_form_data(editor_client, aspect)
    data["statements-0-statement"] = NEW
    data["change_note"] = "Clarified the roadmap statement"
    data["action-submit"] = "submit"
    editor_client.post(reverse("wagtailadmin_pages:edit", args=[aspect.pk]), data)
    assert NEW not in public(client, module)

    assert workflow_action(moderator_client, aspect, "approve").status_code == 302
    html = client.get(aspect.url).content.decode()
    assert NEW in public(client, module)
    assert "Clarified the roadmap statement" in html
    assert {"wagtail.workflow.start", "wagtail.workflow.approve", "wagtail.publish"} <= set(
        actions(aspect)
    )


def test_a_moderator_can_request_changes_and_the_editor_sees_the_comment(
    editor_client, moderator_client, client, module
):
    aspect = module.aspects[0]
    post_edit(editor_client, aspect, submit=True)
    comment = "Please keep the wording of the article for Scope"
    assert workflow_action(moderator_client, aspect, "reject", comment).status_code == 302

    assert NEW not in public(client, module)
    assert "wagtail.workflow.reject" in actions(aspect)
    # The editor's next visit to the page shows who asked for changes, and why.
    edit_page = editor_client.get(reverse("wagtailadmin_pages:edit", args=[aspect.pk]))
    html = edit_page.content.decode()
    assert "Changes requested by Mo Moderator" in html
    assert comment in html


def test_a_moderator_publishes_directly(moderator_client, client, module):
    aspect = module.aspects[0]
    assert post_edit(moderator_client, aspect, publish=True).status_code == 302
    assert NEW in public(client, module)


def test_scheduled_go_live_publishes_when_the_time_comes(client, module):
    lesson = module.lessons[0]
    lesson.title = "Scheduled title"
    lesson.go_live_at = timezone.now() + datetime.timedelta(days=2)
    lesson.save_revision().publish()
    assert "wagtail.publish.schedule" in actions(lesson)
    assert "Scheduled title" not in client.get(module.home.url).content.decode()

    call_command("publish_scheduled", verbosity=0)  # not yet
    assert "Scheduled title" not in client.get(module.home.url).content.decode()

    later = timezone.now() + datetime.timedelta(days=3)
    with mock.patch("django.utils.timezone.now", return_value=later):
        call_command("run_scheduler", once=True, verbosity=0)
    assert "Scheduled title" in client.get(module.home.url).content.decode()
    assert "wagtail.publish.scheduled" in actions(lesson)


def test_expiry_unpublishes_when_the_time_comes(client, module):
    aspect = module.aspects[0]
    aspect.expire_at = timezone.now() + datetime.timedelta(hours=1)
    aspect.save_revision().publish()
    later = timezone.now() + datetime.timedelta(hours=2)
    with mock.patch("django.utils.timezone.now", return_value=later):
        call_command("publish_scheduled", verbosity=0)
    aspect.refresh_from_db()
    assert not aspect.live and aspect.expired
    assert aspect.title not in public(client, module)
    assert "wagtail.unpublish.scheduled" in actions(aspect)


def test_locking_is_audited_and_stops_other_editors(editor_client, moderator_client, module):
    role = module.roles[0]
    assert (
        editor_client.post(reverse("wagtailadmin_pages:lock", args=[role.pk])).status_code == 302
    )
    role.refresh_from_db()
    assert role.locked and role.locked_by == editor_client.user
    assert "wagtail.lock" in actions(role)
    assert role.get_lock().for_user(moderator_client.user)  # others see it locked
    assert not role.get_lock().for_user(editor_client.user)  # ... but not its holder
    unlock = reverse("wagtailadmin_pages:unlock", args=[role.pk])
    assert moderator_client.post(unlock).status_code == 302
    role.refresh_from_db()
    assert not role.locked
    assert "wagtail.unlock" in actions(role)


def test_every_audited_action_appears_in_site_history(
    admin_client, editor_client, moderator_client, module
):
    aspect = module.aspects[0]
    first = aspect.live_revision
    post_edit(editor_client, aspect, submit=True)
    workflow_action(moderator_client, aspect, "approve")
    post_edit(editor_client, aspect, submit=True)
    workflow_action(moderator_client, aspect, "reject", "Not yet")
    moderator_client.post(reverse("wagtailadmin_pages:unpublish", args=[aspect.pk]))
    revert = reverse("wagtailadmin_pages:revisions_revert", args=[aspect.pk, first.pk])
    data = querydict_from_html(
        moderator_client.get(revert).content.decode(), form_id="page-edit-form"
    )
    data["action-publish"] = "publish"
    moderator_client.post(revert, data)  # the revert form posts back to its own address
    moderator_client.post(reverse("wagtailadmin_pages:lock", args=[aspect.pk]))
    scheduled = aspect.get_latest_revision_as_object()
    scheduled.go_live_at = timezone.now() + datetime.timedelta(days=1)
    scheduled.save_revision(user=moderator_client.user).publish(user=moderator_client.user)

    expected = {
        "wagtail.workflow.start": editor_client.user,
        "wagtail.workflow.approve": moderator_client.user,
        "wagtail.workflow.reject": moderator_client.user,
        "wagtail.unpublish": moderator_client.user,
        "wagtail.revert": moderator_client.user,
        "wagtail.lock": moderator_client.user,
        "wagtail.publish.schedule": moderator_client.user,
    }
    logged = actions(aspect)
    for action, user in expected.items():
        assert action in logged, f"{action} not in {logged}"
        entry = PageLogEntry.objects.filter(page=aspect, action=action).latest("timestamp")
        assert entry.user_id == user.pk, action
        assert entry.timestamp <= timezone.now()
    assert PageLogEntry.objects.filter(page=aspect, action="wagtail.publish").exists()

    report = admin_client.get(reverse("wagtailadmin_reports:site_history")).content.decode()
    for label in ("Unpublished", "Locked", "Approved", "Rejected", "Reverted"):
        assert label in report, label


def test_a_scheduler_run_that_fails_half_way_publishes_nothing(client, module, capsys):
    lessons = module.lessons[:2]
    for lesson in lessons:
        lesson.title = f"Scheduled {lesson.slug}"
        lesson.go_live_at = timezone.now() + datetime.timedelta(days=1)
        lesson.save_revision().publish()
    publish = Revision.publish
    calls = []

    def fail_second(self, *args, **kwargs):
        calls.append(self)
        if len(calls) == 2:
            raise RuntimeError("storage unavailable")
        return publish(self, *args, **kwargs)

    later = timezone.now() + datetime.timedelta(days=2)
    with (
        mock.patch("django.utils.timezone.now", return_value=later),
        mock.patch.object(Revision, "publish", fail_second),
    ):
        call_command("run_scheduler", once=True, verbosity=0)
    assert len(calls) == 2
    assert "publish_scheduled failed: storage unavailable" in capsys.readouterr().err
    home = client.get(module.home.url).content.decode()
    for lesson in lessons:
        assert lesson.title not in home
        assert "wagtail.publish.scheduled" not in actions(lesson)
