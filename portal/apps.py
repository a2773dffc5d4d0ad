from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = "Doorstep core"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from portal import case_openers

        case_openers.register()
