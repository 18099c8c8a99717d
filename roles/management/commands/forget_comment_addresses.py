from datetime import timedelta

from django.core.management.base import BaseCommand
from django.utils import timezone

from roles.models import Comment

KEEP_DAYS = 30


class Command(BaseCommand):
    help = (
        f"Forget the address and browser of learners' comments older than {KEEP_DAYS} days: "
        "they are kept only to handle abuse. The scheduler runs it (run_scheduler)."
    )

    def handle(self, *args, **options):
        cutoff = timezone.now() - timedelta(days=KEEP_DAYS)
        old = Comment.objects.filter(created_at__lt=cutoff).exclude(ip_address=None, user_agent="")
        forgotten = old.update(ip_address=None, user_agent="")
        if options["verbosity"] > 0:
            self.stdout.write(f"Forgot the address and browser of {forgotten} comment(s).")
