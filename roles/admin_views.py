"""Admin screens for editors: the comparison matrix and the dashboard's status panel."""

from django.contrib import messages
from django.http import HttpResponseBadRequest, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.views import View
from django.views.generic import TemplateView
from wagtail.admin.ui.components import Component
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.models import Page, Revision, WorkflowState

from roles.matrix_editing import (
    Refused,
    changed_aspects,
    matrix_cells,
    publish_or_submit,
    save_cell,
)
from roles.models import AspectPage, RolePage


class ComparisonMatrixView(WagtailAdminTemplateMixin, TemplateView):
    """Aspects x roles: each cell's wording, its state (published, draft differs, in moderation,
    scheduled, missing), a form to change it, and a link to the aspect's editor at that row."""

    page_title = "Comparison matrix"
    header_icon = "table"
    template_name = "roles/admin/matrix.html"
    _show_breadcrumbs = True

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [{"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        roles = list(RolePage.objects.order_by("path"))
        aspects = list(AspectPage.objects.order_by("path").defer_streamfields())
        rows = matrix_cells(aspects, roles)
        perms = {a.pk: a.permissions_for_user(user) for a in aspects}
        context.update(
            roles=[
                (role, sum(1 for _, cells in rows if cells[i].state == "missing"))
                for i, role in enumerate(roles)
            ],
            rows=[(aspect, perms[aspect.pk], cells) for aspect, cells in rows],
            matrix_url=self.request.path,
            can_publish=any(p.can_publish() for p in perms.values()),
            changed=len(changed_aspects(rows)),
        )
        return context


def _wants_json(request):
    return "application/json" in request.headers.get("Accept", "")


class CellView(View):
    """POST: one cell's new wording, saved (and submitted or published) as a new revision of
    its aspect. JSON for the matrix's script; a message and the matrix again without it."""

    def post(self, request, aspect_id, role_id):
        aspect = get_object_or_404(AspectPage, pk=aspect_id)
        role = get_object_or_404(RolePage, pk=role_id)
        action = request.POST.get("action", "save")
        text = request.POST.get("statement", "")
        try:
            note = request.POST.get("change_note", "")
            revision, errors = save_cell(aspect, role, text, request.user, action, note)
        except Refused as refusal:
            return self.answer(request, refusal.status, [refusal.message])
        if errors:
            return self.answer(request, 400, errors)
        aspect.refresh_from_db()
        cell = matrix_cells([aspect], [role])[0][1][0]
        done = {"save": "Saved as a draft", "submit": "Submitted for moderation"}
        message = f"{done.get(action, 'Published')}: {aspect.title}, {role.title}."
        return self.answer(request, 200, [], message, cell)

    def answer(self, request, status, errors, message="", cell=None):
        if _wants_json(request):
            body = {"ok": not errors, "errors": errors, "message": message}
            if cell is not None:
                body.update(
                    state=cell.state,
                    label=cell.label,
                    who=cell.who,
                    when=date_format(localtime(cell.when), "DATETIME_FORMAT") if cell.when else "",
                    text=cell.text or "",
                )
            return JsonResponse(body, status=status)
        for error in errors:
            messages.error(request, error)
        if message:
            messages.success(request, message)
        return redirect("comparison_matrix")


class BulkView(WagtailAdminTemplateMixin, TemplateView):
    """Publish (or submit for moderation) every changed aspect, or those changed in one role's
    column: GET asks to confirm, listing them; POST does it, page by page, as by hand."""

    page_title = "Publish the matrix's changes"
    header_icon = "table"
    template_name = "roles/admin/matrix_bulk.html"

    def dispatch(self, request, *args, **kwargs):
        self.action = request.GET.get("action") or request.POST.get("action") or "publish"
        if self.action not in ("publish", "submit"):
            return HttpResponseBadRequest("Unknown action.")
        role_id = request.GET.get("role") or request.POST.get("role")
        self.role = get_object_or_404(RolePage, pk=role_id) if role_id else None
        roles = list(RolePage.objects.order_by("path"))
        aspects = list(AspectPage.objects.order_by("path").defer_streamfields())
        self.aspects = changed_aspects(matrix_cells(aspects, roles), self.role)
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        verb = "Publish" if self.action == "publish" else "Submit for moderation"
        return f"{verb}: {self.role.title if self.role else 'every changed aspect'}"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(action=self.action, role=self.role, aspects=self.aspects)
        return context

    def post(self, request):
        done, refused = publish_or_submit(self.aspects, request.user, self.action)
        verb = "Published" if self.action == "publish" else "Submitted for moderation"
        if done:
            messages.success(request, f"{verb}: " + ", ".join(a.title for a in done) + ".")
        for aspect, reason in refused:
            messages.error(request, f"Not {verb.lower()}: {aspect.title}. {reason}")
        if not done and not refused:
            messages.info(request, "Nothing to do: no aspect has unpublished changes.")
        return redirect("comparison_matrix")


class ModuleStatusPanel(Component):
    """Dashboard: what is in draft, waiting for a moderator, or scheduled to go live, and the
    roles with published aspects still to write a statement for."""

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
            incomplete=[
                (role, len(missing))
                for role in RolePage.objects.order_by("path")
                if (missing := role.statement_gaps().missing)
            ],
        )
        return context
