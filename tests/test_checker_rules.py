"""The checker's rules, table by table: profile in, verdicts out, no database."""

import datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest

from eligibility.catalogue import Catalogue, Listed, ListedCountry, requirements_of
from eligibility.forms import CheckForm
from eligibility.questions import CHECKS, PURPOSES, QUESTIONS, AnswerKind
from eligibility.results import RouteCard
from eligibility.rules import Money, Outcome, Rate
from eligibility.verdicts import Profile, Verdict, judge
from routes.facts import differ, statement
from routes.models import Fact, Source
from routes.vocabulary import Criterion

MET, UNMET, ASK, UNCLEAR = Outcome.MET, Outcome.UNMET, Outcome.ASK, Outcome.UNCLEAR
DISPUTED, NOT_IN_FORCE = Outcome.DISPUTED, Outcome.NOT_IN_FORCE
NOT_REQUIRED, NOT_STATED = Outcome.NOT_REQUIRED, Outcome.NOT_STATED
MEETS, NOT_ENOUGH, DOES_NOT_MEET = Verdict.MEETS, Verdict.NOT_ENOUGH, Verdict.DOES_NOT_MEET
TOO_LITTLE, NOT_NEEDED = Verdict.TOO_LITTLE, Verdict.NOT_NEEDED

OFFICIAL = Source(id=1, publisher="eGov.kz", title="Work permit", kind="official")
SECONDARY = Source(id=2, publisher="Law firm", title="Guide", kind="secondary")


def fact(topic, status="required", *, source=OFFICIAL, position=1, **fields):
    return Fact(topic=topic, status=status, source=source, position=position, **fields)


# A route as a card reads it: its country's portal is its official page of last resort.
ROUTE = SimpleNamespace(country=SimpleNamespace(portal_url="", portal_name="", name="Kazakhstan"))


def check_route(route, profile, facts):
    """A route's card for these answers: its verdict and the lines that explain it."""
    return RouteCard.of(route or ROUTE, list(facts)).verdict(profile)


def verdict(facts, **answers):
    return check_route(None, Profile(answers), facts)


def line(facts, **answers):
    facts = facts if isinstance(facts, list) else [facts]
    (only,) = verdict(facts, **answers).lines
    return only


RATES = {
    "USD": Rate(Decimal("1.1756"), datetime.date(2025, 7, 24), "European Central Bank"),
    "GBP": Rate(Decimal("0.8675"), datetime.date(2025, 7, 24), "European Central Bank"),
}


def usd(amount, currency="USD", rates=None):
    return Money(Decimal(amount), currency, rates or {})


# ---------------------------------------------------------------------------
# The registry


def test_every_criterion_has_one_entry_with_a_rule_and_words():
    assert set(CHECKS) == set(Criterion.values)
    for criterion, check in CHECKS.items():
        assert check.criterion == criterion
        assert callable(check.rule)
        assert check.explains.endswith(".")


def test_question_names_are_unique_and_are_form_fields():
    names = [q.name for q in QUESTIONS]
    assert len(names) == len(set(names))
    assert set(names) <= set(CheckForm(catalogue=Catalogue(None, [], [])).fields)


def test_purposes_map_to_category_slugs():
    assert set(PURPOSES) == {
        "any",
        "work",
        "remote",
        "family",
        "investment",
        "study",
        "retire",
        "settle",
        "visit",
    }
    assert PURPOSES["any"].categories == ()
    assert PURPOSES["retire"].categories == ("retirement",)
    assert PURPOSES["work"].categories == ("employer-sponsored-work",)
    assert set(PURPOSES["settle"].categories) == {
        "residence-permits",
        "ethnic-return",
        "citizenship",
    }


# ---------------------------------------------------------------------------
# Yes/no criteria: every one of them, met, unmet and unanswered

YES_NO = [c for c in CHECKS.values() if c.question and c.question.kind == AnswerKind.YES_NO]


@pytest.mark.parametrize("check", YES_NO, ids=lambda c: c.criterion)
@pytest.mark.parametrize(("answer", "outcome"), [(True, MET), (False, UNMET), (None, ASK)])
def test_yes_no_criteria(check, answer, outcome):
    found = line(fact(check.criterion), **{check.question.name: answer})
    assert found.outcome == outcome
    if outcome == ASK:
        assert found.question == check.question


