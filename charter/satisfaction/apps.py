from django.apps import AppConfig


class SatisfactionConfig(AppConfig):
    name = "charter.satisfaction"
    label = "satisfaction"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from charter.satisfaction import extensions

        extensions.register()
