"""Importing receptions from a spreadsheet: preview, all or nothing, only the valid rows."""

import io
from datetime import date, datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from cordee.core.models import AuditEvent
from cordee.logistics.imports import HEADERS, Preview, _Lookup, import_preview, row_check
from cordee.logistics.models import Category, Lot, Reception
from cordee.logistics.services.imports import reception_import

TODAY = timezone.localdate
FUZZ = settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
HEADER = [
    "Date",
    "Point de service",
    "Provenance",
    "Donateur",
    "Categorie",
    "Poids (kg)",
    "Meilleur avant",
    "Température (°C)",
    "Décision",
    "Raison",
]


def _english(client):
    client.cookies["cordee_language"] = "en"
    return client


def _csv(rows, sep=";", header=HEADER, encoding="utf-8-sig"):
    lines = [sep.join(header)] + [sep.join(row) for row in rows]
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


def _good_rows(site, day=None):
    day = (day or TODAY() - timedelta(days=1)).isoformat()
    soon = (TODAY() + timedelta(days=5)).strftime("%d/%m/%Y")
    return [
        [day, site.name, "banque alimentaire", "", "Épicerie sèche", "120,5", "", "", "", ""],
        [day, site.name.upper(), "food_bank", "", "produits laitiers", "40", soon, "3,5", "", ""],
        [day, site.name, "Don", "Ferme Tremblay", "Fruits et légumes", "25", soon, "−1", "", ""],
    ]


def _upload(client, data, name="receptions.csv"):
    return client.post(
        reverse("logistics:reception_import"), {"file": SimpleUploadedFile(name, data)}
    )


def _preview(client, data, name="receptions.csv"):
    response = _upload(client, data, name)
    assert response.status_code == 302, (
        getattr(response, "context", {}) and response.context["error"]
    )
    return client.get(response["Location"]), response["Location"].split("jeton=")[1]


def _confirm(client, token, mode):
    return client.post(
        reverse("logistics:reception_import_preview"), {"jeton": token, "mode": mode}
    )


# --- The whole flow -------------------------------------------------------------------


def test_valid_csv_imports_receptions_and_lots(client_a, site_a, catalogue_a):
    page, token = _preview(_english(client_a), _csv(_good_rows(site_a)))
    assert page.status_code == 200
    assert page.context["ok_count"] == 3 and page.context["bad_count"] == 0
    assert page.context["preview"].reception_count == 2  # food bank, and the donor
    assert page.context["preview"].total_g == 185_500
    assert 'value="all"' in page.content.decode() and 'value="valid"' not in page.content.decode()

    response = _confirm(client_a, token, "all")
    assert response.status_code == 302 and response["Location"] == reverse(
        "logistics:reception_list"
    )
    assert Reception.objects.filter(organisation=site_a.organisation).count() == 2
    assert Lot.objects.count() == 3
    dairy = Lot.objects.get(category__name="Produits laitiers")
    assert dairy.received_g == 40_000 and str(dairy.temperature_c) == "3.5"
    donation = Reception.objects.get(source="donation")
    assert donation.donor_name == "Ferme Tremblay"
    assert AuditEvent.objects.filter(action="reception.import").count() == 1
    listing = client_a.get(response["Location"]).content.decode()
    assert "2 receptions imported (185.5\xa0kg)." in listing
    # The token is spent: confirming twice writes nothing more.
    assert _confirm(client_a, token, "all").status_code == 404
    assert Reception.objects.count() == 2


def test_comma_delimiter_and_cp1252(client_a, site_a, catalogue_a):
    rows = [[c.replace(",", ".").replace("−", "-") for c in r] for r in _good_rows(site_a)]
    page, _token = _preview(client_a, _csv(rows, sep=",", encoding="cp1252"))
    assert page.context["bad_count"] == 0, page.context["problems"]
    assert page.context["ok_count"] == 3


def test_xlsx_with_date_cells_imports(client_a, site_a, catalogue_a):
    book = Workbook()
    sheet = book.active
    sheet.append(["catégorie", "POIDS (KG)", "date", "point de service", "provenance"])
    yesterday = datetime.combine(TODAY() - timedelta(days=1), datetime.min.time())
    sheet.append(["Épicerie sèche", 12.5, yesterday, site_a.name, "Regional food bank"])
    sheet.append(["Boulangerie", 3, yesterday.date().strftime("%d/%m/%Y"), site_a.name, "achat"])
    buffer = io.BytesIO()
    book.save(buffer)
    page, token = _preview(client_a, buffer.getvalue(), name="receptions.xlsx")
    assert page.context["bad_count"] == 0, page.context["problems"]
    assert _confirm(client_a, token, "all").status_code == 302
    assert sorted(Lot.objects.values_list("received_g", flat=True)) == [3_000, 12_500]
    assert Reception.objects.count() == 2  # two origins


