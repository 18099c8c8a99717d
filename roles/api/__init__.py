"""The module over HTTP: Wagtail's API v2 router, and our additions to Wagtail's API v3.

The v3 additions (roles.api.content, .bundle and .preview) are views of the same data the site
renders; they join Wagtail's own v3 endpoints in one Ninja API and one OpenAPI document.
"""

from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.images.api.v2.views import ImagesAPIViewSet

from .bundle import router as bundle_router
from .content import router as content_router
from .preview import router as preview_router


class ModulePagesAPIViewSet(PagesAPIViewSet):
    """Wagtail's v2 pages endpoint, with child rows fetched in bulk.

    Stock v2 fetches an aspect's statements (and each statement's role) once per page, so a
    listing's queries grew with its length.
    """

    def get_queryset(self):
        from roles.models import AspectPage, CareerPathPage

        queryset = super().get_queryset()
        if queryset.model is AspectPage:
            queryset = queryset.prefetch_related("statements__role")
        elif queryset.model is CareerPathPage:
            queryset = queryset.select_related("role").prefetch_related("steps__role")
        return queryset


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
    return schema


def register_v3_routes(api):
    """Add the module's endpoints to Wagtail's v3 API (once; URLs are built after this)."""
    if getattr(api, "_module_routes", False):
        return
    api.add_router("/", content_router)
    api.add_router("/", bundle_router)
    api.add_router("/", preview_router)
    upstream = api.get_openapi_schema
    api.get_openapi_schema = lambda *args, **kwargs: _valid_openapi(upstream(*args, **kwargs))
    api._module_routes = True
