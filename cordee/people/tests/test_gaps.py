"""Gaps closed in the people app: the dashboard's « hours this month », the volunteer's links
to their hours and training, linking the employee's login to a shared position, and
statement corrections (credit notes, added charges) in the ledger."""

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from cordee.core.models import Role
from cordee.core.models.audit import AppendOnlyError
from cordee.core.tests.factories import (
    MembershipFactory,
    NetworkMembershipFactory,
    OrganisationFactory,
    UserFactory,
)
from cordee.people.models import HoursEntry, LedgerEntry, SharedPosition
from cordee.people.selectors_hours import hours_this_month
from cordee.people.selectors_positions import position_balances
from cordee.people.services.positions import (
    payment_record,
    position_create,
    position_employee_set,
    position_share_set,
    statement_adjust,
    statement_issue,
    timesheet_add,
)

from .conftest import make_volunteer

MARCH = date(2026, 3, 1)
Status = HoursEntry.Status


def _hours(org, volunteer, *, at: datetime, minutes: int, status: str) -> HoursEntry:
    return HoursEntry.objects.create(
        volunteer=volunteer,
        organisation=org,
        site=org.sites.first(),
        started_at=at,
        minutes=minutes,
        source=HoursEntry.Source.SELF_REPORTED,
        status=status,
    )


# 1. The coordinator's dashboard: hours this month -----------------------------------------


def test_hours_this_month_counts_approved_people_and_pending(org_a, org_b):
    today = date(2026, 3, 15)
    first = timezone.make_aware(datetime(2026, 3, 1, 0, 30))
    a, b = make_volunteer(org_a, "Aline"), make_volunteer(org_a, "Bruno")
    _hours(org_a, a, at=first, minutes=120, status=Status.APPROVED)
    _hours(org_a, a, at=first + timedelta(days=3), minutes=30, status=Status.APPROVED)
    _hours(org_a, b, at=first + timedelta(days=4), minutes=60, status=Status.APPROVED)
    # Not counted: last month, refused, pending (counted as pending), another organisation.
    _hours(org_a, b, at=first - timedelta(hours=1), minutes=600, status=Status.APPROVED)
    _hours(org_a, b, at=first + timedelta(days=5), minutes=45, status=Status.REFUSED)
    _hours(org_a, b, at=first + timedelta(days=6), minutes=90, status=Status.PENDING)
    stranger = make_volunteer(org_b, "Xavier")
    _hours(org_b, stranger, at=first, minutes=500, status=Status.APPROVED)
    _hours(org_b, stranger, at=first, minutes=5, status=Status.PENDING)

    month = hours_this_month(org=org_a, today=today)
    assert (month.minutes, month.people, month.pending) == (210, 2, 1)
    assert hours_this_month(org=org_b, today=today).minutes == 500


def test_dashboard_shows_hours_this_month_with_link_to_approvals(client, org_a, admin_a, org_b):
    volunteer = make_volunteer(org_a, "Aline")
    now = timezone.now()
    _hours(org_a, volunteer, at=now, minutes=125, status=Status.APPROVED)
    _hours(org_a, volunteer, at=now, minutes=30, status=Status.PENDING)
    _hours(org_b, make_volunteer(org_b, "Xavier"), at=now, minutes=999, status=Status.APPROVED)
    client.force_login(admin_a)
    html = client.get("/benevoles/").content.decode()
    assert "Heures ce mois-ci" in html
    assert "2 h 05 approuvées, données par 1 personne." in html
    assert "1 entrée à approuver" in html
    assert 'href="/benevoles/heures/suivi/#pending"' in html
    assert "16 h 39" not in html  # org_b's 999 minutes stay out


# 2. The volunteer's own page links to their hours and training -----------------------------


def test_my_shifts_links_to_my_hours_and_my_training(client, org_a, volunteer_a):
    make_volunteer(org_a, "Bénévole A", user=volunteer_a)
    client.force_login(volunteer_a)
    html = client.get("/benevoles/mes-quarts/").content.decode()
    assert 'class="button secondary big-button" href="/benevoles/heures/">Mes heures' in html
    assert 'class="button secondary big-button" href="/benevoles/formation/">Ma formation' in html
    # Both pages open for someone with only the volunteer role.
    assert client.get("/benevoles/heures/").status_code == 200
    assert client.get("/benevoles/formation/").status_code == 200


