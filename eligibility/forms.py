"""The checker's questions as a GET form, built from the registry in ``questions``.

Two steps share one form: first the purpose, the destination and the
visitor's citizenships; then the questions some route in scope needs. Every
answer is optional. Bad input gets a plain message next to its field and the
form comes back with the other answers kept. The address of a result carries
only the answers given, in a fixed order (``query_string``).
"""

from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property
from urllib.parse import parse_qsl, urlencode

import pycountry
from django import forms

from routes.facts import unit_label
from routes.vocabulary import LOCAL_MONEY_UNITS, EducationLevel, country_name

from .questions import CHECKS, PURPOSES, QUESTIONS, AnswerKind
from .rules import Money, currency_words
from .verdicts import Profile

YES_NO_CHOICES = [("yes", "Yes"), ("no", "No"), ("", "Not answered")]
NUMBER_ERRORS = (
    "invalid",
    "min_value",
    "max_value",
    "max_digits",
    "max_decimal_places",
    "max_whole_digits",
)
MAX_CITIZENSHIPS = 3

# Every query parameter the checker's pages read; they read no other.
PARAMETERS = (
    "purpose",
    "country",
    *(q.name for q in QUESTIONS),
    *(q.currency_name for q in QUESTIONS if q.kind == AnswerKind.MONEY),
)

# Every country of ISO 3166 by the name English uses, for the citizenship boxes.
CITIZENSHIPS = sorted(
    ((c.alpha_2, country_name(c.alpha_2)) for c in pycountry.countries), key=lambda c: c[1]
)


def _names_to_codes():
    """Each way of naming a country a visitor may type or choose, folded: its code."""
    found = {}
    for country in pycountry.countries:
        code = country.alpha_2
        names = [code, country.name, country_name(code), getattr(country, "common_name", "")]
        names.append(getattr(country, "official_name", ""))
        for name in filter(None, names):
            found.setdefault(name.casefold(), code)
    return found


CITIZENSHIP_CODES = _names_to_codes()


class CitizenshipsInput(forms.Widget):
    """Up to three text boxes of the same name, each suggesting country names as one types
    (a ``datalist``: no JavaScript). The template draws them (``_citizenships.html``)."""

    def value_from_datadict(self, data, files, name):
        return [value for value in data.getlist(name) if value.strip()]

    def value_omitted_from_data(self, data, files, name):
        return name not in data


class CitizenshipsField(forms.Field):
    """One or more citizenships, typed or chosen by name (or ISO code): a frozenset of codes."""

    widget = CitizenshipsInput

    def to_python(self, value):
        codes, unknown = [], []
        for typed in value or []:
            code = CITIZENSHIP_CODES.get(" ".join(typed.split()).casefold())
            (codes if code else unknown).append(code or typed.strip())
        if unknown:
            raise forms.ValidationError(
                "We do not know the country “%(value)s”: choose it from the list of names.",
                code="unknown_country",
                params={"value": unknown[0][:80]},
            )
        if len(set(codes)) > MAX_CITIZENSHIPS:
            raise forms.ValidationError(
                f"Give at most {MAX_CITIZENSHIPS} citizenships.", code="too_many"
            )
        return frozenset(codes) or None


def yes_no_field(question):
    return forms.TypedChoiceField(
        label=question.text,
        help_text=question.help,
        choices=YES_NO_CHOICES,
        coerce=lambda value: value == "yes",
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Choose Yes, No or Not answered."},
    )


def level_field(question):
    return forms.TypedChoiceField(
        label=question.text,
        help_text=question.help,
        choices=[("", "Not answered"), *EducationLevel.choices],
        empty_value=None,
        required=False,
        error_messages={"invalid_choice": "Choose a level from the list."},
    )


def number_field(question):
    """A number within the question's limits, with one plain message for any mistake."""
    limits = f"from {question.minimum:,} to {question.maximum:,}"
    if question.decimals:
        places = "1 decimal place" if question.decimals == 1 else f"{question.decimals} decimals"
        message = f"Enter a number {limits}, in figures, with at most {places}."
        field_class = forms.DecimalField
        options = {
            "max_digits": len(str(question.maximum)) + question.decimals,
            "decimal_places": question.decimals,
        }
    else:
        message = f"Enter a whole number {limits}, in figures."
        field_class, options = forms.IntegerField, {}
    field = field_class(
        label="Amount" if question.kind == AnswerKind.MONEY else question.text,
        help_text=question.help,
        required=False,
        min_value=question.minimum,
        max_value=question.maximum,
        error_messages=dict.fromkeys(NUMBER_ERRORS, message),
        **options,
    )
    # A text box (not type=number): whatever was typed, even "abc", is shown
    # back as typed, next to its message, and the page stays valid HTML.
    field.widget = forms.TextInput(
        attrs={"inputmode": "decimal" if question.decimals else "numeric", "autocomplete": "off"}
    )
    return field


