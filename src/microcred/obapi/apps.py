from django.apps import AppConfig


class ObApiConfig(AppConfig):
    name = "microcred.obapi"
    label = "obapi"
    verbose_name = "Open Badges API"
    default_auto_field = "django.db.models.BigAutoField"
