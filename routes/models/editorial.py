"""What the site keeps beside the content: changes in words and their reviews,
moved addresses, error reports, and when fixtures/ was last loaded."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from simple_history.models import HistoricalRecords

from ..vocabulary import RouteStatus


class ChangeQuerySet(models.QuerySet):
    def public(self):
        """Changes visitors may see: made while the route was published, and still is."""
        return self.filter(public=True, route__status=RouteStatus.PUBLISHED)

    def reviewable(self):
        """Changes a publisher reviews: made by a person while the route was published.

        A change to a draft goes live only when a publisher publishes the
        route, and a load's changes are the fixtures' own: neither waits here.
        """
        return self.filter(public=True, user__isnull=False)

    def waiting(self):
        """Reviewable changes nobody has reviewed yet, oldest first."""
        return self.reviewable().filter(review__isnull=True).order_by("when", "id")


class Change(models.Model):
    """One edit of a route, of a row on it or of a source, in words, from its history record.

    A source's change belongs to no one route; it is public (and waits for
    review) when a published route cites the source.
    """

    # No database constraint: deleting a route records the removal of its rows
    # while the route itself is being deleted. Changes of a deleted route stay
    # in the table (like its history) and are never shown.
    route = models.ForeignKey(
        "routes.Route",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="changes",
        help_text="Empty for a change to a source, which every route citing it shows.",
    )
    when = models.DateTimeField(db_index=True)
    text = models.TextField()
    kind = models.CharField(max_length=20)
    object_id = models.BigIntegerField()
    history_id = models.BigIntegerField()
    public = models.BooleanField(
        default=False, help_text="Made while the route was published: shown on the site."
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="made by",
        help_text="Who made the change; empty for a load of fixtures/.",
    )

    objects = ChangeQuerySet.as_manager()

    class Meta:
        ordering = ["-when", "-id"]
        verbose_name_plural = "changes to review"  # what the admin lists them for
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "history_id"], name="change_one_per_history_record"
            )
        ]
        indexes = [
            # A route page's latest changes: read from the index, however long
            # the route's history grows.
            models.Index(fields=["route", "-when", "-id"], name="change_route_newest_first"),
        ]

    def __str__(self):
        return self.text


class ReviewVerdict(models.TextChoices):
    APPROVED = "approved", "Approved"
    UNDONE = "undone", "Undone"


class Review(models.Model):
    """A publisher's look at a change already on the site: approved, or undone.

    Changes to a published route go live when they are saved, and each waits
    here for a second pair of eyes (see the README, "A second pair of eyes").
    A review is kept with its history: withdrawing one puts the change back
    in the queue, and both are in the record.
    """

    change = models.OneToOneField(Change, on_delete=models.CASCADE, related_name="review")
    verdict = models.CharField(max_length=10, choices=ReviewVerdict.choices)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField()

    history = HistoricalRecords()

    class Meta:
        ordering = ["-reviewed_at", "-id"]

    def __str__(self):
        return f"{self.get_verdict_display()} by {self.reviewer}: {self.change}"

    def clean(self):
        if self.change_id and self.reviewer_id and self.change.user_id == self.reviewer_id:
            raise ValidationError("Nobody reviews their own change: ask another publisher.")


class OldAddressQuerySet(models.QuerySet):
    def moved(self, old_path, new_path):
        """Send old_path (and whatever pointed at it) to new_path."""
        if old_path == new_path:
            return
        self.filter(new_path=old_path).update(new_path=new_path)
        self.filter(old_path=new_path).delete()
        self.update_or_create(old_path=old_path, defaults={"new_path": new_path})

    def country_moved(self, country, old_slug):
        """The hub and every route of a country whose slug changed."""
        self.moved(f"/{old_slug}/", country.get_absolute_url())
        for route in country.routes.all():
            self.moved(f"/{old_slug}/{route.slug}/", route.get_absolute_url())

    def new_address(self, path):
        """Where an old address went, or None."""
        return self.filter(old_path=path).values_list("new_path", flat=True).first()


class OldAddress(models.Model):
    """A public address that moved when a slug changed; it answers 301 to the new one."""

    old_path = models.CharField(max_length=300, unique=True)
    new_path = models.CharField(max_length=300)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = OldAddressQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "old addresses"

    def __str__(self):
        return f"{self.old_path} → {self.new_path}"


class ReportStatus(models.TextChoices):
    OPEN = "open", "Open"
    RESOLVED = "resolved", "Resolved"


class ErrorReport(models.Model):
    """A visitor's report that something on a route page is wrong."""

    route = models.ForeignKey(
        "routes.Route", on_delete=models.CASCADE, related_name="error_reports"
    )
    message = models.TextField("what is wrong", max_length=2000)
    source_url = models.URLField("source link", max_length=500, blank=True)
    email = models.EmailField(blank=True)
    status = models.CharField(
        max_length=10, choices=ReportStatus.choices, default=ReportStatus.OPEN
    )
    editor_note = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"Report on {self.route} ({self.get_status_display()})"


class FixtureLoad(models.Model):
    """One load of fixtures/ (``load_content``): what was loaded, and the content's moment after.

    While the moment content last changed is still ``moment``, nobody has
    edited anything since the load, so a new version of the fixtures may be
    loaded over it without losing an editor's work.
    """

    loaded_at = models.DateTimeField(auto_now_add=True)
    digest = models.CharField(max_length=64, help_text="SHA-256 of the fixture files loaded.")
    moment = models.BigIntegerField(help_text="The moment content last changed, after the load.")

    class Meta:
        ordering = ["-loaded_at", "-id"]
        get_latest_by = ["loaded_at", "id"]

    def __str__(self):
        return f"fixtures/ loaded {self.loaded_at:%Y-%m-%d %H:%M}"
