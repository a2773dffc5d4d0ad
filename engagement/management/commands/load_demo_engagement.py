"""Resident voice for the demo landlord (after `load_demo`). Safe to run again."""

from django.core.management.base import BaseCommand

from engagement import demo


class Command(BaseCommand):
    help = (
        "Add panels of every kind with members, meetings with papers and minutes, a published scrutiny review "
        "and one in progress, an open and a closed consultation, and 'you said, we did' entries."
    )

    def handle(self, *args, **options):
        if demo.already_loaded():
            self.stdout.write("The demo panels are already loaded; nothing to do.")
            return
        try:
            counts = demo.load()
        except demo.DemoMissing as missing:
            # Not an error: this demo sits on top of the portal's demo.
            self.stdout.write(str(missing))
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"Loaded resident voice: {counts['panels']} panels with {counts['members']} members. "
                f"Sign in as {demo.TENANT_EMAIL} and open /get-involved/ to apply to the scrutiny panel."
            )
        )
