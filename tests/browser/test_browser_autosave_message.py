"""A refused publish, then Wagtail's autosave: one consistent message, not a red "could not be
saved" beside a green "Saved" (static/js/admin-autosave-message.js)."""

import pytest
from playwright.sync_api import expect

from roles.models import RolePage
from tests import factories
from tests.browser.test_browser_editor import sign_in
from tests.conftest import build_module

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("wagtail_root"),
]


def test_a_refused_publish_that_autosave_keeps_as_a_draft_says_so(browser, live_server):
    module = build_module(roles=2, aspects=2, lessons=1)
    moderator = factories.UserFactory(groups=["Moderators"])
    manager = factories.RolePageFactory(
        parent=module.role_index, title="Engineering Manager", live=False
    )
    mo = sign_in(browser, live_server, moderator)
    mo.goto(f"{live_server.url}/admin/pages/{manager.pk}/edit/")
    mo.get_by_role("button", name="More actions").click()
    mo.locator("button[name=action-publish]").click()

    error = mo.locator(".messages li.error")
    expect(error).to_contain_text("it has no statement on 2 published aspects")
    # Wagtail's autosave stores the same changes as a draft straight away...
    expect(mo.get_by_text("Saved", exact=True)).to_be_visible(timeout=10_000)
    # ... and the message says so, keeping what publishing still needs.
    expect(error).to_contain_text("Your changes are saved as a draft, but not published")
    expect(error).not_to_contain_text("could not be saved")
    expect(error).to_contain_text("it has no statement on 2 published aspects")
    assert not RolePage.objects.get(pk=manager.pk).live
