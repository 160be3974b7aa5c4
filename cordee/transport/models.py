"""Fleet, drivers, tours and their stops, and the mobile counter's schedule.

Weights are integer grams per compartment (dry, chilled, frozen), like every weight in
Cordée. Planned times on a stop are seconds since the tour day's midnight (local time), as
the routing model speaks; what really happened (arrived, finished) is an aware datetime.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cordee.core.models import Organisation, Site

WEEKDAY_CHOICES = [
    (0, _("Monday")),
    (1, _("Tuesday")),
    (2, _("Wednesday")),
    (3, _("Thursday")),
    (4, _("Friday")),
    (5, _("Saturday")),
    (6, _("Sunday")),
]


class Vehicle(models.Model):
    """A truck or van of the organisation, with a capacity per compartment."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="vehicles"
    )
    name = models.CharField(_("name"), max_length=120)
    dry_capacity_g = models.PositiveBigIntegerField(_("dry capacity"), default=0)
    chilled_capacity_g = models.PositiveBigIntegerField(_("refrigerated capacity"), default=0)
    frozen_capacity_g = models.PositiveBigIntegerField(_("frozen capacity"), default=0)
    cost_per_km_cents = models.PositiveIntegerField(_("cost per km (cents)"), default=0)
    # Weekday numbers, Monday = 0, as a string of digits ("01234": Monday to Friday).
    available_weekdays = models.CharField(_("days available"), max_length=7, default="01234")
    # How long chilled and frozen food may stay on board (cold chain); empty: no limit.
    cold_max_minutes = models.PositiveSmallIntegerField(
        _("longest time on board for cold food (minutes)"), null=True, blank=True
    )
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="uniq_vehicle_name")
        ]
        verbose_name = _("vehicle")

    def __str__(self) -> str:
        return self.name

    @property
    def capacity(self) -> tuple[int, int, int]:
        return (self.dry_capacity_g, self.chilled_capacity_g, self.frozen_capacity_g)

    def is_available_on(self, weekday: int) -> bool:
        return str(weekday) in self.available_weekdays


class DriverProfile(models.Model):
    """What planning needs to know about a person with the driver role."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="driver_profiles"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="driver_profiles"
    )
    licence_class = models.CharField(_("licence class"), max_length=10, blank=True)
    available_weekdays = models.CharField(_("days available"), max_length=7, default="01234")
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "user"], name="uniq_driver_profile")
        ]
        verbose_name = _("driver")

    def __str__(self) -> str:
        return str(self.user)


class Tour(models.Model):
    """One vehicle's trip on one day, from a depot (a site) and back, with ordered stops."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PLANNED = "planned", _("Planned")
        IN_PROGRESS = "in_progress", _("On the road")
        DONE = "done", _("Done")

    class Optimisation(models.TextChoices):
        IDLE = "idle", _("Not optimised")
        QUEUED = "queued", _("Waiting to start")
        RUNNING = "running", _("Looking for the best order")
        DONE = "done", _("Optimised")
        FAILED = "failed", _("Failed")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="tours")
    date = models.DateField(_("date"))
    vehicle = models.ForeignKey(
        Vehicle, on_delete=models.PROTECT, related_name="tours", verbose_name=_("vehicle")
    )
    driver = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="tours_driven",
        verbose_name=_("driver"),
    )
    start_site = models.ForeignKey(
        Site, on_delete=models.PROTECT, related_name="+", verbose_name=_("leaves from")
    )
    end_site = models.ForeignKey(
        Site, on_delete=models.PROTECT, related_name="+", verbose_name=_("comes back to")
    )
    starts_at = models.TimeField(_("leaves at"))
    ends_at = models.TimeField(_("back by"))
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT)
    optimisation = models.CharField(
        max_length=10, choices=Optimisation.choices, default=Optimisation.IDLE
    )
    optimisation_started_at = models.DateTimeField(null=True, blank=True)
    optimisation_seconds = models.FloatField(default=0)
    optimisation_error = models.CharField(max_length=300, blank=True)
    # The plan of the current order (filled by optimisation and by every move).
    distance_m = models.PositiveIntegerField(null=True, blank=True)
    duration_s = models.PositiveIntegerField(null=True, blank=True)
    warnings = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["date", "starts_at", "pk"]
        indexes = [models.Index(fields=["organisation", "date"])]
        verbose_name = _("tour")

    def __str__(self) -> str:
        return f"{self.vehicle} {self.date:%Y-%m-%d}"


