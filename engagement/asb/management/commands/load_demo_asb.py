"""Anti-social behaviour for the demo landlord (after `load_demo`). Safe to run again."""

from django.core.management.base import BaseCommand

from engagement.asb import demo, selectors


class Command(BaseCommand):
    help = (
        "Add anti-social behaviour cases to the demo: a dozen over this financial year on different estates "
        "and at different stages (some hate incidents), two from last year, and the demo tenant's own report."
    )

    def handle(self, *args, **options):
        if demo.already_loaded():
            self.stdout.write(
                "The demo anti-social behaviour cases are already loaded; nothing to do."
            )
            return
        try:
            counts = demo.load()
        except demo.DemoMissing as missing:
            # Not an error: the ASB demo sits on top of the portal's demo.
            self.stdout.write(str(missing))
            return
        from django.utils import timezone

        year = selectors.financial_year_of(timezone.localdate())
        figures = selectors.nm01(year=year)
        self.stdout.write(
            self.style.SUCCESS(
                f"Loaded {counts['cases']} anti-social behaviour cases, one reported by {demo.TENANT_EMAIL}. "
                f"NM01 for {selectors.financial_year_label(year)} so far: {figures['per_1000']} per 1,000 homes "
                f"({figures['hate_per_1000']} involving hate incidents). See /staff/asb/nm01/."
            )
        )
