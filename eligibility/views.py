"""The checker's pages: the questions, the verdicts and how it decides.

Nothing about the visitor is stored: the answers live in the address, the
pages touch no session and set no cookie, and the results are never indexed.
"""

from django.shortcuts import render
from django.views.decorators.http import require_safe

from routes.caching import public_page
from routes.meta import Meta
from routes.models import Category, Route

from . import rules
from .forms import CheckForm

HOME = ("Home", "/")
CHECKER = ("Eligibility checker", "/check/")


def _private(response):
    """Answers are the visitor's own: never indexed, never kept by any cache."""
    response["X-Robots-Tag"] = "noindex"
    response["Cache-Control"] = "private, no-store"
    return response


def _questions_meta(noindex):
    return Meta(
        "Eligibility checker: which routes fit you?",
        "Answer a few optional questions and get a free, source-backed verdict on every "
        "published immigration route, computed from the requirements the route pages show.",
        crumbs=[HOME, ("Eligibility checker", None)],
        noindex=noindex,
    )


@require_safe
@public_page
def check(request):
    """The questions; with answers in the address (“Change your answers”), filled in."""
    form = CheckForm(request.GET or None)
    context = {"form": form, "meta": _questions_meta(noindex=bool(request.GET))}
    response = render(request, "eligibility/check.html", context)
    return _private(response) if request.GET else response


@require_safe
def results(request):
    form = CheckForm(request.GET)
    if not form.is_valid():
        context = {"form": form, "meta": _questions_meta(noindex=True)}
        return _private(render(request, "eligibility/check.html", context))
    routes = Route.objects.published().with_facts()
    if form.chosen_purpose.categories:
        routes = routes.filter(category__slug__in=form.chosen_purpose.categories)
    if country := form.cleaned_data["country"]:
        routes = routes.filter(country=country)
    report = rules.check_routes(routes, form.profile())
    meta = Meta(
        "Your verdicts — eligibility checker",
        "Which immigration routes your answers meet, each verdict computed from the routes' "
        "sourced requirements.",
        crumbs=[HOME, CHECKER, ("Your verdicts", None)],
        noindex=True,
    )
    context = {
        "form": form,
        "report": report,
        "country": country,
        "answers": form.query_string(),
        "meta": meta,
    }
    return _private(render(request, "eligibility/results.html", context))


@require_safe
@public_page
def how(request):
    """“How the checker decides”, written out from the registry of rules."""
    names = dict(Category.objects.values_list("slug", "name"))
    purposes = [
        (purpose, [names.get(slug, f"{slug} (no routes yet)") for slug in purpose.categories])
        for purpose in rules.PURPOSES.values()
    ]
    context = {
        "checks": rules.CHECKS.values(),
        "principles": rules.PRINCIPLES,
        "purposes": purposes,
        "verdicts": [(label, rules.VERDICT_NOTES[key]) for key, label in rules.VERDICTS.items()],
        "meta": Meta(
            "How the eligibility checker decides",
            "Every question the eligibility checker asks and the rule it applies, in plain "
            "words: how a route is found met, not met or short of information.",
            crumbs=[HOME, CHECKER, ("How it decides", None)],
        ),
    }
    return render(request, "eligibility/how.html", context)
