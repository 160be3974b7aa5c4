"""The hub's week in a real browser, end to end (issue 3).

Receive from the food bank (its spreadsheet, which carries the supplier's lot numbers) and a
store pickup (the reception form), open a delivery day, two counters order, the hub shares
out and changes one share by hand, sends the deliveries and downloads a delivery note (PDF),
the counters confirm what arrived (one in full, one short with a note), and the hub traces a
lot named in a recall notice, prints the list and blocks the lot.

Only the starting world (hub, suppliers, two counters, catalogue, people) is built in Python:
every step after it is clicks and typing. The hub and the first counter use a tablet
(1024×768); the second counter orders and confirms on a phone (390 px). One screenshot per step
in test-artifacts/screenshots/logistics_week-*.png.
"""

import os
import re
import shutil
import subprocess
import warnings
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from conftest import PASSWORD
from cordee.core.models import Organisation, Role, Site
from cordee.core.tests.factories import (
    MembershipFactory,
    NetworkFactory,
    NetworkMembershipFactory,
    OrganisationFactory,
    UserFactory,
)
from cordee.logistics.models import Category, Delivery, DeliveryDay, Lot
from cordee.logistics.services.catalogue import catalogue_seed_defaults

from .conftest import SCREENSHOTS
from .helpers import _site, sign_in

pytestmark = pytest.mark.browser

HUB_EMAIL = "lucie.gagnon@example.org"
A_EMAIL = "monique.tremblay@example.org"
B_EMAIL = "gerard.levesque@example.org"
HUB = "Partage des Laurentides"
MEMBER_A = "Comptoir alimentaire de Sainte-Agathe-des-Monts"
MEMBER_B = "Comptoir d'entraide de Val-David"
FOOD_BANK = "Moisson Laurentides"
STORE = "Maxi Sainte-Agathe"
LOT_CODE = "MOI-4471"
NBSP = "\xa0"


def _world() -> dict:
    network = NetworkFactory(name="Réseau d'entraide alimentaire des Laurentides")
    hub = OrganisationFactory(name=HUB, kind=Organisation.Kind.HUB, contact_phone="819 555-0100")
    network.coordinating_organisation = hub
    network.save()
    a = OrganisationFactory(
        name=MEMBER_A,
        kind=Organisation.Kind.FOOD_COUNTER,
        contact_email="info@comptoir-sainte-agathe.example.org",
        contact_phone="819 555-0101",
    )
    b = OrganisationFactory(
        name=MEMBER_B, kind=Organisation.Kind.FOOD_COUNTER, contact_phone="819 555-0102"
    )
    bank = OrganisationFactory(name=FOOD_BANK, kind=Organisation.Kind.FOOD_BANK)
    store = OrganisationFactory(name=STORE, kind=Organisation.Kind.STORE)
    for org in (hub, a, b, bank, store):
        NetworkMembershipFactory(network=network, organisation=org)
    catalogue_seed_defaults(network=network)
    people = [
        (HUB_EMAIL, "Lucie Gagnon", hub, Role.COORDINATOR),
        (A_EMAIL, "Monique Tremblay", a, Role.ORG_ADMIN),
        (B_EMAIL, "Gérard Lévesque", b, Role.STAFF),
    ]
    for email, name, org, role in people:
        user = UserFactory(email=email, full_name=name, password=PASSWORD)
        MembershipFactory(user=user, organisation=org, role=role)
    return {
        "hub": hub,
        "a": a,
        "b": b,
        "warehouse": _site(hub, "Entrepôt régional", "Mont-Blanc", Site.Kind.WAREHOUSE),
        "site_a": _site(a, "Comptoir du centre-ville", "Sainte-Agathe-des-Monts"),
        "site_b": _site(b, "Point de service de Val-David", "Val-David"),
        "categories": {c.name: c for c in Category.objects.filter(network=network)},
    }


# --- Small steps a person takes ------------------------------------------------------------


def _click_and_wait(page, selector: str) -> None:
    with page.expect_navigation():
        page.locator(selector).first.click()


def _to_stock(visit) -> None:
    """The « Stock » tab of the menu, then the page's own links (as a person goes)."""
    link = visit.page.locator(".main-nav a[href='/logistique/']")
    link.scroll_into_view_if_needed()  # the menu wraps on a phone
    with visit.page.expect_navigation():
        link.click()


