"""Load the demo landlord, Millbrook Homes, into an empty database. Safe to run again."""

import time

from django.core.management.base import BaseCommand, CommandError

from portal import demo
from portal.models import Home


class Command(BaseCommand):
    help = "Load Millbrook Homes, a made-up landlord with homes, residents, staff and cases, and print the sign-ins."

    def handle(self, *args, **options):
        started = time.monotonic()
        if demo.demo_is_loaded():
            self.stdout.write("The demo landlord is already loaded; nothing to do.")
        elif Home.objects.exists():
            # Never mix made-up people into a real landlord's data.
            raise CommandError("This database already has homes in it: load_demo only fills an empty database.")
        else:
            try:
                loader = demo.DemoLoader()
            except ImportError as missing:
                raise CommandError(
                    f"The demo needs the development packages (requirements/dev.txt): {missing}"
                ) from missing
            counts = loader.load()
            self.stdout.write(
                self.style.SUCCESS(
                    f"Loaded {demo.LANDLORD_NAME}: {counts['homes']} homes, {counts['tenancies']} tenancies, "
                    f"{counts['residents']} residents, {counts['officers']} staff and {counts['cases']} cases "
                    f"in {time.monotonic() - started:.1f}s."
                )
            )
        self.print_sign_ins()

    def print_sign_ins(self):
        rows = [("Who", "Email", "Where")] + demo.sign_ins()
        widths = [max(len(row[i]) for row in rows) for i in range(3)]
        line = "+".join("-" * (w + 2) for w in widths)
        self.stdout.write("")
        self.stdout.write(f"Sign in with any of these; the password is {demo.PASSWORD}")
        self.stdout.write(f"+{line}+")
        for index, row in enumerate(rows):
            self.stdout.write("| " + " | ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)) + " |")
            if index == 0:
                self.stdout.write(f"+{line}+")
        self.stdout.write(f"+{line}+")
        self.stdout.write(demo.link_example())
