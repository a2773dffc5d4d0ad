from django.apps import AppConfig


class NewsConfig(AppConfig):
    name = "engagement.news"
    label = "news"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from engagement.news import extensions

        extensions.register()
