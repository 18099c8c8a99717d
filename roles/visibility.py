"""What an anonymous reader may see: the one rule every public surface goes through.

A page is **visible** when it is live and public: published, with no view restriction
(password, login or groups) on it or on any ancestor. Pages, tables, lessons, the API, the
sitemap, search and exports read pages through ``visible()`` (or ``visible_pages()`` for pages
already in hand), so a private, unpublished or never-published page, and the draft title an
unpublished page's row holds, never reach a reader.

History follows the same rule in time. Wagtail logs every publish, unpublish and change of a
view restriction, so whether a page was private at any moment is knowable: a publish made
while the page or an ancestor was restricted never counts in public history (change
histories, the dated table, cell histories, the diff), and a page that is private now is
absent from all of them. A page unpublished since still shows in history as it was while
it was public: that is what history is for.
"""

from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q, Value
from django.db.models.functions import Length, Substr
from wagtail.models import PageLogEntry, PageViewRestriction

RESTRICTED = ("wagtail.view_restriction.create", "wagtail.view_restriction.edit")
UNRESTRICTED = "wagtail.view_restriction.delete"


def private_q():
    """Pages in a private section now, decided in SQL: a restriction on the page or an
    ancestor, whose path is then a prefix of the page's own (Wagtail's test, without reading
    the restrictions first)."""
    restrictions = PageViewRestriction.objects.filter(
        page__path=Substr(OuterRef("path"), 1, Length("page__path"))
    )
    return Q(Exists(restrictions))


def visible(queryset):
    """The pages of ``queryset`` an anonymous reader may see now."""
    return queryset.live().exclude(private_q())


def in_history(queryset):
    """The pages of ``queryset`` whose public past readers may see: those not private now."""
    return queryset.exclude(private_q())


def visible_for_search(queryset):
    """The same rule for search: Wagtail's search backends cannot translate the subquery of
    ``private_q()``, so ``queryset`` must be of ``Page.objects``, whose ``public()`` reads
    the restrictions first and filters by their paths."""
    return queryset.live().public()


def visible_pages(pages):
    """The pages in ``pages`` (instances, in their order) a reader may see, in one query."""
    from wagtail.models import Page

    pages = [page for page in pages if page is not None and page.pk]
    if not pages:
        return []
    ids = set(
        visible(Page.objects.filter(pk__in=[page.pk for page in pages])).values_list(
            "pk", flat=True
        )
    )
    return [page for page in pages if page.pk in ids]


def with_visible_now(queryset):
    """``queryset`` with each page's visibility read along (``page.visible_now``), for a
    prefetch whose pages are then tested one by one with ``is_visible``."""
    return queryset.annotate(
        visible_now=ExpressionWrapper(Q(live=True) & ~private_q(), output_field=BooleanField())
    )


def is_visible(page):
    """Whether a reader may see one page: a query, unless read ``with_visible_now``."""
    known = getattr(page, "visible_now", None)
    return bool(known) if known is not None else bool(visible_pages([page]))


def private_at(when, path):
    """Q for log entries or pages: a view restriction was in force at ``when`` on the page
    at ``path`` or on one of its ancestors.

    ``when`` is a field of the row being filtered (``"timestamp"`` for log entries) or a
    datetime; ``path`` is a field (``"page__path"`` for log entries, ``"path"`` for pages).
    A restriction is in force from its logged creation (or edit) to its logged deletion.
    Restrictions made without Wagtail's logging (a bulk insert) are unknown to the past; a
    page restricted now is absent from history anyway (``in_history``).
    """

    def at_depth(depth):
        if not isinstance(when, str):
            return Value(when)
        expression = when
        for _ in range(depth):
            expression = OuterRef(expression)
        return expression

    lifted_since = PageLogEntry.objects.filter(
        action=UNRESTRICTED,
        page_id=OuterRef("page_id"),
        timestamp__gte=OuterRef("timestamp"),
        timestamp__lte=at_depth(2),
    )
    in_force = PageLogEntry.objects.filter(
        action__in=RESTRICTED,
        page__path=Substr(OuterRef(path), 1, Length("page__path")),
        timestamp__lte=at_depth(1),
    ).exclude(Exists(lifted_since))
    return Q(Exists(in_force))


def published_while_public(entries):
    """Publish log entries made while their page was visible to readers."""
    return entries.exclude(private_at("timestamp", "page__path"))
