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
