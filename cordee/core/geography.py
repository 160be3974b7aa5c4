"""Municipality reference data, from data/laurentides-municipalities.csv (committed)."""

import csv
from pathlib import Path
from typing import Any

from django.conf import settings

MUNICIPALITIES_CSV = Path(settings.BASE_DIR) / "data" / "laurentides-municipalities.csv"


def municipalities_load(model: Any, path: Path = MUNICIPALITIES_CSV) -> int:
    """Create or update every municipality of the file; returns how many rows were read.

    Takes the model class so that the data migration can pass its historical model.
    """
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    for row in rows:
        model.objects.update_or_create(
            name=row["name"].strip(),
            defaults={
                "geo_code": row["geo_code"].strip(),
                "latitude": float(row["lat"]),
                "longitude": float(row["lon"]),
                "population_2021": int(row["population_2021"]) if row["population_2021"] else None,
                "coords_checked": row["coords_checked"].strip() == "yes",
                "note": row["note"].strip(),
            },
        )
    return len(rows)
