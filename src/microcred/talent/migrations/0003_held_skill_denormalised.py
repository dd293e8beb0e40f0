"""HeldSkill carries the credential's usability, its public flag and the consent's scope,
so that ranking reads one table; existing rows get them from the records they copy."""

from typing import Any

from django.conf import settings
from django.db import migrations, models
from django.db.models import Exists, OuterRef, Q


def fill(apps: Any, schema_editor: Any) -> None:
    held = apps.get_model("talent", "HeldSkill")
    wallet = apps.get_model("wallet", "WalletCredential")
    held.objects.filter(
        Q(issued__isnull=True) | Q(issued__state="active"),
        Q(wallet__isnull=True) | Q(wallet__verdict="valid"),
    ).update(usable=True)
    held.objects.filter(owner__matching_consent__scope="all").update(scope_all=True)
    claim = wallet.objects.filter(
        owner_id=OuterRef("owner_id"), issued_id=OuterRef("issued_id"), is_public=True
    )
    held.objects.filter(Q(wallet__is_public=True) | Q(Exists(claim), issued__isnull=False)).update(
        public=True
    )


class Migration(migrations.Migration):
    dependencies = [
        ("credentials", "0005_page_views"),
        ("talent", "0002_learner_goal"),
        ("wallet", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="heldskill",
            name="public",
            field=models.BooleanField(default=False),
        ),
        migrations.AddField(
            model_name="heldskill",
            name="scope_all",
            field=models.BooleanField(default=False),
        ),
        migrations.AddField(
            model_name="heldskill",
            name="usable",
            field=models.BooleanField(default=False),
        ),
        migrations.AddIndex(
            model_name="heldskill",
            index=models.Index(
                fields=[
                    "skill_uri",
                    "usable",
                    "owner",
                    "level",
                    "valid_until",
                    "scope_all",
                    "public",
                    "trust",
                    "issued_at",
                ],
                name="held_skill_ranking",
            ),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
