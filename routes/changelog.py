"""What changed on a route, in words, read from the edit history.

Every save of a route or of a row on it (requirement, fee, figure, document,
step, question) leaves a historical record (django-simple-history). This
module pairs each record with the one before it and says what changed:
"Processing time changed from 5 days to 2 days". The admin's route history
and the public list of changes both read it; nothing here is written by hand.
"""

from dataclasses import dataclass
from datetime import datetime

from publishing.loads import LOAD_REASON

from .facts import statement
from .models import Change, Document, Fact, Question, Route, RouteStatus, Source, Step
from .vocabulary import FEE, Topic


@dataclass
class HistoryLine:
    """One edit in words, with who made it: a line of a route's history in the admin."""

    when: datetime
    route_id: int
    kind: str  # the model's name: route, fact, document, step, question
    object_id: int
    history_id: int
    text: str
    user: object = None  # who made it, or what: the user, or the load


def _fact_label(record):
    if record.topic == FEE:
        return f"Fee “{record.text}”"
    return Topic(record.topic).label


def _fact_change(old, new):
    label = _fact_label(new)
    if new.history_type == "-":
        return f"{_fact_label(old or new)} removed (was {statement(old or new)})"
    if old is None:
        return f"{label} added: {statement(new)}"
    before, after = statement(old), statement(new)
    if before != after:
        return f"{label} changed from {before} to {after}"
    if old.source_id != new.source_id:
        return f"{label}: now cites another source"
    if old.standing != new.standing:
        return f"{label} marked {new.get_standing_display().lower()}"
    return None


def _text_change(noun, field):
    def describe(old, new):
        value = getattr(new, field)
        if new.history_type == "-":
            return f"{noun} removed: {getattr(old or new, field)}"
        if old is None:
            return f"{noun} added: {value}"
        if getattr(old, field) != value:
            return f"{noun} changed from “{getattr(old, field)}” to “{value}”"
        if getattr(old, "applies_to", None) != getattr(new, "applies_to", None):
            return f"{noun} “{value}” now for: {new.get_applies_to_display().lower()}"
        return None

    return describe


_ROUTE_FIELDS = [
    ("official_name", "Name"),
    ("common_name", "Common name"),
    ("code", "Code"),
    ("summary", "Summary"),
    ("slug", "Address"),
]


def _route_change(old, new):
    if new.history_type == "-":
        return "Route removed"
    if old is None:
        return "Route added"
    if old.status != new.status:
        return "Route published" if new.status == RouteStatus.PUBLISHED else "Route unpublished"
    changed = [
        label for field, label in _ROUTE_FIELDS if getattr(old, field) != getattr(new, field)
    ]
    if changed:
        return f"{', '.join(changed)} changed"
    return None


# (model, how to find its route id, how to describe a change)
TRACKED = [
    (Route, "id", _route_change),
    (Fact, "route_id", _fact_change),
    (Document, "route_id", _text_change("Document", "name")),
    (Step, "route_id", _text_change("Step", "text")),
    (Question, "route_id", _text_change("Question", "question")),
]


def _said(describe, old, new):
    """What a history record says: nothing for a row's first record made by a load.

    A load (``publishing.loads``) records what it loaded so that later edits
    have something to compare with; its first record of a row is where the
    row's history starts, not an edit. A load that changes a row already
    recorded says what it changed, like any edit.
    """
    if old is None and new.history_change_reason == LOAD_REASON:
        return None
    return describe(old, new)


def history_lines(route_ids=None, since=None):
    """``HistoryLine``s of these routes (all when None), newest first."""
    changes = []
    for model, route_field, describe in TRACKED:
        records = model.history.select_related("history_user").order_by("id", "history_date")
        if route_ids is not None:
            records = records.filter(**{f"{route_field}__in": route_ids})
        previous = {}
        for record in records:
            old = previous.get(record.id)
            previous[record.id] = record
            if since and record.history_date < since:
                continue
            text = _said(describe, old, record)
            if text:
                changes.append(
                    HistoryLine(
                        when=record.history_date,
                        route_id=getattr(record, route_field),
                        kind=model._meta.model_name,
                        object_id=record.id,
                        history_id=record.history_id,
                        text=text,
                        user=record.history_user or record.history_change_reason,
                    )
                )
    changes.sort(key=lambda c: c.when, reverse=True)
    return changes


DESCRIBE = {model: (route_field, describe) for model, route_field, describe in TRACKED}

# What a visitor reads of a source, next to every fact citing it. Its
# "verified on" is a publisher's own act, not an edit to review.
_SOURCE_FIELDS = [
    ("quote", "quote"),
    ("url", "address"),
    ("title", "title"),
    ("publisher", "publisher"),
    ("kind", "kind"),
    ("page_date", "page's date"),
    ("via_publisher", "copy it was read via"),
    ("via_url", "copy's address"),
    ("via_date", "copy's date"),
    ("note", "note"),
]


def _source_change(old, new):
    """An edit of a source its citing pages show; nothing for its addition or removal.

    A new source is on no page until a row cites it (and that row's change
    says so); a cited source cannot be removed.
    """
    if old is None or new.history_type == "-":
        return None
    changed = [
        label for field, label in _SOURCE_FIELDS if getattr(old, field) != getattr(new, field)
    ]
    if not changed:
        return None
    return f"Source “{new.title}”: {', '.join(changed)} changed"


def record(sender, instance, history_instance, **kwargs):
    """Keep a worded Change for each new history record of a route, its rows or a source.

    A source's edit is one change of no route, public when a published route
    cites the source.
    """
    model = type(instance)._meta.concrete_model
    if model is Source:
        text = _said(_source_change, history_instance.prev_record, history_instance)
        if text:
            public = Route.objects.citing(instance).published().exists()
            _keep(history_instance, "source", None, text, public)
        return
    if model not in DESCRIBE:
        return
    route_field, describe = DESCRIBE[model]
    text = _said(describe, history_instance.prev_record, history_instance)
    route_id = getattr(history_instance, route_field)
    route_status = Route.objects.filter(pk=route_id).values_list("status", flat=True).first()
    if not text or route_status is None:  # nothing to say, or the route is being deleted
        return
    public = route_status == RouteStatus.PUBLISHED
    _keep(history_instance, model._meta.model_name, route_id, text, public)


def _keep(history_instance, kind, route_id, text, public):
    Change.objects.create(
        route_id=route_id,
        when=history_instance.history_date,
        text=text,
        kind=kind,
        object_id=history_instance.id,
        history_id=history_instance.history_id,
        public=public,
        user_id=history_instance.history_user_id,
    )
