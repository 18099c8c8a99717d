"""The module (site home) and its lessons."""

import math

from django.db import models
from django.db.models import Max
from django.utils.functional import cached_property
from django.utils.safestring import mark_safe
from wagtail.admin.panels import FieldPanel
from wagtail.api import APIField
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from roles.blocks import LESSON_BLOCKS, RICH_TEXT_FEATURES
from roles.comparison import build_comparison
from roles.history import recent_changes
from roles.infographic import render_svg

from .assessment import SelfAssessmentPage
from .base import CHANGE_NOTE_PANEL, ModuleBasePage
from .careers import CareerPathPage
from .comparison import ComparisonPage

WORDS_PER_MINUTE = 200


class ModulePage(ModuleBasePage):
    """The learning module: the site's home, showing the table, lessons, roles and career paths."""

    lead = models.TextField(help_text="The opening paragraph, shown under the title.")
    author = models.CharField(max_length=120, blank=True)
    intro = RichTextField(
        blank=True, features=RICH_TEXT_FEATURES, help_text="How to use this module."
    )
    infographic_title = models.CharField(max_length=200, blank=True)
    disclaimer = RichTextField(blank=True, features=RICH_TEXT_FEATURES)

    content_panels = Page.content_panels + [
        FieldPanel("lead"),
        FieldPanel("author"),
        FieldPanel("intro"),
        FieldPanel("infographic_title"),
        FieldPanel("disclaimer"),
        CHANGE_NOTE_PANEL,
    ]
    search_fields = Page.search_fields + [
        index.SearchField("lead"),
        index.SearchField("intro"),
    ]
    api_fields = [
        APIField("lead", writable=True),
        APIField("author", writable=True),
        APIField("intro", writable=True),
        APIField("infographic_title", writable=True),
        APIField("disclaimer", writable=True),
        APIField("last_updated"),
        APIField("change_note", writable=True),
    ]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = [
        "roles.LessonPage",
        "roles.ComparisonPage",
        "roles.RoleIndexPage",
        "roles.CareerPathIndexPage",
        "roles.SelfAssessmentPage",
    ]
    max_count = 1

    @cached_property
    def last_updated(self):
        # The module page shows every other page's content, so any publish below it counts.
        return (
            Page.objects.descendant_of(self, inclusive=True)
            .live()
            .aggregate(latest=Max("last_published_at"))["latest"]
        )

    def lessons(self):
        return LessonPage.objects.child_of(self).live().public().order_by("path")

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
            "author": {"@type": "Person", "name": self.author} if self.author else None,
            "dateModified": self.last_updated.isoformat() if self.last_updated else None,
            "learningResourceType": "Learning module",
            "hasPart": [
                {"@type": "Article", "name": lesson.title, "url": lesson.get_full_url(request)}
                for lesson in self.lessons().defer_streamfields()
            ],
        }

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["recent_changes"] = recent_changes(self)
        context["comparison"] = comparison = build_comparison()
        context["comparison_page"] = ComparisonPage.objects.live().public().first()
        context["assessment"] = SelfAssessmentPage.objects.live().public().first()
        context["lessons"] = self.lessons()
        context["roles"] = comparison.roles  # the table's columns: already fetched, same order
        # Safe to inline: render_svg escapes every piece of text it draws.
        context["infographic"] = mark_safe(  # noqa: S308
            render_svg(comparison, self.infographic_title or comparison.title)
        )
        context["career_paths"] = (
            CareerPathPage.objects.live().public().select_related("role").order_by("path")
        )
        return context


class LessonPage(ModuleBasePage):
    """One section of the article, read in tree order with 'Lesson N of M' and previous/next."""

    summary = models.CharField(
        max_length=255, blank=True, help_text="One line shown in the list of lessons."
    )
    body = StreamField(LESSON_BLOCKS)

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        FieldPanel("body"),
        CHANGE_NOTE_PANEL,
    ]
    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("body"),
    ]
    api_fields = [
        APIField("summary", writable=True),
        APIField("body", writable=True),
        APIField("reading_minutes"),
        APIField("change_note", writable=True),
    ]

    parent_page_types = ["roles.ModulePage"]
    subpage_types = []

    def summary_text(self):
        return self.summary

    def structured_data(self, request):
        module = self.get_parent().specific
        author = getattr(module, "author", "")
        return {
            "@context": "https://schema.org",
            "@type": "Article",
            "headline": self.title,
            "description": self.meta_description,
            "url": self.get_full_url(request),
            "author": {"@type": "Person", "name": author} if author else None,
            "dateModified": self.last_published_at.isoformat() if self.last_published_at else None,
            "datePublished": (
                self.first_published_at.isoformat() if self.first_published_at else None
            ),
            "isPartOf": {"@type": "Course", "name": module.title},
            "timeRequired": f"PT{self.reading_minutes}M",
        }

    @property
    def reading_minutes(self):
        text = " ".join(self.body.stream_block.get_searchable_content(self.body))
        return max(1, math.ceil(len(text.split()) / WORDS_PER_MINUTE))

    @cached_property
    def sequence(self):
        """Where this lesson sits among its published siblings: (number, total, previous, next).

        A draft being previewed is not among them, so its number is None.
        """
        siblings = list(
            LessonPage.objects.sibling_of(self)
            .live()
            .public()
            .order_by("path")
            .defer_streamfields()
        )
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
        check_id = str(data.get("check", ""))[:64]
        block = next(
            (b for b in self.body if b.block_type == "knowledge_check" and b.id == check_id),
            None,
        )
        if block is None:
            return {"check": None, "error": "That question is not part of this lesson."}
        options = block.value["options"]
        raw = str(data.get("answer", "")).strip()
        if not raw.isdigit() or int(raw) >= len(options):
            return {"check": check_id, "error": "Choose one of the answers, then check it."}
        right = block.value.correct_index()
        return {
            "check": check_id,
            "choice": int(raw),
            "correct": int(raw) == right,
            "right_text": options[right]["text"] if right is not None else "",
        }

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        number, total, previous, following = self.sequence
        context.update(lesson_number=number, lesson_count=total, previous=previous, next=following)
        return context
