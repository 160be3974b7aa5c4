"""Stock in a real browser: record food that came in, see it in stock, open a lot.

At tablet and phone sizes, with axe on the reception form (with its errors) and the stock
page, and the same size checks (text ≥ 18 px, targets ≥ 44 px) as the core pages.
"""

from datetime import timedelta
from decimal import Decimal

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone

from cordee.logistics.models import Category, Lot, Reception, StockBalance
from cordee.logistics.services.catalogue import catalogue_seed_defaults
from cordee.logistics.services.receptions import ReceptionLine, reception_record

from .helpers import build_world, sign_in
from .test_accessibility import AXE_OPTIONS, BLOCKING, MIN_TARGET_PX, SIZES_JS, TARGETS, _report

pytestmark = pytest.mark.browser

# The stock pages add their own controls to the ones checked everywhere.
LOGISTICS_TARGETS = f"{TARGETS}, main summary, main .lot-list a"


def _world():
    world = build_world()
    catalogue_seed_defaults(network=world.network)
    return world


def _go_to_stock(visit) -> None:
    page = visit.page
    if visit.viewport == "phone":
        # The menu wraps on a phone: the Stock link must still be there and reachable.
        page.locator(".main-nav a[href='/logistique/']").scroll_into_view_if_needed()
    with page.expect_navigation():
        page.locator(".main-nav a[href='/logistique/']").click()
    assert page.locator("h1").inner_text() == "Stock"


def _fill_line(page, n: int, food: str, weight: str, **fields: str) -> None:
    page.select_option(f"#id_lines-{n}-category", label=food)
    page.fill(f"#id_lines-{n}-weight_kg", weight)
    for name, value in fields.items():
        page.fill(f"#id_lines-{n}-{name}", value)


def _sizes(visit, name: str) -> list[str]:
    sizes = visit.page.evaluate(SIZES_JS, LOGISTICS_TARGETS)
    problems = [f"[{name}] text in {t['px']:.1f}px: {t['el']}" for t in sizes["small_text"]]
    problems += [
        f"[{name}] {t['h']:.0f}px tall: {t['el']}"
        for t in sizes["targets"]
        if t["h"] < MIN_TARGET_PX - 0.5
    ]
    return problems


def test_record_a_reception_see_it_in_stock_and_open_the_lot(visit):
    world = _world()
    site = world.sites_a[1]  # « Point de service de Val-David »
    page = visit.page
    sign_in(visit)
    _go_to_stock(visit)
    assert page.locator(".stock-site").count() == len(world.sites_a)  # each site, empty
    visit.screenshot("stock-empty")

    with page.expect_navigation():
        page.locator("main a[href='/logistique/receptions/nouvelle/']").first.click()
    # The date is today's by default; the cold-chain rule is written next to the temperature.
    assert page.input_value("#id_received_on") == timezone.localdate().isoformat()
    assert "4 °C" in page.locator("#id_lines-0-temperature_c_help").inner_text()
    page.select_option("#id_site", label=site.name)
    page.select_option("#id_source", "food_bank")
    _fill_line(page, 0, "Épicerie sèche", "120,5")
    best_before = (timezone.localdate() + timedelta(days=2)).isoformat()
    _fill_line(page, 1, "Produits laitiers", "40", temperature_c="3,5", best_before=best_before)
    visit.screenshot("reception-form")
    with page.expect_navigation():
        page.locator("main form button[name=save]").click()

    reception = Reception.objects.get()
    assert page.url == visit.url(f"/logistique/receptions/{reception.pk}/")
    assert page.locator(".message.success").is_visible()
    assert "160,5\xa0kg" in page.locator(".message.success").inner_text()
    assert page.locator("main table tbody tr").count() == 2
    visit.screenshot("reception-detail")

    # In stock at the right site, perishables first.
    _go_to_stock(visit)
    card = page.locator(".stock-site", has=page.locator(f"h2:text-is('{site.name}')"))
    rows = card.locator("tbody tr")
    assert rows.count() == 2
    assert "Produits laitiers" in rows.nth(0).inner_text()
    assert "40\xa0kg" in rows.nth(0).inner_text()
    assert "120,5\xa0kg" in rows.nth(1).inner_text()
    # The dairy's last day is in 2 days: the page says food must be used soon.
    assert page.locator(".message.attention a[href='/logistique/a-ecouler/']").is_visible()
    visit.screenshot("stock")

    # Open the dairy lot from its line.
    dairy = Lot.objects.get(category__name="Produits laitiers")
    rows.nth(0).locator("summary").click()
    with page.expect_navigation():
        rows.nth(0).locator(f"a[href='/logistique/lots/{dairy.pk}/']").click()
    assert "Produits laitiers" in page.locator("h1").inner_text()
    main = page.locator("main").inner_text()
    assert "40\xa0kg" in main and site.name in main
    visit.screenshot("lot")
    assert StockBalance.objects.get(lot=dairy, site=site).quantity_g == 40_000
    assert visit.errors == []


