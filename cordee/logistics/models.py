"""Catalogue, receptions, lots and the stock ledger of the food hub and its members.

Weights are integer grams. Stock is an append-only ledger (StockMovement); StockBalance is
the derived quantity per site × lot, updated in the same transaction under a row lock and
protected by a CHECK constraint, so it can never go negative.
"""

from datetime import date, timedelta

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cordee.core.models import Network, Organisation, Site


class StorageClass(models.TextChoices):
    FROZEN = "frozen", _("Frozen")
    CHILLED = "chilled", _("Refrigerated")
    DRY = "dry", _("Dry")


# Highest acceptable product/air temperature per storage class (RLRQ c. P-29, r. 1).
MAX_TEMPERATURE_C = {StorageClass.CHILLED: 4, StorageClass.FROZEN: -18}
# Perishables first: the order in which allocation and "expiring soon" look at classes.
PERISHABILITY_ORDER = [StorageClass.FROZEN, StorageClass.CHILLED, StorageClass.DRY]


class Category(models.Model):
    """A food category of the network's catalogue, with its storage class and date rule."""

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="categories")
    name = models.CharField(_("name"), max_length=120)
    storage_class = models.CharField(
        _("storage"), max_length=10, choices=StorageClass.choices, default=StorageClass.DRY
    )
    days_after_best_before = models.PositiveSmallIntegerField(
        _("days tolerated after the best-before date"),
        null=True,
        blank=True,
        help_text=_("Empty: no limit (dry goods). 0: not after the date."),
    )
    uses_expiry_date = models.BooleanField(
        _("has an expiry date"),
        default=False,
        help_text=_("Infant formula, supplements: never handed out after the expiry date."),
    )
    is_food = models.BooleanField(_("food"), default=True)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["sort_order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["network", "name"], name="uniq_category_name")
        ]
        verbose_name = _("category")
        verbose_name_plural = _("categories")

    def __str__(self) -> str:
        return self.name


class Item(models.Model):
    """An optional finer item under a category (most counters weigh by category only)."""

    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="items")
    name = models.CharField(_("name"), max_length=120)
    unit_weight_g = models.PositiveIntegerField(_("unit weight (g)"), null=True, blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["category", "name"], name="uniq_item")]
        verbose_name = _("item")

    def __str__(self) -> str:
        return self.name


class FactorSet(models.Model):
    """A named set of impact factors, shown on every report that uses it."""

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="factor_sets")
    name = models.CharField(_("name"), max_length=120)
    source = models.TextField(_("source"), blank=True)
    is_default = models.BooleanField(_("default"), default=False)

    class Meta:
        ordering = ["-is_default", "name"]
        constraints = [
            models.UniqueConstraint(fields=["network", "name"], name="uniq_factor_set_name")
        ]
        verbose_name = _("impact factor set")

    def __str__(self) -> str:
        return self.name


class CategoryFactor(models.Model):
    factor_set = models.ForeignKey(FactorSet, on_delete=models.CASCADE, related_name="factors")
    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="factors")
    meals_per_kg = models.DecimalField(_("meals per kg"), max_digits=6, decimal_places=3)
    co2e_kg_per_kg = models.DecimalField(
        _("kg CO2e avoided per kg"), max_digits=6, decimal_places=3
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["factor_set", "category"], name="uniq_category_factor")
        ]

    def __str__(self) -> str:
        return f"{self.factor_set} — {self.category}"


