"""Another organisation's data is never reachable: 404 on objects, absent from lists."""

import pytest
from django.urls import reverse

from cordee.core.models import AuditEvent, Invitation, Role
from cordee.core.services.members import invitation_create
from cordee.core.tests.factories import MembershipFactory, UserFactory


@pytest.fixture
def site_b(org_b):
    return org_b.sites.get()


def test_site_of_another_organisation_is_404(client_a, site_b):
    assert client_a.get(reverse("core:site_detail", args=[site_b.pk])).status_code == 404
    assert client_a.get(reverse("core:site_edit", args=[site_b.pk])).status_code == 404
    response = client_a.post(reverse("core:site_edit", args=[site_b.pk]), {"name": "Piraté"})
    assert response.status_code == 404
    site_b.refresh_from_db()
    assert site_b.name == "Local du comptoir B"


def test_organisation_page_lists_only_own_sites(client_a, org_a, site_b):
    html = client_a.get(reverse("core:organisation")).content.decode()
    assert "Local du comptoir A" in html
    assert "Local du comptoir B" not in html
    assert "Comptoir B" not in html


def test_network_of_another_organisation_is_404(client_a, org_b):
    slug = org_b.networks.get().slug
    assert client_a.get(reverse("core:network", args=[slug])).status_code == 404


def test_network_page_lists_only_its_members(client_a, org_a, org_b):
    html = client_a.get(reverse("core:network", args=[org_a.networks.get().slug])).content.decode()
    assert "Comptoir A" in html
    assert "Comptoir B" not in html


def test_person_of_another_organisation_is_404(client_a, admin_b):
    url = reverse("core:person_roles", args=[admin_b.pk])
    assert client_a.get(url).status_code == 404
    assert client_a.post(url, {"roles": []}).status_code == 404
    assert admin_b.memberships.filter(role=Role.ORG_ADMIN).exists()


def test_people_list_and_search_do_not_leak(client_a, admin_b):
    html = client_a.get(reverse("core:people")).content.decode()
    assert "admin-b@example.org" not in html
    html = client_a.get(reverse("core:people"), {"q": "admin-b"}).content.decode()
    assert "admin-b@example.org" not in html


def test_invitation_of_another_organisation_cannot_be_cancelled(client_a, admin_b, org_b):
    invitation = invitation_create(
        actor=admin_b, organisation=org_b, email="x@example.org", role=Role.STAFF
    )
    url = reverse("core:invitation_cancel", args=[invitation.pk])
    assert client_a.post(url).status_code == 404
    invitation.refresh_from_db()
    assert invitation.revoked_at is None
    html = client_a.get(reverse("core:people")).content.decode()
    assert "x@example.org" not in html


def test_audit_log_shows_only_own_organisation(client_a, admin_b, org_b):
    invitation_create(actor=admin_b, organisation=org_b, email="y@example.org", role=Role.STAFF)
    assert AuditEvent.objects.filter(organisation=org_b).exists()
    html = client_a.get(reverse("core:audit_log")).content.decode()
    assert "y@example.org" not in html
    assert "invitation.create" not in html


def test_switching_to_an_organisation_i_do_not_belong_to_is_404(client_a, org_a, org_b):
    response = client_a.post(reverse("core:switch_organisation"), {"organisation": org_b.pk})
    assert response.status_code == 404
    html = client_a.get(reverse("core:home")).content.decode()
    assert "Comptoir A" in html


def test_forged_session_organisation_falls_back_to_own(client_a, org_a, org_b):
    session = client_a.session
    session["cordee_current_org"] = org_b.pk
    session.save()
    html = client_a.get(reverse("core:organisation")).content.decode()
    assert "Comptoir A" in html
    assert "Local du comptoir B" not in html


def test_home_counts_only_own_people(client_a, org_a, admin_b):
    for _ in range(3):
        MembershipFactory(user=UserFactory(), organisation=admin_b.memberships.get().organisation)
    response = client_a.get(reverse("core:home"))
    assert response.context["people_count"] == 1
    assert response.context["site_count"] == 1


@pytest.mark.parametrize(
    "name",
    ["people", "invite", "audit_log", "organisation_edit", "site_create"],
)
def test_volunteer_cannot_open_admin_pages(client, volunteer_a, name):
    client.force_login(volunteer_a)
    assert client.get(reverse(f"core:{name}")).status_code == 403


def test_anonymous_is_sent_to_sign_in(client, org_a):
    response = client.get(reverse("core:organisation"))
    assert response.status_code == 302
    assert reverse("core:login") in response["Location"]


def test_pending_invitations_are_per_organisation(admin_a, org_a, admin_b, org_b):
    invitation_create(actor=admin_b, organisation=org_b, email="z@example.org", role=Role.STAFF)
    assert not Invitation.objects.filter(organisation=org_a).exists()
