"""News for the demo landlord (after `load_demo`). Safe to run again."""

from django.core.management.base import BaseCommand, CommandError

from engagement.news import demo


class Command(BaseCommand):
    help = (
        "Add news to the demo: three past newsletters, a current lift notice where the demo tenant lives "
        "and an ended notice elsewhere."
    )

    def handle(self, *args, **options):
        if demo.already_loaded():
            self.stdout.write("The demo news is already loaded; 0 new.")
            return
        try:
            counts = demo.load()
        except ImportError as missing:
            raise CommandError(
                f"The demo needs the development packages (requirements/dev.txt): {missing}"
            ) from None
        except demo.DemoMissing as missing:
            # Not an error: the news demo sits on top of the portal's demo.
            self.stdout.write(str(missing))
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"Loaded the demo news: {counts['issues']} newsletters at /news/ and {counts['notices']} service "
                f"notices at /service-updates/, one for {counts['block'].name} where {demo.TENANT_EMAIL} lives."
            )
        )
