"""History for what a load saves: one entry per object, attributed to the load.

django-simple-history records a save only when it is not raw, and a fixture
is saved raw: without this, loaded rows would have no history, so their
first edit could not be reverted and the removal of a loaded row would read
as its addition. ``history_of_load`` collects what a load saves and then
gives each object one history entry, with ``LOAD_REASON`` as its reason and
nobody as its user.
"""

from collections import defaultdict
from contextlib import contextmanager

from django.db.models.signals import post_save
from django.utils import timezone

LOAD_REASON = "Loaded from fixtures"


def history_manager(model):
    """The history manager of a model kept by django-simple-history, or None."""
    concrete = model._meta.concrete_model
    name = getattr(concrete._meta, "simple_history_manager_attribute", None)
    return getattr(concrete, name) if name else None


@contextmanager
def history_of_load():
    """Record one history entry for each object saved raw inside the block.

    An object saved twice (a fixture's forward reference is saved again once
    it resolves) gets one entry, with its last values; it is an addition if
    the load created it.
    """
    saved = {}

    def keep(sender, instance, created, raw=False, **kwargs):
        if raw and history_manager(sender) is not None:
            key = (sender._meta.concrete_model, instance.pk)
            added = created or saved.get(key, (None, False))[1]
            saved[key] = (instance, added)

    post_save.connect(keep, weak=False, dispatch_uid="history-of-load")
    try:
        yield
    finally:
        post_save.disconnect(dispatch_uid="history-of-load")
    record_loaded(saved.values())


def record_loaded(saved):
    """One history entry per (instance, added) pair, all at one moment."""
    now = timezone.now()
    groups = defaultdict(list)
    for instance, added in saved:
        groups[type(instance)._meta.concrete_model, added].append(instance)
    for (model, added), instances in groups.items():
        history_manager(model).bulk_history_create(
            instances, update=not added, default_change_reason=LOAD_REASON, default_date=now
        )
