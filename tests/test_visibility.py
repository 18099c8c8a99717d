"""The privacy rule itself (roles.visibility), on a few pages: fast enough for mutation testing.

tests/test_privacy.py drives every hiding scenario through every public surface; these call the
rule's functions directly, each negative check next to the page that must still be there.
"""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page, PageLogEntry, PageViewRestriction

from roles.comparison.history import page_history
from roles.visibility import (
    in_history,
    is_visible,
    private_at,
    published_while_public,
    visible,
    visible_for_search,
    visible_pages,
    with_visible_now,
)
from tests import factories
from tests.test_history import noon, on, republish

pytestmark = pytest.mark.django_db

DAY = {d: datetime.date(2025, 3, d) for d in range(1, 10)}


@pytest.fixture
def pages():
    """A public section with a public, an unpublished and a never-published role, a private
    role, and a private section with a role of its own (public itself, private by ancestry)."""
    root = Page.get_first_root_node()
    section = factories.RoleIndexPageFactory(parent=root, slug="public-section")
    hidden = factories.RoleIndexPageFactory(parent=root, slug="private-section", private=True)
    return {
        "section": section,
        "public": factories.RolePageFactory(parent=section),
        "unpublished": factories.RolePageFactory(parent=section, unpublished=True),
        "draft": factories.RolePageFactory(parent=section, live=False),
        "private": factories.RolePageFactory(parent=section, private=True),
        "hidden": hidden,
        "under_private": factories.RolePageFactory(parent=hidden),
    }


def names(pages, found):
    """The fixture names of the pages in ``found`` (pages or ids)."""
    ids = {getattr(page, "pk", page) for page in found}
    return {name for name, page in pages.items() if page.pk in ids}


def ours(pages):
    return Page.objects.filter(pk__in=[page.pk for page in pages.values()])


def test_visible_keeps_live_public_pages_only(pages):
    assert names(pages, visible(ours(pages))) == {"section", "public"}
    assert names(pages, visible_for_search(ours(pages))) == {"section", "public"}


def test_history_keeps_every_page_not_private_now(pages):
    # Unpublished and never-published pages keep their public past; private ones have none.
    assert names(pages, in_history(ours(pages))) == {"section", "public", "unpublished", "draft"}


def test_visible_pages_keeps_the_given_order_in_one_query(pages):
    given = [pages["public"], pages["private"], pages["under_private"], pages["section"]]
    given += [pages["unpublished"], None, factories.RolePageFactory.build()]  # unsaved: no pk
    with CaptureQueriesContext(connection) as queries:
        assert visible_pages(given) == [pages["public"], pages["section"]]
    assert len(queries) == 1
    with CaptureQueriesContext(connection) as queries:
        assert visible_pages([None, factories.RolePageFactory.build()]) == []
        assert visible_pages([]) == []
    assert len(queries) == 0


def test_visibility_read_along_costs_no_query_per_page(pages):
    annotated = list(with_visible_now(ours(pages)).order_by("path"))
    assert {p.pk: p.visible_now for p in annotated} == {
        p.pk: name in {"section", "public"} for name, p in pages.items()
    }
    with CaptureQueriesContext(connection) as queries:
        seen = [page for page in annotated if is_visible(page)]
    assert names(pages, seen) == {"section", "public"}
    assert len(queries) == 0


def test_visibility_of_a_page_not_read_along_is_asked_of_the_database(pages):
    with CaptureQueriesContext(connection) as queries:
        assert is_visible(pages["public"]) is True
        assert is_visible(pages["private"]) is False
        assert is_visible(pages["under_private"]) is False
        assert is_visible(pages["unpublished"]) is False
    assert len(queries) == 4


@pytest.fixture
def timeline():
    """Roles ``a`` and ``b`` in a section, first published on day 1, then on later days
    restricted, republished and unrestricted (each day at noon; see the tests)."""
    with on(DAY[1]):
        section = factories.RoleIndexPageFactory(parent=Page.get_first_root_node())
        return (
            section,
            factories.RolePageFactory(parent=section),
            factories.RolePageFactory(parent=section),
        )


def public_publishes(page):
    """The days of ``page``'s publishes that count in public history."""
    entries = PageLogEntry.objects.filter(page=page, action="wagtail.publish")
    return sorted(entry.timestamp.day for entry in published_while_public(entries))


