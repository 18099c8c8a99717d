from .assessment import SelfAssessmentPage
from .author import Author
from .careers import CareerPathIndexPage, CareerPathPage, CareerStep
from .comments import Comment
from .comparison import AspectPage, RoleIndexPage, RolePage
from .final_check import FinalCheckPage
from .lesson import LessonPage
from .module import ModulePage
from .statement import AspectStatement
from .table import ComparisonPage

__all__ = [
    "AspectPage",
    "AspectStatement",
    "Author",
    "CareerPathIndexPage",
    "CareerPathPage",
    "CareerStep",
    "Comment",
    "ComparisonPage",
    "FinalCheckPage",
    "LessonPage",
    "ModulePage",
    "RoleIndexPage",
    "RolePage",
    "SelfAssessmentPage",
]
