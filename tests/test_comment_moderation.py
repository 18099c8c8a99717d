"""The editors' Comments area: the listing, quick moderation, replies, the log, the dashboard,
and who may do any of it (roles/comment_moderation.py)."""

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Permission
from django.urls import reverse
from wagtail.models import ModelLogEntry

from roles.models import Comment
from tests import factories
from tests.conftest import logged_in, soup

pytestmark = pytest.mark.django_db

LIST = "wagtailsnippets_roles_comment:list"
MODERATORS = ["editor_client", "moderator_client"]


def url(name, comment=None):
    args = [comment.pk] if comment else []
    return reverse(f"wagtailsnippets_roles_comment:{name}", args=args)


def listed(client, query=""):
    """The display names in the listing's rows, top to bottom."""
    html = soup(client, reverse(LIST) + query)
    return [
        cell.get_text(strip=True) for cell in html.select("table.listing tbody td.title a span")
    ]


def logs(comment, action):
    return ModelLogEntry.objects.for_instance(comment).filter(action=action)


@pytest.fixture
def comments(module):
    lesson, other = module.lessons[:2]
    return {
        "pending": factories.CommentFactory(page=lesson, name="Pat Pending"),
        "approved": factories.CommentFactory(page=other, name="Abe Approved", status="approved"),
        "spam": factories.CommentFactory(page=lesson, name="Sam Spam", status="spam"),
    }


def test_the_listing_shows_comments_with_page_status_and_excerpt(editor_client, comments):
    long = factories.CommentFactory(page=comments["pending"].page, text="word " * 100)
    html = soup(editor_client, reverse(LIST))
    row = html.find("span", string="Pat Pending").find_parent("tr")
    cells = [cell.get_text(" ", strip=True) for cell in row.find_all("td")]
    page = comments["pending"].page
    assert page.title in cells and "Pending" in cells
    assert comments["pending"].text in cells
    page_link = row.find("a", string=lambda s: s and s.strip() == page.title)
    assert page_link["href"] == reverse("wagtailadmin_pages:edit", args=[page.pk])
    long_row = html.find("span", string=long.name).find_parent("tr")
    assert len(long_row.find_all("td")[-1].get_text(strip=True)) <= 80
    assert "Sam Spam" in listed(editor_client) and "Abe Approved" in listed(editor_client)


def test_the_listing_filters_by_status_and_by_page(editor_client, comments):
    assert listed(editor_client, "?status=pending") == ["Pat Pending"]
    assert listed(editor_client, "?status=spam") == ["Sam Spam"]
    lesson = comments["pending"].page
    assert sorted(listed(editor_client, f"?page={lesson.pk}")) == ["Pat Pending", "Sam Spam"]
    both = f"?page={lesson.pk}&status=pending"
    assert listed(editor_client, both) == ["Pat Pending"]
    # The page filter offers the pages that have comments, not the whole tree.
    options = soup(editor_client, reverse(LIST)).select("select[name=page] option[value]")
    titles = {option.get_text(strip=True) for option in options if option["value"]}
    assert titles == {lesson.title, comments["approved"].page.title}


def test_the_listing_puts_pending_first_then_newest_and_searches(editor_client, module):
    for name, status in [("Old pending", "pending"), ("Newer approved", "approved")]:
        factories.CommentFactory(page=module.lessons[0], name=name, status=status)
    factories.CommentFactory(page=module.lessons[0], name="Newest pending", text="About Gantt")
    assert listed(editor_client) == ["Newest pending", "Old pending", "Newer approved"]
    assert listed(editor_client, "?ordering=name") == [
        "Newer approved",
        "Newest pending",
        "Old pending",
    ]
    assert listed(editor_client, "?q=gantt") == ["Newest pending"]
    assert listed(editor_client, "?q=approv") == ["Newer approved"]  # part of a name


def test_nobody_adds_a_comment_in_the_admin(admin_client, comments):
    html = soup(admin_client, reverse(LIST))
    assert not html.find("a", href=url("add"))
    assert "Add" not in [a.get_text(strip=True) for a in html.select("header a")]
    response = admin_client.post(url("add"), {"page": comments["pending"].page.pk})
    assert response.status_code in (302, 403)
    assert Comment.objects.count() == 3


@pytest.mark.parametrize("who", MODERATORS)
@pytest.mark.parametrize(
    "action, status, message",
    [
        ("approve", "approved", "Approved the comment"),
        ("reject", "rejected", "Rejected the comment"),
        ("spam", "spam", "Marked the comment as spam"),
    ],
)
def test_quick_actions_set_the_status_and_are_logged(
    request, who, action, status, message, comments
):
    client = request.getfixturevalue(who)
    comment = comments["pending"]
    back = "http://testserver" + reverse(LIST) + "?status=pending"
    response = client.post(url(action, comment), {"next": back})
    assert response.status_code == 302 and response["Location"] == back
    comment.refresh_from_db()
    assert comment.status == status
    entry = logs(comment, f"roles.comment.{action}").get()
    assert entry.user == client.user and entry.timestamp
    history = soup(client, reverse("wagtailadmin_reports:site_history"))
    rows = [row.get_text(" ", strip=True) for row in history.select("table.listing tbody tr")]
    assert any(message in row and client.user.get_full_name() in row for row in rows), rows


