"""``microcred manage send_claim_emails [--provider SLUG]``: queue every pending claim email."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from microcred.delivery import services


class Command(BaseCommand):
    help = "Queue the claim email of every credential that has not been sent one yet."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--provider", help="only this provider's credentials (its slug)")

    def handle(self, *args: Any, **options: Any) -> None:
        count = services.deliver_pending(options.get("provider"))
        self.stdout.write(f"queued {count} claim email(s); `microcred worker` sends them")
