"""The admin's route and source forms: what an editor without a publisher's rights may not do."""

from django import forms
from django.core.exceptions import ValidationError

from .models import Route, RouteStatus, Source


class RouteAdminForm(forms.ModelForm):
    """Only a publisher may publish a route or change a published route's status."""

    can_publish = True  # set per request by the admin

    class Meta:
        model = Route
        fields = ["status"]  # the admin's fieldsets name the rest

    def clean_status(self):
        status = self.cleaned_data["status"]
        # The stored status, not the form's instance: a reverted history
        # version carries the status it had then.
        stored = Route.objects.filter(pk=self.instance.pk).values_list("status", flat=True)
        was = stored.first() or RouteStatus.DRAFT
        if not self.can_publish and status != was and RouteStatus.PUBLISHED in (status, was):
            raise ValidationError(
                "Only a publisher can publish a route or take it off the site: save it as "
                "Draft and ask a publisher."
                if status == RouteStatus.PUBLISHED
                else "Only a publisher can take a published route off the site."
            )
        return status


class SourceAdminForm(forms.ModelForm):
    """Without the right to verify, a source's "verified on" stays as it is."""

    class Meta:
        model = Source
        fields = ["verified_on", "via_publisher"]  # the admin's fieldsets name the rest

    def clean(self):
        cleaned = super().clean()
        if "verified_on" in self.fields or self.instance.pk is None:
            return cleaned
        stored = Source.objects.filter(pk=self.instance.pk).values_list("verified_on", flat=True)
        verified_on = stored.first()
        if self.instance.verified_on != verified_on:
            raise ValidationError("Only a publisher can change the day a source was verified.")
        if verified_on and cleaned.get("via_publisher"):
            self.add_error(
                "via_publisher",
                "This source is marked verified, and a page read via a copy cannot be: "
                "ask a publisher to record the copy.",
            )
        return cleaned
