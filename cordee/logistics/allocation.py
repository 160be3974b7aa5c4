"""Fair allocation (répartition) of the hub's available stock among member orders.

Pure Python: no ORM, no I/O, deterministic. The service layer loads the lots, the orders and
the member profiles, calls :func:`allocate`, lets the coordinator :func:`adjust` the result,
then records it. This module cannot stop two coordinators from overselling a lot: the
service that writes must lock the lots (``select_for_update``) and re-check their balances.

How :func:`allocate` works:

1. Lots are grouped into *pools* (category × storage class; a category's lots normally
   share one class). Pools are worked through perishables first — frozen, chilled, dry —
   and, within a class, the most urgent category first (earliest ``use_by``, then id).
2. A member's demand in a pool is what it still asks for in that category, capped by its
   remaining capacity for the pool's storage class. Capacity used by earlier pools is gone.
3. Enough stock: everybody gets its demand. Short: weighted max-min fair share
   (water-filling): each member gets ``min(demand, λ·weight)`` with λ such that the whole
   supply is shared; members asking less than their share get their demand and the rest is
   re-shared among the others by weight. Members with weight 0 only get what is left once
   everybody with a weight is fully served.
4. Integer grams: the exact shares are floored and the remaining grams go to the largest
   fractional remainders (ties: smallest member id), so the pool's total is exactly
   ``min(supply, Σ demand)`` and nobody gets more than its demand.
5. Lots are handed out FEFO: lots sorted by (use_by, lot id), members by id; a lot is split
   among members when needed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction

from django.utils.formats import number_format
from django.utils.translation import gettext, gettext_noop

FROZEN = "frozen"
CHILLED = "chilled"
DRY = "dry"
#: Perishables first: the order in which storage classes are allocated.
STORAGE_ORDER: tuple[str, ...] = (FROZEN, CHILLED, DRY)
_STORAGE_RANK = {storage: rank for rank, storage in enumerate(STORAGE_ORDER)}


class AllocationPolicy(StrEnum):
    """How the network shares short stock. The caller computes each member's weight."""

    HOUSEHOLDS = "households"  # households served last month
    SHARES = "shares"  # shares agreed by the network
    EQUAL = "equal"  # weight 1 each


class ReasonCode(StrEnum):
    """Stable code of the explanation, for the UI and tests (the text is translated)."""

    FULL = "full"  # enough stock for every order
    WITHIN_SHARE = "within_share"  # stock short, but the order was within the member's share
    SHARE = "share"  # stock short: the member got its fair share
    ZERO_SHARE = "zero_share"  # stock short and the member's weight is 0
    CAPACITY = "capacity"  # limited by the remaining storage capacity only
    NO_STOCK = "no_stock"  # nothing of this category available
    NO_REQUEST = "no_request"  # ordered 0 g
    ADJUSTED = "adjusted"  # changed by hand by the coordinator


# --- Inputs --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class LotSupply:
    """Available quantity of one lot."""

    lot_id: int
    category_id: int
    storage_class: str  # "frozen" | "chilled" | "dry"
    quantity_g: int
    use_by: date | None = None  # last day it may be handed out (FEFO key); None: no limit


@dataclass(frozen=True, slots=True)
class MemberRequest:
    """What one member organisation orders in one category (one request per pair)."""

    member_id: int
    category_id: int
    requested_g: int


@dataclass(frozen=True, slots=True)
class MemberProfile:
    """A member's weight (households served last month, agreed share, or 1 for "equal") and
    remaining capacity per storage class (None or a missing class: unlimited)."""

    member_id: int
    weight: float | Fraction | Decimal
    capacity_g: Mapping[str, int | None] = field(default_factory=dict)


# --- Outputs -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class AllocationLine:
    """Hand ``quantity_g`` of lot ``lot_id`` to member ``member_id``."""

    member_id: int
    category_id: int
    lot_id: int
    quantity_g: int


@dataclass(frozen=True, slots=True)
class MemberCategoryOutcome:
    """What a member asked for in a category, what it could take, what it gets, and why."""

    requested_g: int
    capped_g: int  # the request limited by the member's remaining storage capacity
    granted_g: int
    reason: str  # a plain sentence in the active language
    reason_code: ReasonCode
    computed_g: int  # what allocate() computed, before any manual adjustment


