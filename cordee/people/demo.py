"""Demo volunteers and shifts for the demo network: ~40 volunteers (fictional names from the
households' synthetic generator) with certifications (some expiring soon), regular shifts
per site (counter opening, sorting at the hub, truck helper, mobile counter), three months
of shifts (the past two and the next one) with sign-ups, waiting lists and a few late
cancellations, hours for past shifts, and two shared positions with timesheets, issued
statements and a payment in the ledger.

The demo people who have a volunteer role get a volunteer profile and coming shifts, so that
« Mes quarts » shows something when they sign in.

Idempotent: when the demo volunteers exist, only the demo logins' profiles are checked.
Rows are written with bulk_create, statements through the services (they compute amounts).
"""

from __future__ import annotations

import random
import time as clock
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from cordee.core.demo.data import USERS
from cordee.core.models import Organisation, Role, Site, User
from cordee.households.synthetic import _Generator

from .models import (
    Certification,
    HoursEntry,
    Shift,
    ShiftAlert,
    ShiftSignup,
    ShiftTemplate,
    Statement,
    TimesheetEntry,
    Volunteer,
    VolunteerMembership,
)
from .services.positions import (
    payment_record,
    position_create,
    position_share_set,
    statement_issue,
)

SEED = 2026
DEMO_DOMAIN = "benevoles.demo.example"
HUB = "carrefour"
# Volunteers per organisation (slug).
VOLUNTEERS = {
    HUB: 12,
    "panier-des-monts": 5,
    "halte-nourriciere": 5,
    "grenier-de-la-diable": 5,
    "epi-solidaire": 5,
    "garde-manger-du-lac": 4,
    "partage-sainte-lucie": 4,
}
COUNTER_DAYS = (1, 3)  # Tuesday, Thursday
Status = ShiftSignup.Status


@dataclass(frozen=True)
class PeopleDemoSummary:
    volunteers: int
    shifts: int
    signups: int
    statements: int
    created: int
    seconds: float


def _at(day: date, hour: time) -> datetime:
    return timezone.make_aware(datetime.combine(day, hour))


def _minutes(at: time) -> int:
    return at.hour * 60 + at.minute


