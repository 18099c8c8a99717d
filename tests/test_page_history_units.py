"""A page's public history and the module's recent changes (roles.comparison.history), on a
few dated pages, called directly; the dated table and cell histories are in
test_history_units.py, whose ``table`` fixture these share."""

import pytest

from roles.comparison.history import cell_history, page_history, recent_changes
from tests import factories, test_history_units
from tests.test_history import on, republish
from tests.test_history_units import DAY

table = test_history_units.table  # the fixture: two roles and an aspect, published on day 2

pytestmark = pytest.mark.django_db


def test_page_history_is_every_public_publish_newest_first(table):
    one, two, aspect = table
    with on(DAY[3]):
        republish(one, change_note="  Clarified  ")
        republish(one, title="Same instant, logged later", change_note="Renamed")
    with on(DAY[4]):
        republish(two, change_note="Not this page")
    changes = page_history(one)
    assert [(c.date.day, c.note) for c in changes] == [(3, "Renamed"), (3, "Clarified"), (2, "")]
    assert changes[0].revision.content["title"] == "Same instant, logged later"
    assert {c.page.pk for c in changes} == {one.pk}
    assert changes[1].user == "system"  # published without a user


def test_page_history_reads_one_query_however_long(table, django_assert_num_queries):
    one, two, aspect = table
    editor = factories.UserFactory(groups=["Moderators"])
    for n in range(3):
        republish(one, user=editor, change_note=f"Change {n}")
    with django_assert_num_queries(1):
        changes = page_history(one)
        details = [(c.note, c.user, c.page.title, c.revision.pk) for c in changes]
    assert [d[0] for d in details] == ["Change 2", "Change 1", "Change 0", ""]
    assert details[0][1] == editor.get_full_name()


def test_recent_changes_are_the_latest_publishes_under_a_page(table):
    one, two, aspect = table
    section = one.get_parent().specific
    for n in range(11):
        with on(DAY[3]):
            republish(one if n % 2 else two, change_note=f"Change {n}")
    with on(DAY[4]):
        section.save_revision().publish()  # the page itself counts
    notes = [change.note for change in recent_changes(section)]
    assert notes == ["", *[f"Change {n}" for n in range(10, 1, -1)]]
    assert len(recent_changes(section, limit=3)) == 3
    # Another section's changes: its own and its aspect's, none of the roles'.
    elsewhere = {change.page.pk for change in recent_changes(aspect.get_parent())}
    assert elsewhere == {aspect.get_parent().pk, aspect.pk}
    with on(DAY[5]):
        two.unpublish()  # an unpublished page's publishes are no longer recent changes
    assert [c.page.pk for c in recent_changes(section, limit=20)].count(two.pk) == 0
    assert [c.page.pk for c in recent_changes(section, limit=20)].count(one.pk) == 6


def test_history_is_newest_first_by_date_and_absent_for_a_page_private_now(table):
    one, two, aspect = table
    with on(DAY[4]):
        republish(one, change_note="Logged first, dated later")
    with on(DAY[3]):
        republish(one, change_note="Logged later, dated first")
    assert [c.date.day for c in page_history(one)] == [4, 3, 2]
    with on(DAY[5]):
        factories.restrict(two)
        factories.restrict(aspect)
    # Its publishes were made while public, but the page is private now.
    assert page_history(two) == [] and cell_history(aspect, one) == []
    assert [c.date.day for c in page_history(one)] == [4, 3, 2]
