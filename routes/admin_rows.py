"""The rows of a route in its admin page: requirements, fees, figures, documents, steps and
questions, each as compact as its kind allows, and the rules they keep together.

A fact's row shows only the fields its topic takes (``fields_taken_by``, from
the vocabulary's measure of each topic); its long words and what is rarely
changed are folded until opened. Every row's source is read with the row.
"""

import json

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AdminTextareaWidget, AutocompleteSelect
from django.core.exceptions import ValidationError
from django.db import models
from django.forms.models import BaseInlineFormSet

from .models import Document, Fee, Figure, Question, Requirement, RouteStatus, Step
from .vocabulary import CRITERIA, Criterion, FigureTopic, Topic, measure_of


class CitingFormSet(BaseInlineFormSet):
    """On a published route every row must cite its source, and one at least must."""

    route_formsets = ()

    def clean(self):
        super().clean()
        if self.instance.status != RouteStatus.PUBLISHED:
            return
        for form in self.kept_forms():
            data = form.cleaned_data
            if not data.get("source") and data.get("status") != "not_stated":
                form.add_error(
                    "source", "A published route must cite the source of every row: pick one."
                )
        citing = [f for f in self.route_formsets if isinstance(f, CitingFormSet)]
        if citing and citing[0] is self and not any(f.cites_a_source() for f in citing):
            raise ValidationError(
                "A route cannot be published without at least one source: cite one on a "
                "requirement, fee, figure, document or question, or set the status to Draft."
            )

    def kept_forms(self):
        for form in self.forms:
            data = getattr(form, "cleaned_data", None)
            if data and not data.get("DELETE"):
                yield form

    def cites_a_source(self):
        self.is_valid()  # validates a sibling not cleaned yet; a no-op otherwise
        return any(form.cleaned_data.get("source") for form in self.kept_forms())


class CitedSourceSelect(AutocompleteSelect):
    """The source autocomplete, naming a row's source from the row as it was read.

    Admin's own widget reads the chosen source with a query of its own, one per
    row; a route's rows are read with their sources (``ChildInline.get_queryset``),
    so the page's queries stay the same however many rows a route has.
    """

    cited = None  # the row's source, set by RowForm

    def optgroups(self, name, value, attr=None):
        chosen = [str(v) for v in value if v not in (None, "")]
        if self.cited is None or chosen != [str(self.cited.pk)]:
            return super().optgroups(name, value, attr)
        options = [] if self.is_required else [self.create_option(name, "", "", False, 0)]
        options.append(self.create_option(name, self.cited.pk, str(self.cited), True, len(options)))
        return [(None, options, 0)]


class RowForm(forms.ModelForm):
    """A row of a route, whose chosen source the autocomplete names without a query."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("source")
        widget = getattr(field, "widget", None)
        select = getattr(widget, "widget", widget)  # inside admin's add/change links
        if isinstance(select, CitedSourceSelect) and self.instance.source_id:
            select.cited = self.instance.source


# The fields of a fact that only some topics take.
TOPIC_FIELDS = (
    "status",
    "pathway",
    "minimum",
    "maximum",
    "exclusive",
    "unit",
    "period",
    "level",
    "nationality_rule",
    "countries",
)


def fields_taken_by(topic):
    """The fields of ``TOPIC_FIELDS`` a fact of this topic takes, as ``Fact.clean`` reads them:
    no bounds for a yes/no criterion, a unit only for money and time, a period for money."""
    measure = measure_of(topic)
    taken = set()
    if topic in CRITERIA:
        # Any requirement may be lifted for the citizens of some countries (“waived”).
        taken |= {"status", "nationality_rule", "countries"}
    if measure.bounds:
        taken |= {"minimum", "maximum", "exclusive"}
    if measure.kind in ("money", "time"):
        taken.add("unit")
    if measure.kind == "money":
        taken.add("period")
    if topic == Topic.EDUCATION:
        taken.add("level")
    if topic == Topic.PERMANENT_RESIDENCE:
        taken.add("pathway")
    return taken


def holds_value(value):
    """Whether a field's value says something (a bound of 0 does; an empty field does not)."""
    return value is not None and value != "" and value is not False


