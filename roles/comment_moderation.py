"""The editors' "Comments" area in the Wagtail admin: a snippet listing of learners' comments,
one-click Approve / Reject / Mark as spam, the reply's author, and a dashboard count.

Registered from wagtail_hooks.py. Every change is in Wagtail's log (Reports → Site history):
editing and deleting by the snippet views, the quick actions by ModerateView.
"""

from typing import NamedTuple

import django_filters
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Case, Value, When
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.text import Truncator
from django.views import View
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.admin.widgets.button import Button, ListingButton
from wagtail.log_actions import log
from wagtail.models import Page
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import policy_registry
from wagtail.snippets.views.snippets import EditView, IndexView, SnippetViewSet

from roles.models import Comment


class Action(NamedTuple):
    status: str
    label: str  # the button's
    icon: str
    log_label: str  # Site history's filter
    log_message: str  # Site history's line


# The quick actions, by the name in their URL and log action.
ACTIONS = {
    "approve": Action(
        Comment.APPROVED, "Approve", "check", "Approve comment", "Approved the comment"
    ),
    "reject": Action(
        Comment.REJECTED, "Reject", "cross", "Reject comment", "Rejected the comment"
    ),
    "spam": Action(
        Comment.SPAM,
        "Mark as spam",
        "warning",
        "Mark comment as spam",
        "Marked the comment as spam",
    ),
}
LOG_PREFIX = "roles.comment."


class CommentPermissionPolicy(ModelPermissionPolicy):
    """Django's model permissions, except that nobody adds a comment in the admin (superusers
    included): comments come from learners, and one an editor wrote would pass as theirs."""

    def user_has_permission(self, user, action):
        return action != "add" and super().user_has_permission(user, action)

    def users_with_any_permission(self, actions):
        actions = [action for action in actions if action != "add"]
        if not actions:
            return get_user_model().objects.none()
        return super().users_with_any_permission(actions)


def may_moderate(user):
    return policy_registry.get_by_type(Comment).user_has_permission(user, "change")


def pages_with_comments(request):
    return Page.objects.filter(learner_comments__isnull=False).distinct().order_by("path")


class CommentFilterSet(WagtailFilterSet):
    # Only the pages that have comments: a choice of every page in the tree would bury them.
    page = django_filters.ModelChoiceFilter(queryset=pages_with_comments, label="Page")

    class Meta:
        model = Comment
        fields = ["status", "page"]


def action_buttons(comment, in_row=()):
    """A POST button per status the comment is not in yet; those named in ``in_row`` sit in
    a listing's row, the others in a dropdown. Wagtail's w-action controller posts a form with
    the CSRF token and ``next`` (this page) on click: a link would be a GET, and a GET must
    never change what learners see."""
    buttons = []
    for priority, (action, spec) in enumerate(ACTIONS.items()):
        if comment.status == spec.status:
            continue
        url = reverse(f"wagtailsnippets_roles_comment:{action}", args=[comment.pk])
        attrs = {
            "data-controller": "w-action",
            "data-action": "w-action#post",
            "data-w-action-url-value": url,
        }
        button_class = ListingButton if action in in_row else Button
        buttons.append(
            button_class(spec.label, icon_name=spec.icon, attrs=attrs, priority=priority)
        )
    return buttons


class CommentIndexView(IndexView):
    def order_queryset(self, queryset):
        queryset = super().order_queryset(queryset)
        if self.is_explicitly_ordered:
            return queryset
        # Unless the editor sorts by a column: what waits for them first, then newest first.
        pending_first = Case(When(status=Comment.PENDING, then=Value(0)), default=Value(1))
        return queryset.order_by(pending_first, "-created_at")

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if self.user_has_permission("change"):
            # Approve is the common case, so it sits in the row; the others in "More".
            buttons += action_buttons(instance, in_row={"approve"})
        return buttons


class CommentEditView(EditView):
    @property
    def header_more_buttons(self):
        return [*action_buttons(self.object), *super().header_more_buttons]

    def save_instance(self):
        # Who answered is shown with the reply; an emptied reply has no author.
        comment = self.form.instance
        if "reply" in self.form.changed_data:
            comment.replied_by = self.request.user if comment.reply.strip() else None
        return super().save_instance()


class ModerateView(PermissionCheckedMixin, View):
    """POST only: set a comment's status, log it with the user, go back where the editor was."""

    model = Comment
    permission_required = "change"
    http_method_names = ["post"]
    action = None

    def post(self, request, pk):
        comment = get_object_or_404(Comment, pk=pk)
        spec = ACTIONS[self.action]
        comment.status = spec.status
        with transaction.atomic():
            comment.save(update_fields=["status"])
            log(instance=comment, action=LOG_PREFIX + self.action, user=request.user)
        messages.success(request, f"{spec.log_message} by {comment.name}.")
        target = request.POST.get("next", "")
        if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
            return redirect(target)
        return redirect("wagtailsnippets_roles_comment:list")


class CommentViewSet(SnippetViewSet):
    model = Comment
    index_view_class = CommentIndexView
    edit_view_class = CommentEditView
    menu_label = "Comments"
    icon = "comment"
    add_to_admin_menu = True
    menu_order = 270
    list_display = [
        "name",
        TitleColumn(
            "page",
            label="Page",
            accessor=lambda comment: comment.page.title,
            get_url=lambda comment: reverse("wagtailadmin_pages:edit", args=[comment.page_id]),
        ),
        "status",
        "created_at",
        Column("excerpt", label="Text", accessor=lambda c: Truncator(c.text).chars(80)),
    ]
    filterset_class = CommentFilterSet
    ordering = "-created_at"
    # The database's icontains rather than the search index: a few hundred comments need no
    # index, and a name is found by any part of it.
    search_fields = ["text", "name"]
    search_backend_name = None

    def get_queryset(self, request):
        return Comment.objects.select_related("page")

    def get_permissions_to_register(self):
        # The groups' editor offers no "Can add comment": CommentPermissionPolicy ignores it.
        return super().get_permissions_to_register().exclude(codename="add_comment")

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            *(
                path(f"{action}/<int:pk>/", ModerateView.as_view(action=action), name=action)
                for action in ACTIONS
            ),
        ]


def register_comment_log_actions(actions):
    for action, spec in ACTIONS.items():
        actions.register_action(LOG_PREFIX + action, spec.log_label, spec.log_message)


class CommentsPanel(Component):
    """Dashboard: how many comments wait for moderation, linked to them."""

    name = "learner_comments"
    template_name = "roles/admin/comments_panel.html"
    order = 95

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        context["pending"] = Comment.objects.filter(status=Comment.PENDING).count()
        context["url"] = reverse("wagtailsnippets_roles_comment:list") + "?status=pending"
        return context


def add_comments_panel(request, panels):
    if may_moderate(request.user):
        panels.append(CommentsPanel())
