"""Learners' questions and comments, the public side (issue 18): posting, the rules that keep
spam out (one message whichever fires), what is shown and escaped, the API, the caches and
forgetting addresses after 30 days."""

import datetime
import re
import time

import pytest
from bs4 import BeautifulSoup
from django.core.cache import caches
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from roles import comments as comments_module
from roles.comments import MAX_LINKS, MIN_SECONDS, RATE, REFUSED, token_for
from roles.models import Comment
from tests import factories
from tests.conftest import soup

pytestmark = pytest.mark.django_db
ORIGIN = "http://testserver"


@pytest.fixture(autouse=True)
def fresh_rate_limit():
    # The rate limit counts in the cache, which outlives a test's database.
    caches["default"].clear()


@pytest.fixture
def lesson(module):
    return module.lessons[0]


def drawn_earlier(page, seconds=MIN_SECONDS + 1):
    """A token drawn ``seconds`` ago, as a learner who read the page first would send."""
    real = time.time
    try:
        time.time = lambda: real() - seconds
        return token_for(page)
    finally:
        time.time = real


def post(client, page, origin=ORIGIN, token=None, **fields):
    data = {"name": "Ada", "text": "Who owns the roadmap?", "website": ""}
    data["token"] = token if token is not None else drawn_earlier(page)
    data.update(fields)
    headers = {"HTTP_ORIGIN": origin} if origin else {}
    return client.post(reverse("post_comment", args=[page.pk]), data, **headers)


def text_of(response):
    return " ".join(BeautifulSoup(response.content, "html.parser").main.get_text(" ").split())


def test_a_learner_posts_and_reads_that_it_waits_for_an_editor(client, lesson):
    html = soup(client, lesson.url)
    section = html.select_one("#comments")
    assert "No comments yet — ask the first question." in section.get_text()
    form = section.select_one("form.comment-form")
    assert form["method"] == "post" and form["action"] == reverse("post_comment", args=[lesson.pk])
    assert form.select_one("label[for=id_name]") and form.select_one("label[for=id_text]")

    response = post(client, lesson, HTTP_USER_AGENT="Firefox")
    assert response.status_code == 200
    assert "Thanks — your comment will appear once an editor has approved it." in text_of(response)
    comment = Comment.objects.get()
    assert (comment.page_id, comment.status, comment.name) == (lesson.pk, "pending", "Ada")
    assert comment.ip_address == "127.0.0.1"
    # Nothing the learner typed is shown before approval.
    assert "Who owns the roadmap?" not in client.get(lesson.url).content.decode()


@pytest.mark.parametrize(
    "rule, send",
    [
        ("honeypot", lambda c, p: post(c, p, website="http://spam.example")),
        ("too fast", lambda c, p: post(c, p, token=token_for(p))),
        ("forged token", lambda c, p: post(c, p, token="not-a-token")),
        ("another page's token", lambda c, p: post(c, p, token=drawn_earlier(p.get_parent()))),
        ("another site", lambda c, p: post(c, p, origin="https://elsewhere.example")),
        ("no origin", lambda c, p: post(c, p, origin=None)),
    ],
)
def test_each_spam_rule_refuses_with_the_same_message_and_stores_nothing(
    client, lesson, rule, send
):
    response = send(client, lesson)
    assert response.status_code in (400, 403), rule
    text = text_of(response)
    assert REFUSED in text and text.count("could not take") == 1, rule
    for word in ("honeypot", "fast", "token", "origin", "spam", "website"):
        assert word not in text.lower().replace(REFUSED.lower(), ""), (rule, word)
    assert "Who owns the roadmap?" in response.content.decode()  # the words are kept
    assert not Comment.objects.exists()


def test_an_address_posting_too_often_is_refused_the_same_way(client, lesson):
    limit, _ = RATE
    for _ in range(limit):
        assert post(client, lesson).status_code == 200
    response = post(client, lesson)
    assert response.status_code == 429 and REFUSED in text_of(response)
    assert Comment.objects.count() == limit
    # Counted per address: another learner is not held back. A forwarded-for header from
    # a client that is not one of our proxies is ignored, as by the login lockout.
    data = {"name": "Bo", "text": "Me too", "website": "", "token": drawn_earlier(lesson)}
    url = reverse("post_comment", args=[lesson.pk])
    forged = client.post(url, data, HTTP_ORIGIN=ORIGIN, HTTP_X_FORWARDED_FOR="198.51.100.9")
    assert forged.status_code == 429
    other = client.post(url, data, HTTP_ORIGIN=ORIGIN, REMOTE_ADDR="198.51.100.9")
    assert other.status_code == 200


def test_many_links_wait_in_spam_and_the_learner_is_thanked_as_usual(client, lesson):
    links = " ".join(f"https://x{n}.example" for n in range(MAX_LINKS + 1))
    response = post(client, lesson, text=f"Cheap pills {links}")
    assert response.status_code == 200 and "Thanks" in text_of(response)
    assert Comment.objects.get().status == Comment.SPAM
    post(client, lesson, text="See https://one.example and www.two.example")
    assert Comment.objects.filter(status=Comment.PENDING).count() == 1


def test_a_too_long_comment_says_so_at_the_field_and_keeps_the_words(client, lesson):
    response = post(client, lesson, text="x" * 2001, name="")
    assert response.status_code == 400
    html = BeautifulSoup(response.content, "html.parser")
    text = html.select_one("#id_text")
    assert text["aria-invalid"] == "true" and "id_text-error" in text["aria-describedby"]
    assert "at most 2000 characters" in html.select_one("#id_text-error").get_text()
    assert html.select_one("#id_name")["aria-invalid"] == "true"
    assert text.get_text().strip() == "x" * 2001
    assert REFUSED not in text_of(response)  # a fault of the learner's is named, not hidden
    assert not Comment.objects.exists()


