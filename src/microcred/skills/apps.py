from django.apps import AppConfig


class SkillsConfig(AppConfig):
    name = "microcred.skills"
    label = "skills"
    verbose_name = "Skills taxonomies and the learning catalog"
    default_auto_field = "django.db.models.BigAutoField"
