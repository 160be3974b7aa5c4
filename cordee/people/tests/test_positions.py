"""Shared positions: statement arithmetic in cents, the append-only ledger, balances,
who reads what, the PDF, the planning week."""

from datetime import date
from decimal import Decimal
from fractions import Fraction

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st

from cordee.core.models import Role
from cordee.core.models.audit import AppendOnlyError
from cordee.core.tests.factories import (
    MembershipFactory,
    NetworkMembershipFactory,
    OrganisationFactory,
    UserFactory,
)
from cordee.people.models import LedgerEntry, PositionShare, Statement
from cordee.people.selectors_positions import (
    position_balances,
    position_variance,
    position_week,
)
from cordee.people.services.positions import (
    payment_record,
    planned_minutes,
    position_create,
    position_share_set,
    statement_amounts,
    statement_issue,
    timesheet_add,
)

MARCH = date(2026, 3, 1)


@pytest.fixture
def pool(org_a, admin_a):
    """org_a employs an IT support worker shared with two members of its network."""
    network = org_a.network_memberships.get().network
    members = {}
    for name in ("Cuisine C", "Comptoir D"):
        org = OrganisationFactory(name=name)
        NetworkMembershipFactory(network=network, organisation=org)
        admin = UserFactory(email=f"admin-{org.slug}@example.org")
        MembershipFactory(user=admin, organisation=org, role=Role.ORG_ADMIN)
        members[name] = (org, admin)
    employee = UserFactory(email="tech@example.org")
    MembershipFactory(user=employee, organisation=org_a, role=Role.STAFF)
    position = position_create(
        actor=admin_a,
        employer=org_a,
        data={
            "title": "Soutien informatique",
            "employee_name": "Sam Tremblay",
            "hours_per_week": Decimal(35),
            "hourly_cost_cents": 4567,
            "fee_basis_points": 1250,
        },
    )
    position.employee_user = employee
    position.save()
    c, d = members["Cuisine C"][0], members["Comptoir D"][0]
    position_share_set(
        actor=admin_a, position=position, organisation=c, planned=Decimal(10), unit="week"
    )
    position_share_set(
        actor=admin_a, position=position, organisation=d, planned=Decimal(20), unit="percent"
    )
    return position, members, employee


def test_statement_math_rounds_half_up_in_cents():
    # 90 min × 45,67 $/h = 68,505 $ → 6 851 ¢; fee 12,5 % of 6 851 = 856,375 → 856 ¢.
    assert statement_amounts(minutes=90, hourly_cost_cents=4567, fee_basis_points=1250) == (
        6851,
        856,
        7707,
    )
    # Exactly half a cent rounds up.
    assert statement_amounts(minutes=1, hourly_cost_cents=30, fee_basis_points=0) == (1, 0, 1)
    assert statement_amounts(minutes=1, hourly_cost_cents=29, fee_basis_points=0) == (0, 0, 0)


def test_issue_statement_appends_to_ledger_and_balance(pool, admin_a):
    position, members, employee = pool
    c, _admin_c = members["Cuisine C"]
    timesheet_add(
        actor=employee, position=position, organisation=c, day=date(2026, 3, 2), minutes=60
    )
    timesheet_add(
        actor=admin_a, position=position, organisation=c, day=date(2026, 3, 9), minutes=30
    )
    timesheet_add(
        actor=admin_a, position=position, organisation=c, day=date(2026, 4, 1), minutes=600
    )
    statement = statement_issue(actor=admin_a, position=position, organisation=c, month=MARCH)
    assert (statement.minutes, statement.total_cents) == (90, 7707)
    assert statement.ledger_entry.amount_cents == 7707
    with pytest.raises(ValidationError):  # never twice for the same month
        statement_issue(actor=admin_a, position=position, organisation=c, month=MARCH)
    with pytest.raises(ValidationError):  # a billed month is closed
        timesheet_add(
            actor=admin_a, position=position, organisation=c, day=date(2026, 3, 20), minutes=30
        )
    payment_record(actor=admin_a, position=position, organisation=c, amount_cents=5000)
    balances = {
        b.organisation.name: (b.billed, b.paid, b.due) for b in position_balances(position=position)
    }
    assert balances["Cuisine C"] == (7707, 5000, 2707)
    assert balances["Comptoir D"] == (0, 0, 0)


