"""Referrals: the receiver reads only what the consent covers; withdrawal stops them; statuses
move only by the right side; other networks and organisations see nothing."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from conftest import _member
from cordee.core.models import AuditEvent, Role
from cordee.core.tests.factories import NetworkMembershipFactory, OrganisationFactory
from cordee.households.models import ConsentPurpose, HouseholdMember
from cordee.households.models_referrals import (
    InterventionNote,
    Referral,
    ReferralSharing,
    ReferralStatus,
)
from cordee.households.services.households import consent_record, consent_withdraw
from cordee.households.services.referrals import (
    referral_accept,
    referral_cancel,
    referral_complete,
    referral_decline,
    referral_send,
)
from cordee.households.services.visits import visit_check_in


@pytest.fixture
def kitchen(org_a):
    """Another member of org_a's network: a collective kitchen."""
    org = OrganisationFactory(name="Cuisine collective C", kind="collective_kitchen")
    NetworkMembershipFactory(network=org_a.networks.get(), organisation=org)
    return org


@pytest.fixture
def cook(kitchen):
    return _member(kitchen, Role.STAFF, "cuisine@example.org")


@pytest.fixture
def household(register, admin_a):
    household = register(
        "Marie",
        "Côté",
        phone="819 555-1234",
        email="marie.cote@example.org",
        income_source="social_assistance",
        housing_type="rental",
    )
    HouseholdMember.objects.create(household=household, age_band="0-17")
    HouseholdMember.objects.create(household=household, age_band="0-17")
    HouseholdMember.objects.create(household=household, age_band="18-64")
    visit_check_in(actor=admin_a, household=household, organisation=household.organisation)
    return household


@pytest.fixture
def consent(household, admin_a):
    return consent_record(
        actor=admin_a, household=household, purpose=ConsentPurpose.REFERRALS, method="oral"
    )


@pytest.fixture
def send(admin_a, org_a, household, consent, kitchen):
    def make(shared=ReferralSharing.CONTACT, note="", **kwargs):
        kwargs.setdefault("consent", consent)
        kwargs.setdefault("to_organisation", kitchen)
        return referral_send(
            actor=admin_a,
            organisation=org_a,
            household=household,
            service="collective_kitchen",
            reason="Aimerait cuisiner en groupe",
            shared=shared,
            note=note,
            **kwargs,
        )

    return make


SECRETS = (
    "marie.cote@example.org",
    "Aide sociale",
    "Locataire",
    "Panier régulier",
    "Numéro de carte",
)


