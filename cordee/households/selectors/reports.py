"""Figures of the monthly and March (Bilan-Faim / HungerCount) reports, computed in the database.

Every figure is a GROUP BY over the month's visits; Python only folds the grouped rows (a few
per organisation), never the visits. Cancelled (undone) visits do not count.

How we count (DOMAIN-FACTS, "Counting and reporting"):
- a request ("demande d'aide alimentaire") is one basket, one meal or one snack. A basket
  visit (regular or emergency help) is one basket; a meal or snack visit counts one meal or
  snack per person served;
- households and people are unduplicated within an organisation: a household counts once in
  the month however often it came; its people are its registered size (people_count);
- ages come from the household members (age band, or birth year: age reached in the report's
  year); people without an age given are counted as "age not given", never guessed.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.utils import timezone

from cordee.core.models import Organisation

from ..models import (
    AgeBand,
    Consent,
    ConsentPurpose,
    Household,
    HouseholdMember,
    Visit,
    VisitType,
)

LOCAL = ZoneInfo("America/Toronto")
SUPPRESS_BELOW = 5  # network views: counts of 1 to 4 are shown as « < 5 »
NOT_GIVEN = ""  # key of "not answered" in the breakdowns

BASKET_TYPES = (VisitType.BASKET, VisitType.EMERGENCY)
PER_PERSON_TYPES = (VisitType.MEAL, VisitType.SNACK)


@dataclass
class ReportFigures:
    """One organisation's (or a network's) figures for one month."""

    baskets: int = 0
    emergency: int = 0  # among the baskets
    meals: int = 0
    snacks: int = 0
    visits: int = 0
    households: int = 0
    people: int = 0
    children: int = 0
    adults: int = 0
    seniors: int = 0
    household_types: dict[str, int] = field(default_factory=dict)
    income_sources: dict[str, int] = field(default_factory=dict)
    housing_types: dict[str, int] = field(default_factory=dict)

    @property
    def requests(self) -> int:
        return self.baskets + self.meals + self.snacks

    @property
    def age_not_given(self) -> int:
        return max(self.people - self.children - self.adults - self.seniors, 0)

    @property
    def children_pct(self) -> float | None:
        return round(100 * self.children / self.people, 1) if self.people else None

    def add(self, other: "ReportFigures") -> None:
        """Network totals: households belong to one organisation, so sums stay unduplicated
        within each member (a household registered at two counters counts twice)."""
        for name in (
            "baskets",
            "emergency",
            "meals",
            "snacks",
            "visits",
            "households",
            "people",
            "children",
            "adults",
            "seniors",
        ):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for name in ("household_types", "income_sources", "housing_types"):
            mine: dict[str, int] = getattr(self, name)
            for key, n in getattr(other, name).items():
                mine[key] = mine.get(key, 0) + n


@dataclass(frozen=True)
class Month:
    first: date  # the first day of the month

    @classmethod
    def of(cls, year: int, month: int) -> "Month":
        return cls(date(year, month, 1))

    @property
    def next_first(self) -> date:
        y, m = self.first.year, self.first.month
        return date(y + (m == 12), m % 12 + 1, 1)

    def bounds(self) -> tuple[datetime, datetime]:
        """Aware datetimes: the month in Québec time, as the counters live it."""
        start = datetime.combine(self.first, time.min, tzinfo=LOCAL)
        end = datetime.combine(self.next_first, time.min, tzinfo=LOCAL)
        return start, end

    @property
    def is_march(self) -> bool:
        return self.first.month == 3


def last_month(today: date | None = None) -> Month:
    today = today or timezone.localdate()
    first = today.replace(day=1)
    return Month.of(first.year - (first.month == 1), (first.month - 2) % 12 + 1)


def month_visits(*, org_ids: list[int], month: Month) -> QuerySet[Visit]:
    start, end = month.bounds()
    return Visit.objects.filter(
        organisation_id__in=org_ids,
        visited_at__gte=start,
        visited_at__lt=end,
        cancelled_at__isnull=True,
    )


def served_households(*, org_ids: list[int], month: Month) -> QuerySet[Household]:
    """Households with at least one (not cancelled) visit in the month."""
    visits = month_visits(org_ids=org_ids, month=month).filter(household=OuterRef("pk"))
    return Household.objects.filter(organisation_id__in=org_ids).filter(Exists(visits))


def _age_band(year: int) -> Case:
    """The member's band: the age band given, else from the birth year (age reached in
    `year`); "" when neither is known."""
    return Case(
        When(~Q(age_band=""), then="age_band"),
        When(birth_year__gt=year - 18, then=Value(AgeBand.CHILD.value)),
        When(birth_year__gt=year - 65, then=Value(AgeBand.ADULT.value)),
        When(birth_year__isnull=False, then=Value(AgeBand.SENIOR.value)),
        default=Value(""),
        output_field=CharField(),
    )


def report_by_organisation(*, org_ids: list[int], month: Month) -> dict[int, ReportFigures]:
    """Each organisation's figures for the month (every asked organisation has a row)."""
    figures = {pk: ReportFigures() for pk in org_ids}
    visits = month_visits(org_ids=org_ids, month=month)
    for row in visits.values("organisation_id", "visit_type").annotate(
        n=Count("id"), people=Sum("people_served")
    ):
        f = figures[row["organisation_id"]]
        f.visits += row["n"]
        kind = row["visit_type"]
        if kind in BASKET_TYPES:
            f.baskets += row["n"]
            if kind == VisitType.EMERGENCY:
                f.emergency += row["n"]
        elif kind == VisitType.MEAL:
            f.meals += row["people"] or 0
        elif kind == VisitType.SNACK:
            f.snacks += row["people"] or 0
    households = served_households(org_ids=org_ids, month=month)
    for row in households.values(
        "organisation_id", "household_type", "income_source", "housing_type"
    ).annotate(n=Count("id"), people=Sum("people_count")):
        f = figures[row["organisation_id"]]
        f.households += row["n"]
        f.people += row["people"] or 0
        for name, key in (
            ("household_types", "household_type"),
            ("income_sources", "income_source"),
            ("housing_types", "housing_type"),
        ):
            counts: dict[str, int] = getattr(f, name)
            counts[row[key]] = counts.get(row[key], 0) + row["n"]
    members = (
        HouseholdMember.objects.filter(household__in=households)
        .annotate(band=_age_band(month.first.year))
        .values("household__organisation_id", "band")
        .annotate(n=Count("id", output_field=IntegerField()))
    )
    for row in members:
        f = figures[row["household__organisation_id"]]
        band = row["band"]
        if band == AgeBand.CHILD:
            f.children += row["n"]
        elif band == AgeBand.ADULT:
            f.adults += row["n"]
        elif band == AgeBand.SENIOR:
            f.seniors += row["n"]
    return figures


