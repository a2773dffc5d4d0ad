"""What the import commands share: read the file, run the import, list every problem."""

from pathlib import Path

from django.core.management.base import CommandError

from charter.satisfaction.importing import ImportRejected, decode


def run_import(command, path: str, importer, *, year: int):
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise CommandError(f"There is no file {path}") from None
    try:
        return importer(decode(data), year=year, file_name=path.name)
    except ImportRejected as rejected:
        for error in rejected.errors:
            command.stderr.write(error)
        raise CommandError(
            f"{path} was not imported: {len(rejected.errors)} problem(s) above. Nothing was written."
        ) from None
