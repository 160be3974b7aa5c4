"""Data and small helpers shared by the browser tests."""

from dataclasses import dataclass
from datetime import time
from pathlib import Path

from django.conf import settings

from conftest import PASSWORD
from cordee.core.models import Municipality, OpeningHours, Organisation, Role, Site
from cordee.core.tests.factories import (
    MembershipFactory,
    NetworkFactory,
    NetworkMembershipFactory,
    OrganisationFactory,
    SiteFactory,
    UserFactory,
)

EMAIL = "monique.tremblay@example.org"


@dataclass
class World:
    user: object
    org_a: Organisation  # in a network; the current organisation after sign-in (first by name)
    org_b: Organisation  # in no network
    network: object
    sites_a: list[Site]
    sites_b: list[Site]


def _site(org: Organisation, name: str, town: str, kind: str = Site.Kind.COUNTER) -> Site:
    site = SiteFactory(
        organisation=org,
        name=name,
        kind=kind,
        address="12, rue Principale",
        municipality=Municipality.objects.get(name=town),
    )
    OpeningHours.objects.create(site=site, weekday=1, opens_at=time(9), closes_at=time(12))
    OpeningHours.objects.create(site=site, weekday=3, opens_at=time(13), closes_at=time(16, 30))
    return site


def build_world() -> World:
    """A volunteer administrator of two organisations, one of them in a network.

    Names are long and French on purpose: that is what wraps and overflows on a phone.
    """
    org_a = OrganisationFactory(
        name="Comptoir alimentaire de Sainte-Agathe-des-Monts",
        kind=Organisation.Kind.FOOD_COUNTER,
        contact_email="info@comptoir-sainte-agathe.example.org",
        contact_phone="819 555-0101",
    )
    org_b = OrganisationFactory(
        name="Cuisine collective de Labelle", kind=Organisation.Kind.COLLECTIVE_KITCHEN
    )
    neighbour = OrganisationFactory(name="Partage des Laurentides", kind=Organisation.Kind.HUB)
    network = NetworkFactory(
        name="Réseau d'entraide alimentaire des Laurentides",
        coordinating_organisation=neighbour,
    )
    for org in (org_a, neighbour):
        NetworkMembershipFactory(
            network=network, organisation=org, services="Transport depuis Moisson, comptoir"
        )
    user = UserFactory(email=EMAIL, full_name="Monique Tremblay", password=PASSWORD)
    for org in (org_a, org_b):
        MembershipFactory(user=user, organisation=org, role=Role.ORG_ADMIN)
    MembershipFactory(user=user, organisation=org_a, role=Role.VOLUNTEER)
    MembershipFactory(user=UserFactory(full_name="Gérard Lévesque-Beauchamp"), organisation=org_a)
    sites_a = [
        _site(org_a, "Comptoir du centre-ville", "Sainte-Agathe-des-Monts"),
        _site(org_a, "Point de service de Val-David", "Val-David"),
    ]
    sites_b = [
        _site(org_b, "Cuisine de Labelle", "Labelle", Site.Kind.KITCHEN),
        _site(org_b, "Arrêt du comptoir mobile — La Minerve", "La Minerve", Site.Kind.MOBILE_STOP),
        _site(org_b, "Entrepôt de Mont-Tremblant", "Mont-Tremblant", Site.Kind.WAREHOUSE),
    ]
    _site(neighbour, "Entrepôt régional", "Mont-Blanc", Site.Kind.WAREHOUSE)
    return World(user, org_a, org_b, network, sites_a, sites_b)


def french_translations_compiled() -> bool:
    """True once locale/fr/LC_MESSAGES/django.mo exists: the French-text checks then run."""
    return any(
        (Path(p) / "fr" / "LC_MESSAGES" / "django.mo").exists() for p in settings.LOCALE_PATHS
    )


def html_lang(page) -> str:
    return page.locator("html").get_attribute("lang")


def sign_in(visit, email: str = EMAIL, password: str = PASSWORD) -> None:
    """Through the real form, as a person would."""
    visit.goto("/connexion/")
    visit.page.fill("input[name=username]", email)
    visit.page.fill("input[name=password]", password)
    visit.page.locator("main form button[type=submit]").click()
    visit.page.wait_for_url(visit.url("/"))


def current_org_name(page) -> str:
    """The organisation the header says we work for (switcher or plain text)."""
    switcher = page.locator("#org-switch option:checked")
    if switcher.count():
        return switcher.inner_text().strip()
    return page.locator(".org-current strong").inner_text().strip()
