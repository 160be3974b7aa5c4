"""A year of plausible logistics for the demo hub, simulated in memory and written in bulk.

At the hub's warehouse, over the `days` up to today: receptions from the regional food
bank (2–4 a week), supermarket recovery at the 4 demo stores (twice a week each), local
donations (food drives at Thanksgiving and in December), farms and gleaning from August to
October; cold lines with temperatures (~2 % too warm, each with a decision); losses found
at the daily sort; a monthly count with small variances.

Food leaves the hub on three delivery days a week: delivery days, orders, deliveries and
their lines as the deliveries feature records them, with the `delivery_out` and
`delivery_in` movements; a member with a second point of service shuttles part of it there
(a transfer). The hub's mobile counter takes its food by transfer to its stops. Counters
and the mobile counter hand food out on their opening days (counter distributions with
baskets, and `distribution` movements); collective kitchens cook it. Finally, standing
orders are set from the last weeks' deliveries and the next delivery day is opened through
the real service, so the demo can go on from there.

The hub's cold room and freezers, and the fridges and freezer of two counters, have their
temperature log: the last 60 days, read twice a day (each working day at the hub, at
opening and closing at a counter), about 2 % too warm, each of those with the action taken.

The services (a lock and an audit row per movement) would take minutes for ~10⁵ movements
on SQLite, so the history is written in bulk, in one transaction, with one
`demo.logistics` audit event: the simulation keeps every site × lot balance in memory and
refuses any movement that would make one negative at any moment, so the ledger and the
balances agree exactly by construction. Deterministic: one `random.Random(2026)`; dates
are relative to the day it runs. Loads once: nothing is written if the hub already has a
reception (the fridges and freezers: nothing if they are there). See
docs/decisions/0005-stock-ledger.md.
"""

import random
import time as clock
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db import connection, models, transaction
from django.utils import timezone

from cordee.core.demo.data import COUNTERS, FOOD_BANK, FRI, HUB, MON, NETWORKS, THU, TUE, USERS, WED
from cordee.core.demo.load import DemoDataError
from cordee.core.models import Network, Organisation, Site, User
from cordee.core.services.audit import audit_record

from .models import (
    MAX_TEMPERATURE_C,
    AllocationOutcome,
    Category,
    ColdUnit,
    CounterDistribution,
    Delivery,
    DeliveryDay,
    DeliveryLine,
    Item,
    Lot,
    Order,
    OrderLine,
    Reception,
    StandingOrderLine,
    StockBalance,
    StockMovement,
    StorageClass,
    TemperatureReading,
)
from .services.catalogue import catalogue_seed_defaults
from .services.orders import delivery_day_open

SEED = 2026
Kind = StockMovement.Kind
Loss = StockMovement.LossReason
Source = Reception.Source
Decision = Lot.Decision

# The default catalogue's names (services/catalogue.py).
PRODUCE = "Fruits et légumes"
MEAT = "Viande"
DAIRY = "Produits laitiers"
BAKERY = "Boulangerie"
DRY = "Épicerie sèche"
FROZEN = "Surgelés"
PREPARED = "Mets préparés"
INFANT = "Préparations pour nourrissons"
HYGIENE = "Produits d'hygiène / non alimentaire"

ITEMS = {
    PRODUCE: ("Pommes", "Carottes", "Pommes de terre", "Oignons", "Laitue", "Bananes"),
    MEAT: ("Poulet", "Bœuf haché", "Porc"),
    DAIRY: ("Lait 2 %", "Yogourt", "Fromage cheddar"),
    BAKERY: ("Pain tranché", "Bagels", "Viennoiseries"),
    DRY: ("Pâtes alimentaires", "Riz", "Conserves de légumes", "Soupes en conserve", "Céréales"),
    FROZEN: ("Légumes surgelés", "Poisson pané", "Pizzas surgelées"),
    PREPARED: ("Sandwichs", "Salades préparées", "Plats cuisinés"),
    INFANT: ("Préparation pour nourrissons en poudre",),
    HYGIENE: ("Savon", "Papier hygiénique", "Couches"),
}

# Shares of a reception's kilograms by category (relative weights).
FOOD_BANK_SHARES = {
    DRY: 40,
    PRODUCE: 24,
    DAIRY: 10,
    FROZEN: 8,
    MEAT: 6,
    BAKERY: 6,
    PREPARED: 3,
    HYGIENE: 2.5,
    INFANT: 0.5,
}
RECOVERY_SHARES = {PRODUCE: 30, BAKERY: 24, DAIRY: 18, MEAT: 13, PREPARED: 10, FROZEN: 5}
DONATION_SHARES = {DRY: 80, HYGIENE: 14, INFANT: 1, BAKERY: 5}
# Days from reception to the date on the package, (fewest, most), by category; the
# stores give what is at its date, so their chilled food is shorter. No entry: no date.
SHELF_DAYS = {
    PRODUCE: (4, 10),
    DAIRY: (6, 20),
    BAKERY: (1, 4),
    PREPARED: (3, 7),
    MEAT: (60, 180),  # frozen: by the store before its date, or by the packer
    FROZEN: (90, 300),
    DRY: (60, 540),
    INFANT: (90, 300),  # an expiry date, not a best-before
}
RECOVERY_SHELF_DAYS = {
    **SHELF_DAYS,
    PRODUCE: (1, 4),
    DAIRY: (1, 5),
    BAKERY: (1, 3),
    PREPARED: (1, 3),
}

