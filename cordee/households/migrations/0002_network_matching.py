import django.db.models.deletion
from django.db import migrations, models

import cordee.households.models_matching


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0002_load_municipalities"),
        ("households", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="NetworkHouseholdPolicy",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "dial",
                    models.CharField(
                        choices=[
                            ("walls_up", "Walls up"),
                            ("match_only", "Say only that a match exists"),
                            ("shared", "Name the other organisation"),
                        ],
                        default="walls_up",
                        max_length=20,
                        verbose_name="duplicate check between members",
                    ),
                ),
                (
                    "secret",
                    models.CharField(
                        default=cordee.households.models_matching.new_secret,
                        editable=False,
                        max_length=64,
                    ),
                ),
                ("updated_at", models.DateTimeField(auto_now=True)),
                (
                    "network",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="household_policy",
                        to="core.network",
                    ),
                ),
            ],
            options={"verbose_name": "network household policy"},
        ),
        migrations.CreateModel(
            name="HouseholdMatchToken",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("token", models.CharField(max_length=80)),
                ("kind", models.CharField(max_length=30)),
                ("exact", models.BooleanField(default=True)),
                (
                    "household",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="match_tokens",
                        to="households.household",
                    ),
                ),
                (
                    "network",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="core.network",
                    ),
                ),
            ],
            options={
                "indexes": [
                    models.Index(fields=["network", "token"], name="households__network_708965_idx")
                ],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("household", "network", "token"), name="uniq_household_match_token"
                    )
                ],
            },
        ),
    ]
