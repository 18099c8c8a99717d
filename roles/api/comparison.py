"""The comparison matrix (also as of a date, and a diff between two dates): views of the data
the site renders, built by roles.comparison.matrix and roles.comparison.history, answering
conditional GETs. The answers' shapes are in roles.api.schemas."""

import hashlib
import json

from django.http import HttpResponse
from django.utils.cache import get_conditional_response
from django.utils.http import http_date
from ninja import Field, Query, Router, Schema
from wagtail.api.v3.errors import problem_response

from roles.models.comparison import comparison_as_of, current_comparison

from .schemas import ComparisonOut, DiffOut, answers, body, day

router = Router(tags=["module"])


class AsOfQuery(Schema):
    as_of: day("as_of") | None = None


class DiffQuery(Schema):
    from_: day("from") = Field(alias="from")  # "from" is a Python keyword
    to: day("to")


def comparison_payload(comparison, as_of=None):
    """The matrix as ComparisonOut has it (dates as Python values: the schema writes them)."""

    def url(page):
        return page.get_url() if page.pk else None

    return {
        "as_of": as_of,
        "last_published_at": comparison.last_published_at,
        "roles": [
            {
                "id": r.pk,
                "slug": r.slug,
                "title": r.title,
                "abbreviation": r.abbreviation,
                "short_label": r.short_label,
                "colour": r.colour,
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
                "last_published_at": row.aspect.last_published_at,
                "icon": row.aspect.icon,
                "scale": (
                    {
                        "label": row.aspect.scale_label,
                        "low": row.aspect.scale_low,
                        "high": row.aspect.scale_high,
                    }
                    if row.aspect.scale_label
                    else None
                ),
                "statements": [
                    {
                        "role_id": c.role.pk,
                        "role_slug": c.role.slug,
                        "role_title": c.role.title,
                        "statement": c.statement,
                        "phrase": c.phrase,
                        "short": c.short,
                        "value": c.value,
                    }
                    for c in row.cells
                ],
            }
            for row in comparison.rows
        ],
    }


def conditional_json(request, schema, payload, last_modified=None):
    """``payload`` as ``schema`` serialises it (see schemas.body), with ETag and
    Last-Modified; Django answers 304 when nothing changed.

    Built here rather than by Ninja's response handling, which cannot answer 304 and writes
    datetimes through DjangoJSONEncoder (milliseconds, "Z"), unlike these answers always have.
    """
    data = body(schema, payload)
    content = json.dumps(data, sort_keys=True, separators=(",", ":")).encode()
    etag = f'"{hashlib.sha256(content).hexdigest()[:32]}"'
    modified = int(last_modified.timestamp()) if last_modified else None
    response = get_conditional_response(request, etag=etag, last_modified=modified)
    if response is None:
        response = HttpResponse(content, content_type="application/json")
    response["ETag"] = etag
    if modified:
        response["Last-Modified"] = http_date(modified)
    return response


def bad_parameter(request, exc):
    """The API's answer to a BadParameter (registered in roles.api.register_v3_routes)."""
    return problem_response(
        status=400,
        title="Invalid parameter",
        detail=str(exc),
        errors=[{"loc": ["query", exc.name], "msg": "not a date (use YYYY-MM-DD)"}],
    )


@router.get(
    "/comparison/",
    **answers(ComparisonOut, {400: "as_of is not a date written YYYY-MM-DD."}),
    summary="The comparison matrix",
)
def comparison(request, query: Query[AsOfQuery]):
    """Roles and aspects in order, each aspect's statement per role (null where missing).

    ``as_of=YYYY-MM-DD`` gives the matrix as published at the end of that day; any other
    value is answered 400. Answers carry an ETag and Last-Modified, and a conditional GET
    is answered 304 while nothing has been published since.
    """
    day = query.as_of
    matrix = current_comparison() if day is None else comparison_as_of(day)
    if matrix is None:
        matrix = current_comparison(aspects=[], roles=[])
    payload = comparison_payload(matrix, day)
    return conditional_json(request, ComparisonOut, payload, matrix.last_published_at)


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


@router.get(
    "/comparison/diff/",
    **answers(
        DiffOut,
        {
            400: "from or to is not a date written YYYY-MM-DD.",
            422: "from or to is missing.",
        },
    ),
    summary="What changed in the matrix",
)
def comparison_diff(request, query: Query[DiffQuery]):
    """Cells whose statement changed (old and new text), and roles or aspects added, removed
    or reordered, between the matrix at the end of ``from`` and at the end of ``to``
    (both YYYY-MM-DD, or the answer is 400; 422 when one is missing)."""
    start, end = query.from_, query.to
    empty = current_comparison(aspects=[], roles=[])
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
        "from_date": start,
        "to_date": end,
        "roles": _set_diff(_ids(old, "roles"), _ids(new, "roles")),
        "aspects": _set_diff(_ids(old, "aspects"), _ids(new, "aspects")),
        "cells": cells,
    }
    return conditional_json(request, DiffOut, payload)
