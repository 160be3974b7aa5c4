"""Write the demo data idempotently, and read the demo sign-ins back from the database.

Demo data is reference data written in bulk, so it goes straight through the ORM instead
of the role-checking services; one `demo.load` audit event records each run that created
something. Rows are looked up by natural key and only created when missing: a second run
creates nothing, and never undoes what someone changed in the demo afterwards.
"""

import math
from collections import Counter
from dataclasses import dataclass
from datetime import time
from typing import Any, TypeVar

from django.contrib.auth.hashers import make_password
from django.db import models, transaction

from ..models import (
    Membership,
    Municipality,
    Network,
    NetworkMembership,
    NetworkRole,
    OpeningHours,
    Organisation,
    Site,
    User,
)
from ..services.audit import audit_record
from .data import (
    DEMO_PASSWORD,
    FICTIONAL_NOTE,
    NETWORKS,
    ORGANISATIONS,
    USERS,
    NetworkSpec,
    OrgSpec,
    SiteSpec,
    UserSpec,
)

M = TypeVar("M", bound=models.Model)
Coords = tuple[float, float]

# Sites sharing a municipality are spread on a sunflower spiral around its centre, so
# map markers never overlap and the positions are the same on every machine.
SPIRAL_STEP_DEG = 0.005  # ≈ 550 m of latitude
GOLDEN_ANGLE = math.radians(137.508)


class DemoDataError(Exception):
    """The database lacks what the demo stands on."""


@dataclass(frozen=True)
class LoadSummary:
    organisations: int
    networks: int
    sites: int
    users: int
    created: int  # rows of any kind created by this run


@dataclass(frozen=True)
class DemoLogin:
    email: str
    password: str
    organisation: str  # the network's name for a network role
    role: str  # a Role value, or "network_admin"
    language: str


def _spiral(centre: Coords, k: int) -> Coords:
    lat, lon = centre
    radius = SPIRAL_STEP_DEG * math.sqrt(k + 1)
    angle = k * GOLDEN_ANGLE
    dlon = radius * math.cos(angle) / math.cos(math.radians(lat))  # keep it round on a map
    return (round(lat + radius * math.sin(angle), 5), round(lon + dlon, 5))


def site_coordinates(municipalities: dict[str, Municipality]) -> dict[tuple[str, str], Coords]:
    """Coordinates of every demo site, keyed by (organisation slug, site name)."""
    seen: Counter[str] = Counter()
    coords = {}
    for org in ORGANISATIONS:
        for site in org.sites:
            if site.coords is None:
                town = municipalities[site.municipality]
                coords[org.slug, site.name] = _spiral(
                    (town.latitude, town.longitude), seen[site.municipality]
                )
                seen[site.municipality] += 1
            else:
                coords[org.slug, site.name] = site.coords
    return coords


