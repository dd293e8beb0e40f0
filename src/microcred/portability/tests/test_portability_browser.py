"""Export, backup and restore in a real browser (Debian chromium via Playwright): Ana
downloads a signed CLR and a backup, then a fresh account restores the backup."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from microcred.core.verify.fetcher import StaticFetcher
from microcred.core.verify.verifier import VerifyOptions, verify_document
from microcred.delivery.services import claim_all_for_user
from microcred.platform.tests.conftest import page, screenshot  # noqa: F401 (the fixture)
from microcred.wallet import services as wallet_services
from microcred.wallet.models import WalletCredential
from microcred.wallet.tests.conftest import OB3, WORK, make_learner
from microcred.wallet.tests.test_wallet_browser import sign_in

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.xdist_group("browser")]
PASSPHRASE = "a passphrase for the backup"


def test_export_backup_and_restore_into_a_fresh_account(
    page: Any,  # noqa: F811
    live_server: Any,
    learner: Any,
    issue: Any,
    offline: Any,
    tmp_path: Path,
) -> None:
    offline()
    wallet_services.import_bytes(
        learner, (OB3 / "simple.json").read_bytes(), source="upload", name="simple.json"
    )
    issue(WORK)
    claim_all_for_user(learner)
    sign_in(page, live_server, learner)

    page.goto(live_server.url + "/wallet/export")
    screenshot(page, "portability-export")
    page.get_by_label("Everything in my wallet").check()
    with page.expect_download() as caught:
        page.get_by_role("button", name="Download the signed record").click()
    clr_path = tmp_path / "clr.json"
    caught.value.save_as(str(clr_path))
    clr = json.loads(clr_path.read_text(encoding="utf-8"))
    assert len(clr["credentialSubject"]["verifiableCredential"]) == 2
    options = VerifyOptions(fetcher=StaticFetcher())
    assert verify_document(clr, name="clr.json", options=options).verified

    page.goto(live_server.url + "/wallet/backup")
    page.get_by_label("Passphrase", exact=True).fill(PASSPHRASE)
    page.get_by_label("The passphrase again").fill(PASSPHRASE)
    screenshot(page, "portability-backup")
    with page.expect_download() as caught:
        page.get_by_role("button", name="Download the backup").click()
    backup_path = tmp_path / "backup.json"
    caught.value.save_as(str(backup_path))

    newcomer = make_learner("newcomer", "newcomer@example.org")
    page.context.clear_cookies()
    sign_in(page, live_server, newcomer)
    page.goto(live_server.url + "/wallet/restore")
    page.get_by_label("Backup file").set_input_files(str(backup_path))
    page.get_by_label("Its passphrase").fill("not the passphrase")
    page.get_by_role("button", name="Restore").click()
    page.wait_for_load_state()
    assert "Nothing was restored. passphrase" in page.get_by_role("alert").inner_text()
    screenshot(page, "portability-restore-wrong-passphrase")
    assert not WalletCredential.objects.filter(owner=newcomer).exists()

    page.get_by_label("Backup file").set_input_files(str(backup_path))
    page.get_by_label("Its passphrase").fill(PASSPHRASE)
    page.get_by_role("button", name="Restore").click()
    page.wait_for_load_state()
    status = page.get_by_role("status").inner_text()
    assert "2 credentials added" in status and "Teamwork" in status
    screenshot(page, "portability-restored")
    page.get_by_role("link", name="Go to your wallet").click()
    assert page.locator("table.wallet-table tbody tr").count() == 2
    screenshot(page, "portability-wallet-after-restore")
