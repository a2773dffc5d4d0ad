from django.apps import AppConfig


class NeighbourhoodsConfig(AppConfig):
    name = "engagement.neighbourhoods"
    label = "neighbourhoods"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from engagement.neighbourhoods import extensions

        extensions.register()
