"""The comparison table is a view of the data: aspects (rows) x roles (columns)."""

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext

from roles.models.comparison import current_comparison
from tests import factories
from tests.conftest import soup

pytestmark = pytest.mark.django_db


def table(client, url):
    """The table as a reader sees it: header row, then one list of cell texts per aspect."""
    soup = BeautifulSoup(client.get(url).content, "html.parser")
    for chip in soup.select(".role-chip"):  # a header's chip repeats its role's short label
        chip.decompose()  # (tests/test_look.py checks the chips)
    tables = soup.select("table.comparison")
    assert tables, f"no comparison table at {url}"
    rows = tables[0].find_all("tr")
    return [
        [" ".join(c.get_text(" ").split()) for c in row.find_all(["th", "td"])] for row in rows
    ]


def test_table_has_a_column_per_role_and_a_row_per_aspect(client, module):
    rows = table(client, module.comparison.url)
    assert rows[0] == ["Aspect", *[role.heading for role in module.roles]]
    assert [r[0] for r in rows[1:]] == [a.title for a in module.aspects]
    for aspect, row in zip(module.aspects, rows[1:], strict=True):
        assert row[1:] == [
            f"{role.title} on aspect {module.aspects.index(aspect)}" for role in module.roles
        ]


def test_the_module_page_shows_the_same_table(client, module):
    assert table(client, module.home.url) == table(client, module.comparison.url)


def test_a_third_role_and_a_seventh_aspect_extend_the_table(client, module):
    for _ in range(4):
        factories.AspectPageFactory(parent=module.comparison)
    third = factories.RolePageFactory(parent=module.role_index, title="Engineering Manager")
    seventh = factories.AspectPageFactory(
        parent=module.comparison, title="Budget", statements={third: "Owns the headcount budget"}
    )

    rows = table(client, module.comparison.url)

    assert len(rows) == 1 + 7
    assert rows[0][-1] == third.heading
    assert rows[-1][0] == "Budget"
    assert rows[-1][-1] == "Owns the headcount budget"
    assert seventh.title in client.get(third.url).content.decode()


def test_a_missing_statement_is_an_explicit_empty_cell(client, module):
    factories.AspectPageFactory(parent=module.comparison, title="Budget", statements={})
    response = client.get(module.comparison.url)
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    empty = soup.select("table.comparison td.is-empty")
    assert len(empty) == len(module.roles)
    assert all("No statement yet" in td.get_text() for td in empty)


def statements(client, url):
    """A page's statement lists (dl.statements) as {term: description}, as a reader sees them."""
    return {
        dt.get_text(" ", strip=True): dd.get_text(" ", strip=True)
        for dl in soup(client, url).select("dl.statements")
        for dt, dd in zip(dl.find_all("dt"), dl.find_all("dd"), strict=True)
    }


def test_a_role_page_names_a_missing_statement_as_the_table_does(client, module):
    answered, unanswered = module.roles
    budget = factories.AspectPageFactory(
        parent=module.comparison, title="Budget", statements={answered: "Owns the budget"}
    )
    # Every fixture aspect has a statement for every role, so "None" printed for a missing
    # one went unseen here; the table's empty cell was the only one tested.
    assert statements(client, unanswered.url)[budget.title] == "No statement yet"
    assert statements(client, answered.url)[budget.title] == "Owns the budget"


def test_an_aspect_page_names_a_missing_statement_as_the_table_does(client, module):
    answered, unanswered = module.roles
    budget = factories.AspectPageFactory(
        parent=module.comparison, title="Budget", statements={answered: "Owns the budget"}
    )
    assert statements(client, budget.url) == {  # each role named with its chip
        f"{answered.heading} {answered.short_label}": "Owns the budget",
        f"{unanswered.heading} {unanswered.short_label}": "No statement yet",
    }


def test_a_draft_wording_reaches_neither_the_table_nor_the_api(client, module):
    aspect, role = module.aspects[0], module.roles[0]
    published = f"{role.title} on aspect 0"
    draft = aspect.get_latest_revision_as_object()
    rows = list(draft.statements.all())
    rows[0].statement = "Draft wording"
    draft.statements = rows
    draft.save_revision()
    responses = [client.get(url) for url in ("/api/v3/comparison/", "/api/v3/module/")]
    api, bundle = (response.json() for response in responses)
    # The published wording is there (an empty answer or a 404 would pass the rest) ...
    assert table(client, module.comparison.url)[1][1] == published
    assert api["aspects"][0]["statements"][0]["statement"] == published
    assert bundle["comparison"]["aspects"][0]["statements"][0]["statement"] == published
    # ... and the draft's is nowhere.
    assert "Draft wording" not in client.get(module.comparison.url).content.decode()
    for response in responses:
        assert "Draft wording" not in response.content.decode()


def test_unpublishing_removes_a_row_or_a_column(client, module):
    module.aspects[0].unpublish()
    module.roles[1].unpublish()
    rows = table(client, module.comparison.url)
    assert [r[0] for r in rows[1:]] == [module.aspects[1].title]
    assert rows[0] == ["Aspect", module.roles[0].heading]


def test_reordering_pages_in_the_tree_reorders_the_table(client, module):
    first, second = module.aspects
    second.move(first, pos="left")
    role_a, role_b = module.roles
    role_b.move(role_a, pos="left")
    rows = table(client, module.comparison.url)
    assert [r[0] for r in rows[1:]] == [second.title, first.title]
    assert rows[0][1:] == [role_b.heading, role_a.heading]


def test_renaming_a_role_renames_the_column_without_touching_aspects(client, module):
    role = module.roles[0]
    revisions_before = [a.revisions.count() for a in module.aspects]
    role.title = "Technical Program Manager"
    role.save_revision().publish()
    # The full title alone: both roles are "TPM", so the abbreviation is not shown.
    assert table(client, module.comparison.url)[0][1] == "Technical Program Manager"
    assert [a.revisions.count() for a in module.aspects] == revisions_before


def test_no_roles_or_aspects_gives_a_notice_not_an_error(client, module):
    for aspect in module.aspects:
        aspect.unpublish()
    response = client.get(module.comparison.url)
    assert response.status_code == 200
    assert b"no published aspects yet" in response.content


def test_queries_do_not_grow_with_the_size_of_the_table(client, module):
    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(module.comparison.url).status_code == 200
        return len(ctx.captured_queries)

    count()  # the first request warms per-process caches (site, content types)
    small = count()
    extra_role = factories.RolePageFactory(parent=module.role_index)
    for _ in range(5):
        factories.AspectPageFactory(
            parent=module.comparison,
            statements={r: "x" for r in [*module.roles, extra_role]},
        )
    assert count() == small


def test_builder_reports_the_latest_publish_of_any_row_or_column(module):
    comparison = current_comparison()
    newest = max(p.last_published_at for p in [*module.roles, *module.aspects])
    assert comparison.last_published_at == newest
    assert comparison.title == " vs ".join(r.title for r in module.roles)
