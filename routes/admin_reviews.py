"""The review queue in the admin: changes to published routes, waiting for a publisher."""

from django.contrib import admin, messages
from django.urls import reverse
from django.utils.html import format_html

from . import reviews
from .models import Change, ReviewVerdict


class ReviewStateFilter(admin.SimpleListFilter):
    title = "review"
    parameter_name = "review"

    def lookups(self, request, model_admin):
        return [
            ("waiting", "Waiting for review"),
            ("approved", "Approved"),
            ("undone", "Undone"),
        ]

    def queryset(self, request, queryset):
        match self.value():
            case "waiting":
                return queryset.filter(review__isnull=True)
            case "approved" | "undone" as verdict:
                return queryset.filter(review__verdict=verdict)
        return queryset


def _told(modeladmin, request, outcome, what):
    if outcome.done:
        plural = "s" if outcome.done != 1 else ""
        modeladmin.message_user(request, f"{outcome.done} change{plural} {what}.", messages.SUCCESS)
    for reason in outcome.refused:
        modeladmin.message_user(request, f"Not {what}: {reason}.", messages.WARNING)


@admin.register(Change)
class ChangeAdmin(admin.ModelAdmin):
    """Read-only: a change is what the history says; a publisher approves or undoes it."""

    # What changed comes first: on a phone the last columns scroll out of sight.
    list_display = ["what_changed", "route_link", "made_by", "review_state", "when", "history_link"]
    list_display_links = None
    list_filter = [ReviewStateFilter, "route__country"]
    search_fields = ["text", "route__official_name"]
    actions = ["approve", "undo", "withdraw_approval"]
    ordering = ["when", "id"]

    def get_queryset(self, request):
        return Change.objects.reviewable().select_related(
            "route__country", "user", "review__reviewer"
        )

    def changelist_view(self, request, extra_context=None):
        context = {"title": "Changes to review", **(extra_context or {})}
        return super().changelist_view(request, context)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_publish_permission(self, request):
        return request.user.has_perm("routes.publish_route")

    @admin.display(description="Route", ordering="route__official_name")
    def route_link(self, change):
        if change.route_id is None:
            url = reverse("admin:routes_source_change", args=[change.object_id])
            return format_html("<a href='{}'>a source</a> (every route citing it)", url)
        url = reverse("admin:routes_route_change", args=[change.route_id])
        return format_html("<a href='{}'>{}</a>", url, change.route)

    @admin.display(description="What changed", ordering="text")
    def what_changed(self, change):
        return change.text

    @admin.display(description="Made by", ordering="user__username")
    def made_by(self, change):
        return change.user.get_username() if change.user else "—"

    @admin.display(description="Review")
    def review_state(self, change):
        review = getattr(change, "review", None)
        if review is None:
            return "Waiting"
        verb = "Approved" if review.verdict == ReviewVerdict.APPROVED else "Undone"
        return f"{verb} by {review.reviewer.get_username()} on {review.reviewed_at:%Y-%m-%d}"

    @admin.display(description="History")
    def history_link(self, change):
        if change.route_id is None:
            url = reverse("admin:routes_source_history", args=[change.object_id])
            return format_html("<a href='{}'>source history</a>", url)
        url = reverse("admin:routes_route_history", args=[change.route_id])
        return format_html("<a href='{}'>route history</a>", url)

    @admin.action(description="Approve the selected changes", permissions=["publish"])
    def approve(self, request, queryset):
        _told(self, request, reviews.approve(queryset, request.user), "approved")

    @admin.action(description="Undo the selected changes", permissions=["publish"])
    def undo(self, request, queryset):
        _told(self, request, reviews.undo(queryset, request.user), "undone")

    @admin.action(description="Withdraw the approval (back to waiting)", permissions=["publish"])
    def withdraw_approval(self, request, queryset):
        count = reviews.withdraw(queryset, request.user)
        plural = "s" if count != 1 else ""
        self.message_user(request, f"{count} change{plural} back in the queue.", messages.SUCCESS)