def test_a_bad_row_is_listed_and_blocks_the_import(client_a, site_a, catalogue_a):
    rows = _good_rows(site_a)
    rows.insert(1, [rows[0][0], site_a.name, "banque alimentaire", "", "Produits laitier", "4"])
    rows.append([rows[0][0], site_a.name, "banque alimentaire", "", "Viande", "abc"])
    page, token = _preview(_english(client_a), _csv(rows))
    assert page.context["ok_count"] == 3 and page.context["bad_count"] == 2
    problems = page.context["problems"]
    assert {
        "row": 3,
        "column": "catégorie",
        "message": (
            "“Produits laitier” is not in your network's catalogue. "
            "Did you mean “Produits laitiers”?"
        ),
    } in problems
    assert any(p["row"] == 6 and p["column"] == "poids (kg)" for p in problems)
    html = page.content.decode()
    assert 'value="valid"' in html and 'value="all"' not in html

    refused = _confirm(client_a, token, "all")
    assert refused.status_code == 200
    assert "nothing was imported" in refused.content.decode()
    assert not Reception.objects.exists()

    assert _confirm(client_a, token, "valid").status_code == 302
    assert Lot.objects.count() == 3 and Reception.objects.count() == 2


def test_food_safety_rules_apply_to_each_row(client_a, site_a, catalogue_a):
    day = (TODAY() - timedelta(days=1)).isoformat()
    rows = [
        [day, site_a.name, "achat", "", "Produits laitiers", "5", "", "", "", ""],
        [day, site_a.name, "achat", "", "Produits laitiers", "5", "", "9", "", ""],
        [day, site_a.name, "achat", "", "Produits laitiers", "5", "", "9", "jeté", ""],
        [day, site_a.name, "achat", "", "Produits laitiers", "5", "", "9", "jeté", "Chaud"],
        [day, site_a.name, "achat", "", "Épicerie sèche", "0,0", "", "", "", ""],
        [day, site_a.name, "achat", "", "Préparations pour nourrissons", "2", "", "", "", ""],
    ]
    page, _token = _preview(_english(client_a), _csv(rows))
    by_row = {p["row"]: (p["column"], p["message"]) for p in page.context["problems"]}
    assert by_row[2][0] == "température (°C)" and "Cold food" in by_row[2][1]
    assert by_row[3][0] == "décision"
    assert by_row[4][0] == "raison"
    assert 5 not in by_row
    assert by_row[6] == ("poids (kg)", "Give a weight greater than zero.")
    assert by_row[7][0] == "date limite"


def test_semicolon_file_with_decimal_commas_everywhere(org_a, site_a, catalogue_a):
    day = (TODAY() - timedelta(days=1)).strftime("%d/%m/%Y")
    rows = [[day, site_a.name, "achat", "", "Épicerie sèche", f"1,{i}"] for i in range(1, 6)]
    preview = import_preview(org=org_a, name="r.csv", data=_csv(rows, header=HEADER[:6]))
    assert not preview.problems and preview.total_g == 6_500


def test_missing_columns_are_listed(client_a, site_a, catalogue_a):
    data = _csv([["2025-01-01", site_a.name]], header=["date", "point de service"])
    response = _english(client_a).post(
        reverse("logistics:reception_import"),
        {"file": SimpleUploadedFile("r.csv", data)},
    )
    assert response.status_code == 200
    assert "« provenance », « catégorie », « poids (kg) »" in response.context["error"]


def test_empty_and_wrong_files(client_a, org_a):
    assert import_preview(org=org_a, name="r.csv", data=b"").error == "The file is empty."
    assert import_preview(org=org_a, name="r.csv", data=b"\xef\xbb\xbf \r\n;;\r\n").error
    assert "CSV or Excel" in import_preview(org=org_a, name="r.xlsx", data=b"PK nope").error
    assert "CSV or Excel" in import_preview(org=org_a, name="r.xls", data=b"\xd0\xcf").error
    header_only = import_preview(org=org_a, name="r.csv", data=_csv([]))
    assert "no rows" in header_only.error
    response = client_a.post(
        reverse("logistics:reception_import"), {"file": SimpleUploadedFile("r.csv", b"")}
    )
    assert response.status_code == 200 and response.context["form"].errors


