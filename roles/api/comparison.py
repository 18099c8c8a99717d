"""The comparison matrix (also as of a date, and a diff between two dates) and the whole
published module in one bundle: views of the data the site renders, built by
roles.comparison.matrix and roles.comparison.history, answering conditional GETs."""

import datetime
import hashlib
import json

from django.http import HttpResponse
from django.utils.cache import get_conditional_response
from django.utils.http import http_date
from ninja import Query, Router, Schema
from wagtail.api.v3.errors import problem_response

from roles.comparison.history import parse_iso_date
from roles.models.comparison import comparison_as_of, current_comparison

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
        return parse_iso_date(value)
    except ValueError as exc:
        raise BadParameter(name, value) from exc


def comparison_payload(comparison, as_of=None):
    def url(page):
        return page.get_url() if page.pk else None

    return {
        "as_of": as_of.isoformat() if as_of else None,
        "last_published_at": iso_or_none(comparison.last_published_at),
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
                "last_published_at": iso_or_none(row.aspect.last_published_at),
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


def iso_or_none(value):
    return value.isoformat() if value else None


def conditional_json(request, payload, last_modified=None):
    """A JSON response with ETag and Last-Modified; Django answers 304 when nothing changed."""
    body = json.dumps(payload, sort_keys=True, separators=(",", ":")).encode()
    etag = f'"{hashlib.sha256(body).hexdigest()[:32]}"'
    modified = int(last_modified.timestamp()) if last_modified else None
    response = get_conditional_response(request, etag=etag, last_modified=modified)
    if response is None:
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
    matrix = current_comparison() if day is None else comparison_as_of(day)
    if matrix is None:
        matrix = current_comparison(aspects=[], roles=[])
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
        "from_date": start.isoformat(),
        "to_date": end.isoformat(),
        "roles": _set_diff(_ids(old, "roles"), _ids(new, "roles")),
        "aspects": _set_diff(_ids(old, "aspects"), _ids(new, "aspects")),
        "cells": cells,
    }
    return conditional_json(request, payload)
