"""Write docs/access-control.md from the access tables: ``python -m
microcred.platform.tests.access_doc`` (``test_access_matrix`` checks the file is current)."""

from __future__ import annotations

import os
import sys

import django


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "microcred.platform.settings")
    os.environ.setdefault("MICROCRED_ENV", "test")
    django.setup()
    from microcred.platform.tests import access_matrix

    access_matrix.DOC.write_text(access_matrix.markdown(), encoding="utf-8")
    sys.stdout.write(f"wrote {access_matrix.DOC}\n")


if __name__ == "__main__":
    main()
