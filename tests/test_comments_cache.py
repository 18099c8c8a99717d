"""Learners' comments and the caches (issue 18): a lesson stays cached for anonymous readers
while comments wait; approving one, or taking it back, drops the cached page and purges it
from the HTTP cache in front, as a publish does."""

import pytest

from roles.models import Comment
from tests import factories
from tests.conftest import build_module
from tests.page_cache import PURGED, page_cache  # noqa: F401


def get(client, url):
    response = client.get(url)
    return response.content.decode(), response.get("X-Page-Cache")


@pytest.mark.django_db
def test_a_lesson_stays_cached_while_comments_wait_and_shows_one_once_approved(client, module):
    lesson = module.lessons[0]
    get(client, lesson.url)
    comment = factories.CommentFactory(page=lesson, text="Is a roadmap a plan?")
    assert get(client, lesson.url)[1] == "hit"  # a pending comment changes nothing shown
    comment = Comment.objects.get(pk=comment.pk)
    comment.status = Comment.APPROVED
    comment.save()
    html, state = get(client, lesson.url)
    assert state != "hit" and "Is a roadmap a plan?" in html
    comment = Comment.objects.get(pk=comment.pk)
    comment.status = Comment.REJECTED
    comment.save()
    html, state = get(client, lesson.url)
    assert state != "hit" and "Is a roadmap a plan?" not in html


# Purges wait for the commit, so this test commits (and rebuilds what migrations made).
def test_approving_a_comment_purges_its_page_from_the_http_cache(wagtail_root):
    module = build_module()
    lesson = module.lessons[0]
    comment = factories.CommentFactory(page=lesson)
    PURGED.clear()
    Comment.objects.filter(pk=comment.pk).first().delete()  # pending: nothing to purge
    assert PURGED == []
    comment = factories.CommentFactory(page=lesson)
    comment = Comment.objects.get(pk=comment.pk)
    comment.status = Comment.APPROVED
    comment.save()
    paths = {url.removeprefix("http://localhost") for url in PURGED}
    assert lesson.url in paths and "/api/v3/comments/" in paths
