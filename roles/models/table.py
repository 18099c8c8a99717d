"""The table of comparison's own page: the table now, as it was on a day, one cell's history
and the infographic file. The table itself is built in comparison.py."""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.functional import cached_property
from wagtail.contrib.routable_page.models import RoutablePageMixin, path

from roles.answers import AsOfForm
from roles.comparison.history import cell_history
from roles.comparison.infographic import render_svg
from roles.visibility import visible

from .base import IndexPage, latest
from .comparison import (
    AspectPage,
    RolePage,
    comparison_as_of,
    current_comparison,
    first_publish_date,
)


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
        return ["/", "/infographic/"]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["comparison"] = self.comparison
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
    # the Content-Type and the download filename say what it is.
    @path("infographic/", name="infographic")
    def infographic(self, request):
        """The infographic as a file at a stable address, always from the published data."""
        title = getattr(self.get_parent().specific, "infographic_title", "") or self.title
        response = HttpResponse(
            render_svg(self.comparison, title), content_type="image/svg+xml; charset=utf-8"
        )
        response["Content-Disposition"] = 'inline; filename="tpm-vs-tpm-infographic.svg"'
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
