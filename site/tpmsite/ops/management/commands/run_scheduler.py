import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction


class Command(BaseCommand):
    help = (
        "Run the SCHEDULED_COMMANDS setting's commands every minute: Wagtail's "
        "publish_scheduled, for go-live and expiry dates, and the module's own. `make run` "
        "starts it beside the development server; production runs them from cron or a "
        "scheduler instead."
    )

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=int, default=60, help="seconds between runs")
        parser.add_argument("--once", action="store_true", help="run once and stop")

    def handle(self, *args, interval, once, **options):
        commands = getattr(settings, "SCHEDULED_COMMANDS", ["publish_scheduled"])
        self.stdout.write(f"Scheduler: {', '.join(commands)} every {interval} s.")
        while True:
            for command in commands:
                try:
                    # All or nothing, as every bulk command here: a page that fails to publish
                    # takes the run's other changes back with it, and the next run retries
                    # them all, rather than leaving some pages switched over and some not.
                    with transaction.atomic():
                        call_command(command, verbosity=0)
                except Exception as exc:  # noqa: BLE001 - keep scheduling through a bad run
                    self.stderr.write(f"Scheduler: {command} failed: {exc}")
            if once:
                return
            time.sleep(interval)
