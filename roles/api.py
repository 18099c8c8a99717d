"""The module over HTTP: Wagtail's API v2 router, and our additions to Wagtail's API v3.

The v3 additions are the comparison matrix (also as of a date, and a diff between two dates)
and the whole published module in one bundle. Both are views of the same data the site
renders, built by roles.comparison and roles.history, and both answer conditional GETs.
"""

import datetime
import hashlib
import json

from django.http import HttpResponse, HttpResponseNotModified
from django.utils.http import http_date, parse_http_date_safe
from ninja import Query, Router, Schema
from wagtail import blocks
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.api.v3.errors import problem_response
from wagtail.images.api.v2.views import ImagesAPIViewSet
from wagtail.rich_text import expand_db_html

from roles.comparison import build_comparison
from roles.history import comparison_as_of

api_v2 = WagtailAPIRouter("wagtailapi_v2")
api_v2.register_endpoint("pages", PagesAPIViewSet)
api_v2.register_endpoint("images", ImagesAPIViewSet)

router = Router(tags=["module"])


class RoleOut(Schema):
    id: int
    slug: str
    title: str
    abbreviation: str
    heading: str
    url: str | None


class StatementOut(Schema):
    role_id: int
    role_slug: str
    role_title: str
    statement: str | None


class AspectOut(Schema):
    id: int
    slug: str
    title: str
    url: str | None
    last_published_at: datetime.datetime | None
    statements: list[StatementOut]


class ComparisonOut(Schema):
    as_of: datetime.date | None
    last_published_at: datetime.datetime | None
    roles: list[RoleOut]
    aspects: list[AspectOut]


class DiffCell(Schema):
    aspect_id: int
    aspect_slug: str
    role_id: int
    role_slug: str
    old: str | None
    new: str | None


class DiffSet(Schema):
    added: list[str]
    removed: list[str]
    reordered: bool


class DiffOut(Schema):
    from_date: datetime.date
    to_date: datetime.date
    roles: DiffSet
    aspects: DiffSet
    cells: list[DiffCell]


class AsOfQuery(Schema):
    as_of: str | None = None


class BadParameter(Exception):
    def __init__(self, name, value):
        self.name, self.value = name, value
        super().__init__(f"{name}: “{str(value)[:40]}” is not a date (use YYYY-MM-DD)")


def parse_day(name, value):
    try:
        if value is None or len(value) != 10:
            raise ValueError(value)
        return datetime.date.fromisoformat(value)
    except ValueError as exc:
        raise BadParameter(name, value) from exc


def comparison_payload(comparison, as_of=None):
    def url(page):
        return page.get_url() if page.pk else None

    return {
        "as_of": as_of.isoformat() if as_of else None,
        "last_published_at": _iso(comparison.last_published_at),
        "roles": [
            {
                "id": r.pk,
                "slug": r.slug,
                "title": r.title,
                "abbreviation": r.abbreviation,
                "heading": r.heading,
                "url": url(r),
            }
            for r in comparison.roles
        ],
        "aspects": [
            {
                "id": row.aspect.pk,
                "slug": row.aspect.slug,
                "title": row.aspect.title,
                "url": url(row.aspect),
                "last_published_at": _iso(row.aspect.last_published_at),
                "statements": [
                    {
                        "role_id": c.role.pk,
                        "role_slug": c.role.slug,
                        "role_title": c.role.title,
                        "statement": c.statement,
                    }
                    for c in row.cells
                ],
            }
            for row in comparison.rows
        ],
    }


def _iso(value):
    return value.isoformat() if value else None


def conditional_json(request, payload, last_modified=None):
    """A JSON response with ETag and Last-Modified that answers 304 when nothing changed."""
    body = json.dumps(payload, sort_keys=True, separators=(",", ":")).encode()
    etag = f'"{hashlib.sha256(body).hexdigest()[:32]}"'
    modified = int(last_modified.timestamp()) if last_modified else None
    match = request.headers.get("If-None-Match")
    since = parse_http_date_safe(request.headers.get("If-Modified-Since", ""))
    if (match and etag in [m.strip() for m in match.split(",")]) or (
        not match and modified and since and modified <= since
    ):
        response = HttpResponseNotModified()
    else:
        response = HttpResponse(body, content_type="application/json")
    response["ETag"] = etag
    if modified:
        response["Last-Modified"] = http_date(modified)
    return response


def bad_parameter(request, exc):
    return problem_response(
        status=400,
        title="Invalid parameter",
        detail=str(exc),
        errors=[{"loc": ["query", exc.name], "msg": "not a date (use YYYY-MM-DD)"}],
    )


@router.get("/comparison/", response=ComparisonOut, summary="The comparison matrix")
def comparison(request, query: Query[AsOfQuery]):
    """Roles and aspects in order, each aspect's statement per role (null where missing).

    ``as_of=YYYY-MM-DD`` gives the matrix as published at the end of that day.
    """
    try:
        day = parse_day("as_of", query.as_of) if query.as_of is not None else None
    except BadParameter as exc:
        return bad_parameter(request, exc)
    matrix = build_comparison() if day is None else comparison_as_of(day)
    if matrix is None:
        matrix = build_comparison(aspects=[], roles=[])
    return conditional_json(request, comparison_payload(matrix, day), matrix.last_published_at)


def _ids(matrix, kind):
    pages = matrix.roles if kind == "roles" else [row.aspect for row in matrix.rows]
    return [(p.pk, p.slug) for p in pages]


