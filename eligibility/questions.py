"""What the checker asks, and what it knows about each criterion.

Everything the checker knows about a criterion sits in one entry of
``CHECKS``: the question it asks (which is also the form field and the query
string key), the rule that compares the answer with a requirement
(``rules``), and the rule in plain words for the page "How the checker
decides". Adding a criterion to ``routes.vocabulary.Criterion`` means adding
one entry here. ``PURPOSES`` maps the checker's first question to the route
categories it covers.
"""

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from functools import cached_property

from routes.facts import number
from routes.vocabulary import Criterion, EducationLevel

from . import rules
from .rules import Money

# What the visitor wants: purposes and the route categories they cover.
#
# The one map from the checker's first question to category slugs. A slug
# with no category yet (study) matches nothing until editors add one.


@dataclass(frozen=True)
class Purpose:
    label: str
    categories: tuple = ()  # empty: every category


PURPOSES = {
    "any": Purpose("Any purpose: show every route"),
    "work": Purpose("Work for an employer", ("employer-sponsored-work",)),
    "remote": Purpose("Work remotely for an employer or clients abroad", ("remote-work",)),
    "family": Purpose("Join family", ("family",)),
    "investment": Purpose("Invest or start a business", ("investment",)),
    "study": Purpose("Study", ("study",)),
    "retire": Purpose("Retire, or live on a pension or your own means", ("retirement",)),
    "settle": Purpose(
        "Settle for good: residence, return of ethnic compatriots, citizenship",
        ("residence-permits", "ethnic-return", "citizenship"),
    ),
    "visit": Purpose("Visit on business", ("business-visits",)),
}


class AnswerKind(StrEnum):
    YES_NO = "yes_no"
    NUMBER = "number"
    MONEY = "money"
    COUNTRIES = "countries"  # one or more citizenships, as ISO 3166 codes
    LEVEL = "level"  # an education level


@dataclass(frozen=True)
class FormQuestion:
    """One question of the checker's form; its name is the form field and query key."""

    name: str
    text: str
    kind: AnswerKind = AnswerKind.YES_NO
    help: str = ""
    minimum: int = 0
    maximum: int = 0
    decimals: int = 0  # numbers: how many decimal places an answer may have
    about_country: bool = False  # the answer is about the country of the route
    first: bool = False  # asked with the purpose and destination, before the others

    @property
    def answer_kind(self):
        return {
            AnswerKind.YES_NO: "yes or no",
            AnswerKind.NUMBER: "a number",
            AnswerKind.MONEY: "an amount and its currency",
            AnswerKind.COUNTRIES: "one or more countries",
            AnswerKind.LEVEL: "a level of education",
        }[self.kind]

    @property
    def currency_name(self):
        return f"{self.name}_currency"

    def describe(self, answer):
        """The answer in words, for the summary of answers."""
        if self.kind == AnswerKind.YES_NO:
            return "Yes" if answer else "No"
        if self.kind == AnswerKind.COUNTRIES:
            return rules.listed(answer)
        if self.kind == AnswerKind.LEVEL:
            return EducationLevel(answer).label
        if isinstance(answer, Money):
            return str(answer)
        return number(answer)


# ---------------------------------------------------------------------------
# The registry: each criterion's question, rule and rule in plain words.


@dataclass(frozen=True)
class Check:
    criterion: str
    question: FormQuestion | None  # None: the checker asks nothing, the visitor reads the source
    rule: Callable
    explains: str
    compares: Callable = rules.always  # whether a stated value holds what an answer meets

    @cached_property
    def label(self):
        return Criterion(self.criterion).label


def _yes_no(name, text, help="", *, about_country=False):
    return FormQuestion(name, text, AnswerKind.YES_NO, help=help, about_country=about_country)