@dataclass(frozen=True, slots=True)
class CategoryTotals:
    supply_g: int
    requested_g: int
    capped_g: int
    granted_g: int


@dataclass(frozen=True, slots=True)
class AllocationResult:
    policy: AllocationPolicy
    lines: list[AllocationLine]
    per_member: dict[int, dict[int, MemberCategoryOutcome]]  # member id → category id → ...
    leftover: dict[int, int]  # lot id → grams not allocated (every lot given, 0 included)
    totals: dict[int, CategoryTotals]  # category id → totals


# --- Allocation ----------------------------------------------------------------------------


class _State:
    """Running figures of one member × category while pools are worked through."""

    __slots__ = (
        "cap_left",
        "cap_storage",
        "capped",
        "granted",
        "redistributed",
        "share_count",
        "share_pct",
        "short_seen",
        "unsatisfied",
    )

    def __init__(self, requested: int) -> None:
        self.granted = 0
        self.capped = requested
        self.cap_storage = ""
        self.cap_left = 0
        self.short_seen = False  # some pool of the category was short
        self.unsatisfied = False  # ...and this member got less than its demand there
        self.share_pct = Fraction(0)
        self.share_count = 0
        self.redistributed = False


def _fefo_key(lot: LotSupply) -> tuple[date, int]:
    return (lot.use_by or date.max, lot.lot_id)


def _check_grams(value: object, what: str) -> None:
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise ValueError(f"{what} must be a whole number of grams ≥ 0, not {value!r}.")


def _exact_weight(weight: object) -> Fraction | None:
    """The weight as an exact fraction (floats are taken at their exact binary value)."""
    if isinstance(weight, bool) or not isinstance(weight, int | float | Decimal | Fraction):
        return None
    try:
        exact = Fraction(weight)
    except (ValueError, OverflowError):  # NaN, infinity
        return None
    return exact if exact >= 0 else None


