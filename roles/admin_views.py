"""Admin screens for editors: the comparison matrix and the dashboard's status panel."""

from django.utils import timezone
from django.views.generic import TemplateView
from wagtail.admin.ui.components import Component
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.models import Page, Revision, WorkflowState

from roles.models import AspectPage, RolePage


class MatrixCell:
    def __init__(self, published, draft):
        self.published = published  # the live statement, or None
        # The latest draft's wording when it differs from what learners see.
        self.draft = draft if draft != published else None

    @property
    def missing(self):
        return self.published is None


class ComparisonMatrixView(WagtailAdminTemplateMixin, TemplateView):
    """Aspects x roles with each cell's published statement, drafts and gaps flagged."""

    page_title = "Comparison matrix"
    header_icon = "table"
    template_name = "roles/admin/matrix.html"
    _show_breadcrumbs = True

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [{"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        roles = list(RolePage.objects.order_by("path"))
        rows = []
        for aspect in AspectPage.objects.order_by("path"):
            published = {}
            if aspect.live:
                published = {s.role_id: s.statement for s in aspect.statements.all()}
            draft = published
            if aspect.has_unpublished_changes:
                latest = aspect.get_latest_revision_as_object()
                draft = {s.role_id: s.statement for s in latest.statements.all()}
            cells = [MatrixCell(published.get(r.pk), draft.get(r.pk)) for r in roles]
            rows.append((aspect, cells))
        context.update(roles=roles, rows=rows)
        return context


class ModuleStatusPanel(Component):
    """Dashboard: what is in draft, waiting for a moderator, or scheduled to go live."""

    name = "module_status"
    template_name = "roles/admin/status_panel.html"
    order = 90

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        pages = Page.objects.filter(depth__gt=1).specific(defer=True)
        in_moderation = WorkflowState.objects.active().filter(
            base_content_type__app_label="wagtailcore", base_content_type__model="page"
        )
        scheduled = (
            Revision.page_revisions.filter(approved_go_live_at__gt=timezone.now())
            .order_by("approved_go_live_at")
            .select_related("user")
        )
        context.update(
            drafts=pages.filter(has_unpublished_changes=True).order_by(
                "-latest_revision_created_at"
            ),
            moderation=pages.filter(
                pk__in=[int(pk) for pk in in_moderation.values_list("object_id", flat=True)]
            ),
            scheduled=[(rev, rev.content_object) for rev in scheduled],
        )
        return context
