from django.apps import AppConfig


class PathwaysConfig(AppConfig):
    name = "microcred.pathways"
    label = "pathways"
    verbose_name = "Stackable pathways"
    default_auto_field = "django.db.models.BigAutoField"
