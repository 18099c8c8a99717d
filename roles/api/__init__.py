"""The module over HTTP: Wagtail's API v2 router, and our additions to Wagtail's API v3.

The v3 additions (roles.api.comparison, .bundle and .preview) are views of the same data the site
renders; they join Wagtail's own v3 endpoints in one Ninja API and one OpenAPI document.
"""

from django.db.models import Prefetch, prefetch_related_objects
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.images.api.v2.views import ImagesAPIViewSet

from roles.visibility import with_visible_now

from .bundle import router as bundle_router
from .comments import router as comments_router
from .comparison import bad_parameter
from .comparison import router as content_router
from .preview import router as preview_router
from .schemas import BadParameter
from .writes import guard_writes


class ModulePagesAPIViewSet(PagesAPIViewSet):
    """Wagtail's v2 pages endpoint, with child rows fetched in bulk.

    Stock v2 fetches an aspect's statements (and each statement's role) once per page, so a
    listing's queries grew with its length, and a detail's with the number of statements.
    """

    @staticmethod
    def related_rows(model):
        """The related rows each page of ``model`` shows in the API."""
        from roles.models import AspectPage, CareerPathPage, RolePage

        # Statements name their role only while it is visible: read that with the role.
        roles = Prefetch("statements__role", with_visible_now(RolePage.objects.all()))
        return {
            AspectPage: ["statements", roles],
            CareerPathPage: ["role", "steps__role"],
        }.get(model, [])

    # A page linked from another (a statement's or a career path's role) is given by id and
    # type only, as in v3: its title would name a role readers may not see, and an
    # unpublished page's row holds its draft title. ``role_title`` names it when it may.
    nested_default_fields = PagesAPIViewSet.nested_default_fields[:]
    nested_default_fields.remove("title")

    def get_queryset(self):
        queryset = super().get_queryset()
        return queryset.prefetch_related(*self.related_rows(queryset.model))

    def get_object(self):
        page = super().get_object()
        prefetch_related_objects([page], *self.related_rows(type(page)))
        return page


api_v2 = WagtailAPIRouter("wagtailapi_v2")
api_v2.register_endpoint("pages", ModulePagesAPIViewSet)
api_v2.register_endpoint("images", ImagesAPIViewSet)


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
    return _problem_media_type(schema)


def _problem_media_type(schema):
    """Ninja files every declared response under its renderer's application/json, but error
    answers (Wagtail's problem_response) are sent as application/problem+json (RFC 9457):
    the document says so, so that clients parse them by the media type they get."""
    problem = "#/components/schemas/ProblemDetail"
    for operations in schema.get("paths", {}).values():
        for operation in operations.values():
            responses = operation.get("responses", {}) if isinstance(operation, dict) else {}
            for answer in responses.values():
                content = answer.get("content", {})
                if content.get("application/json", {}).get("schema", {}).get("$ref") == problem:
                    content["application/problem+json"] = content.pop("application/json")
    return schema


def register_v3_routes(api):
    """Add the module's endpoints to Wagtail's v3 API (once; URLs are built after this)."""
    if getattr(api, "_module_routes", False):
        return
    guard_writes(api)
    api.add_exception_handler(BadParameter, bad_parameter)
    api.add_router("/", content_router)
    api.add_router("/", bundle_router)
    api.add_router("/", preview_router)
    api.add_router("/", comments_router)
    upstream = api.get_openapi_schema
    api.get_openapi_schema = lambda *args, **kwargs: _valid_openapi(upstream(*args, **kwargs))
    api._module_routes = True
