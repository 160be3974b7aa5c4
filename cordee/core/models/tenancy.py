from django.db import models
from django.utils.translation import gettext_lazy as _

from .geography import Municipality


class Organisation(models.Model):
    """A legal entity: the hub, a food counter, a collective kitchen, a coalition..."""

    class Kind(models.TextChoices):
        HUB = "hub", _("Hub")
        FOOD_COUNTER = "food_counter", _("Food counter")
        COLLECTIVE_KITCHEN = "collective_kitchen", _("Collective kitchen")
        COALITION = "coalition", _("Coalition")
        FOOD_BANK = "food_bank", _("Food bank (supplier)")
        STORE = "store", _("Store")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name"), max_length=80, unique=True)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices, default=Kind.OTHER)
    legal_name = models.CharField(_("legal name"), max_length=200, blank=True)
    enterprise_number = models.CharField(_("enterprise number (NEQ)"), max_length=20, blank=True)
    charity_number = models.CharField(_("charity number"), max_length=20, blank=True)
    description = models.TextField(_("description"), blank=True)
    contact_name = models.CharField(_("contact person"), max_length=200, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True)
    website = models.URLField(_("website"), blank=True)
    address = models.CharField(_("address"), max_length=255, blank=True)
    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("municipality"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organisations",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name


class Network(models.Model):
    """A group of organisations pooling services, led by a coordinating organisation."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name"), max_length=80, unique=True)
    description = models.TextField(_("description"), blank=True)
    coordinating_organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("coordinating organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="coordinated_networks",
    )
    members: models.ManyToManyField = models.ManyToManyField(
        Organisation, through="NetworkMembership", related_name="networks"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("network")
        verbose_name_plural = _("networks")

    def __str__(self) -> str:
        return self.name


class NetworkMembership(models.Model):
    """An organisation's membership in a network and the pooled services it takes part in."""

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="network_memberships"
    )
    joined_on = models.DateField(_("member since"), null=True, blank=True)
    services = models.CharField(
        _("pooled services"),
        max_length=500,
        blank=True,
        help_text=_("What this member offers or uses in the network, in a few words."),
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["network", "organisation"], name="uniq_network_member")
        ]
        ordering = ["organisation__name"]
        verbose_name = _("network membership")

    def __str__(self) -> str:
        return f"{self.organisation} ∈ {self.network}"


class Site(models.Model):
    """A physical place of an organisation: warehouse, counter, kitchen, mobile stop..."""

    class Kind(models.TextChoices):
        WAREHOUSE = "warehouse", _("Warehouse")
        COUNTER = "counter", _("Food counter")
        KITCHEN = "kitchen", _("Kitchen")
        MOBILE_STOP = "mobile_stop", _("Mobile counter stop")
        OFFICE = "office", _("Office")
        STORE = "store", _("Store")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="sites", verbose_name=_("organisation")
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    address = models.CharField(_("address"), max_length=255, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=10, blank=True)
    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("municipality"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sites",
    )
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    # Capacities are weights, so they are stored in grams like every weight in Cordée.
    fridge_capacity_g = models.PositiveBigIntegerField(_("refrigerated capacity"), default=0)
    freezer_capacity_g = models.PositiveBigIntegerField(_("frozen capacity"), default=0)
    dry_capacity_g = models.PositiveBigIntegerField(_("dry capacity"), default=0)
    notes = models.TextField(_("notes"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["organisation__name", "name"]
        verbose_name = _("site")
        verbose_name_plural = _("sites")

    def __str__(self) -> str:
        return self.name

    @property
    def coordinates(self) -> tuple[float, float] | None:
        """The site's own coordinates, else its municipality's (approximate)."""
        if self.latitude is not None and self.longitude is not None:
            return (self.latitude, self.longitude)
        if self.municipality is not None:
            return (self.municipality.latitude, self.municipality.longitude)
        return None


class OpeningHours(models.Model):
    """One opening period of a site on a weekday (a site may open twice the same day)."""

    class Weekday(models.IntegerChoices):
        MONDAY = 0, _("Monday")
        TUESDAY = 1, _("Tuesday")
        WEDNESDAY = 2, _("Wednesday")
        THURSDAY = 3, _("Thursday")
        FRIDAY = 4, _("Friday")
        SATURDAY = 5, _("Saturday")
        SUNDAY = 6, _("Sunday")

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="opening_hours")
    weekday = models.PositiveSmallIntegerField(_("day"), choices=Weekday.choices)
    opens_at = models.TimeField(_("opens at"))
    closes_at = models.TimeField(_("closes at"))

    class Meta:
        ordering = ["weekday", "opens_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes_at__gt=models.F("opens_at")),
                name="opening_hours_closes_after_opening",
            )
        ]
        verbose_name = _("opening hours")
        verbose_name_plural = _("opening hours")

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.opens_at:%H:%M}–{self.closes_at:%H:%M}"
