"""Content that is not a page: stream block data, hostile text, users.

Defaults vary where a uniform value let bugs pass: a knowledge check's right answer is not
its first option, and a self-assessment answer weighs differently on different roles.
"""

from html import escape

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

PARAGRAPH = "<p>A paragraph about programs and projects.</p>"


def hostile(label):
    """Text a template that forgot to escape would turn into markup or mangle: a script tag,
    both kinds of quote, a bare ampersand and one that is already an entity, and non-ASCII.
    ``label`` keeps it unique (page titles make slugs) and findable."""
    return f"<script>alert(\"{label}\")</script> {label} & &amp; 'single' “curly” café 😀"


def hostile_rich(label):
    """The same text as rich text stores it when an editor types it: escaped, in a paragraph."""
    return f"<p>{escape(hostile(label), quote=False)}</p>"


def knowledge_check(question="Who owns the program roadmap?", right=None, options=None):
    """Raw StreamField data for a knowledge check block, the ``right`` option correct.

    By default the right answer is the last option, never the first: a check that took the
    first option for the right one passed every test while every right answer came first.
    With the default options the right one is still "The Technical Program Manager".
    """
    options = options or ["The Technical Project Manager", "The Technical Program Manager"]
    right = len(options) - 1 if right is None else right
    return {
        "type": "knowledge_check",
        "value": {
            "question": question,
            "options": [
                {"text": t, "correct": i == right, "feedback": f"Why {t} is {i == right}."}
                for i, t in enumerate(options)
            ],
            "explanation": "<p>Roadmaps span several projects.</p>",
        },
    }


def scenario(perspectives, title="Launching a payments feature", intro="Web, mobile, support."):
    """Raw StreamField data for a scenario block: ``perspectives`` is [(role page, text)]."""
    return {
        "type": "scenario",
        "value": {
            "title": title,
            "intro": intro,
            "perspectives": [{"role": role.pk, "text": text} for role, text in perspectives],
        },
    }


def assessment_questions(roles, count=3, points=3, others=1):
    """``count`` questions with one answer per role and "No preference" last.

    The answer "Like <role>" gives that role ``points`` and every other role ``others``:
    weights that differ, so scoring that ignores a weight's points, or reads only an answer's
    first weight, gets a different result.
    """
    return [
        {
            "type": "question",
            "value": {
                "text": f"Question {n}?",
                "answers": [
                    {
                        "text": f"Like {liked.title}",
                        "weights": [
                            {"role": role.pk, "points": points if role.pk == liked.pk else others}
                            for role in [liked, *(r for r in roles if r.pk != liked.pk)]
                        ],
                    }
                    for liked in roles
                ]
                + [{"text": "No preference", "weights": []}],
            },
        }
        for n in range(1, count + 1)
    ]


def list_block(items):
    """A ListBlock as the admin form posts it (for tests that post edit forms)."""
    return {
        "count": len(items),
        **{str(i): {"value": v, "deleted": "", "order": i, "id": ""} for i, v in enumerate(items)},
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


class AuthorFactory(factory.django.DjangoModelFactory):
    """The module's author snippet; one per name, as the loader keeps it."""

    name = "M Clark"
    bio = ""

    class Meta:
        model = "roles.Author"
        django_get_or_create = ("name",)
