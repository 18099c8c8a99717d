"""The admin's "Export for an LMS": pick a format, download the package; past exports listed.
Moderators and superusers only: whoever may publish the module may hand it to an LMS."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect
from django.views.generic import FormView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from roles.models import ModulePage

from .export import LABELS, build, exports, record
from .rendition import RenditionError


def may_export(user):
    """Whoever may publish the module may export it: moderators and superusers."""
    if user.is_superuser:
        return True
    home = ModulePage.objects.order_by("path").first()
    return home is not None and home.permissions_for_user(user).can_publish()


class ExportForm(forms.Form):
    format = forms.ChoiceField(
        choices=list(LABELS.items()),
        widget=forms.RadioSelect,
        initial="scorm12",
        help_text="SCORM 1.2 plays in every LMS; SCORM 2004 and cmi5 report completion and "
        "success separately. Ask your LMS team which one it imports.",
    )


class ExportView(WagtailAdminTemplateMixin, FormView):
    page_title = "Export for an LMS"
    header_icon = "download"
    template_name = "roles/admin/lms_export.html"
    form_class = ExportForm
    _show_breadcrumbs = True

    def dispatch(self, request, *args, **kwargs):
        if not may_export(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [{"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(exports=exports()[:50], labels=LABELS)
        return context

    def form_valid(self, form):
        try:
            package = build(form.cleaned_data["format"], report=lambda message: None)
        except RenditionError as exc:
            messages.error(self.request, f"Nothing exported: {exc}")
            return redirect("lms_export")
        record(package, self.request.user)
        response = HttpResponse(package.data, content_type="application/zip")
        response["Content-Disposition"] = f'attachment; filename="{package.filename}"'
        return response
