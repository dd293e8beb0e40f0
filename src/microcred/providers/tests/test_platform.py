"""The platform starts on the configured database and answers its health check."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client


def test_tests_run_with_the_test_configuration() -> None:
    assert settings.CONFIG.environment == "test"


@pytest.mark.django_db
def test_health_reports_the_database(client: Client) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": connection.vendor}