def allocate(
    lots: Iterable[LotSupply],
    requests: Iterable[MemberRequest],
    members: Iterable[MemberProfile],
    policy: AllocationPolicy | str,
) -> AllocationResult:
    """Share the lots among the members' requests fairly (see the module docstring)."""
    policy = AllocationPolicy(policy)
    lots = list(lots)

    weights: dict[int, Fraction] = {}
    remaining_capacity: dict[int, dict[str, int | None]] = {}
    for member in members:
        if member.member_id in weights:
            raise ValueError(f"Member {member.member_id} is given twice.")
        weight = _exact_weight(member.weight)
        if weight is None:
            raise ValueError(
                f"Member {member.member_id}: weight must be a finite number ≥ 0, "
                f"not {member.weight!r}."
            )
        weights[member.member_id] = weight
        capacities = dict(member.capacity_g)
        for storage, grams in capacities.items():
            if grams is not None:
                _check_grams(grams, f"Member {member.member_id}: capacity for {storage}")
        remaining_capacity[member.member_id] = capacities

    zero_weight = {member_id for member_id, weight in weights.items() if weight == 0}

    pools: dict[tuple[int, str], list[LotSupply]] = {}
    supply_by_category: dict[int, int] = {}
    leftover: dict[int, int] = {}
    for lot in lots:
        if lot.lot_id in leftover:
            raise ValueError(f"Lot {lot.lot_id} is given twice.")
        if lot.storage_class not in _STORAGE_RANK:
            raise ValueError(f"Lot {lot.lot_id}: unknown storage class {lot.storage_class!r}.")
        if type(lot.quantity_g) is not int or lot.quantity_g < 0:
            _check_grams(lot.quantity_g, f"Lot {lot.lot_id}: quantity")
        leftover[lot.lot_id] = lot.quantity_g
        supply_by_category[lot.category_id] = (
            supply_by_category.get(lot.category_id, 0) + lot.quantity_g
        )
        if lot.quantity_g > 0:
            pools.setdefault((lot.category_id, lot.storage_class), []).append(lot)

    requested: dict[int, dict[int, int]] = {}  # category → member → grams
    for request in requests:
        if request.member_id not in weights:
            raise ValueError(f"Member {request.member_id} has a request but no profile.")
        if type(request.requested_g) is not int or request.requested_g < 0:
            _check_grams(request.requested_g, f"Member {request.member_id}: request")
        category_requests = requested.setdefault(request.category_id, {})
        if request.member_id in category_requests:
            raise ValueError(
                f"Member {request.member_id} has two requests for category "
                f"{request.category_id}; add them up first."
            )
        category_requests[request.member_id] = request.requested_g
    for category_id in list(requested):
        requested[category_id] = dict(sorted(requested[category_id].items()))
    states = {
        (member_id, category_id): _State(grams)
        for category_id, category_requests in requested.items()
        for member_id, grams in category_requests.items()
    }

    for pool_lots in pools.values():
        pool_lots.sort(key=_fefo_key)
    order = sorted(
        pools,
        key=lambda key: (_STORAGE_RANK[key[1]], _fefo_key(pools[key][0])[0], key[0]),
    )

    lines: list[AllocationLine] = []
    for category_id, storage in order:
        by_member = requested.get(category_id)
        if not by_member:
            continue
        pool_lots = pools[(category_id, storage)]
        supply = sum(lot.quantity_g for lot in pool_lots)

        demands: list[tuple[int, int]] = []
        for member_id, grams in by_member.items():
            state = states[(member_id, category_id)]
            still = grams - state.granted
            capacity = remaining_capacity[member_id].get(storage)
            demand = still if capacity is None or capacity >= still else capacity
            if demand < still:
                state.cap_storage, state.cap_left = storage, capacity or 0
            state.capped = state.granted + demand
            if demand > 0:
                demands.append((member_id, demand))

        if sum(demand for _m, demand in demands) <= supply:
            grants = dict(demands)
        else:
            grants = _share_short(demands, weights, zero_weight, supply)
            positive = [(m, d) for m, d in demands if m not in zero_weight]
            total_weight = sum(weights[m] for m, _d in positive)
            redistributed = any(grants[m] == d for m, d in positive)
            for member_id, demand in demands:
                state = states[(member_id, category_id)]
                state.short_seen = True
                if grants[member_id] < demand:
                    state.unsatisfied = True
                    state.share_count = len(positive)
                    state.share_pct = (
                        weights[member_id] / total_weight if total_weight else Fraction(0)
                    )
                    state.redistributed = redistributed

        for member_id, granted in grants.items():
            states[(member_id, category_id)].granted += granted
            capacity = remaining_capacity[member_id].get(storage)
            if capacity is not None:
                remaining_capacity[member_id][storage] = capacity - granted

        available = [[lot.lot_id, lot.quantity_g] for lot in pool_lots]
        lines.extend(_fefo_fill(available, category_id, sorted(grants.items())))

    for line in lines:
        leftover[line.lot_id] -= line.quantity_g

    per_member: dict[int, dict[int, MemberCategoryOutcome]] = {}
    totals: dict[int, CategoryTotals] = {}
    texts = _Texts()
    for category_id in sorted(set(supply_by_category) | set(requested)):
        supply = supply_by_category.get(category_id, 0)
        sum_requested = sum_capped = sum_granted = 0
        for member_id, grams in requested.get(category_id, {}).items():
            state = states[(member_id, category_id)]
            if supply == 0:
                state.capped = grams
            code, reason = _explain(texts, state, grams, supply, member_id in zero_weight, policy)
            per_member.setdefault(member_id, {})[category_id] = MemberCategoryOutcome(
                requested_g=grams,
                capped_g=state.capped,
                granted_g=state.granted,
                reason=reason,
                reason_code=code,
                computed_g=state.granted,
            )
            sum_requested += grams
            sum_capped += state.capped
            sum_granted += state.granted
        totals[category_id] = CategoryTotals(
            supply_g=supply, requested_g=sum_requested, capped_g=sum_capped, granted_g=sum_granted
        )
    per_member = {member_id: per_member[member_id] for member_id in sorted(per_member)}
    return AllocationResult(
        policy=policy, lines=lines, per_member=per_member, leftover=leftover, totals=totals
    )


