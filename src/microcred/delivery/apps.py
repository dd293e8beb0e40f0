from django.apps import AppConfig


class DeliveryConfig(AppConfig):
    name = "microcred.delivery"
    label = "delivery"
    verbose_name = "Delivery and claiming"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Connects the allauth receiver that auto-claims on a newly verified address.
        from microcred.delivery import signals  # noqa: F401
