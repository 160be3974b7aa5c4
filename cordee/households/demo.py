"""Demo households: ~600 synthetic households at the demo counters and kitchens, a year of
visits at realistic frequencies, consents, and a few near-duplicate registrations of the
same person at two counters (what the network duplicate check is for).

Names come from the dedupe benchmark's generator (synthetic.py): Québec's frequent surnames,
first names by birth cohort, real municipalities of the MRC, fictional phone numbers.
Idempotent: when a demo counter already has households, nothing is written. Everything is
written with bulk_create, in one transaction (well under 5 s on SQLite).
"""

import random
import time as clock
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from cordee.core.demo.data import COUNTERS
from cordee.core.models import Municipality, Organisation, Site

from .matching.normalise import phone_normalise
from .models import (
    Consent,
    ConsentMethod,
    ConsentPurpose,
    Household,
    HouseholdMember,
    HouseholdType,
    HousingType,
    IncomeSource,
    Visit,
    VisitType,
)
from .selectors.households import search_names_for
from .services.search_index import search_words_rebuild
from .synthetic import _Generator, _Person

SEED = 2026
LOCAL = ZoneInfo("America/Toronto")
# Households per demo organisation (slug): bigger counters in the bigger towns.
HOUSEHOLDS = {
    "panier-des-monts": 115,
    "halte-nourriciere": 80,
    "grenier-de-la-diable": 95,
    "epi-solidaire": 65,
    "garde-manger-du-lac": 60,
    "partage-sainte-lucie": 55,
    "coffre-a-provisions": 50,
    "chaudron-collectif": 35,
    "mains-a-la-pate": 20,
    "marmite-de-lantier": 25,
}
DUPLICATE_SHARE = 0.04  # of households also registered, a little differently, elsewhere
# (days between visits, share of households): weekly, every two weeks, monthly.
RHYTHMS: tuple[tuple[int, float], ...] = ((7, 0.25), (14, 0.45), (30, 0.30))
INCOME = [
    (IncomeSource.SOCIAL_ASSISTANCE, 34),
    (IncomeSource.PENSION, 20),
    (IncomeSource.EMPLOYMENT, 17),
    (IncomeSource.DISABILITY, 9),
    (IncomeSource.EMPLOYMENT_INSURANCE, 5),
    (IncomeSource.STUDENT, 2),
    (IncomeSource.NONE, 3),
    ("", 10),  # not answered: the question is optional
]
HOUSING = [
    (HousingType.RENTAL, 58),
    (HousingType.SOCIAL, 12),
    (HousingType.OWNER, 12),
    (HousingType.FAMILY, 6),
    (HousingType.NO_HOME, 2),
    ("", 10),
]


@dataclass
class HouseholdsDemoSummary:
    households: int
    visits: int
    duplicates: int
    created: int
    seconds: float


def _choice(rng: random.Random, weighted: list[tuple[str, int]]) -> str:
    return rng.choices([v for v, _ in weighted], [w for _, w in weighted])[0]


def _household_type(people: list[_Person], year: int) -> str:
    adults = [p for p in people if p.birth_year is None or year - p.birth_year >= 18]
    children = len(people) - len(adults)
    if len(people) == 1:
        return HouseholdType.SINGLE
    if children and len(adults) == 1:
        return HouseholdType.SINGLE_PARENT
    if children and len(adults) == 2:
        return HouseholdType.TWO_PARENTS
    if not children and len(adults) == 2:
        return HouseholdType.COUPLE
    return HouseholdType.OTHER


