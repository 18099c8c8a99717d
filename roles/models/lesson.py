"""A lesson: one section of the article, with objectives, practice and its place in the module."""

import math

from django.db import models
from django.db.models import prefetch_related_objects
from django.utils.functional import cached_property
from wagtail.admin.panels import FieldPanel
from wagtail.api import APIField
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from roles.answers import KnowledgeCheckForm
from roles.blocks import LESSON_BLOCKS, OBJECTIVE_BLOCKS, searchable_text, shown_pages
from roles.visibility import visible

from .base import ModuleBasePage, lazy_context
from .comparison import current_comparison, published_roles

WORDS_PER_MINUTE = 200
# A lesson's context shared by every reader (LessonPage.shared_context).
SHARED_CONTEXT = (
    "lesson_number",
    "lesson_count",
    "previous",
    "next",
    "module",
    "outline",
    "next_step",
)


class LessonPage(ModuleBasePage):
    """One section of the article, read in tree order with 'Lesson N of M' and previous/next."""

    summary = models.CharField(
        max_length=255, blank=True, help_text="One line shown in the list of lessons."
    )
    # A StreamField of one-line blocks rather than a text area: the admin adds, orders and
    # caps them one by one (max 3), and the API reads them as separate items.
    objectives = StreamField(
        OBJECTIVE_BLOCKS,
        blank=True,
        max_num=3,
        verbose_name="learning objectives",
        help_text="One to three things the learner will be able to do after this lesson.",
    )
    body = StreamField(LESSON_BLOCKS)

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        FieldPanel("objectives"),
        FieldPanel("body"),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("body"),
    ]
    api_fields = [
        APIField("summary", writable=True),
        APIField("objectives", writable=True),
        APIField("body", writable=True),
        APIField("reading_minutes"),
    ]

    parent_page_types = ["roles.ModulePage"]
    subpage_types = []

    def summary_text(self):
        return self.summary

    def structured_data(self, request):
        module = self.module
        author = getattr(module, "author", None)
        return {
            "@context": "https://schema.org",
            "@type": "Article",
            "headline": self.title,
            "description": self.meta_description,
            "url": self.get_full_url(request),
            "author": {"@type": "Person", "name": author.name} if author else None,
            "dateModified": self.last_published_at.isoformat() if self.last_published_at else None,
            "datePublished": (
                self.first_published_at.isoformat() if self.first_published_at else None
            ),
            "isPartOf": {"@type": "Course", "name": module.title},
            "timeRequired": f"PT{self.reading_minutes}M",
        }

    @property
    def reading_minutes(self):
        # From the stored JSON: converting the body would read its chosen pages, a query per
        # lesson in the module's list, for no words.
        child_blocks = self.body.stream_block.child_blocks
        text = " ".join(
            word
            for item in self.body.raw_data
            if item["type"] in child_blocks
            for word in searchable_text(child_blocks[item["type"]], item["value"])
        )
        return max(1, math.ceil(len(text.split()) / WORDS_PER_MINUTE))

    @cached_property
    def module(self):
        """The module this lesson belongs to, as its specific page (no query when served
        through the module page, which is then this page's cached parent)."""
        parent = self.get_parent()
        # Served through the module page, the parent is it already (specific, no query).
        return parent if getattr(parent, "is_module", False) else parent.specific

    @cached_property
    def siblings(self):
        """The module's published lessons in tree order: the outline and the pager."""
        if getattr(self.module, "is_module", False):
            # Served through the module page, which has read its children for the navigation.
            return self.module.lessons()
        return list(
            visible(LessonPage.objects.sibling_of(self)).order_by("path").defer_streamfields()
        )

    @cached_property
    def sequence(self):
        """Where this lesson sits among its published siblings: (number, total, previous, next).

        A draft being previewed is not among them, so its number is None.
        """
        siblings = self.siblings
        ids = [lesson.pk for lesson in siblings]
        if self.pk not in ids:
            return None, len(siblings), None, None
        i = ids.index(self.pk)
        previous = siblings[i - 1] if i > 0 else None
        following = siblings[i + 1] if i + 1 < len(siblings) else None
        return i + 1, len(siblings), previous, following

    def serve(self, request, *args, **kwargs):
        """A knowledge check answered without JavaScript submits here (?check=…&answer=…);
        the lesson comes back with that check's result. Nothing is stored, so it is a GET:
        safe to repeat, no CSRF token, and the lesson itself stays one cacheable page."""
        if "check" not in request.GET and "answer" not in request.GET:
            return super().serve(request, *args, **kwargs)
        answer = self.check_answer(request.GET)
        return self.render_result(
            request, status=400 if answer.get("error") else 200, answer=answer
        )

    def check_answer(self, data):
        checks = {}  # id -> check; the first of any two with one id, as the page shows
        for block in self.body:
            if block.block_type == "knowledge_check" and block.id:
                checks.setdefault(block.id, block.value)
        form = KnowledgeCheckForm(data, check_ids=checks)
        if not form.is_valid():
            return {"check": None, "error": "That question is not part of this lesson."}
        check_id = form.cleaned_data["check"]
        verdict = checks[check_id].judge(data.get("answer", ""))
        if verdict is None:
            return {"check": check_id, "error": "Choose one of the answers, then check it."}
        return {"check": check_id, **verdict}

    def prepare_comparisons(self):
        """Build every comparison block's table at once: one query for the roles and one for
        the statements, however many blocks and chosen aspects the lesson has."""
        values = [block.value for block in self.body if block.block_type == "comparison"]
        if not values:
            return
        chosen = shown_pages([aspect for value in values for aspect in value["aspects"]])
        prefetch_related_objects(chosen, "statements")
        roles = published_roles()
        for value in values:
            value.prepared = current_comparison(aspects=value.chosen_aspects(chosen), roles=roles)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # Read only when the template renders them, not when the lesson's fragments come from
        # the shared cache (tpmsite.ops.fragments): then this page costs no query for them.
        lazy_context(context, self.shared_context, SHARED_CONTEXT)
        return context

    def shared_context(self):
        number, total, previous, following = self.sequence
        module = self.module
        return {
            "lesson_number": number,
            "lesson_count": total,
            "previous": previous,
            "next": following,
            "module": module,
            "outline": self.siblings,
            # After the last lesson: the final check when the module has one.
            "next_step": (
                module.final_check_page() if getattr(module, "is_module", False) else None
            ),
        }
