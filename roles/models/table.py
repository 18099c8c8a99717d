"""The table of comparison's own page: the table now, as it was on a day, one cell's history
and the infographic file. The table itself is built in comparison.py."""

from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404
from django.utils.functional import cached_property
from wagtail.contrib.routable_page.models import RoutablePageMixin, path, re_path

from roles.answers import AsOfForm
from roles.comparison.history import cell_history
from roles.comparison.infographic import LAYOUTS, render_png, render_svg
from roles.visibility import visible

from .base import IndexPage, latest, lazy_context
from .comparison import (
    AspectPage,
    RolePage,
    comparison_as_of,
    current_comparison,
    first_publish_date,
)

INFOGRAPHIC_PATHS = [
    f"/infographic/{layout}{kind}"
    for layout in ("", "narrow/", "wide/")
    for kind in ("", "png/", "png/2x/", "png/1x/")
]


class ComparisonPage(RoutablePageMixin, IndexPage):
    """The table of comparison: its children are the aspects (rows) in table order.

    ``?as_of=YYYY-MM-DD`` shows the table as published at the end of that day, rebuilt from
    revisions; ``history/<aspect>/<role>/`` lists every published wording of one cell.
    """

    subpage_types = ["roles.AspectPage"]

    @cached_property
    def comparison(self):
        return current_comparison()

    @property
    def last_updated(self):
        return latest(self.last_published_at, self.comparison.last_published_at)

    def get_cached_paths(self):
        # What an HTTP cache holds for this page besides itself, for Wagtail's purges.
        # Every download lives under /infographic/ (the VCL purges a path and all below it);
        # listed one by one as well for backends that purge exact URLs.
        return ["/", "/infographic/", *INFOGRAPHIC_PATHS]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # Read when rendered, not when the table's fragment comes from the shared cache.
        lazy_context(context, lambda: {"comparison": self.comparison}, ("comparison",))
        context["comparison_page"] = self
        return context

    @path("")
    def table(self, request):
        if "as_of" not in request.GET:
            return self.render(request)
        form = AsOfForm(request.GET)
        if not form.is_valid():
            raw = form["as_of"].data
            error = f"“{raw[:40]}” is not a date: use the form YYYY-MM-DD, e.g. 2025-03-05."
            response = self.render(request, context_overrides={"as_of_error": error})
            response.status_code = 400
            return response
        day = form.cleaned_data["as_of"]
        comparison = comparison_as_of(day)
        context = {"as_of": day, "comparison": comparison, "first_publish": first_publish_date()}
        if comparison is None:
            context["comparison"] = current_comparison(aspects=[], roles=[])
        return self.render(request, context_overrides=context)

    # Wagtail page URLs are slash-terminated word segments, so no ".svg" in the address;
    # the Content-Type and the download filename say what it is. Each layout and scale has
    # an address of its own (no query string) so the page cache keeps and purges it:
    # infographic/[narrow/][png/[2x/]]. ?layout= and ?scale= are accepted too.
    @re_path(
        r"^infographic/(?:(?P<layout>wide|narrow)/)?(?:(?P<png>png)/(?:(?P<scale>[12])x/)?)?$",
        name="infographic",
    )
    def infographic(self, request, layout=None, png=None, scale=None):
        """The infographic as a file at a stable address, always from the published data."""
        layout = layout or request.GET.get("layout", "wide")
        if layout not in LAYOUTS:
            return HttpResponseBadRequest(
                f"Unknown layout “{layout[:20]}”: use layout=wide or layout=narrow.",
                content_type="text/plain; charset=utf-8",
            )
        scale = scale or request.GET.get("scale", "1")
        if scale not in ("1", "2"):
            return HttpResponseBadRequest(
                f"Unknown scale “{scale[:20]}”: use scale=1 or scale=2.",
                content_type="text/plain; charset=utf-8",
            )
        svg = render_svg(self.comparison, layout)
        name = f"tpm-vs-tpm-infographic-{layout}"
        if png:
            response = HttpResponse(render_png(svg, int(scale)), content_type="image/png")
            suffix = "@2x" if scale == "2" else ""
            response["Content-Disposition"] = f'attachment; filename="{name}{suffix}.png"'
            return response
        response = HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")
        response["Content-Disposition"] = f'inline; filename="{name}.svg"'
        return response

    @path("history/<int:aspect_id>/<int:role_id>/", name="cell_history")
    def cell_history_view(self, request, aspect_id, role_id):
        aspect = get_object_or_404(visible(AspectPage.objects.all()), pk=aspect_id)
        role = get_object_or_404(visible(RolePage.objects.all()), pk=role_id)
        return self.render(
            request,
            template="roles/cell_history.html",
            context_overrides={
                "aspect": aspect,
                "role": role,
                "wordings": cell_history(aspect, role),
            },
        )
