"""The learning module's own addresses: its APIs, search, sitemap and robots.txt.

The project's URLconf mounts them by name, include("roles.urls"), as it names the app in
INSTALLED_APPS: the platform (tpmsite) imports nothing of the module (tests/test_architecture.py).
"""

from django.urls import path
from wagtail.api.v3.urls import api as api_v3
from wagtail.contrib.sitemaps.views import sitemap

from roles.api import api_v2, register_v3_routes
from roles.comments import post_comment
from roles.views import ModuleSitemap, robots_txt, search

register_v3_routes(api_v3)  # must happen before api_v3.urls is first read

urlpatterns = [
    path("api/v2/", api_v2.urls),
    path("api/v3/", api_v3.urls),
    path("search/", search, name="search"),
    path("sitemap.xml", sitemap, {"sitemaps": {"wagtail": ModuleSitemap}}),
    path("robots.txt", robots_txt),
    path("comments/<int:page_id>/", post_comment, name="post_comment"),
]
