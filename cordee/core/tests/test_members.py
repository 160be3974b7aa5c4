import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from cordee.core.models import AuditEvent, Invitation, Membership, Role, User
from cordee.core.models.audit import AppendOnlyError
from cordee.core.services.audit import audit_record
from cordee.core.services.members import invitation_create, membership_set_roles


def _link_from_mail() -> str:
    match = re.search(r"https?://\S+/invitation/(\S+)/", mail.outbox[-1].body)
    assert match, mail.outbox[-1].body
    return reverse("core:invitation_accept", args=[match.group(1)])


def test_invitation_by_email_creates_the_account(
    client_a, org_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_a.post(
            reverse("core:invite"), {"email": "Nouvelle@Example.org", "role": "staff"}
        )
    assert response.status_code == 302
    assert mail.outbox[-1].to == ["nouvelle@example.org"]
    invitation = Invitation.objects.get()
    assert invitation.token_hash not in mail.outbox[-1].body  # only the hash is stored
    link = _link_from_mail()
    client_a.logout()
    response = client_a.post(
        link,
        {
            "full_name": "Nouvelle Personne",
            "password1": "une phrase facile",
            "password2": "une phrase facile",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(email="nouvelle@example.org")
    assert Membership.objects.filter(user=user, organisation=org_a, role="staff").exists()
    # The link works once.
    assert client_a.get(link).status_code == 404


def test_expired_invitation_is_refused(client, admin_a, org_a, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        invitation_create(
            actor=admin_a, organisation=org_a, email="tard@example.org", role="volunteer"
        )
    Invitation.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    response = client.get(_link_from_mail())
    assert response.status_code == 404
    assert not User.objects.filter(email="tard@example.org").exists()


def test_invitation_mismatched_passwords_write_nothing(
    client, admin_a, org_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invitation_create(
            actor=admin_a, organisation=org_a, email="p@example.org", role="volunteer"
        )
    response = client.post(
        _link_from_mail(),
        {"full_name": "P", "password1": "une phrase facile", "password2": "autre"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["password2"]
    assert not User.objects.filter(email="p@example.org").exists()


def test_existing_member_cannot_be_invited_twice(admin_a, org_a):
    with pytest.raises(ValidationError):
        invitation_create(
            actor=admin_a, organisation=org_a, email="admin-a@example.org", role="staff"
        )


def test_signed_in_user_accepts_with_existing_account(
    client, admin_a, admin_b, org_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invitation_create(
            actor=admin_a, organisation=org_a, email=admin_b.email, role="coordinator"
        )
    client.force_login(admin_b)
    assert client.post(_link_from_mail()).status_code == 302
    assert Membership.objects.filter(user=admin_b, organisation=org_a, role="coordinator").exists()


def test_roles_change_and_last_admin_is_kept(client_a, admin_a, volunteer_a, org_a):
    url = reverse("core:person_roles", args=[volunteer_a.pk])
    client_a.post(url, {"roles": ["volunteer", "driver"]})
    assert set(volunteer_a.memberships.values_list("role", flat=True)) == {"volunteer", "driver"}
    response = client_a.post(reverse("core:person_roles", args=[admin_a.pk]), {"roles": ["staff"]})
    assert response.status_code == 200
    assert "administrat" in response.content.decode().lower()
    assert admin_a.memberships.filter(role=Role.ORG_ADMIN).exists()
    event = AuditEvent.objects.get(action="membership.roles")
    assert event.changed_fields == ["roles"]


def test_removing_every_role_removes_the_person(admin_a, volunteer_a, org_a):
    membership_set_roles(actor=admin_a, organisation=org_a, user=volunteer_a, roles=set())
    assert not volunteer_a.memberships.exists()
    assert AuditEvent.objects.filter(action="membership.remove").exists()


def test_audit_log_is_append_only(admin_a, org_a):
    event = audit_record(actor=admin_a, action="test.action", organisation=org_a)
    event.action = "changed"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(action="x")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()


def test_audit_log_filters(client_a, admin_a, org_a):
    audit_record(actor=admin_a, action="site.update", organisation=org_a)
    audit_record(actor=None, action="demo.load", organisation=org_a)
    response = client_a.get(reverse("core:audit_log"), {"action": "site"})
    actions = [e.action for e in response.context["page"]]
    assert actions == ["site.update"]
    response = client_a.get(reverse("core:audit_log"), {"actor": "admin-a"})
    assert [e.action for e in response.context["page"]] == ["site.update"]
    today = timezone.localdate().isoformat()
    response = client_a.get(reverse("core:audit_log"), {"date_from": today, "date_to": today})
    assert len(response.context["page"]) == 2


def test_audit_records_the_client_ip(client_a, org_a, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client_a.post(
            reverse("core:invite"),
            {"email": "ip@example.org", "role": "staff"},
            REMOTE_ADDR="203.0.113.7",
        )
    assert AuditEvent.objects.get(action="invitation.create").ip_address == "203.0.113.7"


def test_forwarded_for_is_ignored_without_trusted_proxy(rf, settings):
    from cordee.core.services.audit import client_ip

    request = rf.get("/", REMOTE_ADDR="198.51.100.1", HTTP_X_FORWARDED_FOR="6.6.6.6")
    assert client_ip(request) == "198.51.100.1"
    settings.CORDEE_PROXY_COUNT = 1
    request = rf.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9")
    assert client_ip(request) == "203.0.113.9"


def test_invitation_for_another_address_is_refused_when_signed_in(
    client, admin_a, admin_b, org_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invitation_create(
            actor=admin_a, organisation=org_a, email="autre@example.org", role="staff"
        )
    client.force_login(admin_b)
    response = client.post(_link_from_mail())
    assert response.status_code == 302
    assert not Membership.objects.filter(user=admin_b, organisation=org_a).exists()
    assert Invitation.objects.get().accepted_at is None


def test_roles_cannot_be_given_to_a_non_member(admin_a, admin_b, org_a):
    with pytest.raises(ValidationError):
        membership_set_roles(actor=admin_a, organisation=org_a, user=admin_b, roles={"staff"})
    assert not Membership.objects.filter(user=admin_b, organisation=org_a).exists()


def test_sign_in_lock_out_uses_the_same_client_address(rf, settings):
    from axes.helpers import get_client_ip_address

    settings.CORDEE_PROXY_COUNT = 1
    request = rf.post("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert get_client_ip_address(request) == "203.0.113.9"