class _Loader:
    def __init__(self) -> None:
        self.created: Counter[str] = Counter()
        self.municipalities = {m.name: m for m in Municipality.objects.all()}
        missing = {
            site.municipality for org in ORGANISATIONS for site in org.sites
        } - self.municipalities.keys()
        if missing:
            raise DemoDataError(
                f"Municipalités absentes : {', '.join(sorted(missing))}. "
                "Lancez d'abord « python manage.py migrate »."
            )
        self.coords = site_coordinates(self.municipalities)
        self._password_hash = ""

    def get_or_create(
        self, model: type[M], defaults: dict[str, Any], **lookup: Any
    ) -> tuple[M, bool]:
        obj, created = model._default_manager.get_or_create(defaults=defaults, **lookup)
        if created:
            self.created[model._meta.model_name or model.__name__] += 1
        return obj, created

    def password_hash(self) -> str:
        # Hash once per run: Argon2 is deliberately slow and every demo user shares it.
        if not self._password_hash:
            self._password_hash = make_password(DEMO_PASSWORD)
        return self._password_hash

    def organisation(self, spec: OrgSpec) -> Organisation:
        description = f"{spec.description} {FICTIONAL_NOTE}" if spec.fictional else spec.description
        org, _ = self.get_or_create(
            Organisation,
            slug=spec.slug,
            defaults={
                "name": spec.name,
                "kind": spec.kind,
                "description": description.strip(),
                "contact_name": spec.contact_name,
                "contact_email": spec.email,
                "contact_phone": spec.phone,
                "address": spec.sites[0].address,
                "municipality": self.municipalities[spec.municipality],
            },
        )
        for site in spec.sites:
            self.site(org, spec, site)
        return org

    def site(self, org: Organisation, org_spec: OrgSpec, spec: SiteSpec) -> Site:
        latitude, longitude = self.coords[org_spec.slug, spec.name]
        site, created = self.get_or_create(
            Site,
            organisation=org,
            name=spec.name,
            defaults={
                "kind": spec.kind,
                "address": spec.address,
                "postal_code": spec.postal_code,
                "municipality": self.municipalities[spec.municipality],
                "latitude": latitude,
                "longitude": longitude,
                "phone": spec.phone or org_spec.phone,
                "fridge_capacity_g": spec.fridge_kg * 1000,
                "freezer_capacity_g": spec.freezer_kg * 1000,
                "dry_capacity_g": spec.dry_kg * 1000,
                "notes": spec.notes,
            },
        )
        # Hours come with a new site only: re-adding them later would undo an edit.
        if created and spec.hours:
            OpeningHours.objects.bulk_create(
                OpeningHours(
                    site=site,
                    weekday=day,
                    opens_at=time.fromisoformat(opens),
                    closes_at=time.fromisoformat(closes),
                )
                for day, opens, closes in spec.hours
            )
            self.created["openinghours"] += len(spec.hours)
        return site

    def network(self, spec: NetworkSpec, orgs: dict[str, Organisation]) -> Network:
        network, _ = self.get_or_create(
            Network,
            slug=spec.slug,
            defaults={
                "name": spec.name,
                "description": spec.description,
                "coordinating_organisation": orgs[spec.coordinator],
            },
        )
        for member in spec.members:
            self.get_or_create(
                NetworkMembership,
                network=network,
                organisation=orgs[member.org],
                defaults={"services": member.services, "joined_on": member.joined_on},
            )
        return network

    def user(
        self, spec: UserSpec, orgs: dict[str, Organisation], networks: dict[str, Network]
    ) -> User:
        user, _ = self.get_or_create(
            User,
            email=spec.email,
            defaults={
                "full_name": spec.full_name,
                "preferred_language": spec.language,
                "password": self.password_hash(),
            },
        )
        for slug, role in spec.roles:
            self.get_or_create(
                Membership, user=user, organisation=orgs[slug], role=role, defaults={}
            )
        for slug in spec.network_admin_of:
            self.get_or_create(
                NetworkRole,
                user=user,
                network=networks[slug],
                role=NetworkRole.Kind.NETWORK_ADMIN,
                defaults={},
            )
        return user


def demo_load() -> LoadSummary:
    """Create whatever demo rows are missing, in one transaction."""
    with transaction.atomic():
        loader = _Loader()
        orgs = {spec.slug: loader.organisation(spec) for spec in ORGANISATIONS}
        networks = {spec.slug: loader.network(spec, orgs) for spec in NETWORKS}
        for spec in USERS:
            loader.user(spec, orgs, networks)
        if loader.created:
            audit_record(actor=None, action="demo.load", changed_fields=loader.created.keys())
    return LoadSummary(
        organisations=len(ORGANISATIONS),
        networks=len(NETWORKS),
        sites=sum(len(spec.sites) for spec in ORGANISATIONS),
        users=len(USERS),
        created=sum(loader.created.values()),
    )


def demo_logins() -> list[DemoLogin]:
    """One entry per role of each demo person who exists and is active, in data order."""
    emails = [spec.email for spec in USERS]
    users = User.objects.filter(email__in=emails, is_active=True).prefetch_related(
        "memberships__organisation", "network_roles__network"
    )
    by_email = {user.email: user for user in users}
    logins = []
    for email in emails:
        user = by_email.get(email)
        if user is None:
            continue
        places = [(m.organisation.name, m.role) for m in user.memberships.all()]
        places += [(r.network.name, r.role) for r in user.network_roles.all()]
        logins += [
            DemoLogin(email, DEMO_PASSWORD, name, role, user.preferred_language)
            for name, role in places
        ]
    return logins
