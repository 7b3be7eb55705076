from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from publishing.pagecache import public_page
from publishing.views import healthz, robots_txt
from routes.sitemaps import SITEMAPS

urlpatterns = [
    path(settings.ADMIN_URL, admin.site.urls),
    path("healthz", healthz, name="healthz"),
    path("robots.txt", robots_txt, name="robots"),
    path("sitemap.xml", public_page(sitemap, reads=("p",)), {"sitemaps": SITEMAPS}, name="sitemap"),
    path("check/", include("eligibility.urls")),
    path("", include("routes.urls")),
]

handler404 = "routes.views.page_not_found"
