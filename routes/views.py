"""Public pages about countries, categories and routes: small views over the model layer."""

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import InvalidPage, Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from publishing import freshness
from publishing.clients import client_address
from publishing.meta import HOME_CRUMB, PageMeta
from publishing.pagecache import limit_keeping, public_page

from .forms import ErrorReportForm
from .listing import DEFAULT_SORT, RouteSummary, comparison, country_sections, sorts_for
from .models import Category, Change, Country, Route
from .route_page import RoutePage
from .search import find_routes
from .vocabulary import MARKS, SOURCE_KIND_MEANING, SourceKind

COMPARE_PER_PAGE = 50  # rows of a comparison table a page shows (the database sorts them all)
HOME_LATEST = 5  # the home page's lists of recently changed and recently verified routes


def names(items, limit=6):
    items = list(items)
    shown = ", ".join(items[:limit])
    return f"{shown} and {len(items) - limit} more" if len(items) > limit else shown


@public_page
def home(request):
    countries = Country.objects.with_route_counts()
    total = sum(c.route_count for c in countries)
    meta = PageMeta(
        "Immigration routes, from the sources",
        f"{total} visa, work permit and residence routes in {names(c.in_sentence for c in countries)}: "
        "what each requires, costs and how to apply, every fact with its dated source.",
    )
    context = {
        "countries": countries,
        "categories": Category.objects.with_route_counts(),
        "changed": Change.objects.public().select_related("route", "route__country")[:HOME_LATEST],
        "verified": Route.objects.published()
        .listed()
        .with_verification()
        .filter(verified_oldest__isnull=False)
        .select_related("country", "category")
        .order_by("-verified_oldest", "official_name")[:HOME_LATEST],
    }
    return render(request, "routes/home.html", {"meta": meta, **context})


@public_page
def route_detail(request, country_slug, route_slug):
    try:
        page = RoutePage.read(Route.objects.published(), country_slug, route_slug)
    except Route.DoesNotExist:
        # Only a miss looks at who is asking, so published pages never vary by user.
        return draft_preview(request, country_slug, route_slug)
    return render(request, "routes/route_detail.html", route_context(page))


def route_context(page, **extra):
    route, country = page.route, page.route.country
    meta = PageMeta(
        f"{route.official_name} — {country.name}: requirements, costs & how to apply",
        f"{route.summary} {len(page.eligibility)} eligibility criteria, "
        f"{len(page.documents)} documents and {len(page.sources)} dated sources.",
        crumbs=[HOME_CRUMB, (country.name, country.get_absolute_url()), (route.title, None)],
        type="article",
        noindex=extra.get("preview", False),
    )
    return {"route_page": page, "route": route, "meta": meta, **extra}


@never_cache
def draft_preview(request, country_slug, route_slug):
    """Editors see a draft at its public address, exactly as it will look.

    Only staff who may see routes in the admin (view or change) see drafts:
    to anyone else a draft does not exist.
    """
    user = request.user
    may_see = user.has_perm("routes.view_route") or user.has_perm("routes.change_route")
    if not (user.is_staff and may_see):
        raise Http404("No such route.")
    try:
        page = RoutePage.read(Route.objects.all(), country_slug, route_slug)
    except Route.DoesNotExist:
        raise Http404("No such route.") from None
    response = render(request, "routes/route_detail.html", route_context(page, preview=True))
    response["X-Robots-Tag"] = "noindex"
    return response


@public_page
def country_detail(request, country_slug):
    country = get_object_or_404(Country, slug=country_slug)
    routes = Route.objects.published().filter(country=country).with_facts().with_verification()
    sections = country_sections(routes)
    count = sum(len(s.routes) for s in sections)
    if not count:
        # A country whose routes are all drafts has no public page yet.
        raise Http404("No published route in this country.")
    meta = PageMeta(
        f"Emigrating to {country.in_sentence}: visas, permits and residence routes",
        f"{count} route{'s' if count != 1 else ''} to {country.in_sentence}: "
        f"{names([r.route.official_name for s in sections for r in s.routes], 4)}. "
        "Requirements, costs and how to apply, from dated sources.",
        crumbs=[HOME_CRUMB, (country.name, None)],
    )
    return render(
        request,
        "routes/country_detail.html",
        {"country": country, "sections": sections, "meta": meta},
    )


@public_page
def compare_index(request):
    categories = Category.objects.with_route_counts()
    meta = PageMeta(
        "Compare routes across countries",
        f"Immigration routes side by side, by purpose: {names(c.name for c in categories)}.",
        crumbs=[HOME_CRUMB, ("Compare", None)],
    )
    return render(request, "routes/compare_index.html", {"categories": categories, "meta": meta})


