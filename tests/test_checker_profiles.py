"""The checker on the real content, as real people would use it: a table of profiles.

Each row is a visitor (purpose, destination, citizenships, answers) and, for a
route, the verdict they must get and words of its card that cite its source.
The first rows are the false greens the checker used to give: routes found to
"meet" a visitor only because the site held no requirement for them, or
because an answer about one country was read as true of another.
"""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from eligibility.catalogue import requirements_of
from eligibility.rules import Money
from eligibility.verdicts import Profile, Verdict, judge
from routes.models import Fact

from .test_checker_pages import verdict_cards

RETIREE = "nationality=DE&age=62&income=2500&income_currency=EUR"
ENGINEER = "nationality=IN&age=30&income=6000&income_currency=EUR&education=master"

LABOUR = "/kazakhstan/labour-immigrant-work-permit/"
TRP = "/kazakhstan/temporary-residence-permit/"
DIGITAL_NOMAD_JAPAN = "/japan/designated-activities-digital-nomad/"
BLUE_CARD = "/germany/eu-blue-card/"

PROFILES = [
    # A 62-year-old retiree, any purpose, no destination: no work permit is a yes.
    (RETIREE, "/canada/work-permit/", "too_little", "state no requirement your answers could"),
    (RETIREE, "/uzbekistan/work-permit/", "too_little", "Read the official page"),
    (RETIREE, "/united-arab-emirates/work-permit/", "not_enough", "the company hiring you"),
    (RETIREE, LABOUR, "does_not_meet", "Age range 18–60 years: you are 62. [1] Official"),
    # A software engineer with a German job offer, before choosing Germany: the job
    # offer is not asked, and no other country's permit is met with it.
    (f"purpose=work&{ENGINEER}", LABOUR, "not_enough", "Do you have a job offer"),
    (f"purpose=work&{ENGINEER}", "/canada/work-permit/", "too_little", "Too little on record"),
    (f"purpose=work&{ENGINEER}", BLUE_CARD, "not_enough", "Do you have a job offer"),
    # ... and with Germany chosen, the job offer counts for Germany's routes.
    (
        f"purpose=work&country=germany&{ENGINEER}&job_offer=yes",
        BLUE_CARD,
        "meets",
        "3 of 3 stated requirements checked",
    ),
    (
        f"purpose=work&country=germany&{ENGINEER}&job_offer=yes",
        BLUE_CARD,
        "meets",
        "Met Education Conditional: at least a bachelor's degree or equivalent",
    ),
    # Citizens of the EAEU need no labour-immigrant permit in Kazakhstan.
    (
        "purpose=work&country=kazakhstan&nationality=RU",
        LABOUR,
        "not_needed",
        "citizens of Russia need no such permit or visa. [4] Official · 17 Oct 2022",
    ),
    (
        "purpose=work&country=kazakhstan&nationality=KG&nationality=DE",
        LABOUR,
        "not_needed",
        "citizens of Kyrgyzstan need no such permit or visa",
    ),
    # The temporary residence permit: one source lists the countries, the other
    # speaks of them without naming them: never more than "it depends".
    (
        "purpose=settle&country=kazakhstan&nationality=DE",
        TRP,
        "not_enough",
        "it depends on your nationality, and the source does not list the countries",
    ),
    # A German earning 8,000 EUR a month meets Japan's yearly JPY threshold after
    # conversion; the route's nationality list is in a chart the source does not
    # give, so it is never a yes.
    (
        "purpose=remote&country=japan&nationality=DE&income=8000&income_currency=EUR",
        DIGITAL_NOMAD_JAPAN,
        "not_enough",
        "your monthly income: 8,000 EUR ≈ 1,377,760 JPY at the euro reference rate of 24 Jul "
        "2025 (wechselkurseuro.de, copying the European Central Bank's euro reference rates); "
        "× 12 is 16,533,120 JPY a year.",
    ),
]


@pytest.mark.parametrize(("query", "url", "verdict", "words"), PROFILES)
def test_each_profile_gets_its_verdict_with_its_source(client, content, query, url, verdict, words):
    cards, page = {}, 1
    while url not in cards:  # the route's card may be on a later page of results
        response = client.get(f"/check/results/?{query}&page={page}", follow=True)
        assert response.status_code == 200
        cards, page = verdict_cards(response), page + 1
        assert page < 10, f"{url} is on no page of results"
    found, card = cards[url]
    assert found == verdict, card
    assert words in card, card


def test_no_route_meets_a_profile_it_states_nothing_about(client, content):
    cards = verdict_cards(client.get(f"/check/results/?{RETIREE}", follow=True))
    assert "meets" not in {verdict for verdict, _ in cards.values()}


# ---------------------------------------------------------------------------
# Whatever the answers: never a server error, never "meets" on silence

PROFILE = st.fixed_dictionaries(
    {},
    optional={
        "age": st.integers(0, 120),
        "job_offer": st.booleans(),
        "employer_sponsor": st.booleans(),
        "health_insurance": st.booleans(),
        "medical_exam": st.booleans(),
        "invitation": st.booleans(),
        "education": st.sampled_from(["none", "secondary", "bachelor", "doctorate"]),
        "nationality": st.frozensets(st.sampled_from(["RU", "DE", "KZ", "IN", "AM"]), min_size=1),
        "income": st.integers(0, 20000).map(lambda n: Money(n, "USD")),
    },
)
SILENT = st.lists(
    st.sampled_from(["not_stated", "not_required", "in_words", "historical"]), max_size=4
)


class Row:
    """A fact as the engine reads it, without a database."""

    def __init__(self, kind, n):
        self.topic = ["age", "job_offer", "income", "nationality"][n % 4]
        self.status = {"not_stated": "not_stated", "not_required": "not_required"}.get(
            kind, "required"
        )
        self.standing = "historical" if kind == "historical" else "current"
        self.minimum = 18 if kind == "historical" else None
        self.maximum = None
        self.pathway = self.unit = self.period = ""
        self.level = self.nationality_rule = self.countries = ""
        self.exclusive = False
        self.source_id = n
        if kind == "in_words" and self.topic == "job_offer":
            self.topic = "qualification"

    @property
    def is_current(self):
        return self.standing == "current"

    value_key = Fact.value_key


@settings(max_examples=400, deadline=None)
@given(kinds=SILENT, answers=PROFILE)
def test_silence_is_never_a_yes(kinds, answers):
    facts = [Row(kind, n) for n, kind in enumerate(kinds)]
    verdict = judge(requirements_of(facts), Profile(answers)).verdict
    assert verdict != Verdict.MEETS


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    answers=st.dictionaries(
        st.sampled_from(["age", "job_offer", "education", "nationality", "income", "country"]),
        st.sampled_from(["30", "yes", "no", "master", "DE", "RU", "kazakhstan", "", "x"]),
        max_size=6,
    )
)
def test_the_results_never_fail_and_never_meet_on_silence(client, content, answers):
    response = client.get("/check/results/", answers, follow=True)
    assert response.status_code == 200
    cards = verdict_cards(response)
    for url in ("/canada/work-permit/", "/uzbekistan/work-permit/"):
        if url in cards:
            assert cards[url][0] == "too_little"


def test_a_not_needed_card_still_says_how_much_was_checked(client, content):
    response = client.get("/check/results/?purpose=work&country=kazakhstan&nationality=RU")
    verdict, card = verdict_cards(response)[LABOUR]
    assert verdict == "not_needed"
    assert (
        "Checked against its nationality rule; the other stated requirements below apply to "
        "those who need this permit." in card
    )
