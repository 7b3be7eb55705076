"""A second pair of eyes: publishers review the changes editors made to published routes.

A change to a published route goes live when it is saved (the README says
why), and waits in the review queue (``Change.objects.waiting()``) until a
publisher approves it or undoes it. Nobody approves their own change.
Undoing restores the row as it was before the change, through the model's
own save or delete, so the undoing is itself a change in the history and on
the public list of changes, made by the publisher who undid it.
"""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from .changelog import TRACKED
from .models import Review, ReviewVerdict, Source

MODELS = {model._meta.model_name: model for model, _, _ in TRACKED} | {"source": Source}


@dataclass
class ReviewOutcome:
    """What a review did: how many changes it settled, and why it left the others."""

    done: int = 0
    refused: list[str] = field(default_factory=list)


def approve(changes, reviewer):
    """Approve each change not yet reviewed, except the reviewer's own."""
    outcome = ReviewOutcome()
    for change in changes.filter(review__isnull=True):
        if change.user_id == reviewer.pk:
            outcome.refused.append(
                f"“{change.text}”: your own change; another publisher approves it"
            )
            continue
        _reviewed(change, ReviewVerdict.APPROVED, reviewer)
        outcome.done += 1
    return outcome


def undo(changes, reviewer):
    """Undo each change not yet reviewed, where it is still the row's latest."""
    outcome = ReviewOutcome()
    for change in changes.filter(review__isnull=True).order_by("-history_id"):
        try:
            with transaction.atomic():
                _undo(change, reviewer)
                _reviewed(change, ReviewVerdict.UNDONE, reviewer)
        except (ValidationError, IntegrityError) as error:
            reason = "; ".join(getattr(error, "messages", [str(error)]))
            outcome.refused.append(f"“{change.text}”: {reason}")
        else:
            outcome.done += 1
    return outcome


def withdraw(changes, user):
    """Put approved changes back in the queue (the approval stays in the review's history)."""
    reviews = Review.objects.filter(change__in=changes, verdict=ReviewVerdict.APPROVED)
    count = 0
    for review in reviews:
        review._history_user = user
        review.delete()
        count += 1
    return count


def _reviewed(change, verdict, reviewer):
    review = Review(change=change, verdict=verdict, reviewer=reviewer)
    review.reviewed_at = timezone.now()
    review._history_user = reviewer
    review.save()


def _undo(change, reviewer):
    """Restore the row this change touched to the version before it."""
    model = MODELS[change.kind]
    record = model.history.get(history_id=change.history_id)
    later = model.history.filter(id=change.object_id, history_id__gt=change.history_id)
    if later.exists():
        raise ValidationError("the row was changed again since: undo the later change first")
    reason = f"Undone: {change.text}"[:100]
    if record.history_type == "+":
        if model._meta.model_name == "route":
            raise ValidationError("a route is taken off the site from its own page")
        row = model.objects.get(pk=change.object_id)
        row._history_user, row._change_reason = reviewer, reason
        row.delete()
        return
    before = record.prev_record
    if before is None:
        raise ValidationError("no earlier version is recorded")
    row = before.instance
    row._history_user, row._change_reason = reviewer, reason
    row.full_clean(validate_unique=False, validate_constraints=False)
    row.save()
