from django.apps import AppConfig


class CharterConfig(AppConfig):
    name = "charter"
    label = "charter"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from charter import extensions

        extensions.register()
