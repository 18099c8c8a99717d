"""Wagtail's database search backend, with SQLite's full-text queries made safe for any text.

Wagtail picks the backend by database (PostgreSQL's full-text search in production). On
SQLite (development, tests) it builds an FTS5 query in which a double quote opens a string,
so a search for ``a"b`` (the site's search or the API's ``?search=``) failed with a server
error, and one for ``"`` alone left no words and failed too. Quotes carry no meaning in a
plain-text search: they are taken out here, once for every caller, and a search with no words
left finds nothing.

Word forms ("stakeholder" finds "stakeholders") come from the index table's porter tokenizer,
set by a migration (roles/migrations/0006_small). Below: the passages search results show.
"""

import re
from contextlib import closing

from django.db.models import prefetch_related_objects
from django.utils.html import escape
from django.utils.safestring import mark_safe
from wagtail.search import index
from wagtail.search.backends.database import SearchBackend as vendor_backend
from wagtail.search.query import MatchAll, Not, PlainText


def unquoted(query):
    if not isinstance(query, PlainText) or '"' not in query.query_string:
        return query
    words = query.query_string.replace('"', " ")
    if not words.split():
        return Not(MatchAll())
    return PlainText(words, operator=query.operator, boost=query.boost)


def SearchBackend(params):  # noqa: N802 - the name Wagtail looks up in a backend module
    backend = vendor_backend(params)
    if backend.__class__.__name__ == "SQLiteSearchBackend":

        class QuoteSafeCompiler(backend.query_compiler_class):
            def search(self, config, start, stop, score_field=None):
                self.query = unquoted(self.query)
                return super().search(config, start, stop, score_field=score_field)

        backend.query_compiler_class = QuoteSafeCompiler
    return backend


# Passages: the words around a match, with the query's words marked. Matched the way the
# site's search matches on SQLite (FTS5's porter tokenizer, see roles/migrations/0006_small),
# so "manage" marks "managing" too. Python's own sqlite3 does the work in memory, whatever the
# site's database is (PostgreSQL stems English alike): no stemmer of our own to keep in step.

START, END = "\x02", "\x03"  # snippet() markers: control characters, taken out of page text
QUERY_WORDS = re.compile(r"\w+")
MAX_WORDS = 20  # words of a query used for marking; a real query has a handful
PASSAGE_TOKENS = 24  # words in a passage (FTS5 allows up to 64)


def passages(texts, query):
    """For each text the passage FTS5 judges best (the one with most query words, the first
    of equals), HTML-escaped, with the query's words in <mark>; None where none matches."""
    words = QUERY_WORDS.findall(query)[:MAX_WORDS]
    if not words or not texts:
        return [None] * len(texts)
    match = " OR ".join(f'"{word}"' for word in words)  # \w+ holds no quote to escape
    # Imported by the first search: on PostgreSQL nothing else loads SQLite's library, and a
    # worker that never answers a search is spared it (0.9 MB).
    import sqlite3

    try:
        with closing(sqlite3.connect(":memory:")) as db:
            db.execute("CREATE VIRTUAL TABLE t USING fts5(body, tokenize='porter unicode61')")
            db.executemany(
                "INSERT INTO t (rowid, body) VALUES (?, ?)",
                [(i, text.replace(START, " ").replace(END, " ")) for i, text in enumerate(texts)],
            )
            found = dict(
                db.execute(
                    "SELECT rowid, snippet(t, 0, ?, ?, '…', ?) FROM t WHERE t MATCH ?",
                    (START, END, PASSAGE_TOKENS, match),
                )
            )
    except sqlite3.OperationalError:  # a Python built without FTS5: results show no passage
        return [None] * len(texts)
    return [marked(found[i]) if i in found else None for i in range(len(texts))]


def marked(snippet):
    """Escape first, then turn the markers into tags: page text never becomes markup."""
    return mark_safe(escape(snippet).replace(START, "<mark>").replace(END, "</mark>"))  # noqa: S308


def searchable_text(page):
    """The text the search indexed for ``page`` besides its title (shown already)."""
    return " ".join(_texts(page, page.get_search_fields()))


def _texts(obj, fields):
    for field in fields:
        if isinstance(field, index.SearchField) and field.field_name != "title":
            value = field.get_value(obj)
            yield from ([str(v) for v in value] if isinstance(value, list) else [str(value or "")])
        elif isinstance(field, index.RelatedFields):
            for related in field.get_value(obj).all():  # prefetched by the caller
                yield from _texts(related, field.fields)


def prefetch_searchable(pages):
    """Read the related rows the pages' text needs: one query per relation and page type."""
    by_type = {}
    for page in pages:
        by_type.setdefault(type(page), []).append(page)
    for page_type, group in by_type.items():
        related = [
            f.field_name
            for f in page_type.get_search_fields()
            if isinstance(f, index.RelatedFields)
        ]
        if related:
            prefetch_related_objects(group, *related)