# 3. The employee's login on a shared position ----------------------------------------------


@pytest.fixture
def pool(org_a, admin_a):
    network = org_a.network_memberships.get().network
    member = OrganisationFactory(name="Cuisine C")
    NetworkMembershipFactory(network=network, organisation=member)
    member_admin = UserFactory(email="admin-c@example.org")
    MembershipFactory(user=member_admin, organisation=member, role=Role.ORG_ADMIN)
    employee = UserFactory(email="tech@example.org", full_name="Sam Tremblay")
    MembershipFactory(user=employee, organisation=org_a, role=Role.STAFF)
    colleague = UserFactory(email="collegue@example.org", full_name="Autre Personne")
    MembershipFactory(user=colleague, organisation=org_a, role=Role.STAFF)
    position = position_create(
        actor=admin_a,
        employer=org_a,
        data={
            "title": "Soutien informatique",
            "employee_name": "Sam Tremblay",
            "hours_per_week": Decimal(35),
            "hourly_cost_cents": 4000,
            "fee_basis_points": 1000,
        },
    )
    position_share_set(
        actor=admin_a, position=position, organisation=member, planned=Decimal(10), unit="week"
    )
    return position, member, member_admin, employee, colleague


def test_position_form_offers_only_logins_of_the_employer(client, pool, admin_a, admin_b):
    _position, _member, member_admin, employee, _colleague = pool
    client.force_login(admin_a)
    html = client.get("/benevoles/postes/nouveau/").content.decode()
    assert "Compte de l&#x27;employé" in html
    assert f'value="{employee.pk}"' in html
    assert f'value="{member_admin.pk}"' not in html and f'value="{admin_b.pk}"' not in html
    response = client.post(
        "/benevoles/postes/nouveau/",
        {
            "title": "Comptable",
            "employee_user": str(employee.pk),
            "hours_per_week": "14",
            "hourly_cost": "50",
            "fee_percent": "5",
        },
    )
    created = SharedPosition.objects.get(title="Comptable")
    assert response.status_code == 302 and created.employee_user == employee
    # A login of another organisation is refused with a message, nothing is created.
    response = client.post(
        "/benevoles/postes/nouveau/",
        {
            "title": "Intrus",
            "employee_user": str(admin_b.pk),
            "hours_per_week": "14",
            "hourly_cost": "50",
            "fee_percent": "5",
        },
    )
    assert response.status_code == 400
    assert not SharedPosition.objects.filter(title="Intrus").exists()


def test_employee_sees_timesheet_form_and_another_user_does_not(client, pool, admin_a):
    position, member, _member_admin, employee, colleague = pool
    form_action = f'action="/benevoles/postes/{position.pk}/temps/"'
    client.force_login(employee)
    assert form_action not in client.get(f"/benevoles/postes/{position.pk}/").content.decode()

    client.force_login(admin_a)
    response = client.post(
        f"/benevoles/postes/{position.pk}/employe/", {"employee_user": str(employee.pk)}
    )
    assert response.status_code == 302
    position.refresh_from_db()
    assert position.employee_user == employee

    client.force_login(employee)
    assert form_action in client.get(f"/benevoles/postes/{position.pk}/").content.decode()
    day = timezone.localdate()
    saved = client.post(
        f"/benevoles/postes/{position.pk}/temps/",
        {"organisation": str(member.pk), "day": day.isoformat(), "hours": "2", "minutes": "0"},
    )
    assert saved.status_code == 302
    assert position.timesheet.get().entered_as == "employee"

    client.force_login(colleague)
    assert form_action not in client.get(f"/benevoles/postes/{position.pk}/").content.decode()
    refused = client.post(
        f"/benevoles/postes/{position.pk}/temps/",
        {"organisation": str(member.pk), "day": day.isoformat(), "hours": "1", "minutes": "0"},
    )
    assert refused.status_code == 403
    assert position.timesheet.count() == 1


def test_only_the_employer_links_the_employee(client, pool, admin_a, admin_b):
    position, _member, member_admin, employee, colleague = pool
    with pytest.raises(PermissionDenied):
        position_employee_set(actor=member_admin, position=position, employee=employee)
    with pytest.raises(ValidationError):
        position_employee_set(actor=admin_a, position=position, employee=member_admin)
    client.force_login(member_admin)  # a participating member, not the employer
    url = f"/benevoles/postes/{position.pk}/employe/"
    assert client.post(url, {"employee_user": str(colleague.pk)}).status_code == 404
    client.force_login(admin_b)  # a stranger
    assert client.post(url, {"employee_user": str(colleague.pk)}).status_code == 404
    position.refresh_from_db()
    assert position.employee_user is None


