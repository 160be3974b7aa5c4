from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from cordee.core.models import AuditEvent
from cordee.logistics.models import CategoryFactor, FactorSet, Lot, StockBalance, StockMovement
from cordee.logistics.selectors.stock import expiring_soon, lots_fefo, stock_by_category
from cordee.logistics.services.catalogue import catalogue_seed_defaults
from cordee.logistics.services.receptions import ReceptionLine, reception_record
from cordee.logistics.services.stock import stock_count_record, stock_loss_record


def _receive(admin, site, *lines, source="food_bank"):
    return reception_record(
        actor=admin, site=site, source=source, received_on=timezone.localdate(), lines=list(lines)
    )


def test_seed_is_idempotent_and_names_the_factor_sources(org_a):
    network = org_a.networks.get()
    first = catalogue_seed_defaults(network=network)
    assert first > 0
    assert catalogue_seed_defaults(network=network) == 0
    default = FactorSet.objects.get(network=network, is_default=True)
    assert "0,88" in default.source and "Banques alimentaires du Québec" in default.source
    assert CategoryFactor.objects.filter(factor_set=default).count() == 9


def test_reception_creates_lots_movements_and_balances(admin_a, site_a, catalogue_a):
    reception = _receive(
        admin_a,
        site_a,
        ReceptionLine(category=catalogue_a["Épicerie sèche"], weight_g=120_500),
        ReceptionLine(
            category=catalogue_a["Produits laitiers"],
            weight_g=40_000,
            temperature_c=Decimal("3.5"),
            best_before=timezone.localdate() + timedelta(days=2),
        ),
    )
    assert reception.lots.count() == 2
    assert StockMovement.objects.filter(kind="reception").count() == 2
    rows = stock_by_category(org=site_a.organisation)
    assert [r["lot__storage_class"] for r in rows] == ["chilled", "dry"]  # perishables first
    assert sum(r["quantity_g"] for r in rows) == 160_500
    assert AuditEvent.objects.filter(action="reception.create").exists()
    assert AuditEvent.objects.filter(action="stock.reception").count() == 2


def test_cold_line_needs_a_temperature_and_a_decision_when_too_warm(admin_a, site_a, catalogue_a):
    dairy = catalogue_a["Produits laitiers"]
    with pytest.raises(ValidationError) as exc:
        _receive(admin_a, site_a, ReceptionLine(category=dairy, weight_g=1000))
    assert "température" in str(exc.value).lower() or "temperature" in str(exc.value).lower()
    with pytest.raises(ValidationError):
        _receive(
            admin_a,
            site_a,
            ReceptionLine(category=dairy, weight_g=1000, temperature_c=Decimal("9")),
        )
    assert not Lot.objects.exists()  # nothing half-written


def test_discarded_warm_line_is_recorded_as_a_cold_chain_loss(admin_a, site_a, catalogue_a):
    _receive(
        admin_a,
        site_a,
        ReceptionLine(
            category=catalogue_a["Viande"],
            weight_g=25_000,
            temperature_c=Decimal("-5"),
            decision=Lot.Decision.DISCARDED,
            decision_reason="Camion en panne de froid",
        ),
    )
    lot = Lot.objects.get()
    assert lot.decision == "discarded"
    assert StockBalance.objects.get(lot=lot).quantity_g == 0
    loss = StockMovement.objects.get(kind="loss")
    assert loss.loss_reason == "cold_chain" and loss.quantity_g == -25_000


def test_quarantined_lot_is_not_picked(admin_a, site_a, catalogue_a):
    _receive(
        admin_a,
        site_a,
        ReceptionLine(
            category=catalogue_a["Viande"],
            weight_g=5_000,
            temperature_c=Decimal("-10"),
            decision="quarantined",
            decision_reason="À vérifier",
        ),
        ReceptionLine(category=catalogue_a["Viande"], weight_g=6_000, temperature_c=Decimal("-20")),
    )
    picked = lots_fefo(org=site_a.organisation, site=site_a, category=catalogue_a["Viande"])
    assert [b.quantity_g for b in picked] == [6_000]


