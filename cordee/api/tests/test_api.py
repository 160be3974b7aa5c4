"""The REST API: bearer tokens, and tenancy on every endpoint (404 elsewhere, no leaks)."""

from datetime import time, timedelta

import pytest

from cordee.core.models import ApiToken, OpeningHours, Role
from cordee.core.services.tokens import api_token_create, api_token_revoke
from cordee.core.tests.factories import (
    MembershipFactory,
    NetworkFactory,
    NetworkMembershipFactory,
    SiteFactory,
    UserFactory,
)

API = "/api/v1"


def bearer(user) -> dict:
    _token, raw = api_token_create(user=user, name="Tests")
    return {"Authorization": f"Bearer {raw}"}


@pytest.fixture
def auth_a(admin_a):
    return bearer(admin_a)


@pytest.fixture
def auth_b(admin_b):
    return bearer(admin_b)


# --- Authentication ------------------------------------------------------------------------


def test_bearer_token_authenticates(client, admin_a, auth_a):
    response = client.get(f"{API}/me", headers=auth_a)
    assert response.status_code == 200
    assert response.json() == {
        "id": admin_a.pk,
        "email": "admin-a@example.org",
        "full_name": admin_a.full_name,
        "language": "fr-ca",
    }


@pytest.mark.parametrize(
    "header",
    [
        None,
        "Bearer cordee_not-a-real-token",
        "Bearer ",
        "Token cordee_abc",
        "Basic YWRtaW46YWRtaW4=",
    ],
)
def test_missing_or_wrong_token_is_401(client, admin_a, header):
    headers = {"Authorization": header} if header is not None else {}
    response = client.get(f"{API}/me", headers=headers)
    assert response.status_code == 401
    assert response.json() == {"detail": "Jeton manquant, invalide ou révoqué."}
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_session_is_not_enough(client_a):
    """The API takes tokens only: a signed-in browser session cannot be used (no CSRF risk)."""
    assert client_a.get(f"{API}/me").status_code == 401


def test_revoked_token_is_401(client, admin_a):
    token, raw = api_token_create(user=admin_a, name="Ancien")
    headers = {"Authorization": f"Bearer {raw}"}
    assert client.get(f"{API}/me", headers=headers).status_code == 200
    api_token_revoke(actor=admin_a, token=token)
    assert client.get(f"{API}/me", headers=headers).status_code == 401


def test_closed_account_is_401(client, admin_a, auth_a):
    admin_a.is_active = False
    admin_a.save(update_fields=["is_active"])
    assert client.get(f"{API}/me", headers=auth_a).status_code == 401


def test_last_used_at_is_updated_at_most_once_a_minute(client, admin_a, auth_a):
    token = ApiToken.objects.get(user=admin_a)
    assert token.last_used_at is None
    client.get(f"{API}/me", headers=auth_a)
    token.refresh_from_db()
    first = token.last_used_at
    assert first is not None
    client.get(f"{API}/me", headers=auth_a)
    token.refresh_from_db()
    assert token.last_used_at == first  # no write on every request

    ApiToken.objects.filter(pk=token.pk).update(last_used_at=first - timedelta(minutes=5))
    client.get(f"{API}/me", headers=auth_a)
    token.refresh_from_db()
    assert token.last_used_at >= first


