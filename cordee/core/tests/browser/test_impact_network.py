"""The impact page of a network admin (per member, network tables) and the stock count
import, in a real browser at tablet and phone sizes, with axe and the size checks."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone

from cordee.core.models import NetworkRole
from cordee.logistics.models import Category
from cordee.logistics.services.catalogue import catalogue_seed_defaults
from cordee.logistics.services.deliveries import counter_distribution_record
from cordee.logistics.services.receptions import ReceptionLine, reception_record

from .helpers import build_world, sign_in
from .test_accessibility import AXE_OPTIONS, BLOCKING
from .test_logistics import _sizes

pytestmark = pytest.mark.browser


def test_network_impact_and_count_import(visit, tmp_path):
    world = build_world()
    catalogue_seed_defaults(network=world.network)
    NetworkRole.objects.create(
        user=world.user, network=world.network, role=NetworkRole.Kind.NETWORK_ADMIN
    )
    dry = Category.objects.get(network=world.network, name="Épicerie sèche")
    site = world.sites_a[0]
    today = timezone.localdate()
    reception_record(
        actor=world.user,
        site=site,
        source="food_bank",
        received_on=today,
        lines=[ReceptionLine(category=dry, weight_g=60_000)],
    )
    counter_distribution_record(
        actor=world.user, site=site, distributed_on=today, baskets=9, kg_by_category={dry: 20_000}
    )
    page = visit.page
    axe = Axe()
    found: list[str] = []
    blocking = 0

    def check(name: str) -> None:
        nonlocal blocking
        results = axe.run(page, options=AXE_OPTIONS)
        violations = results.response["violations"]
        found.extend(f"[{name}] {v['id']}: {v['help']}" for v in violations)
        blocking += sum(v["impact"] in BLOCKING for v in violations)
        # Chart text is read through the data table under each chart; the file picker is
        # the browser's own control (both as on the existing pages).
        found.extend(p for p in _sizes(visit, name) if "<text" not in p and 'type="file"' not in p)

    sign_in(visit)
    visit.goto("/logistique/impact/")
    assert page.locator("#network-title").count() == 1
    assert "jamais additionnés" in page.locator("main").inner_text()
    assert page.locator("main svg[role=img]").count() == 3
    check("impact")
    visit.screenshot("impact")

    csv = tmp_path / "inventaire.csv"
    csv.write_text(
        "point de service;catégorie;poids compté (kg)\n"
        f"{site.name};Épicerie sèche;38\n"
        f"{site.name};Épicerie sech;1\n",
        encoding="utf-8",
    )
    visit.goto("/logistique/inventaire/importer/")
    check("count-upload")
    page.set_input_files("input[type=file]", str(csv))
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    assert "Vouliez-vous dire" in page.locator("main").inner_text()
    check("count-preview")
    visit.screenshot("count-preview")
    with page.expect_navigation():
        page.locator("main button[value=valid]").click()
    assert page.url.endswith("/logistique/inventaire/")
    assert not blocking and not found, "\n".join(found)