class MobileCounterStop(models.Model):
    """A regular stop of the mobile counter: a place, a weekday, every one or two weeks."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="mobile_counter_stops"
    )
    site = models.ForeignKey(
        Site, on_delete=models.PROTECT, related_name="mobile_counter_stops", verbose_name=_("place")
    )
    weekday = models.PositiveSmallIntegerField(_("day"), choices=WEEKDAY_CHOICES)
    every_weeks = models.PositiveSmallIntegerField(
        _("how often"), choices=[(1, _("Every week")), (2, _("Every two weeks"))], default=1
    )
    starts_at = models.TimeField(_("from"))
    ends_at = models.TimeField(_("to"))
    first_date = models.DateField(_("first day"))
    # Food the truck brings for the households, by compartment.
    dry_g = models.PositiveBigIntegerField(_("dry food brought"), default=0)
    chilled_g = models.PositiveBigIntegerField(_("refrigerated food brought"), default=0)
    frozen_g = models.PositiveBigIntegerField(_("frozen food brought"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["weekday", "starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="mobile_counter_ends_after_start",
            ),
            models.CheckConstraint(
                condition=models.Q(every_weeks__in=[1, 2]), name="mobile_counter_every_1_or_2"
            ),
        ]
        verbose_name = _("mobile counter stop")

    def __str__(self) -> str:
        return f"{self.site} ({self.get_weekday_display()})"


class MobileCounterCancellation(models.Model):
    """One date when a mobile counter stop does not take place."""

    stop = models.ForeignKey(
        MobileCounterStop, on_delete=models.CASCADE, related_name="cancellations"
    )
    date = models.DateField(_("date"))
    reason = models.CharField(_("reason"), max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(fields=["stop", "date"], name="uniq_mobile_cancellation")
        ]
        verbose_name = _("mobile counter cancellation")

    def __str__(self) -> str:
        return f"{self.stop} {self.date:%Y-%m-%d}"


class TourStop(models.Model):
    """A stop of a tour, in order, with its time window, loads and what happened."""

    class Kind(models.TextChoices):
        FOOD_BANK_PICKUP = "food_bank_pickup", _("Food bank pickup")
        STORE_PICKUP = "store_pickup", _("Store pickup")
        DELIVERY = "delivery", _("Delivery")
        MOBILE_COUNTER = "mobile_counter", _("Mobile counter")

    tour = models.ForeignKey(Tour, on_delete=models.CASCADE, related_name="stops")
    order = models.PositiveSmallIntegerField(_("order"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="+")
    window_start = models.TimeField(_("not before"), null=True, blank=True)
    window_end = models.TimeField(_("not after"), null=True, blank=True)
    # A mobile-counter stop is announced to the public: it starts at window_start exactly.
    fixed_time = models.BooleanField(_("fixed time"), default=False)
    service_minutes = models.PositiveSmallIntegerField(_("time on site (minutes)"), default=15)
    delivery_dry_g = models.PositiveBigIntegerField(default=0)
    delivery_chilled_g = models.PositiveBigIntegerField(default=0)
    delivery_frozen_g = models.PositiveBigIntegerField(default=0)
    pickup_dry_g = models.PositiveBigIntegerField(default=0)
    pickup_chilled_g = models.PositiveBigIntegerField(default=0)
    pickup_frozen_g = models.PositiveBigIntegerField(default=0)
    # The plan for the current order: seconds since midnight; load after the stop in grams.
    planned_arrival_s = models.PositiveIntegerField(null=True, blank=True)
    planned_start_s = models.PositiveIntegerField(null=True, blank=True)
    planned_departure_s = models.PositiveIntegerField(null=True, blank=True)
    wait_s = models.PositiveIntegerField(default=0)
    lateness_s = models.PositiveIntegerField(default=0)
    load_after_g = models.JSONField(default=list, blank=True)
    arrived_at = models.DateTimeField(_("arrived"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    delivery = models.ForeignKey(
        "logistics.Delivery",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="tour_stops",
    )
    mobile_counter = models.ForeignKey(
        MobileCounterStop,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="tour_stops",
    )
    # A store pickup from the recovery schedule: the driver records it on its own screen.
    pickup = models.ForeignKey(
        "logistics.Pickup",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="tour_stops",
    )

    class Meta:
        ordering = ["tour", "order", "pk"]
        verbose_name = _("stop")

    def __str__(self) -> str:
        return f"{self.order}. {self.site}"

    @property
    def key(self) -> str:
        """Stable from week to week (the same place), so a re-plan can keep last week's order."""
        return f"{self.kind}:{self.site_id}"

    @property
    def delivery_load(self) -> tuple[int, int, int]:
        return (self.delivery_dry_g, self.delivery_chilled_g, self.delivery_frozen_g)

    @property
    def pickup_load(self) -> tuple[int, int, int]:
        return (self.pickup_dry_g, self.pickup_chilled_g, self.pickup_frozen_g)

    @property
    def is_pickup(self) -> bool:
        return self.kind in (self.Kind.FOOD_BANK_PICKUP, self.Kind.STORE_PICKUP)


from .models_notices import *  # noqa: E402,F403
