"""Reads for training: personalised paths, needs reports, sessions, tips, the month calendar."""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cordee.core.models import Membership, Network, Organisation, Role, User

from .models import Certification, Shift, ShiftSignup, Volunteer
from .models_training import (
    Comfort,
    TrainingModule,
    TrainingPreference,
    TrainingProgress,
    TrainingSession,
    TrainingSessionSignup,
)
from .selectors import shifts_with_counts

Format = TrainingModule.Format
# "Pas du tout à l'aise": a short path, in-person first.
SHORT_PATH = 4
NOT_ANSWERED = "unknown"
COMFORT_COLUMNS = [Comfort.NONE.value, Comfort.SOME.value, Comfort.YES.value, NOT_ANSWERED]


@dataclass(frozen=True)
class Person:
    """A login, or a volunteer without one. Progress and preferences hang on exactly one."""

    user: User | None = None
    volunteer: Volunteer | None = None

    @property
    def key(self) -> str:
        return f"u{self.user.pk}" if self.user else f"v{self.volunteer.pk}"  # type: ignore[union-attr]

    def lookup(self) -> dict[str, object]:
        return {"user": self.user} if self.user else {"volunteer": self.volunteer}

    def __str__(self) -> str:
        return str(self.user or self.volunteer)


# --- Modules and paths -----------------------------------------------------------------


def modules_for_org(*, org: Organisation) -> QuerySet[TrainingModule]:
    """The shared library, the organisation's networks' modules and its own."""
    return TrainingModule.objects.filter(
        Q(network__isnull=True, organisation__isnull=True)
        | Q(organisation=org)
        | Q(network__in=org.networks.all()),
        is_active=True,
    )


def module_get(*, org: Organisation, pk: int) -> TrainingModule:
    return get_object_or_404(modules_for_org(org=org), pk=pk)


def build_path(
    modules: Iterable[TrainingModule], roles: set[str], comfort: str
) -> list[TrainingModule]:
    """The modules for these roles at this comfort level; fewer and in person for "none"."""
    level = comfort or Comfort.SOME
    chosen = [
        m
        for m in modules
        if (not m.audience or roles & set(m.audience))
        and (not m.comfort_levels or level in m.comfort_levels)
    ]
    chosen.sort(key=lambda m: (m.order, m.title))
    if level == Comfort.NONE:
        chosen.sort(key=lambda m: m.format != Format.IN_PERSON)
        chosen = chosen[:SHORT_PATH]
    return chosen


def _volunteer_roles(volunteer_ids: Iterable[int]) -> dict[int, set[str]]:
    """What the volunteer does, read from their certifications and shift sign-ups."""
    ids = list(volunteer_ids)
    roles: dict[int, set[str]] = {pk: {Role.VOLUNTEER.value} for pk in ids}
    kinds = Certification.Kind
    for vid, kind in Certification.objects.filter(volunteer_id__in=ids).values_list(
        "volunteer_id", "kind"
    ):
        if kind == kinds.DRIVER:
            roles[vid].add(Role.DRIVER.value)
        elif kind == kinds.FOOD_HANDLER:
            roles[vid].add(TrainingModule.FOOD_HANDLER)
    signups = ShiftSignup.objects.filter(volunteer_id__in=ids).exclude(
        status=ShiftSignup.Status.CANCELLED
    )
    for vid, required in signups.values_list("volunteer_id", "shift__required_certifications"):
        for kind in required or []:
            roles[vid].add(Role.DRIVER.value if kind == kinds.DRIVER else str(kind))
    return roles


def person_roles(*, org: Organisation, person: Person) -> set[str]:
    roles: set[str] = set()
    volunteers = Volunteer.objects.filter(memberships__organisation=org)
    if person.user is not None:
        roles |= set(
            Membership.objects.filter(user=person.user, organisation=org).values_list(
                "role", flat=True
            )
        )
        volunteers = volunteers.filter(user=person.user)
    else:
        volunteers = volunteers.filter(pk=person.volunteer.pk)  # type: ignore[union-attr]
    for extra in _volunteer_roles(volunteers.values_list("pk", flat=True)).values():
        roles |= extra
    return roles


