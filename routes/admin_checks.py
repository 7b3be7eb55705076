"""Source checks in the admin: the sources' "Check" column and filter, their actions,
a check's details on its source's page, and the checks' own list with their history.

A check belongs to its source: whoever may see a source sees its checks, and
whoever may change a source may check it now, acknowledge a check, or revert
an acknowledgement from the check's history.
"""

from django.contrib import admin, messages
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from simple_history.admin import SimpleHistoryAdmin

from .models import CheckOutcome, Route, SourceCheck
from .models.checks import check_status, checks_needing_attention_by_route
from .source_checks import Limits, check_sources, summary

# "Check now" runs while the editor waits: at most this many sources at once.
CHECK_NOW_AT_MOST = 20
# Shorter timeouts than a scheduled run's: the editor is waiting for the page,
# and it must come back within gunicorn's 30 s (deploy/gunicorn.conf.py).
CHECK_NOW_LIMITS = Limits(connect_timeout=5, read_timeout=10, total_timeout=12, start_within=12)
NEVER_CHECKED = "never"
NEEDS_ATTENTION = "attention"


class CheckStatusFilter(admin.SimpleListFilter):
    """Sources by their latest check (the queryset is annotated by ``with_latest_check``)."""

    title = "check"
    parameter_name = "check"

    def lookups(self, request, model_admin):
        return [
            *CheckOutcome.choices,
            (NEVER_CHECKED, "Never checked"),
            (NEEDS_ATTENTION, "Needs attention"),
        ]

    def queryset(self, request, queryset):
        match self.value():
            case None:
                return queryset
            case "never":
                return queryset.filter(check_outcome__isnull=True)
            case "attention":
                return queryset.exclude(check_outcome=CheckOutcome.OK).filter(
                    check_outcome__isnull=False, check_acknowledged_at__isnull=True
                )
            case value:
                return queryset.filter(check_outcome=value)


@admin.display(description="Check", ordering="check_outcome")
def check_column(source):
    return check_status(source.check_outcome, source.check_acknowledged_at)


def latest_check_details(source):
    """What the latest check of a source found, for its change page (one query)."""
    check = source.checks.select_related("acknowledged_by").first() if source.pk else None
    if check is None:
        return "Never checked. Choose the source in the list and use “Check now”."
    rows = [
        ("Outcome", check.status),
        ("When", f"{timezone.localtime(check.checked_at):%Y-%m-%d %H:%M %Z}"),
        ("Address", _address(check)),
        ("HTTP status", check.http_status or "no answer"),
        ("Final address", check.final_address or "—"),
        ("Redirects", format_html_join("", "{}<br>", ((hop,) for hop in check.redirect_hops))),
        ("Quote found", {True: "yes", False: "no", None: "could not tell"}[check.quote_found]),
        ("Error", check.error or "—"),
        ("Acknowledged", _acknowledged(check)),
    ]
    history = reverse("admin:routes_sourcecheck_history", args=[check.pk])
    return format_html(
        '<table class="source-check">{}</table><p><a href="{}">History of this check</a> '
        "(an acknowledgement can be reverted there)</p>",
        format_html_join("", '<tr><th scope="row">{}</th><td>{}</td></tr>', rows),
        history,
    )


def _address(check):
    if check.via_copy:
        return format_html("{} (the copy's address: the quote was read in a copy)", check.address)
    return check.address


def _acknowledged(check):
    if not check.acknowledged_at:
        return "no"
    by = check.acknowledged_by.get_username() if check.acknowledged_by else "a removed user"
    return f"by {by}, {timezone.localtime(check.acknowledged_at):%Y-%m-%d %H:%M}"


@admin.action(description="Check now", permissions=["change"])
def check_now(modeladmin, request, queryset):
    """Check the chosen sources while the editor waits (at most CHECK_NOW_AT_MOST)."""
    chosen = queryset.count()
    sources = list(queryset.order_by("pk")[:CHECK_NOW_AT_MOST])
    checks = check_sources(sources, CHECK_NOW_LIMITS)
    modeladmin.message_user(request, summary(checks), messages.SUCCESS)
    if len(checks) < len(sources):
        modeladmin.message_user(
            request,
            f"{len(sources) - len(checks)} of the chosen sources were not reached in time "
            "(their pages answered slowly): check them again, or run manage.py check_sources.",
            messages.WARNING,
        )
    if chosen > len(sources):
        modeladmin.message_user(
            request,
            f"Only the first {len(sources)} of the {chosen} chosen sources were checked: "
            "choose fewer, or run manage.py check_sources for all of them.",
            messages.WARNING,
        )


@admin.action(description="Acknowledge the latest check", permissions=["change"])
def acknowledge_latest_check(modeladmin, request, queryset):
    """Say an editor looked at each chosen source's latest check.

    Each check is saved on its own so the acknowledgement is in its history;
    the source itself is not touched. One acknowledged already keeps who
    looked first.
    """
    latest = SourceCheck.objects.latest_of(queryset.values("pk"))
    now = timezone.now()
    count = 0
    for check in latest.filter(acknowledged_at__isnull=True):
        check.acknowledged_by = request.user
        check.acknowledged_at = now
        check.save()
        count += 1
    modeladmin.message_user(
        request,
        f"Acknowledged the latest check of {count} source{'s' if count != 1 else ''}.",
        messages.SUCCESS,
    )
    never = queryset.count() - latest.count()
    if never:
        modeladmin.message_user(
            request,
            f"{never} chosen source{'s were' if never != 1 else ' was'} never checked: "
            "nothing to acknowledge.",
            messages.WARNING,
        )


def routes_to_recheck(overdue):
    """What "Routes to re-verify" lists, in a fixed number of queries.

    First the published routes citing a source whose latest check needs
    attention, each with those checks as ``check_problems``: a quote
    missing or a page gone first, then a page moved, unreachable or changed.
    Then the ``overdue`` routes not among them, in their order.
    """
    problems = checks_needing_attention_by_route()
    flagged = list(Route.objects.filter(pk__in=problems).listed().with_verification())
    for route in flagged:
        route.check_problems = problems[route.pk]
    flagged.sort(key=lambda r: (r.check_problems[0].urgency, r.country.name, r.official_name))
    return flagged, [route for route in overdue if route.pk not in problems]


@admin.register(SourceCheck)
class SourceCheckAdmin(SimpleHistoryAdmin):
    """Every check, read-only: its history is where an acknowledgement is reverted."""

    list_display = ["checked_at", "source", "outcome", "address", "via_copy", "acknowledged_at"]
    list_filter = ["outcome", "via_copy", ("acknowledged_at", admin.EmptyFieldListFilter)]
    list_select_related = ["source"]
    search_fields = ["source__title", "source__ref", "address"]
    date_hierarchy = "checked_at"
    readonly_fields = [
        "source",
        "checked_at",
        "address",
        "via_copy",
        "http_status",
        "final_address",
        "redirects",
        "error",
        "quote_found",
        "fingerprint",
        "outcome",
        "acknowledged_by",
        "acknowledged_at",
    ]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # a record of what a page said: it goes only with its source

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("routes.view_source") or self.has_change_permission(request)

    def has_change_permission(self, request, obj=None):
        return request.user.has_perm("routes.change_source")
