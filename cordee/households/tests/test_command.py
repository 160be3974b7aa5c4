import csv
import json
import re
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

HEADER = "id,first_name,last_name,birth_year,phone,postal_code,municipality\n"


def run(*args: str) -> str:
    out = StringIO()
    call_command("households_dedupe", *args, stdout=out)
    return out.getvalue()


def test_prints_clusters_as_json(tmp_path: Path) -> None:
    path = tmp_path / "people.csv"
    path.write_text(
        "\ufeff"
        + HEADER  # a byte-order mark, as spreadsheets write it
        + "a7,Jean-François,Tremblay-Gagnon,1971,819-326-4444,J8C 2B4,Sainte-Agathe-des-Monts\n"
        + "a2,JF,Tremblay,1972,(819) 326-4444,j8c2b4,Ste-Agathe\n"
        + "a3,Marie,Tremblay,1955,819-326-9999,J8C 1A1,Ste-Agathe\n"
        + "a4,,,,,,\n",
        encoding="utf-8",
    )
    assert json.loads(run("--csv", str(path), "--json")) == {"clusters": [["a2", "a7"]]}


def test_without_json_prints_a_french_summary(tmp_path: Path) -> None:
    path = tmp_path / "people.csv"
    path.write_text(HEADER + "1,Bob,Roy,1950,8195551234,,\n2,Robert,Roy,1950,819-555-1234,,\n")
    output = run("--csv", str(path))
    assert "1, 2" in output
    assert "2 fiches lues : 1 groupes" in output


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"nom,prenom\nTremblay,Marie\n", "Colonnes manquantes : id, first_name"),
        (
            HEADER.encode() + b",Marie,Tremblay,,,,\n",
            "Ligne 2 : l'identifiant (colonne id) est vide",
        ),
        (HEADER.encode() + b"1,Marie,Roy,,,,\n1,Luc,Roy,,,,\n", "déjà utilisé à la ligne 2"),
        (HEADER.encode() + b"1,Marie,Roy,vers 50,,,\n", "n'est pas une année"),
        (HEADER.encode() + "1,Hélène,Côté,,,,\n".encode("latin-1"), "n'est pas en UTF-8"),
    ],
)
def test_bad_file_gives_a_clear_french_message(
    tmp_path: Path, content: bytes, message: str
) -> None:
    path = tmp_path / "people.csv"
    path.write_bytes(content)
    with pytest.raises(CommandError, match=re.escape(message)):
        run("--csv", str(path), "--json")


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="Fichier introuvable"):
        run("--csv", str(tmp_path / "absent.csv"))


def test_generate_writes_csv_and_truth_that_dedupe_reads(tmp_path: Path) -> None:
    out = tmp_path / "synthetic.csv"
    run("--generate", "300", "--out", str(out), "--seed", "4")
    with out.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 300
    with (tmp_path / "synthetic-truth.csv").open(encoding="utf-8") as fh:
        truth = {row["id"]: row["person"] for row in csv.DictReader(fh)}
    assert set(truth) == {row["id"] for row in rows}
    clusters = json.loads(run("--csv", str(out), "--json"))["clusters"]
    assert clusters  # the synthetic set has duplicates
    right = sum(len({truth[i] for i in group}) == 1 for group in clusters)
    assert right / len(clusters) >= 0.9
