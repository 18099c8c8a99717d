from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from roles.lms.export import LABELS, build
from roles.lms.package import FORMATS
from roles.lms.rendition import RenditionError


class Command(BaseCommand):
    help = (
        "Export the published module as an LMS package (SCORM 1.2, SCORM 2004 or cmi5): "
        "the same zip as the admin's 'Export for an LMS'."
    )

    def add_arguments(self, parser):
        parser.add_argument("--format", required=True, choices=FORMATS, help="package format")
        parser.add_argument("--output", required=True, help="the zip file to write")

    def handle(self, *args, format, output, **options):
        report = self.stdout.write if options["verbosity"] > 0 else (lambda msg: None)
        target = Path(output)
        if not target.parent.is_dir():
            raise CommandError(f"{target.parent} is not a folder: the package cannot be written.")
        report(f"Exporting the published module as {LABELS[format]} ...")
        try:
            package = build(format, report=report)
        except RenditionError as exc:
            raise CommandError(f"Nothing exported: {exc}") from exc
        target.write_bytes(package.data)
        report(self.style.SUCCESS(f"Wrote {target} ({len(package.data):,} bytes)."))
