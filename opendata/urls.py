from django.urls import path

from publishing.pagecache import open_to_all, public_page

from . import downloads, views

app_name = "opendata"

urlpatterns = [
    path("api/", views.api_page, name="api"),
    path(
        "api/v1/download/routes.<str:file_format>",
        open_to_all(public_page(downloads.everything)),
        name="download",
    ),
    path(
        "api/v1/download/<slug:country_slug>/routes.<str:file_format>",
        open_to_all(public_page(downloads.country)),
        name="download_country",
    ),
]