class Reception(models.Model):
    """Food coming in at a site: from the food bank, a store pickup, a donor..."""

    class Source(models.TextChoices):
        FOOD_BANK = "food_bank", _("Regional food bank")
        RECOVERY = "recovery", _("Supermarket recovery")
        DONATION = "donation", _("Local donor")
        FARM = "farm", _("Farm or gleaning")
        PURCHASE = "purchase", _("Purchase")
        TRANSFER = "transfer", _("Transfer")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="receptions"
    )
    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="receptions")
    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    supplier = models.ForeignKey(
        Organisation,
        verbose_name=_("supplier or store"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="supplied_receptions",
    )
    donor_name = models.CharField(_("donor"), max_length=200, blank=True)
    received_on = models.DateField(_("date"))
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-received_on", "-id"]
        indexes = [models.Index(fields=["organisation", "-received_on"])]
        verbose_name = _("reception")

    def __str__(self) -> str:
        return f"{self.get_source_display()} — {self.received_on:%Y-%m-%d}"


class Lot(models.Model):
    """A quantity of one category (or item) received together: the unit of traceability."""

    class Decision(models.TextChoices):
        NONE = "", _("No decision needed")
        ACCEPTED = "accepted", _("Accepted")
        QUARANTINED = "quarantined", _("Set aside (quarantine)")
        DISCARDED = "discarded", _("Discarded")

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="lots")
    reception = models.ForeignKey(
        Reception, on_delete=models.PROTECT, null=True, blank=True, related_name="lots"
    )
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="lots")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, null=True, blank=True)
    storage_class = models.CharField(_("storage"), max_length=10, choices=StorageClass.choices)
    received_g = models.PositiveBigIntegerField(_("weight received"))
    unit_count = models.PositiveIntegerField(_("units"), null=True, blank=True)
    best_before = models.DateField(_("best before"), null=True, blank=True)
    expiry_date = models.DateField(_("expiry date"), null=True, blank=True)
    supplier_lot_code = models.CharField(_("supplier lot number"), max_length=60, blank=True)
    temperature_c = models.DecimalField(
        _("temperature at reception (°C)"), max_digits=4, decimal_places=1, null=True, blank=True
    )
    decision = models.CharField(
        _("decision"), max_length=12, choices=Decision.choices, blank=True, default=""
    )
    decision_reason = models.CharField(_("reason"), max_length=300, blank=True)
    blocked_at = models.DateTimeField(_("blocked (recall)"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("lot")

    def __str__(self) -> str:
        return f"#{self.pk} {self.category}"

    @property
    def use_by(self) -> date | None:
        """Last day this lot may be handed out under its category's date rule."""
        if self.expiry_date is not None:
            return self.expiry_date
        tolerance = self.category.days_after_best_before
        if self.best_before is not None and tolerance is not None:
            return self.best_before + timedelta(days=tolerance)
        return None

    @property
    def is_available(self) -> bool:
        """May be picked: not blocked by a recall nor set aside."""
        return self.blocked_at is None and self.decision != self.Decision.QUARANTINED


class StockMovement(models.Model):
    """One line of the append-only stock ledger. Positive quantity in, negative out."""

    class Kind(models.TextChoices):
        RECEPTION = "reception", _("Reception")
        TRANSFER_OUT = "transfer_out", _("Transfer out")
        TRANSFER_IN = "transfer_in", _("Transfer in")
        DELIVERY_OUT = "delivery_out", _("Delivery to a member")
        DELIVERY_IN = "delivery_in", _("Delivery received")
        DISTRIBUTION = "distribution", _("Distribution at a counter")
        LOSS = "loss", _("Loss")
        ADJUSTMENT = "adjustment", _("Count adjustment")

    class LossReason(models.TextChoices):
        NONE = "", "—"
        SPOILED = "spoiled", _("Spoiled")
        EXPIRED = "expired", _("Past its date")
        DAMAGED = "damaged", _("Damaged")
        COLD_CHAIN = "cold_chain", _("Cold chain broken")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="stock_movements"
    )
    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="stock_movements")
    lot = models.ForeignKey(Lot, on_delete=models.PROTECT, related_name="movements")
    kind = models.CharField(_("movement"), max_length=20, choices=Kind.choices)
    quantity_g = models.BigIntegerField(_("quantity (g)"))
    loss_reason = models.CharField(
        _("loss reason"), max_length=12, choices=LossReason.choices, blank=True, default=""
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    occurred_on = models.DateField(_("date"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-occurred_on", "-id"]
        indexes = [
            models.Index(fields=["organisation", "occurred_on"]),
            models.Index(fields=["site", "lot"]),
        ]
        constraints = [
            models.CheckConstraint(condition=~models.Q(quantity_g=0), name="movement_not_zero")
        ]
        verbose_name = _("stock movement")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.quantity_g} g"

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk is not None:
            raise ValueError("The stock ledger is append-only.")
        super().save(*args, **kwargs)  # type: ignore[arg-type]


class StockBalance(models.Model):
    """Current quantity of a lot at a site, derived from the ledger (kept in step by the
    services)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="stock_balances")
    lot = models.ForeignKey(Lot, on_delete=models.PROTECT, related_name="balances")
    quantity_g = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["site", "lot"], name="uniq_balance_site_lot"),
            models.CheckConstraint(
                condition=models.Q(quantity_g__gte=0), name="balance_never_negative"
            ),
        ]
        # Stock pages read only what is on hand: years of emptied lots stay out of the scan.
        indexes = [
            models.Index(
                fields=["organisation", "site"],
                condition=models.Q(quantity_g__gt=0),
                name="balance_on_hand",
            )
        ]

    def __str__(self) -> str:
        return f"{self.lot} @ {self.site}: {self.quantity_g} g"


class CounterDistribution(models.Model):
    """A distribution day at a counter, without individual households: baskets and kg."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="counter_distributions"
    )
    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="+")
    distributed_on = models.DateField(_("date"))
    baskets = models.PositiveIntegerField(_("baskets handed out"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-distributed_on", "-id"]
        verbose_name = _("counter distribution")

    def __str__(self) -> str:
        return f"{self.site} {self.distributed_on:%Y-%m-%d}"


class DeliveryDay(models.Model):
    """A day the hub delivers: availability published, orders taken, stock shared fairly."""

    class Status(models.TextChoices):
        OPEN = "open", _("Taking orders")
        ALLOCATED = "allocated", _("Shared out")
        DISPATCHED = "dispatched", _("Delivered")

    class Policy(models.TextChoices):
        HOUSEHOLDS = "households", _("In proportion to households served last month")
        SHARES = "shares", _("In proportion to agreed shares")
        EQUAL = "equal", _("Equal shares")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="delivery_days"
    )
    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="+")
    delivers_on = models.DateField(_("delivery date"))
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.OPEN)
    policy = models.CharField(
        _("how to share when short"),
        max_length=12,
        choices=Policy.choices,
        default=Policy.HOUSEHOLDS,
    )
    allocated_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-delivers_on"]
        constraints = [
            models.UniqueConstraint(fields=["site", "delivers_on"], name="uniq_delivery_day")
        ]
        verbose_name = _("delivery day")

    def __str__(self) -> str:
        return f"{self.site} {self.delivers_on:%Y-%m-%d}"


