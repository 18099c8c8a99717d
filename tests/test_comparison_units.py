"""The comparison builder (roles.comparison.matrix, read by roles.models.comparison) on a few
pages, called directly.

tests/test_comparison.py checks the table readers see on a whole module; these pin the
builder's contract (rows, columns, cells, the first of duplicate rows, unsaved previews) with
data small enough for mutation testing.
"""

from types import SimpleNamespace

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page

from roles.comparison.matrix import PHRASE_LENGTH, Cell, Comparison, build_matrix, short_phrase
from roles.models import AspectPage, AspectStatement
from roles.models.comparison import current_comparison, published_roles
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree():
    """Two public roles, a private and an unpublished one, in reverse of creation order in
    the tree; two public aspects (also reversed) with statements, and an unpublished one."""
    root = Page.get_first_root_node()
    role_index = factories.RoleIndexPageFactory(parent=root)
    comparison = factories.ComparisonPageFactory(parent=root)
    roles = [factories.RolePageFactory(parent=role_index) for _ in range(2)]
    factories.RolePageFactory(parent=role_index, private=True, title="Private role")
    factories.RolePageFactory(parent=role_index, unpublished=True, title="Gone role")
    roles = factories.reverse_tree_order(roles)
    aspects = [
        factories.AspectPageFactory(
            parent=comparison, statements={role: f"{role.title} in {n}" for role in roles}
        )
        for n in ("scope", "focus")
    ]
    factories.AspectPageFactory(parent=comparison, unpublished=True, title="Gone aspect")
    return roles, factories.reverse_tree_order(aspects)


def cells(comparison):
    return [[cell.statement for cell in row.cells] for row in comparison.rows]


def test_the_matrix_is_built_from_the_pages_and_rows_given_without_queries():
    """Pages in, matrix out: any objects with a pk serve, and nothing is read."""
    one, two = (SimpleNamespace(pk=n, title=f"Role {n}", last_published_at=None) for n in (1, 2))
    aspect = SimpleNamespace(pk=7, title="Scope", last_published_at=None)
    statements = [(7, 2, "Two's"), (7, 1, "One's"), (7, 2, "A later duplicate"), (8, 1, "Other")]
    with CaptureQueriesContext(connection) as queries:
        comparison = build_matrix([one, two], [aspect], statements)
    assert not queries
    assert comparison.roles == [one, two] and [row.aspect for row in comparison.rows] == [aspect]
    assert cells(comparison) == [["One's", "Two's"]]


def test_columns_are_the_visible_roles_in_tree_order(tree):
    roles, aspects = tree
    # Both public roles, in tree order; neither the private nor the unpublished one.
    assert published_roles() == roles


def test_the_table_is_visible_aspects_by_visible_roles_in_tree_order(tree):
    roles, aspects = tree
    with CaptureQueriesContext(connection) as queries:
        comparison = current_comparison()
    assert len(queries) == 3  # roles, aspects, statements: whatever the size
    assert comparison.roles == roles
    assert [row.aspect for row in comparison.rows] == aspects
    assert [[cell.role for cell in row.cells] for row in comparison.rows] == [roles, roles]
    stored = stored_statements(aspects)
    assert cells(comparison) == [[stored[(a.pk, r.pk)] for r in roles] for a in aspects]
    assert comparison.title == f"{roles[0].title} vs {roles[1].title}"
    assert bool(comparison) is True


def stored_statements(aspects):
    """{(aspect id, role id): statement} as saved, every one a text."""
    rows = AspectStatement.objects.filter(page__in=aspects)
    stored = {(s.page_id, s.role_id): s.statement for s in rows}
    assert len(stored) == 4 and all(stored.values())
    return stored


def test_statement_and_columns_read_cells_by_aspect_and_role(tree):
    roles, aspects = tree
    comparison = current_comparison()
    first, second = roles
    stored = stored_statements(aspects)
    assert comparison.statement(aspects[1], second) == stored[(aspects[1].pk, second.pk)]
    assert comparison.statement(aspects[0], first) == stored[(aspects[0].pk, first.pk)]
    assert comparison.column(second) == [(a, stored[(a.pk, second.pk)]) for a in aspects]
    assert comparison.columns == [
        (role, [(a, stored[(a.pk, role.pk)]) for a in aspects]) for role in roles
    ]


