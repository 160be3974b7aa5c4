"""Households import: preview, bad rows in French, valid rows only, duplicates, tenancy, fuzz."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cordee.core.models import AuditEvent
from cordee.households.imports import (
    HEADERS,
    import_preview,
    municipality_names,
    row_check,
)
from cordee.households.matching.normalise import phone_normalise
from cordee.households.models import Household
from cordee.households.services.households import MAX_PEOPLE

GOOD = (
    "prénom;nom;téléphone;municipalité;nombre de personnes\n"
    "Lucie;Gagnon;819 555-1111;Ste-Agathe;3\n"
    "Paul;Roy;;Mont-Tremblant;1\n"
)
BAD = GOOD + (";Sans Prénom;;;1\nAnne;Bélanger;12;;2\nLéo;Morin;;Mont-Tramblent;deux\n")


def _upload(client, content: bytes | str, name: str = "menages.csv"):
    data = content.encode("utf-8") if isinstance(content, str) else content
    return client.post(
        reverse("households:import"), {"file": SimpleUploadedFile(name, data)}, follow=True
    )


def test_good_file_preview_then_import(client_a, org_a):
    preview = _upload(client_a, GOOD.encode("cp1252"))
    html = preview.content.decode()
    assert preview.status_code == 200 and "2 lignes sont prêtes." in html
    token = preview.context["token"]
    assert Household.objects.count() == 0  # the preview writes nothing
    done = client_a.post(reverse("households:import_preview"), {"jeton": token, "mode": "all"})
    assert done.status_code == 302
    lucie = Household.objects.get(first_name="Lucie")
    assert lucie.municipality.name == "Sainte-Agathe-des-Monts" and lucie.people_count == 3
    assert sorted(Household.objects.values_list("card_number", flat=True)) == [1, 2]
    assert AuditEvent.objects.filter(action="household.register").count() == 2
    assert AuditEvent.objects.filter(action="household.import").count() == 1


def test_bad_rows_in_french_and_nothing_written(client_a):
    preview = _upload(client_a, BAD)
    html = preview.content.decode()
    assert "Écrivez le prénom." in html
    assert "819 555-1234" in html  # the phone example of the message
    assert "Mont-Tremblant" in html  # did you mean
    token = preview.context["token"]
    refused = client_a.post(reverse("households:import_preview"), {"jeton": token, "mode": "all"})
    assert refused.status_code == 400 and Household.objects.count() == 0
    assert "4, 5, 6" in refused.content.decode()
    valid = client_a.post(reverse("households:import_preview"), {"jeton": token, "mode": "valid"})
    assert valid.status_code == 302
    assert set(Household.objects.values_list("first_name", flat=True)) == {"Lucie", "Paul"}


def test_duplicates_within_the_file_and_against_the_organisation(client_a, register, org_a):
    register("Jean-François", "Tremblay", phone="819 555-9876")
    content = (
        "prenom,nom,tel\n"
        "JF,Tremblay,(819) 555-9876\n"
        "Ginette,Lavoie,819 555-2222\n"
        "Ginette,Lavoie,819-555-2222\n"
        "Albert,Nadeau,819 555-3333\n"
    )
    preview = _upload(client_a, content)
    warnings = {w["row"]: w["message"] for w in preview.context["warnings"]}
    assert "carte numéro 1" in warnings[2]
    assert "ligne 4" in warnings[3] and "ligne 3" in warnings[4]
    assert 5 not in warnings
    # Warnings do not block: all four rows are imported.
    token = preview.context["token"]
    client_a.post(reverse("households:import_preview"), {"jeton": token, "mode": "all"})
    assert Household.objects.filter(organisation=org_a).count() == 5


def test_duplicates_ignore_other_organisations(org_b, admin_b, register):
    register("Jean-François", "Tremblay", phone="819 555-9876")  # org_a's
    preview = import_preview(
        org=org_b, name="m.csv", data=b"prenom,nom,tel\nJF,Tremblay,(819) 555-9876\n"
    )
    assert preview.rows[0]["warnings"] == []


def test_xlsx_and_file_errors(client_a):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["Prénom", "Nom", "Nombre de personnes"])
    sheet.append(["Rémi", "Côté", 4])
    buffer = io.BytesIO()
    book.save(buffer)
    preview = _upload(client_a, buffer.getvalue(), "menages.xlsx")
    assert preview.context["preview"].rows[0]["people_count"] == 4
    missing = _upload(client_a, "prénom;téléphone\nLucie;819 555-1111\n")
    assert missing.status_code == 400 and "« nom »" in missing.content.decode()


def test_import_tenancy_and_roles(client, client_a, admin_b, volunteer_a):
    preview = _upload(client_a, GOOD)
    token = preview.context["token"]
    client.force_login(admin_b)  # another organisation, another session: not found
    url = reverse("households:import_preview")
    assert client.get(url, {"jeton": token}).status_code == 404
    assert client.post(url, {"jeton": token, "mode": "all"}).status_code == 404
    client.force_login(volunteer_a)
    assert client.get(reverse("households:import")).status_code == 403
    assert Household.objects.count() == 0


@pytest.mark.django_db
@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    cells=st.dictionaries(
        st.sampled_from(list(HEADERS)),
        st.one_of(
            st.text(max_size=120),
            st.sampled_from(["3", "3.0", "0", "31", "-1", "1e9", "nan", "inf"]),
        ),
    )
)
def test_row_parser_fuzz(cells):
    municipalities = municipality_names()
    row = row_check(7, cells, municipalities)
    assert row["row"] == 7
    assert all(isinstance(c, str) and isinstance(m, str) and m for c, m in row["problems"])
    assert 1 <= row["people_count"] <= MAX_PEOPLE
    if not row["problems"]:
        assert row["first_name"] and row["last_name"]
        assert len(row["first_name"]) <= 100 and len(row["last_name"]) <= 100
        assert not row["phone"] or phone_normalise(row["phone"])
        assert row["municipality"] is None or row["municipality_name"]
