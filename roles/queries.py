"""Page reads in a fixed number of queries, whatever the size of the module.

Wagtail's ``public()`` reads every view restriction before it filters (a query each time it is
called), and fetching pages of several types costs a query per type. The helpers here keep
both inside the one query that reads the pages.
"""

from wagtail.models import Page, PageManager
from wagtail.query import PageQuerySet

from roles.visibility import private_q


class ModulePageQuerySet(PageQuerySet):
    """``public()``, ``private()`` and ``not_public()`` as one subquery of the page query."""

    def private_q(self):
        return private_q()


class ModulePageManager(PageManager.from_queryset(ModulePageQuerySet)):
    pass


def specific_pages(queryset, models):
    """The pages of ``queryset`` as their specific types, in one query.

    ``.specific()`` reads the base rows, then one query per page type; joining the tables of
    the expected ``models`` reads them with the base row. A page of another type still comes
    back specific, at the cost of its own query.
    """
    links = {model: model._meta.parents[Page] for model in models if Page in model._meta.parents}
    joined = queryset.select_related(*(link.related_query_name() for link in links.values()))
    pages = []
    for page in joined:
        link = links.get(page.specific_class)
        pages.append(
            getattr(page, link.remote_field.get_accessor_name()) if link else page.specific
        )
    return pages