def test_a_cell_without_a_statement_is_none_and_others_stay(tree):
    roles, aspects = tree
    budget = factories.AspectPageFactory(
        parent=aspects[0].get_parent(), title="Budget", statements={roles[1]: "Owns the budget"}
    )
    comparison = current_comparison()
    row = comparison.rows[-1]
    assert row.aspect == budget
    assert [cell.statement for cell in row.cells] == [None, "Owns the budget"]
    assert comparison.statement(budget, roles[0]) is None
    assert comparison.column(roles[0])[-1] == (budget, None)


def test_given_roles_and_aspects_replace_the_live_ones(tree):
    roles, aspects = tree
    comparison = current_comparison(aspects=aspects[1:], roles=roles[:1])
    assert comparison.roles == roles[:1]
    assert [row.aspect for row in comparison.rows] == aspects[1:]
    stored = aspects[1].statements.get(role=roles[0]).statement
    assert cells(comparison) == [[stored]]
    only_roles = current_comparison(roles=roles[1:])
    assert only_roles.roles == roles[1:]
    assert [row.aspect for row in only_roles.rows] == aspects


def test_given_aspects_use_their_unsaved_statements_first_row_winning(tree):
    roles, aspects = tree
    aspect = AspectPage.objects.get(pk=aspects[0].pk)
    aspect.statements = [
        AspectStatement(role=roles[1], statement="Edited, not saved"),
        AspectStatement(role=roles[1], statement="A second row for the same role"),
        AspectStatement(role=roles[0], statement="Also edited"),
    ]
    comparison = current_comparison(aspects=[aspect])
    assert cells(comparison) == [["Also edited", "Edited, not saved"]]
    # The stored table is unchanged.
    assert "Edited, not saved" not in str(cells(current_comparison()))
    assert current_comparison().statement(aspects[0], roles[1]) is not None


def test_duplicate_stored_rows_for_a_role_keep_the_first(tree):
    roles, aspects = tree
    first = aspects[0].statements.get(role=roles[0])
    AspectStatement.objects.create(
        page=aspects[0], role=roles[0], statement="Later duplicate", sort_order=99
    )
    assert current_comparison().statement(aspects[0], roles[0]) == first.statement


def test_an_aspect_previewed_before_its_first_save_shows_its_cells(tree):
    roles, aspects = tree
    draft = factories.AspectPageFactory.build(title="New aspect")
    draft.statements = [AspectStatement(role=roles[0], statement="Preview text")]
    comparison = current_comparison(aspects=[draft])
    assert draft.pk is None
    assert cells(comparison) == [["Preview text", None]]


def test_a_table_without_rows_or_columns_is_false_and_has_no_date():
    root = Page.get_first_root_node()
    role = factories.RolePageFactory(parent=root)
    aspect = factories.AspectPageFactory(parent=root, statements={role: "A cell"})
    full = current_comparison(aspects=[aspect], roles=[role])
    assert full and cells(full) == [["A cell"]]
    assert not current_comparison(aspects=[], roles=[role])  # columns, no rows
    assert full.rows and not Comparison(roles=[], rows=full.rows)  # rows, no columns
    assert Comparison(roles=[], rows=[]).last_published_at is None
    # A never-published page has no date; the others' latest is taken.
    draft = factories.RolePageFactory(parent=Page.get_first_root_node(), live=False)
    assert draft.last_published_at is None and role.last_published_at is not None
    with_draft = current_comparison(aspects=[], roles=[draft, role])
    assert with_draft.last_published_at == role.last_published_at


def test_the_latest_publish_of_any_row_or_column_dates_the_table(tree):
    roles, aspects = tree
    newest = max(p.last_published_at for p in [*roles, *aspects])
    assert current_comparison().last_published_at == newest
    # A row published later than every column dates the table.
    aspects[0].save_revision().publish()
    aspects[0].refresh_from_db()
    assert current_comparison().last_published_at == aspects[0].last_published_at > newest
    roles[1].save_revision().publish()
    roles[1].refresh_from_db()
    assert current_comparison().last_published_at == roles[1].last_published_at


