"""The checker's pages: the questions, the verdicts and how it decides.

Nothing about the visitor is stored: the answers live in the address, the
pages touch no session and set no cookie, and the results are never indexed.
"""

from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe

from publishing import freshness
from publishing.meta import HOME_CRUMB, PageMeta
from publishing.pagecache import public_page
from routes.models import Category

from .catalogue import catalogue_at
from .forms import PARAMETERS, CheckForm
from .questions import CHECKS, PURPOSES
from .results import Report, group_verdicts
from .verdicts import PRINCIPLES, Verdict

CHECKER = ("Eligibility checker", "/check/")


def _private(response):
    """Answers are the visitor's own: never indexed, never kept by any cache."""
    response["X-Robots-Tag"] = "noindex"
    response["Cache-Control"] = "private, no-store"
    return response


def _questions_meta(noindex):
    return PageMeta(
        "Eligibility checker: which routes fit you?",
        "Answer a few optional questions and get a free, source-backed verdict on every "
        "published immigration route, computed from the requirements the route pages show.",
        crumbs=[HOME_CRUMB, ("Eligibility checker", None)],
        noindex=noindex,
    )


@public_page(reads=PARAMETERS)
def check(request):
    """The questions; with answers in the address (“Change your answers”), filled in."""
    form = CheckForm(request.GET or None)
    context = {"form": form, "meta": _questions_meta(noindex=bool(request.GET))}
    response = render(request, "eligibility/check.html", context)
    return _private(response) if request.GET else response


PER_PAGE = 25  # route cards per page; every route is checked and counted


def _page_number(value, pages):
    """The page asked for, or page 1 for anything that is not one of them."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return 1
    return number if 1 <= number <= pages else 1


@csrf_exempt  # read-only: a POST gets require_safe's 405, not a CSRF 403
@require_safe
def results(request):
    """Every route's verdict, counted; one page of them shown in full.

    Queries, whatever the number of routes: the chosen country, if any; after
    content has changed, every route and its requirements; and the routes
    shown, with their facts and sources, unless shown since (see ``catalogue``).
    """
    form = CheckForm(request.GET)
    if not form.is_valid():
        context = {"form": form, "meta": _questions_meta(noindex=True)}
        return _private(render(request, "eligibility/check.html", context))
    country = form.cleaned_data["country"]
    published = catalogue_at(freshness.moment_of(request))
    routes = published.select(form.chosen_purpose.categories, country)
    profile = form.profile()
    report = Report.of(routes, published.verdicts(routes, profile))
    paginator = Paginator(report.verdicts, PER_PAGE)
    page_obj = paginator.page(_page_number(request.GET.get("page"), paginator.num_pages))
    cards = published.shown([v.route.pk for v in page_obj.object_list])
    shown = [
        cards[v.route.pk].verdict(profile)
        for v in page_obj.object_list
        if v.route.pk in cards  # not deleted since the catalogue was read
    ]
    answers = form.query_string()
    page_query = f"?{answers}&page=" if answers else "?page="
    first = _first_pages(report, PER_PAGE)
    tally = [(count, _link(count, first, page_obj, page_query)) for count in report.tallies]
    meta = PageMeta(
        "Your verdicts — eligibility checker",
        "Which immigration routes your answers meet, each verdict computed from the routes' "
        "sourced requirements.",
        crumbs=[HOME_CRUMB, CHECKER, ("Your verdicts", None)],
        noindex=True,
    )
    context = {
        "form": form,
        "report": report,
        "tally": tally,
        "sections": [
            (group, first[group.verdict] < page_obj.number)  # the group and whether it continues
            for group in group_verdicts(shown, report.counts)
            if group.countries
        ],
        "page_obj": page_obj,
        "page_range": paginator.get_elided_page_range(page_obj.number, on_each_side=2, on_ends=1),
        "page_query": page_query,
        "country": country,
        "answers": answers,
        "meta": meta,
    }
    return _private(render(request, "eligibility/results.html", context))


def _link(group, first, page_obj, page_query):
    """Where the tally links a verdict to: its group, on the page it starts on."""
    if not group.count:
        return ""
    on = first[group.verdict]
    return f"#{group.verdict}" if on == page_obj.number else f"{page_query}{on}#{group.verdict}"


def _first_pages(report, per_page):
    """{verdict: the page its group starts on}."""
    first, seen = {}, 0
    for group in report.tallies:
        if group.count:
            first[group.verdict] = seen // per_page + 1
        seen += group.count
    return first


@public_page
def how(request):
    """“How the checker decides”, written out from the registry of rules."""
    names = dict(Category.objects.values_list("slug", "name"))
    purposes = [
        (purpose, [names.get(slug, f"{slug} (no routes yet)") for slug in purpose.categories])
        for purpose in PURPOSES.values()
    ]
    context = {
        "checks": CHECKS.values(),
        "principles": PRINCIPLES,
        "purposes": purposes,
        "verdicts": [(verdict.label, verdict.note) for verdict in Verdict],
        "meta": PageMeta(
            "How the eligibility checker decides",
            "Every question the eligibility checker asks and the rule it applies, in plain "
            "words: how a route is found met, not met or short of information.",
            crumbs=[HOME_CRUMB, CHECKER, ("How it decides", None)],
        ),
    }
    return render(request, "eligibility/how.html", context)