def test_only_lessons_and_the_module_page_take_comments_and_only_published_ones(client, module):
    assert post(client, module.home).status_code == 200
    for page in (module.comparison, module.roles[0]):
        assert post(client, page).status_code == 404
    hidden = factories.LessonPageFactory(parent=module.home, private=True)
    assert post(client, hidden).status_code == 404
    assert client.get(reverse("post_comment", args=[module.home.pk])).status_code == 405


def test_approved_comments_and_replies_show_in_date_order_as_plain_text(client, lesson):
    first = factories.CommentFactory(page=lesson, approved=True, hostile=True)
    second = factories.CommentFactory(page=lesson, approved=True, text="And the budget?")
    factories.CommentFactory(page=lesson, text="Still pending")
    factories.CommentFactory(page=lesson, status=Comment.REJECTED, text="Rejected one")
    factories.CommentFactory(page=lesson, status=Comment.SPAM, text="Spam one")
    Comment.objects.filter(pk=first.pk).update(created_at=timezone.now() - datetime.timedelta(1))
    html = soup(client, lesson.url)
    items = html.select("#comments .comment")
    assert [i.select_one(".comment__text").get_text() for i in items] == [
        first.text,
        second.text,
    ]
    assert "Reply from the learning team" in items[0].get_text()
    assert items[0].select_one(".comment__reply .comment__text").get_text() == first.reply
    assert not html.select("#comments script") and not html.select(".comment a")
    page_text = html.get_text()
    for hidden in ("Still pending", "Rejected one", "Spam one"):
        assert hidden not in page_text


def test_the_api_answers_approved_comments_only(client, module, lesson):
    shown = factories.CommentFactory(page=lesson, approved=True, reply="Yes.")
    factories.CommentFactory(page=lesson, text="Pending words")
    body = client.get("/api/v3/comments/", {"page": lesson.pk}).json()
    assert body == {
        "page": lesson.pk,
        "comments": [
            {
                "id": shown.pk,
                "name": shown.name,
                "text": shown.text,
                "created_at": shown.created_at.isoformat(),
                "reply": "Yes.",
            }
        ],
    }
    hidden = factories.LessonPageFactory(parent=module.home, unpublished=True)
    factories.CommentFactory(page=hidden, approved=True)
    assert client.get("/api/v3/comments/", {"page": hidden.pk}).status_code == 404
    assert client.get("/api/v3/comments/", {"page": "x"}).status_code in (400, 422)


def test_nothing_pending_is_anywhere_a_reader_or_frontend_looks(client, module, lesson):
    secret = "A pending secret 7f3a"
    factories.CommentFactory(page=lesson, text=secret)
    factories.CommentFactory(page=module.home, text=secret, status=Comment.SPAM)
    surfaces = [
        lesson.url,
        module.home.url,
        f"/api/v3/comments/?page={lesson.pk}",
        "/api/v3/module/",
        f"/api/v3/pages/{lesson.pk}/",
        f"/api/v2/pages/{lesson.pk}/",
        "/search/?q=pending+secret",
        "/sitemap.xml",
    ]
    for url in surfaces:
        response = client.get(url)
        assert response.status_code == 200, url
        assert secret not in response.content.decode(), url


def test_approving_editing_and_deleting_a_shown_comment_drop_the_cached_page(monkeypatch, lesson):
    changed = []
    monkeypatch.setattr(comments_module, "content_changed", lambda instance: changed.append(1))
    comment = factories.CommentFactory(page=lesson)
    assert changed == []  # a pending comment changes nothing readers see
    comment = Comment.objects.get(pk=comment.pk)
    comment.status = Comment.APPROVED
    comment.save()
    assert len(changed) == 1
    comment = Comment.objects.get(pk=comment.pk)
    comment.text = "Typo fixed"
    comment.save()
    comment = Comment.objects.get(pk=comment.pk)
    comment.status = Comment.REJECTED  # taken back: readers must stop seeing it
    comment.save()
    assert len(changed) == 3
    comment = Comment.objects.get(pk=comment.pk)
    comment.delete()  # rejected already: nothing to drop
    assert len(changed) == 3


def test_addresses_are_forgotten_after_30_days(lesson):
    old = factories.CommentFactory(page=lesson)
    recent = factories.CommentFactory(page=lesson)
    Comment.objects.filter(pk=old.pk).update(created_at=timezone.now() - datetime.timedelta(31))
    Comment.objects.filter(pk=recent.pk).update(created_at=timezone.now() - datetime.timedelta(29))
    call_command("forget_comment_addresses", verbosity=0)
    old.refresh_from_db()
    recent.refresh_from_db()
    assert (old.ip_address, old.user_agent) == (None, "")
    assert (recent.ip_address, recent.user_agent) == ("203.0.113.7", "Mozilla/5.0 (test)")
    assert (old.name, old.text) != ("", "")  # what was published stays


def test_the_scheduler_runs_the_cleanup(lesson, capsys):
    old = factories.CommentFactory(page=lesson)
    Comment.objects.filter(pk=old.pk).update(created_at=timezone.now() - datetime.timedelta(40))
    call_command("run_scheduler", once=True)
    old.refresh_from_db()
    assert old.ip_address is None
    assert "forget_comment_addresses" in capsys.readouterr().out


def test_the_form_is_in_the_page_without_javascript_and_names_no_account(client, module):
    html = soup(client, module.home.url)
    form = html.select_one("#comments form")
    assert form is not None and not form.find("script")
    trap = form.select_one(".comment-form__trap")
    assert trap["aria-hidden"] == "true" and trap.input["tabindex"] == "-1"
    assert re.search(r"No account needed", form.get_text())
