from django.urls import reverse

from cordee.core.models import AuditEvent, Role
from cordee.core.tests.factories import UserFactory


def test_admin_changes_are_audited(client, org_a, admin_a):
    staff = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(staff)
    membership = admin_a.memberships.get()
    url = reverse("admin:core_organisation_change", args=[org_a.pk])
    data = {
        "name": "Comptoir A renommé",
        "slug": org_a.slug,
        "kind": org_a.kind,
        "sites-TOTAL_FORMS": "0",
        "sites-INITIAL_FORMS": "0",
        "memberships-TOTAL_FORMS": "1",
        "memberships-INITIAL_FORMS": "1",
        "memberships-0-id": membership.pk,
        "memberships-0-organisation": org_a.pk,
        "memberships-0-user": admin_a.pk,
        "memberships-0-role": Role.COORDINATOR,
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    actions = set(AuditEvent.objects.filter(organisation=org_a).values_list("action", flat=True))
    assert {"admin.organisation.update", "admin.membership.update"} <= actions


def test_audit_log_is_read_only_in_admin(client, org_a):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    assert client.get(reverse("admin:core_auditevent_add")).status_code == 403
