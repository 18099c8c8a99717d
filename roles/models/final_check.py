"""The module's final check: the lessons' knowledge checks asked again, scored against a
pass mark, with a review that links each question back to its lesson."""

from dataclasses import dataclass

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.functional import cached_property
from wagtail.admin.panels import FieldPanel
from wagtail.api import APIField
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Page

from roles.answers import AnswerSheetForm
from roles.blocks import RICH_TEXT_FEATURES
from roles.visibility import visible

from .base import ModuleBasePage, lazy_context
from .lesson import LessonPage

EXTRA_FIELDS = 5  # a real answer sheet has one field per question; many more is tampering


@dataclass
class Question:
    """One knowledge check of one lesson, as the final check asks it."""

    number: int
    lesson: LessonPage
    block_id: str
    value: object  # KnowledgeCheckValue

    @property
    def key(self):
        # The lesson's id too: block ids are unique within a lesson's body only.
        return f"{self.lesson.pk}-{self.block_id}"

    @property
    def field_name(self):
        return f"q-{self.key}"  # AnswerSheetForm's naming


class FinalCheckPage(RoutablePageMixin, ModuleBasePage):
    """The lessons' knowledge checks in one form; nothing is stored, the result is a GET page."""

    SOURCE_CHOICES = [
        ("all", "Every knowledge check of the published lessons"),
        ("marked", "Only the checks marked 'Ask this question in the module's final check too'"),
    ]

    intro = RichTextField(blank=True, features=RICH_TEXT_FEATURES)
    pass_mark = models.PositiveSmallIntegerField(
        default=80,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text="The percentage of right answers needed to pass (1–100).",
    )
    question_source = models.CharField(max_length=10, choices=SOURCE_CHOICES, default="all")

    content_panels = Page.content_panels + [
        FieldPanel("intro"),
        FieldPanel("pass_mark"),
        FieldPanel("question_source"),
    ]
    api_fields = [
        APIField("intro", writable=True),
        APIField("pass_mark", writable=True),
        APIField("question_source", writable=True),
    ]

    parent_page_types = ["roles.ModulePage"]
    subpage_types = []
    max_count = 1
    show_in_menus_default = True

    @cached_property
    def lessons(self):
        """The lessons readers may see, in module order, in one query."""
        return list(visible(LessonPage.objects.sibling_of(self)).order_by("path"))

    @cached_property
    def questions(self):
        """The knowledge checks to ask, lesson by lesson, in each lesson's order."""
        found = []
        for lesson in self.lessons:
            block = lesson.body.stream_block.child_blocks.get("knowledge_check")
            seen = set()
            # The stored JSON, not the converted body: other blocks (comparisons) would read
            # their chosen pages, a query per lesson, for nothing the check needs.
            for item in lesson.body.raw_data:
                if block is None or item["type"] != "knowledge_check" or not item.get("id"):
                    continue
                if item["id"] in seen:
                    continue  # the first of two blocks with one id, as the lesson shows
                seen.add(item["id"])
                # `final_check` defaults to True: checks saved before the flag existed count.
                if self.question_source == "marked" and not item["value"].get("final_check", 1):
                    continue
                value = block.to_python(item["value"])
                found.append(Question(len(found) + 1, lesson, item["id"], value))
        return found

    def read_answers(self, data):
        """(chosen option per question key, messages, tampered): missing answers are only
        messages; answers the form never offered mark the request as tampered."""
        if len(data) > len(self.questions) + EXTRA_FIELDS:
            return {}, ["The form was too large. Please answer the questions again."], True
        form = AnswerSheetForm(data, [(q.key, len(q.value["options"])) for q in self.questions])
        form.is_valid()
        codes = {error.code for errors in form.errors.as_data().values() for error in errors}
        choices = {
            q.key: form.cleaned_data[q.field_name]
            for q in self.questions
            if q.field_name in form.cleaned_data
        }
        return choices, form.messages(), bool(codes - {"required"})

    def review(self, choices):
        """Per question: the question, the reader's choice, whether it was right, the right
        option and the chosen option's feedback (when the lesson gives one)."""
        rows = []
        for question in self.questions:
            options = question.value["options"]
            choice = choices.get(question.key)
            right = question.value.correct_index()
            chosen = options[choice] if choice is not None else None
            rows.append(
                {
                    "question": question,
                    "chosen": chosen,
                    "correct": choice is not None and choice == right,
                    "right": options[right] if right is not None else None,
                    "feedback": (chosen.get("feedback") or "") if chosen else "",
                }
            )
        return rows

    def grade(self, score, total):
        """Score, total, whole percent (rounded down, as shown) and whether it passes."""
        percent = score * 100 // total if total else 0
        return {
            "score": score,
            "total": total,
            "percent": percent,
            "passed": bool(total) and percent >= self.pass_mark,
        }

    @path("")
    def final_check(self, request):
        # Answers arrive as ?q-<lesson id>-<block id>=<option number>: a GET, as nothing is
        # stored, so the page needs no CSRF token and stays one cacheable page for all.
        if not any(key.startswith("q-") for key in request.GET):
            return self.render(request)
        choices, errors, tampered = self.read_answers(request.GET)
        review = None if errors else self.review(choices)
        result = None
        if review is not None:
            result = self.grade(sum(row["correct"] for row in review), len(review))
        return self.render_result(
            request,
            status=400 if tampered else 200,
            errors=errors,
            questions=self.question_rows(choices),
            review=review,
            result=result,
        )

    @path("summary/", name="summary")
    def summary(self, request):
        """A printable summary, filled in by completion.js from the browser's progress."""
        return self.render(request, template="roles/completion_summary.html")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # Read when rendered, not when the form's fragment comes from the shared cache.
        lazy_context(context, lambda: {"questions": self.question_rows({})}, ("questions",))
        return context

    def question_rows(self, choices):
        """(question, chosen option number or None) for the form, answers kept on a retry."""
        return [(question, choices.get(question.key)) for question in self.questions]
