from django.apps import AppConfig


class EngagementConfig(AppConfig):
    name = "engagement"
    label = "engagement"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from engagement import extensions

        extensions.register()