class MemberShare(models.Model):
    """An agreed share of a member in the hub's supply (used by the « shares » policy)."""

    hub = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    member = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    share = models.DecimalField(_("share"), max_digits=7, decimal_places=3)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["hub", "member"], name="uniq_share")]

    def __str__(self) -> str:
        return f"{self.member}: {self.share}"


class Order(models.Model):
    """What a member asks the hub for on a delivery day."""

    delivery_day = models.ForeignKey(DeliveryDay, on_delete=models.CASCADE, related_name="orders")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="orders")
    site = models.ForeignKey(
        Site, verbose_name=_("deliver to"), on_delete=models.PROTECT, related_name="+"
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["delivery_day", "organisation"], name="uniq_order")
        ]
        verbose_name = _("order")

    def __str__(self) -> str:
        return f"{self.organisation} — {self.delivery_day}"


class OrderLine(models.Model):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines")
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="+")
    requested_g = models.PositiveBigIntegerField(_("requested"))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["order", "category"], name="uniq_order_line")
        ]

    def __str__(self) -> str:
        return f"{self.category}: {self.requested_g} g"


class StandingOrderLine(models.Model):
    """A member's usual order, copied into each new delivery day's order."""

    hub = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="standing_order_lines"
    )
    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="+")
    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="+")
    requested_g = models.PositiveBigIntegerField(_("requested"))

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["hub", "organisation", "category"], name="uniq_standing_line"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} {self.category}: {self.requested_g} g"


class AllocationOutcome(models.Model):
    """What a member got of one category on a delivery day, and why (shown to the member)."""

    delivery_day = models.ForeignKey(DeliveryDay, on_delete=models.CASCADE, related_name="outcomes")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="+")
    requested_g = models.PositiveBigIntegerField()
    granted_g = models.PositiveBigIntegerField()
    reason = models.CharField(max_length=300)

    class Meta:
        ordering = ["organisation__name", "category__sort_order"]

    def __str__(self) -> str:
        return f"{self.organisation} {self.category}: {self.granted_g}/{self.requested_g} g"