@pytest.mark.parametrize(
    ("criterion", "answer", "reason"),
    [
        ("job_offer", True, "you have one"),
        ("job_offer", False, "you said you have none"),
        ("employer_sponsor", False, "you said no employer will sponsor you"),
        ("health_insurance", True, "you have it"),
        ("medical_exam", False, "you said you cannot pass one"),
        ("clean_record", False, "you said you have a conviction"),
        ("ethnic_origin", True, "you said you are"),
    ],
)
def test_yes_no_reasons(criterion, answer, reason):
    assert line(fact(criterion), **{criterion: answer}).reason == reason


# ---------------------------------------------------------------------------
# Numbers: bounds are inclusive


@pytest.mark.parametrize(
    ("bounds", "age", "outcome"),
    [
        ((18, 60), 17, UNMET),
        ((18, 60), 18, MET),
        ((18, 60), 30, MET),
        ((18, 60), 60, MET),
        ((18, 60), 61, UNMET),
        ((18, None), 90, MET),
        ((18, None), 17, UNMET),
        ((None, 35), 35, MET),
        ((None, 35), 36, UNMET),
        ((18, 60), None, ASK),
        ((None, None), 30, UNCLEAR),
    ],
)
def test_age(bounds, age, outcome):
    minimum, maximum = bounds
    found = line(fact("age", minimum=minimum, maximum=maximum), age=age)
    assert found.outcome == outcome


def test_age_names_the_visitors_age():
    found = line(fact("age", minimum=18, maximum=60), age=61)
    assert (found.outcome, found.reason) == (UNMET, "you are 61")


@pytest.mark.parametrize(
    ("requirement", "answer", "outcome"),
    [
        ({"minimum": 1500, "unit": "USD", "period": "month"}, usd(2000), MET),
        ({"minimum": 1500, "unit": "USD", "period": "month"}, usd(1500), MET),
        ({"minimum": 1500, "unit": "USD", "period": "month"}, usd("1499.99"), UNMET),
        ({"minimum": 20000, "unit": "USD", "period": "year"}, usd(2000), MET),  # 24,000 a year
        ({"minimum": 20000, "unit": "USD", "period": "year"}, usd(1500), UNMET),  # 18,000
        ({"minimum": 1500, "unit": "USD", "period": "month"}, usd(2000, "EUR"), ASK),
        ({"minimum": 1500, "unit": "USD", "period": "month"}, usd(2000, "EUR", RATES), MET),
        ({"minimum": 1500, "unit": "USD", "period": "month"}, usd(1200, "EUR", RATES), UNMET),
        # 1,300 EUR ≈ 1,528.28 USD: within 5% of 1,500, too close to call.
        ({"minimum": 1500, "unit": "USD", "period": "month"}, usd(1300, "EUR", RATES), UNCLEAR),
        ({"minimum": 1500, "unit": "USD", "period": "month"}, usd(1300, "GBP", RATES), MET),
        ({"minimum": 40, "unit": "KZT-MW", "period": "month"}, usd(900000, "KZT"), ASK),
        ({"minimum": 40, "unit": "KZT-MW", "period": "month"}, usd(41, "KZT-MW"), MET),
        ({"minimum": 1500, "unit": "USD", "period": ""}, usd(2000), UNCLEAR),
        ({"minimum": 1500, "unit": "USD", "period": "month"}, None, ASK),
        ({"unit": "USD", "period": "month"}, usd(2000), UNCLEAR),
        # "Exceeding USD 3,000": 3,000 itself does not meet it.
        ({"minimum": 3000, "unit": "USD", "period": "month", "exclusive": True}, usd(3000), UNMET),
        ({"minimum": 3000, "unit": "USD", "period": "month", "exclusive": True}, usd(3001), MET),
    ],
)
def test_income(requirement, answer, outcome):
    assert line(fact("income", **requirement), income=answer).outcome == outcome


