from django.conf import settings
from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path(settings.ADMIN_URL, admin.site.urls),
    path("check/", include("eligibility.urls")),
    path("", include("routes.urls")),
]

handler404 = "routes.views.page_not_found"
