import os
import secrets

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = (
        "Make sure an admin account exists: from DJANGO_SUPERUSER_USERNAME / _PASSWORD / _EMAIL "
        "when set, otherwise 'admin' with a generated password printed once."
    )

    def handle(self, *args, **options):
        User = get_user_model()
        username = os.environ.get("DJANGO_SUPERUSER_USERNAME")
        password = os.environ.get("DJANGO_SUPERUSER_PASSWORD")
        email = os.environ.get("DJANGO_SUPERUSER_EMAIL", "")

        if username:
            if User.objects.filter(username=username).exists():
                self.stdout.write(f"Admin account '{username}' already exists; left as it is.")
                return
            if not password:
                raise CommandError(
                    "DJANGO_SUPERUSER_USERNAME is set but DJANGO_SUPERUSER_PASSWORD is not."
                )
            User.objects.create_superuser(username=username, email=email, password=password)
            self.stdout.write(self.style.SUCCESS(f"Created admin account '{username}'."))
            return

        if User.objects.filter(is_superuser=True).exists():
            self.stdout.write("An admin account already exists; sign in at /admin/.")
            return
        password = secrets.token_urlsafe(12)
        User.objects.create_superuser(username="admin", email=email, password=password)
        # Printed once: the password is not stored anywhere else in plain text.
        self.stdout.write(
            self.style.SUCCESS(
                "Created admin account for /admin/ (shown only this once):\n"
                f"  username: admin\n  password: {password}"
            )
        )