# --- Tenancy and roles ------------------------------------------------------------------


def test_names_of_another_organisation_are_unknown(org_a, org_b, site_a, catalogue_a):
    other = Category.objects.create(network=org_b.networks.get(), name="Spécial B")
    site_b = org_b.sites.get()
    day = (TODAY() - timedelta(days=1)).isoformat()
    rows = [
        [day, site_b.name, "achat", "", "Épicerie sèche", "1"],
        [day, site_a.name, "achat", "", other.name, "1"],
    ]
    preview = import_preview(org=org_a, name="r.csv", data=_csv(rows))
    columns = {(p["row"], p["column"]) for p in preview.problems}
    assert (2, "point de service") in columns and (3, "catégorie") in columns


def test_service_rechecks_ids_against_the_organisation(admin_a, org_a, org_b, site_a, catalogue_a):
    preview = import_preview(org=org_a, name="r.csv", data=_csv(_good_rows(site_a)))
    rows = [dict(r) for r in preview.rows]
    rows[0]["site"] = org_b.sites.get().pk  # tampered
    with translation.override("en"), pytest.raises(ValidationError, match="nothing was imported"):
        reception_import(actor=admin_a, org=org_a, rows=rows, valid_only=False)
    assert not Reception.objects.exists()
    result = reception_import(actor=admin_a, org=org_a, rows=rows, valid_only=True)
    assert result.skipped_rows == [2] and result.lot_count == 2


def test_a_token_is_bound_to_its_session_and_organisation(client_a, admin_b, site_a, catalogue_a):
    _page, token = _preview(client_a, _csv(_good_rows(site_a)))
    other = Client()
    other.force_login(admin_b)
    assert _confirm(other, token, "all").status_code == 404
    assert (
        other.get(reverse("logistics:reception_import_preview"), {"jeton": token}).status_code
        == 404
    )
    assert not Reception.objects.exists()


def test_volunteers_cannot_import(client, volunteer_a, site_a, catalogue_a):
    client.force_login(volunteer_a)
    assert client.get(reverse("logistics:reception_import")).status_code == 403
    assert _upload(client, _csv(_good_rows(site_a))).status_code == 403
    assert client.get(reverse("logistics:reception_import_preview")).status_code == 403
    listing = client.get(reverse("logistics:reception_list")).content.decode()
    assert reverse("logistics:reception_import") not in listing


def test_managers_see_the_link_and_the_template(client_a, site_a):
    listing = client_a.get(reverse("logistics:reception_list")).content.decode()
    assert reverse("logistics:reception_import") in listing
    page = client_a.get(reverse("logistics:reception_import")).content.decode()
    assert "modele-receptions.csv" in page


def test_the_template_file_has_every_column():
    from pathlib import Path

    path = Path(__file__).parents[1] / "static" / "logistics" / "modele-receptions.csv"
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert first.split(";") == list(HEADERS.values())


# --- Whatever is in the file, an answer --------------------------------------------------


@FUZZ
@given(data=st.one_of(st.binary(max_size=600), st.text(max_size=400).map(str.encode)))
def test_random_bytes_never_crash(org_a, catalogue_a, data):
    preview = import_preview(org=org_a, name="r.csv", data=data)
    assert isinstance(preview, Preview)
    assert preview.error or preview.rows
    for row in preview.rows:
        assert row["problems"] or row["weight_g"] > 0


@FUZZ
@given(data=st.binary(max_size=300))
def test_random_bytes_after_a_header_never_crash(org_a, catalogue_a, data):
    preview = import_preview(org=org_a, name="r.csv", data=_csv([]) + data)
    assert preview.error or preview.rows


cell = st.one_of(
    st.text(max_size=25),
    st.dates().map(lambda d: d),
    st.dates().map(date.isoformat),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
    st.sampled_from(["Épicerie sèche", "Produits laitiers", "−18 °C", "12,5 kg", "jeté", "don"]),
)


@FUZZ
@given(cells=st.fixed_dictionaries({}, optional={k: cell for k in HEADERS}))
def test_random_cells_never_crash_validation(org_a, site_a, catalogue_a, cells):
    row = row_check(_Lookup(org_a), 2, cells)
    assert row["problems"] or (row["weight_g"] > 0 and row["site"] and row["category"])


# === Stock counts (inventaire) ===========================================================

from decimal import Decimal  # noqa: E402
from html import unescape as html_unescape  # noqa: E402

