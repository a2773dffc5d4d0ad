"""Import a survey contractor's responses: python manage.py import_tsm_responses --year 2025 FILE.csv"""

from django.core.management.base import BaseCommand

from charter.satisfaction import measures
from charter.satisfaction.importing import RESPONSE_COLUMNS, import_responses

from ._importing import run_import


class Command(BaseCommand):
    help = (
        "Import tenant satisfaction survey responses for a financial year from a CSV file with the columns "
        + ", ".join(RESPONSE_COLUMNS)
        + ". A file with any problem is rejected whole, every bad line listed, and nothing is written."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--year", type=int, required=True, help="The financial year: 2025 means 2025/26"
        )
        parser.add_argument("file", help="The CSV file, UTF-8, first line the column names")

    def handle(self, *args, **options):
        result = run_import(self, options["file"], import_responses, year=options["year"])
        by_tenure = ", ".join(f"{n} {tenure}" for tenure, n in result.by_tenure.items())
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported {result.created} responses for {measures.year_label(result.year)} ({by_tenure})."
            )
        )
