"""Site views that are not pages: search, the sitemap and robots.txt."""

from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_GET
from tpmsite.ops.search import passages, prefetch_searchable, searchable_text
from wagtail.contrib.sitemaps import Sitemap
from wagtail.models import Page

from roles.models import AspectPage, CareerPathPage, LessonPage, RolePage
from roles.visibility import visible, visible_for_search

MAX_QUERY = 200  # characters; longer queries are cut, not rejected
# What each result is called, in the words of the module (not the models' "role page").
SEARCHED_TYPES = {
    LessonPage: "Lesson",
    RolePage: "Role",
    AspectPage: "Aspect",
    CareerPathPage: "Career path",
}
PER_PAGE = 10


@require_GET
def search(request):
    """Wagtail search over lessons, roles, aspects and career paths, published pages only."""
    query = " ".join(request.GET.get("q", "").split())[:MAX_QUERY]
    page = None
    rows = []
    if query:
        pages = visible_for_search(Page.objects.type(*SEARCHED_TYPES)).specific()
        page = Paginator(pages.search(query), PER_PAGE).get_page(request.GET.get("page"))
        found = list(page)
        prefetch_searchable(found)
        marked = passages([searchable_text(result) for result in found], query)
        rows = [
            (result, SEARCHED_TYPES.get(type(result), ""), passage)
            for result, passage in zip(found, marked, strict=True)
        ]
    return render(
        request,
        "roles/search.html",
        {
            "query": query,
            "results": page,
            "rows": rows,
            "count": page.paginator.count if page else 0,
        },
    )


class ModuleSitemap(Sitemap):
    """Wagtail's sitemap in three queries instead of one per page type.

    A sitemap entry needs only the address and publish date, which every page has; the
    specific pages are made without reading their own tables (Wagtail's default reads them).
    """

    def items(self):
        root = self.get_wagtail_site().root_page
        pages = visible(root.get_descendants(inclusive=True))
        return pages.order_by("path").specific(defer=True)


@require_GET
def robots_txt(request):
    sitemap = request.build_absolute_uri("/sitemap.xml")
    body = f"User-agent: *\nDisallow: /admin/\nDisallow: /search/\n\nSitemap: {sitemap}\n"
    return render(request, "roles/robots.txt", {"body": body}, content_type="text/plain")
