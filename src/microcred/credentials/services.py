"""The credentials app's writes (one transaction each), gathered from their modules.

- definitions: :func:`create_definition`, :func:`update_definition`, :func:`publish`,
  :func:`archive`
- issuing: :func:`issue_credential`
- revocation: :func:`revoke`, :func:`suspend`, :func:`unsuspend`
- status lists: :func:`allocate` (indexes), :func:`signed_status_list`
- statistics: :func:`record_page_view`
"""

from __future__ import annotations

from microcred.credentials.definitions import (
    EDITABLE,
    archive,
    create_definition,
    publish,
    update_definition,
)
from microcred.credentials.issuing import issue_credential
from microcred.credentials.pageviews import record_page_view
from microcred.credentials.revocation import revoke, suspend, unsuspend
from microcred.credentials.statuslists import Allocation, allocate
from microcred.credentials.statuslists import signed_list as signed_status_list

__all__ = [
    "EDITABLE",
    "Allocation",
    "allocate",
    "archive",
    "create_definition",
    "issue_credential",
    "publish",
    "record_page_view",
    "revoke",
    "signed_status_list",
    "suspend",
    "unsuspend",
    "update_definition",
]