def _share_short(
    demands: list[tuple[int, int]],
    weights: Mapping[int, Fraction],
    zero_weight: set[int],
    supply: int,
) -> dict[int, int]:
    """Share ``supply`` < Σ demand: weighted water-filling among members with a weight; the
    members without one share equally what is left once the others are fully served."""
    positive = [(m, d, weights[m]) for m, d in demands if m not in zero_weight]
    zero = [(m, d, Fraction(1)) for m, d in demands if m in zero_weight]
    positive_total = sum(d for _m, d, _w in positive)
    if positive_total >= supply:
        grants = _water_fill(positive, supply)
        grants.update((m, 0) for m, _d, _w in zero)
    else:
        grants = {m: d for m, d, _w in positive}
        grants.update(_water_fill(zero, supply - positive_total))
    return grants


def _water_fill(demands: list[tuple[int, int, Fraction]], supply: int) -> dict[int, int]:
    """Weighted max-min fair integer shares of ``supply`` (≤ Σ demand), exact arithmetic."""
    grants: dict[int, int] = {}
    by_level = sorted(demands, key=lambda t: (Fraction(t[1]) / t[2], t[0]))
    left = supply
    left_weight = sum(w for _m, _d, w in demands)
    index = 0
    # Members whose demand fits under the current level are served in full; the level
    # can only rise as they leave.
    while index < len(by_level):
        member_id, demand, weight = by_level[index]
        if demand * left_weight > left * weight:
            break
        grants[member_id] = demand
        left -= demand
        left_weight -= weight
        index += 1
    rest = by_level[index:]
    if rest:
        level = Fraction(left) / left_weight
        floors: list[tuple[Fraction, int, int]] = []
        floored = 0
        for member_id, _demand, weight in rest:
            share = level * weight
            whole = share.numerator // share.denominator
            floors.append((share - whole, member_id, whole))
            floored += whole
        # Largest remainders get the grams left; Σ remainders = extra < count of non-zero
        # remainders, so nobody whose share is whole (e.g. its full demand) gets one more.
        extra = left - floored
        floors.sort(key=lambda t: (-t[0], t[1]))
        for rank, (_fraction, member_id, whole) in enumerate(floors):
            grants[member_id] = whole + (1 if rank < extra else 0)
    return grants


def _fefo_fill(
    available: list[list[int]], category_id: int, grants: Iterable[tuple[int, int]]
) -> list[AllocationLine]:
    """Fill each (member, grams) from ``available`` ([lot id, grams] in FEFO order, updated
    in place), most urgent lots first."""
    lines: list[AllocationLine] = []
    index = 0
    for member_id, grams in grants:
        need = grams
        while need > 0:
            while available[index][1] == 0:
                index += 1
            lot_id, free = available[index]
            take = need if need < free else free
            available[index][1] = free - take
            need -= take
            lines.append(AllocationLine(member_id, category_id, lot_id, take))
    return lines


# --- Explanations --------------------------------------------------------------------------
# Msgids are marked with gettext_noop (so makemessages finds them) and translated once per
# call through _Texts: calling gettext for each of hundreds of outcomes is the slow part.

MSG_NO_REQUEST = gettext_noop("You did not order any.")
MSG_NO_STOCK = gettext_noop("None available for this delivery.")
MSG_FULL = gettext_noop("Full order: there was enough stock.")
MSG_WITHIN_SHARE = gettext_noop(
    "Not enough stock for every order, but yours was within your share, so you received all of it."
)
MSG_CAPACITY = {
    FROZEN: gettext_noop("Limited by your remaining freezer space (%(capacity)s)."),
    CHILLED: gettext_noop("Limited by your remaining refrigerated space (%(capacity)s)."),
    DRY: gettext_noop("Limited by your remaining dry storage space (%(capacity)s)."),
}
MSG_SHARE = {
    AllocationPolicy.HOUSEHOLDS: gettext_noop(
        "Not enough stock for every order: it was shared in proportion to the households each "
        "member served last month (yours: %(percent)s %% of the total)."
    ),
    AllocationPolicy.SHARES: gettext_noop(
        "Not enough stock for every order: it was shared according to the agreed shares "
        "(yours: %(percent)s %% of the total)."
    ),
    AllocationPolicy.EQUAL: gettext_noop(
        "Not enough stock for every order: it was shared equally among the %(count)s members "
        "who ordered."
    ),
}
MSG_REDISTRIBUTED = gettext_noop(
    "Members who asked for less than their share got all of it; the rest was shared among "
    "the others."
)
MSG_ZERO_SHARE = {
    AllocationPolicy.HOUSEHOLDS: gettext_noop(
        "Not enough stock for every order, and no households served last month are recorded "
        "for you, so your share is zero."
    ),
    AllocationPolicy.SHARES: gettext_noop(
        "Not enough stock for every order, and you have no agreed share, so your share is zero."
    ),
    AllocationPolicy.EQUAL: gettext_noop(
        "Not enough stock for every order, and your share is set to zero."
    ),
}
MSG_ZERO_SHARE_REST = gettext_noop(
    "Not enough stock for every order. Members with a share were served first; you received "
    "part of what was left."
)
MSG_ADJUSTED = gettext_noop("Adjusted by the coordinator (the calculation gave %(computed)s).")