def test_the_listing_offers_each_action_the_comment_is_not_in_yet(editor_client, comments):
    html = soup(editor_client, reverse(LIST))
    offered = {
        name: {
            button.get_text(strip=True)
            for button in html.select("[data-w-action-url-value]")
            if f"/{comments[name].pk}/" in button["data-w-action-url-value"]
        }
        for name in comments
    }
    assert offered == {
        "pending": {"Approve", "Reject", "Mark as spam"},
        "approved": {"Reject", "Mark as spam"},
        "spam": {"Approve", "Reject"},
    }
    # Posted by Wagtail's w-action controller (with the CSRF token): never a link.
    assert not html.find("a", href=url("approve", comments["pending"]))
    edit = soup(editor_client, url("edit", comments["approved"]))
    header = {b.get_text(strip=True) for b in edit.select("[data-w-action-url-value*=comment]")}
    assert header == {"Reject", "Mark as spam"}


def test_an_action_by_get_is_refused_and_changes_nothing(editor_client, comments):
    comment = comments["pending"]
    assert editor_client.get(url("approve", comment)).status_code == 405
    comment.refresh_from_db()
    assert comment.status == "pending" and not logs(comment, "roles.comment.approve").exists()


def edit(client, comment, **changes):
    data = {f: getattr(comment, f) for f in ("status", "reply", "name", "text")}
    return client.post(url("edit", comment), {**data, **changes})


@pytest.mark.parametrize("who", MODERATORS)
def test_editing_with_a_reply_records_who_replied_and_is_logged(request, who, comments):
    client = request.getfixturevalue(who)
    comment = comments["pending"]
    response = edit(client, comment, status="approved", reply="A program spans projects.")
    assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.status == "approved" and comment.reply == "A program spans projects."
    assert comment.replied_by == client.user
    assert logs(comment, "wagtail.edit").get().user == client.user
    # Another editor fixing a typo in the text leaves the reply's author alone.
    other = logged_in(factories.UserFactory(groups=["Editors"]))
    assert edit(other, comment, text="How does a programme differ?").status_code == 302
    comment.refresh_from_db()
    assert comment.replied_by == client.user and comment.text == "How does a programme differ?"
    # An emptied reply has no author.
    edit(other, comment, reply="")
    comment.refresh_from_db()
    assert comment.replied_by is None


@pytest.mark.parametrize("who", MODERATORS)
def test_deleting_is_logged(request, who, comments):
    client = request.getfixturevalue(who)
    comment = comments["spam"]
    assert client.post(url("delete", comment)).status_code == 302
    assert not Comment.objects.filter(pk=comment.pk).exists()
    assert logs(comment, "wagtail.delete").get().user == client.user


def admin_only_user():
    """Into the admin (for pages, say) but with no right to comments."""
    user = factories.UserFactory()
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    return user


@pytest.mark.parametrize("make_user", [factories.UserFactory, admin_only_user])
def test_a_user_without_the_permissions_cannot_moderate(make_user, comments):
    client = logged_in(make_user())
    comment = comments["pending"]
    refused = (302, 403)
    assert client.get(reverse(LIST)).status_code in refused
    assert client.get(url("edit", comment)).status_code in refused
    assert client.post(url("approve", comment)).status_code in refused
    assert edit(client, comment, status="approved", reply="Sure").status_code in refused
    assert client.post(url("delete", comment)).status_code in refused
    comment.refresh_from_db()
    assert (comment.status, comment.reply) == ("pending", "")
    assert not ModelLogEntry.objects.for_instance(comment).exists()


def test_the_dashboard_counts_pending_comments_for_those_who_moderate(
    editor_client, moderator_client, comments
):
    factories.CommentFactory(page=comments["pending"].page, status="rejected")
    for client in (editor_client, moderator_client):
        panel = soup(client, reverse("wagtailadmin_home")).find(id="learner-comments-content")
        link = panel.find("a")
        assert link.get_text(strip=True) == "1 pending"
        path, _, query = link["href"].partition("?")
        assert path == reverse(LIST) and listed(client, "?" + query) == ["Pat Pending"]
    client = logged_in(admin_only_user())
    home = client.get(reverse("wagtailadmin_home"))
    html = BeautifulSoup(home.content, "html.parser")
    assert not html.find(id="learner-comments-content")
    assert not html.find("a", href=reverse(LIST))  # nor the menu item
