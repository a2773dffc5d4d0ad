"""Print each app's `load_demo_<app>` command in INSTALLED_APPS order, so an app's demo data can
build on the apps listed before it (the charter reads what repairs and complaints loaded)."""

from django.apps import apps
from django.core.management import BaseCommand, get_commands


class Command(BaseCommand):
    help = "List the apps' demo-data commands in the order make demo runs them."

    def handle(self, *args, **options):
        commands = get_commands()
        for config in apps.get_app_configs():
            for name in sorted(commands):
                if name.startswith("load_demo_") and commands[name] == config.name:
                    self.stdout.write(name)
