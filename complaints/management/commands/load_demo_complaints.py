"""Complaints for the demo landlord (after `load_demo`). Safe to run again."""

from django.core.management.base import BaseCommand

from complaints import demo


class Command(BaseCommand):
    help = (
        "Add complaints to the demo: the demo tenant's at different stages (one overdue, one ready to "
        "escalate), a stage 2 complaint, and 2025/26's history with its published report."
    )

    def handle(self, *args, **options):
        if demo.already_loaded():
            self.stdout.write("The demo complaints are already loaded; nothing to do.")
            return
        try:
            counts = demo.load()
        except demo.DemoMissing as missing:
            # Not an error: the complaints demo sits on top of the portal's demo.
            self.stdout.write(str(missing))
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"Loaded the demo complaints: {counts['tenant_complaints']} for {demo.TENANT_EMAIL} and "
                f"{counts['history']} in the history. The 2025/26 report is at /complaints/report/2025/."
            )
        )