class AllocationLine(models.Model):
    """A quantity of one lot set aside for one member: a reservation until dispatch."""

    delivery_day = models.ForeignKey(
        DeliveryDay, on_delete=models.CASCADE, related_name="allocation_lines"
    )
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    lot = models.ForeignKey(Lot, on_delete=models.PROTECT, related_name="allocation_lines")
    quantity_g = models.PositiveBigIntegerField()

    class Meta:
        constraints = [
            models.CheckConstraint(condition=models.Q(quantity_g__gt=0), name="allocation_positive")
        ]

    def __str__(self) -> str:
        return f"{self.organisation} {self.lot}: {self.quantity_g} g"


class Delivery(models.Model):
    """Food going out to one member on a delivery day, with its printable note."""

    class Status(models.TextChoices):
        IN_TRANSIT = "in_transit", _("On its way")
        RECEIVED = "received", _("Received in full")
        PARTIAL = "partial", _("Received with differences")

    delivery_day = models.ForeignKey(
        DeliveryDay, on_delete=models.PROTECT, related_name="deliveries"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="deliveries"
    )
    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.IN_TRANSIT)
    received_at = models.DateTimeField(null=True, blank=True)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    receipt_note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        ordering = ["-delivery_day__delivers_on", "organisation__name"]
        constraints = [
            models.UniqueConstraint(fields=["delivery_day", "organisation"], name="uniq_delivery")
        ]
        verbose_name = _("delivery")

    def __str__(self) -> str:
        return f"{self.organisation} — {self.delivery_day}"


class DeliveryLine(models.Model):
    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="lines")
    lot = models.ForeignKey(Lot, on_delete=models.PROTECT, related_name="delivery_lines")
    shipped_g = models.PositiveBigIntegerField(_("shipped"))
    received_g = models.PositiveBigIntegerField(_("received"), null=True, blank=True)
    temperature_c = models.DecimalField(
        _("temperature on arrival (°C)"), max_digits=4, decimal_places=1, null=True, blank=True
    )

    def __str__(self) -> str:
        return f"{self.lot}: {self.shipped_g} g"


class ColdUnit(models.Model):
    """A fridge, freezer or cold room at a site, whose temperature is written down daily."""

    COLD_CLASSES = [StorageClass.CHILLED, StorageClass.FROZEN]

    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="cold_units")
    name = models.CharField(_("name"), max_length=120)
    storage_class = models.CharField(
        _("storage"),
        max_length=10,
        choices=[(c.value, c.label) for c in COLD_CLASSES],
        default=StorageClass.CHILLED,
    )
    is_active = models.BooleanField(_("in use"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["site__name", "name"]
        constraints = [models.UniqueConstraint(fields=["site", "name"], name="uniq_cold_unit_name")]
        verbose_name = _("fridge or freezer")
        verbose_name_plural = _("fridges and freezers")

    def __str__(self) -> str:
        return f"{self.name} ({self.site})"

    @property
    def max_temperature_c(self) -> int:
        return MAX_TEMPERATURE_C[StorageClass(self.storage_class)]


class TemperatureReading(models.Model):
    """One temperature read on a cold unit; out of range is decided when it is written."""

    unit = models.ForeignKey(ColdUnit, on_delete=models.CASCADE, related_name="readings")
    taken_at = models.DateTimeField(_("taken at"))
    temperature_c = models.DecimalField(_("temperature (°C)"), max_digits=4, decimal_places=1)
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    is_out_of_range = models.BooleanField(_("out of range"), default=False)
    action_taken = models.TextField(_("action taken"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-taken_at", "-id"]
        indexes = [models.Index(fields=["unit", "-taken_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(is_out_of_range=False) | ~models.Q(action_taken=""),
                name="out_of_range_needs_action",
            )
        ]
        verbose_name = _("temperature reading")

    def __str__(self) -> str:
        return f"{self.unit} {self.temperature_c} °C"


from .models_recovery import *  # noqa: E402,F403
