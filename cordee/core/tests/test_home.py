import re

from django.core import mail
from django.urls import reverse

from cordee.core.models import Role
from cordee.core.tests.factories import MembershipFactory, OrganisationFactory


def test_admin_home_asks_for_two_step_sign_in_and_contact(client_a, org_a):
    steps = client_a.get(reverse("core:home")).context["steps"]
    urls = [s.url for s in steps]
    assert reverse("core:two_factor") in urls
    assert reverse("core:organisation_edit") in urls  # no contact e-mail yet


def test_coordinator_home_points_at_sites_without_hours(client, org_a):
    coordinator = MembershipFactory(organisation=org_a, role=Role.COORDINATOR).user
    client.force_login(coordinator)
    steps = client.get(reverse("core:home")).context["steps"]
    site = org_a.sites.get()
    assert [s.url for s in steps] == [reverse("core:site_edit", args=[site.pk])]


def test_volunteer_home_has_nothing_to_manage(client, volunteer_a):
    client.force_login(volunteer_a)
    response = client.get(reverse("core:home"))
    assert [s.url for s in response.context["steps"]] == [reverse("core:organisation")]
    assert reverse("core:people") not in response.content.decode()


def test_switcher_lists_my_organisations_and_switches(client, admin_a, org_a):
    other = OrganisationFactory(name="Cuisine collective C")
    MembershipFactory(user=admin_a, organisation=other, role=Role.VOLUNTEER)
    client.force_login(admin_a)
    html = client.get(reverse("core:home")).content.decode()
    assert 'id="org-switch"' in html and "Cuisine collective C" in html
    client.post(reverse("core:switch_organisation"), {"organisation": other.pk, "next": "/"})
    response = client.get(reverse("core:home"))
    assert response.context["current_organisation"] == other


def test_switch_rejects_an_external_next_url(client_a, org_a):
    response = client_a.post(
        reverse("core:switch_organisation"),
        {"organisation": org_a.pk, "next": "https://evil.example/"},
    )
    assert response["Location"] == reverse("core:home")


def test_password_reset_by_email(client, admin_a):
    client.post(reverse("core:password_reset"), {"email": admin_a.email})
    assert len(mail.outbox) == 1
    path = re.search(r"https?://[^/]+(/\S+)", mail.outbox[0].body).group(1)
    response = client.get(path, follow=True)
    form_url = response.redirect_chain[-1][0]
    response = client.post(
        form_url, {"new_password1": "une nouvelle phrase", "new_password2": "une nouvelle phrase"}
    )
    assert response.status_code == 302
    admin_a.refresh_from_db()
    assert admin_a.check_password("une nouvelle phrase")


def test_password_reset_does_not_reveal_unknown_addresses(client, admin_a):
    response = client.post(reverse("core:password_reset"), {"email": "inconnu@example.org"})
    assert response.status_code == 302
    assert len(mail.outbox) == 0


def test_sign_in_ignores_the_case_of_the_email(client, admin_a):
    response = client.post(
        reverse("core:login"),
        {"username": " Admin-A@Example.org", "password": "un mot de passe solide"},
    )
    assert response.status_code == 302
    assert client.get(reverse("core:home")).status_code == 200


def test_home_counts_every_member_of_my_network(client_a, org_a):
    from cordee.core.tests.factories import NetworkMembershipFactory

    network = org_a.networks.get()
    for _ in range(3):
        NetworkMembershipFactory(network=network)
    response = client_a.get(reverse("core:home"))
    assert [n.member_count for n in response.context["networks"]] == [4]
