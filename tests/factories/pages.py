"""A factory for every page type. See base.py for publishing and the hiding options every
factory takes (``private``, ``unpublished``, ``drafted``, ``first``, ``live=False``).

``hostile=True`` (a factory_boy Trait) fills a page's text fields with hostile text
(content.hostile), rich text as an editor would have typed it, so a test can check that what
readers see is that text, never markup.
"""

from html import escape

import factory

from roles import models
from roles.comparison.palette import ROLE_COLOURS

from .base import ROWS_SET, BasePageFactory
from .content import PARAGRAPH, AuthorFactory, assessment_questions, hostile, hostile_rich


class ModulePageFactory(BasePageFactory):
    title = "Program vs project manager"
    lead = "Two roles, compared."
    author = factory.SubFactory(AuthorFactory)
    infographic_title = "The roles at a glance"
    disclaimer = "<p>For general information only.</p>"

    class Meta:
        model = models.ModulePage

    class Params:
        hostile = factory.Trait(
            title=hostile("Module"),
            lead=hostile("Lead"),
            author=factory.SubFactory(
                AuthorFactory, name=hostile("Author"), bio=hostile_rich("Bio")
            ),
            infographic_title=hostile("Infographic"),
            disclaimer=hostile_rich("Disclaimer"),
        )


class ComparisonPageFactory(BasePageFactory):
    title = "Table of Comparison"
    slug = "comparison"

    class Meta:
        model = models.ComparisonPage


class RoleIndexPageFactory(BasePageFactory):
    title = "Roles"
    slug = "roles"

    class Meta:
        model = models.RoleIndexPage


class CareerPathIndexPageFactory(BasePageFactory):
    title = "Career paths"
    slug = "career-paths"

    class Meta:
        model = models.CareerPathIndexPage


class RolePageFactory(BasePageFactory):
    title = factory.Sequence(lambda n: f"Role {n}")
    abbreviation = factory.Sequence(lambda n: f"R{n}")
    short_label = factory.Sequence(lambda n: f"Label {n}")
    # Distinct for up to six roles; the admin and API forms, not saves, refuse clashes.
    colour = factory.Iterator(ROLE_COLOURS)
    definition = factory.LazyAttribute(lambda o: f"What a {o.title} does.")
    # Titles are plain text: escaped where they go into rich text, as the editor would.
    summary = factory.LazyAttribute(lambda o: f"<p>Summary of {escape(o.title)}.</p>")
    responsibilities = "<ul><li>Own the plan</li></ul>"
    skills = "<ul><li>Communication</li></ul>"
    kpis = "<ul><li>On-time delivery</li></ul>"

    class Meta:
        model = models.RolePage

    class Params:
        hostile = factory.Trait(
            title=factory.Sequence(lambda n: hostile(f"Role {n}")),
            abbreviation=factory.Sequence(lambda n: f"<&\"'{n}>"),  # 20 characters at most
            short_label=factory.Sequence(lambda n: f"<b>&\"'{n}"),
        )


class AspectPageFactory(BasePageFactory):
    """``statements={role_page: "text", ...}`` fills the aspect's cells before it is published;
    a cell may also be ``{"statement": ..., "phrase": ..., "value": 1-5}``. ``scaled=True``
    names a 1-5 scale (values then mean something)."""

    title = factory.Sequence(lambda n: f"Aspect {n}")
    explanation = "<p>Why this aspect matters.</p>"
    icon = factory.Iterator(["scope", "focus", "time", "general"])

    class Meta:
        model = models.AspectPage

    class Params:
        scaled = factory.Trait(
            scale_label=factory.Sequence(lambda n: f"How far along scale {n}"),
            scale_low="Little",
            scale_high="A lot",
        )
        hostile = factory.Trait(
            title=factory.Sequence(lambda n: hostile(f"Aspect {n}")),
            explanation=factory.Sequence(lambda n: hostile_rich(f"Explanation {n}")),
            scale_label=factory.Sequence(lambda n: hostile(f"Sc{n}")),  # within 80
            scale_low=factory.Sequence(lambda n: f"<i>&\"'lo{n}"),  # within 30
            scale_high=factory.Sequence(lambda n: f"<i>&\"'hi{n}"),
        )

    @factory.post_generation
    def statements(obj, create, extracted, **kwargs):
        cells = [
            (role, cell if isinstance(cell, dict) else {"statement": cell})
            for role, cell in (extracted or {}).items()
        ]
        obj.statements = [
            models.AspectStatement(role=role, sort_order=i, **cell)
            for i, (role, cell) in enumerate(cells)
        ]
        return ROWS_SET


