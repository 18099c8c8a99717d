"""Learners' approved comments of a page, for headless frontends (read-only). Pending,
rejected and spam comments are never answered, nor comments of a page readers may not see."""

from ninja import Query, Router, Schema
from wagtail.api.v3.errors import problem_response
from wagtail.models import Page

from roles.models.comments import Comment
from roles.visibility import visible

from .comparison import conditional_json
from .schemas import IsoDateTime, Out, answers

router = Router(tags=["module"])


class CommentsQuery(Schema):
    page: int


class CommentOut(Out):
    id: int
    name: str
    text: str  # plain text, as the learner wrote it: escape it when showing it
    created_at: IsoDateTime
    reply: str  # the learning team's answer, plain text; empty when there is none


class CommentsOut(Out):
    page: int
    comments: list[CommentOut]


@router.get(
    "/comments/",
    **answers(CommentsOut, {404: "No published page has this id."}),
    summary="A page's approved learners' comments, oldest first",
)
def page_comments(request, query: Query[CommentsQuery]):
    if not visible(Page.objects.filter(pk=query.page)).exists():
        detail = f"No published page has the id {query.page}."
        return problem_response(status=404, title="Not found", detail=detail)
    comments = Comment.objects.approved().filter(page_id=query.page)
    payload = {
        "page": query.page,
        "comments": [
            {
                "id": c.pk,
                "name": c.name,
                "text": c.text,
                "created_at": c.created_at,
                "reply": c.reply,
            }
            for c in comments
        ],
    }
    return conditional_json(request, CommentsOut, payload)
