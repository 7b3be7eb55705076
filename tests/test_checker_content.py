"""The checker on the real content of fixtures/: the seed route's verdicts."""

import pytest

from .helpers import source_entry, text_of
from .test_checker_pages import verdict_cards

SEED_URL = "/kazakhstan/labour-immigrant-work-permit/"
READY = "job_offer=yes&employer_sponsor=yes&health_insurance=yes&medical_exam=yes"
CITE = "[1] Official · via wheretoemigrate.io, 24 Jun 2026"


def seed_verdict(client, query):
    response = client.get(f"/check/results/?country=kazakhstan&{query}", follow=True)
    assert response.status_code == 200
    return verdict_cards(response)[SEED_URL]


@pytest.mark.parametrize("extra", ["", "&purpose=work", "&nationality=DE"])
def test_a_30_year_old_with_offer_sponsor_insurance_and_exam_meets_it(client, content, extra):
    verdict, card = seed_verdict(client, f"age=30&{READY}{extra}")
    assert verdict == "meets"
    for line in [
        f"Met Job offer Required: you have one. {CITE}",
        f"Met Employer sponsor Required: your employer will sponsor you. {CITE}",
        f"Met Health insurance Required (valid in-country): you have it. {CITE}",
        f"Met Medical exam Required: you can pass one. {CITE}",
        f"Met Age range 18–60 years: you are 30. {CITE}",
    ]:
        assert line in card


@pytest.mark.parametrize("age", [18, 60])
def test_the_ends_of_the_age_range_meet_it(client, content, age):
    assert seed_verdict(client, f"age={age}&{READY}")[0] == "meets"


def test_at_61_they_do_not_citing_the_range_and_its_source(client, content):
    verdict, card = seed_verdict(client, f"age=61&{READY}")
    assert verdict == "does_not_meet"
    assert f"Not met Age range 18–60 years: you are 61. {CITE}" in card
    assert (
        "[1] Issuance and extension of a permit to a labour immigrant — "
        "eGov.kz, Government of the Republic of Kazakhstan · Official government source" in card
    )


def test_without_an_answer_about_insurance_there_is_not_enough_information(client, content):
    query = "age=30&job_offer=yes&employer_sponsor=yes&medical_exam=yes"
    verdict, card = seed_verdict(client, query)
    assert verdict == "not_enough"
    assert "To get a verdict, answer: Do you have health insurance valid in the country?" in card
    assert (
        f"Answer needed Health insurance Required (valid in-country): not answered yet. {CITE}"
        in card
    )


def test_the_citation_is_the_route_pages_own(client, content):
    query = f"country=kazakhstan&age=30&{READY}"
    html = client.get(f"/check/results/?{query}", follow=True).content.decode()
    assert f'href="{SEED_URL}#source-1"' in html
    response = client.get(SEED_URL)
    assert "Age range 18–60 years [1]" in text_of(response)
    assert "as transcribed by wheretoemigrate.io, updated 24 Jun 2026" in source_entry(response, 1)
