"""Public history (roles.comparison.history) on a few dated pages, called directly.

tests/test_history.py checks what readers see of a whole module; these pin each function's
contract (order, boundaries of a day, what a publish shows, what is left out) with data small
enough for mutation testing. Every date is noon of a day in March 2025 (``on``).
"""

import datetime
from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import Page

from roles.comparison.history import (
    cell_history,
    end_of_day,
    parse_iso_date,
)
from roles.models.comparison import comparison_as_of, first_publish_date
from tests import factories
from tests.test_history import noon, on, republish

pytestmark = pytest.mark.django_db

DAY = {d: datetime.date(2025, 3, d) for d in range(1, 10)}


@pytest.fixture
def table():
    """On day 2: roles ``one`` and ``two`` (in reverse of creation order in the tree), and an
    aspect with a statement for each. A lesson published on day 1 is not part of the table."""
    root = Page.get_first_root_node()
    with on(DAY[1]):
        factories.LessonPageFactory(parent=root)
    with on(DAY[2]):
        role_index = factories.RoleIndexPageFactory(parent=root)
        comparison = factories.ComparisonPageFactory(parent=root)
        made = [factories.RolePageFactory(parent=role_index) for _ in range(2)]
        one, two = factories.reverse_tree_order(made)
        aspect = factories.AspectPageFactory(
            parent=comparison, statements={one: "One at first", two: "Two at first"}
        )
    return one, two, aspect


def headings(comparison):
    return [(role.title, role.abbreviation) for role in comparison.roles]


def cells(comparison):
    return [[cell.statement for cell in row.cells] for row in comparison.rows]


def test_there_is_no_table_before_the_first_publish_of_a_role_or_aspect(table):
    one, two, aspect = table
    assert comparison_as_of(DAY[1]) is None  # the lesson alone makes no table
    assert first_publish_date() == noon(DAY[2])
    first = comparison_as_of(DAY[2])
    assert headings(first) == [(one.title, one.abbreviation), (two.title, two.abbreviation)]
    assert cells(first) == [["One at first", "Two at first"]]


def test_the_first_publish_is_of_a_role_or_an_aspect_whichever_came_first():
    root = Page.get_first_root_node()
    with on(DAY[1]):
        factories.LessonPageFactory(parent=root)
    assert first_publish_date() is None  # a lesson is not the table
    with on(DAY[3]):
        role = factories.RolePageFactory(parent=root)
    assert first_publish_date() == noon(DAY[3])
    with on(DAY[2]):  # an aspect logged later, dated earlier
        factories.AspectPageFactory(parent=root, statements={role: "A cell"})
    assert first_publish_date() == noon(DAY[2])


def test_the_dated_table_costs_the_same_queries_however_big(table):
    one, two, aspect = table

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert comparison_as_of(DAY[4]).rows
        return len(captured)

    small = queries()
    with on(DAY[3]):
        role = factories.RolePageFactory(parent=one.get_parent())
        for _ in range(3):
            factories.AspectPageFactory(
                parent=aspect.get_parent(), statements={one: "x", two: "y", role: "z"}
            )
    assert len(comparison_as_of(DAY[4]).rows) == 4
    assert queries() == small


def test_each_day_shows_the_last_publish_up_to_its_end(table):
    one, two, aspect = table
    old = (one.title, one.abbreviation)
    with on(DAY[3]):
        republish(aspect, statements={one.pk: "One reworded"})
    with on(DAY[4]):
        republish(one, title="One renamed", abbreviation="ONE")
    day3, day4 = comparison_as_of(DAY[3]), comparison_as_of(DAY[4])
    assert headings(day3)[0] == old
    assert cells(day3) == [["One reworded", "Two at first"]]
    assert day3.last_published_at == noon(DAY[3])
    assert headings(day4) == [("One renamed", "ONE"), (two.title, two.abbreviation)]
    assert cells(day4) == [["One reworded", "Two at first"]]
    assert day4.last_published_at == noon(DAY[4])
    assert cells(comparison_as_of(DAY[2])) == [["One at first", "Two at first"]]
    # The rows and columns carry the pages' ids: the history links of each cell use them.
    assert [row.aspect.pk for row in day4.rows] == [aspect.pk]
    assert [role.pk for role in day4.roles] == [one.pk, two.pk]


def test_a_publish_at_midnight_belongs_to_the_next_day(table):
    one, two, aspect = table
    midnight = end_of_day(DAY[3])
    with mock.patch("django.utils.timezone.now", return_value=midnight):
        republish(aspect, statements={one.pk: "After midnight"})
    assert cells(comparison_as_of(DAY[3])) == [["One at first", "Two at first"]]
    assert cells(comparison_as_of(DAY[4])) == [["After midnight", "Two at first"]]


