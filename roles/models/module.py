"""The module (site home) and its lessons."""

from django.db import models
from django.db.models import Max
from django.utils.functional import cached_property
from django.utils.safestring import mark_safe
from wagtail.admin.panels import FieldPanel
from wagtail.api import APIField
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from roles.blocks import RICH_TEXT_FEATURES
from roles.comparison.history import recent_changes
from roles.comparison.infographic import render_svg
from roles.queries import ModulePageManager, ModulePageQuerySet, specific_pages
from roles.visibility import visible

from .assessment import SelfAssessmentPage
from .author import AuthorField
from .base import PLACEHOLDER_HELP, ModuleBasePage, lazy_context
from .careers import CareerPathPage
from .comparison import current_comparison
from .final_check import FinalCheckPage
from .lesson import LessonPage
from .table import ComparisonPage


class WithAuthorQuerySet(ModulePageQuerySet):
    def select_for_update(self, *args, **kwargs):
        # A lock needs no author, and PostgreSQL refuses FOR UPDATE on the nullable side of
        # the author's outer join: treebeard locks the parent this way when a page is added.
        unjoined = self.select_related(None)
        return super(WithAuthorQuerySet, unjoined).select_for_update(*args, **kwargs)


class WithAuthorManager(ModulePageManager.from_queryset(WithAuthorQuerySet)):
    """Reads the author with the module: every lesson and the module page credit them, and
    Wagtail fetches the specific module through this manager when serving a request."""

    def get_queryset(self):
        return super().get_queryset().select_related("author")


# The module page's context shared by every reader (ModulePage.shared_context).
SHARED_CONTEXT = (
    "recent_changes",
    "comparison",
    "comparison_page",
    "assessment",
    "lessons",
    "next_step",
    "roles",
    "infographic_wide",
    "infographic_narrow",
    "infographic_downloads",
    "career_paths",
)


class ModulePage(ModuleBasePage):
    """The learning module: the site's home, showing the table, lessons, roles and career paths."""

    is_module = True  # a lesson served through this page reads its navigation from it

    lead = models.TextField(help_text="The opening paragraph, shown under the title.")
    author = models.ForeignKey(
        "roles.Author", null=True, blank=True, on_delete=models.SET_NULL, related_name="modules"
    )
    intro = RichTextField(
        blank=True,
        features=RICH_TEXT_FEATURES,
        help_text=f"How to use this module. {PLACEHOLDER_HELP}",
    )
    infographic_title = models.CharField(max_length=200, blank=True)
    disclaimer = RichTextField(blank=True, features=RICH_TEXT_FEATURES)

    objects = WithAuthorManager()

    content_panels = Page.content_panels + [
        FieldPanel("lead"),
        FieldPanel("author"),
        FieldPanel("intro"),
        FieldPanel("infographic_title"),
        FieldPanel("disclaimer"),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("lead"),
        index.SearchField("intro"),
    ]
    api_fields = [
        APIField("lead", writable=True),
        # Read-only: {name, bio}. Editors choose the author snippet in the admin.
        APIField("author", serializer=AuthorField()),
        APIField("intro", writable=True),
        APIField("infographic_title", writable=True),
        APIField("disclaimer", writable=True),
        APIField("last_updated"),
    ]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = [
        "roles.LessonPage",
        "roles.ComparisonPage",
        "roles.RoleIndexPage",
        "roles.CareerPathIndexPage",
        "roles.SelfAssessmentPage",
        "roles.FinalCheckPage",
    ]
    max_count = 1

    @cached_property
    def last_updated(self):
        # The module page shows every other page's content, so any publish below it counts.
        return visible(Page.objects.descendant_of(self, inclusive=True)).aggregate(
            latest=Max("last_published_at")
        )["latest"]

    @cached_property
    def sections(self):
        """Published public children in tree order, as their specific types, in one query: the
        lessons, the comparison, the assessment and the navigation all come from here."""
        pages = visible(self.get_children()).order_by("path")
        return specific_pages(pages, self.allowed_subpage_models())

    def lessons(self):
        return [page for page in self.sections if isinstance(page, LessonPage)]

    def first_section(self, model):
        return next((page for page in self.sections if isinstance(page, model)), None)

    def final_check_page(self):
        """The module's final check when one is published, else None: what comes after the
        last lesson."""
        return self.first_section(FinalCheckPage)

    def summary_text(self):
        return self.lead

    def structured_data(self, request):
        url = self.get_full_url(request)
        return {
            "@context": "https://schema.org",
            "@type": ["Course", "LearningResource"],
            "name": self.title,
            "description": self.lead,
            "url": url,
            "author": {"@type": "Person", "name": self.author.name} if self.author else None,
            "dateModified": self.last_updated.isoformat() if self.last_updated else None,
            "learningResourceType": "Learning module",
            "hasPart": [
                {"@type": "Article", "name": lesson.title, "url": lesson.get_full_url(request)}
                for lesson in self.lessons()
            ],
        }

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # Read only when the template renders them, not when the page's fragments come from
        # the shared cache (tpmsite.ops.fragments): then this page costs no query for them.
        lazy_context(context, self.shared_context, SHARED_CONTEXT)
        return context

    def shared_context(self):
        """What the page shows every reader: the table, lessons, roles, paths, infographic."""
        comparison = current_comparison()
        context = {
            "recent_changes": recent_changes(self),
            "comparison": comparison,
            "comparison_page": (page := self.first_section(ComparisonPage)),
            "assessment": self.first_section(SelfAssessmentPage),
            "lessons": self.lessons(),
            "next_step": self.final_check_page(),
            "roles": comparison.roles,  # the table's columns: already fetched, same order
            # Both layouts inlined, CSS shows the one that fits the viewport. Safe to inline:
            # render_svg escapes every piece of text it draws.
            "infographic_wide": mark_safe(render_svg(comparison, "wide")),  # noqa: S308
            "infographic_narrow": mark_safe(render_svg(comparison, "narrow")),  # noqa: S308
            "infographic_downloads": [],
        }
        if page:
            # The downloads: ComparisonPage.infographic's infographic/[narrow/][png/[2x/]]
            base = page.url + page.reverse_subpage("infographic")
            context["infographic_downloads"] = [
                ("SVG", base),
                ("PNG", f"{base}png/"),
                ("PNG 2×", f"{base}png/2x/"),
                ("Phone SVG", f"{base}narrow/"),
                ("Phone PNG 2×", f"{base}narrow/png/2x/"),
            ]
        # "Starts from" names a path's role only while readers may see it: the table's columns.
        roles = {role.pk: role for role in comparison.roles}
        context["career_paths"] = [
            (path, roles.get(path.role_id))
            for path in visible(CareerPathPage.objects.all()).order_by("path")
        ]
        return context
