"""Headless preview: a signed, expiring token that lets a decoupled frontend read one page's
latest revision, draft included. Tokens are signed with SECRET_KEY; nothing is stored."""

import datetime
import time

from django.core import signing
from ninja import Field, Router, Schema
from wagtail.api.v3.auth import BearerTokenAuth
from wagtail.api.v3.errors import problem_response
from wagtail.api.v3.routers.pages import PageDetailSchema

from .schemas import answers

router = Router(tags=["preview"])

PREVIEW_SALT = "roles.api.preview"
PREVIEW_MAX_SECONDS = 24 * 60 * 60


class PreviewTokenIn(Schema):
    page_id: int = Field(..., ge=1, le=2**63 - 1)
    expires_in: int = Field(3600, ge=60, le=PREVIEW_MAX_SECONDS, description="seconds")


class PreviewTokenOut(Schema):
    token: str
    expires_at: datetime.datetime
    url: str


@router.post(
    "/preview-tokens/",
    **answers(
        PreviewTokenOut,
        {
            401: "No valid API token.",
            403: "The token's user cannot edit the page.",
            404: "There is no such page.",
            422: "The body is not a page id and an expiry in range.",
        },
        conditional=False,
    ),
    auth=BearerTokenAuth(),
    summary="A signed, expiring link to read one page's latest draft",
)
def create_preview_token(request, data: PreviewTokenIn):
    """For an editor's decoupled frontend: whoever holds the token may read the page's
    latest revision (draft included) until it expires; nothing else."""
    from wagtail.models import Page

    page = Page.objects.filter(pk=data.page_id).first()
    if page is None:
        return problem_response(status=404, title="Not found", detail="No such page.")
    if not page.permissions_for_user(request.user).can_edit():
        return problem_response(status=403, title="Forbidden", detail="You cannot edit this page.")
    expires = int(time.time()) + data.expires_in
    token = signing.dumps({"page": page.pk, "exp": expires}, salt=PREVIEW_SALT)
    return {
        "token": token,
        "expires_at": datetime.datetime.fromtimestamp(expires, tz=datetime.UTC),
        "url": f"{request.path.rsplit('/preview-tokens/', 1)[0]}/preview/?token={token}",
    }


@router.get(
    "/preview/",
    **answers(
        PageDetailSchema,
        {
            403: "The preview token is invalid or has expired.",
            404: "The token's page no longer exists.",
            422: "No token was given.",
        },
        conditional=False,
    ),
    summary="Read a draft with a preview token",
)
def read_preview(request, token: str):
    try:
        claims = signing.loads(token, salt=PREVIEW_SALT, max_age=PREVIEW_MAX_SECONDS)
        if claims["exp"] < time.time():
            raise signing.BadSignature("expired")
    except (signing.BadSignature, KeyError, TypeError):
        return problem_response(
            status=403, title="Forbidden", detail="The preview token is invalid or has expired."
        )
    from wagtail.models import Page

    page = Page.objects.filter(pk=claims["page"]).first()
    if page is None:
        return problem_response(status=404, title="Not found", detail="No such page.")
    return page.specific.get_latest_revision_as_object()
