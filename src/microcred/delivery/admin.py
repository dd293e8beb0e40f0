from django.contrib import admin
from django.http import HttpRequest

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

    def has_add_permission(self, request: HttpRequest) -> bool:
        # An invitation belongs to an issued credential; the add form (every field read-only)
        # saved one without it: a 500 (the access matrix's operator row found it).
        return False
