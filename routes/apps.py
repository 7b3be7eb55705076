from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.db.models.signals import post_delete, post_save
from simple_history.signals import post_create_historical_record


class RoutesConfig(AppConfig):
    name = "routes"
    verbose_name = "Countries and routes"

    def ready(self):
        # Imported once the app registry is ready: they define or read models.
        from publishing import freshness

        from . import changelog, search
        from .models import CONTENT_MODELS

        for model in CONTENT_MODELS:
            post_save.connect(freshness.changed, sender=model, dispatch_uid=f"changed-{model}")
            post_delete.connect(freshness.changed, sender=model, dispatch_uid=f"deleted-{model}")
        post_create_historical_record.connect(changelog.record, dispatch_uid="record-change")
        connection_created.connect(search.on_connect, dispatch_uid="search-casefold")
