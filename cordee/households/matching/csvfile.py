"""Reading people records from a CSV file (dedupe command, benchmark)."""

from __future__ import annotations

import csv
from pathlib import Path

from .normalise import PersonRecord, birth_year_normalise

COLUMNS = ("id", "first_name", "last_name", "birth_year", "phone", "postal_code", "municipality")


class PersonCsvError(ValueError):
    """A file that cannot be read; the message is in plain French, for the person running it."""


def read_person_csv(path: Path) -> list[PersonRecord]:
    try:
        # utf-8-sig: spreadsheets often start the file with a byte-order mark.
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError as error:
        raise PersonCsvError(f"Fichier introuvable : {path}") from error
    except IsADirectoryError as error:
        raise PersonCsvError(f"« {path} » est un dossier, pas un fichier CSV.") from error
    except UnicodeDecodeError as error:
        raise PersonCsvError(
            f"Le fichier « {path} » n'est pas en UTF-8. Enregistrez-le en « CSV UTF-8 » "
            "depuis votre tableur, puis recommencez."
        ) from error
    reader = csv.DictReader(text.splitlines())
    header = [name.strip() for name in reader.fieldnames or []]
    missing = [column for column in COLUMNS if column not in header]
    if missing:
        raise PersonCsvError(
            "La première ligne du fichier doit être l'en-tête "
            f"« {','.join(COLUMNS)} ». Colonnes manquantes : {', '.join(missing)}."
        )
    reader.fieldnames = header
    records: list[PersonRecord] = []
    first_line_of: dict[str, int] = {}
    for row in reader:
        line = reader.line_num
        values = {column: (row.get(column) or "").strip() for column in COLUMNS}
        record_id = values["id"]
        if not record_id:
            raise PersonCsvError(f"Ligne {line} : l'identifiant (colonne id) est vide.")
        if record_id in first_line_of:
            raise PersonCsvError(
                f"Ligne {line} : l'identifiant « {record_id} » est déjà utilisé "
                f"à la ligne {first_line_of[record_id]}."
            )
        first_line_of[record_id] = line
        year = birth_year_normalise(values["birth_year"])
        if values["birth_year"] and year is None:
            raise PersonCsvError(
                f"Ligne {line} : l'année de naissance « {values['birth_year']} » n'est pas "
                "une année (exemple : 1958). Laissez la case vide si vous ne la savez pas."
            )
        records.append(
            PersonRecord(
                id=record_id,
                first_name=values["first_name"],
                last_name=values["last_name"],
                birth_year=year,
                phone=values["phone"],
                postal_code=values["postal_code"],
                municipality=values["municipality"],
            )
        )
    return records
