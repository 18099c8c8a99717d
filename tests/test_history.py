"""Public history: change notes, the table as of a date, and each cell's wordings."""

import datetime
import io
from contextlib import contextmanager
from unittest import mock

import pytest
from django.core.management import call_command
from django.utils import timezone
from wagtail.models import PageLogEntry, Revision

from tests import factories
from tests.conftest import soup

pytestmark = pytest.mark.django_db

DAY1, DAY2, DAY3 = (datetime.date(2025, 3, d) for d in (5, 12, 19))


def noon(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


@contextmanager
def on(day):
    """Run as if it were noon on ``day``: Wagtail dates its log entries with timezone.now()."""
    with mock.patch("django.utils.timezone.now", return_value=noon(day)):
        yield


def republish(page, user=None, **changes):
    draft = page.get_latest_revision_as_object()
    statements = changes.pop("statements", None)
    for name, value in changes.items():
        setattr(draft, name, value)
    if statements:
        rows = list(draft.statements.all())
        for row in rows:
            if row.role_id in statements:
                row.statement = statements[row.role_id]
        draft.statements = rows
    draft.save_revision(user=user).publish(user=user)
    page.refresh_from_db()
    return page


def table_rows(html):
    for chip in html.select(".role-chip"):  # chips repeat short labels: see test_look.py
        chip.decompose()
    return [
        [" ".join(c.get_text(" ").split()) for c in tr.find_all(["th", "td"])]
        for tr in html.select("table.comparison tr")
    ]


@pytest.fixture
def dated(module):
    """The module first published on DAY1, a statement reworded on DAY2, then on DAY3 a
    role renamed and an aspect unpublished."""
    PageLogEntry.objects.update(timestamp=noon(DAY1))
    Revision.objects.update(created_at=noon(DAY1))
    scope, focus = module.aspects
    role = module.roles[0]
    module.first_wording = scope.statements.get(role=role).statement
    module.first_role_heading = role.heading
    with on(DAY2):
        republish(scope, statements={role.pk: "Reworded on day two"}, change_note="Day two")
    with on(DAY3):
        republish(role, title="Renamed role")
        focus.unpublish()
    return module


def test_each_date_gives_the_table_as_published_then(client, dated):
    scope, focus = dated.aspects
    role, other = dated.roles
    url = dated.comparison.url

    day1 = table_rows(soup(client, f"{url}?as_of={DAY1}"))
    assert [r[0] for r in day1[1:]] == [scope.title, focus.title]
    assert day1[1][1] == dated.first_wording
    assert day1[0][1] == dated.first_role_heading  # the name it had then

    day2 = table_rows(soup(client, f"{url}?as_of={DAY2}"))
    assert day2[1][1] == "Reworded on day two"
    assert [r[0] for r in day2[1:]] == [scope.title, focus.title]

    day3 = soup(client, f"{url}?as_of={DAY3}")
    rows = table_rows(day3)
    assert [r[0] for r in rows[1:]] == [scope.title]
    assert rows[0][1] == "Renamed role"
    assert "as it was published at the end of Mar 19, 2025" in day3.get_text(" ")

    # The day in between shows day two's table: the end of a day, not the exact day.
    between = table_rows(soup(client, f"{url}?as_of=2025-03-15"))
    assert between == day2


def test_a_date_before_the_first_publish_says_there_was_no_table(client, dated):
    html = soup(client, f"{dated.comparison.url}?as_of=2025-03-04")
    assert "There was no table yet on Mar 4, 2025" in html.get_text(" ")
    assert "first version was published on Mar 5, 2025" in html.get_text(" ")
    assert html.select_one("table.comparison") is None


@pytest.mark.parametrize(
    "value", ["yesterday", "2025-13-01", "2025-02-30", "20250305", "", "9" * 500]
)
def test_a_malformed_date_gives_a_clear_message(client, module, value):
    html = soup(client, f"{module.comparison.url}?as_of={value}", status=400)
    assert "is not a date" in html.select_one("[role=alert]").get_text()
    assert "YYYY-MM-DD" in html.get_text()


def test_far_future_dates_show_the_current_table(client, module):
    current = table_rows(soup(client, module.comparison.url))
    assert table_rows(soup(client, f"{module.comparison.url}?as_of=9999-12-31")) == current


def test_cell_history_lists_each_wording_with_date_user_and_note(client, dated):
    editor = factories.UserFactory(groups=["Moderators"], first_name="Pat", last_name="Lee")
    scope = dated.aspects[0]
    role = dated.roles[0]
    with on(DAY3):
        republish(scope, user=editor, statements={role.pk: "Third wording"}, change_note="Tidy")
    table = soup(client, dated.comparison.url)
    link = table.find(
        "a", class_="cell-history", href=lambda h: h.endswith(f"/{scope.pk}/{role.pk}/")
    )
    assert link, "each cell links to its history"

    items = soup(client, link["href"]).select("ol.wordings > li")
    texts = [" ".join(li.get_text(" ").split()) for li in items]
    assert [t.split(" Published")[0] for t in texts] == [
        dated.first_wording,
        "Reworded on day two",
        "Third wording",
    ]
    assert "Mar 12, 2025" in texts[1] and "Day two" in texts[1]
    assert "by Pat Lee" in texts[2] and "Tidy" in texts[2]


def test_cell_history_of_unknown_cells_is_not_found(client, module):
    base = module.comparison.url
    assert client.get(f"{base}history/999999/{module.roles[0].pk}/").status_code == 404
    assert (
        client.get(f"{base}history/{module.roles[0].pk}/{module.roles[0].pk}/").status_code == 404
    )


def test_pages_show_their_change_history_and_the_module_recent_changes(client, module):
    lesson = module.lessons[0]
    republish(lesson, change_note="Clarified the overview")
    html = soup(client, lesson.url)
    history = html.select_one(".page-history").get_text(" ")
    assert "Clarified the overview" in history
    assert len(html.select(".page-history li")) == 2  # first publish + this one

    recent = soup(client, module.home.url).select_one(".page-history").get_text(" ")
    assert "Clarified the overview" in recent and lesson.title in recent


def test_the_change_note_is_not_offered_again_for_the_next_change(admin_client, module):
    from tests.conftest import edit_form_data

    lesson = republish(module.lessons[0], change_note="First note")
    assert edit_form_data(admin_client, lesson).get("change_note", "") == ""


def test_the_dated_table_costs_the_same_queries_however_big_it_is(client, module):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    today = datetime.date.today().isoformat()

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(f"{module.comparison.url}?as_of={today}").status_code == 200
        return len(ctx.captured_queries)

    count()  # warm per-process caches
    small = count()
    for _ in range(4):
        factories.AspectPageFactory(
            parent=module.comparison, statements={r: "x" for r in module.roles}
        )
    factories.RolePageFactory(parent=module.role_index)
    assert count() == small


def test_after_old_revisions_are_purged_history_leaves_out_what_it_cannot_show(client, dated):
    """Wagtail's purge_revisions keeps the log but deletes superseded revisions: publishes
    whose wording is gone are left out, never guessed or shown as a removed statement."""
    scope, focus = dated.aspects
    role = dated.roles[0]
    call_command("purge_revisions", stdout=io.StringIO())
    url = dated.comparison.url

    wordings = soup(client, f"{url}history/{scope.pk}/{role.pk}/").select("ol.wordings > li")
    assert [li.get_text(" ").split(" Published")[0].strip() for li in wordings] == [
        "Reworded on day two"
    ]
    day1 = table_rows(soup(client, f"{url}?as_of={DAY1}"))
    assert [r[0] for r in day1[1:]] == [focus.title]  # scope's first publish is gone
    day2 = table_rows(soup(client, f"{url}?as_of={DAY2}"))
    assert [r[0] for r in day2[1:]] == [scope.title, focus.title]
    # The role's only publish left is day three's rename: until then it is no column.
    assert [heading.split(" (")[0] for heading in day2[0][1:]] == [dated.roles[1].title]
    assert "Day two" in soup(client, scope.url).select_one(".page-history").get_text(" ")
    assert client.get(f"/api/v3/comparison/diff/?from={DAY1}&to={DAY3}").status_code == 200
    assert soup(client, dated.home.url).select_one(".page-history")