from cordee.logistics import imports_counts  # noqa: E402
from cordee.logistics.models import StockBalance, StockMovement  # noqa: E402
from cordee.logistics.services.imports import count_allocation, stock_count_import  # noqa: E402
from cordee.logistics.services.receptions import ReceptionLine, reception_record  # noqa: E402

COUNT_HEADER = ["Point de service", "No de lot", "Catégorie", "Meilleur avant", "Poids compté (kg)"]


@pytest.fixture
def stock_a(admin_a, site_a, catalogue_a):
    """Dry goods: lot « early » 20 kg (to hand out first) and lot « late » 10 kg; dairy 8 kg."""
    today = TODAY()
    dry, dairy = catalogue_a["Épicerie sèche"], catalogue_a["Produits laitiers"]
    reception_record(
        actor=admin_a,
        site=site_a,
        source="food_bank",
        received_on=today,
        lines=[
            ReceptionLine(category=dry, weight_g=20_000, best_before=today + timedelta(days=30)),
            ReceptionLine(category=dry, weight_g=10_000, best_before=today + timedelta(days=60)),
            ReceptionLine(
                category=dairy,
                weight_g=8_000,
                best_before=today + timedelta(days=5),
                temperature_c=Decimal(3),
            ),
        ],
    )
    lots = Lot.objects.filter(organisation=site_a.organisation)
    return {
        "early": lots.get(category=dry, received_g=20_000),
        "late": lots.get(category=dry, received_g=10_000),
        "dairy": lots.get(category=dairy),
    }


def _balance(site, lot) -> int:
    return StockBalance.objects.get(site=site, lot=lot).quantity_g


def _count_preview(client, data, name="inventaire.csv"):
    response = client.post(
        reverse("logistics:stock_count_import"), {"file": SimpleUploadedFile(name, data)}
    )
    assert response.status_code == 302, (
        getattr(response, "context", {}) and response.context["error"]
    )
    return client.get(response["Location"]), response["Location"].split("jeton=")[1]


def _count_confirm(client, token, mode):
    return client.post(
        reverse("logistics:stock_count_import_preview"), {"jeton": token, "mode": mode}
    )


def test_count_allocation_fills_the_lots_to_hand_out_last_first(stock_a, site_a):
    balances = list(StockBalance.objects.filter(site=site_a, lot__category__name="Épicerie sèche"))
    early, late = stock_a["early"].pk, stock_a["late"].pk
    assert count_allocation(balances, 25_000) == [(early, 15_000), (late, 10_000)]
    assert count_allocation(balances, 4_000) == [(early, 0), (late, 4_000)]
    assert count_allocation(balances, 0) == [(early, 0), (late, 0)]
    assert count_allocation(balances, 33_000) == [(early, 20_000), (late, 13_000)]


def test_a_count_spreadsheet_records_adjustments(client_a, site_a, stock_a):
    rows = [
        [site_a.name, f"#{stock_a['dairy'].pk}", "", "", "7,5"],
        [site_a.name.upper(), "", "epicerie seche", "", "25"],
    ]
    page, token = _count_preview(_english(client_a), _csv(rows, header=COUNT_HEADER))
    assert page.status_code == 200
    assert page.context["ok_count"] == 2 and page.context["bad_count"] == 0
    preview = page.context["preview"]
    assert preview.lot_count == 3 and preview.counted_g == 32_500
    assert preview.variance_g == -5_500
    html = page.content.decode()
    assert 'value="all"' in html and "Expected" in html

    response = _count_confirm(client_a, token, "all")
    assert response.status_code == 302 and response["Location"] == reverse("logistics:inventory")
    assert _balance(site_a, stock_a["dairy"]) == 7_500
    assert _balance(site_a, stock_a["early"]) == 15_000
    assert _balance(site_a, stock_a["late"]) == 10_000
    adjustments = StockMovement.objects.filter(kind=StockMovement.Kind.ADJUSTMENT)
    assert sorted(adjustments.values_list("quantity_g", flat=True)) == [-5_000, -500]
    assert AuditEvent.objects.filter(action="stock_count.import").count() == 1
    assert _count_confirm(client_a, token, "all").status_code == 404  # the token is spent


