"""The checker's questions as a GET form, built from the registry in ``rules``.

Every answer is optional. Bad input gets a plain message next to its field
and the form comes back with the other answers kept.
"""

from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property
from urllib.parse import urlencode

from django import forms

from routes.models import Country
from routes.vocabulary import LOCAL_MONEY_UNITS, is_known_currency

from .questions import PURPOSES, QUESTIONS, AnswerKind
from .rules import Money
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

# Suggested while typing a currency; any ISO 4217 code or local unit is accepted.
CURRENCY_SUGGESTIONS = ["USD", "EUR", "GBP", "KZT", "RUB", "UZS", "AED", "CAD", "CNY", "TRY"]
CURRENCY_SUGGESTIONS += list(LOCAL_MONEY_UNITS)


# Every query parameter the form reads: the questions page reads no other.
PARAMETERS = (
    "purpose",
    "country",
    *(q.name for q in QUESTIONS),
    *(q.currency_name for q in QUESTIONS if q.kind == AnswerKind.MONEY),
)


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


def currency_field(question):
    return forms.CharField(
        label="Currency",
        required=False,
        max_length=16,
        error_messages={"max_length": "Use a currency code such as USD, EUR or KZT."},
        widget=forms.TextInput(
            attrs={
                "list": "currencies",
                "size": 8,
                "autocapitalize": "characters",
                "autocomplete": "off",
                "spellcheck": "false",
            }
        ),
    )


@dataclass
class Asked:
    """A question of the form with its bound field(s), for the template."""

    question: object
    field: object
    currency: object = None

    @property
    def yes_no(self):
        return self.question.kind == AnswerKind.YES_NO


class CheckForm(forms.Form):
    purpose = forms.ChoiceField(
        label="What do you want to do?",
        choices=[(key, purpose.label) for key, purpose in PURPOSES.items()],
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Choose one of the purposes listed."},
    )
    country = forms.ModelChoiceField(
        label="Which country are you interested in?",
        help_text="Optional. Several questions below are about this country.",
        queryset=Country.objects.with_route_counts().order_by("name"),
        to_field_name="slug",
        required=False,
        empty_label="Any country",
        error_messages={"invalid_choice": "Choose a country from the list."},
    )

    def __init__(self, data=None, **kwargs):
        if data is not None:
            # An answer left out of the address is "not answered", shown as such.
            data = data.copy()
            for question in QUESTIONS:
                if question.kind == AnswerKind.YES_NO:
                    data.setdefault(question.name, "")
            if not data.get("purpose"):
                data["purpose"] = "any"
        kwargs.setdefault("label_suffix", "")
        super().__init__(data, initial={"purpose": "any"}, **kwargs)
        for question in QUESTIONS:
            if question.kind == AnswerKind.YES_NO:
                self.fields[question.name] = yes_no_field(question)
            else:
                self.fields[question.name] = number_field(question)
            if question.kind == AnswerKind.MONEY:
                self.fields[question.currency_name] = currency_field(question)
        self.fields["country"].label_from_instance = lambda country: country.name

    def clean(self):
        cleaned = super().clean()
        for question in QUESTIONS:
            if question.kind != AnswerKind.MONEY:
                continue
            name = question.currency_name
            if name in self.errors:
                continue
            currency = cleaned.get(name, "").strip().upper()
            cleaned[name] = currency
            if currency and not is_known_currency(currency):
                self.add_error(
                    name,
                    forms.ValidationError(
                        "“%(value)s” is not a currency code we know: use a three-letter "
                        "ISO 4217 code such as USD, EUR or KZT.",
                        code="unknown_currency",
                        params={"value": currency},
                    ),
                )
            elif cleaned.get(question.name) is not None and not currency:
                self.add_error(name, "Give the currency of this amount, e.g. USD.")
        return cleaned

    # What the template and the view read ---------------------------------

    @property
    def sections(self):
        """The questions in two groups: about you, and about the chosen country."""
        asked = [
            Asked(
                q,
                self[q.name],
                self[q.currency_name] if q.kind == AnswerKind.MONEY else None,
            )
            for q in QUESTIONS
        ]
        return [
            ("About you", [a for a in asked if not a.question.about_country]),
            ("About the country", [a for a in asked if a.question.about_country]),
        ]

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

    @property
    def currencies(self):
        return CURRENCY_SUGGESTIONS

    def profile(self):
        """The answers as the rules read them (call after is_valid)."""
        answers = {}
        for question in QUESTIONS:
            value = self.cleaned_data.get(question.name)
            if value is None:
                continue
            if question.kind == AnswerKind.MONEY:
                value = Money(Decimal(value), self.cleaned_data[question.currency_name])
            answers[question.name] = value
        return Profile(answers)

    @property
    def chosen_purpose(self):
        return PURPOSES[self.cleaned_data.get("purpose") or "any"]

    @cached_property
    def answered(self):
        """(question, answer in words) for each answered question, in the form's order.

        Read after validation; the results page asks four times."""
        profile = self.profile()
        return [
            (q, q.describe(profile.answers[q.name])) for q in QUESTIONS if q.name in profile.answers
        ]

    @property
    def question_count(self):
        return len(QUESTIONS)

    @property
    def about_country_without_country(self):
        """Answers about "the country" given with no country chosen."""
        return not self.cleaned_data.get("country") and any(
            q.about_country for q, _ in self.answered
        )

    def query_string(self):
        """The answers as an address query, in a fixed order (valid forms only)."""
        data = self.cleaned_data
        pairs = []
        if data.get("purpose") not in (None, "", "any"):
            pairs.append(("purpose", data["purpose"]))
        if data.get("country"):
            pairs.append(("country", data["country"].slug))
        for question in QUESTIONS:
            value = data.get(question.name)
            if value is None:
                continue
            if question.kind == AnswerKind.YES_NO:
                pairs.append((question.name, "yes" if value else "no"))
            else:
                pairs.append((question.name, plain(value)))
                if question.kind == AnswerKind.MONEY:
                    pairs.append((question.currency_name, data[question.currency_name]))
        return urlencode(pairs)


def plain(value):
    """A number as typed: 30, 2.5, 3000 (never 3E+3)."""
    value = Decimal(value)
    if value == value.to_integral():
        return str(value.quantize(Decimal(1)))
    return f"{value.normalize():f}"