def _stock_link(visit, href: str) -> None:
    _to_stock(visit)
    _click_and_wait(visit.page, f"main a[href='{href}']")


def _success(page) -> str:
    message = page.locator(".message.success")
    assert message.count() == 1, page.locator("main").inner_text()
    return message.inner_text()


def _text(locator) -> str:
    """Visible text with non-breaking spaces made plain (« 30 kg » is written 30&nbsp;kg)."""
    return locator.inner_text().replace(NBSP, " ")


OVERFLOW: list[str] = []
# The innermost elements that go past the right edge of the screen, to say what to fix.
WIDE_JS = """() => [...document.querySelectorAll('main *')]
  .filter(e => e.getBoundingClientRect().right > innerWidth + 1 && !e.querySelector('*'))
  .slice(0, 3)
  .map(e => `${e.tagName.toLowerCase()}.${e.className} «${e.textContent.trim().slice(0, 30)}»`)
"""


def _shot(visit, step: str) -> Path:
    """A screenshot, and a note when the page is wider than the screen (sideways scrolling):
    all the notes are checked at the end, so one run shows every page."""
    width = visit.page.evaluate("document.documentElement.scrollWidth")
    if width > visit.page.viewport_size["width"]:
        culprits = visit.page.evaluate(WIDE_JS)
        OVERFLOW.append(f"{step} ({visit.viewport}): {width}px wide, by {culprits}")
    return visit.screenshot(step)


def _fill_kg(page, label: str, kg: str) -> None:
    page.get_by_label(label, exact=True).fill(kg)


# --- The week --------------------------------------------------------------------------------


def _receive(hub, world) -> None:
    """1. The food bank's spreadsheet (lot numbers, cold line with its temperature), then a
    store pickup typed in the reception form."""
    page = hub.page
    today = timezone.localdate()
    manifest = "\n".join(
        [
            "date;point de service;provenance;fournisseur;catégorie;poids (kg);"
            "meilleur avant;température (°C);no de lot fournisseur",
            f"{today:%Y-%m-%d};Entrepôt régional;banque alimentaire;{FOOD_BANK};Épicerie sèche;"
            f"60;{today + timedelta(days=200):%Y-%m-%d};;{LOT_CODE}",
            f"{today:%Y-%m-%d};Entrepôt régional;banque alimentaire;{FOOD_BANK};"
            f"Produits laitiers;20;{today + timedelta(days=8):%Y-%m-%d};3,5;MOI-4472",
        ]
    )
    _stock_link(hub, "/logistique/receptions/")
    _click_and_wait(page, "main a[href='/logistique/receptions/importer/']")
    page.set_input_files(
        "input[type=file]",
        files=[{"name": "moisson.csv", "mimeType": "text/csv", "buffer": manifest.encode()}],
    )
    _click_and_wait(page, "main form button[type=submit]")
    assert "80 kg" in _text(page.locator("main .summary"))
    _shot(hub, "1a-food-bank-preview")
    _click_and_wait(page, "main form button[name=mode]")
    assert "80 kg" in _text(page.locator(".message.success"))
    _shot(hub, "1b-food-bank-imported")

    # The store pickup, weighed at the door: bread and a cold line with its temperature.
    _to_stock(hub)
    _click_and_wait(page, "main a[href='/logistique/receptions/nouvelle/']")
    assert page.input_value("#id_site") == str(world["warehouse"].pk)  # the only site
    page.select_option("#id_source", "recovery")
    page.select_option("#id_supplier", label=STORE)
    page.select_option("#id_lines-0-category", label="Boulangerie")
    page.fill("#id_lines-0-weight_kg", "12")
    page.fill("#id_lines-0-best_before", (today + timedelta(days=1)).isoformat())
    page.select_option("#id_lines-1-category", label="Fruits et légumes")
    page.fill("#id_lines-1-weight_kg", "18,5")
    page.fill("#id_lines-1-temperature_c", "4")
    _shot(hub, "1c-store-pickup-form")
    _click_and_wait(page, "main form button[name=save]")
    assert "30,5 kg" in _text(page.locator(".message.success"))
    _shot(hub, "1d-store-pickup-recorded")
    assert Lot.objects.filter(organisation=world["hub"]).count() == 4


