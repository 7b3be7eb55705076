"""The checker's pages: who you are and where to, your questions, the verdicts, how it decides.

Nothing about the visitor is stored: the answers live in the address, the
pages touch no session and set no cookie, and pages with answers are never
indexed nor kept by any cache.
"""

from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe

from publishing import freshness
from publishing.meta import HOME_CRUMB, PageMeta
from publishing.pagecache import public_page
from routes.models import Category

from .catalogue import catalogue_at
from .forms import PARAMETERS, CheckForm
from .questions import CHECKS, PURPOSES, QUESTIONS
from .results import group_verdicts
from .verdicts import PRINCIPLES, Verdict

CHECKER = ("Eligibility checker", "/check/")
PER_PAGE = 25  # route cards per page; every route is checked and counted
FIRST = {"purpose", "country", *(q.name for q in QUESTIONS if q.first)}


def _private(response):
    """Answers are the visitor's own: never indexed, never kept by any cache."""
    response["X-Robots-Tag"] = "noindex"
    response["Cache-Control"] = "private, no-store"
    return response


def _form(request, *, bound=True):
    """The answers in the address; unbound for a first visit to step one (its defaults)."""
    data = request.GET if bound or request.GET else None
    return CheckForm(data, catalogue=catalogue_at(freshness.moment_of(request)))


def _carried(form, shown):
    """The answers given to questions a step does not show, as its hidden fields."""
    if not form.is_bound:
        return []
    form.is_valid()  # the answers that are good are carried, those that need a fix shown
    return form.carried(shown)


@public_page(reads=PARAMETERS)
def check(request):
    """Step one: what for, where to, and which citizenships; filled in from the address."""
    response = _step_one(request, _form(request, bound=False))
    return _private(response) if request.GET else response


def _step_one(request, form):
    meta = PageMeta(
        "Eligibility checker: which routes fit you?",
        "Say what you want to do, where, and which citizenships you hold, then answer only "
        "the questions the routes in question need: a source-backed verdict on each route.",
        crumbs=[HOME_CRUMB, ("Eligibility checker", None)],
        noindex=bool(request.GET),
    )
    context = {"form": form, "carried": _carried(form, FIRST), "meta": meta}
    return render(request, "eligibility/check.html", context)


@csrf_exempt  # read-only: a POST gets require_safe's 405, not a CSRF 403
@require_safe
def questions(request):
    """Step two: only the questions some route in scope needs, grouped, with their count."""
    form = _form(request)
    if not form.is_valid() and any(name in form.errors for name in FIRST):
        return _private(_step_one(request, form))
    return _private(render(request, "eligibility/questions.html", _questions_context(form)))


def _questions_context(form):
    catalogue = form.catalogue
    form.is_valid()  # a mistake in step two leaves the step-one answers good
    purpose, country = form.chosen_purpose, form.destination
    routes = catalogue.chosen(purpose.categories, country)
    sections = form.sections(catalogue.criteria(routes))
    shown = {asked.question.name for _, questions in sections for asked in questions}
    asked = len(shown)
    meta = PageMeta(
        "Your questions — eligibility checker",
        "The questions the routes you are looking at need answered.",
        crumbs=[HOME_CRUMB, CHECKER, ("Your questions", None)],
        noindex=True,
    )
    carried = _carried(form, shown)
    first = urlencode([(name, value) for name, value in carried if name in FIRST])
    return {
        "form": form,
        "sections": sections,
        "asked": asked,
        "routes": routes.bit_count(),
        "country": country,
        "purpose": purpose,
        "carried": carried,
        "step_one": f"{reverse('eligibility:check')}?{first}" if first else "",
        "meta": meta,
    }


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

    Queries, whatever the number of routes: the moment, the countries to choose
    from; after content has changed, every route, its requirements and the
    rates; and the routes shown, with their facts and sources, unless shown
    since (see ``catalogue``).
    """
    form = _form(request)
    if not form.is_valid():
        if any(name in form.errors for name in FIRST):
            return _private(_step_one(request, form))
        context = _questions_context(form)
        return _private(render(request, "eligibility/questions.html", context))
    answers = form.query_string()
    page = request.GET.get("page")
    canonical = "&".join(filter(None, [answers, urlencode([("page", page)]) if page else ""]))
    if request.GET.urlencode() != canonical:
        # Only the answers given, in a fixed order: an address to share or bookmark.
        return _private(redirect(f"{request.path}?{canonical}" if canonical else request.path))
    published = form.catalogue
    country = form.destination
    profile = form.profile()
    report = published.report(published.chosen(form.chosen_purpose.categories, country), profile)
    paginator = Paginator(report.verdicts, PER_PAGE)
    page_obj = paginator.page(_page_number(page, paginator.num_pages))
    cards = published.shown([v.route.pk for v in page_obj.object_list])
    shown = [
        cards[v.route.pk].verdict(profile)
        for v in page_obj.object_list
        if v.route.pk in cards  # not deleted since the catalogue was read
    ]
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
        "changes": _change_links(form, answers),
        "meta": meta,
    }
    return _private(render(request, "eligibility/results.html", context))


def _change_links(form, answers):
    """(what, answer in words, address to change it): one click from the results."""
    step_one = f"{reverse('eligibility:check')}?{answers}"
    step_two = f"{reverse('eligibility:questions')}?{answers}"
    links = [("What you want to do", form.chosen_purpose.label, f"{step_one}#id_purpose_0")]
    where = form.destination.name if form.destination else "Any country"
    links.append(("Where to", where, f"{step_one}#id_country"))
    for question, said in form.answered:
        if question.first:
            links.append((question.text, said, f"{step_one}#id_{question.name}"))
        else:
            links.append((question.text, said, f"{step_two}#id_{question.name}"))
    return links


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
            "words: how a route is found met, not met, not needed or short of information.",
            crumbs=[HOME_CRUMB, CHECKER, ("How it decides", None)],
        ),
    }
    return render(request, "eligibility/how.html", context)
