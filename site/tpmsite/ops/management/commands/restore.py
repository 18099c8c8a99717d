import time

from django.core.management.base import BaseCommand, CommandError

from tpmsite.ops.backup import BackupError
from tpmsite.ops.backup_archive import DEFAULT_MAX_BYTES, MIB
from tpmsite.ops.restore import restore


class Command(BaseCommand):
    help = (
        "Restore a file written by `manage.py backup` into an empty, freshly migrated database "
        "(run `manage.py migrate` first). It refuses a database that already has pages, users, "
        "images or documents; --force replaces them instead. The whole file is checked before "
        "anything is written: names, checksums, models and fields, and its size once "
        "decompressed (--max-size); a backup made before data.json had a checksum is refused "
        "(make a new one). All or nothing: on any error the database is left as it was."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="the .tar.gz written by manage.py backup")
        parser.add_argument(
            "--force",
            action="store_true",
            help="replace a database that has content: everything the backup covers is deleted "
            "first, in the same transaction",
        )
        parser.add_argument(
            "--max-size",
            type=int,
            default=DEFAULT_MAX_BYTES // MIB,
            metavar="MIB",
            help="refuse a file whose contents add up to more than this many MiB once "
            "decompressed (default %(default)s). The whole backup is held in memory while it "
            "is checked; a small file that expands beyond this is damaged or hostile, and is "
            "refused from its headers or as soon as the count passes the limit, without "
            "reading the rest",
        )

    def handle(self, *args, path, force, max_size, **options):
        report = self.stdout.write if options["verbosity"] > 0 else (lambda msg: None)
        if max_size < 1:
            raise CommandError("--max-size is in MiB and must be at least 1")
        started = time.monotonic()
        try:
            objects, files = restore(path, force=force, report=report, max_bytes=max_size * MIB)
        except BackupError as exc:
            raise CommandError(f"Nothing restored, the database is unchanged: {exc}") from exc
        report(
            self.style.SUCCESS(
                f"Restored {objects} objects and {files} media files from {path} "
                f"in {time.monotonic() - started:.1f} s."
            )
        )
