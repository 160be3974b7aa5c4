"""Schemas of the households API (cordee/api/households.py): households, their visits and the
check-in's answer. Weights are integer grams; `weight_kg` repeats them in kilograms.
"""

from datetime import date, datetime
from typing import Literal

from ninja import Field, Schema

from cordee.households.models import (
    HouseholdType,
    HousingType,
    IncomeSource,
    Visit,
    VisitType,
)

from .logistics import Ref

NAME_MAX = 100
REASON_MAX = 300


class HouseholdOut(Schema):
    """What every counter role sees: never income, housing or household type."""

    id: int
    card_number: int
    first_name: str
    last_name: str
    phone: str
    email: str
    municipality: Ref | None
    people_count: int
    proof_seen_on: date | None
    last_visit_at: datetime | None
    created_at: datetime


class SensitiveOut(Schema):
    """Restricted (Law 25): only for the roles that see it on screen; each read is audited.
    Empty string: not answered."""

    household_type: HouseholdType | Literal[""]
    income_source: IncomeSource | Literal[""]
    housing_type: HousingType | Literal[""]


class EligibilityOut(Schema):
    eligible: bool
    # The sentence the counter screen shows, e.g. « Dernière visite il y a 3 jours — … ».
    message: str
    reasons: list[str]
    next_possible_on: date | None


class HouseholdDetailOut(HouseholdOut):
    eligibility: EligibilityOut
    # null when the caller's role may not see it (volunteers, staff).
    sensitive: SensitiveOut | None


class HouseholdIn(Schema):
    first_name: str = Field(..., max_length=NAME_MAX)
    last_name: str = Field(..., max_length=NAME_MAX)
    phone: str = Field("", max_length=30)
    email: str = Field("", max_length=254)
    municipality_id: int | None = None
    people_count: int = 1
    # Restricted: only coordinators, administrators and social workers may write them.
    household_type: str = ""
    income_source: str = ""
    housing_type: str = ""


class VisitOut(Schema):
    id: int
    household_id: int
    card_number: int
    visited_at: datetime
    visit_type: VisitType
    people_served: int
    weight_g: int | None
    weight_kg: float | None
    site: Ref | None
    override_reason: str
    cancelled_at: datetime | None

    @staticmethod
    def resolve_card_number(obj: Visit) -> int:
        return obj.household.card_number

    @staticmethod
    def resolve_weight_kg(obj: Visit) -> float | None:
        return None if obj.weight_g is None else obj.weight_g / 1000

    @staticmethod
    def resolve_site(obj: Visit) -> Ref | None:
        return None if obj.site is None else Ref(id=obj.site.pk, name=obj.site.name)


class VisitPageOut(Schema):
    """Like the other lists' pages: `count` visits in all, `items` from offset."""

    items: list[VisitOut]
    count: int


class VisitIn(Schema):
    visit_type: VisitType = VisitType.BASKET
    people_served: int | None = None  # default: the household's number of people
    weight_g: int | None = None
    site_id: int | None = None
    # Only when the rules refuse the visit, and only for coordinators, administrators and
    # social workers (like the screen).
    override_reason: str = Field("", max_length=REASON_MAX)


class CheckInOut(Schema):
    recorded: bool
    eligibility: EligibilityOut
    visit: VisitOut | None
