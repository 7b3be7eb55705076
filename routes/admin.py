"""The editors' admin: whole routes on one screen, history, verification and review."""

import datetime

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.widgets import AdminTextareaWidget
from django.core.exceptions import PermissionDenied
from django.db import models
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from simple_history.admin import SimpleHistoryAdmin

from . import admin_checks, admin_reviews  # noqa: F401 (admin_reviews registers the queue)
from .admin_forms import RouteAdminForm, SourceAdminForm
from .admin_rows import (
    DocumentInline,
    FeeInline,
    FigureInline,
    QuestionInline,
    RequirementInline,
    StepInline,
    row_links,
)
from .changelog import history_lines
from .editor_problems import problems_of
from .models import (
    Category,
    Country,
    Document,
    ErrorReport,
    Fact,
    Question,
    ReferenceRate,
    ReportStatus,
    Review,
    Route,
    Source,
    Step,
    with_latest_check,
)


def verified_label(route):
    if route.verified_oldest is None:
        return "Never"
    label = route.verified_oldest.isoformat()
    return f"{label} (some sources never)" if route.has_unverified else label


# ---------------------------------------------------------------------------
# Countries, categories, sources


@admin.register(Country)
class CountryAdmin(SimpleHistoryAdmin):
    list_display = ["name", "code", "slug", "portal_url"]
    search_fields = ["name", "code"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Category)
class CategoryAdmin(SimpleHistoryAdmin):
    list_display = ["name", "slug", "position", "grants_permit"]
    list_editable = ["position"]
    prepopulated_fields = {"slug": ["name"]}


class VerifiesSources:
    """Marking sources verified changes every citing route's "Last verified": publishers only."""

    def has_verify_permission(self, request):
        return request.user.has_perm("routes.verify_source")


@admin.action(description="Mark sources verified today", permissions=["verify"])
def mark_sources_verified(modeladmin, request, queryset):
    """Verify the selected sources (or every source of the selected routes).

    Each source is saved on its own so the change is in its history.
    """
    if queryset.model is Route:
        sources = Source.objects.filter(pk__in=cited_by(queryset))
    else:
        sources = queryset
    today = timezone.localdate()
    count = 0
    copies = []
    for source in sources:
        if source.read_via_copy:
            # Verifying means opening the original: a copy's text is not that.
            copies.append(source.title)
            continue
        source.verified_on = today
        source.save()
        count += 1
    modeladmin.message_user(
        request,
        f"{count} source{'s' if count != 1 else ''} marked verified on {today}.",
        messages.SUCCESS,
    )
    if copies:
        modeladmin.message_user(
            request,
            f"Not marked verified, read via a copy: {'; '.join(copies)}. Open the original "
            "page, check the quote there, then clear the copy's fields and verify it.",
            messages.WARNING,
        )


def cited_by(routes):
    ids = set()
    for model in (Fact, Document, Step, Question):
        ids.update(
            model.objects.filter(route__in=routes, source__isnull=False).values_list(
                "source_id", flat=True
            )
        )
    return ids


@admin.register(Source)
class SourceAdmin(VerifiesSources, SimpleHistoryAdmin):
    form = SourceAdminForm
    # The check's status comes second: on a narrow screen the last columns scroll out of sight.
    list_display = [
        "title",
        admin_checks.check_column,
        *["publisher", "kind", "verified_on", "page_date", "via_publisher"],
    ]
    list_filter = [
        "kind",
        ("verified_on", admin.EmptyFieldListFilter),
        ("via_publisher", admin.EmptyFieldListFilter),
        admin_checks.CheckStatusFilter,
    ]
    search_fields = ["title", "publisher", "url", "quote", "ref"]
    actions = [mark_sources_verified, admin_checks.check_now, admin_checks.acknowledge_latest_check]
    readonly_fields = ["latest_check"]
    fieldsets = [
        (None, {"fields": ["url", "title", "publisher", "kind", "note"]}),
        (
            "Read via a copy",
            {
                "fields": ["via_publisher", "via_url", "via_date"],
                "description": "Only when the quote was read in a copy or transcription "
                "of the page, not on the page itself.",
            },
        ),
        (
            "Dates",
            {
                "fields": ["page_date", "verified_on"],
                "description": "Set “verified on” only after opening the page yourself "
                "and finding the quote on it.",
            },
        ),
        ("Quote", {"fields": ["quote", "quote_language"]}),
        ("Latest check of the page", {"fields": ["latest_check"]}),
        ("Advanced", {"classes": ["collapse"], "fields": ["ref"]}),
    ]

    def get_queryset(self, request):
        return with_latest_check(super().get_queryset(request))

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        return fields if self.has_verify_permission(request) else [*fields, "verified_on"]

    @admin.display(description="Latest check")
    def latest_check(self, source):
        return admin_checks.latest_check_details(source)


# ---------------------------------------------------------------------------
# Routes


def reviews_of_route(route_id):
    """Every approval, undoing and withdrawn approval of this route's changes, newest first."""
    return (
        Review.history.filter(change__route_id=int(route_id))
        .select_related("history_user", "change", "reviewer")
        .order_by("-history_date", "-history_id")
    )


class VerificationAgeFilter(admin.SimpleListFilter):
    title = "verification age"
    parameter_name = "verified"

    def lookups(self, request, model_admin):
        return [
            ("recent", "Verified within 90 days"),
            ("aging", "Verified 90–180 days ago"),
            ("old", "Verified over 180 days ago"),
            ("never", "Never verified"),
        ]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        days_90, days_180 = today - datetime.timedelta(90), today - datetime.timedelta(180)
        match self.value():
            case "recent":
                return queryset.filter(verified_oldest__gte=days_90)
            case "aging":
                return queryset.filter(verified_oldest__lt=days_90, verified_oldest__gte=days_180)
            case "old":
                return queryset.filter(verified_oldest__lt=days_180)
            case "never":
                return queryset.filter(verified_oldest__isnull=True)
        return queryset


