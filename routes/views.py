"""Public pages about countries, categories and routes: small views over the model layer."""

from django.conf import settings
from django.core.cache import cache
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from .forms import ErrorReportForm
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
        # Only a miss looks at who is asking, so published pages never vary by user.
        return draft_preview(request, country_slug, route_slug)
    return render(request, "routes/route_detail.html", {"page": page, "route": page.route})


@never_cache
def draft_preview(request, country_slug, route_slug):
    """Editors see a draft at its public address, exactly as it will look."""
    if not request.user.is_staff:
        raise Http404("No such route.")
    try:
        page = Route.objects.page(country_slug, route_slug)
    except Route.DoesNotExist:
        raise Http404("No such route.") from None
    response = render(
        request, "routes/route_detail.html", {"page": page, "route": page.route, "preview": True}
    )
    response["X-Robots-Tag"] = "noindex"
    return response


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


@require_http_methods(["GET", "POST"])
def report_error(request, country_slug, route_slug):
    route = get_object_or_404(
        Route.objects.published().select_related("country"),
        country__slug=country_slug,
        slug=route_slug,
    )
    form = ErrorReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if not form.is_bot:
            if over_rate_limit(request):
                form.add_error(
                    None,
                    "You have sent several reports in the last hour. Please try again later.",
                )
                return render(
                    request, "routes/report.html", {"route": route, "form": form}, status=429
                )
            report = form.save(commit=False)
            report.route = route
            report.save()
        return redirect("routes:report_thanks", country_slug, route_slug)
    status = 400 if form.errors else 200
    return render(request, "routes/report.html", {"route": route, "form": form}, status=status)


def over_rate_limit(request):
    """Count this report against the client's address; True past the hourly limit."""
    key = f"error-reports:{request.META.get('REMOTE_ADDR', 'unknown')}"
    cache.add(key, 0, timeout=60 * 60)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=60 * 60)
        count = 1
    return count > settings.ERROR_REPORTS_PER_HOUR


def report_thanks(request, country_slug, route_slug):
    route = get_object_or_404(
        Route.objects.published().select_related("country"),
        country__slug=country_slug,
        slug=route_slug,
    )
    return render(request, "routes/report_thanks.html", {"route": route})
