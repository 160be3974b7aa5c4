"""Training: modules (guide page, video or in-person), each person's progress, sessions, tips.

A module belongs to nobody (the shared Cordée library, seeded by migration 0003), to a
network (pooled) or to one organisation. A "person" is a login (user) or a volunteer
without one: exactly one of the two is set on every per-person row.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cordee.core.models import Network, Organisation

from .models import Volunteer

__all__ = [
    "Comfort",
    "TrainingModule",
    "TrainingPreference",
    "TrainingProgress",
    "TrainingSession",
    "TrainingSessionSignup",
]

# Exactly one of user / volunteer.
_ONE_PERSON = models.Q(user__isnull=False, volunteer__isnull=True) | models.Q(
    user__isnull=True, volunteer__isnull=False
)


class Comfort(models.TextChoices):
    """« Je suis à l'aise avec une tablette »."""

    NONE = "none", _("Not at all")
    SOME = "some", _("A little")
    YES = "yes", _("Yes")


class TrainingModule(models.Model):
    class Format(models.TextChoices):
        GUIDE = "guide", _("Guide page in the app")
        VIDEO = "video", _("Video")
        IN_PERSON = "in_person", _("In-person session")

    # Extra audience beyond Role values: people on shifts needing a food handler certificate.
    FOOD_HANDLER = "food_handler"

    key = models.SlugField(max_length=60, blank=True)
    network = models.ForeignKey(
        Network, on_delete=models.CASCADE, null=True, blank=True, related_name="training_modules"
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="training_modules",
    )
    title = models.CharField(_("title"), max_length=160)
    summary = models.CharField(_("in a few words"), max_length=240, blank=True)
    # Role values (and FOOD_HANDLER); empty means everyone.
    audience = models.JSONField(_("for whom"), default=list, blank=True)
    format = models.CharField(_("format"), max_length=10, choices=Format.choices)
    body = models.TextField(_("text of the guide"), blank=True)
    video_url = models.URLField(_("video address"), blank=True)
    minutes = models.PositiveSmallIntegerField(_("minutes"), default=15)
    # Comfort values the module suits; empty means every level.
    comfort_levels = models.JSONField(_("suits"), default=list, blank=True)
    order = models.PositiveSmallIntegerField(default=100)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["order", "title"]
        verbose_name = _("training module")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(network__isnull=False, organisation__isnull=False),
                name="people_module_one_owner",
            ),
            models.UniqueConstraint(
                fields=["key"],
                condition=models.Q(network__isnull=True, organisation__isnull=True)
                & ~models.Q(key=""),
                name="people_module_library_key",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class TrainingPreference(models.Model):
    """A person's comfort with a tablet, and (for a login) the guided tips they see."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="training_preference",
    )
    volunteer = models.OneToOneField(
        Volunteer,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="training_preference",
    )
    comfort = models.CharField(
        _("comfortable with a tablet"), max_length=5, choices=Comfort.choices, blank=True
    )
    show_tips = models.BooleanField(_("show the tips"), default=True)
    dismissed_tips = models.JSONField(default=list, blank=True)

    class Meta:
        constraints = [models.CheckConstraint(condition=_ONE_PERSON, name="people_pref_person")]

    def __str__(self) -> str:
        return str(self.user or self.volunteer)


class TrainingProgress(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="training_progress",
    )
    volunteer = models.ForeignKey(
        Volunteer,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="training_progress",
    )
    module = models.ForeignKey(TrainingModule, on_delete=models.CASCADE, related_name="progress")
    started_on = models.DateField(_("started on"), default=timezone.localdate)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=_ONE_PERSON, name="people_progress_person"),
            models.UniqueConstraint(
                fields=["user", "module"],
                condition=models.Q(user__isnull=False),
                name="people_progress_user_once",
            ),
            models.UniqueConstraint(
                fields=["volunteer", "module"],
                condition=models.Q(volunteer__isnull=False),
                name="people_progress_volunteer_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user or self.volunteer} — {self.module}"


class TrainingSession(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="training_sessions"
    )
    module = models.ForeignKey(TrainingModule, on_delete=models.CASCADE, related_name="sessions")
    starts_at = models.DateTimeField(_("date and time"))
    place = models.CharField(_("place"), max_length=200)
    seats = models.PositiveSmallIntegerField(_("seats"), default=8)

    class Meta:
        ordering = ["starts_at"]
        verbose_name = _("training session")

    def __str__(self) -> str:
        return f"{self.module} — {timezone.localtime(self.starts_at):%Y-%m-%d %H:%M}"


class TrainingSessionSignup(models.Model):
    session = models.ForeignKey(TrainingSession, on_delete=models.CASCADE, related_name="signups")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="training_signups",
    )
    volunteer = models.ForeignKey(
        Volunteer,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="training_signups",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=_ONE_PERSON, name="people_session_signup_person"),
            models.UniqueConstraint(
                fields=["session", "user"],
                condition=models.Q(user__isnull=False),
                name="people_session_user_once",
            ),
            models.UniqueConstraint(
                fields=["session", "volunteer"],
                condition=models.Q(volunteer__isnull=False),
                name="people_session_volunteer_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user or self.volunteer} — {self.session}"
