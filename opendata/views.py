"""The API's own page: what it answers, how to ask, the licence and the downloads."""

from django.shortcuts import render

from publishing.meta import HOME_CRUMB, PageMeta
from publishing.pagecache import public_page
from routes.models import Country
from routes.vocabulary import RouteStatus

from . import records
from .api import ROOT
from .downloads import CSV_COLUMNS


@public_page
def api_page(request):
    site = records.site_of(request)
    countries = (
        Country.objects.filter(routes__status=RouteStatus.PUBLISHED).distinct().order_by("name")
    )
    meta = PageMeta(
        "Open data: the API and downloads",
        "Every published route and every fact on it, with the dated source it comes from, "
        "as JSON from a read-only API or as CSV and JSON files. Licence: CC BY 4.0.",
        crumbs=[HOME_CRUMB, ("Open data", None)],
    )
    context = {
        "meta": meta,
        "root": site + ROOT,
        "path": ROOT,
        "about": records.about(site),
        "page_size": records.PAGE_SIZE,
        "countries": countries,
        "columns": CSV_COLUMNS,
    }
    return render(request, "opendata/api.html", context)
