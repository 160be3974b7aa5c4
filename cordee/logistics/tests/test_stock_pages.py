"""Stock pages at a site holding many lots (a hub's warehouse holds about a thousand): the
overview lists the first lots of a line, a big site is counted one kind of food at a time,
and « à écouler » agrees with the date rule on every lot."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from cordee.logistics.models import StockBalance, StockMovement
from cordee.logistics.selectors.stock import balance_list, expiring_among, expiring_soon
from cordee.logistics.services.receptions import ReceptionLine, reception_record
from cordee.logistics.views import stock as stock_views

TODAY = timezone.localdate
DRY_LOTS = stock_views.LOTS_SHOWN + 3


def _english(client):
    client.cookies["cordee_language"] = "en"
    return client


@pytest.fixture
def many_lots(admin_a, site_a, catalogue_a):
    """13 lots of dry goods (no date) and dated dairy, bakery and infant formula."""
    dry, dairy = catalogue_a["Épicerie sèche"], catalogue_a["Produits laitiers"]
    bakery, infant = catalogue_a["Boulangerie"], catalogue_a["Préparations pour nourrissons"]
    day = TODAY()
    return reception_record(
        actor=admin_a,
        site=site_a,
        source="food_bank",
        received_on=day,
        lines=[
            *[ReceptionLine(category=dry, weight_g=1000 * (i + 1)) for i in range(DRY_LOTS)],
            *[
                ReceptionLine(
                    category=dairy,
                    weight_g=2000,
                    temperature_c=Decimal(3),
                    best_before=day + timedelta(days=n),
                )
                for n in (1, 5, 30)
            ],
            # Bakery: 2 days tolerated after the date, so « 2 days ago » is still today.
            ReceptionLine(category=bakery, weight_g=500, best_before=day - timedelta(days=2)),
            ReceptionLine(category=bakery, weight_g=500, best_before=day + timedelta(days=2)),
            # An expiry date near, a best-before far: the expiry date decides.
            ReceptionLine(
                category=infant,
                weight_g=800,
                expiry_date=day + timedelta(days=2),
                best_before=day + timedelta(days=90),
            ),
        ],
    )


def test_overview_lists_the_first_lots_of_a_line_and_counts_the_others(client_a, many_lots, site_a):
    response = _english(client_a).get(reverse("logistics:overview"))
    rows = {r["category"]: r for r in response.context["sites"][0]["rows"]}
    dry = rows["Épicerie sèche"]
    assert len(dry["lots"]) == DRY_LOTS and dry["quantity_g"] == sum(
        1000 * (i + 1) for i in range(DRY_LOTS)
    )
    assert dry["shown"] == dry["lots"][: stock_views.LOTS_SHOWN] and dry["more"] == 3
    assert [b.lot.best_before for b in rows["Produits laitiers"]["lots"]] == sorted(
        b.lot.best_before for b in rows["Produits laitiers"]["lots"]
    )  # first to hand out first
    html = response.content.decode()
    assert "and 3 more lots, to hand out after these" in html
    # A manager follows it to the count of that kind of food at that site.
    dry_id = many_lots.lots.filter(category__name="Épicerie sèche")[0].category_id
    assert f"?site={site_a.pk}&amp;categorie={dry_id}" in html
    # The same figures as the aggregate read.
    assert response.context["expiring_count"] == len(expiring_soon(org=site_a.organisation))


def test_expiring_soon_agrees_with_the_date_rule_on_every_lot(many_lots, site_a):
    org = site_a.organisation
    for days in (0, 1, 3, 7, 40):
        everything = expiring_among(balance_list(org=org), days=days)
        assert expiring_soon(org=org, days=days) == everything
    soon = {e.balance.lot.category.name: e for e in expiring_soon(org=org, days=3)}
    assert soon["Préparations pour nourrissons"].days_left == 2  # the expiry date
    assert soon["Boulangerie"].days_left == 0  # best-before 2 days ago + 2 days tolerated


def test_a_site_with_many_lots_is_counted_one_kind_of_food_at_a_time(
    client_a, many_lots, site_a, monkeypatch
):
    monkeypatch.setattr(stock_views, "INVENTORY_ALL_MAX", 5)
    url = reverse("logistics:inventory")
    page = _english(client_a).get(url, {"site": site_a.pk})
    assert "rows" not in page.context  # no form until a kind of food is chosen
    kinds = {k["lot__category__name"]: k["lots"] for k in page.context["kinds"]}
    assert kinds["Épicerie sèche"] == DRY_LOTS and kinds["Produits laitiers"] == 3
    assert "count one kind of food at a time" in page.content.decode()

    dairy = many_lots.lots.filter(category__name="Produits laitiers").order_by("pk")
    page = client_a.get(url, {"site": site_a.pk, "categorie": dairy[0].category_id})
    assert [b.lot for b, _field in page.context["rows"]] == list(dairy)
    html = page.content.decode()
    assert f'name="lot_{dairy[0].pk}"' in html and 'inputmode="decimal"' in html
    assert f'name="categorie" value="{dairy[0].category_id}"' in html

    response = client_a.post(
        url,
        {"site": site_a.pk, "categorie": dairy[0].category_id, f"lot_{dairy[0].pk}": "1,5"},
    )
    assert response.status_code == 200 and len(response.context["results"]) == 1
    assert StockBalance.objects.get(lot=dairy[0]).quantity_g == 1500
    assert StockMovement.objects.filter(kind="adjustment").count() == 1


def test_a_count_form_error_is_shown_on_its_written_out_box(client_a, many_lots, site_a):
    lot = many_lots.lots.filter(category__name="Produits laitiers")[0]
    response = client_a.post(
        reverse("logistics:inventory"), {"site": site_a.pk, f"lot_{lot.pk}": "beaucoup"}
    )
    html = response.content.decode()
    assert f'value="beaucoup" aria-invalid="true" aria-describedby="id_lot_{lot.pk}_error"' in html
    assert f'id="id_lot_{lot.pk}_error"' in html


def test_another_kind_of_food_or_another_organisation_shows_nothing(
    client_b, many_lots, site_a, catalogue_a
):
    dry = catalogue_a["Épicerie sèche"]
    page = client_b.get(reverse("logistics:inventory"), {"site": site_a.pk, "categorie": dry.pk})
    assert "Épicerie sèche" not in page.content.decode()
    assert "Épicerie sèche" not in client_b.get(reverse("logistics:overview")).content.decode()
