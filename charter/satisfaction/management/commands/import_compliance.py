"""Import building safety compliance records: python manage.py import_compliance --year 2025 FILE.csv"""

from django.core.management.base import BaseCommand

from charter.satisfaction import measures
from charter.satisfaction.importing import COMPLIANCE_COLUMNS, import_compliance

from ._importing import run_import


class Command(BaseCommand):
    help = (
        "Import a year's building safety compliance records (TSM BS01 to BS05) from a CSV file with the columns "
        + ", ".join(COMPLIANCE_COLUMNS)
        + ": one row per home or block the check is required for. It replaces the year's earlier records "
        "for the measures in the file. A file with any problem is rejected whole."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--year", type=int, required=True, help="The financial year: 2025 means 2025/26"
        )
        parser.add_argument("file", help="The CSV file, UTF-8, first line the column names")

    def handle(self, *args, **options):
        result = run_import(self, options["file"], import_compliance, year=options["year"])
        counts = ", ".join(f"{code} {n}" for code, n in result.by_measure.items())
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported {result.total} compliance records for {measures.year_label(result.year)} ({counts})."
            )
        )
