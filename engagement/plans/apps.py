from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "engagement.plans"
    label = "plans"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from engagement.plans import extensions

        extensions.register()
