"""Public history, rebuilt from Wagtail's own records: publish log entries and their revisions.

Nothing here keeps a copy of content: a page's change history, the table as it was on a past
date and the wordings of one table cell are all read back from the revisions that were
published, so they stay true to what learners actually saw.

The page classes the table is made of are the callers' to give (roles.models.comparison wraps
the functions that need them): this module sits below the models.
"""

import datetime
import re
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, OuterRef
from django.utils import timezone
from wagtail.models import Page, PageLogEntry, Revision

from roles.comparison.matrix import build_matrix, statement_rows
from roles.visibility import in_history, private_at, published_while_public, visible

ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
PUBLISH_ACTIONS = ("wagtail.publish", "wagtail.publish.scheduled")
UNPUBLISH_ACTIONS = ("wagtail.unpublish", "wagtail.unpublish.scheduled")


@dataclass(frozen=True)
class Change:
    """One publish as learners see it: when, by whom, with which note, of which page."""

    date: datetime.datetime
    note: str
    user: str
    page: object = None
    revision: object = None


def _change(entry):
    content = entry.revision.content
    return Change(
        date=entry.timestamp,
        note=(content.get("change_note") or "").strip(),
        user=entry.user_display_name,
        page=entry.page,
        revision=entry.revision,
    )


def with_revision(entries):
    """Log entries whose revision still exists. Wagtail's purge_revisions deletes old
    revisions but keeps the log, whose entries then point at nothing: what such a publish
    showed is unknown, so history leaves it out rather than guess (or fail)."""
    return entries.filter(Exists(Revision.objects.filter(pk=OuterRef("revision_id"))))


def publishes(**filters):
    """Publishes learners saw: made while the page was public, of pages not private now."""
    entries = PageLogEntry.objects.filter(
        action__in=PUBLISH_ACTIONS, page__in=in_history(Page.objects.all())
    ).filter(**filters)
    return (
        published_while_public(with_revision(entries))
        .select_related("revision", "user", "page")
        .order_by("-timestamp", "-pk")
    )


def page_history(page):
    """Every public publish of one page, newest first."""
    return [_change(entry) for entry in publishes(page_id=page.pk)]


def recent_changes(root, limit=10):
    """The latest public publishes anywhere in the module, of pages still published."""
    pages = visible(Page.objects.descendant_of(root, inclusive=True))
    return [_change(entry) for entry in publishes(page__in=pages)[:limit]]


def parse_iso_date(value):
    """A date written exactly YYYY-MM-DD; ValueError otherwise.

    date.fromisoformat alone would also take week dates and compact forms ("20250305"),
    which the site's and the API's messages do not promise.
    """
    value = (value or "").strip()
    if not ISO_DATE.fullmatch(value):
        raise ValueError(value)
    return datetime.date.fromisoformat(value)


def end_of_day(day):
    """The first instant after ``day`` in the site's time zone; now, for today or later."""
    if day >= timezone.localdate():
        return timezone.now()
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min)) + (
        datetime.timedelta(days=1)
    )


def table_as_of(day, aspect_model, role_model):
    """The table exactly as published at the end of ``day``, or None before the first publish.

    Each role (a ``role_model`` page) and aspect (an ``aspect_model`` page, with its
    ``statements``) is taken at its last public publish or its unpublish up to that moment,
    and left out if it was private then or is private now (roles.visibility); rows and
    columns follow today's tree order (Wagtail keeps no history of moves).
    """
    end = end_of_day(day)
    types = ContentType.objects.get_for_models(aspect_model, role_model)
    pages = in_history(Page.objects.filter(content_type__in=types.values())).exclude(
        private_at(end, "path")
    )
    changes = PageLogEntry.objects.filter(page__in=pages, timestamp__lt=end)
    entries = (
        (
            published_while_public(with_revision(changes.filter(action__in=PUBLISH_ACTIONS)))
            | changes.filter(action__in=UNPUBLISH_ACTIONS)
        )
        .select_related("revision")
        .order_by("timestamp", "pk")
    )
    state = {}
    for entry in entries:
        state[entry.page_id] = entry if entry.action in PUBLISH_ACTIONS else None
    if not state:
        return None
    # Today's pages in one query (pages deleted since have lost their revisions and cannot be
    # shown), each given back the content the table shows as it was then. Wagtail's
    # with_content_json() would rebuild whole pages, a handful of queries each.
    current = Page.objects.filter(pk__in=[pk for pk, e in state.items() if e]).specific()
    pages = []
    for page in sorted(current, key=lambda page: page.path):
        entry = state[page.pk]
        content, when = entry.revision.content, entry.timestamp
        pages.append(_as_published(page, content, when, aspect_model, role_model))
    aspects = [p for p in pages if isinstance(p, aspect_model)]
    roles = [p for p in pages if isinstance(p, role_model)]
    return build_matrix(roles, aspects, statement_rows(aspects))


def _as_published(page, content, when, aspect_model, role_model):
    """``page`` with the fields the table shows set from a revision's content (in memory)."""
    page.title = content.get("title", page.title)
    if isinstance(page, role_model):
        for field in ("abbreviation", "short_label", "colour"):
            setattr(page, field, content.get(field, getattr(page, field)))
    if isinstance(page, aspect_model):
        for field in ("icon", "scale_label", "scale_low", "scale_high"):
            setattr(page, field, content.get(field, getattr(page, field)))
        # The rows' class from the aspect's own relation: this module names no models.
        statement_model = aspect_model._meta.get_field("statements").related_model
        page.statements = [
            statement_model(
                page_id=page.pk,
                role_id=row.get("role"),
                statement=row.get("statement", ""),
                # Revisions from before the infographic's fields have neither.
                phrase=row.get("phrase") or "",
                value=row.get("value"),
                sort_order=row.get("sort_order"),
            )
            for row in content.get("statements", [])
        ]
    page.last_published_at = when  # the revision was saved just before its publish
    return page


def first_table_publish(aspect_model, role_model):
    """When the first role or aspect was published (publicly), or None."""
    types = ContentType.objects.get_for_models(aspect_model, role_model)
    entry = publishes(content_type__in=types.values()).order_by("timestamp").first()
    return entry.timestamp if entry else None


@dataclass(frozen=True)
class Wording:
    statement: str | None
    change: Change


def cell_history(aspect, role):
    """Each published wording of one aspect x role cell, oldest first.

    A publish that left the cell as it was is not listed; one that removed the statement is,
    with ``statement=None``. Only public publishes count (roles.visibility).
    """
    wordings = []
    for entry in list(publishes(page_id=aspect.pk))[::-1]:
        rows = entry.revision.content.get("statements", [])
        text = next((row["statement"] for row in rows if row.get("role") == role.pk), None)
        if not wordings or wordings[-1].statement != text:
            wordings.append(Wording(text, _change(entry)))
    return wordings
