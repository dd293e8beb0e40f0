from django.apps import AppConfig


class SharingConfig(AppConfig):
    name = "microcred.sharing"
    label = "sharing"
    verbose_name = "Sharing (public profile, share links)"
    default_auto_field = "django.db.models.BigAutoField"