def _open_day(hub, world) -> str:
    """2. Open a delivery day: what is available is published to the members."""
    page = hub.page
    _stock_link(hub, "/logistique/livraisons/jours/")
    assert (
        page.input_value("#id_delivers_on")
        == (timezone.localdate() + timedelta(days=1)).isoformat()
    )
    page.locator("input[name=policy][value=equal]").check()
    _shot(hub, "2a-open-day-form")
    _click_and_wait(page, "main form button[type=submit]")
    _success(page)
    world["day"] = DeliveryDay.objects.get()
    available = _text(page.locator("section[aria-labelledby=available-title] tbody"))
    for line in ("Épicerie sèche", "60 kg", "Produits laitiers", "20 kg", "Boulangerie", "12 kg"):
        assert line in available
    # No order yet: no « share out » button to close the orders by mistake.
    assert page.locator("form[action$='/repartir/']").count() == 0
    _shot(hub, "2b-day-published")
    return page.url


def _order(member, email: str, kgs: dict[str, str], note: str = "") -> None:
    """3. A counter signs in and orders from the open day."""
    page = member.page
    sign_in(member, email)
    _stock_link(member, "/logistique/commandes/")
    assert HUB in page.locator("main tbody").inner_text()
    day = DeliveryDay.objects.get(status=DeliveryDay.Status.OPEN)
    _click_and_wait(page, f"main a[href='/logistique/commandes/{day.pk}/']")
    for label, kg in kgs.items():
        _fill_kg(page, label, kg)
    if note:
        page.fill("#id_note", note)
    _shot(member, f"3-order-{'a' if email == A_EMAIL else 'b'}")
    _click_and_wait(page, "main form button[type=submit]")
    total = sum(float(v.replace(",", ".")) for v in kgs.values())
    assert f"{total:g} kg".replace(".", ",") in _text(page.locator(".message.success"))
    assert page.url == member.url("/logistique/commandes/")


def _share_out(hub, day_url: str, world) -> None:
    """4. Share out: per-member shares with their reasons; one share changed by hand."""
    page = hub.page
    page.goto(day_url)
    assert page.locator("#orders-title").inner_text().startswith("2 ")
    _click_and_wait(page, "form[action$='/repartir/'] button")
    _success(page)
    dry = world["categories"]["Épicerie sèche"]
    table = page.locator(f"table[aria-labelledby=share-{dry.pk}]")
    rows = table.locator("tbody:not(.totals) tr")
    assert rows.count() == 2
    for i in range(2):  # equal shares: 30 kg each, and each says why
        assert rows.nth(i).locator("input").input_value() == "30"
        assert len(rows.nth(i).locator("td:last-child").inner_text().strip()) > 10
    totals = page.locator(f"#totals-{dry.pk}")
    assert "60 kg" in _text(totals)
    _shot(hub, "4a-shared-out")

    # Val-David gets 25 kg instead of 30: the total follows as it is typed, unsaved.
    reason = rows.nth(1).locator("td:last-child")
    assert MEMBER_B in rows.nth(1).inner_text()
    before = reason.inner_text()
    box = page.locator(f"input[name=granted-{world['b'].pk}-{dry.pk}]")
    box.fill("25")
    box.press("Tab")
    page.wait_for_function(
        "([id, text]) => document.getElementById(id).innerText.replace(/\\u00a0/g, ' ')"
        ".includes(text)",
        arg=[f"totals-{dry.pk}", "55 kg"],
    )
    assert totals.locator(".muted").count() == 1  # « not saved yet »
    _shot(hub, "4b-adjust-preview")
    _click_and_wait(page, "form[action$='/ajuster/'] button[type=submit]")
    _success(page)
    assert "55 kg" in _text(page.locator(f"#totals-{dry.pk}"))
    assert page.input_value(f"input[name=granted-{world['b'].pk}-{dry.pk}]") == "25"
    assert reason.inner_text() != before and "30 kg" in _text(reason)  # « changed by hand »
    _shot(hub, "4c-adjust-saved")


def _squash(text: str) -> str:
    return re.sub(r"[\s\-\u2010]", "", text)


