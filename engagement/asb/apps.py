from django.apps import AppConfig


class AsbConfig(AppConfig):
    name = "engagement.asb"
    label = "asb"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from engagement.asb import extensions

        extensions.register()