def report_for_organisation(*, org: Organisation, month: Month) -> ReportFigures:
    return report_by_organisation(org_ids=[org.pk], month=month)[org.pk]


def network_total(figures: dict[int, ReportFigures]) -> ReportFigures:
    total = ReportFigures()
    for f in figures.values():
        total.add(f)
    return total


# --- Small-count suppression (network views) ------------------------------------------------


def suppressed(n: int) -> bool:
    """1 to 4 is hidden; 0 says nothing about anybody and is shown."""
    return 0 < n < SUPPRESS_BELOW


def suppress_column(values: list[int]) -> list[int | None]:
    """None for every hidden cell. When exactly one cell of a column would be hidden, the
    next smallest one is hidden too, so the total minus the others cannot give it back."""
    hidden = {i for i, n in enumerate(values) if suppressed(n)}
    if len(hidden) == 1:
        others = [(n, i) for i, n in enumerate(values) if i not in hidden and n > 0]
        if others:
            hidden.add(min(others)[1])
    return [None if i in hidden else n for i, n in enumerate(values)]


# --- Rows of the GoToucan export (one organisation, never another's) -----------------------


def export_rows(*, org: Organisation, month: Month) -> tuple[QuerySet, QuerySet, QuerySet]:
    """(households, members, visits) of the month as value rows, for the organisation only.
    Households whose latest statistics consent was withdrawn are left out, and so are
    their people and visits."""
    households = served_households(org_ids=[org.pk], month=month).exclude(
        pk__in=_statistics_withdrawn(org)
    )
    household_rows = households.order_by("card_number").values(
        "pk",
        "card_number",
        "first_name",
        "last_name",
        "municipality__name",
        "people_count",
        "household_type",
        "income_source",
        "housing_type",
        "created_at",
    )
    member_rows = (
        HouseholdMember.objects.filter(household__in=households)
        .order_by("household__card_number", "pk")
        .values("pk", "household__card_number", "age_band", "birth_year")
    )
    visit_rows = (
        month_visits(org_ids=[org.pk], month=month)
        .filter(household__in=households)
        .order_by("visited_at", "pk")
        .values(
            "pk",
            "household__card_number",
            "visited_at",
            "visit_type",
            "people_served",
            "weight_g",
            "site__name",
        )
    )
    return household_rows, member_rows, visit_rows


def _statistics_withdrawn(org: Organisation) -> QuerySet:
    latest = (
        Consent.objects.filter(household=OuterRef("household"), purpose=ConsentPurpose.STATISTICS)
        .order_by("-given_on", "-pk")
        .values("pk")[:1]
    )
    return (
        Consent.objects.filter(
            household__organisation=org,
            purpose=ConsentPurpose.STATISTICS,
            withdrawn_on__isnull=False,
        )
        .filter(pk=Subquery(latest))
        .values("household_id")
    )


def organisations_serving(*, org_ids: list[int]) -> list[int]:
    """Which of these organisations have households at all (a network's counters and
    kitchens, not its stores or its supplier)."""
    return list(
        Household.objects.filter(organisation_id__in=org_ids)
        .values_list("organisation_id", flat=True)
        .distinct()
        .order_by("organisation_id")
    )