class FactRowForm(RowForm):
    """A fact's row, showing only the fields its topic takes.

    The others stay in the form, marked ``data-unused`` for the stylesheet to
    hide, so that nothing stored in them is lost and the editor's script can
    show them again when the topic changes. One that holds a value shows all
    the same: a stray value is seen, and cleared, rather than kept unseen.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        topic = self.fields.get("topic")
        if topic is None:
            return
        topic.widget.attrs["data-topic-fields"] = topic_fields_json(topic.choices)
        # A new row's select shows the first topic until one is chosen.
        taken = fields_taken_by(self["topic"].value() or topic.choices[0][0])
        for name in TOPIC_FIELDS:
            if name in self.fields and name not in taken and not holds_value(self[name].value()):
                self.fields[name].widget.attrs["data-unused"] = ""


def topic_fields_json(choices):
    """What the editor's script needs to follow a change of topic, as JSON."""
    taken = {value: sorted(fields_taken_by(value)) for value, _ in choices}
    return json.dumps({"fields": TOPIC_FIELDS, "topics": taken})


def folded(fields, name="More: wording, standing, date, order"):
    """A fieldset of a row folded until opened: its long words and what is rarely changed.

    One field a line: the admin shows a fold open when a field of it is in
    error, and finds its fields by their names only.
    """
    return (name, {"classes": ["collapse"], "fields": fields})


class ChildInline(admin.StackedInline):
    """A route's rows, read with their sources, in small text boxes."""

    extra = 0
    autocomplete_fields = ["source"]
    formset = CitingFormSet
    form = RowForm
    formfield_overrides = {models.TextField: {"widget": AdminTextareaWidget(attrs={"rows": 2})}}

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("source")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "source":
            kwargs["widget"] = CitedSourceSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "source" and hasattr(formfield.widget, "can_delete_related"):
            # A cited source cannot be deleted (it is protected): no link to try it.
            formfield.widget.can_delete_related = False
        return formfield


class RequirementInline(ChildInline):
    model = Requirement
    form = FactRowForm
    verbose_name = "requirement"
    verbose_name_plural = "Who is eligible (requirements)"
    fieldsets = [
        (
            None,
            {
                "fields": [
                    ("topic", "status", "source"),
                    (
                        "minimum",
                        "maximum",
                        "unit",
                        "period",
                        "exclusive",
                        "level",
                        "nationality_rule",
                        "countries",
                    ),
                ]
            },
        ),
        folded(["text", "standing", "as_of", "as_of_year_only", "position"]),
    ]

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        if db_field.name == "topic":
            kwargs["choices"] = Criterion.choices
        return super().formfield_for_choice_field(db_field, request, **kwargs)


class FeeInline(ChildInline):
    model = Fee
    verbose_name = "fee"
    verbose_name_plural = "Costs (fees)"
    fieldsets = [
        (
            None,
            {
                "fields": [
                    ("text", "source"),
                    ("minimum", "maximum", "unit", "period", "applies_to"),
                ]
            },
        ),
        folded(["standing", "as_of", "as_of_year_only", "position"]),
    ]


class FigureInline(ChildInline):
    model = Figure
    form = FactRowForm
    verbose_name = "figure"
    verbose_name_plural = "Duration, renewal, processing time and where to apply"
    fieldsets = [
        (None, {"fields": [("topic", "pathway", "source"), ("minimum", "maximum", "unit")]}),
        folded(["text", "url", "standing", "as_of", "as_of_year_only", "position"]),
    ]

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        if db_field.name == "topic":
            kwargs["choices"] = FigureTopic.choices
        return super().formfield_for_choice_field(db_field, request, **kwargs)


class DocumentInline(ChildInline, admin.TabularInline):
    model = Document
    template = "admin/edit_inline/tabular.html"
    fields = ["position", "name", "applies_to", "source"]


class StepInline(ChildInline, admin.TabularInline):
    model = Step
    template = "admin/edit_inline/tabular.html"
    fields = ["position", "text", "url", "source"]
    formset = BaseInlineFormSet  # a plain instruction needs no source
    # A plain box: admin's own repeats the address above it, too wide for a table's cell.
    formfield_overrides = {
        **ChildInline.formfield_overrides,
        models.URLField: {"widget": forms.URLInput(attrs={"class": "vURLField"})},
    }


class QuestionInline(ChildInline):
    model = Question
    fieldsets = [
        (None, {"fields": [("question", "source")]}),
        folded(["answer", "position"], "Answer and order"),
    ]
    formfield_overrides = {models.TextField: {"widget": AdminTextareaWidget(attrs={"rows": 5})}}


def row_links(inline_admin_formsets):
    """Where each saved row's form is on the route's page: {(model, pk): "#facts-0"}.

    The admin's inline templates give a row's form the id ``<prefix>-<index>``.
    """
    links = {}
    for inline in inline_admin_formsets:
        formset = inline.formset
        for index, form in enumerate(formset.initial_forms):
            row = form.instance
            links[row._meta.concrete_model, row.pk] = f"#{formset.prefix}-{index}"
    return links