def test_only_employer_or_employee_write(pool):
    position, members, _employee = pool
    c, admin_c = members["Cuisine C"]
    with pytest.raises(PermissionDenied):
        timesheet_add(
            actor=admin_c, position=position, organisation=c, day=date(2026, 3, 2), minutes=60
        )
    with pytest.raises(PermissionDenied):
        statement_issue(actor=admin_c, position=position, organisation=c, month=MARCH)
    with pytest.raises(PermissionDenied):
        payment_record(actor=admin_c, position=position, organisation=c, amount_cents=100)


def test_ledger_and_statements_are_append_only(pool, admin_a):
    position, members, employee = pool
    c, _ = members["Cuisine C"]
    timesheet_add(
        actor=employee, position=position, organisation=c, day=date(2026, 3, 2), minutes=60
    )
    statement = statement_issue(actor=admin_a, position=position, organisation=c, month=MARCH)
    entry = LedgerEntry.objects.get(statement=statement)
    entry.amount_cents = 1
    for attempt in (
        entry.save,
        entry.delete,
        lambda: LedgerEntry.objects.update(amount_cents=0),
        lambda: LedgerEntry.objects.filter(pk=entry.pk).delete(),
        statement.save,
        statement.delete,
        lambda: Statement.objects.update(total_cents=0),
        lambda: Statement.objects.all().delete(),
    ):
        with pytest.raises(AppendOnlyError):
            attempt()
    assert LedgerEntry.objects.get(pk=entry.pk).amount_cents == statement.total_cents


def test_planned_minutes_and_variance(pool, admin_a):
    position, members, employee = pool
    c, d = members["Cuisine C"][0], members["Comptoir D"][0]
    share_c = PositionShare.objects.get(position=position, organisation=c)
    share_d = PositionShare.objects.get(position=position, organisation=d)
    assert planned_minutes(share_c, MARCH) == round(10 * 60 * 31 / 7)  # 2 657
    assert planned_minutes(share_d, MARCH) == 1860  # 20 % × 35 h = 7 h × 31/7 weeks = 31 h
    timesheet_add(
        actor=employee, position=position, organisation=c, day=date(2026, 3, 2), minutes=420
    )
    rows = {v.share.organisation.name: v for v in position_variance(position=position, month=MARCH)}
    assert rows["Cuisine C"].logged == 420
    assert rows["Cuisine C"].difference == 420 - 2657
    assert rows["Comptoir D"].difference == -1860


def test_planning_week_shows_who_has_the_employee_when(pool, admin_a):
    position, members, employee = pool
    c, d = members["Cuisine C"][0], members["Comptoir D"][0]
    timesheet_add(
        actor=employee, position=position, organisation=c, day=date(2026, 3, 2), minutes=240
    )
    timesheet_add(
        actor=employee, position=position, organisation=d, day=date(2026, 3, 4), minutes=420
    )
    rows = {
        r.organisation.name: r for r in position_week(position=position, monday=date(2026, 3, 2))
    }
    assert rows["Cuisine C"].days == [240, 0, 0, 0, 0, 0, 0]
    assert rows["Comptoir D"].days == [0, 0, 420, 0, 0, 0, 0]
    assert rows["Comptoir D"].planned_week == 420  # 20 % of 35 h


def _issue_both(pool, admin_a):
    position, members, employee = pool
    c, d = members["Cuisine C"][0], members["Comptoir D"][0]
    timesheet_add(
        actor=employee,
        position=position,
        organisation=c,
        day=date(2026, 3, 2),
        minutes=90,
        note="Réseau Wi-Fi",
    )
    timesheet_add(
        actor=employee,
        position=position,
        organisation=d,
        day=date(2026, 3, 3),
        minutes=60,
        note="Imprimante",
    )
    sc = statement_issue(actor=admin_a, position=position, organisation=c, month=MARCH)
    sd = statement_issue(actor=admin_a, position=position, organisation=d, month=MARCH)
    return position, sc, sd


