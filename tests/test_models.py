"""Model rules: named database constraints, mirrored in clean() with plain messages."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from routes.models import Country, Fee, Figure, Requirement, Route

from .factories import (
    CategoryFactory,
    CountryFactory,
    FactFactory,
    RouteFactory,
    SourceFactory,
)

pytestmark = pytest.mark.django_db


def messages(excinfo):
    return excinfo.value.message_dict


def test_age_lower_bound_above_upper_bound_is_refused():
    fact = FactFactory.build(
        route=RouteFactory(), source=SourceFactory(), topic="age", minimum=61, maximum=18
    )
    with pytest.raises(ValidationError) as excinfo:
        fact.full_clean()
    assert (
        "The upper bound must not be smaller than the lower bound." in messages(excinfo)["maximum"]
    )
    with pytest.raises(IntegrityError, match="fact_minimum_lte_maximum"), transaction.atomic():
        fact.save()


def test_negative_amount_is_refused():
    fee = FactFactory.build(
        route=RouteFactory(),
        source=SourceFactory(),
        topic="fee",
        status="",
        text="Fee",
        minimum=-5,
        unit="USD",
    )
    with pytest.raises(ValidationError) as excinfo:
        fee.full_clean()
    assert "Amounts and bounds cannot be negative." in messages(excinfo)["minimum"]
    with pytest.raises(IntegrityError, match="fact_bounds_not_negative"), transaction.atomic():
        fee.save()


def test_money_needs_a_known_currency():
    fee = FactFactory.build(
        route=RouteFactory(),
        source=SourceFactory(),
        topic="fee",
        status="",
        text="Fee",
        minimum=5,
        unit="XYZ",
    )
    with pytest.raises(ValidationError) as excinfo:
        fee.full_clean()
    assert "“XYZ” is not a known currency code" in messages(excinfo)["unit"][0]
    fee.unit = "KZT-MCI"
    fee.full_clean()
    fee.unit = "GBP"
    fee.full_clean()


def test_a_fact_must_cite_a_source_unless_not_stated():
    fact = FactFactory.build(route=RouteFactory(), source=None, topic="job_offer")
    with pytest.raises(ValidationError) as excinfo:
        fact.full_clean()
    assert messages(excinfo)["source"] == ["Cite the source this fact comes from."]
    with pytest.raises(IntegrityError, match="fact_cites_source"), transaction.atomic():
        fact.save()
    fact.status = "not_stated"
    fact.full_clean()


def test_requirement_needs_a_status_and_figures_take_none():
    requirement = FactFactory.build(route=RouteFactory(), topic="medical_exam", status="")
    with pytest.raises(ValidationError) as excinfo:
        requirement.full_clean()
    assert messages(excinfo)["status"] == ["Say whether the source requires this."]
    figure = FactFactory.build(route=RouteFactory(), topic="renewal", status="required")
    with pytest.raises(ValidationError) as excinfo:
        figure.full_clean()
    assert messages(excinfo)["status"] == ["Only requirements have a status; leave it empty."]


def test_time_figures_need_a_time_unit():
    figure = FactFactory.build(
        route=RouteFactory(),
        source=SourceFactory(),
        topic="processing_time",
        status="",
        minimum=2,
        unit="parsecs",
    )
    with pytest.raises(ValidationError) as excinfo:
        figure.full_clean()
    assert "Give the unit of time" in messages(excinfo)["unit"][0]


def test_permanent_residence_figure_needs_its_answer():
    figure = FactFactory.build(
        route=RouteFactory(), source=SourceFactory(), topic="permanent_residence", status=""
    )
    with pytest.raises(ValidationError) as excinfo:
        figure.full_clean()
    assert messages(excinfo)["pathway"] == ["Say whether the route leads to permanent residence."]


def test_country_slug_cannot_take_a_fixed_path():
    for slug in ["compare", "check", "search", "changes", "admin", "static"]:
        country = Country(code="FR", name="France", slug=slug)
        with pytest.raises(ValidationError) as excinfo:
            country.full_clean()
        assert messages(excinfo)["slug"] == [
            f"“{slug}” is already used by a page of the site; choose another slug."
        ]


def test_country_code_must_be_iso_3166():
    country = Country(code="XX", name="Nowhere", slug="nowhere")
    with pytest.raises(ValidationError) as excinfo:
        country.full_clean()
    assert "not an ISO 3166 two-letter country code" in messages(excinfo)["code"][0]
    with pytest.raises(IntegrityError, match="country_code_two_capitals"), transaction.atomic():
        Country.objects.create(code="kz", name="Lower", slug="lower")


def test_route_slug_is_unique_per_country():
    route = RouteFactory(slug="work-permit", country=CountryFactory(code="KZ"))
    clash = Route(
        country=route.country,
        category=CategoryFactory(),
        slug="work-permit",
        official_name="Another",
        summary="x",
    )
    with pytest.raises(ValidationError) as excinfo:
        clash.full_clean()
    assert "This country already has a route with this slug." in str(excinfo.value)
    other_country = CountryFactory(code="NO", name="Norway", slug="norway")
    RouteFactory(country=other_country, slug="work-permit").full_clean()


def test_source_dates_cannot_be_in_the_future():
    source = SourceFactory.build(verified_on=datetime.date.today() + datetime.timedelta(days=2))
    with pytest.raises(ValidationError) as excinfo:
        source.full_clean()
    assert messages(excinfo)["verified_on"] == ["This date is in the future."]


def test_source_gets_a_reference_of_its_own():
    source = SourceFactory(publisher="eGov.kz", ref="")
    assert source.ref.startswith("egovkz-")


def test_proxies_split_facts_by_topic():
    route = RouteFactory()
    FactFactory(route=route, topic="age", minimum=18, maximum=60)
    FactFactory(route=route, topic="fee", status="", text="Fee", minimum=10, unit="USD")
    FactFactory(route=route, topic="validity", status="", maximum=12, unit="months")
    assert [r.topic for r in Requirement.objects.all()] == ["age"]
    assert [f.topic for f in Fee.objects.all()] == ["fee"]
    assert [f.topic for f in Figure.objects.all()] == ["validity"]


def test_rows_get_the_next_position():
    route = RouteFactory()
    first = FactFactory(route=route)
    second = FactFactory(route=route, topic="medical_exam")
    assert (first.position, second.position) == (1, 2)


def test_published_queryset():
    published = RouteFactory()
    RouteFactory(status="draft")
    assert list(Route.objects.published()) == [published]


def test_addresses_follow_the_prefix_the_site_is_served_under(db):
    from django.urls import set_script_prefix

    route = RouteFactory(slug="work-visa", country__slug="georgia")
    assert route.get_absolute_url() == "/georgia/work-visa/"
    try:
        set_script_prefix("/routes/")
        assert route.get_absolute_url() == "/routes/georgia/work-visa/"
        assert route.country.get_absolute_url() == "/routes/georgia/"
    finally:
        set_script_prefix("/")
    assert route.get_absolute_url() == "/georgia/work-visa/"
