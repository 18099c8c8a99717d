from django.core.management.base import BaseCommand, CommandError

from roles.content.loader import DEFAULT_FILE, ContentError, load


class Command(BaseCommand):
    help = "Load the learning module from its content file. Existing pages are left untouched."

    def add_arguments(self, parser):
        parser.add_argument("--file", default=DEFAULT_FILE, help="YAML content file to load")

    def handle(self, *args, file, **options):
        report = self.stdout.write if options["verbosity"] > 0 else (lambda msg: None)
        try:
            created, kept = load(file, report=report)
        except ContentError as exc:
            raise CommandError(f"Content file not loaded, nothing changed: {exc}") from exc
        if created:
            report(self.style.SUCCESS(f"Loaded the module: {created} pages created, {kept} kept."))
        else:
            report(f"Module content already loaded: nothing changed ({kept} pages present).")
