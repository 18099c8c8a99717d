"""Wagtail's database search backend, with SQLite's full-text queries made safe for any text.

Wagtail picks the backend by database (PostgreSQL's full-text search in production). On
SQLite (development, tests) it builds an FTS5 query in which a double quote opens a string,
so a search for ``a"b`` (the site's search or the API's ``?search=``) failed with a server
error, and one for ``"`` alone left no words and failed too. Quotes carry no meaning in a
plain-text search: they are taken out here, once for every caller, and a search with no words
left finds nothing.
"""

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