def test_income_in_another_currency_asks_for_the_requirements_currency():
    found = line(fact("income", minimum=3000, unit="USD", period="month"), income=usd(3500, "EUR"))
    assert found.outcome == ASK
    assert found.question == CHECKS["income"].question
    assert found.reason == (
        "your monthly income is in EUR and this amount is in USD; no reference rate is on "
        "record to convert one into the other: give your monthly income in USD to compare"
    )


def test_a_conversion_names_the_rate_its_date_and_its_source():
    requirement = fact("income", minimum=3000, unit="USD", period="month")
    found = line(requirement, income=usd(3500, "EUR", RATES))
    assert found.outcome == MET
    assert found.reason == (
        "your monthly income: 3,500 EUR ≈ 4,114.60 USD at the euro reference rate of "
        "24 Jul 2025 (European Central Bank)"
    )
    between = line(requirement, income=usd(3000, "GBP", RATES))
    assert "3,000 GBP ≈ 4,065.48 USD at the euro reference rates of 24 Jul 2025" in between.reason


def test_an_amount_too_close_after_conversion_is_not_called():
    requirement = fact("investment", minimum=300000, unit="USD")
    found = line(requirement, investment=usd(260000, "EUR", RATES))  # ≈ 305,656 USD
    assert found.outcome == UNCLEAR
    assert found.reason.endswith("within 5% of the amount: too close to call after conversion")
    assert line(requirement, investment=usd(300000, "USD")).outcome == MET  # no conversion


def test_income_per_year_is_compared_with_twelve_months():
    found = line(fact("income", minimum=20000, unit="USD", period="year"), income=usd(2000))
    assert found.reason == "your monthly income is 2,000 USD; × 12 is 24,000 USD a year"


@pytest.mark.parametrize(
    ("requirement", "answer", "outcome"),
    [
        ({"minimum": 300000, "unit": "USD"}, usd(300000), MET),
        ({"minimum": 300000, "unit": "USD"}, usd("299999.99"), UNMET),
        ({"minimum": 300000, "unit": "USD"}, usd(300000, "AED"), ASK),
        ({"minimum": 300000, "unit": "USD", "period": "year"}, usd(300000), UNCLEAR),
        ({"minimum": 300000, "unit": "USD"}, None, ASK),
    ],
)
def test_investment(requirement, answer, outcome):
    assert line(fact("investment", **requirement), investment=answer).outcome == outcome


@pytest.mark.parametrize(
    ("requirement", "years", "outcome"),
    [
        ({"minimum": 5, "unit": "years"}, Decimal(5), MET),
        ({"minimum": 5, "unit": "years"}, Decimal("4.5"), UNMET),
        ({"minimum": 60, "unit": "months"}, Decimal(5), MET),
        ({"minimum": 60, "unit": "months"}, Decimal("4.9"), UNMET),
        ({"minimum": 1800, "unit": "days"}, Decimal(6), UNCLEAR),
        ({"minimum": 5, "unit": "years"}, None, ASK),
    ],
)
def test_residence_period(requirement, years, outcome):
    found = line(fact("residence_period", **requirement), residence_period=years)
    assert found.outcome == outcome


@pytest.mark.parametrize(
    ("criterion", "answer"),
    [("nationality", frozenset({"RU"})), ("qualification", True), ("education", "master")],
)
def test_criteria_stated_in_words_are_never_met(criterion, answer):
    found = line(fact(criterion, text="citizens of the EAEU"), **{criterion: answer})
    assert found.outcome == UNCLEAR
    assert found.question is None
    # Nothing the answers could be compared with: never a yes.
    assert verdict([fact(criterion)]).verdict == TOO_LITTLE


# ---------------------------------------------------------------------------
# Statuses: not stated, not required, conditional


@pytest.mark.parametrize("criterion", Criterion.values)
@pytest.mark.parametrize(
    ("status", "outcome"), [("not_stated", NOT_STATED), ("not_required", NOT_REQUIRED)]
)
def test_not_stated_and_not_required_count_neither_way(criterion, status, outcome):
    found = line(fact(criterion, status), age=99, job_offer=False)
    assert found.outcome == outcome
    assert verdict([fact(criterion, status)]).verdict == TOO_LITTLE
    with_age = [fact(criterion, status), fact("age", minimum=18, position=2)]
    assert verdict(with_age, age=30).verdict == MEETS