def _pdf_text(data: bytes, tmp: Path) -> str:
    pdftotext = shutil.which("pdftotext")
    if pdftotext is None:
        if os.environ.get("CORDEE_REQUIRE_BROWSER") == "1":
            pytest.fail("pdftotext is missing (apt-get install poppler-utils)", pytrace=False)
        return ""
    path = tmp / "note.pdf"
    path.write_bytes(data)
    result = subprocess.run(
        [pdftotext, "-enc", "UTF-8", str(path), "-"],
        capture_output=True,
        check=True,
        timeout=30,
    )
    return re.sub(r"\s+", " ", result.stdout.decode().replace(NBSP, " "))


def _weasyprint_works() -> bool:
    """False without Debian's Pango: then only the PDF part is left out, with a warning."""
    try:
        import weasyprint  # noqa: F401
    except (ImportError, OSError):
        return False
    return True


def _dispatch_and_print(hub, world) -> None:
    """5. The truck leaves; the delivery note on screen and as a PDF."""
    page = hub.page
    _click_and_wait(page, "form[action$='/ajuster/'] button[name=next]")
    assert page.url == hub.url(f"/logistique/livraisons/jour/{world['day'].pk}/")
    reserved = _text(page.locator("section[aria-labelledby=reserved-title] tbody"))
    assert MEMBER_A in reserved and MEMBER_B in reserved
    _shot(hub, "5a-before-dispatch")
    _click_and_wait(page, "form[action$='/expedier/'] button[type=submit]")
    _success(page)
    assert Delivery.objects.count() == 2
    _shot(hub, "5b-dispatched")

    delivery = Delivery.objects.get(organisation=world["a"])
    _click_and_wait(page, f"main a[href='/logistique/livraisons/envoi/{delivery.pk}/']")
    note = _text(page.locator(".note"))
    assert MEMBER_A in note and "40 kg" in note  # 30 kg dry + 10 kg dairy
    _shot(hub, "5c-delivery-note")

    if not _weasyprint_works():
        warnings.warn("WeasyPrint cannot make PDFs here (Pango missing)", stacklevel=2)
        return
    # Chromium shows the PDF in its own viewer, which hides the file from the page: the
    # answer is kept on its way to the viewer.
    answers = []

    def keep(route) -> None:
        answers.append(route.fetch())
        route.fulfill(response=answers[-1])

    page.route("**/bon.pdf", keep)
    with page.expect_response(lambda r: r.url.endswith("/bon.pdf")):
        page.locator(f"main a[href$='/envoi/{delivery.pk}/bon.pdf']").click()
    page.unroute("**/bon.pdf")
    (response,) = answers
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert ".pdf" in response.headers["content-disposition"]
    data = response.body()
    assert data.startswith(b"%PDF-")
    page.go_back()  # from the PDF viewer to the delivery note
    text = _pdf_text(data, SCREENSHOTS.parent)
    if text:
        # A long name wraps in its box and pdftotext joins « Sainte-/Agathe »: compare
        # without spaces and hyphens.
        flat = _squash(text)
        assert _squash(MEMBER_A) in flat, text
        assert "40 kg" in text and "30 kg" in text, text
        assert LOT_CODE in text, text


def _confirm_in_full(member, world) -> None:
    """6a. The tablet counter: everything arrived."""
    page = member.page
    _stock_link(member, "/logistique/livraisons/")
    delivery = Delivery.objects.get(organisation=world["a"])
    _click_and_wait(page, f"main a[href='/logistique/livraisons/envoi/{delivery.pk}/reception/']")
    _shot(member, "6a-receive-form-a")
    _click_and_wait(page, "main form button[name=in_full]")
    assert "40 kg" in _text(page.locator(".message.success"))
    _shot(member, "6b-received-in-full-a")
    _to_stock(member)
    card = _text(page.locator(".stock-site", has_text=world["site_a"].name))
    assert "Épicerie sèche" in card and "30 kg" in card and "Produits laitiers" in card
    _shot(member, "6c-stock-a")


