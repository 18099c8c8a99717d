"""The comparison matrix: published aspects (rows) x published roles (columns).

Every view of the comparison (the table, lesson blocks, role pages, and later the API and
infographic) is built here from the aspect pages' statements, so adding a role or an aspect in
the admin extends all of them without a code change.

Pages in, matrix out: which pages are visible, and reading them, is the model layer's work
(roles.models.comparison), so that this module sits below the models that use it.
"""

from dataclasses import dataclass, field
from typing import NamedTuple

PHRASE_LENGTH = 60  # the infographic's budget for one role's words on one aspect


class StatementGaps(NamedTuple):
    """Where one role's column is empty (RolePage.statement_gaps)."""

    missing: list  # no statement for the role, even in the aspect's latest revision
    unpublished: list  # a statement only in a draft of the aspect


def short_phrase(text, limit=PHRASE_LENGTH):
    """``text`` cut at a word boundary to at most ``limit`` characters, with an ellipsis."""
    text = " ".join((text or "").split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,;:.-") + "…"


@dataclass(frozen=True)
class Cell:
    role: object
    statement: str | None  # None: the aspect has no statement for this role yet
    phrase: str | None = None  # the editor's short phrase for the infographic, if any
    value: int | None = None  # a point on the aspect's scale (1-5), if the aspect is one

    @property
    def short(self):
        """The infographic's words: the editor's phrase, or the statement shortened."""
        return self.phrase or short_phrase(self.statement)


@dataclass(frozen=True)
class Row:
    aspect: object
    cells: list  # one Cell per role, in column order


@dataclass
class Comparison:
    roles: list
    rows: list = field(default_factory=list)
    _by_cell: dict = field(default_factory=dict, repr=False)

    def __bool__(self):
        return bool(self.roles and self.rows)

    @property
    def last_published_at(self):
        dates = [p.last_published_at for p in [*self.roles, *(r.aspect for r in self.rows)]]
        return max((d for d in dates if d), default=None)

    def statement(self, aspect, role):
        return self._by_cell.get((aspect.pk, role.pk))

    @property
    def title(self):
        return " vs ".join(role.title for role in self.roles)

    def column(self, role):
        """One role's statements as (aspect, statement or None) pairs, in row order."""
        return [(row.aspect, self.statement(row.aspect, role)) for row in self.rows]

    @property
    def columns(self):
        return [(role, self.column(role)) for role in self.roles]


def statement_rows(aspects):
    """(page_id, role_id, statement, phrase, value) for the aspects' own statements, in the
    editor's order.

    For rows held in memory (a preview's unsaved ones, or rows rebuilt from a revision) or
    already prefetched: the caller decides where statements come from, this reads no database.
    """
    return [
        (row.page_id, row.role_id, row.statement, row.phrase, row.value)
        for aspect in aspects
        for row in aspect.statements.all()
    ]


def build_matrix(roles, aspects, statements):
    """The table of ``aspects`` (rows) x ``roles`` (columns), in the order given.

    ``statements`` are (page_id, role_id, statement, phrase, value) tuples (phrase and value
    may be left off), e.g. a queryset's values_list or
    statement_rows(aspects). The pages are chosen and read by the caller (roles.models.comparison
    for the live table, roles.comparison.history for a past one): this module knows no models.
    """
    cells = {}  # (page_id, role_id) -> (statement, phrase, value)
    for page_id, role_id, statement, *extra in statements:
        phrase, value = (*extra, None, None)[:2]
        # With duplicate rows for one role the first (in the editor's order) wins.
        cells.setdefault((page_id, role_id), (statement, phrase or None, value))
    by_cell = {key: cell[0] for key, cell in cells.items()}
    # An aspect being previewed before its first save has no pk; key its cells by None.
    rows = [
        Row(aspect, [Cell(role, *cells.get((aspect.pk, role.pk), (None,))) for role in roles])
        for aspect in aspects
    ]
    return Comparison(roles=roles, rows=rows, _by_cell=by_cell)
