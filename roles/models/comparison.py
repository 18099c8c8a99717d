"""Roles, aspects and the statements that compare them: the data behind every comparison view
(the table's own page is in table.py)."""

from functools import partial

from django.db import models
from django.db.models import prefetch_related_objects
from django.utils.functional import cached_property
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.fields import RichTextField
from wagtail.models import Page, Revision
from wagtail.search import index

from roles.blocks import RICH_TEXT_FEATURES
from roles.comparison.history import first_table_publish, table_as_of
from roles.comparison.icons import DEFAULT_ICON, ICON_CHOICES
from roles.comparison.matrix import StatementGaps, build_matrix, statement_rows
from roles.comparison.palette import COLOUR_CHOICES
from roles.forms import AspectPageForm, RolePageForm
from roles.panels import RoleCompletenessPanel
from roles.visibility import visible

from .base import IndexPage, ModuleBasePage, lazy_context
from .statement import AspectStatement


class RoleIndexPage(IndexPage):
    """The roles section; the order of its children is the order of the table's columns."""

    subpage_types = ["roles.RolePage"]


class RolePage(ModuleBasePage):
    """One role compared by the module, e.g. Technical Program Manager."""

    abbreviation = models.CharField(max_length=20, blank=True, help_text="e.g. TPM")
    # Both roles of the article are "TPM": learners tell them apart by a word and a colour,
    # which no two published roles may share (roles.forms.RolePageForm).
    short_label = models.CharField(
        max_length=20, blank=True, help_text="The word that tells this role apart, e.g. Program"
    )
    colour = models.CharField(
        max_length=20,
        blank=True,
        choices=COLOUR_CHOICES,
        help_text="The colour of its chip and table column",
    )
    definition = models.CharField(
        max_length=255, help_text="One line: what this role is, shown on cards and in lists."
    )
    summary = RichTextField(features=RICH_TEXT_FEATURES)
    responsibilities = RichTextField(blank=True, features=RICH_TEXT_FEATURES)
    skills = RichTextField("skills and qualifications", blank=True, features=RICH_TEXT_FEATURES)
    kpis = RichTextField("typical KPIs", blank=True, features=RICH_TEXT_FEATURES)

    content_panels = Page.content_panels + [
        RoleCompletenessPanel(heading="Statements"),
        FieldPanel("abbreviation"),
        FieldPanel("short_label"),
        FieldPanel("colour"),
        FieldPanel("definition"),
        FieldPanel("summary"),
        FieldPanel("responsibilities"),
        FieldPanel("skills"),
        FieldPanel("kpis"),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("abbreviation"),
        index.SearchField("definition"),
        index.SearchField("summary"),
        index.SearchField("responsibilities"),
        index.SearchField("skills"),
        index.SearchField("kpis"),
    ]
    api_fields = [
        APIField("abbreviation", writable=True),
        APIField("short_label", writable=True),
        APIField("colour", writable=True),
        APIField("definition", writable=True),
        APIField("summary", writable=True),
        APIField("responsibilities", writable=True),
        APIField("skills", writable=True),
        APIField("kpis", writable=True),
    ]

    base_form_class = RolePageForm
    parent_page_types = ["roles.RoleIndexPage"]
    subpage_types = []

    def summary_text(self):
        return self.definition

    @property
    def heading(self):
        """The role as learners see it named: its full title. Not '(TPM)': the article
        abbreviates both roles so, and the abbreviation would not tell them apart."""
        return self.title

    def statement_gaps(self):
        """The published aspects, in tree order, where learners would find this role's cell
        empty: ``missing``, with no statement for it even in the aspect's latest revision, and
        ``unpublished``, with one only in a draft (a moderator's next publish of the aspect
        fills it). Making the role public waits for both (RolePageForm). Three queries."""
        aspects = list(visible(AspectPage.objects.all()).order_by("path").defer_streamfields())
        rows = AspectStatement.objects.filter(role_id=self.pk, page__in=aspects)
        live = set(rows.values_list("page_id", flat=True)) if self.pk else set()
        latest = set(live)
        changed = [a.latest_revision_id for a in aspects if a.has_unpublished_changes]
        for page_id, content in Revision.objects.filter(pk__in=changed).values_list(
            "object_id", "content"
        ):
            roles = {row["role"] for row in content.get("statements", [])}
            (latest.add if self.pk in roles else latest.discard)(int(page_id))
        return StatementGaps(
            missing=[a for a in aspects if a.pk not in latest],
            unpublished=[a for a in aspects if a.pk in latest and a.pk not in live],
        )

    @cached_property
    def career_path(self):
        return visible(self.career_paths.all()).order_by("path").first()

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # Only this role's column is shown: the other roles need not be read. Read when
        # rendered, not when the page's fragment comes from the shared cache.
        lazy_context(context, self.shared_context, ("statements",))
        return context

    def shared_context(self):
        return {"statements": current_comparison(roles=[self]).column(self)}


