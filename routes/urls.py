from django.urls import path
from django.views.decorators.http import require_safe

from publishing.pagecache import public_page

from . import feeds, views

app_name = "routes"

urlpatterns = [
    path("", views.home, name="home"),
    path("search/", views.search, name="search"),
    path("about/", views.about, name="about"),
    path("changes/", views.changes, name="changes"),
    path("changes/feed/", public_page(feeds.ChangesFeed()), name="changes_feed"),
    path("compare/", views.compare_index, name="compare_index"),
    path("compare/<slug:category_slug>/", views.compare, name="compare"),
    path("<slug:country_slug>/", views.country_detail, name="country"),
    path(
        "<slug:country_slug>/feed/",
        public_page(feeds.CountryChangesFeed()),
        name="country_feed",
    ),
    path("<slug:country_slug>/<slug:route_slug>/", views.route_detail, name="route"),
    path("<slug:country_slug>/<slug:route_slug>/report/", views.report_error, name="report"),
    path(
        "<slug:country_slug>/<slug:route_slug>/report/thanks/",
        require_safe(views.report_thanks),
        name="report_thanks",
    ),
]