class _Builder:
    def __init__(self, today: date) -> None:
        self.today = today
        self.rng = random.Random(SEED)
        self.gen = _Generator(SEED)

    def name(self) -> str:
        sex = self.rng.choice("fm")
        return f"{self.gen.first_name(sex, self.rng.randint(1945, 2000))} {self.gen.surname()}"

    def volunteers(self, orgs: dict[str, Organisation]) -> dict[int, list[Volunteer]]:
        """Volunteers per organisation id; a few also help a second organisation."""
        people: list[tuple[Volunteer, list[Organisation]]] = []
        channels = ["email"] * 5 + ["sms"] * 3 + ["phone"] * 2
        n = 0
        for slug, count in VOLUNTEERS.items():
            for _ in range(count):
                n += 1
                name = self.name()
                here = [orgs[slug]]
                if self.rng.random() < 0.12:
                    here.append(self.rng.choice([o for o in orgs.values() if o not in here]))
                volunteer = Volunteer(
                    full_name=name,
                    phone=f"819 555-{1000 + n:04d}",
                    email=f"benevole{n:02d}@{DEMO_DOMAIN}",
                    channel=self.rng.choice(channels),
                    available_weekdays=sorted(self.rng.sample(range(7), 3)),
                )
                people.append((volunteer, here))
        Volunteer.objects.bulk_create([v for v, _ in people])
        VolunteerMembership.objects.bulk_create(
            VolunteerMembership(volunteer=v, organisation=o) for v, here in people for o in here
        )
        by_org: dict[int, list[Volunteer]] = {}
        for v, here in people:
            for o in here:
                by_org.setdefault(o.pk, []).append(v)
        return by_org

    def certifications(self, volunteers: list[Volunteer]) -> list[Certification]:
        certs = []
        for i, v in enumerate(volunteers):
            if i % 3 == 0:
                certs.append(
                    Certification(
                        volunteer=v,
                        kind=Certification.Kind.DRIVER,
                        licence_class="5",
                        expires_on=self.today + timedelta(days=self.rng.randint(200, 900)),
                    )
                )
            if i % 2 == 0:
                # Every fourth one expires within the dashboard's 60 days.
                days = self.rng.randint(10, 55) if i % 4 == 0 else self.rng.randint(120, 700)
                certs.append(
                    Certification(
                        volunteer=v,
                        kind=Certification.Kind.FOOD_HANDLER,
                        expires_on=self.today + timedelta(days=days),
                    )
                )
            if i % 5 == 0:
                certs.append(Certification(volunteer=v, kind=Certification.Kind.FIRST_AID))
        Certification.objects.bulk_create(certs)
        return certs

    def templates(self, orgs: dict[str, Organisation]) -> list[ShiftTemplate]:
        hub = orgs[HUB]
        sites = list(Site.objects.filter(organisation__in=orgs.values()).order_by("pk"))
        rows: list[ShiftTemplate] = []

        def add(
            org: Organisation,
            site: Site,
            title: str,
            day: int,
            hours: tuple[int, int],
            needed: int,
            certs: list[str] | None = None,
        ) -> None:
            rows.append(
                ShiftTemplate(
                    organisation=org,
                    site=site,
                    title=title,
                    weekday=day,
                    starts_at=time(hours[0]),
                    ends_at=time(hours[1]),
                    needed=needed,
                    required_certifications=certs or [],
                )
            )

        hub_sites = [s for s in sites if s.organisation_id == hub.pk]
        warehouse = next((s for s in hub_sites if s.kind == Site.Kind.WAREHOUSE), hub_sites[0])
        for day in (0, 2, 4):
            add(hub, warehouse, "Tri au carrefour", day, (9, 12), 4)
        for day in (1, 3):
            add(hub, warehouse, "Aide au camion", day, (8, 12), 1, ["driver"])
        mobile = [s for s in hub_sites if s.kind == Site.Kind.MOBILE_STOP]
        for i, site in enumerate(mobile):
            add(hub, site, "Comptoir mobile", i % 5, (13, 16), 2)
        for slug, org in orgs.items():
            if slug == HUB:
                continue
            site = next(s for s in sites if s.organisation_id == org.pk)
            for day in COUNTER_DAYS:
                add(org, site, "Ouverture du comptoir", day, (9, 12), 3)
        ShiftTemplate.objects.bulk_create(rows)
        return rows

    def shifts(self, templates: list[ShiftTemplate]) -> list[Shift]:
        start = self.today - timedelta(days=61)
        end = self.today + timedelta(days=30)
        rows = []
        day = start
        while day <= end:
            for t in templates:
                if t.weekday == day.weekday():
                    rows.append(
                        Shift(
                            organisation_id=t.organisation_id,
                            template=t,
                            site_id=t.site_id,
                            title=t.title,
                            date=day,
                            starts_at=t.starts_at,
                            ends_at=t.ends_at,
                            needed=t.needed,
                            required_certifications=list(t.required_certifications),
                        )
                    )
            day += timedelta(days=1)
        Shift.objects.bulk_create(rows, batch_size=500)
        return rows

    def signups(
        self, shifts: list[Shift], by_org: dict[int, list[Volunteer]], drivers: set[int]
    ) -> tuple[list[ShiftSignup], list[HoursEntry], list[tuple[Shift, ShiftSignup]]]:
        signups: list[ShiftSignup] = []
        hours: list[HoursEntry] = []
        late: list[tuple[Shift, ShiftSignup]] = []
        now = timezone.now()
        for shift in shifts:
            pool = list(by_org.get(shift.organisation_id, []))
            if "driver" in shift.required_certifications:
                pool = [v for v in pool if v.pk in drivers]
            self.rng.shuffle(pool)
            past = shift.date < self.today
            # Coming shifts are not all full: the dashboard shows the ones missing people.
            filled = shift.needed if past or self.rng.random() < 0.6 else shift.needed - 1
            confirmed, rest = pool[:filled], pool[filled:]
            created = _at(shift.date, shift.starts_at) - timedelta(days=self.rng.randint(3, 20))
            for v in confirmed:
                signups.append(
                    ShiftSignup(
                        shift=shift, volunteer=v, status=Status.CONFIRMED, created_at=created
                    )
                )
                if past:
                    started = _at(shift.date, shift.starts_at)
                    minutes = _minutes(shift.ends_at) - _minutes(shift.starts_at)
                    hours.append(
                        HoursEntry(
                            volunteer=v,
                            organisation_id=shift.organisation_id,
                            site_id=shift.site_id,
                            shift=shift,
                            started_at=started,
                            ended_at=started + timedelta(minutes=minutes),
                            minutes=minutes,
                            source=HoursEntry.Source.CHECK_IN,
                            status=HoursEntry.Status.APPROVED,
                            decided_at=started + timedelta(minutes=minutes),
                        )
                    )
            if filled == shift.needed and rest and self.rng.random() < 0.3:
                signups.append(
                    ShiftSignup(
                        shift=shift, volunteer=rest.pop(), status=Status.WAITING, created_at=created
                    )
                )
            soon = self.today <= shift.date <= self.today + timedelta(days=2)
            if soon and rest and self.rng.random() < 0.4:
                cancelled = ShiftSignup(
                    shift=shift,
                    volunteer=rest.pop(),
                    status=Status.CANCELLED,
                    created_at=created,
                    cancelled_at=min(now, _at(shift.date, shift.starts_at) - timedelta(hours=20)),
                )
                signups.append(cancelled)
                late.append((shift, cancelled))
        ShiftSignup.objects.bulk_create(signups, batch_size=1000)
        HoursEntry.objects.bulk_create(hours, batch_size=1000)
        ShiftAlert.objects.bulk_create(
            ShiftAlert(
                organisation_id=shift.organisation_id,
                shift=shift,
                signup=signup,
                kind=ShiftAlert.Kind.LATE_CANCEL,
            )
            for shift, signup in late
        )
        return signups, hours, late