# Share of a category's available stock sent on a delivery day (times the route's weight):
# perishables go out fast; the hub keeps about three weeks of dry and frozen food.
SHIP_SHARE = {
    PRODUCE: 0.85,
    DAIRY: 0.8,
    PREPARED: 0.95,
    BAKERY: 0.95,
    MEAT: 0.1,
    FROZEN: 0.1,
    DRY: 0.1,
    INFANT: 0.15,
    HYGIENE: 0.1,
}
# Share of a member site's stock handed out over a week of openings.
HAND_OUT_SHARE = {
    PRODUCE: 0.95,
    DAIRY: 0.95,
    PREPARED: 1.0,
    BAKERY: 1.0,
    MEAT: 0.8,
    FROZEN: 0.8,
    DRY: 0.65,
    INFANT: 0.6,
    HYGIENE: 0.6,
}
# What one household gets from the mobile counter, by category (relative weights).
MOBILE_BASKET = {PRODUCE: 30, DRY: 35, DAIRY: 12, BAKERY: 10, MEAT: 8, FROZEN: 5}

# Delivery days and the member organisations served, before their next openings.
ROUTES = {
    MON: ("panier-des-monts", "grenier-de-la-diable", "garde-manger-du-lac", "marmite-de-lantier"),
    WED: (
        "halte-nourriciere",
        "grenier-de-la-diable",
        "panier-des-monts",
        "epi-solidaire",
        "mains-a-la-pate",
    ),
    FRI: ("partage-sainte-lucie", "coffre-a-provisions", "chaudron-collectif"),
}
# Store pickups: slug → (weekdays, size factor).
PICKUPS = {
    "marche-des-cimes": ((MON, THU), 1.2),
    "epicerie-du-village-val-david": ((TUE, FRI), 0.9),
    "supermarche-le-boise": ((MON, WED), 1.2),
    "coop-de-la-rouge": ((WED, FRI), 0.8),
}
DONORS = (
    "Don d'un particulier",
    "Collecte d'une école primaire",
    "Collecte en entreprise",
    "Club social (fictif)",
    "Collecte d'une paroisse",
)
DRIVE_DONORS = (
    "Guignolée de Sainte-Agathe-des-Monts",
    "Guignolée de Mont-Tremblant",
    "Guignolée de Val-David",
)
FARMS = (
    "Ferme maraîchère des Hauts (fictive)",
    "Verger de la Montagne (fictif)",
    "Glanage — bénévoles du Carrefour",
    "Jardin collectif de Val-David (fictif)",
)
WARM_ACCEPTED = (
    "Produit à cœur sous la limite; seule la lecture à la porte du camion était haute.",
    "Moins de 30 minutes hors du froid au déchargement, remis au froid aussitôt.",
    "Écart passager du camion; produit ferme et froid au toucher, accepté.",
)
WARM_QUARANTINED = (
    "Mis de côté en attendant l'avis de la coordination.",
    "Mis de côté : vérifier avec le magasin l'heure de sortie du froid.",
)
WARM_DISCARDED = (
    "Plus de deux heures hors du froid selon le chauffeur : jeté.",
    "Emballages tièdes et gonflés : jetés à la réception.",
)
FULL_ORDER = "Commande complète : il y avait assez de stock."
WEEKDAY_FR = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
STANDING_WEEKS = 8  # standing orders: the average delivery of the last weeks

# A reception line: category, grams, (fewest, most) days to its date or None.
Line = tuple[str, int, tuple[int, int] | None]


@dataclass(frozen=True)
class LogisticsDemoSummary:
    created: int  # rows written by this run (0: already loaded)
    receptions: int
    lots: int
    movements: int
    received_kg: dict[str, float]  # by reception source
    hub_stock_kg: float
    seconds: float


@dataclass
class _Member:
    """A member organisation on a delivery route: the main site receives the delivery."""

    organisation: Organisation
    sites: list[tuple[Site, float]]  # (site, weight); the first is the main one
    weight: float = field(init=False)

    def __post_init__(self) -> None:
        self.weight = sum(weight for _site, weight in self.sites)


def _grams(kg: float) -> int:
    """Kilograms to grams, rounded to 100 g (what a floor scale shows), at least 100 g."""
    return max(100, round(kg * 10) * 100)


