from django.contrib import admin

from .models import (
    Category,
    Country,
    Document,
    Fee,
    Figure,
    Question,
    Requirement,
    Route,
    Source,
    Step,
)
from .vocabulary import Criterion, FigureTopic


@admin.register(Country)
class CountryAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "slug"]
    search_fields = ["name", "code"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "position"]
    list_editable = ["position"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ["title", "publisher", "kind", "page_date", "verified_on"]
    list_filter = ["kind"]
    search_fields = ["title", "publisher", "url", "quote"]
    fieldsets = [
        (None, {"fields": ["url", "title", "publisher", "kind", "note"]}),
        ("Dates", {"fields": ["page_date", "verified_on"]}),
        ("Quote", {"fields": ["quote", "quote_language"]}),
        ("Advanced", {"classes": ["collapse"], "fields": ["ref"]}),
    ]


class ChildInline(admin.StackedInline):
    extra = 0
    autocomplete_fields = ["source"]
    show_change_link = False


class RequirementInline(ChildInline):
    model = Requirement
    verbose_name = "requirement"
    verbose_name_plural = "who is eligible (requirements)"
    fields = [
        ("position", "topic", "status"),
        ("minimum", "maximum", "unit", "period"),
        "text",
        ("source", "standing", "as_of"),
    ]

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        if db_field.name == "topic":
            kwargs["choices"] = Criterion.choices
        return super().formfield_for_choice_field(db_field, request, **kwargs)


class FeeInline(ChildInline):
    model = Fee
    verbose_name = "fee"
    verbose_name_plural = "costs (fees)"
    fields = [
        ("position", "text"),
        ("minimum", "maximum", "unit", "period"),
        ("applies_to", "source", "standing", "as_of"),
    ]


class FigureInline(ChildInline):
    model = Figure
    verbose_name = "figure"
    verbose_name_plural = "duration, renewal, processing and where to apply"
    fields = [
        ("position", "topic", "pathway"),
        ("minimum", "maximum", "unit"),
        ("text", "url"),
        ("source", "standing", "as_of"),
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


class QuestionInline(ChildInline):
    model = Question
    fields = [("position", "question"), "answer", "source"]


@admin.register(Route)
class RouteAdmin(admin.ModelAdmin):
    list_display = ["official_name", "country", "category", "code", "status", "updated_at"]
    list_filter = ["status", "country", "category"]
    list_select_related = ["country", "category"]
    search_fields = ["official_name", "common_name", "code", "country__name"]
    prepopulated_fields = {"slug": ["official_name"]}
    fieldsets = [
        (None, {"fields": ["country", "category", "status"]}),
        ("Names", {"fields": ["official_name", "common_name", "code", "slug", "summary"]}),
    ]
    inlines = [
        RequirementInline,
        FeeInline,
        FigureInline,
        DocumentInline,
        StepInline,
        QuestionInline,
    ]
