"""The site's search: word forms, the passage around the match with the words marked, what
kind of page each result is, and only pages readers may see."""

import pytest
from django.utils.html import escape

from tests import factories
from tests.conftest import soup

pytestmark = pytest.mark.django_db


def lesson(module, title, text, **kwargs):
    return factories.LessonPageFactory(
        parent=module.home, title=title, paragraph=f"<p>{escape(text)}</p>", **kwargs
    )


def search(client, query):
    return soup(client, f"/search/?{'q=' + query}")


def results(html):
    """(link, type label, passage element) per result, in order."""
    return [
        (
            li.h2.a["href"],
            li.select_one(".search-results__type").get_text(),
            li.select_one(".search-results__passage"),
        )
        for li in html.select(".search-results > li")
    ]


def links(client, query):
    return [href for href, _, _ in results(search(client, query))]


def test_word_forms_find_each_other(client, module):
    talks = lesson(module, "Talking to people", "Keep stakeholders informed every week.")
    runs = lesson(module, "Running things", "Managing dependencies across teams.")
    assert links(client, "stakeholder") == [talks.url]  # the plural on the page
    assert links(client, "stakeholders") == [talks.url]  # and the word itself
    assert links(client, "manage") == [runs.url]
    assert links(client, "managed") == [runs.url]
    # A word on no page finds nothing, and says so.
    html = search(client, "zebra")
    assert results(html) == []
    assert "Nothing matched" in html.text
    assert "0 results for “zebra”" in html.select_one("[role=status]").get_text()


def test_each_result_shows_the_passage_with_the_query_words_marked(client, module):
    filler = " ".join(f"word{i}" for i in range(60))
    page = lesson(module, "Long lesson", f"{filler} Program managers align stakeholders {filler}")
    ((href, _, passage),) = results(search(client, "stakeholder align"))
    assert href == page.url
    text = passage.get_text()
    assert "Program managers align stakeholders" in text
    assert "word30 " not in text and text.startswith("…")  # a passage, not the whole page
    assert {m.get_text() for m in passage.find_all("mark")} == {"align", "stakeholders"}


def test_page_text_in_a_passage_never_becomes_markup(client, module):
    text = '<script>alert("x")</script> stakeholders <b>bold</b> & <mark>fake</mark>'
    lesson(module, "Hostile lesson", text)
    html = search(client, "stakeholders")
    ((_, _, passage),) = results(html)
    # Only the marks the search adds are elements; the page's own tags are shown as text.
    assert {tag.name for tag in passage.find_all(True)} == {"mark"}
    assert {m.get_text() for m in passage.find_all("mark")} == {"stakeholders"}
    assert '<script>alert("x")</script>' in passage.get_text()
    assert "<mark>fake</mark>" in passage.get_text()
    assert not html.select("script:not([src]):-soup-contains('alert')")


def test_a_hostile_query_is_echoed_as_text_and_marks_only_page_words(client, module):
    # The query's words are b, roadmap, b (as the search reads them): found on this page.
    lesson(module, "Markup lesson", "Stakeholders like <b>roadmaps</b>.")
    html = search(client, "<b>roadmap</b>")
    status = html.select_one("[role=status] .search-query")
    assert status.get_text() == "<b>roadmap</b>" and not status.find(True)
    ((_, _, passage),) = results(html)
    assert {tag.name for tag in passage.find_all(True)} == {"mark"}
    assert {m.get_text() for m in passage.find_all("mark")} == {"b", "roadmaps"}
    assert "<b>roadmaps</b>" in passage.get_text()


def test_every_result_says_what_kind_of_page_it_is(client, module):
    steering = lesson(module, "Steering", "Quarterly steering committees.")
    cases = [
        ("steering", steering.url, "Lesson"),
        (module.roles[0].title, module.roles[0].url, "Role"),
        ("aspect 0", module.aspects[0].url, "Aspect"),
        ("Senior role", module.careers[0].url, "Career path"),
    ]
    for query, url, label in cases:
        found = {href: kind for href, kind, _ in results(search(client, query))}
        assert found.get(url) == label, (query, found)


def test_passages_come_only_from_what_readers_may_see(client, module):
    public = lesson(module, "Public", "Quarterly steering, shown.")
    lesson(module, "Unreleased", "Steering unreleased.", live=False)
    lesson(module, "Private", "Steering private.", private=True)
    lesson(module, "Withdrawn", "Steering withdrawn.", unpublished=True)
    html = search(client, "steering")
    assert [href for href, _, _ in results(html)] == [public.url]
    for hidden in ("unreleased", "private", "withdrawn"):
        assert hidden not in html.select_one(".search-results").get_text().lower()