def test_not_stated_says_the_source_does_not_state_it():
    found = line(fact("health_insurance", "not_stated", source=None))
    assert found.reason == "the source does not state it, so it counts neither way"


@pytest.mark.parametrize(
    ("answers", "outcome"),
    [
        ({"health_insurance": True}, MET),
        ({"health_insurance": False}, UNCLEAR),
        ({}, ASK),
    ],
)
def test_conditional_is_met_only_when_the_answer_meets_it_anyway(answers, outcome):
    found = line(fact("health_insurance", "conditional", text="for stays over 90 days"), **answers)
    assert found.outcome == outcome
    if outcome == UNCLEAR:
        assert "required only in some cases" in found.reason


def test_conditional_age_outside_the_range_is_not_unmet():
    found = line(fact("age", "conditional", minimum=18, maximum=60), age=61)
    assert found.outcome == UNCLEAR
    assert found.reason.startswith("you are 61, but it is required only in some cases")


# ---------------------------------------------------------------------------
# Disagreement, variants and facts not in force


def disputed_age():
    return [
        fact("age", minimum=18, maximum=60, source=OFFICIAL, position=1),
        fact("age", minimum=21, maximum=60, source=SECONDARY, position=2),
    ]


@pytest.mark.parametrize(
    ("age", "outcome", "route"),
    [
        (30, DISPUTED, NOT_ENOUGH),  # meets both values: still never counted as met
        (19, DISPUTED, NOT_ENOUGH),
        (61, UNMET, DOES_NOT_MEET),  # fails every source's value
        (None, DISPUTED, NOT_ENOUGH),
    ],
)
def test_sources_that_disagree_are_never_counted_as_met(age, outcome, route):
    result = verdict(disputed_age(), age=age)
    (found,) = result.lines
    assert found.outcome == outcome
    assert result.verdict == route
    assert [c.fact.minimum for c in found.facts] == [18, 21]
    assert [c.citation.source.publisher for c in found.facts] == ["eGov.kz", "Law firm"]


def test_variants_from_one_source_are_not_a_disagreement():
    variants = [
        fact("age", minimum=18, maximum=60, position=1),
        fact("age", minimum=21, maximum=60, position=2),
    ]
    assert line(variants, age=30).outcome == MET
    assert line(variants, age=61).outcome == UNMET
    assert line(variants, age=19).outcome == UNCLEAR


@pytest.mark.parametrize("standing", ["historical", "draft"])
def test_facts_not_in_force_are_shown_but_never_compared(standing):
    old = fact("age", minimum=21, maximum=60, standing=standing)
    result = verdict([old], age=19)
    assert result.lines[0].outcome == NOT_IN_FORCE
    assert result.verdict == TOO_LITTLE  # nothing in force to compare with
    current = fact("age", minimum=18, maximum=60, position=2)
    assert verdict([old, current], age=19).verdict == MEETS
    assert verdict([old, current], age=61).verdict == DOES_NOT_MEET


# ---------------------------------------------------------------------------
# Route verdicts


def seed_facts():
    return [
        fact("job_offer", position=1),
        fact("employer_sponsor", position=2),
        fact("health_insurance", text="valid in-country", position=3),
        fact("medical_exam", position=4),
        fact("age", minimum=18, maximum=60, position=5),
    ]


EVERYTHING = {
    "job_offer": True,
    "employer_sponsor": True,
    "health_insurance": True,
    "medical_exam": True,
    "age": 30,
}


def test_meeting_every_requirement():
    result = verdict(seed_facts(), **EVERYTHING)
    assert result.verdict == MEETS
    assert result.label == "Meets every stated requirement"
    assert {line.outcome for line in result.lines} == {MET}
    assert not result.states_nothing


def test_one_unmet_requirement_is_named():
    result = verdict(seed_facts(), **{**EVERYTHING, "age": 61})
    assert result.verdict == DOES_NOT_MEET
    assert [(line.label, line.reason) for line in result.unmet] == [("Age range", "you are 61")]
    assert result.questions == []


