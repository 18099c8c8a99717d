"""Client mistakes that Wagtail 8.0.1's v3 write endpoints answered with a 500.

Each guard here recognises one mistake and answers it with a problem response that names it;
requests without the mistake reach Wagtail's own code untouched, and an error that is not one
of these mistakes is still a server error (Wagtail's catch-all handler re-raises it).

- Request bodies: every JSON body this API takes is an object. Wagtail's page-type
  discriminator (``wagtail.api.v3.schemas.base.discriminate_meta_type``) raised AttributeError
  on a list, null, number, string or boolean. Integers beyond 64 bits reached database lookups
  (a role's id in an aspect's statements) and raised OverflowError on SQLite.
- Multipart uploads without a boundary: Django's parser refuses them, and Django answered that
  with an HTML page rather than the API's problem+json.
- Page actions whose target cannot exist: copying or aliasing the root (Wagtail reads its
  parent, which it lacks), moving a page beside the root (it has no siblings), publishing an
  alias (Wagtail saves a revision, which aliases may not have).
- StreamField values in the wrong shape: see roles.api.streams.
- A page PATCH whose {page_id} is not a number: Wagtail reads it before Ninja validates it.

And one permission Wagtail's revert action forgets: a page locked for the user (below).
"""

import json
from functools import wraps

from django.core.exceptions import BadRequest
from django.http.multipartparser import MultiPartParserError
from ninja.errors import HttpError
from ninja.parser import Parser
from wagtail.api.v3.errors import problem_response
from wagtail.api.v3.routers import pages as wagtail_pages
from wagtail.api.v3.schemas.pages import PageTypeInjectingBodyModel
from wagtail.coreutils import resolve_model_string
from wagtail.models import Page

from .streams import MAX_ID, json_type, stream_field_problems


class BodyProblem(ValueError):
    """A request body this API cannot take; ``errors`` name the fields, if any."""

    def __init__(self, status, detail, errors=None):
        super().__init__(detail)
        self.status, self.detail, self.errors = status, detail, errors

    def response(self):
        return problem_response(status=self.status, detail=self.detail, errors=self.errors)


INT_RANGE = f"Must be a 64-bit integer, from {-MAX_ID - 1} to {MAX_ID}."


def _refuse_constant(name):
    raise BodyProblem(400, f"{name} is not a JSON number; the request body is not valid JSON.")


class ObjectBodyParser(Parser):
    """Ninja's JSON parser, refusing bodies no endpoint of this API takes.

    Multipart form fields go through ``parse_querydict``, not here: the image and document
    uploads are not affected. (Ninja would pass each form field through ``parse_body`` only
    for an operation taking both a file and a JSON body; no v3 operation does.)
    """

    def parse_body(self, request):
        data = json.loads(request.body, parse_constant=_refuse_constant)
        if not isinstance(data, dict):
            raise BodyProblem(
                400, f"The request body must be a JSON object, not {json_type(data)}."
            )
        errors = [
            {"type": "int_out_of_range", "loc": ["body", *loc], "msg": INT_RANGE}
            for loc in _huge_integers(data)
        ]
        if errors:
            raise BodyProblem(422, "Validation failed", errors)
        return data


def _huge_integers(data):
    """Where ``data`` holds an integer no 64-bit database column can hold, in document order
    (without recursion: json.loads accepts nesting deeper than Python's recursion limit
    leaves room for here)."""
    stack = [((), data)]
    while stack:
        loc, value = stack.pop()
        if isinstance(value, dict):
            stack.extend(reversed([((*loc, key), item) for key, item in value.items()]))
        elif isinstance(value, list):
            stack.extend(reversed([((*loc, index), item) for index, item in enumerate(value)]))
        elif isinstance(value, int) and not -MAX_ID - 1 <= value <= MAX_ID:
            yield list(loc)


def register_error_handlers(api):
    @api.exception_handler(HttpError)
    def http_error(request, exc):
        # Ninja wraps any error from the parser in "Cannot parse request body" (the reason only
        # shows with DEBUG on); say which problem it was. Otherwise as Wagtail answers it.
        cause = exc.__cause__
        if isinstance(cause, BodyProblem):
            return cause.response()
        detail = str(exc)
        if isinstance(cause, json.JSONDecodeError):
            detail = f"{detail}: {cause}"
        return problem_response(status=exc.status_code, detail=detail)  # as Wagtail's handler

    @api.exception_handler(MultiPartParserError)
    @api.exception_handler(BadRequest)
    def malformed_upload(request, exc):
        # Django's own request parsing refused the body (a multipart body without a boundary,
        # a form that is not UTF-8): the client's mistake, which Django answers 400 in HTML.
        return problem_response(status=400, detail=f"Cannot parse the request body: {exc}")