class AspectStatementFactory(factory.django.DjangoModelFactory):
    page = factory.SubFactory(AspectPageFactory)
    role = factory.SubFactory(RolePageFactory)
    statement = factory.Sequence(lambda n: f"Statement {n}")

    class Meta:
        model = models.AspectStatement


class CareerPathPageFactory(BasePageFactory):
    """``steps=[("Title", role_or_None), ...]`` sets the ordered steps; a third item True
    makes that step an alternative to the one before it."""

    title = factory.Sequence(lambda n: f"Career path {n}")
    intro = "<p>Where this role leads.</p>"

    class Meta:
        model = models.CareerPathPage

    class Params:
        hostile = factory.Trait(
            title=factory.Sequence(lambda n: hostile(f"Career path {n}")),
            intro=factory.Sequence(lambda n: hostile_rich(f"Intro {n}")),
        )

    @factory.post_generation
    def steps(obj, create, extracted, **kwargs):
        obj.steps = [
            models.CareerStep(
                title=title,
                description=f"About {title}.",
                role=role,
                alternative=bool(alternative and alternative[0]),
                sort_order=i,
            )
            for i, (title, role, *alternative) in enumerate(extracted or [("Next step", None)])
        ]
        return ROWS_SET


class CareerStepFactory(factory.django.DjangoModelFactory):
    page = factory.SubFactory(CareerPathPageFactory)
    title = factory.Sequence(lambda n: f"Step {n}")
    description = "What this step involves."

    class Meta:
        model = models.CareerStep


class LessonPageFactory(BasePageFactory):
    title = factory.Sequence(lambda n: f"Lesson {n}")
    summary = factory.LazyAttribute(lambda o: f"What {o.title} covers.")
    objectives = factory.LazyAttribute(
        lambda o: [{"type": "objective", "value": f"Explain {o.title}"}]
    )
    body = factory.LazyAttribute(
        lambda o: [
            {"type": "heading", "value": f"{o.title} in brief"},
            {"type": "paragraph", "value": o.paragraph},
            {"type": "takeaway", "value": {"title": "Key takeaway", "text": o.paragraph}},
        ]
    )

    class Meta:
        model = models.LessonPage

    class Params:
        paragraph = PARAGRAPH
        hostile = factory.Trait(
            title=factory.Sequence(lambda n: hostile(f"Lesson {n}")),
            paragraph=factory.LazyAttribute(lambda o: f"<p>{escape(o.title, quote=False)}</p>"),
        )


class SelfAssessmentPageFactory(BasePageFactory):
    """``roles=[a, b]``: each question has an answer per role (content.assessment_questions:
    3 points to that role, 1 to each other role) and "No preference"."""

    title = "Which role suits you?"
    slug = "self-assessment"
    intro = "<p>Five questions.</p>"
    questions = factory.LazyAttribute(lambda o: assessment_questions(o.roles, o.count))

    class Meta:
        model = models.SelfAssessmentPage

    class Params:
        roles = []
        count = 3


# Every page type's factory; tests/test_pages.py fails when a page type is missing here.
PAGE_FACTORIES = {
    factory_class._meta.model: factory_class
    for factory_class in [
        ModulePageFactory,
        ComparisonPageFactory,
        RoleIndexPageFactory,
        RolePageFactory,
        AspectPageFactory,
        CareerPathIndexPageFactory,
        CareerPathPageFactory,
        LessonPageFactory,
        SelfAssessmentPageFactory,
    ]
}


class FinalCheckPageFactory(BasePageFactory):
    """Draws its questions from its sibling lessons' knowledge checks (none of its own)."""

    title = "Final check"
    slug = "final-check"
    intro = "<p>Questions from every lesson.</p>"
    pass_mark = 80
    question_source = "all"

    class Meta:
        model = models.FinalCheckPage

    class Params:
        hostile = factory.Trait(title=hostile("Final check"), intro=hostile_rich("Intro"))


PAGE_FACTORIES[models.FinalCheckPage] = FinalCheckPageFactory
