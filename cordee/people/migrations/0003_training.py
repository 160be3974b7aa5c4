# Training modules, progress, sessions and tips (hand-written: the shared graph was mid-edit).

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

from cordee.people.training_seed import LIBRARY

ONE_PERSON = models.Q(("user__isnull", False), ("volunteer__isnull", True)) | models.Q(
    ("user__isnull", True), ("volunteer__isnull", False)
)


def load_library(apps, schema_editor):
    module = apps.get_model("people", "TrainingModule")
    for row in LIBRARY:
        data = dict(row)
        key = data.pop("key")
        module.objects.update_or_create(key=key, network=None, organisation=None, defaults=data)


def person_fks(related: str) -> list:
    return [
        (
            "user",
            models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name=related,
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        (
            "volunteer",
            models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name=related,
                to="people.volunteer",
            ),
        ),
    ]


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0002_load_municipalities"),
        ("people", "0002_hours_positions"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="TrainingModule",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("key", models.SlugField(blank=True, max_length=60)),
                ("title", models.CharField(max_length=160, verbose_name="title")),
                (
                    "summary",
                    models.CharField(blank=True, max_length=240, verbose_name="in a few words"),
                ),
                ("audience", models.JSONField(blank=True, default=list, verbose_name="for whom")),
                (
                    "format",
                    models.CharField(
                        choices=[
                            ("guide", "Guide page in the app"),
                            ("video", "Video"),
                            ("in_person", "In-person session"),
                        ],
                        max_length=10,
                        verbose_name="format",
                    ),
                ),
                ("body", models.TextField(blank=True, verbose_name="text of the guide")),
                ("video_url", models.URLField(blank=True, verbose_name="video address")),
                ("minutes", models.PositiveSmallIntegerField(default=15, verbose_name="minutes")),
                (
                    "comfort_levels",
                    models.JSONField(blank=True, default=list, verbose_name="suits"),
                ),
                ("order", models.PositiveSmallIntegerField(default=100)),
                ("is_active", models.BooleanField(default=True, verbose_name="active")),
                (
                    "network",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="training_modules",
                        to="core.network",
                    ),
                ),
                (
                    "organisation",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="training_modules",
                        to="core.organisation",
                    ),
                ),
            ],
            options={"verbose_name": "training module", "ordering": ["order", "title"]},
        ),
        migrations.AddConstraint(
            model_name="trainingmodule",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("network__isnull", False), ("organisation__isnull", False), _negated=True
                ),
                name="people_module_one_owner",
            ),
        ),
        migrations.AddConstraint(
            model_name="trainingmodule",
            constraint=models.UniqueConstraint(
                condition=models.Q(("network__isnull", True), ("organisation__isnull", True))
                & models.Q(("key", ""), _negated=True),
                fields=("key",),
                name="people_module_library_key",
            ),
        ),
        migrations.CreateModel(
            name="TrainingPreference",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "comfort",
                    models.CharField(
                        blank=True,
                        choices=[("none", "Not at all"), ("some", "A little"), ("yes", "Yes")],
                        max_length=5,
                        verbose_name="comfortable with a tablet",
                    ),
                ),
                ("show_tips", models.BooleanField(default=True, verbose_name="show the tips")),
                ("dismissed_tips", models.JSONField(blank=True, default=list)),
                (
                    "user",
                    models.OneToOneField(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="training_preference",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "volunteer",
                    models.OneToOneField(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="training_preference",
                        to="people.volunteer",
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.CheckConstraint(condition=ONE_PERSON, name="people_pref_person")
                ],
            },
        ),
        migrations.CreateModel(
            name="TrainingProgress",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "started_on",
                    models.DateField(
                        default=django.utils.timezone.localdate, verbose_name="started on"
                    ),
                ),
                (
                    "completed_on",
                    models.DateField(blank=True, null=True, verbose_name="completed on"),
                ),
                (
                    "module",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="progress",
                        to="people.trainingmodule",
                    ),
                ),
                *person_fks("training_progress"),
            ],
            options={
                "constraints": [
                    models.CheckConstraint(condition=ONE_PERSON, name="people_progress_person"),
                    models.UniqueConstraint(
                        condition=models.Q(("user__isnull", False)),
                        fields=("user", "module"),
                        name="people_progress_user_once",
                    ),
                    models.UniqueConstraint(
                        condition=models.Q(("volunteer__isnull", False)),
                        fields=("volunteer", "module"),
                        name="people_progress_volunteer_once",
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="TrainingSession",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("starts_at", models.DateTimeField(verbose_name="date and time")),
                ("place", models.CharField(max_length=200, verbose_name="place")),
                ("seats", models.PositiveSmallIntegerField(default=8, verbose_name="seats")),
                (
                    "module",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="sessions",
                        to="people.trainingmodule",
                    ),
                ),
                (
                    "organisation",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="training_sessions",
                        to="core.organisation",
                    ),
                ),
            ],
            options={"verbose_name": "training session", "ordering": ["starts_at"]},
        ),
        migrations.CreateModel(
            name="TrainingSessionSignup",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                (
                    "session",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="signups",
                        to="people.trainingsession",
                    ),
                ),
                *person_fks("training_signups"),
            ],
            options={
                "ordering": ["created_at", "pk"],
                "constraints": [
                    models.CheckConstraint(
                        condition=ONE_PERSON, name="people_session_signup_person"
                    ),
                    models.UniqueConstraint(
                        condition=models.Q(("user__isnull", False)),
                        fields=("session", "user"),
                        name="people_session_user_once",
                    ),
                    models.UniqueConstraint(
                        condition=models.Q(("volunteer__isnull", False)),
                        fields=("session", "volunteer"),
                        name="people_session_volunteer_once",
                    ),
                ],
            },
        ),
        migrations.RunPython(load_library, migrations.RunPython.noop),
    ]
