"""Learners' questions and comments on a lesson or the module page, moderated by editors.

A model of our own rather than django-contrib-comments: that app's moderation lives in the
Django admin (here editors only use Wagtail's), it keeps the commenter's email and URL (not
wanted: a name and the text are all we keep), and an editor's reply, the four states and
Wagtail's log would all still be ours to add. Learners post through roles/comments.py;
editors moderate them as a Wagtail snippet (roles/comment_moderation.py).
"""

from django.conf import settings
from django.db import models
from wagtail.admin.panels import FieldPanel, HelpPanel
from wagtail.models import Page
from wagtail.search import index

from roles.visibility import visible

NAME_LENGTH = 60
TEXT_LENGTH = 2000


class CommentQuerySet(models.QuerySet):
    def approved(self):
        """What learners see: approved comments of pages they may see, oldest first."""
        pages = visible(Page.objects.all()).values("pk")  # the pages' rule, for their comments
        return self.filter(status=Comment.APPROVED, page__in=pages).order_by("created_at")


class Comment(index.Indexed, models.Model):
    PENDING, APPROVED, REJECTED, SPAM = "pending", "approved", "rejected", "spam"
    STATUS_CHOICES = [
        (PENDING, "Pending"),
        (APPROVED, "Approved"),
        (REJECTED, "Rejected"),
        (SPAM, "Spam"),
    ]

    page = models.ForeignKey(
        "wagtailcore.Page", on_delete=models.CASCADE, related_name="learner_comments"
    )
    name = models.CharField("display name", max_length=NAME_LENGTH)
    text = models.TextField(
        max_length=TEXT_LENGTH, help_text="Plain text. Fix typos only; never change meaning."
    )
    status = models.CharField(max_length=10, choices=STATUS_CHOICES, default=PENDING)
    reply = models.TextField(
        blank=True,
        max_length=TEXT_LENGTH,
        help_text="Optional: an answer from the learning team, shown under the comment once "
        "it is approved.",
    )
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    # For abuse handling only, and forgotten after 30 days (manage.py forget_comment_addresses).
    ip_address = models.GenericIPAddressField(null=True, blank=True, editable=False)
    user_agent = models.CharField(max_length=300, blank=True, editable=False)

    objects = CommentQuerySet.as_manager()

    panels = [
        HelpPanel(
            "Approve to show the comment (and the reply) under its page; reject or mark as "
            "spam to keep it hidden. Every change is in Reports → Site history."
        ),
        FieldPanel("status"),
        FieldPanel("reply"),
        FieldPanel("name"),
        FieldPanel("text"),
    ]
    search_fields = [index.SearchField("text"), index.SearchField("name")]

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["page", "status"])]

    def __str__(self):
        return f"{self.name}: {self.text[:60]}"

    @classmethod
    def from_db(cls, db, field_names, values):
        comment = super().from_db(db, field_names, values)
        # What readers saw before this change: an approved comment taken back must go too.
        comment.loaded_status = comment.__dict__.get("status")
        return comment

    @property
    def shown_to_readers(self):
        """Whether saving this comment changes what readers see on its page."""
        return Comment.APPROVED in (self.status, getattr(self, "loaded_status", None))
