from django.urls import path

from . import views

app_name = "routes"

urlpatterns = [
    path("", views.home, name="home"),
    path("search/", views.search, name="search"),
    path("compare/", views.compare_index, name="compare_index"),
    path("compare/<slug:category_slug>/", views.compare, name="compare"),
    path("<slug:country_slug>/", views.country_detail, name="country"),
    path("<slug:country_slug>/<slug:route_slug>/", views.route_detail, name="route"),
]