def test_unanswered_questions_are_named_in_the_forms_order():
    result = verdict(seed_facts(), age=30, job_offer=True)
    assert result.verdict == NOT_ENOUGH
    assert [q.name for q in result.questions] == [
        "medical_exam",
        "employer_sponsor",
        "health_insurance",
    ]


def test_unmet_outranks_not_enough_information():
    result = verdict(seed_facts(), age=61)
    assert result.verdict == DOES_NOT_MEET
    assert [line.outcome for line in result.lines][:2] == [UNMET, ASK]


def test_nothing_answered():
    assert verdict(seed_facts()).verdict == NOT_ENOUGH


@pytest.mark.parametrize("facts", [[], [fact("age", "not_stated", source=None)]])
def test_a_route_with_no_stated_requirements_is_too_little_on_record(facts):
    result = verdict(facts, age=30)
    assert result.verdict == TOO_LITTLE
    assert result.label == "Too little on record to check"
    assert result.states_nothing
    assert result.checked == 0


def test_fees_and_figures_are_not_requirements():
    facts = [
        fact("fee", "", text="State fee", minimum=10, unit="KZT-MCI"),
        fact("processing_time", "", minimum=2, maximum=2, unit="days", position=2),
    ]
    assert verdict(facts).lines == []


def test_sources_are_numbered_by_first_citation_as_on_the_route_page():
    facts = [
        fact("fee", "", text="Fee", minimum=1, unit="USD", source=SECONDARY, position=1),
        fact("age", minimum=18, maximum=60, source=OFFICIAL, position=2),
    ]
    result = verdict(facts, age=30)
    assert result.lines[0].facts[0].citation.number == 2
    assert [c.number for c in result.citations] == [2]


def test_a_local_money_unit_is_named_so_the_visitor_can_answer_in_it():
    requirement = fact("income", minimum=1, unit="KZT-MW", period="month")
    found = line(requirement, income=usd(1000))
    assert found.reason == (
        "your monthly income is in USD and this amount is in multiples of Kazakhstan minimum "
        "wage (KZT-MW); no reference rate is on record to convert one into the other: give "
        "your monthly income in multiples of Kazakhstan minimum wage (KZT-MW) to compare"
    )


def test_a_conditional_criterion_in_words_asks_the_visitor_to_check_their_case():
    found = line(fact("nationality", "conditional", text="not needed by EAEU citizens"))
    assert found.outcome == UNCLEAR
    assert found.reason == (
        "it applies only in some cases, stated in words: check whether yours is one"
    )


# ---------------------------------------------------------------------------
# The verdict alone, for routes a results page counts but does not show


VERDICT_CASES = [
    ([], {"age": 30}),
    (seed_facts(), EVERYTHING),
    (seed_facts(), {**EVERYTHING, "age": 61}),
    (seed_facts(), {"age": 30, "job_offer": True}),
    (seed_facts(), {}),
    (disputed_age(), {"age": 30}),
    (disputed_age(), {"age": 61}),
    ([fact("age", minimum=21, maximum=60, standing="historical")], {"age": 19}),
    (
        [fact("age", minimum=21, standing="draft"), fact("age", maximum=60, position=2)],
        {"age": 61},
    ),
    ([fact("age", "not_stated", source=None), fact("job_offer", "not_required")], {}),
    ([fact("age", "conditional", minimum=18, maximum=60)], {"age": 61}),
    ([fact("income", minimum=1, unit="KZT-MW", period="month")], {"income": usd(1000)}),
    ([fact("income", minimum=100, unit="USD", period="year")], {"income": usd(10)}),
    ([fact("nationality", text="EAEU citizens")], EVERYTHING),
    (
        [fact("fee", "", text="Fee", minimum=1, unit="USD"), fact("job_offer", position=2)],
        {"job_offer": False},
    ),
]


