from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from opendata.api import api
from publishing.pagecache import public_page
from publishing.views import healthz, robots_txt
from routes import sitemaps

urlpatterns = [
    path(settings.ADMIN_URL, admin.site.urls),
    path("healthz", healthz, name="healthz"),
    path("robots.txt", robots_txt, name="robots"),
    path(
        "sitemap.xml",
        public_page(sitemaps.index),
        {"sitemaps": sitemaps.SITEMAPS, "sitemap_url_name": "sitemap_section"},
        name="sitemap",
    ),
    path(
        "sitemap-<slug:section>.xml",
        public_page(sitemaps.section, reads=("p",)),
        {"sitemaps": sitemaps.SITEMAPS},
        name="sitemap_section",
    ),
    path("check/", include("eligibility.urls")),
    path("", include("opendata.urls")),
    path("api/v1/", api.urls),
    path("", include("routes.urls")),
]

handler404 = "routes.views.page_not_found"
