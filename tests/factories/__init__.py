"""Factories for every page type and the content tests give them; import from here.

base.py publishes pages as editors do and hides them on request (private, unpublished,
drafted, moved ahead of older siblings); pages.py has a factory per page type, each with a
``hostile`` trait; content.py has stream block data, hostile text and users; comments.py has
learners' comments.
"""

from .base import BasePageFactory, restrict, reverse_tree_order
from .comments import CommentFactory
from .content import (
    PARAGRAPH,
    AuthorFactory,
    UserFactory,
    assessment_questions,
    hostile,
    hostile_rich,
    knowledge_check,
    list_block,
    scenario,
)
from .pages import (
    PAGE_FACTORIES,
    AspectPageFactory,
    AspectStatementFactory,
    CareerPathIndexPageFactory,
    CareerPathPageFactory,
    CareerStepFactory,
    ComparisonPageFactory,
    FinalCheckPageFactory,
    LessonPageFactory,
    ModulePageFactory,
    RoleIndexPageFactory,
    RolePageFactory,
    SelfAssessmentPageFactory,
)

__all__ = [
    "PAGE_FACTORIES",
    "PARAGRAPH",
    "AspectPageFactory",
    "AspectStatementFactory",
    "AuthorFactory",
    "BasePageFactory",
    "CareerPathIndexPageFactory",
    "CareerPathPageFactory",
    "CareerStepFactory",
    "CommentFactory",
    "ComparisonPageFactory",
    "FinalCheckPageFactory",
    "LessonPageFactory",
    "ModulePageFactory",
    "RoleIndexPageFactory",
    "RolePageFactory",
    "SelfAssessmentPageFactory",
    "UserFactory",
    "assessment_questions",
    "hostile",
    "hostile_rich",
    "knowledge_check",
    "list_block",
    "restrict",
    "reverse_tree_order",
    "scenario",
]