@pytest.mark.parametrize(("facts", "answers"), VERDICT_CASES)
def test_the_verdict_counted_is_the_verdict_shown(facts, answers):
    """The results page counts every route from its requirements in force, read in
    any order; it shows a page of them from all their facts in page order. The
    same engine gives the same verdict either way."""
    shown = check_route(None, Profile(answers), facts)
    expected = (shown.verdict, shown.checked)
    in_force = [f for f in facts if f.is_current]
    for given in (facts, list(reversed(facts)), in_force):
        judgement = judge(requirements_of(given), Profile(answers))
        assert (judgement.verdict, judgement.checked) == expected
    distinct = list(dict.fromkeys(requirements_of(facts) + requirements_of(in_force)))
    numbered = [
        sum(1 << distinct.index(r) for r in requirements_of(given))
        for given in (facts, in_force, [])
    ]
    country = ListedCountry(1, "Kazakhstan", "kazakhstan")
    routes = [Listed(pk, "", country, "work", numbered[n]) for pk, n in enumerate((0, 1, 2, 0))]
    catalogue = Catalogue(None, routes, distinct)
    report = catalogue.report(catalogue.chosen(), Profile(answers))
    empty = check_route(None, Profile(answers), []).verdict
    verdict_of = {r.pk: verdict for verdict, listed in report.by_verdict.items() for r in listed}
    verdict, checked = expected
    assert [verdict_of[pk] for pk in range(4)] == [verdict, verdict, empty, verdict]
    if verdict == MEETS:  # routes met are ordered by how many requirements were checked
        assert report.checked_when_met == {0: checked, 1: checked, 3: checked}


def test_a_profile_compares_each_stated_value_once():
    profile = Profile({"age": 61})
    one = check_route(None, profile, [fact("age", minimum=18, maximum=60)])
    other = check_route(None, profile, [fact("age", minimum=18, maximum=60, position=3)])
    assert one.lines[0].reason == other.lines[0].reason == "you are 61"
    assert len(profile._findings) == 1
    assert check_route(None, profile, [fact("age", maximum=65)]).verdict == MEETS


# ---------------------------------------------------------------------------
# Nationality, as data: only for, not for, not needed by, and lifted for


def nationality(rule, countries, **fields):
    return fact("nationality", nationality_rule=rule, countries=countries, **fields)


@pytest.mark.parametrize(
    ("rule", "citizenships", "outcome", "reason"),
    [
        ("only", {"RU"}, MET, "you are a citizen of Russia"),
        (
            "only",
            {"DE", "KZ"},
            UNMET,
            "you are a citizen of Germany and Kazakhstan, not of a country listed",
        ),
        ("only", {"DE", "RU"}, MET, "you are a citizen of Russia"),
        ("excluded", {"DE"}, MET, "you are a citizen of Germany"),
        ("excluded", {"RU"}, UNMET, "it is not for citizens of Russia"),
        (
            "excluded",
            {"RU", "DE"},
            UNCLEAR,
            "it is not for citizens of Russia; the source does "
            "not say whether your citizenship of Germany makes you eligible",
        ),
        ("not_needed", {"DE"}, NOT_REQUIRED, "it lifts the need for other citizens only"),
    ],
)
def test_a_nationality_rule_compares_every_citizenship(rule, citizenships, outcome, reason):
    found = line(nationality(rule, "RU KG BY AM"), nationality=frozenset(citizenships))
    assert (found.outcome, found.reason) == (outcome, reason)


def test_citizens_a_source_says_need_no_such_permit_get_not_needed():
    facts = [*seed_facts(), nationality("not_needed", "RU KG BY AM", position=9)]
    result = verdict(facts, nationality=frozenset({"KG"}), age=70)
    assert result.verdict == NOT_NEEDED
    assert result.label == "Not needed for you"
    (reason,) = [line.reason for line in result.lines if line.outcome == Outcome.NOT_NEEDED]
    assert reason == "citizens of Kyrgyzstan need no such permit or visa"
    assert verdict(facts, nationality=frozenset({"DE"}), **EVERYTHING).verdict == MEETS


