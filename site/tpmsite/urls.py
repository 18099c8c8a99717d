from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.api.v3.urls import api as api_v3
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from roles.api import api_v2, register_v3_routes
from roles.views import ModuleSitemap, healthz, robots_txt, search

register_v3_routes(api_v3)  # must happen before api_v3.urls is first read

urlpatterns = [
    path("django-admin/", admin.site.urls),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("api/v2/", api_v2.urls),
    path("api/v3/", api_v3.urls),
    path("search/", search, name="search"),
    path("sitemap.xml", sitemap, {"sitemaps": {"wagtail": ModuleSitemap}}),
    path("robots.txt", robots_txt),
    path("healthz", healthz),
]

if settings.DEBUG:
    from django.conf.urls.static import static
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Wagtail's page serving is the catch-all, so it must come last.
urlpatterns += [path("", include(wagtail_urls))]
