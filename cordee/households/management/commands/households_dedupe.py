"""`manage.py households_dedupe`: find the people registered more than once in a CSV file.

manage.py households_dedupe --csv people.csv --json
manage.py households_dedupe --generate 100000 --out people.csv [--seed 2026]
"""

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cordee.households.matching import dedupe
from cordee.households.matching.csvfile import PersonCsvError, read_person_csv
from cordee.households.synthetic import generate


class Command(BaseCommand):
    help = (
        "Groups of ids judged to be the same person, from a CSV with the header "
        "id,first_name,last_name,birth_year,phone,postal_code,municipality; "
        "or write a synthetic noisy CSV (and its truth) with --generate."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--csv", type=Path, help="CSV file of people to dedupe.")
        parser.add_argument("--json", action="store_true", help='Print {"clusters": [...]}.')
        parser.add_argument("--generate", type=int, metavar="N", help="Write N synthetic rows.")
        parser.add_argument("--out", type=Path, help="Where --generate writes the CSV.")
        parser.add_argument("--seed", type=int, default=2026, help="Seed of --generate.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["generate"] is not None:
            self._generate(options["generate"], options["out"], options["seed"])
            return
        if options["csv"] is None:
            raise CommandError(
                "Indiquez le fichier à vérifier avec --csv CHEMIN (ou --generate N)."
            )
        try:
            records = read_person_csv(options["csv"])
        except PersonCsvError as error:
            raise CommandError(str(error)) from error
        clusters = dedupe(records)
        if options["json"]:
            self.stdout.write(json.dumps({"clusters": clusters}, ensure_ascii=False))
            return
        for group in clusters:
            self.stdout.write(", ".join(group))
        people = sum(len(group) for group in clusters)
        self.stdout.write(
            f"{len(records)} fiches lues : {len(clusters)} groupes de doublons probables "
            f"({people} fiches)."
        )

    def _generate(self, count: int, out: Path | None, seed: int) -> None:
        if count < 1:
            raise CommandError("--generate attend un nombre de fiches plus grand que 0.")
        if out is None:
            raise CommandError("Indiquez où écrire le fichier avec --out CHEMIN.")
        truth = out.with_name(out.stem + "-truth.csv")
        generate(count, seed=seed).write(out, truth)
        self.stdout.write(
            f"{count} fiches écrites dans {out} ; la vérité (id,person) dans {truth}."
        )
