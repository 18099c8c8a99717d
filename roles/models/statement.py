"""A statement: what one role does for one aspect, a cell of every comparison view. Kept in
the aspect's revisions (a ParentalKey), so a reworded cell is drafted, previewed, published
and reverted with its aspect. The pages are named by label: comparison.py reads statements."""

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.functional import cached_property
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.api import APIField
from wagtail.models import Orderable

from roles.comparison.matrix import PHRASE_LENGTH
from roles.visibility import is_visible


class AspectStatement(Orderable):
    """What one role does for one aspect: a cell of the table, kept in the aspect's revisions."""

    page = ParentalKey("roles.AspectPage", on_delete=models.CASCADE, related_name="statements")
    role = models.ForeignKey(
        "roles.RolePage", on_delete=models.CASCADE, related_name="aspect_statements"
    )
    statement = models.TextField()
    phrase = models.CharField(
        max_length=PHRASE_LENGTH,
        blank=True,
        help_text=f"Optional: the statement in a few words (at most {PHRASE_LENGTH} characters) "
        "for the infographic. Empty: the statement, shortened.",
    )
    value = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text="Optional: where this role sits on the aspect's 1–5 scale (see Infographic).",
    )

    panels = [
        FieldPanel("role", widget=forms.Select),
        FieldPanel("statement"),
        FieldRowPanel([FieldPanel("phrase"), FieldPanel("value")]),
    ]
    api_fields = [
        APIField("role", writable=True),
        APIField("role_slug"),
        APIField("role_title"),
        APIField("statement", writable=True),
        APIField("phrase", writable=True),
        APIField("value", writable=True),
    ]

    # The API names a statement's role only while readers may see the role: an unpublished
    # role's row holds its latest draft title.
    @cached_property
    def role_is_visible(self):
        return is_visible(self.role)

    @property
    def role_slug(self):
        return self.role.slug if self.role_is_visible else None

    @property
    def role_title(self):
        return self.role.title if self.role_is_visible else None

    def __str__(self):
        return f"{self.role}: {self.statement}"