CHECKS = {
    c.criterion: c
    for c in [
        Check(
            Criterion.NATIONALITY,
            FormQuestion(
                "nationality",
                "Which citizenships do you hold?",
                AnswerKind.COUNTRIES,
                help="Type a country's name and choose it. A second or third citizenship "
                "counts too.",
                first=True,
            ),
            rules.nationality,
            "Met if you are a citizen of a country the route is only for, or of none it "
            "is not for. A route the source says citizens of your country do not need is "
            "“not needed for you”. Where the source speaks of a list of countries without "
            "naming them, the checker says it depends on your nationality and counts it "
            "neither way; a rule given only in words is shown for you to check.",
            compares=rules.states_countries,
        ),
        Check(
            Criterion.AGE,
            FormQuestion(
                "age",
                "How old are you?",
                AnswerKind.NUMBER,
                help="In whole years.",
                minimum=0,
                maximum=120,
            ),
            rules.age,
            "Met if your age is within the route's range, both ends included: 18 and 60 "
            "meet “18–60”, 61 does not.",
            compares=rules.states_bounds,
        ),
        Check(
            Criterion.INCOME,
            FormQuestion(
                "income",
                "What is your monthly income?",
                AnswerKind.MONEY,
                help="Before tax, per month, with its currency.",
                minimum=0,
                maximum=10**12,
                decimals=2,
            ),
            rules.income,
            "Met if your monthly income reaches the amount; an amount per year is compared "
            "with 12 times your monthly income. In another currency, your income is "
            "converted at the euro reference rates on record, with their date and source; "
            "within 5% of the amount after conversion it is too close to call. Without a "
            "rate on record (local units such as the MCI have none), the checker asks for "
            "your income in the requirement's own currency.",
            compares=rules.states_bounds,
        ),
        Check(
            Criterion.INVESTMENT,
            FormQuestion(
                "investment",
                "How much could you invest?",
                AnswerKind.MONEY,
                help="A one-off sum, with its currency.",
                minimum=0,
                maximum=10**12,
                decimals=2,
            ),
            rules.investment,
            "Met if the sum you could invest reaches the amount. In another currency it is "
            "converted at the euro reference rates on record, with their date and source; "
            "within 5% of the amount after conversion it is too close to call. Without a "
            "rate on record, the checker asks for the sum in the requirement's own currency.",
            compares=rules.states_bounds,
        ),
        Check(
            Criterion.MEDICAL_EXAM,
            _yes_no(
                "medical_exam",
                "Can you pass a medical exam (a health certificate from a clinic)?",
            ),
            rules.medical_exam,
            "Met if you can pass a medical exam; not met if you cannot.",
        ),
        Check(
            Criterion.CLEAN_RECORD,
            _yes_no(
                "clean_record",
                "Is your criminal record clean (no convictions)?",
            ),
            rules.clean_record,
            "Met if your record is clean; not met if you have a conviction.",
        ),
        Check(
            Criterion.EDUCATION,
            FormQuestion(
                "education",
                "What is the highest education you have completed?",
                AnswerKind.LEVEL,
            ),
            rules.education,
            "Met if your highest completed education is at or above the level the route "
            "asks for (secondary school, vocational training, bachelor's degree or "
            "equivalent, master's, doctorate, in that order). Whether a foreign degree is "
            "recognised as equivalent is for the authority to decide: the route's source says how.",
            compares=rules.states_level,
        ),
        Check(
            Criterion.JOB_OFFER,
            _yes_no(
                "job_offer",
                "Do you have a job offer from an employer in the country?",
                about_country=True,
            ),
            rules.job_offer,
            "Met if you have a job offer; not met if you have none.",
        ),
        Check(
            Criterion.EMPLOYER_SPONSOR,
            _yes_no(
                "employer_sponsor",
                "Is that employer willing to sponsor you (apply for your permit)?",
                about_country=True,
            ),
            rules.employer_sponsor,
            "Met if an employer will sponsor you; not met if none will.",
        ),
        Check(
            Criterion.HEALTH_INSURANCE,
            _yes_no(
                "health_insurance",
                "Do you have health insurance valid in the country?",
                about_country=True,
            ),
            rules.health_insurance,
            "Met if you have health insurance; not met if you have none.",
        ),
        Check(
            Criterion.FAMILY_TIE,
            _yes_no(
                "family_tie",
                "Is your spouse or a parent a citizen or permanent resident of the country?",
                about_country=True,
            ),
            rules.family_tie,
            "Met if you have such a family tie; not met if you have none.",
        ),
        Check(
            Criterion.ETHNIC_ORIGIN,
            _yes_no(
                "ethnic_origin",
                "Are you of the country's ethnic origin (for example, an ethnic Kazakh "
                "for Kazakhstan)?",
                about_country=True,
            ),
            rules.ethnic_origin,
            "Met if you are of the ethnic origin the route asks for; not met if you are not.",
        ),
        Check(
            Criterion.LANGUAGE,
            _yes_no(
                "language",
                "Do you know the country's language well enough to pass a test?",
                about_country=True,
            ),
            rules.language,
            "Met if you know the language the route asks for; not met if you do not. The "
            "level a route asks for is shown with its source.",
        ),
        Check(
            Criterion.RESIDENCE_PERIOD,
            FormQuestion(
                "residence_period",
                "How many years have you already lived in the country?",
                AnswerKind.NUMBER,
                help="0 if none; halves are fine, e.g. 2.5.",
                minimum=0,
                maximum=120,
                decimals=1,
                about_country=True,
            ),
            rules.residence_period,
            "Met if the years you have lived in the country reach the period, both ends "
            "included; periods in months are compared as twelfths of a year.",
            compares=rules.states_bounds,
        ),
        Check(
            Criterion.INVITATION,
            _yes_no(
                "invitation",
                "Do you have an invitation from a person or organisation in the country?",
                about_country=True,
            ),
            rules.invitation,
            "Met if you have an invitation; not met if you have none.",
        ),
        Check(
            Criterion.ACCOMMODATION,
            _yes_no(
                "accommodation",
                "Do you have somewhere to live in the country (a lease, a home or a host)?",
                about_country=True,
            ),
            rules.accommodation,
            "Met if you have somewhere to live; not met if you have not.",
        ),
        Check(
            Criterion.QUALIFICATION,
            None,
            rules.in_words,
            "Not asked: the sources name the qualification or profession in words, so each "
            "result shows it with its source for you to check. Never counted as met.",
        ),
    ]
}

QUESTIONS = [c.question for c in CHECKS.values() if c.question]
