from django.apps import AppConfig


class BulkConfig(AppConfig):
    name = "microcred.bulk"
    label = "bulk"
    verbose_name = "Bulk issuing"
    default_auto_field = "django.db.models.BigAutoField"