def preference_of(person: Person) -> TrainingPreference | None:
    return TrainingPreference.objects.filter(**person.lookup()).first()  # type: ignore[arg-type]


@dataclass
class PathStep:
    module: TrainingModule
    progress: TrainingProgress | None
    sessions: list[TrainingSession] = field(default_factory=list)
    # Session ids the person is signed up to.
    mine: set[int] = field(default_factory=set)

    @property
    def done(self) -> bool:
        return self.progress is not None and self.progress.completed_on is not None


def person_path(*, org: Organisation, person: Person) -> list[PathStep]:
    pref = preference_of(person)
    path = build_path(
        modules_for_org(org=org), person_roles(org=org, person=person), pref.comfort if pref else ""
    )
    progress = {
        p.module_id: p
        for p in TrainingProgress.objects.filter(module__in=path, **person.lookup())  # type: ignore[misc]
    }
    sessions: dict[int, list[TrainingSession]] = {}
    for session in sessions_upcoming(org=org).filter(module__in=path):
        sessions.setdefault(session.module_id, []).append(session)
    mine = set(
        TrainingSessionSignup.objects.filter(
            session__organisation=org,
            **person.lookup(),  # type: ignore[arg-type]
        ).values_list("session_id", flat=True)
    )
    return [
        PathStep(
            m,
            progress.get(m.pk),
            sessions.get(m.pk, []),
            mine & {s.pk for s in sessions.get(m.pk, [])},
        )
        for m in path
    ]


# --- Sessions --------------------------------------------------------------------------


def sessions_upcoming(*, org: Organisation) -> QuerySet[TrainingSession]:
    return (
        TrainingSession.objects.filter(organisation=org, starts_at__gte=timezone.now())
        .select_related("module")
        .annotate(taken=Count("signups"))
    )


def session_get(*, org: Organisation, pk: int) -> TrainingSession:
    return get_object_or_404(
        TrainingSession.objects.select_related("module"), organisation=org, pk=pk
    )


# --- Needs report ----------------------------------------------------------------------


@dataclass
class NeedRow:
    module: TrainingModule
    by_comfort: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.by_comfort.values())

    @property
    def cells(self) -> list[int]:
        return [self.by_comfort[c] for c in COMFORT_COLUMNS]


def _org_people(org: Organisation) -> dict[str, tuple[Person, set[str]]]:
    """Everyone working for the organisation, with their roles there (few queries)."""
    people: dict[str, tuple[Person, set[str]]] = {}
    users = {u.pk: u for u in User.objects.filter(memberships__organisation=org).distinct()}
    roles_by_user: dict[int, set[str]] = {}
    for uid, role in Membership.objects.filter(organisation=org).values_list("user_id", "role"):
        roles_by_user.setdefault(uid, set()).add(role)
    volunteers = list(
        Volunteer.objects.filter(memberships__organisation=org).select_related("user")
    )
    extra = _volunteer_roles(v.pk for v in volunteers)
    for v in volunteers:
        if v.user is not None:
            users.setdefault(v.user_id, v.user)  # type: ignore[arg-type]
            roles_by_user.setdefault(v.user_id, set()).update(extra[v.pk])  # type: ignore[arg-type]
        else:
            person = Person(volunteer=v)
            people[person.key] = (person, extra[v.pk])
    for uid, user in users.items():
        person = Person(user=user)
        people[person.key] = (person, roles_by_user.get(uid, set()))
    return people