def all_publishes(page):
    entries = PageLogEntry.objects.filter(page=page, action="wagtail.publish")
    return sorted(entry.timestamp.day for entry in entries)


def test_a_publish_made_while_restricted_never_counts(timeline):
    section, a, b = timeline
    with on(DAY[2]):
        restriction = factories.restrict(a)
    with on(DAY[3]):
        republish(a, title="Written while private")
        republish(b, title="Written while the sibling was private")
    with on(DAY[4]):
        restriction.delete()
    with on(DAY[5]):
        republish(a, title="Written in public")
    assert all_publishes(a) == [1, 3, 5]
    # Day 1 was before the restriction, day 5 after it was lifted; the sibling was public.
    assert public_publishes(a) == [1, 5]
    assert public_publishes(b) == [1, 3]
    # What readers see of the page's history.
    assert [change.date.day for change in page_history(a)] == [5, 1]


def test_a_restriction_on_a_section_hides_publishes_under_it(timeline):
    section, a, b = timeline
    with on(DAY[2]):
        restriction = factories.restrict(section)
    with on(DAY[3]):
        republish(a, title="Written while the section was private")
    with on(DAY[4]):
        restriction.delete()
    assert all_publishes(a) == [1, 3]
    assert public_publishes(a) == [1]
    assert public_publishes(section) == [1]


def test_a_restriction_in_force_again_after_a_lift_hides_publishes(timeline):
    section, a, b = timeline
    with on(DAY[2]):
        factories.restrict(a).delete()
    with on(DAY[3]):
        republish(a, title="Written in public")
    with on(DAY[4]):
        again = factories.restrict(a)
    with on(DAY[5]):
        republish(a, title="Written while private again")
    with on(DAY[6]):
        again.delete()
    assert all_publishes(a) == [1, 3, 5]
    assert public_publishes(a) == [1, 3]


def test_lifting_another_page_restriction_lifts_nothing_here(timeline):
    section, a, b = timeline
    with on(DAY[2]):
        on_a, on_b = factories.restrict(a), factories.restrict(b)
    with on(DAY[3]):
        on_b.delete()
    with on(DAY[4]):
        republish(a, title="Still private")
        republish(b, title="Public again")
    with on(DAY[5]):
        on_a.delete()
    assert public_publishes(a) == [1]
    assert public_publishes(b) == [1, 4]


def test_an_edited_restriction_is_in_force_from_its_logged_edit(timeline):
    # Made without Wagtail's logging (a bulk insert), then edited through Wagtail.
    section, a, b = timeline
    with on(DAY[2]):
        (restriction,) = PageViewRestriction.objects.bulk_create(
            [PageViewRestriction(page=a, restriction_type=PageViewRestriction.PASSWORD)]
        )
    with on(DAY[3]):
        restriction.password = "changed"
        restriction.save()
    with on(DAY[4]):
        republish(a, title="Written while private")
    with on(DAY[5]):
        restriction.delete()
    assert public_publishes(a) == [1]


def test_the_same_instant_counts_as_restricted_then_as_lifted(timeline):
    # A restriction is in force from the instant it is logged up to the instant it is lifted.
    section, a, b = timeline
    with on(DAY[2]):
        factories.restrict(b).delete()  # made and lifted at once: never in force after
        restriction = factories.restrict(a)
        republish(a, title="Published as the restriction was made")
    with on(DAY[3]):
        republish(b, title="Published after an instant restriction")
    with on(DAY[4]):
        restriction.delete()
        republish(a, title="Published as the restriction was lifted")
    assert public_publishes(a) == [1, 4]
    assert public_publishes(b) == [1, 3]


def test_private_at_a_moment_follows_restrictions_in_time(timeline):
    section, a, b = timeline
    with on(DAY[3]):
        restriction = factories.restrict(section)
    with on(DAY[5]):
        restriction.delete()
    ids = [section.pk, a.pk, b.pk]

    def private_on(day):
        found = Page.objects.filter(pk__in=ids).filter(private_at(noon(day), "path"))
        return {page.pk for page in found}

    assert private_on(DAY[2]) == set()
    assert private_on(DAY[3]) == set(ids)  # from the instant it was made
    assert private_on(DAY[4]) == set(ids)
    assert private_on(DAY[5]) == set()  # lifted at that instant
    # Restricting one page leaves its section and sibling public at that moment.
    with on(DAY[6]):
        factories.restrict(a)
    assert private_on(DAY[7]) == {a.pk}