class CurrencyField(forms.ChoiceField):
    """A currency chosen from a list; a code in the address is read in any case and spacing."""

    def to_python(self, value):
        return super().to_python(value).strip().upper()


def currency_field(currencies):
    """A currency chosen from a list: those with a reference rate, and those requirements use."""
    choices = [("", "Choose")] + [
        (code, currency_words(code) if code in LOCAL_MONEY_UNITS else f"{code} · {_name(code)}")
        for code in currencies
    ]
    return CurrencyField(
        label="Currency",
        choices=choices,
        required=False,
        error_messages={"invalid_choice": "Choose a currency from the list."},
    )


def _name(code):
    currency = pycountry.currencies.get(alpha_3=code)
    return currency.name if currency else unit_label(code)


@dataclass
class Asked:
    """A question of the form with its bound field(s), for the template."""

    question: object
    field: object
    currency: object = None

    @property
    def kind(self):
        return self.question.kind


class CheckForm(forms.Form):
    """Every answer the checker takes; ``catalogue`` gives the purposes, currencies and rates."""

    purpose = forms.ChoiceField(
        label="What do you want to do?",
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Choose one of the purposes listed."},
    )
    country = forms.TypedChoiceField(
        label="Where do you want to go?",
        help_text="Optional. Questions about a country (a job offer there, family there) "
        "are asked once you choose one.",
        required=False,
        empty_value=None,
        error_messages={"invalid_choice": "Choose a country from the list."},
    )

    def __init__(self, data=None, *, catalogue, **kwargs):
        self.catalogue = catalogue
        if data is not None:
            data = data.copy()
            if not data.get("purpose"):
                data["purpose"] = "any"
        kwargs.setdefault("label_suffix", "")
        super().__init__(data, initial={"purpose": "any"}, **kwargs)
        countries = {country.slug: country for country in catalogue.countries()}
        self.fields["country"].choices = [("", "Any country")] + [
            (slug, country.name) for slug, country in countries.items()
        ]
        self.fields["country"].coerce = countries.get
        self.fields["purpose"].choices = [
            (key, purpose.label)
            for key, purpose in PURPOSES.items()
            if not purpose.categories or catalogue.categories.intersection(purpose.categories)
        ]
        currencies = catalogue.currencies()
        for question in QUESTIONS:
            match question.kind:
                case AnswerKind.YES_NO:
                    field = yes_no_field(question)
                case AnswerKind.COUNTRIES:
                    field = CitizenshipsField(
                        label=question.text, help_text=question.help, required=False
                    )
                case AnswerKind.LEVEL:
                    field = level_field(question)
                case _:
                    field = number_field(question)
            self.fields[question.name] = field
            if question.kind == AnswerKind.MONEY:
                self.fields[question.currency_name] = currency_field(currencies)

    def clean(self):
        cleaned = super().clean()
        for question in QUESTIONS:
            if not self.asks(question):  # about a country, with none chosen: not asked
                for name in (question.name, question.currency_name):
                    self.errors.pop(name, None)
                    cleaned.pop(name, None)
        for question in QUESTIONS:
            if question.kind != AnswerKind.MONEY:
                continue
            name = question.currency_name
            answered = cleaned.get(question.name) is not None
            if answered and name not in self.errors and not cleaned.get(name):
                self.add_error(name, "Choose the currency of this amount.")
        return cleaned

    # What the templates and the views read ---------------------------------

    @property
    def chosen_purpose(self):
        return PURPOSES[self.cleaned_data.get("purpose") or "any"]

    @property
    def destination(self):
        return self.cleaned_data.get("country")

    def asks(self, question):
        """Whether an answer to ``question`` counts: one about a country needs a destination."""
        return not question.about_country or self.destination is not None

    def asked(self, question):
        return Asked(
            question,
            self[question.name],
            self[question.currency_name] if question.kind == AnswerKind.MONEY else None,
        )

    def sections(self, criteria):
        """The questions some route in scope needs (their criteria), and any whose answer
        needs a fix, grouped: about the visitor, then about the destination. The first
        step's questions are not among them."""
        needed = [
            c.question
            for c in CHECKS.values()
            if c.question
            and not c.question.first
            and (c.criterion in criteria or self._has_errors(c.question))
        ]
        about_you = [self.asked(q) for q in needed if not q.about_country]
        about_there = [self.asked(q) for q in needed if q.about_country and self.asks(q)]
        where = self.destination.in_sentence if self.destination else "the destination"
        return [
            (title, asked)
            for title, asked in (("About you", about_you), (f"About {where}", about_there))
            if asked
        ]

    def _has_errors(self, question):
        return self.is_bound and (
            question.name in self.errors or question.currency_name in self.errors
        )

    def carried(self, shown):
        """The answers given to questions not in ``shown`` (names): hidden fields of a step,
        so that none is lost on the way. Valid forms only."""
        pairs = parse_qsl(self.query_string())
        return [
            (name, value) for name, value in pairs if name.removesuffix("_currency") not in shown
        ]

    @property
    def citizenship_choices(self):
        return CITIZENSHIPS

    @property
    def first_questions(self):
        """The questions asked with the purpose and the destination (citizenships)."""
        return [self.asked(q) for q in QUESTIONS if q.first]

    @property
    def citizenship_names(self):
        """The citizenships as typed or chosen, for the boxes: names, blanks up to three."""
        bound = self["nationality"]
        value = bound.value() or []
        if self.is_bound and not bound.errors and self.cleaned_data.get("nationality"):
            value = [country_name(code) for code in sorted(self.cleaned_data["nationality"])]
        return (list(value) + [""] * MAX_CITIZENSHIPS)[:MAX_CITIZENSHIPS]

    @property
    def error_summary(self):
        """(anchor, question, first message) for each field in error, in form order."""
        questions = {q.name: q.text for q in QUESTIONS}
        questions |= {q.currency_name: f"{q.text} (currency)" for q in QUESTIONS}
        items = []
        for bound in self:
            if bound.errors:
                radio = isinstance(bound.field.widget, forms.RadioSelect)
                anchor = f"{bound.auto_id}_0" if radio else bound.auto_id
                items.append((anchor, questions.get(bound.name, bound.label), bound.errors[0]))
        return items

    def profile(self):
        """The answers as the rules read them (call after is_valid)."""
        answers = {}
        for question in QUESTIONS:
            value = self.cleaned_data.get(question.name)
            if value is None or not self.asks(question):
                continue
            if question.kind == AnswerKind.MONEY:
                currency = self.cleaned_data[question.currency_name]
                value = Money(Decimal(value), currency, self.catalogue.rates)
            answers[question.name] = value
        return Profile(answers)

    @cached_property
    def answered(self):
        """(question, answer in words) for each answer that counts, in the form's order.

        Read after validation; the results page asks several times."""
        profile = self.profile()
        return [
            (q, q.describe(profile.answers[q.name])) for q in QUESTIONS if q.name in profile.answers
        ]

    def query_string(self, *, without=()):
        """The good answers that count, as an address query in a fixed order."""
        data = self.cleaned_data
        pairs = []
        if data.get("purpose") not in (None, "", "any"):
            pairs.append(("purpose", data["purpose"]))
        if data.get("country"):
            pairs.append(("country", data["country"].slug))
        for question in QUESTIONS:
            value = data.get(question.name)
            if value is None or not self.asks(question) or question.name in without:
                continue
            match question.kind:
                case AnswerKind.YES_NO:
                    pairs.append((question.name, "yes" if value else "no"))
                case AnswerKind.COUNTRIES:
                    pairs += [(question.name, code) for code in sorted(value)]
                case AnswerKind.LEVEL:
                    pairs.append((question.name, value))
                case AnswerKind.MONEY:
                    if currency := data.get(question.currency_name):
                        pairs += [(question.name, plain(value)), (question.currency_name, currency)]
                case _:
                    pairs.append((question.name, plain(value)))
        return urlencode(pairs)


def plain(value):
    """A number as typed: 30, 2.5, 3000 (never 3E+3)."""
    value = Decimal(value)
    if value == value.to_integral():
        return str(value.quantize(Decimal(1)))
    return f"{value.normalize():f}"