@pytest.mark.parametrize(
    ("statement", "expected"),
    [
        ("Owns the budget", "Owns the budget"),
        ("  Owns\n the   budget ", "Owns the budget"),  # spacing as the infographic draws it
        ("w" * 60, "w" * 60),  # exactly the budget: kept whole
        (
            "Focuses on multiple interconnected projects to achieve broader organizational goals",
            "Focuses on multiple interconnected projects to achieve…",
        ),
        ("Plans, tracks; and delivers, " + "x" * 50, "Plans, tracks; and delivers…"),
        ("x" * 80, "x" * 59 + "…"),  # one long word: cut inside it
        (  # only punctuation is trimmed from the cut, never letters
            "Ships the payments platform to the region LATAM-XX internationally",
            "Ships the payments platform to the region LATAM-XX…",
        ),
        (None, ""),
    ],
)
def test_a_statement_is_shortened_at_a_word_boundary_for_the_infographic(statement, expected):
    assert short_phrase(statement) == expected
    assert len(short_phrase(statement)) <= PHRASE_LENGTH
    # The editor's phrase wins over the shortened statement; without one, the statement.
    assert Cell(role=None, statement=statement, phrase="Owns outcomes").short == "Owns outcomes"
    assert Cell(role=None, statement=statement).short == expected


def test_cells_carry_the_infographics_phrase_and_value_when_given():
    one, two, aspect = (SimpleNamespace(pk=pk) for pk in (1, 2, 10))
    statements = [
        (10, 1, "Owns the roadmap", "Roadmap", 4),
        (10, 2, "Runs one project", "", 2),  # an empty phrase is no phrase
    ]

    row = build_matrix([one, two], [aspect], statements).rows[0]

    assert [(c.statement, c.phrase, c.value) for c in row.cells] == [
        ("Owns the roadmap", "Roadmap", 4),
        ("Runs one project", None, 2),
    ]
    assert [c.short for c in row.cells] == ["Roadmap", "Runs one project"]
    # Statements without the two (an older caller's triples) leave them empty.
    plain = build_matrix([one], [aspect], [(10, 1, "Owns it")]).rows[0].cells[0]
    assert (plain.statement, plain.phrase, plain.value) == ("Owns it", None, None)


def test_an_aspect_page_shows_its_row_describes_it_and_links_each_cells_history(client, module):
    aspect, (one, two) = module.aspects[0], module.roles
    html = BeautifulSoup(client.get(aspect.url).content, "html.parser")

    wordings = [dd.get_text(strip=True) for dd in html.select("dl.statements dd")]
    assert wordings == [f"{one.title} on aspect 0", f"{two.title} on aspect 0"]
    description = html.find("meta", attrs={"name": "description"})["content"]
    assert (
        description
        == f"{one.title}: {one.title} on aspect 0. {two.title}: {two.title} on aspect 0."
    )
    current = html.select_one('nav[aria-label="Main"] a[aria-current="true"]')
    assert current["href"] == module.comparison.url  # the site's navigation, its section marked
    links = [a["href"] for a in html.select("a.cell-history")]
    base = module.comparison.url
    assert links == [f"{base}history/{aspect.pk}/{role.pk}/" for role in (one, two)]
    assert all(client.get(link).status_code == 200 for link in links)


def test_a_role_page_lists_its_own_statement_on_each_aspect(client, module):
    one, two = module.roles
    html = BeautifulSoup(client.get(one.url).content, "html.parser")

    wordings = [dd.get_text(strip=True) for dd in html.select("dl.statements dd")]
    assert wordings == [f"{one.title} on aspect 0", f"{one.title} on aspect 1"]
    assert f"{two.title} on aspect" not in str(html)
    # The site's navigation is drawn from the request's site, with the page's section marked.
    current = html.select_one('nav[aria-label="Main"] a[aria-current="true"]')
    assert current["href"] == module.role_index.url
