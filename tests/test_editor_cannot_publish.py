"""An editor cannot publish by any path: every way into "live" that Wagtail and this project
offer, tried by an editor and, as the control that shows the attempt is real, by a moderator.

Each path is tried on a page that was never published and on a live page with a newer draft;
afterwards learners must see exactly what they saw before, unless a moderator did it.
"""

import datetime
import json
from unittest import mock

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from wagtail.models import APIToken, Page, Site, WorkflowState
from wagtail.test.utils.form_data import querydict_from_html

from tests import factories
from tests.conftest import edit_form_data, logged_in

pytestmark = pytest.mark.django_db

WORDING = "Wording nobody has approved"
PAST = (timezone.now() - datetime.timedelta(days=1)).strftime("%Y-%m-%d %H:%M")


def edit(client, page, **extra):
    data = edit_form_data(client, page)
    data["definition"] = WORDING
    data.update(extra)
    return client.post(reverse("wagtailadmin_pages:edit", args=[page.pk]), data)


def api(client, user, method, path, body):
    _, token = APIToken.create_token(user=user, name="attempt")
    return getattr(client, method)(
        path,
        data=json.dumps(body),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )


def admin_publish_button(client, page):
    return edit(client, page, **{"action-publish": "publish"})


def publish_with_a_past_go_live_date(client, page):
    return edit(client, page, go_live_at=PAST, **{"action-publish": "publish"})


def approve_own_submission(client, page):
    edit(client, page, **{"action-submit": "submit"})
    state = WorkflowState.objects.active().get(object_id=str(page.pk)).current_task_state
    url = reverse("wagtailadmin_pages:workflow_action", args=[page.pk, "approve", state.pk])
    return client.post(url, {"comment": "Looks good to me"})


def bulk_publish(client, page):
    url = reverse("wagtail_bulk_action", args=["wagtailcore", "page", "publish"])
    return client.post(f"{url}?id={page.pk}&next=/admin/", {"include_descendants": "on"})


def bulk_publish_everything_under_the_home(client, page):
    url = reverse("wagtail_bulk_action", args=["wagtailcore", "page", "publish"])
    home = page.get_parent().get_parent()
    return client.post(f"{url}?id=all&childOf={home.pk}", {"include_descendants": "on"})


def revert_and_publish(client, page):
    edit(client, page)  # a second revision to go back from
    revert = reverse(
        "wagtailadmin_pages:revisions_revert", args=[page.pk, page.latest_revision_id]
    )
    data = querydict_from_html(client.get(revert).content.decode(), form_id="page-edit-form")
    data["definition"] = WORDING
    data["action-publish"] = "publish"
    return client.post(revert, data)


def admin_copy_keeping_it_live(client, page):
    url = reverse("wagtailadmin_pages:copy", args=[page.pk])
    return client.post(
        url,
        {
            "new_title": WORDING,
            "new_slug": "copied",
            "new_parent_page": page.get_parent().pk,
            "publish_copies": "on",
            "copy_subpages": "",
        },
    )


def api_publish_action(client, page):
    return api(client, client.user, "post", f"/api/v3/pages/{page.pk}/actions/publish/", {})


def api_patch_with_publish(client, page):
    body = {"definition": WORDING, "meta": {"action": "publish"}}
    return api(client, client.user, "patch", f"/api/v3/pages/{page.pk}/", body)


def api_patch_with_live_fields(client, page):
    body = {
        "definition": WORDING,
        "live": True,
        "has_unpublished_changes": False,
        "live_revision": page.latest_revision_id,
        "first_published_at": timezone.now().isoformat(),
        "go_live_at": (timezone.now() - datetime.timedelta(days=1)).isoformat(),
    }
    return api(client, client.user, "patch", f"/api/v3/pages/{page.pk}/", body)


def draft_with_go_live_date_then_scheduler(client, page):
    """A go-live date on a draft is only a wish: the scheduler publishes approved revisions."""
    response = edit(client, page, go_live_at=PAST)
    later = timezone.now() + datetime.timedelta(days=3)
    with mock.patch("django.utils.timezone.now", return_value=later):
        call_command("publish_scheduled", verbosity=0)
    return response


# (path, does a moderator taking it publish? True, False, or only on one kind of page)
PATHS = [
    (admin_publish_button, True),
    (publish_with_a_past_go_live_date, True),
    (approve_own_submission, True),
    (bulk_publish, True),
    (bulk_publish_everything_under_the_home, "new page"),  # only drafts below are included
    (revert_and_publish, True),
    (admin_copy_keeping_it_live, "live page"),  # a copy of a draft is a draft
    (api_publish_action, True),
    (api_patch_with_publish, True),
    (api_patch_with_live_fields, False),  # the fields are read-only for everyone
    (draft_with_go_live_date_then_scheduler, False),  # nobody approved it
]


def small_tree():
    """Home and the role index: the least a role page needs to be served."""
    home = factories.ModulePageFactory(parent=Page.get_first_root_node())
    Site.objects.filter(is_default_site=True).update(root_page=home)
    return factories.RoleIndexPageFactory(parent=home)


def learners_see():
    return set(Page.objects.live().values_list("pk", "live_revision_id", "title"))


@pytest.mark.parametrize("never_published", [True, False], ids=["new page", "live page"])
@pytest.mark.parametrize("who", ["editor", "moderator"])
@pytest.mark.parametrize("attempt, moderator_publishes", PATHS, ids=[p[0].__name__ for p in PATHS])
def test_only_a_moderator_publishes(request, attempt, moderator_publishes, who, never_published):
    roles = small_tree()
    page = factories.RolePageFactory(parent=roles, live=not never_published)
    draft = page.get_latest_revision_as_object()
    draft.definition = WORDING  # the pending change every path tries to put live
    draft.save_revision()
    client = logged_in(request.getfixturevalue(who))
    before = learners_see()

    response = attempt(client, page)
    assert response.status_code < 500

    page.refresh_from_db()
    label = "new page" if never_published else "live page"
    if who == "moderator" and moderator_publishes in (True, label):
        assert learners_see() != before, "the control failed: this path does not publish"
    else:
        assert learners_see() == before
        assert page.live != never_published
        assert not Page.objects.filter(live=True, title=WORDING).exists()
        assert WORDING not in Client().get(roles.url).content.decode()
