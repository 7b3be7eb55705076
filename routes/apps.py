from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.db.models.signals import post_delete, post_save


class RoutesConfig(AppConfig):
    name = "routes"
    verbose_name = "Countries and routes"

    def ready(self):
        from simple_history.signals import post_create_historical_record

        from . import changes, freshness, search
        from .models import CONTENT_MODELS

        for model in CONTENT_MODELS:
            post_save.connect(freshness.touch, sender=model, dispatch_uid=f"touch-save-{model}")
            post_delete.connect(freshness.touch, sender=model, dispatch_uid=f"touch-delete-{model}")
        post_create_historical_record.connect(changes.record, dispatch_uid="record-change")
        connection_created.connect(search.on_connect, dispatch_uid="search-casefold")
