"""Factories for every page type. Pages are published through a revision, as editors do."""

import factory
import wagtail_factories
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from roles import models

PARAGRAPH = "<p>A paragraph about programs and projects.</p>"


class BasePageFactory(wagtail_factories.PageFactory):
    """Publishes through a first revision; ``live=False`` makes a never-published draft."""

    class Meta:
        abstract = True

    @classmethod
    def _after_postgeneration(cls, instance, create, results=None):
        if not create:
            return
        if results:  # a post-generation hook set child rows (statements, steps): store them
            instance.save()
        revision = instance.save_revision()
        if instance.live:
            revision.publish()
        instance.refresh_from_db()


class ModulePageFactory(BasePageFactory):
    title = "Program vs project manager"
    lead = "Two roles, compared."
    author = "M Clark"
    infographic_title = "The roles at a glance"
    disclaimer = "<p>For general information only.</p>"

    class Meta:
        model = models.ModulePage


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
    definition = factory.LazyAttribute(lambda o: f"What a {o.title} does.")
    summary = factory.LazyAttribute(lambda o: f"<p>Summary of {o.title}.</p>")
    responsibilities = "<ul><li>Own the plan</li></ul>"
    skills = "<ul><li>Communication</li></ul>"
    kpis = "<ul><li>On-time delivery</li></ul>"

    class Meta:
        model = models.RolePage


class AspectPageFactory(BasePageFactory):
    """``statements={role_page: "text", ...}`` fills the aspect's cells before it is published."""

    title = factory.Sequence(lambda n: f"Aspect {n}")
    explanation = "<p>Why this aspect matters.</p>"

    class Meta:
        model = models.AspectPage

    @factory.post_generation
    def statements(obj, create, extracted, **kwargs):
        obj.statements = [
            models.AspectStatement(role=role, statement=text, sort_order=i)
            for i, (role, text) in enumerate((extracted or {}).items())
        ]


class AspectStatementFactory(factory.django.DjangoModelFactory):
    page = factory.SubFactory(AspectPageFactory)
    role = factory.SubFactory(RolePageFactory)
    statement = factory.Sequence(lambda n: f"Statement {n}")

    class Meta:
        model = models.AspectStatement


class CareerPathPageFactory(BasePageFactory):
    """``steps=[("Title", role_or_None), ...]`` sets the ordered steps."""

    title = factory.Sequence(lambda n: f"Career path {n}")
    intro = "<p>Where this role leads.</p>"

    class Meta:
        model = models.CareerPathPage

    @factory.post_generation
    def steps(obj, create, extracted, **kwargs):
        obj.steps = [
            models.CareerStep(title=title, description=f"About {title}.", role=role, sort_order=i)
            for i, (title, role) in enumerate(extracted or [("Next step", None)])
        ]


class CareerStepFactory(factory.django.DjangoModelFactory):
    page = factory.SubFactory(CareerPathPageFactory)
    title = factory.Sequence(lambda n: f"Step {n}")
    description = "What this step involves."

    class Meta:
        model = models.CareerStep


class LessonPageFactory(BasePageFactory):
    title = factory.Sequence(lambda n: f"Lesson {n}")
    summary = factory.LazyAttribute(lambda o: f"What {o.title} covers.")
    body = factory.LazyAttribute(
        lambda o: [
            {"type": "heading", "value": f"{o.title} in brief"},
            {"type": "paragraph", "value": PARAGRAPH},
            {"type": "takeaway", "value": {"title": "Key takeaway", "text": PARAGRAPH}},
        ]
    )

    class Meta:
        model = models.LessonPage


def list_block(items):
    """A ListBlock as the admin form posts it (for tests that post edit forms)."""
    return {
        "count": len(items),
        **{str(i): {"value": v, "deleted": "", "order": i, "id": ""} for i, v in enumerate(items)},
    }


class SelfAssessmentPageFactory(BasePageFactory):
    """``roles=[a, b]``: each question has one answer per role, worth 2 points to it."""

    title = "Which role suits you?"
    slug = "self-assessment"
    intro = "<p>Five questions.</p>"

    class Meta:
        model = models.SelfAssessmentPage

    class Params:
        roles = []
        count = 3

    questions = factory.LazyAttribute(
        lambda o: [
            {
                "type": "question",
                "value": {
                    "text": f"Question {n}?",
                    "answers": [
                        {"text": f"Like {role.title}", "weights": [{"role": role.pk, "points": 2}]}
                        for role in o.roles
                    ]
                    + [{"text": "No preference", "weights": []}],
                },
            }
            for n in range(1, o.count + 1)
        ]
    )


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


class UserFactory(factory.django.DjangoModelFactory):
    """``groups=["Editors"]`` puts the user in Wagtail's groups (made by the migrations)."""

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Alex"
    last_name = factory.Sequence(lambda n: f"Editor{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.com")
    password = factory.django.Password("correct horse battery")

    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    @factory.post_generation
    def groups(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.groups.add(*Group.objects.filter(name__in=extracted))


def knowledge_check(question="Who owns the program roadmap?", right=0, options=None):
    """Raw StreamField data for a knowledge check block, the ``right`` option correct."""
    options = options or ["The Technical Program Manager", "The Technical Project Manager"]
    return {
        "type": "knowledge_check",
        "value": {
            "question": question,
            "options": [{"text": t, "correct": i == right} for i, t in enumerate(options)],
            "explanation": "<p>Roadmaps span several projects.</p>",
        },
    }
