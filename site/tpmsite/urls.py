from django.conf import settings
from django.contrib import admin
from django.http import HttpResponsePermanentRedirect, HttpResponseRedirect
from django.templatetags.static import static
from django.urls import Resolver404, include, path, re_path, resolve
from django.views.decorators.csrf import csrf_exempt
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.api.v3.errors import problem_response
from wagtail.documents import urls as wagtaildocs_urls

from tpmsite.ops.health import healthz


@csrf_exempt  # a POST to a mistaken path deserves a 404, not an HTML CSRF failure
def api_not_found(request):
    """Any /api/ path no endpoint matched: a JSON 404 for every method, instead of Wagtail's
    page serving (an HTML 404, or a page whose slug happens to be "api")."""
    if not request.path_info.endswith("/"):
        # Matching every /api/ path stops Django's APPEND_SLASH redirect, so do it here;
        # 308 for writes keeps their method and body, as 301 need not.
        try:
            slashed = resolve(request.path_info + "/").func is not api_not_found
        except Resolver404:
            slashed = False
        if slashed:
            return HttpResponsePermanentRedirect(
                request.get_full_path(force_append_slash=True),
                preserve_request=request.method not in ("GET", "HEAD"),
            )
    return problem_response(status=404, detail=f"No API endpoint at {request.path[:200]}")


def favicon(request):
    """Browsers ask for /favicon.ico whatever the page links: send them to the site's mark.
    Not permanent: the file's address carries its content hash in production."""
    return HttpResponseRedirect(static("favicon.svg"))


urlpatterns = [
    path("favicon.ico", favicon),
    path("django-admin/", admin.site.urls),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    # The learning module's APIs, search, sitemap and robots.txt, mounted by name: the
    # platform imports nothing of the module.
    path("", include("roles.urls")),
    re_path(r"^api/", api_not_found),  # after every API, before Wagtail's catch-all
    path("healthz", healthz),
]

if settings.DEBUG:
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
if settings.DEBUG or getattr(settings, "SERVE_MEDIA", False):
    # Development only (`make run` serves without DEBUG, see settings/dev.py): Django's own
    # helper, django.conf.urls.static.static(), adds nothing unless DEBUG is on.
    from django.views.static import serve

    media = settings.MEDIA_URL.lstrip("/")
    urlpatterns += [
        re_path(rf"^{media}(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT})
    ]

# Wagtail's page serving is the catch-all, so it must come last.
urlpatterns += [path("", include(wagtail_urls))]
