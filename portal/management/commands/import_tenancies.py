from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from portal.services.stock_import import StockFileRejected, import_tenancies


class Command(BaseCommand):
    help = (
        "Create or update tenancies and their residents from a CSV file; import the homes first. "
        "A file with any bad row is rejected whole. The columns are in docs/stock-import.md."
    )

    def add_arguments(self, parser):
        parser.add_argument("csv_file", type=Path, help="the tenancies CSV, UTF-8, header on line 1")

    def handle(self, *args, csv_file: Path, **options):
        if not csv_file.is_file():
            raise CommandError(f"There is no file at {csv_file}")
        try:
            summary = import_tenancies(csv_file=csv_file)
        except StockFileRejected as rejected:
            for problem in rejected.problems:
                self.stderr.write(str(problem))
            raise CommandError(
                f"{csv_file.name} was not imported: {rejected}. Nothing was changed. "
                "Correct the lines above and import the whole file again."
            ) from None
        self.stdout.write(self.style.SUCCESS(str(summary)))