# 4. Statement corrections --------------------------------------------------------------------


@pytest.fixture
def issued(pool, admin_a):
    position, member, *_ = pool
    timesheet_add(actor=admin_a, position=position, organisation=member, day=MARCH, minutes=600)
    statement = statement_issue(actor=admin_a, position=position, organisation=member, month=MARCH)
    # 10 h × 40 $ = 400 $, fee 10 % = 40 $.
    assert statement.total_cents == 44_000
    return position, member, statement


def _balance(position, member):
    return next(b for b in position_balances(position=position) if b.organisation == member)


def test_credit_note_and_added_charge_change_the_balance(issued, admin_a):
    position, member, statement = issued
    payment_record(actor=admin_a, position=position, organisation=member, amount_cents=10_000)
    credit = statement_adjust(
        actor=admin_a,
        position=position,
        organisation=member,
        month=date(2026, 3, 20),
        amount_cents=-4_000,
        reason="Une journée comptée deux fois",
    )
    assert (credit.kind, credit.amount_cents, credit.month) == ("credit", 4_000, MARCH)
    charge = statement_adjust(
        actor=admin_a,
        position=position,
        organisation=member,
        month=MARCH,
        amount_cents=1_500,
        reason="Frais de déplacement oubliés",
    )
    assert charge.kind == LedgerEntry.Kind.DEBIT
    balance = _balance(position, member)
    assert balance.billed == 44_000 - 4_000 + 1_500
    assert balance.due == 41_500 - 10_000
    # The statement itself is untouched and the corrections are append-only.
    statement.refresh_from_db()
    assert statement.total_cents == 44_000
    with pytest.raises(AppendOnlyError):
        credit.delete()


def test_adjustment_rules(issued, admin_a, pool):
    position, member, _statement = issued
    member_admin = pool[2]
    base = {"position": position, "organisation": member, "month": MARCH}
    with pytest.raises(PermissionDenied):
        statement_adjust(actor=member_admin, amount_cents=-100, reason="Non", **base)
    with pytest.raises(ValidationError):
        statement_adjust(actor=admin_a, amount_cents=-100, reason="  ", **base)
    with pytest.raises(ValidationError):
        statement_adjust(actor=admin_a, amount_cents=0, reason="Rien", **base)
    with pytest.raises(ValidationError):  # no statement for April
        statement_adjust(
            actor=admin_a,
            position=position,
            organisation=member,
            month=date(2026, 4, 1),
            amount_cents=100,
            reason="Avril",
        )
    # A credit cannot take the month below zero, counting earlier corrections.
    statement_adjust(actor=admin_a, amount_cents=-40_000, reason="Gros rabais", **base)
    with pytest.raises(ValidationError):
        statement_adjust(actor=admin_a, amount_cents=-4_001, reason="Trop", **base)
    statement_adjust(actor=admin_a, amount_cents=-4_000, reason="Le reste", **base)
    assert _balance(position, member).billed == 0
    assert LedgerEntry.objects.filter(kind="credit").count() == 2


def test_correction_through_the_page_shows_in_the_ledger(client, issued, admin_a, admin_b, pool):
    position, member, _statement = issued
    url = f"/benevoles/postes/{position.pk}/correction/"
    data = {
        "organisation": str(member.pk),
        "month": "2026-03",
        "kind": "credit",
        "amount": "25.50",
        "reason": "Heure de dîner comptée",
    }
    client.force_login(admin_a)
    missing_reason = client.post(url, {**data, "reason": ""})
    assert missing_reason.status_code == 400
    assert client.post(url, data).status_code == 302
    # The participating member reads the correction and its effect on the balance.
    client.force_login(pool[2])
    html = client.get(f"/benevoles/postes/{position.pk}/").content.decode()
    assert "Note de crédit" in html and "Heure de dîner comptée" in html
    assert _balance(position, member).billed == 44_000 - 2_550
    assert client.post(url, data).status_code == 404  # only the employer's pages correct
    client.force_login(admin_b)
    assert client.post(url, data).status_code == 404  # a stranger sees nothing
    assert LedgerEntry.objects.filter(kind="credit").count() == 1
