"""The fixed vocabularies that route content is written in.

A route's facts are rows of one table (``Fact``) told apart by their topic:
an eligibility criterion (a requirement), a fee, or one of the route's own
figures (processing time, validity, ...). Everything that needs to know what
a topic means (the page, the comparison, the checker, the admin) reads it
from here.
"""

import re
from dataclasses import dataclass

import pycountry
from django.db import models


class RouteStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"


class Criterion(models.TextChoices):
    """What a route may ask of an applicant: the requirement vocabulary."""

    JOB_OFFER = "job_offer", "Job offer"
    EMPLOYER_SPONSOR = "employer_sponsor", "Employer sponsor"
    HEALTH_INSURANCE = "health_insurance", "Health insurance"
    MEDICAL_EXAM = "medical_exam", "Medical exam"
    AGE = "age", "Age range"
    INCOME = "income", "Minimum income"
    INVESTMENT = "investment", "Investment"
    FAMILY_TIE = "family_tie", "Family tie"
    ETHNIC_ORIGIN = "ethnic_origin", "Ethnic origin"
    LANGUAGE = "language", "Language knowledge"
    CLEAN_RECORD = "clean_record", "Clean criminal record"
    RESIDENCE_PERIOD = "residence_period", "Years of residence"
    NATIONALITY = "nationality", "Nationality"
    EDUCATION = "education", "Education"
    QUALIFICATION = "qualification", "Qualification or profession"
    INVITATION = "invitation", "Invitation"
    ACCOMMODATION = "accommodation", "Accommodation"


class FigureTopic(models.TextChoices):
    """Facts about the route itself rather than about the applicant."""

    PROCESSING_TIME = "processing_time", "Processing time"
    VALIDITY = "validity", "Validity"
    RENEWAL = "renewal", "Renewal"
    PERMANENT_RESIDENCE = "permanent_residence", "Path to permanent residence"
    WHERE_TO_APPLY = "where_to_apply", "Where to apply"
    RIGHTS = "rights", "Rights and limits"


FEE = "fee"


# Every topic a fact can have: the criteria, fees and the figures.
Topic = models.TextChoices(
    "Topic",
    [(c.name, (c.value, c.label)) for c in Criterion]
    + [("FEE", (FEE, "Fee"))]
    + [(f.name, (f.value, f.label)) for f in FigureTopic],
)


CRITERIA = frozenset(Criterion.values)
FIGURES = frozenset(FigureTopic.values)


class Status(models.TextChoices):
    """How a route treats a criterion, as its source states it."""

    REQUIRED = "required", "Required"
    NOT_REQUIRED = "not_required", "Not required"
    CONDITIONAL = "conditional", "Conditional"
    NOT_STATED = "not_stated", "Not stated"


class EducationLevel(models.TextChoices):
    """Highest completed education, lowest first: a requirement names the level it asks for."""

    NONE = "none", "No formal education"
    SECONDARY = "secondary", "Secondary school"
    VOCATIONAL = "vocational", "Vocational or technical training"
    BACHELOR = "bachelor", "Bachelor's degree or equivalent"
    MASTER = "master", "Master's degree"
    DOCTORATE = "doctorate", "Doctorate"


# Each level's place in the order above: a level meets any requirement at or below it.
EDUCATION_RANK = {level: rank for rank, level in enumerate(EducationLevel.values)}


class NationalityRule(models.TextChoices):
    """What a source says about the citizens of the countries it lists (``Fact.countries``).

    The first three are a route's nationality requirement; ``waived`` lifts
    another requirement (an invitation, say) for the citizens listed. A rule
    whose source names a list without its members has no countries: the
    checker then says it depends on the visitor's nationality, never more.
    """

    ONLY = "only", "Only for citizens of the countries listed"
    EXCLUDED = "excluded", "Not for citizens of the countries listed"
    NOT_NEEDED = "not_needed", "Citizens of the countries listed need no such permit or visa"
    WAIVED = "waived", "Not asked of citizens of the countries listed"


ROUTE_NATIONALITY_RULES = frozenset(
    {NationalityRule.ONLY, NationalityRule.EXCLUDED, NationalityRule.NOT_NEEDED}
)


class Pathway(models.TextChoices):
    """Whether a route leads to permanent residence."""

    YES = "yes", "Leads to permanent residence"
    NO = "no", "Does not lead directly to permanent residence"
    INDIRECT = "indirect", "Can lead to permanent residence through another route"


class Standing(models.TextChoices):
    """Whether a stated value is in force, out of date or only proposed."""

    CURRENT = "current", "Current"
    HISTORICAL = "historical", "Historical"
    DRAFT = "draft", "Draft (proposed, not in force)"


class AppliesTo(models.TextChoices):
    """Which application a document or fee belongs to."""

    BOTH = "both", "First application and extension"
    FIRST = "first", "First application"
    EXTENSION = "extension", "Extension"


class Period(models.TextChoices):
    ONCE = "", "—"
    PER_MONTH = "month", "per month"
    PER_YEAR = "year", "per year"


class SourceKind(models.TextChoices):
    OFFICIAL = "official", "Official government source"
    AGENCY = "agency", "State agency"
    SECONDARY = "secondary", "Secondary source"


SOURCE_KIND_SHORT = {"official": "Official", "agency": "State agency", "secondary": "Secondary"}

