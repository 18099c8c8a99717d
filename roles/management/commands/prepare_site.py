from django.core.management import call_command
from django.core.management.base import BaseCommand
from wagtail.models import Site


class Command(BaseCommand):
    help = (
        "Get the site ready to serve in one Django start-up: apply migrations, load the module's "
        "content (pages that exist are kept) and make sure an admin account exists. `make run` "
        "calls it before the development server, which then skips the checks run here; "
        "`make serve` and the tests' stack add --collectstatic --no-admin."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-admin", action="store_true", help="leave the admin account alone"
        )
        parser.add_argument(
            "--collectstatic", action="store_true", help="also collect static files (production)"
        )
        parser.add_argument(
            "--port",
            type=int,
            help="serve on 127.0.0.1 at this port: the default site's canonical and sitemap "
            "URLs then point there (make run passes its PORT)",
        )

    def handle(self, *args, no_admin, collectstatic, port, **options):
        # Each step once, in this process: three `manage.py` runs paid Django's start-up
        # (about 2.5 s of imports) three times. The system checks ran before handle() (this
        # command's own), so the steps skip them, as call_command does by default.
        out = {"stdout": self.stdout, "stderr": self.stderr}
        verbosity = options["verbosity"]
        call_command("migrate", interactive=False, verbosity=verbosity, **out)
        call_command("load_module", verbosity=verbosity, **out)
        if collectstatic:
            call_command("collectstatic", interactive=False, verbosity=min(verbosity, 1), **out)
        if not no_admin:
            call_command("ensure_admin", verbosity=verbosity, **out)
        if port is not None:
            # Wagtail builds absolute URLs (canonical links, the sitemap) from the Site record;
            # saved, not updated in bulk, so Wagtail forgets its cached site root paths.
            site = Site.objects.filter(is_default_site=True).first()
            if site is not None and (site.hostname, site.port) != ("127.0.0.1", port):
                site.hostname, site.port = "127.0.0.1", port
                site.save()