def kg_text(grams: int) -> str:
    """A weight in the current locale: 80000 → « 80 kg », 1500 → « 1,5 kg », 750 → « 750 g »."""
    if 0 < grams < 1000:
        return f"{grams}\xa0g"
    value = (Decimal(grams) / 1000).normalize()
    places = 1 if value != value.to_integral_value() else 0
    return f"{number_format(value, places, force_grouping=True)}\xa0kg"


def _percent(fraction: Fraction) -> str:
    value = fraction * 100
    if 0 < value < 1:
        return number_format(round(float(value), 1), 1, force_grouping=True)
    return str(round(value))


class _Texts:
    """Translations and formatted numbers of one call, each looked up once."""

    __slots__ = ("_kg", "_percent", "_translated")

    def __init__(self) -> None:
        self._translated: dict[str, str] = {}
        self._kg: dict[int, str] = {}
        self._percent: dict[Fraction, str] = {}

    def __call__(self, message: str) -> str:
        text = self._translated.get(message)
        if text is None:
            text = self._translated[message] = gettext(message)
        return text

    def kg(self, grams: int) -> str:
        text = self._kg.get(grams)
        if text is None:
            text = self._kg[grams] = kg_text(grams)
        return text

    def percent(self, fraction: Fraction) -> str:
        text = self._percent.get(fraction)
        if text is None:
            text = self._percent[fraction] = _percent(fraction)
        return text


def _explain(
    texts: _Texts,
    state: _State,
    requested: int,
    supply: int,
    zero_weight: bool,
    policy: AllocationPolicy,
) -> tuple[ReasonCode, str]:
    if requested == 0:
        return ReasonCode.NO_REQUEST, texts(MSG_NO_REQUEST)
    if supply == 0:
        return ReasonCode.NO_STOCK, texts(MSG_NO_STOCK)
    if state.granted == requested:
        if state.short_seen:
            return ReasonCode.WITHIN_SHARE, texts(MSG_WITHIN_SHARE)
        return ReasonCode.FULL, texts(MSG_FULL)
    sentences = []
    if state.capped < requested:
        capacity = {"capacity": texts.kg(state.cap_left)}
        sentences.append(texts(MSG_CAPACITY[state.cap_storage]) % capacity)
    if not state.unsatisfied:
        return ReasonCode.CAPACITY, " ".join(sentences)
    if zero_weight:
        zero = MSG_ZERO_SHARE_REST if state.granted > 0 else MSG_ZERO_SHARE[policy]
        sentences.append(texts(zero))
        return ReasonCode.ZERO_SHARE, " ".join(sentences)
    params = {"percent": texts.percent(state.share_pct), "count": state.share_count}
    sentences.append(texts(MSG_SHARE[policy]) % params)
    if state.redistributed:
        sentences.append(texts(MSG_REDISTRIBUTED))
    return ReasonCode.SHARE, " ".join(sentences)


# --- Manual adjustment ---------------------------------------------------------------------


