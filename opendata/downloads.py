"""The whole content, or one country's, as files: CSV (one row per fact, with its source's
columns) and JSON (every route as the API gives it), made by ``records`` like the API.

Kept by the page cache until content changes, like any public page. Each file
names the data's licence and how to cite it: in the JSON's own fields, and in
the CSV's first lines (comments, each starting with "#"), and in a Link header.
"""

import csv
import io
import json

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404

from routes.models import Country

from . import records
from .api import ROOT

# A fact's columns, then its source's: one row per fact of a published route.
CSV_COLUMNS = [
    "country_code",
    "country",
    "route",
    "route_slug",
    "route_page",
    "category",
    "topic",
    "topic_label",
    "statement",
    "text",
    "status",
    "minimum",
    "maximum",
    "exclusive",
    "unit",
    "period",
    "level",
    "pathway",
    "nationality_rule",
    "countries",
    "url",
    "applies_to",
    "standing",
    "as_of",
    "disputed",
    "source_number",
    "source_ref",
    "source_publisher",
    "source_title",
    "source_url",
    "source_kind",
    "source_page_date",
    "source_verified_on",
    "source_via_publisher",
    "source_via_url",
    "source_via_date",
    "source_quote",
]


def route_records(request, routes):
    site = records.site_of(request)
    return [records.route_record(page, site, site + ROOT) for page in records.pages_of(routes)]


def as_json(request, routes, name):
    site = records.site_of(request)
    body = {**records.about(site), "routes": route_records(request, routes)}
    response = HttpResponse(
        json.dumps(body, ensure_ascii=False, indent=1), content_type="application/json"
    )
    return _attached(response, f"{name}.json")


def as_csv(request, routes, name):
    site = records.site_of(request)
    about = records.about(site)
    out = io.StringIO()
    out.write(f"# Licence: {about['licence']['name']} ({about['licence']['url']}). ")
    out.write(f"{about['licence']['note']}\n# Cite as: {about['cite_as']}\n")
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for route in route_records(request, routes):
        sources = {s["number"]: s for s in route["sources"]}
        for fact in route["facts"]:
            source = sources.get(fact["source"], {})
            writer.writerow(
                {
                    "country_code": route["country"],
                    "country": route["country_name"],
                    "route": route["official_name"],
                    "route_slug": route["slug"],
                    "route_page": route["page"],
                    "category": route["category"],
                    **{k: v for k, v in fact.items() if k in CSV_COLUMNS},
                    "countries": " ".join(fact["countries"]),
                    **{f"source_{k}": source.get(k) for k in SOURCE_COLUMNS},
                }
            )
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    return _attached(response, f"{name}.csv")


SOURCE_COLUMNS = [c.removeprefix("source_") for c in CSV_COLUMNS if c.startswith("source_")]


def everything(request, file_format):
    return _file(request, records.published(), "sourced-routes", file_format)


def country(request, country_slug, file_format):
    chosen = get_object_or_404(Country, slug=country_slug)
    routes = records.published().filter(country=chosen)
    return _file(request, routes, f"sourced-routes-{chosen.slug}", file_format)


def _file(request, routes, name, file_format):
    if file_format == "json":
        return as_json(request, routes, name)
    if file_format == "csv":
        return as_csv(request, routes, name)
    raise Http404("Downloads come as .csv or .json.")


def _attached(response, filename):
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Link"] = f'<{records.LICENCE["url"]}>; rel="license"'
    return response
