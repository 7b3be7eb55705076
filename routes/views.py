"""Public pages about countries, categories and routes: small views over the model layer."""

from django.http import Http404
from django.shortcuts import get_object_or_404, render

from .listing import comparison_rows, country_sections
from .models import Category, Country, Route


def home(request):
    return render(
        request,
        "routes/home.html",
        {
            "countries": Country.objects.with_route_counts(),
            "categories": Category.objects.all(),
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
    routes = Route.objects.published().filter(country=country).with_facts()
    return render(
        request,
        "routes/country_detail.html",
        {"country": country, "sections": country_sections(routes)},
    )


def compare(request, category_slug):
    category = get_object_or_404(Category, slug=category_slug)
    routes = Route.objects.published().filter(category=category).with_facts()
    return render(
        request,
        "routes/compare.html",
        {"category": category, "rows": comparison_rows(routes)},
    )
