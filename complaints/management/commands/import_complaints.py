"""Import complaint history from another system: python manage.py import_complaints FILE.csv"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from complaints.importing import COLUMNS, ImportRejected, import_complaints


class Command(BaseCommand):
    help = (
        "Import complaints from a CSV file with the columns "
        + ", ".join(COLUMNS)
        + ". A file with any problem is rejected whole; importing the same file again changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The CSV file, UTF-8, first line the column names")

    def handle(self, *args, **options):
        path = Path(options["file"])
        try:
            text = path.read_text(encoding="utf-8-sig")
        except FileNotFoundError:
            raise CommandError(f"There is no file {path}") from None
        except UnicodeDecodeError:
            raise CommandError(f"{path} is not UTF-8 text: save it as CSV UTF-8 and try again") from None
        try:
            result = import_complaints(text)
        except ImportRejected as rejected:
            for error in rejected.errors:
                self.stderr.write(error)
            raise CommandError(
                f"{path} was not imported: {len(rejected.errors)} problem(s) above. Nothing was written."
            ) from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported {path}: {result.created} new, {result.updated} updated, {result.unchanged} unchanged."
            )
        )
