from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.module_loading import import_string
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet

from roles import comment_moderation as comments


def admin_view(name):
    """The class-based view ``name``, imported when it first answers. Every worker builds the
    admin's URLs, public ones too: importing the matrix's and the LMS export's code there
    would keep it (about 1 MB) in processes that never serve an editor."""
    view = None

    def load(request, *args, **kwargs):
        nonlocal view
        if view is None:
            view = import_string(name).as_view()
        return view(request, *args, **kwargs)

    return load


@hooks.register("register_admin_urls")
def register_matrix_url():
    return [
        path(
            "comparison-matrix/",
            admin_view("roles.admin_views.ComparisonMatrixView"),
            name="comparison_matrix",
        ),
        path(
            "comparison-matrix/cell/<int:aspect_id>/<int:role_id>/",
            admin_view("roles.admin_views.CellView"),
            name="comparison_matrix_cell",
        ),
        path(
            "comparison-matrix/bulk/",
            admin_view("roles.admin_views.BulkView"),
            name="comparison_matrix_bulk",
        ),
        path("lms-export/", admin_view("roles.lms.views.ExportView"), name="lms_export"),
    ]


@hooks.register("insert_editor_js")
def statement_rows_js():
    # The aspect editor's statement rows: headed by their role, a new row set to the first role
    # without a statement, and opened from a matrix cell (?role=<id>), that role's row focused
    # or added, so the matrix's link works without the matrix's own script.
    return format_html('<script src="{}" defer></script>', static("js/admin-statements.js"))


@hooks.register("insert_editor_js")
def autosave_message_js():
    # A refused publish followed by autosave's "Saved" gets one consistent message (see file).
    return format_html('<script src="{}" defer></script>', static("js/admin-autosave-message.js"))


@hooks.register("after_edit_page")
def back_to_the_matrix(request, page):
    # Wagtail returns to ?next= after publishing or submitting, but stays in the editor after
    # saving a draft; opened from the matrix, saving a draft goes back to it too. Autosave
    # (a JSON request) stays where it is.
    target = request.POST.get("next", "")
    if target == reverse("comparison_matrix") and request.accepts("text/html"):
        return redirect(target)
    return None


@hooks.register("register_admin_menu_item")
def register_matrix_menu_item():
    return MenuItem(
        "Comparison matrix", reverse("comparison_matrix"), icon_name="table", order=250
    )


@hooks.register("construct_homepage_panels")
def add_module_status_panel(request, panels):
    from roles.admin_views import ModuleStatusPanel  # admin only: see admin_view

    panels.append(ModuleStatusPanel())


@hooks.register("insert_global_admin_css")
def module_admin_css():
    return format_html('<link rel="stylesheet" href="{}">', static("css/admin.css"))


class ExportMenuItem(MenuItem):
    def is_shown(self, request):
        from roles.lms.views import may_export  # admin only: see admin_view

        return may_export(request.user)


@hooks.register("register_admin_menu_item")
def register_lms_export_menu_item():
    url = reverse("lms_export")
    return ExportMenuItem("Export for an LMS", url, icon_name="download", order=260)


@hooks.register("register_log_actions")
def register_lms_export_log_action(actions):
    from roles.lms.export import LOG_ACTION  # the export's code: see admin_view

    actions.register_action(LOG_ACTION, "Export for an LMS", "Exported the module for an LMS")


# Learners' comments (roles/comment_moderation.py). The policy first: Wagtail makes a default
# one for the model as soon as anything asks, and then refuses another.
register_permission_policy(comments.Comment, comments.CommentPermissionPolicy(comments.Comment))
register_snippet(comments.CommentViewSet())
hooks.register("register_log_actions", comments.register_comment_log_actions)
hooks.register("construct_homepage_panels", comments.add_comments_panel)