def test_an_unpublished_page_leaves_the_table_from_that_day(table):
    one, two, aspect = table
    first, second = one.title, two.title
    with on(DAY[3]):
        two.unpublish()
    with on(DAY[4]):
        republish(two, title="Two is back")
    with on(DAY[5]):  # published and unpublished in the same instant: gone
        republish(one, title="One, briefly")
        one.unpublish()
    assert [r.title for r in comparison_as_of(DAY[2]).roles] == [first, second]
    assert [r.title for r in comparison_as_of(DAY[3]).roles] == [first]
    assert [r.title for r in comparison_as_of(DAY[4]).roles] == [first, "Two is back"]
    assert [r.title for r in comparison_as_of(DAY[5]).roles] == ["Two is back"]
    assert cells(comparison_as_of(DAY[5])) == [["Two at first"]]


def test_the_table_follows_log_times_not_log_order(table):
    # Entries need not be logged in time order (an import, a clock corrected).
    one, two, aspect = table
    with on(DAY[4]):
        republish(aspect, statements={one.pk: "Logged first, dated later"})
    with on(DAY[3]):
        republish(aspect, statements={one.pk: "Logged later, dated first"})
    assert cells(comparison_as_of(DAY[3]))[0][0] == "Logged later, dated first"
    assert cells(comparison_as_of(DAY[4]))[0][0] == "Logged first, dated later"


def test_a_page_private_then_or_now_is_not_in_the_table(table):
    one, two, aspect = table
    first, second = one.title, two.title
    with on(DAY[3]):
        restriction = factories.restrict(two)
    with on(DAY[4]):
        republish(two, title="Written while private")
    with on(DAY[5]):
        restriction.delete()
    assert [r.title for r in comparison_as_of(DAY[2]).roles] == [first, second]
    assert [r.title for r in comparison_as_of(DAY[3]).roles] == [first]
    assert [r.title for r in comparison_as_of(DAY[4]).roles] == [first]
    # Public again, with what was public before: the private publish never counts.
    assert [r.title for r in comparison_as_of(DAY[5]).roles] == [first, second]
    with on(DAY[6]):
        factories.restrict(one)
    assert [r.title for r in comparison_as_of(DAY[5]).roles] == [second]


def test_end_of_day_is_the_next_midnight_or_now():
    with on(DAY[5]):
        assert end_of_day(DAY[4]) == timezone.make_aware(datetime.datetime(2025, 3, 5))
        assert end_of_day(DAY[5]) == noon(DAY[5])  # today: now
        assert end_of_day(DAY[6]) == noon(DAY[5])


@pytest.mark.parametrize("text", ["2025-03-05", " 2025-03-05\n"])
def test_a_date_is_read_as_year_month_day(text):
    assert parse_iso_date(text) == DAY[5]


@pytest.mark.parametrize("text", ["20250305", "2025-W10-3", "2025-3-5", "", None])
def test_other_forms_of_a_date_are_refused(text):
    with pytest.raises(ValueError):
        parse_iso_date(text)


def test_cell_history_lists_each_new_wording_oldest_first(table):
    one, two, aspect = table
    editor = factories.UserFactory(groups=["Moderators"], first_name="Pat", last_name="Lee")
    with on(DAY[3]):
        republish(aspect, user=editor, statements={one.pk: "Reworded"}, change_note=" Tidy ")
    with on(DAY[4]):
        republish(aspect, statements={two.pk: "Only two changed"})
    with on(DAY[5]):
        aspect.refresh_from_db()
        draft = aspect.get_latest_revision_as_object()
        draft.statements = [s for s in draft.statements.all() if s.role_id != one.pk]
        draft.save_revision().publish()
    wordings = cell_history(aspect, one)
    assert [(w.statement, w.change.date.day) for w in wordings] == [
        ("One at first", 2),
        ("Reworded", 3),
        (None, 5),  # the statement was removed
    ]
    assert (wordings[1].change.user, wordings[1].change.note) == ("Pat Lee", "Tidy")
    assert wordings[1].change.page.pk == aspect.pk
    assert wordings[1].change.revision.content["statements"][0]["statement"] == "Reworded"
    assert [(w.statement, w.change.date.day) for w in cell_history(aspect, two)] == [
        ("Two at first", 2),
        ("Only two changed", 4),
    ]


def test_cell_history_leaves_out_publishes_made_while_private(table):
    one, two, aspect = table
    with on(DAY[3]):
        restriction = factories.restrict(aspect)
    with on(DAY[4]):
        republish(aspect, statements={one.pk: "Written while private"})
    with on(DAY[5]):
        restriction.delete()
        republish(aspect, statements={one.pk: "Written in public"})
    assert [w.statement for w in cell_history(aspect, one)] == [
        "One at first",
        "Written in public",
    ]


def test_a_role_revision_from_before_its_label_and_colour_still_heads_the_table(table):
    """Revisions saved before a field existed lack its key: the page's own value is shown."""
    one, two, aspect = table
    one.short_label, one.colour = "One", "blue"
    revision = one.save_revision()
    revision.publish()
    for field in ("short_label", "colour", "abbreviation"):
        revision.content.pop(field)
    revision.save(update_fields=["content"])

    day = comparison_as_of(datetime.date.today())

    heading = day.roles[[role.pk for role in day.roles].index(one.pk)]
    assert (heading.short_label, heading.colour) == ("One", "blue")
    assert heading.abbreviation == one.abbreviation and heading.title == one.title