def _positions(orgs: dict[str, Organisation], admin: User, today: date) -> int:
    """Two shared positions employed by the hub, a timesheet for the past two months,
    statements for both months and a payment of the oldest one. Returns statements issued."""
    hub = orgs[HUB]
    members = [o for slug, o in orgs.items() if slug != HUB]
    specs = [
        ("Soutien informatique", "Maxime Octet", Decimal("35"), 3400, members[:4], Decimal("8.75")),
        (
            "Coordination des bénévoles",
            "Julie Relais",
            Decimal("21"),
            3100,
            members[2:5],
            Decimal("7"),
        ),
    ]
    this_month = today.replace(day=1)
    months = [(this_month - timedelta(days=1)).replace(day=1)]
    months.insert(0, (months[0] - timedelta(days=1)).replace(day=1))
    issued = 0
    for title, employee, weekly, cost, shares, planned in specs:
        position = position_create(
            actor=admin,
            employer=hub,
            data={
                "title": title,
                "employee_name": employee,
                "hours_per_week": weekly,
                "hourly_cost_cents": cost,
                "fee_basis_points": 500,
            },
        )
        for org in shares:
            position_share_set(
                actor=admin, position=position, organisation=org, planned=planned, unit="week"
            )
        entries = []
        day = months[0]
        while day < this_month:
            if day.weekday() < 5:
                for i, org in enumerate(shares):
                    entries.append(
                        TimesheetEntry(
                            position=position,
                            organisation=org,
                            date=day,
                            minutes=int(planned * 60 / 5) + (i * 15 if day.day % 2 else -i * 15),
                            entered_as=TimesheetEntry.EnteredAs.EMPLOYEE,
                            entered_by=admin,
                        )
                    )
            day += timedelta(days=1)
        TimesheetEntry.objects.bulk_create(entries)
        for month in months:
            for org in shares:
                statement_issue(actor=admin, position=position, organisation=org, month=month)
                issued += 1
        first = Statement.objects.get(position=position, organisation=shares[0], month=months[0])
        payment_record(
            actor=admin,
            position=position,
            organisation=shares[0],
            amount_cents=first.total_cents,
            note="Chèque",
        )
    return issued


