from django.apps import AppConfig


class OpsConfig(AppConfig):
    """The platform wing: caching, input guard, search backend, health, backup and restore,
    scheduler and admin account. It knows Wagtail pages, never the learning module's types."""

    name = "tpmsite.ops"
    label = "ops"
    verbose_name = "Site operations"

    def ready(self):
        from tpmsite.ops.cache import connect_signals

        connect_signals()
