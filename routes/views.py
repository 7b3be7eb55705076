"""Public pages about countries, categories and routes: small views over the model layer."""

from django.http import Http404
from django.shortcuts import get_object_or_404, render

from .listing import SORTS, comparison, country_sections
from .models import Category, Country, Route
from .search import search as search_routes


def home(request):
    return render(
        request,
        "routes/home.html",
        {
            "countries": Country.objects.with_route_counts(),
            "categories": Category.objects.with_route_counts(),
        },
    )


def route_detail(request, country_slug, route_slug):
    try:
        page = Route.objects.published().page(country_slug, route_slug)
    except Route.DoesNotExist:
        raise Http404("No such route.") from None
    return render(request, "routes/route_detail.html", {"page": page, "route": page.route})


def country_detail(request, country_slug):
    country = get_object_or_404(Country, slug=country_slug)
    routes = Route.objects.published().filter(country=country).with_facts().with_verification()
    return render(
        request,
        "routes/country_detail.html",
        {"country": country, "sections": country_sections(routes)},
    )


def compare_index(request):
    return render(
        request, "routes/compare_index.html", {"categories": Category.objects.with_route_counts()}
    )


def compare(request, category_slug):
    category = get_object_or_404(Category, slug=category_slug)
    routes = Route.objects.published().filter(category=category).with_facts().with_verification()
    table = comparison(routes, request.GET.get("sort"))
    return render(
        request,
        "routes/compare.html",
        {"category": category, "table": table, "sorts": SORTS.values()},
    )


def search(request):
    result = search_routes(request.GET.get("q", ""))
    return render(request, "routes/search.html", {"result": result})


def page_not_found(request, exception):
    return render(
        request, "404.html", {"countries": Country.objects.with_route_counts()}, status=404
    )
