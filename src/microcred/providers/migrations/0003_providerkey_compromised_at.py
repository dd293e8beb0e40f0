from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("providers", "0002_apitoken"),
    ]

    operations = [
        migrations.AddField(
            model_name="providerkey",
            name="compromised_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
    ]