def test_count_rows_with_problems_are_listed_in_french(client_a, site_a, stock_a, org_b):
    foreign = Lot.objects.create(
        organisation=org_b, category=Category.objects.first(), storage_class="dry", received_g=1
    )
    far = (TODAY() + timedelta(days=999)).isoformat()
    rows = [
        [site_a.name, "", "Épicerie sèche", "", "25"],  # 2: good
        ["Local du comptoir Z", "", "Épicerie sèche", "", "1"],  # 3: unknown site
        [site_a.name, "", "Produits laitier", "", "1"],  # 4: typo in the category
        [site_a.name, "", "Boulangerie", "", "3"],  # 5: no bread in stock
        [site_a.name, "", "Boulangerie", "", "0"],  # 6: nothing, and nothing in stock: fine
        [site_a.name, "xyz", "", "", "1"],  # 7: not a lot number
        [site_a.name, str(foreign.pk), "", "", "1"],  # 8: another organisation's lot
        [site_a.name, f"lot {stock_a['early'].pk}", "", "", "1"],  # 9: counted on row 2
        [site_a.name, "", "", "", "1"],  # 10: neither lot nor food
        [site_a.name, "", "Épicerie sèche", far, "1"],  # 11: no lot with that date
        [site_a.name, "", "Produits laitiers", "31/02/2025", "abc"],  # 12: date and weight
        [site_a.name, str(stock_a["dairy"].pk), "", "", "-2"],  # 13: negative
    ]
    page, token = _count_preview(client_a, _csv(rows, header=COUNT_HEADER))
    assert page.context["ok_count"] == 2 and page.context["bad_count"] == 10
    by_row: dict[int, list[tuple[str, str]]] = {}
    for p in page.context["problems"]:
        by_row.setdefault(p["row"], []).append((p["column"], p["message"]))
    assert set(by_row) == {3, 4, 5, 7, 8, 9, 10, 11, 12, 13}
    assert by_row[3] == [
        (
            "point de service",
            "Aucun point de service de votre organisme ne s'appelle «\xa0Local du comptoir "
            "Z\xa0». Vouliez-vous dire «\xa0Local du comptoir A\xa0»?",
        )
    ]
    assert by_row[4][0][0] == "catégorie" and "Produits laitiers" in by_row[4][0][1]
    assert by_row[5] == [
        (
            "catégorie",
            f"Pas de « Boulangerie » en stock à {site_a.name} : enregistrez d'abord cette "
            "nourriture comme une réception.",
        )
    ]
    assert by_row[7] == [("no de lot", "« xyz » n'est pas un numéro de lot.")]
    assert by_row[8] == [("no de lot", f"Votre organisme n'a pas de lot {foreign.pk}.")]
    assert by_row[9] == [
        ("no de lot", f"Le lot {stock_a['early'].pk} est déjà compté à la ligne 2.")
    ]
    assert by_row[10][0][0] == "no de lot"
    assert by_row[11][0][0] == "catégorie" and "meilleur avant" in by_row[11][0][1]
    assert {c for c, _m in by_row[12]} == {"meilleur avant", "poids compté (kg)"}
    assert by_row[13][0][0] == "poids compté (kg)"
    html = page.content.decode()
    assert 'value="valid"' in html and 'value="all"' not in html

    # All or nothing: nothing is written.
    refused = _count_confirm(client_a, token, "all")
    assert refused.status_code == 200
    assert "rien n'a été importé" in html_unescape(refused.content.decode())
    assert not StockMovement.objects.filter(kind=StockMovement.Kind.ADJUSTMENT).exists()
    # Only the valid rows: the dry goods are adjusted, nothing else.
    assert _count_confirm(client_a, token, "valid").status_code == 302
    assert _balance(site_a, stock_a["early"]) == 15_000
    assert _balance(site_a, stock_a["dairy"]) == 8_000


def test_count_from_xlsx_with_number_and_date_cells(client_a, site_a, stock_a):
    book = Workbook()
    sheet = book.active
    sheet.append(["POIDS", "site", "No lot", "catégorie", "MA"])
    late_bb = datetime.combine(stock_a["late"].best_before, datetime.min.time())
    sheet.append([4, site_a.name, None, "Épicerie sèche", late_bb])
    sheet.append([8.25, site_a.name, stock_a["dairy"].pk, None, None])
    buffer = io.BytesIO()
    book.save(buffer)
    page, token = _count_preview(client_a, buffer.getvalue(), name="inventaire.xlsx")
    assert page.context["bad_count"] == 0, page.context["problems"]
    assert _count_confirm(client_a, token, "all").status_code == 302
    assert _balance(site_a, stock_a["late"]) == 4_000  # only the lot with that date
    assert _balance(site_a, stock_a["early"]) == 20_000
    assert _balance(site_a, stock_a["dairy"]) == 8_250