def test_member_reads_ledger_and_own_statement_not_another_members(client, pool, admin_a):
    position, sc, sd = _issue_both(pool, admin_a)
    _c, admin_c = pool[1]["Cuisine C"]
    client.force_login(admin_c)
    page = client.get(f"/benevoles/postes/{position.pk}/")
    html = page.content.decode()
    assert page.status_code == 200
    # The ledger is open to every participating member: both members' totals show.
    assert "Comptoir D" in html and "77,07 $" in html and "51,38 $" in html
    assert "Imprimante" not in html  # another member's timesheet lines stay private
    assert "Registre : relevés et paiements" in html  # the French interface
    own = client.get(f"/benevoles/postes/{position.pk}/releves/{sc.pk}/")
    assert own.status_code == 200 and "Réseau Wi-Fi" in own.content.decode()
    assert client.get(f"/benevoles/postes/{position.pk}/releves/{sd.pk}/").status_code == 404
    assert client.get(f"/benevoles/postes/{position.pk}/releves/{sd.pk}.pdf").status_code == 404
    assert (
        client.get(f"/benevoles/postes/{position.pk}/calendrier/?semaine=2026-03-02").status_code
        == 200
    )


def test_statement_pdf(client, pool, admin_a):
    position, sc, _sd = _issue_both(pool, admin_a)
    client.force_login(admin_a)  # the employer reads every statement
    response = client.get(f"/benevoles/postes/{position.pk}/releves/{sc.pk}.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_non_participating_organisation_gets_404(client, pool, admin_a, admin_b):
    position, sc, _sd = _issue_both(pool, admin_a)
    client.force_login(admin_b)
    base = f"/benevoles/postes/{position.pk}"
    for url in (
        f"{base}/",
        f"{base}/calendrier/",
        f"{base}/releves/{sc.pk}/",
        f"{base}/releves/{sc.pk}.pdf",
    ):
        assert client.get(url).status_code == 404, url
    for url in (f"{base}/partage/", f"{base}/temps/", f"{base}/releve/", f"{base}/paiement/"):
        assert client.post(url, {}).status_code == 404, url
    assert "Soutien informatique" not in client.get("/benevoles/postes/").content.decode()
    assert LedgerEntry.objects.count() == 2


def test_employer_issues_statement_and_records_payment_through_the_page(client, pool, admin_a):
    position, members, employee = pool
    c, _ = members["Cuisine C"]
    client.force_login(employee)
    client.post(
        f"/benevoles/postes/{position.pk}/temps/",
        {"organisation": c.pk, "day": "2026-03-05", "hours": "2", "minutes": "0", "note": ""},
    )
    client.force_login(admin_a)
    bad = client.post(
        f"/benevoles/postes/{position.pk}/releve/", {"organisation": c.pk, "month": "mars"}
    )
    assert bad.status_code == 400
    client.post(
        f"/benevoles/postes/{position.pk}/releve/", {"organisation": c.pk, "month": "2026-03"}
    )
    statement = Statement.objects.get(organisation=c)
    assert statement.minutes == 120
    client.post(
        f"/benevoles/postes/{position.pk}/paiement/", {"organisation": c.pk, "amount": "50.25"}
    )
    assert LedgerEntry.objects.get(kind="payment").amount_cents == 5025


@settings(max_examples=200, deadline=None)
@given(
    minutes=st.lists(st.integers(min_value=1, max_value=20_000), min_size=1, max_size=8),
    cost=st.integers(min_value=1, max_value=20_000),
    fee=st.integers(min_value=0, max_value=10_000),
)
def test_sum_of_statements_matches_total_within_rounding(minutes, cost, fee):
    """Σ members' totals == total minutes × cost/60 × (1 + fee), within (1 + fee/2) ¢ each."""
    total = sum(
        statement_amounts(minutes=m, hourly_cost_cents=cost, fee_basis_points=fee)[2]
        for m in minutes
    )
    exact = Fraction(sum(minutes) * cost, 60) * (1 + Fraction(fee, 10_000))
    assert abs(total - exact) <= len(minutes) * (1 + Fraction(fee, 20_000))
