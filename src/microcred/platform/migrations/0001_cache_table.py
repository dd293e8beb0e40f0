"""The database cache table (``microcred_cache``) that rate-limit counters live in.

A migration rather than a separate ``createcachetable`` step, so that every way of creating
or upgrading a database (``microcred db upgrade``, ``manage migrate``, test databases) has
it. It follows ``CACHES`` when it runs: with Redis or a memory cache it creates nothing; after
switching MICROCRED_CACHE_URL to ``db`` later, run ``microcred manage createcachetable``.
"""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps: Any, schema_editor: Any) -> None:
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = []
    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop)]
