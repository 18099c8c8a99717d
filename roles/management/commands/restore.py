import time

from django.core.management.base import BaseCommand, CommandError

from roles.backup import BackupError
from roles.restore import restore


class Command(BaseCommand):
    help = (
        "Restore a file written by `manage.py backup` into an empty, freshly migrated database "
        "(run `manage.py migrate` first). It refuses a database that already has pages, users, "
        "images or documents; --force replaces them instead. All or nothing: on any error the "
        "database is left as it was."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="the .tar.gz written by manage.py backup")
        parser.add_argument(
            "--force",
            action="store_true",
            help="replace a database that has content: everything the backup covers is deleted "
            "first, in the same transaction",
        )

    def handle(self, *args, path, force, **options):
        report = self.stdout.write if options["verbosity"] > 0 else (lambda msg: None)
        started = time.monotonic()
        try:
            objects, files = restore(path, force=force, report=report)
        except BackupError as exc:
            raise CommandError(f"Nothing restored, the database is unchanged: {exc}") from exc
        report(
            self.style.SUCCESS(
                f"Restored {objects} objects and {files} media files from {path} "
                f"in {time.monotonic() - started:.1f} s."
            )
        )