class _Builder:
    def __init__(self, today: date) -> None:
        self.gen = _Generator(SEED)
        self.rng = self.gen.rng
        self.today = today
        self.towns = {m.name: m for m in Municipality.objects.all()}
        self.households: list[Household] = []
        self.members: list[list[HouseholdMember]] = []
        self.visits: list[list[Visit]] = []
        self.cards: dict[int, int] = {}

    def _card(self, org: Organisation) -> int:
        self.cards[org.pk] = self.cards.get(org.pk, 0) + 1
        return self.cards[org.pk]

    def add(
        self,
        org: Organisation,
        sites: list[Site],
        people: list[_Person],
        first: str,
        last: str,
        phone: str,
    ) -> None:
        r = self.rng
        head = people[0]
        household = Household(
            organisation=org,
            first_name=first,
            last_name=last,
            phone=phone,
            phone_digits=phone_normalise(phone),
            municipality=self.towns.get(head.municipality),
            people_count=len(people),
            household_type=_household_type(people, self.today.year) if r.random() < 0.92 else "",
            income_source=_choice(r, INCOME),
            housing_type=_choice(r, HOUSING),
            card_number=self._card(org),
            search_names=search_names_for(first, last),
        )
        self.households.append(household)
        self.members.append([HouseholdMember(birth_year=p.birth_year) for p in people])
        visits = self._visits(org, sites, household)
        self.visits.append(visits)
        household.last_visit_at = max(
            (v.visited_at for v in visits if v.cancelled_at is None), default=None
        )

    def _visits(self, org: Organisation, sites: list[Site], household: Household) -> list[Visit]:
        """A year at one rhythm: some came all year, some started or stopped on the way,
        and nobody comes every single time."""
        r = self.rng
        kitchen = org.kind == Organisation.Kind.COLLECTIVE_KITCHEN
        every = 7 if kitchen else r.choices([d for d, _ in RHYTHMS], [w for _, w in RHYTHMS])[0]
        start = self.today - timedelta(days=365)
        if r.random() < 0.35:
            start += timedelta(days=r.randint(0, 330))  # registered during the year
        end = self.today
        if r.random() < 0.2:
            end -= timedelta(days=r.randint(0, 300))  # stopped coming
        site = r.choice(sites) if sites else None
        day = start + timedelta(days=r.randint(0, every - 1))
        visits = []
        while day <= end:
            if r.random() < 0.75:
                visits.append(self._visit(org, site, household, day, kitchen))
            day += timedelta(days=every + r.randint(-1, 2))
        return visits

    def _visit(
        self, org: Organisation, site: Site | None, household: Household, day: date, kitchen: bool
    ) -> Visit:
        r = self.rng
        at = datetime.combine(day, time(r.randint(11, 16), r.randint(0, 59)), tzinfo=LOCAL)
        if kitchen:
            kind = VisitType.MEAL if r.random() < 0.85 else VisitType.SNACK
            weight = None
        else:
            kind = VisitType.EMERGENCY if r.random() < 0.04 else VisitType.BASKET
            weight = r.randint(6_000, 16_000) if r.random() < 0.6 else None
        return Visit(
            household=household,
            organisation=org,
            site=site,
            visited_at=at,
            visit_type=kind,
            people_served=household.people_count,
            weight_g=weight,
            cancelled_at=at + timedelta(minutes=2) if r.random() < 0.005 else None,
        )


def _consents(household: Household, rng: random.Random, given_on: date) -> list[Consent]:
    method = rng.choice(ConsentMethod.values)
    purposes = [ConsentPurpose.SERVICE]
    if rng.random() < 0.9:
        purposes.append(ConsentPurpose.STATISTICS)
    if rng.random() < 0.6:
        purposes.append(ConsentPurpose.DUPLICATE_CHECK)
    if rng.random() < 0.3:
        purposes.append(ConsentPurpose.NOTICES)
    return [
        Consent(
            household=household,
            purpose=purpose,
            given_on=given_on,
            method=method,
            notice_version="2025-1",
        )
        for purpose in purposes
    ]


def households_demo_load(today: date | None = None) -> HouseholdsDemoSummary:
    started = clock.perf_counter()
    today = today or timezone.localdate()
    slugs = [c.slug for c in COUNTERS if c.slug in HOUSEHOLDS]
    orgs = list(Organisation.objects.filter(slug__in=slugs).order_by("slug"))
    existing = Household.objects.filter(organisation__in=orgs)
    if existing.exists():
        return HouseholdsDemoSummary(
            households=existing.count(),
            visits=Visit.objects.filter(organisation__in=orgs).count(),
            duplicates=0,
            created=0,
            seconds=clock.perf_counter() - started,
        )
    builder = _Builder(today)
    sites = {o.pk: list(Site.objects.filter(organisation=o).order_by("pk")) for o in orgs}
    counters = [o for o in orgs if o.kind == Organisation.Kind.FOOD_COUNTER]
    duplicates = 0
    for org in orgs:
        for _ in range(HOUSEHOLDS[org.slug]):
            people = builder.gen.household()
            head = people[0]
            phone = builder.gen.phone_format(head.phone)
            builder.add(org, sites[org.pk], people, head.first, head.last, phone)
            others = [o for o in counters if o.pk != org.pk]
            if others and builder.rng.random() < DUPLICATE_SHARE:
                # The same person at another counter, written a little differently.
                row = builder.gen.duplicate(head)
                other = builder.rng.choice(others)
                builder.add(
                    other,
                    sites[other.pk],
                    people,
                    row["first_name"],
                    row["last_name"],
                    row["phone"],
                )
                duplicates += 1
    with transaction.atomic():
        households = Household.objects.bulk_create(builder.households, batch_size=500)
        members, visits, consents = [], [], []
        for household, its_members, its_visits in zip(
            households, builder.members, builder.visits, strict=True
        ):
            for member in its_members:
                member.household = household
            for visit in its_visits:
                visit.household = household
            members += its_members
            visits += its_visits
            first = min((v.visited_at for v in its_visits), default=None)
            given_on = timezone.localtime(first).date() if first else today
            consents += _consents(household, builder.rng, given_on)
        HouseholdMember.objects.bulk_create(members, batch_size=1000)
        Visit.objects.bulk_create(visits, batch_size=1000)
        Consent.objects.bulk_create(consents, batch_size=1000)
        search_words_rebuild(households=households)  # written in bulk: index them too
    return HouseholdsDemoSummary(
        households=len(households),
        visits=len(visits),
        duplicates=duplicates,
        created=len(households) + len(members) + len(visits) + len(consents),
        seconds=clock.perf_counter() - started,
    )
