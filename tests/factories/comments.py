"""Learners' comments: pending by default, as a learner's post leaves them.

Pass ``page`` (a lesson of the ``module`` fixture, say); without it the comment goes on a new
lesson under the default site's root page.
"""

import factory
from wagtail.models import Site

from roles.models import Comment

from .content import hostile
from .pages import LessonPageFactory


def _lesson():
    return LessonPageFactory(parent=Site.objects.get(is_default_site=True).root_page)


class CommentFactory(factory.django.DjangoModelFactory):
    page = factory.LazyFunction(_lesson)
    name = factory.Sequence(lambda n: f"Learner {n}")
    text = factory.Sequence(lambda n: f"Question {n}: how does a program differ from a project?")
    status = Comment.PENDING
    ip_address = "203.0.113.7"
    user_agent = "Mozilla/5.0 (test)"

    class Meta:
        model = Comment

    class Params:
        approved = factory.Trait(status=Comment.APPROVED)
        hostile = factory.Trait(
            name=factory.Sequence(lambda n: hostile(f"Name {n}")[:60]),
            text=factory.Sequence(lambda n: hostile(f"Comment {n}") + " https://spam.example/x"),
            reply=factory.Sequence(lambda n: hostile(f"Reply {n}")),
        )