def _add_needs(
    counts: dict[int, dict[str, set[str]]],
    org: Organisation,
    modules: list[TrainingModule],
) -> None:
    people = _org_people(org)
    user_ids = [p.user.pk for p, _r in people.values() if p.user]
    volunteer_ids = [p.volunteer.pk for p, _r in people.values() if p.volunteer]
    prefs = TrainingPreference.objects.filter(
        Q(user_id__in=user_ids) | Q(volunteer_id__in=volunteer_ids)
    )
    comfort = {(f"u{p.user_id}" if p.user_id else f"v{p.volunteer_id}"): p.comfort for p in prefs}
    done: set[tuple[str, int]] = set()
    for uid, vid, mid in TrainingProgress.objects.filter(
        Q(user_id__in=user_ids) | Q(volunteer_id__in=volunteer_ids), completed_on__isnull=False
    ).values_list("user_id", "volunteer_id", "module_id"):
        done.add((f"u{uid}" if uid else f"v{vid}", mid))
    for key, (_person, roles) in people.items():
        level = comfort.get(key, "")
        for module in build_path(modules, roles, level):
            if (key, module.pk) not in done:
                counts.setdefault(module.pk, {}).setdefault(level or NOT_ANSWERED, set()).add(key)


def _rows(counts: dict[int, dict[str, set[str]]], modules: list[TrainingModule]) -> list[NeedRow]:
    rows = []
    for module in modules:
        by = counts.get(module.pk, {})
        row = NeedRow(module, {c: len(by.get(c, set())) for c in COMFORT_COLUMNS})
        if row.total:
            rows.append(row)
    return sorted(rows, key=lambda r: (-r.total, r.module.order))


def needs_report(*, org: Organisation) -> list[NeedRow]:
    """Per module: how many of the organisation's people still need it, by comfort level."""
    modules = list(modules_for_org(org=org))
    counts: dict[int, dict[str, set[str]]] = {}
    _add_needs(counts, org, modules)
    return _rows(counts, modules)


def network_needs_report(*, network: Network) -> list[NeedRow]:
    """The same across the network's organisations, for pooled modules only (a person who
    works for two members counts once)."""
    modules = list(
        TrainingModule.objects.filter(
            Q(network__isnull=True, organisation__isnull=True) | Q(network=network),
            is_active=True,
        )
    )
    counts: dict[int, dict[str, set[str]]] = {}
    for org in network.members.all():
        _add_needs(counts, org, modules)
    return _rows(counts, modules)


# --- Tips ------------------------------------------------------------------------------

TIPS: dict[str, object] = {  # lazy translations
    "checkin": _(
        "Type the first letters of the name, or the phone number: the list appears "
        "by itself. Then tap the right household to record the visit."
    ),
    "stock": _(
        "Each place shows what is in stock. The yellow box at the top lists the food "
        "to hand out first."
    ),
    "my_shifts": _(
        "Tap « I'm coming » under a shift to sign up. Can't come any more? Tap « I can't "
        "come »: the coordinator is told right away."
    ),
}


def tip_visible(*, user: User, key: str) -> bool:
    if key not in TIPS or not user.is_authenticated:
        return False
    pref = TrainingPreference.objects.filter(user=user).first()
    return pref is None or (pref.show_tips and key not in pref.dismissed_tips)


# --- Month calendar ---------------------------------------------------------------------


@dataclass
class MonthDay:
    date: date
    in_month: bool
    shifts: list[Shift]


def shift_month(
    *, org: Organisation, first: date, site_id: int | None = None
) -> list[list[MonthDay]]:
    """Weeks (Monday first) covering the month that starts on `first`."""
    last = first.replace(day=calendar.monthrange(first.year, first.month)[1])
    start = first - timedelta(days=first.weekday())
    end = last + timedelta(days=6 - last.weekday())
    shifts = shifts_with_counts(org=org).filter(date__gte=start, date__lte=end)
    if site_id:
        shifts = shifts.filter(site_id=site_id)
    by_day: dict[date, list[Shift]] = {}
    for shift in shifts:
        by_day.setdefault(shift.date, []).append(shift)
    days = [
        MonthDay(day, day.month == first.month, by_day.get(day, []))
        for day in (start + timedelta(days=i) for i in range((end - start).days + 1))
    ]
    return [days[i : i + 7] for i in range(0, len(days), 7)]