def _demo_logins(orgs: dict[str, Organisation], today: date) -> int:
    """A volunteer profile for each demo login with a volunteer role, on a few coming shifts.
    Returns how many profiles were created."""
    created = 0
    for spec in USERS:
        slugs = [slug for slug, role in spec.roles if role == Role.VOLUNTEER and slug in orgs]
        user = User.objects.filter(email=spec.email).first()
        if not slugs or user is None:
            continue
        volunteer, new = Volunteer.objects.get_or_create(
            user=user,
            defaults={
                "full_name": spec.full_name,
                "email": spec.email,
                "channel": Volunteer.Channel.EMAIL,
                "available_weekdays": [1, 3],
            },
        )
        created += new
        for slug in slugs:
            VolunteerMembership.objects.get_or_create(volunteer=volunteer, organisation=orgs[slug])
        if ShiftSignup.objects.filter(volunteer=volunteer, shift__date__gt=today).exists():
            continue
        coming = (
            Shift.objects.filter(
                organisation__slug__in=slugs, date__gt=today, required_certifications=[]
            )
            .exclude(signups__volunteer=volunteer)
            .order_by("date", "starts_at")[:3]
        )
        ShiftSignup.objects.bulk_create(
            ShiftSignup(shift=s, volunteer=volunteer, status=Status.CONFIRMED) for s in coming
        )
    return created


def people_demo_load(today: date | None = None) -> PeopleDemoSummary:
    started = clock.perf_counter()
    today = today or timezone.localdate()
    orgs = {o.slug: o for o in Organisation.objects.filter(slug__in=VOLUNTEERS)}
    demo = Volunteer.objects.filter(email__endswith=f"@{DEMO_DOMAIN}")
    created = 0
    with transaction.atomic():
        if len(orgs) == len(VOLUNTEERS) and not demo.exists():
            builder = _Builder(today)
            by_org = builder.volunteers(orgs)
            volunteers = list(demo.order_by("pk"))
            certs = builder.certifications(volunteers)
            drivers = {c.volunteer_id for c in certs if c.kind == Certification.Kind.DRIVER}
            templates = builder.templates(orgs)
            shifts = builder.shifts(templates)
            signups, hours, late = builder.signups(shifts, by_org, drivers)
            admin = User.objects.filter(
                memberships__organisation=orgs[HUB], memberships__role=Role.ORG_ADMIN
            ).first()
            statements = _positions(orgs, admin, today) if admin else 0
            created = (
                len(volunteers)
                + len(certs)
                + len(templates)
                + len(shifts)
                + len(signups)
                + len(hours)
                + len(late)
                + statements
            )
        if orgs:
            created += _demo_logins(orgs, today)
    demo_orgs = list(orgs.values())
    return PeopleDemoSummary(
        volunteers=Volunteer.objects.filter(memberships__organisation__in=demo_orgs)
        .distinct()
        .count(),
        shifts=Shift.objects.filter(organisation__in=demo_orgs).count(),
        signups=ShiftSignup.objects.filter(shift__organisation__in=demo_orgs).count(),
        statements=Statement.objects.filter(position__employer__in=demo_orgs).count(),
        created=created,
        seconds=clock.perf_counter() - started,
    )
