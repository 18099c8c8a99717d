"""Learners' comments, pending by default as a learner's new comment is.

Pass ``page`` (a lesson of the ``module`` fixture, say); without it the comment goes on a new
lesson under the default site's root page.
"""

import factory
from wagtail.models import Site

from .pages import LessonPageFactory


def _lesson():
    return LessonPageFactory(parent=Site.objects.get(is_default_site=True).root_page)


class CommentFactory(factory.django.DjangoModelFactory):
    page = factory.LazyFunction(_lesson)
    name = factory.Sequence(lambda n: f"Learner {n}")
    text = factory.Sequence(lambda n: f"Question {n}: how does a program differ from a project?")
    status = "pending"

    class Meta:
        model = "roles.Comment"
