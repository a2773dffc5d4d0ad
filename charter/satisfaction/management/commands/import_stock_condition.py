"""Import stock condition records: python manage.py import_stock_condition --year 2025 FILE.csv"""

from django.core.management.base import BaseCommand

from charter.satisfaction import measures
from charter.satisfaction.importing import STOCK_CONDITION_COLUMNS, import_stock_condition

from ._importing import run_import


class Command(BaseCommand):
    help = (
        "Import a year's stock condition records (TSM RP01) from a CSV file with the columns "
        + ", ".join(STOCK_CONDITION_COLUMNS)
        + ": one row per home. It replaces the year's earlier records. A file with any problem is rejected whole."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--year", type=int, required=True, help="The financial year: 2025 means 2025/26"
        )
        parser.add_argument("file", help="The CSV file, UTF-8, first line the column names")

    def handle(self, *args, **options):
        result = run_import(self, options["file"], import_stock_condition, year=options["year"])
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported {result.total} stock condition records for {measures.year_label(result.year)}."
            )
        )