def adjust(
    result: AllocationResult,
    member_id: int,
    category_id: int,
    new_granted_g: int,
    lots: Iterable[LotSupply],
) -> AllocationResult:
    """The coordinator sets what one member gets in one category; returns a new result.

    The other members' lines are left as they are. Lowering releases the member's least
    urgent grams first; raising takes the most urgent unallocated grams of the category
    (FEFO). Raises ValueError if the quantity is negative or more than the stock left.
    ``lots`` are the lots given to :func:`allocate` (only this category's are used).
    """
    if not isinstance(new_granted_g, int) or isinstance(new_granted_g, bool):
        raise ValueError(gettext("The quantity must be a whole number of grams."))
    if new_granted_g < 0:
        raise ValueError(gettext("The quantity cannot be negative."))
    category_lots = sorted((lot for lot in lots if lot.category_id == category_id), key=_fefo_key)
    quantities = {lot.lot_id: lot.quantity_g for lot in category_lots}
    supply = sum(quantities.values())

    allocated = dict.fromkeys(quantities, 0)
    mine: dict[int, int] = {}  # lot id → grams of this member
    for line in result.lines:
        if line.category_id != category_id:
            continue
        if line.lot_id not in allocated:
            raise ValueError(f"Lot {line.lot_id} is allocated but missing from the lots given.")
        allocated[line.lot_id] += line.quantity_g
        if line.member_id == member_id:
            mine[line.lot_id] = mine.get(line.lot_id, 0) + line.quantity_g
    for lot_id, grams in allocated.items():
        if grams > quantities[lot_id]:
            raise ValueError(f"Lot {lot_id} has less stock than is already allocated.")

    current = sum(mine.values())
    others = sum(allocated.values()) - current
    if others + new_granted_g > supply:
        raise ValueError(
            gettext(
                "Only %(available)s of this category can still be given to this member "
                "(%(supply)s available, %(others)s already shared with other members)."
            )
            % {
                "available": kg_text(supply - others),
                "supply": kg_text(supply),
                "others": kg_text(others),
            }
        )

    delta = new_granted_g - current
    if delta < 0:  # release the least urgent grams first
        to_release = -delta
        for lot in reversed(category_lots):
            if to_release == 0:
                break
            take = min(to_release, mine.get(lot.lot_id, 0))
            if take:
                mine[lot.lot_id] -= take
                to_release -= take
    elif delta > 0:  # take the most urgent unallocated grams first
        to_take = delta
        for lot in category_lots:
            if to_take == 0:
                break
            take = min(to_take, quantities[lot.lot_id] - allocated[lot.lot_id])
            if take:
                mine[lot.lot_id] = mine.get(lot.lot_id, 0) + take
                to_take -= take

    new_member_lines = [
        AllocationLine(member_id, category_id, lot.lot_id, mine[lot.lot_id])
        for lot in category_lots
        if mine.get(lot.lot_id)
    ]
    lines: list[AllocationLine] = []
    inserted = False
    for line in result.lines:
        if line.member_id == member_id and line.category_id == category_id:
            if not inserted:
                lines.extend(new_member_lines)
                inserted = True
            continue
        lines.append(line)
    if not inserted:
        lines.extend(new_member_lines)

    leftover = dict(result.leftover)
    leftover.update(quantities)
    for line in lines:
        if line.category_id == category_id:
            leftover[line.lot_id] -= line.quantity_g

    old = result.per_member.get(member_id, {}).get(category_id)
    computed = old.computed_g if old is not None else 0
    outcome = MemberCategoryOutcome(
        requested_g=old.requested_g if old is not None else 0,
        capped_g=old.capped_g if old is not None else 0,
        granted_g=new_granted_g,
        reason=gettext(MSG_ADJUSTED) % {"computed": kg_text(computed)},
        reason_code=ReasonCode.ADJUSTED,
        computed_g=computed,
    )
    if old is not None and delta == 0 and old.reason_code is not ReasonCode.ADJUSTED:
        outcome = old  # nothing changed: keep the explanation
    per_member = {m: dict(by_category) for m, by_category in result.per_member.items()}
    per_member.setdefault(member_id, {})[category_id] = outcome

    totals = dict(result.totals)
    old_totals = totals.get(category_id, CategoryTotals(0, 0, 0, 0))
    totals[category_id] = CategoryTotals(
        supply_g=supply,
        requested_g=old_totals.requested_g,
        capped_g=old_totals.capped_g,
        granted_g=others + new_granted_g,
    )
    return AllocationResult(
        policy=result.policy, lines=lines, per_member=per_member, leftover=leftover, totals=totals
    )