def test_count_file_without_the_needed_columns(client_a, org_a):
    data = _csv([["Local", "3"]], header=["point de service", "date"])
    preview = imports_counts.count_import_preview(org=org_a, name="i.csv", data=data)
    assert preview.error == (
        "Colonnes absentes de la première ligne\xa0: « poids compté (kg) », "
        "« no de lot » ou « catégorie »."
    )
    assert imports_counts.count_import_preview(org=org_a, name="i.csv", data=b"").error


def test_count_service_rechecks_ids_and_stock(admin_a, org_a, org_b, site_a, stock_a):
    data = _csv([[site_a.name, "", "Épicerie sèche", "", "25"]], header=COUNT_HEADER)
    preview = imports_counts.count_import_preview(org=org_a, name="i.csv", data=data)
    rows = [dict(r) for r in preview.rows]
    tampered = [dict(rows[0], site=org_b.sites.get().pk, row=3)]
    with translation.override("en"), pytest.raises(ValidationError, match="nothing was imported"):
        stock_count_import(actor=admin_a, org=org_a, rows=rows + tampered, valid_only=False)
    assert not StockMovement.objects.filter(kind=StockMovement.Kind.ADJUSTMENT).exists()
    # The stock moved since the preview: the weight is shared again on today's balances.
    from cordee.logistics.services.stock import stock_loss_record

    stock_loss_record(
        actor=admin_a, site=site_a, lot=stock_a["late"], quantity_g=10_000, reason="damaged"
    )
    result = stock_count_import(actor=admin_a, org=org_a, rows=rows + tampered, valid_only=True)
    assert result.skipped_rows == [3] and result.lot_count == 1
    assert _balance(site_a, stock_a["early"]) == 25_000


def test_count_token_and_roles(client, client_a, admin_b, volunteer_a, site_a, stock_a):
    data = _csv([[site_a.name, "", "Épicerie sèche", "", "25"]], header=COUNT_HEADER)
    _page, token = _count_preview(client_a, data)
    other = Client()
    other.force_login(admin_b)
    assert _count_confirm(other, token, "all").status_code == 404
    url = reverse("logistics:stock_count_import_preview")
    assert other.get(url, {"jeton": token}).status_code == 404
    # A reception preview token is not a count token.
    assert client_a.get(url, {"jeton": "x"}).status_code == 404
    volunteer = Client()
    volunteer.force_login(volunteer_a)
    assert volunteer.get(reverse("logistics:stock_count_import")).status_code == 403
    assert _balance(site_a, stock_a["early"]) == 20_000
    page = client_a.get(reverse("logistics:stock_count_import")).content.decode()
    assert "modele-inventaire.csv" in page


def test_the_count_template_file_reads_back():
    from pathlib import Path

    path = Path(__file__).parents[1] / "static" / "logistics" / "modele-inventaire.csv"
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert first.split(";") == list(imports_counts.HEADERS.values())


@FUZZ
@given(data=st.one_of(st.binary(max_size=600), st.text(max_size=400).map(str.encode)))
def test_count_random_bytes_never_crash(org_a, catalogue_a, data):
    preview = imports_counts.count_import_preview(org=org_a, name="i.csv", data=data)
    assert preview.error or preview.rows
    for row in preview.rows:
        assert row["problems"] or row["site"]


count_cell = st.one_of(
    st.text(max_size=25),
    st.dates(),
    st.dates().map(date.isoformat),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
    st.integers(min_value=-5, max_value=10**13).map(str),
    st.sampled_from(["Épicerie sèche", "Produits laitiers", "#1", "lot 2", "0", "12,5 kg"]),
)


@FUZZ
@given(
    cells=st.lists(
        st.fixed_dictionaries({}, optional={k: count_cell for k in imports_counts.HEADERS}),
        max_size=4,
    )
)
def test_count_random_cells_never_crash_and_never_count_a_lot_twice(org_a, site_a, stock_a, cells):
    lookup = imports_counts.CountLookup(org_a)
    lookup.lots = {lot.pk: lot for lot in stock_a.values()}
    taken: dict = {}
    rows = [imports_counts.row_check(lookup, n, c, taken) for n, c in enumerate(cells, start=2)]
    counted = [(r["site"], lot) for r in rows if not r["problems"] for lot, _g in r["allocation"]]
    assert len(counted) == len(set(counted))
    for row in rows:
        assert row["problems"] or (row["site"] and row["counted_g"] >= 0)
        if not row["problems"]:
            assert sum(g for _lot, g in row["allocation"]) in (row["counted_g"], 0)
