"""`manage.py demo_logins`: the demo sign-ins that exist in the database, in French."""

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import translation

from cordee.core.demo.data import DEMO_PASSWORD
from cordee.core.demo.load import DemoLogin, demo_logins
from cordee.core.models import NetworkRole, Role

HEADERS = ("Courriel", "Organisme ou réseau", "Rôle")


def role_label(role: str) -> str:
    """The role's French label, from the same translations as the interface."""
    labels = {**dict(Role.choices), **dict(NetworkRole.Kind.choices)}
    with translation.override("fr-ca"):
        return str(labels.get(role, role))


class Command(BaseCommand):
    help = "Affiche les connexions de démonstration (courriel, mot de passe, organisme, rôle)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--json", action="store_true", help="Sortie JSON (pour les tests).")

    def handle(self, *args: object, **options: Any) -> None:
        logins = demo_logins()
        if options["json"]:
            entries = [
                {
                    "email": x.email,
                    "password": x.password,
                    "organisation": x.organisation,
                    "role": x.role,
                }
                for x in logins
            ]
            self.stdout.write(json.dumps(entries, ensure_ascii=False, indent=2))
        elif not logins:
            self.stdout.write(
                "Aucune donnée de démonstration. Lancez « make demo » "
                "ou « python manage.py demo_load »."
            )
        else:
            self._table(logins)

    def _table(self, logins: list[DemoLogin]) -> None:
        rows = []
        previous = ""
        for login in logins:
            # The e-mail only on a person's first line, so each person reads as one block.
            email = login.email if login.email != previous else ""
            rows.append((email, login.organisation, role_label(login.role)))
            previous = login.email
        widths = [max(len(row[i]) for row in [HEADERS, *rows]) for i in range(len(HEADERS))]
        self.stdout.write(f"Mot de passe (le même pour tout le monde) : {DEMO_PASSWORD}\n")
        for row in [HEADERS, tuple("-" * w for w in widths), *rows]:
            cells = (cell.ljust(width) for cell, width in zip(row, widths, strict=True))
            self.stdout.write("  ".join(cells).rstrip())
        english = sorted({x.email for x in logins if x.language == "en"})
        if english:
            self.stdout.write(f"\nInterface en anglais : {', '.join(english)}")