@public_page(reads=("sort", "page"))
def compare(request, category_slug):
    """Every published route of a category side by side, sorted, COMPARE_PER_PAGE rows a page."""
    category = get_object_or_404(Category, slug=category_slug)
    table = comparison(category, request.GET.get("sort"))
    try:
        page_obj = Paginator(table.order, COMPARE_PER_PAGE).page(request.GET.get("page") or 1)
    except InvalidPage:
        raise Http404("No such page of this comparison.") from None
    paginator = page_obj.paginator
    sorted_by = f"sort={table.sort.key}&" if table.sort.key != DEFAULT_SORT else ""
    of_pages = f" (page {page_obj.number} of {paginator.num_pages})" if page_obj.number > 1 else ""
    meta = PageMeta(
        f"Compare {category.name} routes across countries{of_pages}",
        f"{category.name}: {paginator.count} routes side by side in "
        f"{names(table.countries)} — requirements, fees, processing time"
        f"{' and path to residence' if category.grants_permit else ''}, each from its dated source.",
        crumbs=[HOME_CRUMB, ("Compare", reverse("routes:compare_index")), (category.name, None)],
        # Each page of the table in its usual order is a page of its own; other orders are not.
        query=f"page={page_obj.number}" if page_obj.number > 1 and not sorted_by else "",
    )
    context = {
        "category": category,
        "table": table,
        "page_obj": page_obj,
        "rows": [RouteSummary(route) for route in table.rows(list(page_obj))],
        "page_range": paginator.get_elided_page_range(page_obj.number, on_each_side=2, on_ends=1),
        "page_query": f"?{sorted_by}page=",
        "sorts": sorts_for(category).values(),
        "meta": meta,
    }
    return render(request, "routes/compare.html", context)


@public_page(reads=("q", "country", "category"))
def search(request):
    result = find_routes(
        request.GET.get("q", ""),
        freshness.moment_of(request),
        country=request.GET.get("country", ""),
        category=request.GET.get("category", ""),
    )
    title = f"Search: {result.query[:60]}" if result.query else "Search routes"
    meta = PageMeta(
        title,
        "Search visa, work permit and residence routes by name, code, country or the words "
        "on their pages.",
        crumbs=[HOME_CRUMB, ("Search", None)],
        noindex=True,
    )
    found = [(item, RouteSummary(item.route)) for item in result.found]
    return render(request, "routes/search.html", {"result": result, "found": found, "meta": meta})


@public_page
def about(request):
    """Who runs the site and how it works, in the words its pages use."""
    meta = PageMeta(
        "About and method",
        "How every fact is sourced, how sources are classified and verified, "
        "what the marks on the pages mean and how to report an error.",
        crumbs=[HOME_CRUMB, ("About and method", None)],
    )
    context = {
        "kinds": [(kind, SOURCE_KIND_MEANING[kind]) for kind in SourceKind],
        "marks": MARKS,
        "review_after_days": settings.REVIEW_AFTER_DAYS,
    }
    return render(request, "routes/about.html", {"meta": meta, **context})


@public_page
def changes(request):
    recent = Change.objects.public().select_related("route", "route__country")[:100]
    meta = PageMeta(
        "What changed",
        "Every change to a published route page, newest first, from the edit history.",
        crumbs=[HOME_CRUMB, ("What changed", None)],
    )
    return render(request, "routes/changes.html", {"changes": recent, "meta": meta})


def page_not_found(request, exception):
    meta = PageMeta("Page not found", "There is no page at this address.", noindex=True)
    context = {"countries": Country.objects.with_route_counts(), "meta": meta}
    # Kept no longer than a page: a route published a second later is found.
    return limit_keeping(request, render(request, "404.html", context, status=404))


def published_route(country_slug, route_slug):
    return get_object_or_404(
        Route.objects.published().select_related("country"),
        country__slug=country_slug,
        slug=route_slug,
    )


@never_cache  # its form carries the visitor's own CSRF token
@require_http_methods(["GET", "HEAD", "POST"])
def report_error(request, country_slug, route_slug):
    route = published_route(country_slug, route_slug)
    form = ErrorReportForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        if form.is_bot:
            return redirect("routes:report_thanks", country_slug, route_slug)
        if not over_rate_limit(request):
            report = form.save(commit=False)
            report.route = route
            report.save()
            return redirect("routes:report_thanks", country_slug, route_slug)
        form.add_error(
            None, "You have sent several reports in the last hour. Please try again later."
        )
        status = 429
    elif form.errors:
        status = 400
    meta = PageMeta(
        f"Report an error: {route.official_name}",
        f"Tell the editors what is wrong on the page about {route.official_name} "
        f"({route.country.name}).",
        crumbs=[
            HOME_CRUMB,
            (route.country.name, route.country.get_absolute_url()),
            (route.title, route.get_absolute_url()),
            ("Report an error", None),
        ],
        noindex=True,
    )
    context = {"route": route, "form": form, "meta": meta}
    return render(request, "routes/report.html", context, status=status)


def over_rate_limit(request):
    """Count this report against the client's address; True past the hourly limit."""
    key = f"error-reports:{client_address(request) or 'unknown'}"
    try:
        cache.add(key, 0, timeout=60 * 60)
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=60 * 60)
        count = 1
    except Exception:  # the cache is down: take the report rather than lose it
        return False
    return count > settings.ERROR_REPORTS_PER_HOUR


def report_thanks(request, country_slug, route_slug):
    route = published_route(country_slug, route_slug)
    meta = PageMeta(
        "Thank you for your report", "Your report has been sent to the editors.", noindex=True
    )
    return render(request, "routes/report_thanks.html", {"route": route, "meta": meta})
