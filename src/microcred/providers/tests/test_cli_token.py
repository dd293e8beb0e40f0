"""`microcred api-token`: an owner gets a token without a browser; others get exit 2."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from typer.testing import CliRunner

from microcred.cli.main import app
from microcred.providers import services
from microcred.providers.models import ApiToken

runner = CliRunner()


@pytest.mark.django_db
def test_owner_gets_a_token_others_do_not() -> None:
    users = get_user_model().objects
    owner = users.create_user("own@uni.example", "own@uni.example", "pw-123456789")
    users.create_user("x@else.example", "x@else.example", "pw-123456789")
    services.create_provider(actor=owner, slug="uni", name="Uni", legal_name="Uni", country="NL")
    made = runner.invoke(app, ["api-token", "--provider", "uni", "--as", "own@uni.example"])
    assert made.exit_code == 0, made.output
    secret = made.output.strip()
    assert secret.startswith("mc_") and services.authenticate_api_token(secret) is not None
    assert not ApiToken.objects.filter(secret_hash=secret).exists()  # only the hash is stored
    refused = runner.invoke(app, ["api-token", "--provider", "uni", "--as", "x@else.example"])
    assert refused.exit_code == 2 and "x@else.example" in refused.output
    missing = runner.invoke(app, ["api-token", "--provider", "nope", "--as", "own@uni.example"])
    assert missing.exit_code == 2 and "no provider" in missing.output
