from django.apps import AppConfig


class TalentConfig(AppConfig):
    name = "microcred.talent"
    label = "talent"
    verbose_name = "Employers, roles and candidate matching"
    default_auto_field = "django.db.models.BigAutoField"
