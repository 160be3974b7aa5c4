"""`manage.py demo_load`: create the demo networks, organisations, sites and people, then a
year of the hub's logistics (receptions, stock, deliveries to members)."""

from django.core.management.base import BaseCommand, CommandError

from cordee.core.demo.load import DemoDataError, demo_load
from cordee.households.demo import households_demo_load
from cordee.logistics.demo import logistics_demo_load
from cordee.logistics.demo_recovery import recovery_demo_load
from cordee.people.demo import people_demo_load
from cordee.transport.demo import transport_demo_load


def _number(n: float) -> str:
    return f"{n:,.0f}".replace(",", "\u202f")  # fr-CA: a thin space between thousands


def _plural(n: int, singular: str, plural: str) -> str:
    # French: 0 and 1 take the singular.
    return f"{_number(n)} {singular if n < 2 else plural}"


class Command(BaseCommand):
    help = "Charge les données de démonstration (sans rien dupliquer si on relance)."

    def handle(self, *args: object, **options: object) -> None:
        try:
            summary = demo_load()
            logistics = logistics_demo_load()
            households = households_demo_load()
            recovery_demo_load()  # before transport: tours pick up the planned store pickups
            transport = transport_demo_load()
            people = people_demo_load()
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
        seconds = f"{logistics.seconds:.1f}".replace(".", ",")
        self.stdout.write(
            "Logistique du carrefour : "
            f"{_plural(logistics.receptions, 'réception', 'réceptions')}, "
            f"{_plural(logistics.lots, 'lot', 'lots')}, "
            f"{_plural(logistics.movements, 'mouvement de stock', 'mouvements de stock')}, "
            f"{_number(logistics.hub_stock_kg)} kg en entrepôt "
            f"({_plural(logistics.created, 'élément créé', 'éléments créés')}, "
            f"{seconds} s)."
        )
        self.stdout.write(
            "Ménages : "
            f"{_plural(households.households, 'ménage', 'ménages')}, "
            f"{_plural(households.visits, 'visite', 'visites')} sur un an, "
            f"{_plural(households.duplicates, 'inscription en double', 'inscriptions en double')} "
            f"entre comptoirs ({f'{households.seconds:.1f}'.replace('.', ',')} s)."
        )
        self.stdout.write(
            "Transport : "
            f"{_plural(transport.tours, 'tournée cette semaine', 'tournées cette semaine')}, "
            f"{_plural(transport.stops, 'arrêt', 'arrêts')} "
            f"({_plural(transport.warnings, 'tournée à vérifier', 'tournées à vérifier')})."
        )
        self.stdout.write(
            "Bénévoles : "
            f"{_plural(people.volunteers, 'bénévole', 'bénévoles')}, "
            f"{_plural(people.shifts, 'quart', 'quarts')}, "
            f"{_plural(people.signups, 'inscription', 'inscriptions')}, "
            f"{_plural(people.statements, 'relevé de poste', 'relevés de postes')} "
            f"({f'{people.seconds:.1f}'.replace('.', ',')} s)."
        )
