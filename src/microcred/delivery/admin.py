from django.contrib import admin

from microcred.delivery.models import ClaimInvitation


@admin.register(ClaimInvitation)
class ClaimInvitationAdmin(admin.ModelAdmin[ClaimInvitation]):
    list_display = ("credential", "sent_at", "send_attempts", "claimed_by", "claimed_at")
    list_filter = ("sent_at", "claimed_at")
    # The token hash is useless to an operator and the rows are written by the services only.
    exclude = ("token_hash",)
    readonly_fields = (
        "credential",
        "created_at",
        "sent_at",
        "send_attempts",
        "last_error",
        "sending_until",
        "claimed_by",
        "claimed_at",
    )