# What each kind of source is, as the About page explains it.
SOURCE_KIND_MEANING = {
    SourceKind.OFFICIAL: "A government's own site: a ministry, an embassy or consulate, an "
    "e-government portal. The standard every fact is held to; a fact from it carries no label.",
    SourceKind.AGENCY: "A state body or state-owned company that is not a ministry. Its facts "
    "are labelled “State agency”.",
    SourceKind.SECONDARY: "Anyone else: law firms, news sites, consultants, aggregators and "
    "other sites' copies of official pages. Its facts are labelled “Secondary”, so that you "
    "can weigh them.",
}

# Sites that present themselves as official-source but are not a government's:
# always secondary (a look-alike domain included). Read via them, a page is a copy.
PEER_SITES = (
    "wheretoemigrate.io",
    "nomadvisa.app",
    "visaable.pages.dev",
    "visaatlas.org",
    "publicservices.guide",
    "gridmigration.com",
    "usciss.us",
)


# Units that are not ISO 4217 currencies but in which laws state money.
# Amounts in them are shown as they are, with this explanation, and never
# converted.
LOCAL_MONEY_UNITS = {
    "KZT-MCI": (
        "MCI",
        "Kazakhstan's monthly calculation index (MCI): a unit in tenge set "
        "each year by the state budget law, in which fees, fines and "
        "benefits are fixed.",
    ),
    "KZT-MW": (
        "× Kazakhstan minimum wage",
        "Multiples of Kazakhstan's minimum monthly wage, an amount in tenge "
        "set each year by the state budget law.",
    ),
    "UZS-MW": (
        "× Uzbekistan minimum wage",
        "Multiples of Uzbekistan's minimum wage (the base amount in soums "
        "set by presidential decree), in which state fees are fixed.",
    ),
}


class TimeUnit(models.TextChoices):
    DAYS = "days", "days"
    WORKING_DAYS = "working_days", "working days"
    CALENDAR_DAYS = "calendar_days", "calendar days"
    WEEKS = "weeks", "weeks"
    MONTHS = "months", "months"
    YEARS = "years", "years"


# Rough length of each unit in calendar days, used only to sort routes by
# processing time or validity; never shown.
DAYS_PER_UNIT = {
    "days": 1,
    "working_days": 1.4,
    "calendar_days": 1,
    "weeks": 7,
    "months": 30.4,
    "years": 365.25,
}


@dataclass(frozen=True)
class Measure:
    """What numbers a topic takes: none, a time span, an age or money."""

    kind: str  # "none", "time", "age", "money"
    bounds: bool = False  # takes a lower and/or upper bound


NONE = Measure("none")
TIME = Measure("time", bounds=True)
MONEY = Measure("money", bounds=True)
AGE = Measure("age", bounds=True)

MEASURES = {
    Topic.AGE: AGE,
    Topic.INCOME: MONEY,
    Topic.INVESTMENT: MONEY,
    Topic.FEE: MONEY,
    Topic.RESIDENCE_PERIOD: TIME,
    Topic.PROCESSING_TIME: TIME,
    Topic.VALIDITY: TIME,
}


def measure_of(topic):
    return MEASURES.get(topic, NONE)


def is_known_currency(code):
    """An ISO 4217 code (USD, KZT) or one of the local units laws state money in."""
    return code in LOCAL_MONEY_UNITS or pycountry.currencies.get(alpha_3=code) is not None


def country_codes(text):
    """The ISO 3166 codes in a list such as "RU KG, BY am": upper case, in order, once each."""
    return list(dict.fromkeys(text.replace(",", " ").upper().split()))


# Where the name ISO 3166 gives is not the one English sentences use.
SHORT_NAMES = {"RU": "Russia"}


def country_name(code):
    """A country's name as English writes it: “Russia”, “South Korea” (from ISO 3166)."""
    if code in SHORT_NAMES:
        return SHORT_NAMES[code]
    country = pycountry.countries.get(alpha_2=code)
    if country is None:
        return code
    return getattr(country, "common_name", None) or country.name


# A route's summary is editorial: what the route is for, in words. Figures
# and requirements belong in facts, each with its source; a summary that
# states one repeats it without a citation (or states it alone).
SUMMARY_FACT_WORDS = re.compile(
    r"\d|\b(must|required|requires?|at least|at most|up to|minimum|maximum|only|"
    r"free of charge|costs?|valid for|within)\b",
    re.IGNORECASE,
)


def summary_facts(text):
    """The figures and requirement words a summary states: “5”, “at least”, “must”."""
    return list(dict.fromkeys(m.group(0).lower() for m in SUMMARY_FACT_WORDS.finditer(text)))


# What the marks on the pages mean, as the About page explains them: (anchor, mark, meaning).
MARKS = [
    (
        "verified",
        "Verified on a date",
        "An editor opened the source's page on that day and found the quoted words there.",
    ),
    (
        "copy",
        "As transcribed by another site",
        "The source was read through another site's copy of it, not on the original page. "
        "Its date is the copy's, and it is never called verified until an editor has read "
        "the original.",
    ),
    (
        "last-verified",
        "Last verified",
        "On a route page, the oldest verification among its sources: the page is only as "
        "fresh as its least recently checked source.",
    ),
    (
        "not-stated",
        Status.NOT_STATED.label,
        "The sources cited for the route say nothing about it. Silence is never read as a "
        "yes or a no: not on a route page, not in the eligibility checker.",
    ),
    (
        "disagree",
        "Sources disagree",
        "Two sources state different values in force. Both are shown, newest first, each "
        "with its own source; neither is chosen for you.",
    ),
    (
        "historical",
        Standing.HISTORICAL.label,
        "A value that was in force and has been replaced, shown with its year for reference only.",
    ),
    (
        "draft",
        Standing.DRAFT.label,
        "A value from a proposed rule that is not in force.",
    ),
]
