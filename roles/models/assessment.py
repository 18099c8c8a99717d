"""'Which role suits you?': the article's last section as a self-assessment."""

from wagtail import blocks
from wagtail.admin.panels import FieldPanel
from wagtail.api import APIField
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page

from roles.answers import AnswerSheetForm
from roles.blocks import RICH_TEXT_FEATURES
from roles.models.comparison import current_comparison

from .base import ModuleBasePage, lazy_context

MAX_FIELDS = 100  # a real answer sheet has one field per question; more is tampering


class WeightBlock(blocks.StructBlock):
    role = blocks.PageChooserBlock(page_type="roles.RolePage")
    points = blocks.IntegerBlock(min_value=0, max_value=10, default=1)

    class Meta:
        icon = "plus"


class AnswerBlock(blocks.StructBlock):
    text = blocks.CharBlock(max_length=200)
    weights = blocks.ListBlock(WeightBlock(), help_text="Points this answer gives each role.")

    class Meta:
        icon = "radio-full"


class QuestionBlock(blocks.StructBlock):
    text = blocks.CharBlock(max_length=300)
    answers = blocks.ListBlock(AnswerBlock(), min_num=2, max_num=8)

    class Meta:
        icon = "help"
        description = "A question whose answers weigh towards roles"


class SelfAssessmentPage(ModuleBasePage):
    """Learners answer questions; the answers' points per role name the best-matching role."""

    intro = RichTextField(blank=True, features=RICH_TEXT_FEATURES)
    questions = StreamField([("question", QuestionBlock())])

    content_panels = Page.content_panels + [
        FieldPanel("intro"),
        FieldPanel("questions"),
    ]
    api_fields = [
        APIField("intro", writable=True),
        APIField("questions", writable=True),
    ]

    parent_page_types = ["roles.ModulePage"]
    subpage_types = []
    max_count = 1
    show_in_menus_default = True

    def serve(self, request, *args, **kwargs):
        # Answers arrive as ?q-<question id>=<answer index>: a GET, as nothing is stored,
        # so the questions page needs no CSRF token and stays one cacheable page for all.
        if not any(key.startswith("q-") for key in request.GET):
            return super().serve(request, *args, **kwargs)
        choices, errors = self.read_answers(request.GET)
        return self.render_result(
            request,
            status=400 if errors else 200,
            errors=errors,
            questions=self.question_rows(choices),
            result=None if errors else self.score(choices),
        )

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # Read when rendered, not when the form's fragment comes from the shared cache.
        lazy_context(context, lambda: {"questions": self.question_rows({})}, ("questions",))
        return context

    def question_rows(self, choices):
        """(number, question, chosen answer index or None) for the form."""
        return [(n, q, choices.get(q.id)) for n, q in enumerate(self.questions, start=1)]

    def read_answers(self, data):
        """The chosen answer index per question id, and messages for anything amiss."""
        if len(data) > MAX_FIELDS:
            return {}, ["The form was too large. Please answer the questions again."]
        questions = [(q.id, len(q.value["answers"])) for q in self.questions]
        form = AnswerSheetForm(data, questions)
        form.is_valid()
        # The questions answered well are kept even when others are not: the form comes
        # back with those choices ticked.
        choices = {
            question_id: form.cleaned_data[f"q-{question_id}"]
            for question_id, _ in questions
            if f"q-{question_id}" in form.cleaned_data
        }
        return choices, form.messages()

    def score(self, choices):
        """Points per published role, best first (ties keep tree order), and for each best
        role the reader's own answers that gave it points: the reasons the result names."""
        comparison = current_comparison()
        points = {role.pk: 0 for role in comparison.roles}
        reasons = {role.pk: [] for role in comparison.roles}
        for question in self.questions:
            answer = question.value["answers"][choices[question.id]]
            for weight in answer["weights"]:
                role = weight["role"]
                if role is not None and role.pk in points and weight["points"]:
                    points[role.pk] += weight["points"]
                    reasons[role.pk].append((answer["text"], weight["points"]))
        ranked = sorted(comparison.roles, key=lambda role: -points[role.pk])
        # The roles with the top score (none without roles: the loop never reads ranked[0]).
        best = [r for r in ranked if points[r.pk] == points[ranked[0].pk]]
        return {
            "scores": [(role, points[role.pk]) for role in ranked],
            "best": best[0] if best else None,
            "tied": best if len(best) > 1 else [],
            # Every best role is explained the same way, one or several (a tie).
            "winners": [
                {"role": role, "reasons": reasons[role.pk], "column": comparison.column(role)}
                for role in best
            ],
        }
