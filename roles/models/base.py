"""Abstract bases shared by the module's page types."""

import re
from functools import partial

from django.apps import apps
from django.contrib.humanize.templatetags.humanize import apnumber
from django.db import models
from django.template.response import TemplateResponse
from django.utils.functional import SimpleLazyObject, cached_property
from django.utils.html import escape, strip_tags
from wagtail.admin.panels import FieldPanel
from wagtail.api import APIField
from wagtail.fields import RichTextField
from wagtail.models import Page, PageViewRestriction
from wagtail.search import index

from roles.blocks import RICH_TEXT_FEATURES
from roles.comparison.history import page_history
from roles.forms import ModulePageForm
from roles.queries import ModulePageManager, specific_pages
from roles.visibility import visible

MODULE_SUBJECT = "part of a learning module on Technical Program and Technical Project Managers"

# Last on every edit form, next to the publish button it describes, and writable through the
# API: ModuleBasePage adds both to each page type's own panels and fields.
CHANGE_NOTE_PANEL = FieldPanel("change_note", heading="Change note (public, optional)")
CHANGE_NOTE_API_FIELD = APIField("change_note", writable=True)


# What an intro may say that the comparison decides: typed once, "Six aspects of the two roles"
# went stale when a third role was published.
PLACEHOLDERS = re.compile(r"\{(aspects|Aspects|roles|Roles|role_names)\}")
PLACEHOLDER_HELP = (
    "Counts that follow the published comparison: {aspects} and {roles} give the number in "
    "words (“six”; {Aspects} and {Roles} start a sentence: “Six”), {role_names} the roles' "
    "names (“A, B and C”)."
)


def fill_counts(html):
    """``html`` with its placeholders (PLACEHOLDERS) filled from what learners see now: the
    visible roles and aspects (roles.visibility). No query without a placeholder."""
    if not html or not PLACEHOLDERS.search(html):
        return html
    # By name: the role and aspect pages are built on this module.
    role_model, aspect_model = (
        apps.get_model("roles", "RolePage"),
        apps.get_model("roles", "AspectPage"),
    )
    titles = [
        escape(title)
        for title in visible(role_model.objects.all())
        .order_by("path")
        .values_list("title", flat=True)
    ]
    # apnumber spells one to nine and gives ten and above back as an int.
    aspects = str(apnumber(visible(aspect_model.objects.all()).count()))
    roles = str(apnumber(len(titles)))
    values = {
        "aspects": aspects,
        "Aspects": aspects.capitalize(),
        "roles": roles,
        "Roles": roles.capitalize(),
        "role_names": " and ".join(filter(None, [", ".join(titles[:-1]), *titles[-1:]])),
    }
    return PLACEHOLDERS.sub(lambda match: str(values[match.group(1)]), html)


def lazy_context(context, build, names):
    """Put ``names`` in a page's ``context``, read from ``build()`` (called once) when the
    template first shows one of them. A fragment the shared cache already holds
    (tpmsite.ops.fragments) shows none: its queries are never made."""
    built = {}

    def value(name):
        if not built:
            built.update(build())
        return built[name]

    for name in names:
        context[name] = SimpleLazyObject(partial(value, name))


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
    objects = ModulePageManager()

    class Meta:
        abstract = True

    def __init_subclass__(cls, **kwargs):
        """Every page type gets the change note, declared here once: last in its content
        panels and among its API fields, whatever panels and fields it declares itself."""
        super().__init_subclass__(**kwargs)
        cls.content_panels = [
            *(panel for panel in cls.content_panels if panel is not CHANGE_NOTE_PANEL),
            CHANGE_NOTE_PANEL,
        ]
        cls.api_fields = [
            *(field for field in getattr(cls, "api_fields", ()) if field.name != "change_note"),
            CHANGE_NOTE_API_FIELD,
        ]

    def route(self, request, path_components):
        """Wagtail's routing, with each child read as its specific type in one query (Wagtail
        reads the base row, then the specific one). Other children go the usual way."""
        models = self.specific_class.allowed_subpage_models() if path_components else []
        if not models:
            return super().route(request, path_components)
        found = specific_pages(self.get_children().filter(slug=path_components[0]), models)
        if not found:
            return super().route(request, path_components)  # a 404, the way Wagtail says it
        child = found[0]
        child._cached_parent_obj = self  # as Wagtail does: get_parent() needs no query
        return child.route(request, path_components[1:])

    def get_view_restrictions(self):
        """The restrictions on this page and its ancestors, in one query.

        Wagtail reads the ancestors first to swap aliases for their source pages; their paths
        are prefixes of this page's own, so the aliases are found by a join instead.
        """
        prefixes = [
            self.path[:end] for end in range(self.steplen, len(self.path) + 1, self.steplen)
        ]
        return PageViewRestriction.objects.filter(
            models.Q(page__path__in=prefixes, page__alias_of__isnull=True)
            | models.Q(page__aliases__path__in=prefixes)
        ).distinct()

    def render_result(self, request, status=200, **extra):
        """The page again, with the outcome of a form post in its context (nothing stored)."""
        context = self.get_context(request)
        context.update(extra)
        return TemplateResponse(request, self.get_template(request), context, status=status)

    @cached_property  # read three times by base.html; an aspect's summary costs queries
    def meta_description(self):
        """For search engines and link previews: the editor's own, else the page's summary."""
        summary = " ".join(strip_tags(self.summary_text()).split())[:300]
        return self.search_description or summary or f"{self.title}: {MODULE_SUBJECT}."

    def summary_text(self):
        return self.intro_html

    @cached_property
    def intro_html(self):
        """The page's intro (if it has one) as learners read it: its placeholders ({aspects},
        {roles}, {role_names}) filled from the published comparison."""
        return fill_counts(getattr(self, "intro", "") or "")

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

    intro = RichTextField(blank=True, features=RICH_TEXT_FEATURES, help_text=PLACEHOLDER_HELP)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    search_fields = Page.search_fields + [index.SearchField("intro")]
    api_fields = [APIField("intro", writable=True)]

    parent_page_types = ["roles.ModulePage"]
    max_count = 1
    show_in_menus_default = True  # sections are the site's navigation

    class Meta:
        abstract = True

    @cached_property
    def children(self):
        """Published public children as their specific types, in one query (read by the
        listing templates only: the comparison page shows its table instead)."""
        pages = visible(self.get_children()).order_by("path")
        return specific_pages(pages, self.specific_class.allowed_subpage_models())


def latest(*dates):
    """The most recent of some optional datetimes (None when there are none)."""
    return max((d for d in dates if d is not None), default=None)
