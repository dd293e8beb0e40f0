"""Export (CLR 2.0), backup and restore, and account deletion for learners."""

from django.apps import AppConfig


class PortabilityConfig(AppConfig):
    name = "microcred.portability"
    label = "portability"
    verbose_name = "Export, backup and account deletion"
    default_auto_field = "django.db.models.BigAutoField"
