import time

from django.core.management.base import BaseCommand, CommandError

from tpmsite.ops.backup import BackupError, backup


class Command(BaseCommand):
    help = (
        "Back up everything editors made (pages, every revision, workflow states, log entries, "
        "users and groups, images and documents with their files) to one .tar.gz; "
        "`manage.py restore` loads it into an empty database."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output", help="file to write (default: backups/tpm-<date>-<time>.tar.gz)"
        )

    def handle(self, *args, output=None, **options):
        report = self.stdout.write if options["verbosity"] > 1 else (lambda msg: None)
        started = time.monotonic()
        try:
            path, objects, models, files = backup(output, report=report, warn=self.stderr.write)
        except BackupError as exc:
            raise CommandError(f"No backup written: {exc}") from exc
        if options["verbosity"] > 0:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Exported {objects} objects of {models} models and {files} media files to "
                    f"{path} ({path.stat().st_size / 1024:,.1f} KiB) "
                    f"in {time.monotonic() - started:.1f} s."
                )
            )
