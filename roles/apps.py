from django.apps import AppConfig


class RolesConfig(AppConfig):
    name = "roles"
    verbose_name = "Learning module"

    def ready(self):
        from roles.cache import connect_signals

        connect_signals()