@pytest.mark.parametrize(
    ("shared", "sees_composition", "sees_note"),
    [
        (ReferralSharing.CONTACT, False, False),
        (ReferralSharing.COMPOSITION, True, False),
        (ReferralSharing.NOTE, True, True),
    ],
)
def test_receiver_sees_only_what_the_consent_covers(
    client, cook, household, send, shared, sees_composition, sees_note
):
    note = "Préfère être appelée le matin" if sees_note else ""
    InterventionNote.objects.create(
        organisation=household.organisation, household=household, text="Note très privée"
    )
    referral = send(shared=shared, note=note)
    client.force_login(cook)
    listing = client.get(reverse("households:referrals_received")).content.decode()
    assert "Marie Côté" in listing and "Comptoir A" in listing
    page = client.get(reverse("households:referral_detail", args=[referral.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Marie Côté" in html and "819 555-1234" in html
    assert "Aimerait cuisiner en groupe" in html
    assert ("0 à 17 ans" in html) is sees_composition
    assert ("Nombre de personnes" in html) is sees_composition
    assert ("Préfère être appelée le matin" in html) is sees_note
    for secret in (*SECRETS, "Note très privée", str(household)):
        assert secret not in html, secret
    # The receiver cannot open the sender's household page either.
    assert client.get(reverse("households:detail", args=[household.pk])).status_code == 404


def test_a_note_needs_the_note_level(send):
    with pytest.raises(ValidationError):
        send(shared=ReferralSharing.CONTACT, note="Quelque chose")
    assert not Referral.objects.exists()


def test_withdrawal_blocks_new_referrals_and_hides_the_person(
    client, admin_a, cook, household, consent, send, kitchen
):
    before = send()
    consent_withdraw(actor=admin_a, consent=consent)
    with pytest.raises(ValidationError):
        send()
    client.force_login(admin_a)
    url = reverse("households:referral_send", args=[household.pk])
    page = client.get(url)
    assert "consentement" in page.content.decode() and 'name="reason"' not in page.content.decode()
    posted = client.post(
        url,
        {
            "to_organisation": kitchen.pk,
            "service": "collective_kitchen",
            "reason": "Essai",
            "shared": "contact",
        },
    )
    assert posted.status_code == 400 and Referral.objects.count() == 1
    # The receiver no longer reads the person and may only decline.
    client.force_login(cook)
    html = client.get(reverse("households:referral_detail", args=[before.pk])).content.decode()
    assert "Marie" not in html and "819 555-1234" not in html
    assert "Marie" not in client.get(reverse("households:referrals_received")).content.decode()
    with pytest.raises(ValidationError):
        referral_accept(actor=cook, referral=before)
    assert referral_decline(actor=cook, referral=before).status == ReferralStatus.DECLINED


def test_a_new_consent_after_withdrawal_allows_referrals_again(admin_a, household, consent, send):
    consent_withdraw(actor=admin_a, consent=consent)
    fresh = consent_record(
        actor=admin_a, household=household, purpose=ConsentPurpose.REFERRALS, method="paper"
    )
    assert send(consent=fresh).consent == fresh
    # The old, withdrawn consent stays unusable.
    with pytest.raises(ValidationError):
        send(consent=consent)


def test_only_a_referrals_consent_of_this_household_will_do(admin_a, household, send):
    service = consent_record(
        actor=admin_a, household=household, purpose=ConsentPurpose.SERVICE, method="oral"
    )
    with pytest.raises(ValidationError):
        send(consent=service)
    with pytest.raises(ValidationError):
        send(consent=None)
    assert not Referral.objects.exists()


def test_statuses_move_only_by_the_right_side(client, admin_a, cook, send, org_a, kitchen):
    referral = send()
    # The sender cannot answer for the receiver, the receiver cannot cancel.
    with pytest.raises(PermissionDenied):
        referral_accept(actor=admin_a, referral=referral)
    with pytest.raises(PermissionDenied):
        referral_cancel(actor=cook, referral=referral)
    with pytest.raises(ValidationError):
        referral_complete(actor=cook, referral=referral)  # not accepted yet
    client.force_login(admin_a)
    url = reverse("households:referral_action", args=[referral.pk, "accepter"])
    assert client.post(url).status_code == 403
    client.force_login(cook)
    assert (
        client.post(
            reverse("households:referral_action", args=[referral.pk, "annuler"])
        ).status_code
        == 403
    )
    response = client.post(url, {"response": "On l'appelle jeudi"})
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.ACCEPTED and referral.handled_by == cook
    assert referral.answered_at is not None and referral.response == "On l'appelle jeudi"
    with pytest.raises(ValidationError):
        referral_decline(actor=cook, referral=referral)  # already answered
    done = referral_complete(actor=cook, referral=referral)
    assert done.status == ReferralStatus.COMPLETED and done.closed_at is not None
    with pytest.raises(ValidationError):
        referral_cancel(actor=admin_a, referral=done)
    # The sender sees where it stands and the answer.
    client.force_login(admin_a)
    html = client.get(reverse("households:referral_detail", args=[referral.pk])).content.decode()
    assert "Terminée" in html and "On l&#x27;appelle jeudi" in html
    assert "Terminée" in client.get(reverse("households:referrals_sent")).content.decode()
    # Every step is in both organisations' logs.
    for org in (org_a, kitchen):
        actions = set(
            AuditEvent.objects.filter(organisation=org, object_id=str(referral.pk)).values_list(
                "action", flat=True
            )
        )
        assert {"referral.send", "referral.accepted", "referral.completed"} <= actions


def test_the_sender_may_cancel(client, admin_a, send):
    referral = send()
    client.force_login(admin_a)
    client.post(reverse("households:referral_action", args=[referral.pk, "annuler"]))
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.CANCELLED and referral.closed_at is not None


def test_only_members_of_the_network_can_receive(admin_a, org_b, send):
    with pytest.raises(ValidationError):
        send(to_organisation=org_b)
    with pytest.raises(ValidationError):
        send(to_organisation=admin_a.memberships.get().organisation)  # oneself
    assert not Referral.objects.exists()


def test_other_networks_and_organisations_get_404(client, admin_b, org_b, send, household, org_a):
    referral = send()
    outsider_in_network = OrganisationFactory(name="Comptoir D")
    NetworkMembershipFactory(network=org_a.networks.get(), organisation=outsider_in_network)
    other = _member(outsider_in_network, Role.ORG_ADMIN, "d@example.org")
    for user in (admin_b, other):
        client.force_login(user)
        assert (
            client.get(reverse("households:referral_detail", args=[referral.pk])).status_code == 404
        )
        for action in ("accepter", "refuser", "terminer", "annuler"):
            url = reverse("households:referral_action", args=[referral.pk, action])
            assert client.post(url).status_code == 404
        assert (
            client.get(reverse("households:referral_send", args=[household.pk])).status_code == 404
        )
        for name in ("households:referrals_sent", "households:referrals_received"):
            page = client.get(reverse(name))
            assert page.status_code == 200 and "Marie" not in page.content.decode()
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.SENT


def test_volunteers_do_not_handle_referrals(client, volunteer_a, send, household):
    referral = send()
    client.force_login(volunteer_a)
    assert client.get(reverse("households:referrals_sent")).status_code == 403
    assert client.get(reverse("households:referral_detail", args=[referral.pk])).status_code == 403
    assert client.get(reverse("households:referral_send", args=[household.pk])).status_code == 403
    page = client.get(reverse("households:detail", args=[household.pk])).content.decode()
    assert reverse("households:referral_send", args=[household.pk]) not in page


def test_send_from_the_household_page(client, admin_a, household, consent, kitchen, org_b):
    client.force_login(admin_a)
    page = client.get(reverse("households:detail", args=[household.pk])).content.decode()
    url = reverse("households:referral_send", args=[household.pk])
    assert url in page
    form = client.get(url).content.decode()
    assert "Cuisine collective C" in form and "Comptoir B" not in form
    data = {
        "to_organisation": kitchen.pk,
        "service": "collective_kitchen",
        "reason": "  Aimerait cuisiner  ",
        "shared": "composition",
    }
    assert client.post(url, data).status_code == 302
    referral = Referral.objects.get()
    assert referral.reason == "Aimerait cuisiner" and referral.shared == "composition"
    assert referral.from_organisation == household.organisation
    assert client.post(url, {**data, "to_organisation": org_b.pk}).status_code == 400
    assert Referral.objects.count() == 1


FUZZ = settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@FUZZ
@given(
    target=st.sampled_from(["kitchen", "other", "self", "", "999999", "x"]),
    service=st.one_of(
        st.sampled_from(["collective_kitchen", "psychosocial", "other", ""]), st.text(max_size=10)
    ),
    reason=st.one_of(st.sampled_from(["Besoin d'aide", "   ", ""]), st.text(max_size=1100)),
    shared=st.one_of(st.sampled_from(["contact", "composition", "note"]), st.text(max_size=8)),
    note=st.one_of(st.just(""), st.text(max_size=2100)),
)
@example(target="kitchen", service="psychosocial", reason="Besoin d'aide", shared="note", note="Ok")
def test_send_form_never_crashes(
    client, admin_a, household, consent, kitchen, org_b, target, service, reason, shared, note
):
    client.force_login(admin_a)
    before = Referral.objects.count()
    to = {"kitchen": kitchen.pk, "other": org_b.pk, "self": household.organisation_id}.get(
        target, target
    )
    response = client.post(
        reverse("households:referral_send", args=[household.pk]),
        {
            "to_organisation": to,
            "service": service,
            "reason": reason,
            "shared": shared,
            "note": note,
        },
    )
    assert response.status_code in (302, 400)
    if response.status_code == 400:
        assert Referral.objects.count() == before
        assert 'class="form-errors"' in response.content.decode()
        return
    referral = Referral.objects.order_by("-pk").first()
    assert Referral.objects.count() == before + 1
    assert referral.to_organisation == kitchen and referral.reason == reason.strip() != ""
    assert not referral.note or referral.shared == ReferralSharing.NOTE
