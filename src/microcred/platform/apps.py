from django.apps import AppConfig


class PlatformConfig(AppConfig):
    """The project's shared templates (base layout) and static files."""

    name = "microcred.platform"
    label = "platform"
    verbose_name = "Platform"
