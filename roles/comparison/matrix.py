"""The comparison matrix: published aspects (rows) x published roles (columns).

Every view of the comparison (the table, lesson blocks, role pages, and later the API and
infographic) is built here from the aspect pages' statements, so adding a role or an aspect in
the admin extends all of them without a code change.
"""

from dataclasses import dataclass, field

from roles.visibility import visible


@dataclass(frozen=True)
class Cell:
    role: object
    statement: str | None  # None: the aspect has no statement for this role yet


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


def published_roles():
    """The table's columns: visible roles (roles.visibility) in tree order."""
    from roles.models import RolePage

    return list(visible(RolePage.objects.all()).order_by("path"))


def build_comparison(aspects=None, roles=None):
    """Build the matrix from visible roles and aspects (roles.visibility) in tree order.

    ``aspects`` limits the rows to given pages (a lesson's chosen aspects, an aspect page being
    previewed, or aspects as they were on a past date), whose in-memory statements are used;
    by default every live aspect is a row. ``roles`` likewise replaces the live roles.
    Queries: three for the whole table, whatever its size.
    """
    from roles.models import AspectPage, AspectStatement

    if roles is None:
        roles = published_roles()
    if aspects is None:
        aspects = list(visible(AspectPage.objects.all()).order_by("path").defer_streamfields())
        # Plain values: a large table has hundreds of cells, and model instances are costly.
        statements = AspectStatement.objects.filter(page__in=[a.pk for a in aspects]).values_list(
            "page_id", "role_id", "statement"
        )
    else:
        # In-memory statements: a preview renders the editor's unsaved rows.
        statements = [
            (s.page_id, s.role_id, s.statement)
            for aspect in aspects
            for s in aspect.statements.all()
        ]

    by_cell = {}
    for page_id, role_id, statement in statements:
        # With duplicate rows for one role the first (in the editor's order) wins.
        by_cell.setdefault((page_id, role_id), statement)
    # An aspect being previewed before its first save has no pk; key its cells by None.
    rows = [
        Row(aspect, [Cell(role, by_cell.get((aspect.pk, role.pk))) for role in roles])
        for aspect in aspects
    ]
    return Comparison(roles=roles, rows=rows, _by_cell=by_cell)