def _set_diff(old, new):
    old_ids, new_ids = [pk for pk, _ in old], [pk for pk, _ in new]
    common_old = [pk for pk in old_ids if pk in new_ids]
    common_new = [pk for pk in new_ids if pk in old_ids]
    return {
        "added": [slug for pk, slug in new if pk not in old_ids],
        "removed": [slug for pk, slug in old if pk not in new_ids],
        "reordered": common_old != common_new,
    }


@router.get("/comparison/diff/", response=DiffOut, summary="What changed in the matrix")
def comparison_diff(request, from_: str = Query(..., alias="from"), to: str = Query(...)):
    """Cells whose statement changed (old and new text), and roles or aspects added, removed
    or reordered, between the matrix at the end of ``from`` and at the end of ``to``."""
    try:
        start, end = parse_day("from", from_), parse_day("to", to)
    except BadParameter as exc:
        return bad_parameter(request, exc)
    empty = build_comparison(aspects=[], roles=[])
    old = comparison_as_of(start) or empty
    new = comparison_as_of(end) or empty
    cells = []
    for row in new.rows:
        for cell in row.cells:
            before = old.statement(row.aspect, cell.role)
            if before != cell.statement:
                cells.append(
                    {
                        "aspect_id": row.aspect.pk,
                        "aspect_slug": row.aspect.slug,
                        "role_id": cell.role.pk,
                        "role_slug": cell.role.slug,
                        "old": before,
                        "new": cell.statement,
                    }
                )
    payload = {
        "from_date": start.isoformat(),
        "to_date": end.isoformat(),
        "roles": _set_diff(_ids(old, "roles"), _ids(new, "roles")),
        "aspects": _set_diff(_ids(old, "aspects"), _ids(new, "aspects")),
        "cells": cells,
    }
    return conditional_json(request, payload)


def _block_json(block, value):
    """A StreamField value as JSON, with rich text rendered to HTML for other frontends."""
    if isinstance(block, blocks.RichTextBlock):
        return expand_db_html(value.source)
    if isinstance(block, blocks.StructBlock):
        return {
            name: _block_json(child, value[name]) for name, child in block.child_blocks.items()
        }
    if isinstance(block, blocks.ListBlock):
        return [_block_json(block.child_block, item) for item in value]
    if isinstance(block, blocks.PageChooserBlock):
        return value.pk if value else None
    return block.get_api_representation(value)


def lesson_body(lesson):
    return [
        {"type": child.block_type, "id": child.id, "value": _block_json(child.block, child.value)}
        for child in lesson.body
    ]


@router.get("/module/", summary="The whole published module in one response")
def module_bundle(request):
    """Module, roles, aspects with statements, career paths and lessons in order: everything
    a static frontend or an LMS import needs, published content only."""
    from roles.models import CareerPathPage, ModulePage

    module = ModulePage.objects.live().public().first()
    if module is None:
        return problem_response(status=404, title="Not found", detail="No module is published.")
    matrix = build_comparison()
    html = expand_db_html
    payload = {
        "module": {
            "id": module.pk,
            "title": module.title,
            "lead": module.lead,
            "author": module.author,
            "intro": html(module.intro),
            "disclaimer": html(module.disclaimer),
            "url": module.get_url(),
            "last_updated": _iso(module.last_updated),
        },
        "comparison": comparison_payload(matrix),
        "roles": [
            {
                "id": r.pk,
                "definition": r.definition,
                "summary": html(r.summary),
                "responsibilities": html(r.responsibilities),
                "skills": html(r.skills),
                "kpis": html(r.kpis),
            }
            for r in matrix.roles
        ],
        "career_paths": [
            {
                "id": path.pk,
                "title": path.title,
                "role_id": path.role_id if path.role and path.role.live else None,
                "url": path.get_url(),
                "steps": [
                    {
                        "title": step.title,
                        "description": step.description,
                        "role_id": step.role_id if step.role and step.role.live else None,
                    }
                    for step in path.steps.all()
                ],
            }
            for path in CareerPathPage.objects.live()
            .public()
            .select_related("role")
            .prefetch_related("steps__role")
            .order_by("path")
        ],
        "lessons": [
            {
                "id": lesson.pk,
                "number": number,
                "title": lesson.title,
                "summary": lesson.summary,
                "url": lesson.get_url(),
                "reading_minutes": lesson.reading_minutes,
                "body": lesson_body(lesson),
            }
            for number, lesson in enumerate(module.lessons(), start=1)
        ],
    }
    return conditional_json(request, payload, module.last_updated)


def _valid_openapi(schema):
    """Wagtail 8.0.1 declares anonymous access as an HTTP security scheme without a
    ``scheme``, which fails OpenAPI validation. OpenAPI spells "no authentication needed" as
    an empty requirement object, so that is what the document says instead."""
    schemes = schema.get("components", {}).get("securitySchemes", {})
    anonymous = [name for name, scheme in schemes.items() if "scheme" not in scheme]
    for name in anonymous:
        del schemes[name]
    for operations in schema.get("paths", {}).values():
        for operation in operations.values():
            if isinstance(operation, dict) and "security" in operation:
                operation["security"] = [
                    {} if any(name in req for name in anonymous) else req
                    for req in operation["security"]
                ]
    return schema


def register_v3_routes(api):
    """Add the module's endpoints to Wagtail's v3 API (once; URLs are built after this)."""
    if getattr(api, "_module_routes", False):
        return
    api.add_router("/", router)
    upstream = api.get_openapi_schema
    api.get_openapi_schema = lambda *args, **kwargs: _valid_openapi(upstream(*args, **kwargs))
    api._module_routes = True