def test_openapi_schema_is_served(client, db):
    response = client.get(f"{API}/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["info"]["title"] == "Cordée API"
    for path in [
        "/api/v1/me",
        "/api/v1/organisations",
        "/api/v1/organisations/{org_id}",
        "/api/v1/organisations/{org_id}/sites",
        "/api/v1/organisations/{org_id}/sites/{site_id}",
        "/api/v1/organisations/{org_id}/members",
        "/api/v1/networks",
        "/api/v1/networks/{slug}/members",
    ]:
        assert path in schema["paths"], path
    schemes = schema["components"]["securitySchemes"]
    assert {s["scheme"] for s in schemes.values()} == {"bearer"}


# --- Organisations -------------------------------------------------------------------------


def test_organisations_lists_mine_with_my_roles(client, org_a, org_b, admin_a, auth_a):
    MembershipFactory(user=admin_a, organisation=org_a, role=Role.COORDINATOR)
    response = client.get(f"{API}/organisations", headers=auth_a)
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    assert [o["id"] for o in body["items"]] == [org_a.pk]
    assert body["items"][0]["name"] == "Comptoir A"
    assert body["items"][0]["roles"] == ["coordinator", "org_admin"]
    assert "Comptoir B" not in response.content.decode()


def test_organisations_several_and_paginated(client, org_a, org_b, admin_a, auth_a):
    MembershipFactory(user=admin_a, organisation=org_b, role=Role.VIEWER)
    body = client.get(f"{API}/organisations?limit=1", headers=auth_a).json()
    assert body["count"] == 2
    assert len(body["items"]) == 1
    body = client.get(f"{API}/organisations?limit=1&offset=1", headers=auth_a).json()
    assert body["items"][0]["id"] == org_b.pk
    assert body["items"][0]["roles"] == ["viewer"]


def test_organisation_detail(client, org_a, auth_a):
    org_a.contact_email = "info@comptoir-a.example.org"
    org_a.save()
    response = client.get(f"{API}/organisations/{org_a.pk}", headers=auth_a)
    assert response.status_code == 200
    body = response.json()
    assert body["id"] == org_a.pk
    assert body["contact_email"] == "info@comptoir-a.example.org"
    assert body["roles"] == ["org_admin"]


def test_another_organisation_is_404(client, org_a, org_b, auth_a):
    site_b = org_b.sites.get()
    for url in [
        f"/organisations/{org_b.pk}",
        f"/organisations/{org_b.pk}/sites",
        f"/organisations/{org_b.pk}/sites/{site_b.pk}",
        f"/organisations/{org_b.pk}/members",
        "/organisations/999999",
    ]:
        response = client.get(API + url, headers=auth_a)
        assert response.status_code == 404, url
        assert response.json() == {"detail": "Introuvable."}


# --- Sites ---------------------------------------------------------------------------------


def test_sites_list_only_this_organisation(client, org_a, org_b, auth_a):
    SiteFactory(organisation=org_a, name="Entrepôt A")
    SiteFactory(organisation=org_b, name="Entrepôt B")
    body = client.get(f"{API}/organisations/{org_a.pk}/sites", headers=auth_a).json()
    assert body["count"] == 2
    assert sorted(s["name"] for s in body["items"]) == ["Entrepôt A", "Local du comptoir A"]
    assert all(s["organisation_id"] == org_a.pk for s in body["items"])


def test_site_detail_with_hours_municipality_coordinates_capacities(client, org_a, auth_a):
    site = SiteFactory(
        organisation=org_a,
        name="Cuisine",
        fridge_capacity_g=250_000,
        freezer_capacity_g=100_500,
        dry_capacity_g=1_000_000,
    )
    OpeningHours.objects.create(site=site, weekday=1, opens_at=time(9), closes_at=time(12))
    OpeningHours.objects.create(site=site, weekday=3, opens_at=time(13), closes_at=time(16, 30))
    response = client.get(f"{API}/organisations/{org_a.pk}/sites/{site.pk}", headers=auth_a)
    assert response.status_code == 200
    body = response.json()
    assert body["name"] == "Cuisine"
    assert body["municipality"] == {"id": site.municipality.pk, "name": site.municipality.name}
    assert body["latitude"] is None
    assert body["coordinates"] == {
        "latitude": site.municipality.latitude,
        "longitude": site.municipality.longitude,
        "approximate": True,
    }
    assert body["fridge_capacity_g"] == 250_000
    assert body["freezer_capacity_g"] == 100_500
    assert body["dry_capacity_g"] == 1_000_000
    assert body["opening_hours"] == [
        {"weekday": 1, "opens_at": "09:00:00", "closes_at": "12:00:00"},
        {"weekday": 3, "opens_at": "13:00:00", "closes_at": "16:30:00"},
    ]


def test_site_own_coordinates_are_exact(client, org_a, auth_a):
    site = SiteFactory(organisation=org_a, latitude=46.1, longitude=-74.6)
    body = client.get(f"{API}/organisations/{org_a.pk}/sites/{site.pk}", headers=auth_a).json()
    assert body["coordinates"] == {"latitude": 46.1, "longitude": -74.6, "approximate": False}


def test_site_of_another_organisation_under_my_organisation_is_404(client, org_a, org_b, auth_a):
    site_b = org_b.sites.get()
    response = client.get(f"{API}/organisations/{org_a.pk}/sites/{site_b.pk}", headers=auth_a)
    assert response.status_code == 404


# --- Members -------------------------------------------------------------------------------


def test_members_for_an_administrator(client, org_a, org_b, admin_a, volunteer_a, admin_b, auth_a):
    response = client.get(f"{API}/organisations/{org_a.pk}/members", headers=auth_a)
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    by_email = {m["email"]: m for m in body["items"]}
    assert set(by_email) == {"admin-a@example.org", "benevole-a@example.org"}
    assert by_email["benevole-a@example.org"] == {
        "id": volunteer_a.pk,
        "full_name": volunteer_a.full_name,
        "email": "benevole-a@example.org",
        "roles": ["volunteer"],
    }
    assert "admin-b@example.org" not in response.content.decode()


def test_members_for_a_coordinator(client, org_a, admin_a):
    coordinator = UserFactory()
    MembershipFactory(user=coordinator, organisation=org_a, role=Role.COORDINATOR)
    response = client.get(f"{API}/organisations/{org_a.pk}/members", headers=bearer(coordinator))
    assert response.status_code == 200
    assert response.json()["count"] == 2


def test_members_forbidden_to_a_volunteer_of_the_organisation(client, org_a, volunteer_a):
    response = client.get(f"{API}/organisations/{org_a.pk}/members", headers=bearer(volunteer_a))
    assert response.status_code == 403
    assert response.json()["detail"] == (
        "Réservé aux administrateurs et coordonnateurs de l'organisme."
    )


def test_members_of_another_organisation_is_404_not_403(client, org_a, admin_a, auth_b):
    response = client.get(f"{API}/organisations/{org_a.pk}/members", headers=auth_b)
    assert response.status_code == 404


# --- Networks ------------------------------------------------------------------------------


def test_networks_lists_only_my_networks(client, org_a, org_b, auth_a):
    body = client.get(f"{API}/networks", headers=auth_a).json()
    assert body["count"] == 1
    assert [n["name"] for n in body["items"]] == ["Réseau A"]


def test_network_members(client, org_a, org_b, auth_a):
    shared = NetworkFactory(name="Table commune", slug="table-commune")
    NetworkMembershipFactory(network=shared, organisation=org_a, services="Transport")
    NetworkMembershipFactory(network=shared, organisation=org_b, services="Cuisine collective")
    body = client.get(f"{API}/networks", headers=auth_a).json()
    assert body["count"] == 2

    response = client.get(f"{API}/networks/table-commune/members", headers=auth_a)
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    assert body["items"] == [
        {
            "id": org_a.pk,
            "name": "Comptoir A",
            "kind": "food_counter",
            "services": "Transport",
            "joined_on": None,
        },
        {
            "id": org_b.pk,
            "name": "Comptoir B",
            "kind": "food_counter",
            "services": "Cuisine collective",
            "joined_on": None,
        },
    ]
    # Organisation-level only: nobody's e-mail or name comes through.
    assert "@" not in response.content.decode()


def test_network_of_other_organisations_is_404(client, org_a, org_b, auth_a):
    slug_b = org_b.networks.get().slug
    response = client.get(f"{API}/networks/{slug_b}/members", headers=auth_a)
    assert response.status_code == 404
    assert client.get(f"{API}/networks/nope/members", headers=auth_a).status_code == 404


def test_token_of_a_user_without_organisation_sees_nothing(client, org_a):
    loner = UserFactory()
    headers = bearer(loner)
    assert client.get(f"{API}/organisations", headers=headers).json() == {"items": [], "count": 0}
    assert client.get(f"{API}/networks", headers=headers).json() == {"items": [], "count": 0}
    assert client.get(f"{API}/organisations/{org_a.pk}", headers=headers).status_code == 404


def test_page_size_is_capped(client, org_a, auth_a):
    SiteFactory.create_batch(100, organisation=org_a)
    response = client.get(f"{API}/organisations/{org_a.pk}/sites?limit=5000", headers=auth_a)
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 101
    assert len(body["items"]) == 100


def test_api_docs_page_uses_vendored_files_not_a_cdn(client):
    html = client.get("/api/v1/docs").content.decode()
    assert "swagger-ui-bundle.js" in html
    assert "cdn" not in html.lower()