@admin.register(Route)
class RouteAdmin(VerifiesSources, SimpleHistoryAdmin):
    form = RouteAdminForm
    list_display = ["official_name", "country", "category", "status", "last_verified", "updated_at"]
    list_filter = ["status", VerificationAgeFilter, "country", "category"]
    list_select_related = ["country", "category"]
    search_fields = ["official_name", "common_name", "code", "country__name"]
    prepopulated_fields = {"slug": ["official_name"]}
    actions = [mark_sources_verified]
    object_history_template = "admin/routes/route/object_history.html"
    change_form_template = "admin/routes/route/change_form.html"
    view_on_site = False  # the page links the public page or the draft preview itself
    fieldsets = [
        (
            None,
            {
                "fields": [("country", "category", "status")],
                "description": "A draft is visible only to editors (open it with “Preview”). "
                "Publishing needs at least one source, and every row below must cite one.",
            },
        ),
        ("Names", {"fields": [("official_name", "common_name"), ("code", "slug"), "summary"]}),
    ]
    formfield_overrides = {models.TextField: {"widget": AdminTextareaWidget(attrs={"rows": 3})}}
    inlines = [
        RequirementInline,
        FeeInline,
        FigureInline,
        DocumentInline,
        StepInline,
        QuestionInline,
    ]

    class Media:
        css = {"all": ["admin/css/route-editor.css"]}
        js = ["admin/js/route-editor.js"]

    def get_queryset(self, request):
        return super().get_queryset(request).with_verification()

    def has_publish_permission(self, request):
        return request.user.has_perm("routes.publish_route")

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.is_published and not self.has_publish_permission(request):
            return False
        return super().has_delete_permission(request, obj)

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.can_publish = self.has_publish_permission(request)
        return form

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        """The route's page also says what a visitor would see wrong, and links its public page."""
        if obj is not None and obj.pk:
            links = row_links(context.get("inline_admin_formsets", ()))
            context["problems"] = problems_of(obj, links)
            context["public_url"] = obj.get_absolute_url()
        return super().render_change_form(request, context, add, change, form_url, obj)

    @admin.display(description="Last verified", ordering="verified_oldest")
    def last_verified(self, route):
        return verified_label(route)

    def get_urls(self):
        review = self.admin_site.admin_view(self.review_view)
        return [path("review/", review, name="routes_route_review"), *super().get_urls()]

    def review_view(self, request):
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        overdue = (
            Route.objects.overdue()
            .listed()
            .with_verification()
            .order_by("verified_oldest", "country__name", "official_name")
        )
        flagged, overdue = admin_checks.routes_to_recheck(overdue)
        context = {
            **self.admin_site.each_context(request),
            "title": "Routes to re-verify",
            "flagged": flagged,
            "routes": overdue,
            "review_after_days": settings.REVIEW_AFTER_DAYS,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/routes/route/review.html", context)

    def history_view(self, request, object_id, extra_context=None):
        changes = history_lines([int(object_id)]) if object_id.isdigit() else []
        for change in changes:
            change.history_url = reverse(
                f"admin:routes_{change.kind}_simple_history",
                args=[change.object_id, change.history_id],
            )
        reviews = reviews_of_route(object_id) if object_id.isdigit() else []
        context = {"row_changes": changes, "reviews": reviews, **(extra_context or {})}
        return super().history_view(request, object_id, context)

    def _create_formsets(self, request, obj, change):
        # Let each inline see the others: "publish only with a source" is a
        # rule about all of them together.
        formsets, inline_instances = super()._create_formsets(request, obj, change)
        for formset in formsets:
            formset.route_formsets = formsets
        return formsets, inline_instances


# Each row type has its own history, so a single fact can be reverted.
@admin.register(Fact)
class FactAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "route", "topic", "standing"]
    list_filter = ["topic", "standing", "route__country"]
    list_select_related = ["route", "route__country"]
    search_fields = ["text", "route__official_name"]
    autocomplete_fields = ["source", "route"]


@admin.register(Document, Step, Question)
class RowAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "route"]
    list_select_related = ["route", "route__country"]
    autocomplete_fields = ["source", "route"]
    search_fields = ["route__official_name"]


@admin.register(ReferenceRate)
class ReferenceRateAdmin(SimpleHistoryAdmin):
    """The exchange rates the checker converts visitors' amounts with, each with its source."""

    list_display = ["currency", "per_euro", "day", "source"]
    list_filter = ["day"]
    list_select_related = ["source"]
    search_fields = ["currency"]
    autocomplete_fields = ["source"]
    date_hierarchy = "day"


@admin.register(ErrorReport)
class ErrorReportAdmin(admin.ModelAdmin):
    list_display = ["created_at", "route", "status", "short_message", "email"]
    list_filter = ["status", "route__country"]
    list_select_related = ["route", "route__country"]
    search_fields = ["message", "route__official_name", "email"]
    readonly_fields = ["route", "message", "source_url", "email", "created_at"]
    fields = ["route", "message", "source_url", "email", "created_at", "status", "editor_note"]
    actions = ["mark_resolved"]

    @admin.display(description="What is wrong")
    def short_message(self, report):
        return report.message[:80]

    @admin.action(description="Mark as resolved", permissions=["change"])
    def mark_resolved(self, request, queryset):
        queryset.update(status=ReportStatus.RESOLVED)

    def has_add_permission(self, request):
        return False
