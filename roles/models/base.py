"""Abstract bases shared by the module's page types."""

from django.db import models
from django.template.response import TemplateResponse
from django.utils.functional import cached_property
from django.utils.html import strip_tags
from wagtail.admin.panels import FieldPanel
from wagtail.api import APIField
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from roles.blocks import RICH_TEXT_FEATURES
from roles.forms import ModulePageForm
from roles.history import page_history

MODULE_SUBJECT = "part of a learning module on Technical Program and Technical Project Managers"

# Last on every edit form, next to the publish button it describes.
CHANGE_NOTE_PANEL = FieldPanel("change_note", heading="Change note (public, optional)")


class ModuleBasePage(Page):
    """Every page of the module: 'Last updated' comes from publish history, never a typed date."""

    change_note = models.CharField(
        "change note",
        max_length=255,
        blank=True,
        help_text="Optional and public: what this publish changes, shown in the page's "
        "history, e.g. 'Clarified the Scope statement for project managers'.",
    )

    base_form_class = ModulePageForm

    class Meta:
        abstract = True

    def render_result(self, request, status=200, **extra):
        """The page again, with the outcome of a form post in its context (nothing stored)."""
        context = self.get_context(request)
        context.update(extra)
        return TemplateResponse(request, self.get_template(request), context, status=status)

    @property
    def meta_description(self):
        """For search engines and link previews: the editor's own, else the page's summary."""
        summary = " ".join(strip_tags(self.summary_text()).split())[:300]
        return self.search_description or summary or f"{self.title}: {MODULE_SUBJECT}."

    def summary_text(self):
        return getattr(self, "intro", "") or ""

    def structured_data(self, request):
        """schema.org data for this page as a dict, or None."""
        return None

    @cached_property
    def public_history(self):
        """Every publish of this page, newest first (date, note), for learners."""
        return page_history(self) if self.pk else []

    @property
    def last_updated(self):
        """When this page's content last changed; pages showing others' content override it."""
        return self.last_published_at


class IndexPage(ModuleBasePage):
    """A section of the module (roles, aspects, career paths): an intro and its children."""

    intro = RichTextField(blank=True, features=RICH_TEXT_FEATURES)

    content_panels = Page.content_panels + [FieldPanel("intro"), CHANGE_NOTE_PANEL]
    search_fields = Page.search_fields + [index.SearchField("intro")]
    api_fields = [APIField("intro", writable=True), APIField("change_note", writable=True)]

    parent_page_types = ["roles.ModulePage"]
    max_count = 1
    show_in_menus_default = True  # sections are the site's navigation

    class Meta:
        abstract = True

    def children(self):
        return self.get_children().live().public().specific().order_by("path")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["children"] = self.children()
        return context


def latest(*dates):
    """The most recent of some optional datetimes (None when there are none)."""
    return max((d for d in dates if d is not None), default=None)