def test_fefo_orders_by_last_day(admin_a, site_a, catalogue_a):
    today = timezone.localdate()
    bread = catalogue_a["Boulangerie"]  # 2 days tolerated after best-before
    _receive(
        admin_a,
        site_a,
        ReceptionLine(category=bread, weight_g=1_000, best_before=today + timedelta(days=5)),
        ReceptionLine(category=bread, weight_g=2_000, best_before=today),
        ReceptionLine(category=bread, weight_g=3_000),
    )
    picked = lots_fefo(org=site_a.organisation, site=site_a, category=bread)
    assert [b.quantity_g for b in picked] == [2_000, 1_000, 3_000]
    assert picked[0].lot.use_by == today + timedelta(days=2)


def test_expiring_soon_suggests_an_action(admin_a, site_a, catalogue_a):
    today = timezone.localdate()
    _receive(
        admin_a,
        site_a,
        ReceptionLine(
            category=catalogue_a["Produits laitiers"],
            weight_g=1_000,
            temperature_c=Decimal(3),
            best_before=today + timedelta(days=1),
        ),
        ReceptionLine(
            category=catalogue_a["Épicerie sèche"],
            weight_g=1_000,
            best_before=today - timedelta(days=400),
        ),  # dry: no limit
    )
    items = expiring_soon(org=site_a.organisation, site=site_a)
    assert len(items) == 1
    assert items[0].days_left == 1
    assert items[0].suggestion


def test_infant_formula_needs_its_expiry_date(admin_a, site_a, catalogue_a):
    with pytest.raises(ValidationError):
        _receive(
            admin_a,
            site_a,
            ReceptionLine(category=catalogue_a["Préparations pour nourrissons"], weight_g=900),
        )


def test_loss_cannot_take_more_than_the_stock(admin_a, site_a, catalogue_a):
    _receive(admin_a, site_a, ReceptionLine(category=catalogue_a["Épicerie sèche"], weight_g=1_000))
    lot = Lot.objects.get()
    with pytest.raises(ValidationError):
        stock_loss_record(actor=admin_a, site=site_a, lot=lot, quantity_g=1_001, reason="damaged")
    stock_loss_record(actor=admin_a, site=site_a, lot=lot, quantity_g=400, reason="damaged")
    assert StockBalance.objects.get(lot=lot).quantity_g == 600


def test_count_records_the_variance(admin_a, site_a, catalogue_a):
    _receive(admin_a, site_a, ReceptionLine(category=catalogue_a["Épicerie sèche"], weight_g=1_000))
    lot = Lot.objects.get()
    [adjustment] = stock_count_record(actor=admin_a, site=site_a, counted_g={lot.pk: 850})
    assert adjustment.quantity_g == -150
    assert StockBalance.objects.get(lot=lot).quantity_g == 850


def test_volunteer_cannot_record_a_loss(admin_a, volunteer_a, site_a, catalogue_a):
    _receive(admin_a, site_a, ReceptionLine(category=catalogue_a["Épicerie sèche"], weight_g=1_000))
    with pytest.raises(PermissionDenied):
        stock_loss_record(
            actor=volunteer_a, site=site_a, lot=Lot.objects.get(), quantity_g=1, reason="damaged"
        )


def test_category_of_another_network_is_refused(admin_a, site_a, org_b):
    catalogue_seed_defaults(network=org_b.networks.get())
    other = org_b.networks.get().categories.first()
    with pytest.raises(ValidationError):
        _receive(admin_a, site_a, ReceptionLine(category=other, weight_g=1_000))


def test_ledger_is_append_only(admin_a, site_a, catalogue_a):
    _receive(admin_a, site_a, ReceptionLine(category=catalogue_a["Épicerie sèche"], weight_g=1_000))
    movement = StockMovement.objects.get()
    movement.quantity_g = 5
    with pytest.raises(ValueError):
        movement.save()
