"""What the module's v3 endpoints answer, as schemas, and the one way a payload becomes a body.

The handlers build plain payloads; ``body()`` passes each through its operation's declared
schema before it is sent. Every schema forbids extra fields and every field is required, so a
handler returning a field its schema lacks, or lacking one it declares, is a server error here
rather than an OpenAPI document that quietly differs from the answers. The schemas are the
``response=`` of their operations, so the document shows exactly these.
"""

import datetime
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    WithJsonSchema,
)
from pydantic import ValidationError as PydanticValidationError
from wagtail.api.v3.errors import ProblemDetail

from roles.blocks import LESSON_BLOCKS
from roles.comparison.history import parse_iso_date


class Out(BaseModel):
    model_config = ConfigDict(extra="forbid")


# The answers have always written datetimes as datetime.isoformat() does ("+00:00"); pydantic
# would write "Z" for UTC, changing every body (and its ETag) for no reader's benefit.
IsoDateTime = Annotated[
    datetime.datetime,
    PlainSerializer(lambda value: value.isoformat(), return_type=str, when_used="json"),
    WithJsonSchema({"type": "string", "format": "date-time"}),
]


class BadParameter(Exception):
    """A date parameter that is not YYYY-MM-DD: answered 400 (``bad_parameter``), as the
    site's pages answer it. Not a ValueError on purpose: pydantic turns those into a 422
    validation error, and lets any other exception through to the API's handler."""

    def __init__(self, name, value):
        self.name, self.value = name, value
        super().__init__(f"{name}: “{str(value)[:40]}” is not a date (use YYYY-MM-DD)")


def day(name):
    """A date query parameter called ``name``: ``format: date`` in the document, a
    ``datetime.date`` in the handler. Read by the site's own rule (exactly YYYY-MM-DD, see
    parse_iso_date), stricter than pydantic's (which also takes Unix timestamps)."""

    def parse(value):
        if isinstance(value, datetime.date):
            return value
        try:
            return parse_iso_date(str(value))
        except ValueError as exc:
            raise BadParameter(name, value) from exc

    return Annotated[datetime.date, BeforeValidator(parse)]


class RoleOut(Out):
    id: int
    slug: str
    title: str
    abbreviation: str
    short_label: str
    colour: str
    heading: str
    url: str | None


class StatementOut(Out):
    role_id: int
    role_slug: str
    role_title: str
    statement: str | None
    phrase: str | None = Field(description="The editor's short phrase for the infographic")
    short: str = Field(description="The phrase, or else the statement cut to 60 characters")
    value: int | None = Field(description="The role's point (1-5) on the aspect's scale")


class ScaleOut(Out):
    label: str = Field(description="What the values measure, e.g. How broad the scope")
    low: str = Field(description="The words for 1")
    high: str = Field(description="The words for 5")


class AspectOut(Out):
    id: int
    slug: str
    title: str
    url: str | None
    last_published_at: IsoDateTime | None
    icon: str = Field(description="The infographic's icon for the aspect")
    scale: ScaleOut | None = Field(description="The aspect's 1-5 scale, when it is one")
    statements: list[StatementOut]


class ComparisonOut(Out):
    as_of: datetime.date | None
    last_published_at: IsoDateTime | None
    roles: list[RoleOut]
    aspects: list[AspectOut]


class DiffCell(Out):
    aspect_id: int
    aspect_slug: str
    role_id: int
    role_slug: str
    old: str | None
    new: str | None


class DiffSet(Out):
    added: list[str]
    removed: list[str]
    reordered: bool


class DiffOut(Out):
    from_date: datetime.date
    to_date: datetime.date
    roles: DiffSet
    aspects: DiffSet
    cells: list[DiffCell]


class ModuleOut(Out):
    id: int
    title: str
    lead: str
    author: str
    intro: str
    disclaimer: str
    url: str | None
    last_updated: IsoDateTime | None


class RoleDetailOut(Out):
    """What the bundle adds to a role of ``comparison.roles`` (same id, same order)."""

    id: int
    definition: str
    summary: str
    responsibilities: str
    skills: str
    kpis: str


class CareerStepOut(Out):
    title: str
    description: str
    role_id: int | None
    alternative: bool  # taken instead of the step before it, not after it


class CareerPathOut(Out):
    id: int
    title: str
    role_id: int | None
    url: str | None
    steps: list[CareerStepOut]


class LessonBlockOut(Out):
    """One block of a lesson's body, as Wagtail's API renders a StreamField item (rich text
    as HTML); ``value``'s shape depends on ``type``."""

    type: Literal[tuple(name for name, _ in LESSON_BLOCKS)]
    value: Any
    id: str | None


class LessonOut(Out):
    id: int
    number: int
    title: str
    summary: str
    objectives: list[str]
    url: str | None
    reading_minutes: int
    body: list[LessonBlockOut]


class BundleOut(Out):
    module: ModuleOut
    comparison: ComparisonOut
    roles: list[RoleDetailOut]
    career_paths: list[CareerPathOut]
    lessons: list[LessonOut]


class SchemaMismatch(RuntimeError):
    """A handler built an answer its schema does not allow: a bug here, answered 500."""


def body(schema, payload):
    """``payload`` checked against ``schema`` (strictly: no coercion, no extra fields) and
    serialised as the schema says, ready for json.dumps."""
    try:
        return schema.model_validate(payload, strict=True).model_dump(mode="json")
    except PydanticValidationError as exc:
        # Not left as a ValidationError: the API would answer that 422, blaming the client.
        raise SchemaMismatch(f"{schema.__name__}: {exc}") from exc


NOT_MODIFIED = "Nothing has been published since the ETag or date the request names."


def answers(ok, problems, conditional=True):
    """The ``response=`` and ``openapi_extra=`` of an operation, as keyword arguments: ``ok``
    for 200, no body for 304 when it answers conditional GETs, and Wagtail's problem body for
    each status in ``problems`` ({status: when it is answered}, which the document says)."""
    responses = {200: ok, **({304: None} if conditional else {})}
    responses.update({status: ProblemDetail for status in problems})
    said = {**({304: NOT_MODIFIED} if conditional else {}), **problems}
    # Ninja keys its responses by int; so must the extra merged into them.
    extra = {"responses": {status: {"description": text} for status, text in said.items()}}
    return {"response": responses, "openapi_extra": extra}
