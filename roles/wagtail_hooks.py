from django.templatetags.static import static
from django.urls import path, reverse
from django.utils.html import format_html
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from roles.admin_views import ComparisonMatrixView, ModuleStatusPanel


@hooks.register("register_admin_urls")
def register_matrix_url():
    return [path("comparison-matrix/", ComparisonMatrixView.as_view(), name="comparison_matrix")]


@hooks.register("register_admin_menu_item")
def register_matrix_menu_item():
    return MenuItem(
        "Comparison matrix", reverse("comparison_matrix"), icon_name="table", order=250
    )


@hooks.register("construct_homepage_panels")
def add_module_status_panel(request, panels):
    panels.append(ModuleStatusPanel())


@hooks.register("insert_global_admin_css")
def module_admin_css():
    return format_html('<link rel="stylesheet" href="{}">', static("css/admin.css"))
