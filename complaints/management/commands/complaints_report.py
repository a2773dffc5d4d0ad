"""The annual complaints figures: python manage.py complaints_report --year 2025 --format json"""

import csv
import json

from django.core.management.base import BaseCommand, CommandError

from complaints.selectors import annual_figures, figures_as_json, figures_as_rows


class Command(BaseCommand):
    help = "Print the complaints figures (CH01, CH02 and more) for the financial year starting 1 April of --year."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True, help="The year the financial year starts in, e.g. 2025")
        parser.add_argument("--format", choices=["json", "csv"], default="json")

    def handle(self, *args, **options):
        year = options["year"]
        if not 2000 <= year <= 2100:
            raise CommandError("--year must be a year such as 2025")
        figures = annual_figures(year)
        if options["format"] == "json":
            self.stdout.write(json.dumps(figures_as_json(figures), indent=2))
        else:
            writer = csv.writer(self.stdout)
            writer.writerow(["section", "measure", "value"])
            writer.writerows(figures_as_rows(figures))
