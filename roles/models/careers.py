"""Career paths: where each role can lead, as ordered steps, some of them alternatives."""

from django.db import models
from django.db.models import prefetch_related_objects
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.api import APIField
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page
from wagtail.search import index

from roles.blocks import RICH_TEXT_FEATURES
from roles.visibility import visible

from .base import IndexPage, ModuleBasePage, lazy_context


class CareerPathIndexPage(IndexPage):
    """The career paths section."""

    subpage_types = ["roles.CareerPathPage"]


class CareerPathPage(ModuleBasePage):
    """The steps a person in one role can take next, in order."""

    role = models.ForeignKey(
        "roles.RolePage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="career_paths",
        help_text="The role this path starts from; its page links here.",
    )
    intro = RichTextField(blank=True, features=RICH_TEXT_FEATURES)

    content_panels = Page.content_panels + [
        FieldPanel("role"),
        FieldPanel("intro"),
        InlinePanel("steps", heading="Steps", label="Step", min_num=1),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("intro"),
        index.RelatedFields(
            "steps", [index.SearchField("title"), index.SearchField("description")]
        ),
    ]

    api_fields = [
        APIField("role", writable=True),
        APIField("intro", writable=True),
        APIField("steps", writable=True),
    ]

    parent_page_types = ["roles.CareerPathIndexPage"]
    subpage_types = []

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # Read when rendered, not when the page's fragment comes from the shared cache.
        lazy_context(context, self.shared_context, ("steps", "step_groups", "role"))
        return context

    def shared_context(self):
        context = {}
        if self.pk:
            prefetch_related_objects([self], "steps")
        # The template names each step's role and the path's own, and links to them: only
        # the roles readers may see, read in one query for all.
        steps = list(self.steps.all())
        role_model = self._meta.get_field("role").related_model
        roles = visible(role_model.objects.all()).in_bulk(
            {self.role_id, *(step.role_id for step in steps)} - {None}
        )
        context["steps"] = [(step, roles.get(step.role_id)) for step in steps]
        context["step_groups"] = step_groups(context["steps"])
        context["role"] = roles.get(self.role_id)
        return context


def step_groups(steps):
    """Consecutive (step, role) pairs grouped as the page numbers them: a step and the
    alternatives after it are one group, a fork of "either ... or ..." branches.

    A first step marked as an alternative has nothing to be an alternative to, so it starts a
    group like any other step: an editor reordering steps is never stopped by a save error,
    and the page still reads in order.
    """
    groups = []
    for step, role in steps:
        if step.alternative and groups:
            groups[-1].append((step, role))
        else:
            groups.append([(step, role)])
    return groups


class CareerStep(Orderable):
    """One step on a career path, optionally pointing at a role the module describes."""

    page = ParentalKey(CareerPathPage, on_delete=models.CASCADE, related_name="steps")
    title = models.CharField(max_length=120)
    description = models.TextField(blank=True)
    role = models.ForeignKey(
        "roles.RolePage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Optional: link this step to a role page.",
    )
    alternative = models.BooleanField(
        "Or: an alternative to the step above",
        default=False,
        help_text=(
            "Tick when a person takes this step instead of the one above, not after it: the "
            'page shows them side by side as "either ... or ...". Ignored on the first step.'
        ),
    )

    panels = [
        FieldPanel("title"),
        FieldPanel("description"),
        FieldPanel("role"),
        FieldPanel("alternative"),
    ]
    api_fields = [
        APIField("title", writable=True),
        APIField("description", writable=True),
        APIField("role", writable=True),
        APIField("alternative", writable=True),
    ]

    def __str__(self):
        return self.title
