"""Learners' comments: pending by default, as a learner's post leaves them."""

import factory

from roles.models import Comment

from .content import hostile


class CommentFactory(factory.django.DjangoModelFactory):
    """``page`` is required (a lesson or the module page). ``status`` defaults to pending."""

    name = factory.Sequence(lambda n: f"Learner {n}")
    text = factory.Sequence(lambda n: f"Question {n}: who owns the roadmap?")
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
