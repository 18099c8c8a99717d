"""Site views that are not pages: search, and robots.txt."""

from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_GET
from wagtail.models import Page

from roles.models import AspectPage, CareerPathPage, LessonPage, RolePage

MAX_QUERY = 200  # characters; longer queries are cut, not rejected
SEARCHED_TYPES = (LessonPage, RolePage, AspectPage, CareerPathPage)
PER_PAGE = 10


@require_GET
def search(request):
    """Wagtail search over lessons, roles, aspects and career paths, published pages only."""
    query = " ".join(request.GET.get("q", "").split())[:MAX_QUERY]
    results = page = None
    if query:
        pages = Page.objects.live().public().type(*SEARCHED_TYPES).specific()
        results = pages.search(query)
        page = Paginator(results, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "roles/search.html",
        {"query": query, "results": page, "count": page.paginator.count if page else 0},
    )


@require_GET
def robots_txt(request):
    sitemap = request.build_absolute_uri("/sitemap.xml")
    body = f"User-agent: *\nDisallow: /admin/\nDisallow: /search/\n\nSitemap: {sitemap}\n"
    return render(request, "roles/robots.txt", {"body": body}, content_type="text/plain")