def _refuse(message, *loc):
    raise BodyProblem(
        422, message, [{"type": "impossible_target", "loc": list(loc), "msg": message}]
    )


def _check_create(request, data, **values):
    model = resolve_model_string(data.meta.type)
    _check_streams(model, data.dict(exclude={"meta"}))


def _check_update(request, page_id, data, **values):
    model = resolve_model_string(data.meta.type)
    _check_streams(model, data.dict(exclude={"meta"}, exclude_unset=True))


def _check_streams(model, payload):
    problems = list(stream_field_problems(model, payload))
    if problems:
        errors = [{"type": "invalid_block", "loc": list(loc), "msg": msg} for loc, msg in problems]
        raise BodyProblem(422, "Validation failed", errors)


def _check_publish(request, page_id, **values):
    original = Page.objects.filter(pk=page_id).values_list("alias_of_id", flat=True).first()
    if original is not None:
        _refuse(
            f"Page {page_id} is an alias of page {original}, which it follows: publish page "
            f"{original}, or convert the alias into a page of its own first."
        )


def _check_copy(request, page_id, data, **values):
    if Page.objects.filter(pk=page_id, depth=1).exists():
        _refuse("The root of the page tree cannot be copied or aliased.")


def _check_move(request, page_id, data, **values):
    beside = data.position not in ("first-child", "last-child")
    if beside and Page.objects.filter(pk=data.destination_id, depth=1).exists():
        # Wagtail reads a move without a position as "beside the destination", too.
        _refuse(
            "The root of the page tree has no siblings: move a page into it with position "
            '"first-child" or "last-child".',
            "body",
            "position",
        )


def _check_revert(request, page_id, data, **values):
    # Wagtail 8.0.1's PATCH refuses a page locked for this user (403), but its revert action
    # checks edit permission only, so an editor could rewrite a page a moderator had locked.
    page = Page.objects.filter(pk=page_id).first()
    lock = page.specific.get_lock() if page else None
    if lock and lock.for_user(request.user):
        raise BodyProblem(403, f"{page.title} could not be reverted as it is locked.")


# Wagtail 8.0.1's view functions, as its pages router registered them.
CHECKS = {
    wagtail_pages.create_page: _check_create,
    wagtail_pages.update_page: _check_update,
    wagtail_pages.publish: _check_publish,
    wagtail_pages.copy: _check_copy,
    wagtail_pages.create_alias: _check_copy,
    wagtail_pages.move: _check_move,
    wagtail_pages.revert: _check_revert,
}


def check_first(view_func):
    """Run the check for ``view_func`` (if any) on the validated input, then the view."""
    check = CHECKS.get(view_func)
    if check is None:
        return view_func

    @wraps(view_func)
    def checked(request, **values):
        try:
            check(request, **values)
        except BodyProblem as problem:
            return problem.response()
        return view_func(request, **values)

    return checked


def page_id_first(run):
    """Refuse a {page_id} that is not a number before the body is read, as Ninja's own path
    validation would (it runs after the body's).

    Wagtail 8.0.1's PATCH body model looks the page up by the raw {page_id} to learn its type
    (``PageTypeInjectingBodyModel.get_meta_type``): "abc" raised ValueError, a 500."""
    models = getattr(getattr(run, "__self__", None), "models", ())  # run: Operation.run
    if not any(issubclass(model, PageTypeInjectingBodyModel) for model in models):
        return run

    @wraps(run)
    def checked(request, *args, **path):
        try:
            int(path.get("page_id", 0))
        except ValueError:
            message = "Input should be a valid integer"
            error = {"type": "int_parsing", "loc": ["path", "page_id"], "msg": message}
            return BodyProblem(422, "Validation failed", [error]).response()
        return run(request, *args, **path)

    return checked


def guard_writes(api):
    """Install the guards on Wagtail's v3 ``api`` (before its URLs are built)."""
    api.parser = ObjectBodyParser()
    register_error_handlers(api)
    # Public Ninja hooks, applied to each operation of Wagtail's pages router as the API binds
    # it: "view" wraps the whole request, "operation" the view once Ninja has read the input.
    wagtail_pages.router.add_decorator(page_id_first, mode="view")
    wagtail_pages.router.add_decorator(check_first, mode="operation")
