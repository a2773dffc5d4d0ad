"""Neighbourhood plans and the community fund for the demo landlord (after `load_demo`)."""

from django.core.management.base import BaseCommand

from engagement.plans import demo


class Command(BaseCommand):
    help = (
        "Add neighbourhood plans (one open for voting in the demo tenant's neighbourhood, others with "
        "actions and progress) and this year's community fund with applications at each stage."
    )

    def handle(self, *args, **options):
        if demo.already_loaded():
            self.stdout.write("The demo neighbourhood plans are already loaded; nothing to do.")
            return
        try:
            counts = demo.load()
        except demo.DemoMissing as missing:
            self.stdout.write(str(missing))
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"Loaded {counts['plans']} neighbourhood plans and {counts['applications']} community fund "
                "applications. See /neighbourhood-plans/ and /community-fund/."
            )
        )
