"""News for the demo landlord (after `load_demo`). Safe to run again."""

from django.core.management.base import BaseCommand, CommandError

from engagement.news import demo


class Command(BaseCommand):
    help = (
        "Add news to the demo: three past newsletters, current notices on the demo tenant's estate "
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
                f"notices at /service-updates/: a lift out of service at {counts['block'].name} and low water "
                f"pressure across the estate where {demo.TENANT_EMAIL} lives."
            )
        )