@pytest.mark.parametrize("rule", ["only", "excluded", "not_needed"])
def test_a_list_the_source_does_not_name_is_never_guessed(rule):
    found = line(nationality(rule, ""), nationality=frozenset({"DE"}))
    assert found.outcome == UNCLEAR
    assert found.reason == (
        "it depends on your nationality, and the source does not list the countries"
    )
    assert verdict([nationality(rule, "")], nationality=frozenset({"DE"})).verdict == TOO_LITTLE


@pytest.mark.parametrize("rule", ["only", "excluded", "not_needed"])
def test_lists_naming_the_same_of_your_citizenships_are_compared_once(rule):
    """A list matters only through which of the visitor's citizenships it names: lists
    that name the same ones share one comparison, and it is the one made afresh."""
    citizenships = frozenset({"DE", "RU"})
    shared = Profile({"nationality": citizenships})
    for countries in ["RU KG BY AM", "AM BY KG RU", "FR IT", "ES PT", "DE FR", "FR DE IT", ""]:
        kept = check_route(None, shared, [nationality(rule, countries)]).lines[0]
        fresh = Profile({"nationality": citizenships})
        made = check_route(None, fresh, [nationality(rule, countries)]).lines[0]
        assert (kept.outcome, kept.reason) == (made.outcome, made.reason)
    assert len(shared._findings) == 4  # Russia named, none named, Germany named, no list


def test_an_unanswered_nationality_is_asked():
    found = line(nationality("only", "RU"))
    assert found.outcome == ASK
    assert found.question == CHECKS["nationality"].question


def test_a_requirement_lifted_for_some_citizens():
    invitation = fact("invitation", nationality_rule="waived", countries="DE FR")
    lifted = line(invitation, nationality=frozenset({"FR"}), invitation=False)
    assert (lifted.outcome, lifted.reason) == (NOT_REQUIRED, "not asked of citizens of France")
    kept = line(invitation, nationality=frozenset({"RU"}), invitation=False)
    assert (kept.outcome, kept.reason) == (UNMET, "you said you have none")
    unknown = line(invitation, invitation=False)
    assert unknown.outcome == UNCLEAR
    assert unknown.reason == (
        "you said you have none, but it is not asked of citizens of France and Germany; "
        "check whether yours is one of them"
    )
    unlisted = fact("invitation", "conditional", nationality_rule="waived", countries="")
    found = line(unlisted, nationality=frozenset({"RU"}), invitation=False)
    assert found.outcome == UNCLEAR
    assert "not asked of citizens of some countries, which the source does not list" in (
        found.reason
    )


def test_sources_listing_and_describing_the_same_rule_do_not_disagree():
    listed = nationality("only", "AZ AM RU", source=SECONDARY)
    described = nationality("only", "", source=OFFICIAL, position=2)
    result = verdict([described, listed], nationality=frozenset({"RU"}))
    assert result.lines[0].outcome == UNCLEAR  # one source lists it, the other does not
    assert result.verdict == NOT_ENOUGH
    other = nationality("only", "KZ", source=OFFICIAL, position=2)
    assert verdict([listed, other], nationality=frozenset({"RU"})).lines[0].outcome == DISPUTED


# ---------------------------------------------------------------------------
# Education


@pytest.mark.parametrize(
    ("status", "answer", "outcome"),
    [
        ("required", "bachelor", MET),
        ("required", "doctorate", MET),
        ("required", "vocational", UNMET),
        ("conditional", "secondary", UNCLEAR),
        ("conditional", "master", MET),
        ("required", None, ASK),
    ],
)
def test_education_is_met_at_or_above_the_level_asked(status, answer, outcome):
    found = line(fact("education", status, level="bachelor"), education=answer)
    assert found.outcome == outcome
    if answer == "vocational":
        assert found.reason == "your highest education: vocational or technical training"


def test_an_exclusive_bound_is_worded_as_its_source_says_it():
    exceeding = fact("income", minimum=3000, unit="USD", period="month", exclusive=True)
    assert statement(exceeding) == "more than 3,000 USD per month"
    assert statement(fact("age", maximum=45, exclusive=True)) == "less than 45 years"
    # “More than” and “at least” are different values: two sources saying them disagree.
    assert differ(exceeding, fact("income", minimum=3000, unit="USD", period="month"))