def _at(day: date, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def _last_working_day(day: date) -> date:
    while day.weekday() > FRI:
        day -= timedelta(days=1)
    return day


def _is_month_end(day: date) -> bool:
    """The last working day of its month."""
    following = day + timedelta(days=1)
    while following.weekday() > FRI:
        following += timedelta(days=1)
    return day.weekday() <= FRI and following.month != day.month


class _Simulation:
    def __init__(
        self,
        *,
        rng: random.Random,
        today: date,
        days: int,
        warehouse: Site,
        categories: dict[str, Category],
        items: dict[str, list[Item]],
        users: dict[str, User | None],
        signers: dict[str, User | None],
        lot_split: float = 1.0,
    ) -> None:
        self.rng = rng
        self.lot_split = lot_split  # > 1: finer lots (one per product rather than per pallet)
        self.today = today
        self.start = today - timedelta(days=days - 1)
        self.warehouse = warehouse
        self.hub = warehouse.organisation
        self.categories = categories
        self.items = items
        self.users = users  # by the local part of their e-mail
        self.signers = signers  # by organisation slug: who signs a member's records
        # Lots, by index, and what the simulation needs to know of each.
        self.receptions: list[Reception] = []
        self.lots: list[Lot] = []
        self.use_by: list[date | None] = []
        self.fefo: list[tuple[date, date, int]] = []
        self.category_of: list[str] = []
        self.available: list[bool] = []
        # The ledger: (site, lot, kind, grams, loss reason, note, actor, day), in time order.
        self.moves: list[tuple[Site, int, str, int, str, str, User | None, date]] = []
        self.held: dict[int, dict[int, int]] = defaultdict(dict)  # site pk → lot → grams
        self.touched: dict[tuple[int, int], Site] = {}  # (site pk, lot) → site
        # Records of the deliveries feature, parents before children.
        self.delivery_days: list[DeliveryDay] = []
        self.orders: list[Order] = []
        self.order_lines: list[tuple[Order, Category, int]] = []  # served in full
        self.deliveries: list[Delivery] = []
        self.delivery_lines: list[tuple[Delivery, int, int, Decimal | None]] = []
        self.distributions: list[CounterDistribution] = []
        self.granted: list[tuple[date, _Member, str, int]] = []  # for standing orders
        self.quarantine_ends: list[tuple[date, int]] = []
        self.open_days: dict[int, set[int]] = defaultdict(set)  # member site pk → weekdays
        self.week_plan: dict[date, tuple[int, ...]] = {}

    # --- the ledger, in memory --------------------------------------------------------

    def move(
        self,
        site: Site,
        lot: int,
        kind: str,
        grams: int,
        day: date,
        actor: User | None,
        reason: str = "",
        note: str = "",
    ) -> None:
        held = self.held[site.pk]
        after = held.get(lot, 0) + grams
        if grams == 0 or after < 0:
            raise AssertionError(f"demo ledger: {kind} {grams} g of lot {lot} at {site}")
        if after:
            held[lot] = after
        else:
            del held[lot]
        self.touched[site.pk, lot] = site
        self.moves.append((site, lot, kind, grams, reason, note, actor, day))

    def take(
        self, site: Site, grams: int, category: str, good_until: date | None = None
    ) -> list[tuple[int, int]]:
        """(lot, grams) pieces of a category adding up to at most `grams`, first expired
        first out, leaving lots that would be past their date before `good_until`."""
        held = self.held[site.pk]
        lots = sorted(
            (
                lot
                for lot in held
                if self.available[lot]
                and self.category_of[lot] == category
                and (good_until is None or (self.use_by[lot] or date.max) >= good_until)
            ),
            key=self.fefo.__getitem__,
        )
        pieces = []
        for lot in lots:
            if grams <= 0:
                break
            piece = min(grams, held[lot])
            pieces.append((lot, piece))
            grams -= piece
        return pieces

    def available_g(self, site: Site) -> Counter[str]:
        totals: Counter[str] = Counter()
        for lot, grams in self.held[site.pk].items():
            if self.available[lot]:
                totals[self.category_of[lot]] += grams
        return totals

    def next_opening(self, site: Site, day: date) -> date:
        days = self.open_days[site.pk]
        return next(day + timedelta(n) for n in range(7) if (day.weekday() + n) % 7 in days)

    # --- food coming in ---------------------------------------------------------------

    def _temperature(self, storage: str) -> tuple[Decimal | None, str, str]:
        rng = self.rng
        if storage not in MAX_TEMPERATURE_C:
            return None, "", ""
        limit = MAX_TEMPERATURE_C[storage]  # type: ignore[index]
        if rng.random() >= 0.02:
            low = 1.0 if storage == StorageClass.CHILLED else -25.0
            return Decimal(f"{rng.uniform(low, limit):.1f}"), "", ""
        warm = Decimal(f"{limit + rng.uniform(0.5, 7.0):.1f}")
        roll = rng.random()
        if roll < 0.7:
            return warm, Decision.ACCEPTED, rng.choice(WARM_ACCEPTED)
        if roll < 0.9:
            return warm, Decision.QUARANTINED, rng.choice(WARM_QUARANTINED)
        return warm, Decision.DISCARDED, rng.choice(WARM_DISCARDED)

    def receive(
        self,
        day: date,
        source: str,
        lines: Iterable[Line],
        *,
        actor: User | None,
        supplier: Organisation | None = None,
        donor: str = "",
        notes: str = "",
        set_aside_meat: bool = False,
    ) -> None:
        """A reception: a lot and a reception movement per line, and the decisions on
        lines too warm (discarded now, set aside until the next days' check)."""
        rng = self.rng
        reception = Reception(
            organisation=self.hub,
            site=self.warehouse,
            source=source,
            supplier=supplier,
            donor_name=donor,
            received_on=day,
            received_by=actor,
            notes=notes,
        )
        self.receptions.append(reception)
        for name, grams, shelf in lines:
            category = self.categories[name]
            storage = category.storage_class
            dated = day + timedelta(days=rng.randint(*shelf)) if shelf else None
            expiry = dated if category.uses_expiry_date else None
            best_before = None if category.uses_expiry_date else dated
            temperature, decision, reason = self._temperature(storage)
            waiting = set_aside_meat and name == MEAT  # set aside, still to be decided
            if waiting:
                temperature, decision = Decimal("-11.5"), Decision.QUARANTINED
                reason = "Trouvé à −11,5 °C : mis de côté en attendant l'avis du magasin."
                set_aside_meat = False
            code = f"ML-{day:%y%m%d}-{rng.randint(100, 999)}" if source == Source.FOOD_BANK else ""
            lot = Lot(
                organisation=self.hub,
                reception=reception,
                category=category,
                item=rng.choice(self.items[name]) if rng.random() < 0.7 else None,
                storage_class=storage,
                received_g=grams,
                best_before=best_before,
                expiry_date=expiry,
                supplier_lot_code=code,
                temperature_c=temperature,
                decision=decision,
                decision_reason=reason,
            )
            index = len(self.lots)
            self.lots.append(lot)
            self.use_by.append(lot.use_by)
            self.fefo.append((lot.use_by or date.max, best_before or date.max, index))
            self.category_of.append(name)
            self.available.append(lot.is_available)
            self.move(self.warehouse, index, Kind.RECEPTION, grams, day, actor)
            if decision == Decision.DISCARDED:
                self.move(
                    self.warehouse, index, Kind.LOSS, -grams, day, actor, Loss.COLD_CHAIN, reason
                )
            elif decision == Decision.QUARANTINED and not waiting:
                self.quarantine_ends.append((day + timedelta(days=rng.randint(1, 3)), index))

    def lines(
        self,
        total_kg: float,
        shares: Mapping[str, float],
        *,
        lot_kg: float,
        shelf: dict[str, tuple[int, int]] = SHELF_DAYS,
    ) -> list[Line]:
        """Split a reception's kilograms over categories, and each category over lots."""
        rng = self.rng
        weights = {name: share * rng.uniform(0.6, 1.4) for name, share in shares.items() if share}
        scale = total_kg / sum(weights.values())
        most = 5 if self.lot_split == 1 else round(5 * self.lot_split)
        result: list[Line] = []
        for name, weight in weights.items():
            kg = weight * scale
            if kg < 3:
                continue
            pieces = min(most, 1 + int(kg * self.lot_split / lot_kg))
            cuts = [rng.uniform(0.5, 1.5) for _ in range(pieces)]
            result += [(name, _grams(kg * cut / sum(cuts)), shelf.get(name)) for cut in cuts]
        return result

    def food_bank_days(self, day: date) -> tuple[int, ...]:
        """This week's trips to the food bank: Tuesday and Thursday, sometimes Monday or
        Friday too."""
        monday = day - timedelta(days=day.weekday())
        if monday not in self.week_plan:
            count = self.rng.choices((2, 3, 4), weights=(3, 5, 2))[0]
            extra = {2: (), 3: (self.rng.choice((MON, FRI)),), 4: (MON, FRI)}[count]
            self.week_plan[monday] = (TUE, THU, *extra)
        return self.week_plan[monday]

    # --- at the hub -------------------------------------------------------------------

    def sort_hub(self, day: date) -> None:
        """The daily sort: decisions on set-aside food, past dates, damage."""
        rng, site, staff = self.rng, self.warehouse, self.users["personnel.carrefour"]
        held = self.held[site.pk]
        for end, lot in [q for q in self.quarantine_ends if q[0] <= day]:
            self.quarantine_ends.remove((end, lot))
            if lot in held:
                note = "Jeté après vérification (lot mis de côté à la réception)."
                self.move(site, lot, Kind.LOSS, -held[lot], day, staff, Loss.COLD_CHAIN, note)
        self.expire(site, day, staff)
        for lot in list(held):
            name = self.category_of[lot]
            if name in (PRODUCE, BAKERY) and rng.random() < 0.04:
                grams = min(held[lot], _grams(held[lot] / 1000 * rng.uniform(0.05, 0.25)))
                note = "Moisissures au tri." if name == BAKERY else "Abîmés au tri."
                self.move(site, lot, Kind.LOSS, -grams, day, staff, Loss.SPOILED, note)
        dry = [lot for lot in held if self.category_of[lot] == DRY]
        if dry and rng.random() < 0.25:
            lot = rng.choice(dry)
            grams = min(held[lot], _grams(rng.uniform(0.5, 4)))
            note = "Conserves cabossées, emballages percés."
            self.move(site, lot, Kind.LOSS, -grams, day, staff, Loss.DAMAGED, note)

    def expire(self, site: Site, day: date, actor: User | None) -> None:
        held = self.held[site.pk]
        for lot in [lot for lot in held if (u := self.use_by[lot]) is not None and u < day]:
            note = "Date dépassée au tri."
            self.move(site, lot, Kind.LOSS, -held[lot], day, actor, Loss.EXPIRED, note)

    def count(self, day: date) -> None:
        """The monthly count: a sample of lots weighed again, with small variances."""
        rng, site = self.rng, self.warehouse
        held = self.held[site.pk]
        candidates = sorted(lot for lot, grams in held.items() if grams >= 2000)
        for lot in rng.sample(candidates, min(15, len(candidates))):
            if rng.random() < 0.55:
                continue  # counted, no variance
            variance = _grams(held[lot] / 1000 * rng.uniform(0.005, 0.03))
            variance = -min(variance, held[lot]) if rng.random() < 0.7 else variance
            staff = self.users["personnel.carrefour"]
            self.move(site, lot, Kind.ADJUSTMENT, variance, day, staff, note="Inventaire mensuel")

    # --- food going out ---------------------------------------------------------------

    def deliver(self, day: date, members: list[_Member], weight_of_week: float) -> None:
        """A delivery day: a share of each category's available stock, split among the
        day's members by weight, first expired first out, nothing that would be past its
        date before the member's next opening. Recorded as the deliveries feature does:
        the day, each member's order (served in full) and delivery (received the same
        day), and the movements."""
        rng, hub = self.rng, self.warehouse
        coordinator = self.users["reseau.carrefour"]  # dispatches, as in delivery_day_dispatch
        delivery_day = DeliveryDay(
            organisation=self.hub,
            site=hub,
            delivers_on=day,
            status=DeliveryDay.Status.DISPATCHED,
            allocated_at=_at(day - timedelta(days=1), 15),
        )
        self.delivery_days.append(delivery_day)
        route = members[:]
        rng.shuffle(route)
        route_weight = sum(member.weight for member in route)
        factor = min(1.2, max(0.5, weight_of_week))
        shipped: dict[int, dict[int, int]] = defaultdict(dict)  # organisation → lot → grams
        granted: dict[int, Counter[str]] = defaultdict(Counter)
        for name, available in self.available_g(hub).items():
            send = available * min(0.95, SHIP_SHARE[name] * factor)
            for member in route:
                target = round(send * member.weight / route_weight, -2)
                if target < 1000:
                    continue
                org, (main, _weight) = member.organisation, member.sites[0]
                signer = self.signers.get(org.slug)
                opens = min(self.next_opening(site, day) for site, _w in member.sites)
                pieces = self.take(hub, int(target), name, good_until=opens)
                for lot, grams in pieces:
                    self.move(hub, lot, Kind.DELIVERY_OUT, -grams, day, coordinator, note=org.name)
                    self.move(main, lot, Kind.DELIVERY_IN, grams, day, signer)
                    shipped[org.pk][lot] = grams
                    granted[org.pk][name] += grams
                for site, weight in member.sites[1:]:
                    self.shuttle(
                        day, main, site, name, granted[org.pk][name] * weight / member.weight
                    )
        for member in route:
            org = member.organisation
            if not shipped[org.pk]:
                continue
            signer = self.signers.get(org.slug)
            order = Order(delivery_day=delivery_day, organisation=org, site=member.sites[0][0])
            self.orders.append(order)
            for name, grams in granted[org.pk].items():
                self.order_lines.append((order, self.categories[name], grams))
                self.granted.append((day, member, name, grams))
            delivery = Delivery(
                delivery_day=delivery_day,
                organisation=org,
                site=member.sites[0][0],
                status=Delivery.Status.RECEIVED,
                received_at=_at(day, 11),
                received_by=signer,
            )
            self.deliveries.append(delivery)
            for lot, grams in shipped[org.pk].items():
                storage = self.lots[lot].storage_class
                arrival = None
                if storage in MAX_TEMPERATURE_C:
                    limit = MAX_TEMPERATURE_C[storage]  # type: ignore[index]
                    arrival = Decimal(f"{rng.uniform(limit - 3, limit):.1f}")
                self.delivery_lines.append((delivery, lot, grams, arrival))

    def shuttle(self, day: date, main: Site, site: Site, name: str, grams: float) -> None:
        """A member takes part of a delivery to its other point of service."""
        if grams < 1000:
            return
        signer = self.signers.get(main.organisation.slug)
        note = f"Navette vers {site.name}"
        good_until = self.next_opening(site, day)
        for lot, piece in self.take(main, int(round(grams, -2)), name, good_until=good_until):
            self.move(main, lot, Kind.TRANSFER_OUT, -piece, day, signer, note=note)
            self.move(site, lot, Kind.TRANSFER_IN, piece, day, signer, note=note)

    def mobile_counter(self, day: date, stop: Site) -> None:
        rng, hub = self.rng, self.warehouse
        driver, volunteer = self.users["chauffeur.carrefour"], self.users["benevole.carrefour"]
        households = rng.randint(10, 22)
        kg = households * rng.uniform(11, 14)
        total = sum(MOBILE_BASKET.values())
        note = f"Comptoir mobile du {WEEKDAY_FR[day.weekday()]}"
        for name, share in MOBILE_BASKET.items():
            for lot, grams in self.take(hub, _grams(kg * share / total), name):
                self.move(hub, lot, Kind.TRANSFER_OUT, -grams, day, driver, note=note)
                self.move(stop, lot, Kind.TRANSFER_IN, grams, day, driver, note=note)
                self.move(stop, lot, Kind.DISTRIBUTION, -grams, day, volunteer, note=note)
        self.distributions.append(
            CounterDistribution(
                organisation=self.hub,
                site=stop,
                distributed_on=day,
                baskets=households,
                recorded_by=volunteer,
            )
        )

    def hand_out(self, day: date, site: Site, openings: int) -> None:
        """A member's opening: past dates out, then most of what it holds handed out."""
        actor = self.signers.get(site.organisation.slug)
        self.expire(site, day, actor)
        kitchen = site.kind == Site.Kind.KITCHEN
        note = "Repas cuisinés" if kitchen else f"Distribution du {WEEKDAY_FR[day.weekday()]}"
        handed_out = 0
        for name, grams in self.available_g(site).items():
            share = 1 - (1 - HAND_OUT_SHARE[name]) ** (1 / openings)
            for lot, piece in self.take(site, round(grams * share), name):
                self.move(site, lot, Kind.DISTRIBUTION, -piece, day, actor, note=note)
                handed_out += piece
        if handed_out and not kitchen:  # a kitchen cooks meals: no baskets to count
            self.distributions.append(
                CounterDistribution(
                    organisation=site.organisation,
                    site=site,
                    distributed_on=day,
                    baskets=max(1, round(handed_out / 1000 / self.rng.uniform(11, 16))),
                    recorded_by=actor,
                )
            )

    def standing_orders(self) -> list[StandingOrderLine]:
        """Each member's usual order: its average delivery over the last weeks."""
        since = self.today - timedelta(weeks=STANDING_WEEKS)
        visits = Counter(
            d.organisation_id for d in self.deliveries if d.delivery_day.delivers_on >= since
        )
        totals: Counter[tuple[int, str]] = Counter()
        members: dict[int, _Member] = {}
        for day, member, name, grams in self.granted:
            if day >= since:
                totals[member.organisation.pk, name] += grams
                members[member.organisation.pk] = member
        lines = []
        for (org_pk, name), grams in sorted(totals.items()):
            usual = round(grams / visits[org_pk] / 5000) * 5000  # to 5 kg
            if usual:
                member = members[org_pk]
                lines.append(
                    StandingOrderLine(
                        hub=self.hub,
                        organisation=member.organisation,
                        site=member.sites[0][0],
                        category=self.categories[name],
                        requested_g=usual,
                    )
                )
        return lines


def _site(org_slug: str, name: str) -> Site:
    return Site.objects.select_related("organisation").get(organisation__slug=org_slug, name=name)


def _members() -> tuple[dict[int, list[_Member]], dict[int, list[tuple[Site, int]]]]:
    """Delivery routes and opening days (site, openings a week) of the member sites.

    A site's weight is its storage capacity, a stable stand-in for its size; a member on
    two routes gets half of it on each.
    """
    visits = Counter(slug for route in ROUTES.values() for slug in route)
    specs = {org.slug: org for org in COUNTERS}
    sites = {
        (org.slug, spec.name): _site(org.slug, spec.name) for org in COUNTERS for spec in org.sites
    }
    routes = {
        weekday: [
            _Member(
                sites[slug, specs[slug].sites[0].name].organisation,
                [
                    (
                        sites[slug, spec.name],
                        (spec.fridge_kg + spec.freezer_kg + spec.dry_kg) / visits[slug],
                    )
                    for spec in specs[slug].sites
                ],
            )
            for slug in slugs
        ]
        for weekday, slugs in ROUTES.items()
    }
    openings: dict[int, list[tuple[Site, int]]] = defaultdict(list)
    for org in COUNTERS:
        for spec in org.sites:
            days = {day for day, _opens, _closes in spec.hours}
            for day in sorted(days):
                openings[day].append((sites[org.slug, spec.name], len(days)))
    return routes, openings


def _catalogue(network: Network) -> tuple[dict[str, Category], dict[str, list[Item]]]:
    categories = {c.name: c for c in Category.objects.filter(network=network)}
    items = {
        name: [
            Item.objects.get_or_create(category=categories[name], name=item)[0] for item in names
        ]
        for name, names in ITEMS.items()
    }
    return categories, items


def _simulate(sim: _Simulation, food_bank: Organisation, stores: dict[str, Organisation]) -> None:
    rng, today, users = sim.rng, sim.today, sim.users
    routes, openings = _members()
    for weekday, sites in openings.items():
        for site, _per_week in sites:
            sim.open_days[site.pk].add(weekday)
    weekly_weight = sum(member.weight for route in routes.values() for member in route)
    mobile = [
        (_site(HUB.slug, spec.name), spec.hours[0][0])
        for spec in HUB.sites
        if spec.kind == Site.Kind.MOBILE_STOP
    ]
    fb_shares = dict(FOOD_BANK_SHARES)
    last_open = _last_working_day(today)
    driver, staff = users["chauffeur.carrefour"], users["personnel.carrefour"]
    volunteer = users["benevole.carrefour"]
    day = sim.start
    while day <= today:
        weekday, month = day.weekday(), day.month
        if weekday <= FRI:  # the hub receives on working days, in the morning
            if weekday in sim.food_bank_days(day):
                produce = 1.5 if month in (7, 8, 9, 10) else 0.85 if month in (12, 1, 2, 3) else 1
                fb_shares[PRODUCE] = FOOD_BANK_SHARES[PRODUCE] * produce
                fb_shares[INFANT] = FOOD_BANK_SHARES[INFANT] if rng.random() < 0.3 else 0
                sim.receive(
                    day,
                    Source.FOOD_BANK,
                    sim.lines(rng.triangular(800, 2500, 1400), fb_shares, lot_kg=250),
                    actor=driver,
                    supplier=food_bank,
                    notes=f"Bon de livraison ML-{day:%y%m%d}",
                )
            first_pickup = True
            for slug, (weekdays, size) in PICKUPS.items():
                if weekday not in weekdays:
                    continue
                shares = dict(RECOVERY_SHARES)
                for name, chance in ((DAIRY, 0.8), (MEAT, 0.6), (PREPARED, 0.5), (FROZEN, 0.25)):
                    if rng.random() > chance:
                        shares[name] = 0
                set_aside = day == last_open and first_pickup  # the lot still set aside
                if set_aside:
                    shares[MEAT] = RECOVERY_SHARES[MEAT] * 2
                kg = rng.triangular(50, 300, 130) * size
                sim.receive(
                    day,
                    Source.RECOVERY,
                    sim.lines(kg, shares, lot_kg=60, shelf=RECOVERY_SHELF_DAYS),
                    actor=driver if rng.random() < 0.6 else volunteer,
                    supplier=stores[slug],
                    set_aside_meat=set_aside,
                )
                first_pickup = False
            food_drive = month == 12 and day.day <= 20 and rng.random() < 0.2
            if food_drive or (month == 10 and 7 <= day.day <= 14 and weekday == TUE):
                donor = rng.choice(DRIVE_DONORS) if month == 12 else "Collecte de l'Action de grâce"
                kg = rng.uniform(400, 1500)
                sim.receive(
                    day,
                    Source.DONATION,
                    sim.lines(kg, DONATION_SHARES, lot_kg=250),
                    actor=staff,
                    donor=donor,
                )
            elif rng.random() < (0.25 if month in (11, 12) else 0.12):
                sim.receive(
                    day,
                    Source.DONATION,
                    sim.lines(rng.uniform(20, 250), DONATION_SHARES, lot_kg=100),
                    actor=staff,
                    donor=rng.choice(DONORS),
                )
            harvest = (8, 10) <= (month, day.day) <= (10, 31)  # August 10 to October
            if harvest and weekday in (TUE, FRI) and rng.random() < 0.45:
                sim.receive(
                    day,
                    Source.FARM,
                    sim.lines(rng.uniform(100, 700), {PRODUCE: 1}, lot_kg=150),
                    actor=volunteer,
                    donor=rng.choice(FARMS),
                )
            sim.sort_hub(day)
        if day < today:  # today is not over: no food has gone out yet
            for stop, stop_day in mobile:
                if stop_day == weekday:
                    sim.mobile_counter(day, stop)
            if weekday in routes:
                route = routes[weekday]
                weight = sum(member.weight for member in route) / (weekly_weight / len(routes))
                sim.deliver(day, route, weight)
            for site, per_week in openings.get(weekday, ()):
                sim.hand_out(day, site, per_week)
            if _is_month_end(day):
                sim.count(day)
        if day == last_open:
            _caterer_surplus(sim, day)
        day += timedelta(days=1)


def _caterer_surplus(sim: _Simulation, day: date) -> None:
    """Late on the last working day: short-dated food, so « à écouler » has something."""
    sim.receive(
        day,
        Source.DONATION,
        [
            (PREPARED, 18_000, (2, 2)),
            (BAKERY, 12_500, (1, 1)),
            (DAIRY, 9_000, (3, 3)),
            (PRODUCE, 22_000, (2, 2)),
        ],
        actor=sim.users["personnel.carrefour"],
        donor="Traiteur — surplus d'un événement (fictif)",
        notes="Arrivé en fin de journée : à écouler en priorité.",
    )


def _insert(model: type[models.Model], fields: list[str], rows: Iterable[tuple]) -> None:
    """A plain multi-row INSERT, or COPY on PostgreSQL: at 10⁵ rows, bulk_create's
    per-value preparation is most of the load time. Values must already be in database
    form."""
    qn = connection.ops.quote_name
    column = {f.name: f.column for f in model._meta.concrete_fields}
    columns = ", ".join(qn(column[name]) for name in fields)
    table = qn(model._meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # psycopg 3's COPY: the bench's 3 years (5 × 10⁵ movements) in seconds.
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        marks = ", ".join(["%s"] * len(fields))
        cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", list(rows))


def _write(sim: _Simulation) -> Counter[str]:
    """Everything in bulk, parents first; the balances are the sums of the movements."""
    Reception.objects.bulk_create(sim.receptions)
    Lot.objects.bulk_create(sim.lots)
    lot_pk = [lot.pk for lot in sim.lots]
    DeliveryDay.objects.bulk_create(sim.delivery_days)
    Order.objects.bulk_create(sim.orders)
    Delivery.objects.bulk_create(sim.deliveries)
    CounterDistribution.objects.bulk_create(sim.distributions)
    standing = StandingOrderLine.objects.bulk_create(sim.standing_orders())
    ops, now = connection.ops, timezone.now()
    _insert(
        OrderLine,
        ["order", "category", "requested_g"],
        ((order.pk, category.pk, grams) for order, category, grams in sim.order_lines),
    )
    _insert(
        AllocationOutcome,
        ["delivery_day", "organisation", "category", "requested_g", "granted_g", "reason"],
        (
            (order.delivery_day.pk, order.organisation_id, category.pk, grams, grams, FULL_ORDER)
            for order, category, grams in sim.order_lines
        ),
    )
    _insert(
        DeliveryLine,
        ["delivery", "lot", "shipped_g", "received_g", "temperature_c"],
        (
            (delivery.pk, lot_pk[lot], grams, grams, ops.adapt_decimalfield_value(arrival, 4, 1))
            for delivery, lot, grams, arrival in sim.delivery_lines
        ),
    )
    created_at = ops.adapt_datetimefield_value(now)
    dates = {day: ops.adapt_datefield_value(day) for day in {move[-1] for move in sim.moves}}
    movement_fields = [
        "organisation",
        "site",
        "lot",
        "kind",
        "quantity_g",
        "loss_reason",
        "note",
        "actor",
        "occurred_on",
        "created_at",
    ]
    _insert(
        StockMovement,
        movement_fields,
        (
            (
                site.organisation_id,
                site.pk,
                lot_pk[lot],
                kind,
                grams,
                reason,
                note,
                actor.pk if actor else None,
                dates[day],
                created_at,
            )
            for site, lot, kind, grams, reason, note, actor, day in sim.moves
        ),
    )
    _insert(
        StockBalance,
        ["organisation", "site", "lot", "quantity_g"],
        (
            (site.organisation_id, site.pk, lot_pk[lot], sim.held[site.pk].get(lot, 0))
            for (_pk, lot), site in sim.touched.items()
        ),
    )
    return Counter(
        reception=len(sim.receptions),
        lot=len(sim.lots),
        stockmovement=len(sim.moves),
        stockbalance=len(sim.touched),
        deliveryday=len(sim.delivery_days),
        order=len(sim.orders),
        orderline=len(sim.order_lines),
        allocationoutcome=len(sim.order_lines),
        delivery=len(sim.deliveries),
        deliveryline=len(sim.delivery_lines),
        counterdistribution=len(sim.distributions),
        standingorderline=len(standing),
    )


def _open_next_delivery_day(sim: _Simulation) -> DeliveryDay | None:
    """The next delivery day, open for orders, through the real service."""
    coordinator = sim.users["reseau.carrefour"]
    if coordinator is None:
        return None
    day = next(
        sim.today + timedelta(n) for n in range(7) if (sim.today.weekday() + n) % 7 in ROUTES
    )
    return delivery_day_open(actor=coordinator, site=sim.warehouse, delivers_on=day)


# Fridges and freezers whose temperature is written down: (organisation slug, site name,
# unit, storage class, who reads it). The hub reads twice every working day; a counter when
# it opens and when it closes, on its opening days.
COLD_UNITS = (
    (HUB.slug, HUB.sites[0].name, "Chambre froide", StorageClass.CHILLED, "personnel.carrefour"),
    (HUB.slug, HUB.sites[0].name, "Congélateur no 1", StorageClass.FROZEN, "personnel.carrefour"),
    (HUB.slug, HUB.sites[0].name, "Congélateur no 2", StorageClass.FROZEN, "benevole.carrefour"),
    (COUNTERS[0].slug, COUNTERS[0].sites[0].name, "Réfrigérateur", StorageClass.CHILLED, ""),
    (COUNTERS[0].slug, COUNTERS[0].sites[0].name, "Congélateur", StorageClass.FROZEN, ""),
    (COUNTERS[2].slug, COUNTERS[2].sites[0].name, "Réfrigérateur", StorageClass.CHILLED, ""),
)
READING_DAYS = 60
HUB_READ_AT = (time(8, 15), time(15, 30))
TOO_WARM_ACTIONS = {
    StorageClass.CHILLED: (
        "Porte mal fermée : refermée, relu 30 minutes plus tard sous 4 °C.",
        "Livraison en cours de rangement : porte fermée, relu sous 4 °C une heure après.",
        "Thermostat baissé d'un cran; lait et viande mis dans l'autre frigo en attendant.",
    ),
    StorageClass.FROZEN: (
        "Dégivrage en cours : produits mis dans l'autre congélateur pendant le dégivrage.",
        "Couvercle resté entrouvert : refermé, relu à −19 °C deux heures plus tard.",
        "Produits fermes au toucher; réparateur appelé, il passe demain matin.",
    ),
}
# The last days' out-of-range reading, so the temperature page has an alert to show.
RECENT_TOO_WARM = (
    Decimal("6.8"),
    "Porte restée entrouverte après la livraison : refermée, relu à 3,5 °C 30 minutes plus "
    "tard. Rien à jeter.",
)


def _reading_times(site: Site, day: date) -> list[time]:
    if site.kind == Site.Kind.WAREHOUSE:
        return list(HUB_READ_AT) if day.weekday() <= FRI else []
    times = []
    for hours in site.opening_hours.all():  # prefetched
        if hours.weekday == day.weekday():
            times += [hours.opens_at, hours.closes_at]
    return times


def _temperature_readings(
    unit: ColdUnit, reader: User | None, rng: random.Random
) -> list[TemperatureReading]:
    """Twice-daily readings over the last days, about 2 % too warm, each with its action."""
    now = timezone.now()
    limit = MAX_TEMPERATURE_C[StorageClass(unit.storage_class)]
    low, high = (1.5, 3.9) if unit.storage_class == StorageClass.CHILLED else (-23.0, -18.5)
    readings = []
    today = timezone.localdate()
    for back in range(READING_DAYS - 1, -1, -1):
        day = today - timedelta(days=back)
        for at in _reading_times(unit.site, day):
            taken_at = timezone.make_aware(datetime.combine(day, at))
            if taken_at > now:
                continue
            temperature = Decimal(f"{rng.uniform(low, high):.1f}")
            action = ""
            if rng.random() < 0.02:
                temperature = Decimal(f"{limit + rng.uniform(0.6, 4.5):.1f}")
                action = rng.choice(TOO_WARM_ACTIONS[StorageClass(unit.storage_class)])
            readings.append(
                TemperatureReading(
                    unit=unit,
                    taken_at=taken_at,
                    temperature_c=temperature,
                    taken_by=reader,
                    is_out_of_range=temperature > limit,
                    action_taken=action,
                )
            )
    return readings


def _cold_units_load() -> Counter[str]:
    """The demo's fridges and freezers with about 60 days of readings; only units that are
    not there yet are created (with their readings), so loading again adds nothing."""
    created: Counter[str] = Counter()
    rng = random.Random(SEED + 1)  # apart from the logistics simulation's draws
    by_email = {u.email: u for u in User.objects.filter(email__in=[s.email for s in USERS])}
    users = {spec.local_part: by_email.get(spec.email) for spec in USERS}
    signers: dict[str, User | None] = {}
    for spec in USERS:
        for slug, _role in spec.roles:
            signers.setdefault(slug, by_email.get(spec.email))
    readings: list[TemperatureReading] = []
    for slug, site_name, name, storage, reader in COLD_UNITS:
        site = Site.objects.prefetch_related("opening_hours").get(
            organisation__slug=slug, name=site_name
        )
        unit, is_new = ColdUnit.objects.get_or_create(
            site=site, name=name, defaults={"storage_class": storage}
        )
        if not is_new:
            continue
        created["coldunit"] += 1
        readings += _temperature_readings(unit, users.get(reader) or signers.get(slug), rng)
    # A counter's fridge was too warm in the last days: the page's alert has something.
    now = timezone.now()
    recent = [
        r
        for r in readings
        if r.unit.site.kind == Site.Kind.COUNTER
        and r.unit.storage_class == StorageClass.CHILLED
        and now - timedelta(days=6) <= r.taken_at <= now - timedelta(hours=12)
    ]
    if recent:
        warm = max(recent, key=lambda r: r.taken_at)
        warm.temperature_c, warm.action_taken = RECENT_TOO_WARM
        warm.is_out_of_range = True
    TemperatureReading.objects.bulk_create(readings)
    created["temperaturereading"] += len(readings)
    return created


def logistics_demo_load(*, days: int = 365, lot_split: float = 1.0) -> LogisticsDemoSummary:
    """Seed the catalogues and write `days` of hub logistics, unless already there.

    `lot_split` > 1 cuts receptions into that many times more lots (up to 5 × lot_split a
    category), hence about as many times more movements: the bench uses it for a network
    that records its stock by product rather than by pallet. 1 is the demo."""
    started = clock.monotonic()
    hub = Organisation.objects.filter(slug=HUB.slug).first()
    if hub is None:
        raise DemoDataError("Le carrefour de démonstration manque : chargez d'abord la démo.")
    with transaction.atomic():
        created: Counter[str] = Counter()
        networks = Network.objects.filter(slug__in=[spec.slug for spec in NETWORKS])
        for network in networks:
            created["catalogue"] += catalogue_seed_defaults(network=network)
        if not Reception.objects.filter(organisation=hub).exists():
            categories, items = _catalogue(networks.get(slug=NETWORKS[0].slug))
            by_email = {u.email: u for u in User.objects.filter(email__in=[s.email for s in USERS])}
            signers: dict[str, User | None] = {}  # an organisation's first demo person
            for spec in USERS:
                for slug, _role in spec.roles:
                    signers.setdefault(slug, by_email.get(spec.email))
            sim = _Simulation(
                rng=random.Random(SEED),
                today=timezone.localdate(),
                days=days,
                warehouse=_site(HUB.slug, HUB.sites[0].name),
                categories=categories,
                items=items,
                users={spec.local_part: by_email.get(spec.email) for spec in USERS},
                signers=signers,
                lot_split=lot_split,
            )
            stores = {o.slug: o for o in Organisation.objects.filter(slug__in=PICKUPS)}
            _simulate(sim, Organisation.objects.get(slug=FOOD_BANK.slug), stores)
            created.update(_write(sim))
            created["deliveryday"] += _open_next_delivery_day(sim) is not None
        created.update(_cold_units_load())
        if created.total():
            audit_record(
                actor=None, action="demo.logistics", organisation=hub, changed_fields=created
            )
    return _summary(hub, created, clock.monotonic() - started)


def _summary(hub: Organisation, created: Counter[str], seconds: float) -> LogisticsDemoSummary:
    lots = Lot.objects.filter(organisation=hub)
    received: dict[str, float] = defaultdict(float)
    for source, grams in lots.values_list("reception__source", "received_g"):
        received[source] += grams / 1000
    stock = StockBalance.objects.filter(organisation=hub, site__kind=Site.Kind.WAREHOUSE)
    return LogisticsDemoSummary(
        created=created.total(),
        receptions=Reception.objects.filter(organisation=hub).count(),
        lots=lots.count(),
        movements=StockMovement.objects.filter(lot__organisation=hub).count(),
        received_kg={source: round(kg, 1) for source, kg in received.items()},
        hub_stock_kg=sum(stock.values_list("quantity_g", flat=True)) / 1000,
        seconds=seconds,
    )