class AspectPage(ModuleBasePage):
    """One compared dimension (a row of the table) with one statement per role."""

    explanation = RichTextField(
        blank=True,
        features=RICH_TEXT_FEATURES,
        help_text="Optional: a longer explanation shown on the aspect's own page.",
    )
    # The infographic's panel for this aspect: an icon, and where the roles differ by degree,
    # a 1-5 scale (each statement's value) with words for its two ends.
    icon = models.CharField(max_length=30, choices=ICON_CHOICES, default=DEFAULT_ICON)
    scale_label = models.CharField(
        max_length=80,
        blank=True,
        help_text="Optional: what the statements' 1–5 values measure, e.g. 'How broad the "
        "scope'. Leave empty when the roles differ in kind, not degree.",
    )
    scale_low = models.CharField(
        max_length=30, blank=True, help_text="The scale's 1, e.g. 'One project'"
    )
    scale_high = models.CharField(
        max_length=30, blank=True, help_text="The scale's 5, e.g. 'Many programs'"
    )

    content_panels = Page.content_panels + [
        InlinePanel("statements", heading="Statements", label="Statement"),
        FieldPanel("explanation"),
        MultiFieldPanel(
            [
                FieldPanel("icon"),
                FieldPanel("scale_label"),
                FieldRowPanel([FieldPanel("scale_low"), FieldPanel("scale_high")]),
            ],
            heading="Infographic",
        ),
    ]
    base_form_class = AspectPageForm
    search_fields = Page.search_fields + [
        index.SearchField("explanation"),
        index.RelatedFields("statements", [index.SearchField("statement")]),
    ]
    api_fields = [
        APIField("statements", writable=True),
        APIField("explanation", writable=True),
        APIField("icon", writable=True),
        APIField("scale_label", writable=True),
        APIField("scale_low", writable=True),
        APIField("scale_high", writable=True),
    ]

    parent_page_types = ["roles.ComparisonPage"]
    subpage_types = []

    def summary_text(self):
        """The statements of the visible roles, as the page's table shows them."""
        return " ".join(
            f"{cell.role.title}: {cell.statement}."
            for row in self.comparison.rows
            for cell in row.cells
            if cell.statement
        )

    @cached_property
    def comparison(self):
        """This aspect's row of the table: the page and its description both read it."""
        if self.pk:
            prefetch_related_objects([self], "statements")
        return current_comparison(aspects=[self])

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # Read when rendered, not when the page's fragments come from the shared cache.
        lazy_context(
            context,
            partial(self.shared_context, request),
            ("comparison", "statement_histories"),
        )
        return context

    def shared_context(self, request):
        histories = []
        if self.live:  # each statement's published wordings, on the comparison page (parent)
            parent = self.get_parent()  # the comparison page (tree rules): its routes
            base, reverse = parent.get_url(request), parent.specific_class.get_resolver().reverse
            histories = [
                (cell.role, base + reverse("cell_history", self.pk, cell.role.pk))
                for row in self.comparison.rows
                for cell in row.cells
            ]
        return {"comparison": self.comparison, "statement_histories": histories}


# The table's queries. roles.comparison builds tables from the pages it is given; which pages
# readers may see, and reading them, is done here, next to the page classes.


def published_roles():
    """The table's columns: visible roles (roles.visibility) in tree order."""
    return list(visible(RolePage.objects.all()).order_by("path"))


def current_comparison(aspects=None, roles=None):
    """The table from visible roles and aspects (roles.visibility) in tree order.

    ``aspects`` limits the rows to given pages (a lesson's chosen aspects, or an aspect page
    being previewed), whose own statements are used: in memory, or prefetched by the caller;
    by default every live aspect is a row. ``roles`` likewise replaces the live roles.
    Queries: three for the whole table, whatever its size.
    """
    if roles is None:
        roles = published_roles()
    if aspects is None:
        aspects = list(visible(AspectPage.objects.all()).order_by("path").defer_streamfields())
        # Plain values: a large table has hundreds of cells, and model instances are costly.
        statements = AspectStatement.objects.filter(page__in=[a.pk for a in aspects]).values_list(
            "page_id", "role_id", "statement", "phrase", "value"
        )
    else:
        # In-memory statements: a preview renders the editor's unsaved rows.
        statements = statement_rows(aspects)
    return build_matrix(roles, aspects, statements)


def comparison_as_of(day):
    """The table as published at the end of ``day`` (roles.comparison.history), or None."""
    return table_as_of(day, AspectPage, RolePage)


def first_publish_date():
    """When the table's first role or aspect was published, or None."""
    return first_table_publish(AspectPage, RolePage)