def _confirm_short(member, world) -> None:
    """6b. The phone counter: a bag torn, 24 kg instead of 25; the note is asked for."""
    page = member.page
    _stock_link(member, "/logistique/livraisons/")
    delivery = Delivery.objects.get(organisation=world["b"])
    _click_and_wait(page, f"main a[href='/logistique/livraisons/envoi/{delivery.pk}/reception/']")
    dry_line = delivery.lines.get(lot__supplier_lot_code=LOT_CODE)
    page.fill(f"#id_received_{dry_line.pk}", "24")
    _click_and_wait(page, "main form:not(.card) button[type=submit]")
    assert page.locator("#id_note_error").is_visible()  # said where the person looks
    assert page.input_value(f"#id_received_{dry_line.pk}") == "24"
    assert page.locator("button[name=in_full]").count() == 0  # would throw the 24 kg away
    _shot(member, "6d-receive-short-needs-note-b")
    page.fill("#id_note", "Un sac de riz déchiré")
    _click_and_wait(page, "main form:not(.card) button[type=submit]")
    assert "32 kg" in _text(page.locator(".message.success"))  # 24 kg dry + 8 kg bread
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.PARTIAL
    _shot(member, "6e-received-short-b")
    _to_stock(member)
    card = _text(page.locator(".stock-site", has_text=world["site_b"].name))
    assert "24 kg" in card and "Boulangerie" in card
    _shot(member, "6f-stock-b")


def _recall(hub, world) -> None:
    """7. A recall notice names lot MOI-4471: who got some, print the list, block it."""
    page = hub.page
    _stock_link(hub, "/logistique/rappels/")
    page.fill("#id_supplier_lot_code", LOT_CODE)
    _click_and_wait(page, "main form[method=get] button[type=submit]")
    trace = page.locator(".recall-lot")
    assert trace.count() == 1
    rows = trace.locator("tbody tr")
    by_org = {
        _text(rows.nth(i).locator("td").first): _text(rows.nth(i)) for i in range(rows.count())
    }
    assert set(by_org) == {HUB, MEMBER_A, MEMBER_B}
    assert "30 kg" in by_org[MEMBER_A]
    assert "25 kg" in by_org[MEMBER_B] and "24 kg" in by_org[MEMBER_B]
    _shot(hub, "7a-recall-found")

    _click_and_wait(page, "main a[href^='/logistique/rappels/imprimer/']")
    printed = _text(page.locator("main"))
    assert MEMBER_A in printed and MEMBER_B in printed and LOT_CODE in printed
    _shot(hub, "7b-recall-print")
    page.go_back()

    page.fill("#id_reason", "Avis de rappel ACIA du jour : riz, lot MOI-4471")
    _click_and_wait(page, "#bloquer button[type=submit]")
    _success(page)
    assert page.locator(".recall-lot .badge.alert").count() == 1
    _shot(hub, "7c-recall-blocked")

    # The 5 kg left at the hub can no longer be shared out: a new day does not offer it.
    _stock_link(hub, "/logistique/livraisons/jours/")
    page.fill("#id_delivers_on", (timezone.localdate() + timedelta(days=3)).isoformat())
    _click_and_wait(page, "main form button[type=submit]")
    available = _text(page.locator("section[aria-labelledby=available-title] tbody"))
    assert "Produits laitiers" in available and "Épicerie sèche" not in available
    _shot(hub, "7d-new-day-without-the-lot")


def test_logistics_week(visit_factory):
    OVERFLOW.clear()
    world = _world()
    hub = visit_factory("tablet")
    sign_in(hub, HUB_EMAIL)
    _receive(hub, world)
    day_url = _open_day(hub, world)

    member_a = visit_factory("tablet")
    _order(member_a, A_EMAIL, {"Épicerie sèche": "50", "Produits laitiers": "10"})
    member_b = visit_factory("phone")
    _order(member_b, B_EMAIL, {"Épicerie sèche": "40", "Boulangerie": "8"}, "Avant midi SVP")

    _share_out(hub, day_url, world)
    _dispatch_and_print(hub, world)
    _confirm_in_full(member_a, world)
    _confirm_short(member_b, world)
    _recall(hub, world)
    for visit in (hub, member_a, member_b):
        assert visit.errors == []
        # Chromium's PDF viewer loads its own chrome:// files; nothing may leave for the web.
        assert [u for u in visit.blocked if u.startswith("http")] == []
    assert not OVERFLOW, "\n".join(OVERFLOW)