def test_reception_without_javascript_with_more_lines(visit_factory):
    """Scripts off: 5 lines, 5 more on request (input kept), then record."""
    world = _world()
    visit = visit_factory("phone", javascript=False)
    page = visit.page
    sign_in(visit)
    visit.goto("/logistique/receptions/nouvelle/")
    assert page.locator("fieldset.line").count() == 5
    page.select_option("#id_site", label=world.sites_a[0].name)
    page.select_option("#id_source", "donation")
    page.fill("#id_donor_name", "Ferme Lacasse")
    _fill_line(page, 0, "Fruits et légumes", "15", temperature_c="4")
    with page.expect_navigation():
        page.locator("main form button[name=more_lines]").click()
    assert page.locator("fieldset.line").count() == 10
    assert page.input_value("#id_lines-0-weight_kg") == "15"
    assert page.locator(".form-errors").count() == 0
    _fill_line(page, 6, "Boulangerie", "8,2")
    visit.screenshot("more-lines")
    with page.expect_navigation():
        page.locator("main form button[name=save]").click()
    reception = Reception.objects.get()
    assert reception.donor_name == "Ferme Lacasse"
    assert sorted(reception.lots.values_list("received_g", flat=True)) == [8_200, 15_000]


def test_axe_and_sizes_on_the_reception_errors_and_the_stock(visit):
    world = _world()
    page = visit.page
    axe = Axe()
    found: list[str] = []
    problems: list[str] = []
    blocking = 0

    def check(name: str) -> None:
        nonlocal blocking
        results = axe.run(page, options=AXE_OPTIONS)
        found.extend(_report(name, results))
        blocking += sum(v["impact"] in BLOCKING for v in results.response["violations"])
        problems.extend(_sizes(visit, name))

    sign_in(visit)
    visit.goto("/logistique/receptions/nouvelle/")
    check("reception-form")
    # Warm dairy without a decision, and a line without its weight.
    page.select_option("#id_site", label=world.sites_a[0].name)
    page.select_option("#id_source", "recovery")
    _fill_line(page, 0, "Produits laitiers", "20", temperature_c="9")
    page.select_option("#id_lines-1-category", label="Boulangerie")
    page.locator("main form button[name=save]").click()
    page.locator(".form-errors").wait_for()
    assert page.locator("#id_lines-0-decision_error").is_visible()  # unfolded, next to it
    assert page.locator("#id_lines-1-weight_kg_error").is_visible()
    assert page.input_value("#id_lines-0-temperature_c") == "9"  # what was typed is kept
    check("reception-errors")
    visit.screenshot("reception-errors")
    # The summary's link takes the focus to the line to correct.
    page.locator(".form-errors a[href='#id_lines-1-category']").click()
    assert page.evaluate("document.activeElement.id") == "id_lines-1-category"
    assert not Reception.objects.exists()

    # Fix both lines: discard the warm dairy, weigh the bread; then the stock page.
    page.select_option("#id_lines-0-decision", "discarded")
    page.fill("#id_lines-0-decision_reason", "Arrivé à 9 °C")
    page.fill("#id_lines-1-weight_kg", "6")
    yesterday = timezone.localdate() - timedelta(days=1)
    page.fill("#id_lines-1-best_before", yesterday.isoformat())  # bread: 2 more days
    with page.expect_navigation():
        page.locator("main form button[name=save]").click()
    assert Reception.objects.count() == 1
    # Dairy past its date, so "food to use soon" has both kinds of rows.
    reception_record(
        actor=world.user,
        site=world.sites_a[0],
        source="recovery",
        received_on=yesterday,
        lines=[
            ReceptionLine(
                category=Category.objects.get(name="Produits laitiers"),
                weight_g=12_000,
                temperature_c=Decimal(3),
                best_before=yesterday,
            )
        ],
    )
    visit.goto("/logistique/")
    check("stock")
    for name, path in [
        ("expiring", "/logistique/a-ecouler/"),
        ("catalogue", "/logistique/catalogue/"),
        ("inventory", f"/logistique/inventaire/?site={world.sites_a[0].pk}"),
        ("lot", f"/logistique/lots/{Lot.objects.get(category__name='Boulangerie').pk}/"),
        ("receptions", "/logistique/receptions/"),
    ]:
        visit.goto(path)
        check(name)
        visit.screenshot(name)

    # From a lot past its date to its loss: the link unfolds the loss form on the lot page.
    visit.goto("/logistique/a-ecouler/")
    with page.expect_navigation():
        page.locator("tr.late a.button").click()
    assert page.locator("#perte").is_visible()
    page.fill("#id_weight_kg", "12")
    page.select_option("#id_reason", "expired")
    with page.expect_navigation():
        page.locator("#perte button[type=submit]").click()
    assert page.locator(".message.success").is_visible()
    dairy = Lot.objects.get(category__name="Produits laitiers", decision="")
    assert StockBalance.objects.get(lot=dairy).quantity_g == 0

    print("\n".join(found))
    assert blocking == 0, "axe found serious or critical problems:\n" + "\n".join(found)
    assert not problems, "\n".join(problems)
