"""Abstract bases shared by the module's page types."""

from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from roles.blocks import RICH_TEXT_FEATURES


class ModuleBasePage(Page):
    """Every page of the module: 'Last updated' comes from publish history, never a typed date."""

    class Meta:
        abstract = True

    @property
    def last_updated(self):
        """When this page's content last changed; pages showing others' content override it."""
        return self.last_published_at


class IndexPage(ModuleBasePage):
    """A section of the module (roles, aspects, career paths): an intro and its children."""

    intro = RichTextField(blank=True, features=RICH_TEXT_FEATURES)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    search_fields = Page.search_fields + [index.SearchField("intro")]

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
