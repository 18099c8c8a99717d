"""The admin makes no request to another host (issue 16): every request Chromium sends while an
editor or a superuser works is recorded, and any whose host is not the site's fails the test.

Wagtail's defaults would reach out: the dashboard's update check fetches
releases.wagtail.org (superusers only), avatars come from Gravatar. Settings turn both off;
this test is what notices if a Wagtail upgrade or a new admin page brings another one.
"""

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from tests import factories
from tests.browser.test_browser_editor import sign_in
from tests.conftest import build_module

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("wagtail_root"),
]

# Schemes that never leave the browser.
LOCAL_SCHEMES = {"data", "blob", "about"}

# Every <img> as the browser resolved it, srcset candidates included.
IMAGE_URLS = """() => [...document.querySelectorAll('img')].flatMap(img => [
    img.currentSrc || img.src,
    ...(img.srcset || '').split(',').map(c => c.trim().split(/\\s+/)[0]).filter(Boolean)
        .map(u => new URL(u, document.baseURI).href),
])"""


def off_site(urls, live_server):
    """The URLs, in order and without repeats, that point to a host other than the server's."""
    own = urlsplit(live_server.url).netloc
    found = [
        url
        for url in urls
        if urlsplit(url).scheme not in LOCAL_SCHEMES and urlsplit(url).netloc != own
    ]
    return list(dict.fromkeys(found))


def record(context, live_server, requests):
    """Note every request of ``context``; refuse the off-site ones, so a failing run stays
    offline and quick (the browser never waits on a host it cannot reach)."""
    context.on("request", lambda request: requests.append(request.url))
    context.route(lambda url: bool(off_site([url], live_server)), lambda route: route.abort())


def visit(page, url, images):
    """Open ``url``, wait until its scripts' own fetches are over, note its images."""
    page.goto(url)
    # The update check and similar fetches start after load; networkidle waits for them.
    page.wait_for_load_state("networkidle")
    images.extend(page.evaluate(IMAGE_URLS))


def admin_urls(live_server, module, aspect):
    """The admin pages an editor goes through, the module's own pages included."""
    admin = f"{live_server.url}/admin"
    return [
        f"{admin}/",
        f"{admin}/pages/{module.home.pk}/",
        f"{admin}/pages/{module.comparison.pk}/",
        f"{admin}/pages/{aspect.pk}/edit/",
        f"{admin}/pages/{aspect.pk}/history/",
        f"{admin}/pages/{aspect.pk}/revisions/compare/live...latest/",
        f"{admin}/comparison-matrix/",
    ]


@pytest.mark.parametrize("kind", ["editor", "superuser"])
def test_the_admin_requests_nothing_from_another_host(browser, live_server, kind):
    module = build_module(roles=2, aspects=1, lessons=1)
    # A draft newer than the published revision, so the compare view has a change to show.
    aspect = factories.AspectPageFactory(
        parent=module.comparison,
        title="Scope",
        statements={role: f"{role.title} scope" for role in module.roles},
        drafted="Scope, reworded",
    )
    if kind == "superuser":
        user = factories.UserFactory(is_superuser=True, is_staff=True)
    else:
        user = factories.UserFactory(groups=["Editors"])

    requests, images = [], []
    # The sign-in page is seen before sign_in's context exists: a context of its own.
    anonymous = browser.new_context()
    record(anonymous, live_server, requests)
    visit(anonymous.new_page(), f"{live_server.url}/admin/login/", images)
    anonymous.close()

    page = sign_in(browser, live_server, user)
    # Context-level, so requests from frames and workers are recorded too.
    record(page.context, live_server, requests)
    for url in admin_urls(live_server, module, aspect):
        visit(page, url, images)
        if "/revisions/compare/" in url:
            expect(page.locator("main")).to_contain_text("Scope, reworded")

    # The edit view's live preview draws the page in a frame: its requests count too. Wagtail
    # loads it into a second frame and then swaps it in, giving it the id.
    page.goto(f"{live_server.url}/admin/pages/{aspect.pk}/edit/")
    page.get_by_role("button", name="Toggle preview").click()
    preview = page.frame_locator("#w-preview-iframe")
    expect(preview.locator("body")).to_contain_text("Scope")
    page.wait_for_load_state("networkidle")
    # Leave the editor before closing: leaving it releases its editing session with a last
    # request, which must be answered while the test still owns the database (closing on the
    # edit view sent it during the teardown's flush: "database table is locked").
    visit(page, f"{live_server.url}/admin/", images)
    page.wait_for_load_state("networkidle")
    page.context.close()

    assert any(url.startswith(f"{live_server.url}/admin/comparison-matrix/") for url in requests)
    strays = off_site(requests, live_server)
    assert not strays, "requests to other hosts:\n" + "\n".join(strays)
    assert images, "no <img> was seen: the image check checked nothing"
    strays = off_site(images, live_server)
    assert not strays, "<img> pointing to other hosts:\n" + "\n".join(strays)
