"""`manage.py demo_load`: create the demo networks, organisations, sites and people."""

from django.core.management.base import BaseCommand, CommandError

from cordee.core.demo.load import DemoDataError, demo_load


def _plural(n: int, singular: str, plural: str) -> str:
    # French: 0 and 1 take the singular.
    return f"{n} {singular if n < 2 else plural}"


class Command(BaseCommand):
    help = "Charge les données de démonstration (sans rien dupliquer si on relance)."

    def handle(self, *args: object, **options: object) -> None:
        try:
            summary = demo_load()
        except DemoDataError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            "Données de démonstration : "
            f"{_plural(summary.networks, 'réseau', 'réseaux')}, "
            f"{_plural(summary.organisations, 'organisme', 'organismes')}, "
            f"{_plural(summary.sites, 'site', 'sites')}, "
            f"{_plural(summary.users, 'personne', 'personnes')} "
            f"({_plural(summary.created, 'élément créé', 'éléments créés')})."
        )
