"""The demo content, as plain data.

Real: the municipalities (loaded by migration) and the regional food bank in Blainville,
named only as the supplier, with no invented figures about it. Everything else is
fictional: organisations, stores, addresses, phone numbers (819-555-01xx) and people.
Natural keys (organisation and network slugs, site names within an organisation, user
e-mails) let the loader find what already exists, so loading twice changes nothing.
"""

from dataclasses import dataclass
from datetime import date

from ..models import Organisation, Role, Site

# One password for every demo account, printed by `demo_logins`. It passes the project's
# validators (length ≥ 10, not common, not numeric, not like the e-mails).
DEMO_PASSWORD = "cordee-demo-2026"  # public on purpose: printed by demo_logins
DEMO_EMAIL_DOMAIN = "cordee.example"  # reserved TLD: no mail can ever be delivered

FICTIONAL_NOTE = "Organisme fictif : données de démonstration."

MON, TUE, WED, THU, FRI, SAT, SUN = range(7)

Hours = tuple[int, str, str]  # (weekday, 0 = Monday; opens "HH:MM"; closes "HH:MM")
WORKING_DAYS = (MON, TUE, WED, THU, FRI)
EVERY_DAY = (*WORKING_DAYS, SAT, SUN)


def weekdays(opens: str, closes: str, days: tuple[int, ...] = WORKING_DAYS) -> tuple[Hours, ...]:
    return tuple((day, opens, closes) for day in days)


@dataclass(frozen=True)
class SiteSpec:
    name: str
    kind: str
    municipality: str
    address: str = ""
    postal_code: str = ""
    phone: str = ""  # blank: the organisation's phone
    fridge_kg: int = 0
    freezer_kg: int = 0
    dry_kg: int = 0
    hours: tuple[Hours, ...] = ()
    notes: str = ""
    coords: tuple[float, float] | None = None  # blank: near the municipality's centre


@dataclass(frozen=True)
class OrgSpec:
    slug: str
    name: str
    kind: str
    municipality: str
    sites: tuple[SiteSpec, ...]
    description: str = ""
    contact_name: str = ""
    email: str = ""
    phone: str = ""
    fictional: bool = True


@dataclass(frozen=True)
class MemberSpec:
    org: str  # organisation slug
    services: str
    joined_on: date


@dataclass(frozen=True)
class NetworkSpec:
    slug: str
    name: str
    description: str
    coordinator: str  # organisation slug
    members: tuple[MemberSpec, ...]


@dataclass(frozen=True)
class UserSpec:
    local_part: str  # the e-mail before @cordee.example
    full_name: str
    roles: tuple[tuple[str, str], ...]  # (organisation slug, Role)
    network_admin_of: tuple[str, ...] = ()  # network slugs
    language: str = "fr-ca"

    @property
    def email(self) -> str:
        return f"{self.local_part}@{DEMO_EMAIL_DOMAIN}"


K = Organisation.Kind
S = Site.Kind


def _plain(name: str) -> str:
    """A site name without the "(fictif)" mark: once, on the organisation, is enough."""
    return name.replace(" (fictif)", "")


# --- The food-security hub network -------------------------------------------------------

FOOD_BANK = OrgSpec(
    slug="moisson-laurentides",
    name="Moisson Laurentides",
    kind=K.FOOD_BANK,
    municipality="Blainville",
    description="Banque alimentaire régionale, fournisseur des organismes accrédités.",
    fictional=False,
    sites=(
        SiteSpec(
            "Entrepôt de Moisson Laurentides",
            S.WAREHOUSE,
            "Blainville",
            address="341, rue Legault",
            notes="Capacités et heures non renseignées dans la démonstration.",
        ),
    ),
)

HUB = OrgSpec(
    slug="carrefour",
    name="Carrefour alimentaire des Laurentides (fictif)",
    kind=K.HUB,
    municipality="Sainte-Agathe-des-Monts",
    description=(
        "Pôle de mutualisation : transport depuis Moisson Laurentides, récupération en "
        "supermarchés, comptoir mobile, intervention psychosociale."
    ),
    contact_name="Hélène Bergeron",
    email="info@carrefour-laurentides.example.org",
    phone="819-555-0100",
    sites=(
        SiteSpec(
            "Entrepôt du Carrefour",
            S.WAREHOUSE,
            "Sainte-Agathe-des-Monts",
            address="215, rue Principale Est",
            postal_code="J8C 1K4",
            fridge_kg=8_000,
            freezer_kg=6_000,
            dry_kg=25_000,
            hours=weekdays("08:00", "16:00"),
            notes="Quai de chargement à l'arrière; camion réfrigéré de 5 tonnes.",
        ),
        # The mobile counter: 4 stops serving 7 small municipalities.
        SiteSpec(
            "Comptoir mobile — Montcalm (Weir)",
            S.MOBILE_STOP,
            "Montcalm",
            address="Stationnement de la salle communautaire, Weir",
            hours=((MON, "10:00", "11:30"),),
            coords=(45.9450, -74.5494),
        ),
        SiteSpec(
            "Comptoir mobile — Arundel",
            S.MOBILE_STOP,
            "Arundel",
            address="Stationnement de l'église",
            hours=((MON, "13:00", "14:30"),),
            notes="Dessert aussi Barkmere.",
        ),
        SiteSpec(
            "Comptoir mobile — Huberdeau",
            S.MOBILE_STOP,
            "Huberdeau",
            address="Stationnement du bureau municipal",
            hours=((WED, "10:00", "11:30"),),
            notes="Dessert aussi Amherst.",
        ),
        SiteSpec(
            "Comptoir mobile — Lac-Supérieur",
            S.MOBILE_STOP,
            "Lac-Supérieur",
            address="Stationnement du centre communautaire",
            hours=((WED, "13:30", "15:00"),),
            notes="Dessert aussi Mont-Blanc (secteur Saint-Faustin).",
        ),
    ),
)

COUNTERS = (
    OrgSpec(
        slug="panier-des-monts",
        name="Le Panier des Monts",
        kind=K.FOOD_COUNTER,
        municipality="Sainte-Agathe-des-Monts",
        description="Comptoir alimentaire : paniers hebdomadaires et dépannage d'urgence.",
        contact_name="Louise Gingras",
        email="info@panierdesmonts.example.org",
        phone="819-555-0111",
        sites=(
            SiteSpec(
                "Comptoir Le Panier des Monts",
                S.COUNTER,
                "Sainte-Agathe-des-Monts",
                address="48, rue Saint-Vincent",
                postal_code="J8C 2A9",
                fridge_kg=600,
                freezer_kg=400,
                dry_kg=2_500,
                hours=((TUE, "13:00", "16:00"), (THU, "13:00", "16:00")),
            ),
        ),
    ),
    OrgSpec(
        slug="halte-nourriciere",
        name="La Halte nourricière",
        kind=K.FOOD_COUNTER,
        municipality="Val-David",
        description="Comptoir alimentaire de Val-David et de Val-Morin.",
        contact_name="Denis Ménard",
        email="bonjour@haltenourriciere.example.org",
        phone="819-555-0112",
        sites=(
            SiteSpec(
                "Halte nourricière — Val-David",
                S.COUNTER,
                "Val-David",
                address="1320, rue de l'Église",
                postal_code="J0T 2N0",
                fridge_kg=400,
                freezer_kg=300,
                dry_kg=1_800,
                hours=((WED, "09:00", "12:00"),),
            ),
            SiteSpec(
                "Halte nourricière — point de service de Val-Morin",
                S.COUNTER,
                "Val-Morin",
                address="6120, rue Morin (sous-sol de l'église)",
                postal_code="J0T 2R0",
                phone="819-555-0113",
                fridge_kg=150,
                freezer_kg=100,
                dry_kg=600,
                hours=((FRI, "13:00", "15:30"),),
            ),
        ),
    ),
    OrgSpec(
        slug="grenier-de-la-diable",
        name="Le Grenier de la Diable",
        kind=K.FOOD_COUNTER,
        municipality="Mont-Tremblant",
        description="Comptoir alimentaire de Mont-Tremblant et de La Conception.",
        contact_name="Mélanie Cloutier",
        email="comptoir@grenierdeladiable.example.org",
        phone="819-555-0114",
        sites=(
            SiteSpec(
                "Grenier de la Diable — Mont-Tremblant",
                S.COUNTER,
                "Mont-Tremblant",
                address="975, rue de Saint-Jovite",
                postal_code="J8E 3J8",
                fridge_kg=800,
                freezer_kg=600,
                dry_kg=3_000,
                hours=((TUE, "09:00", "12:00"), (THU, "13:00", "16:00")),
            ),
            SiteSpec(
                "Grenier de la Diable — point de service de La Conception",
                S.COUNTER,
                "La Conception",
                address="1371, rue Principale (salle municipale)",
                postal_code="J0T 1M0",
                phone="819-555-0115",
                fridge_kg=100,
                freezer_kg=80,
                dry_kg=400,
                hours=((WED, "13:00", "15:00"),),
            ),
        ),
    ),
    OrgSpec(
        slug="epi-solidaire",
        name="L'Épi solidaire",
        kind=K.FOOD_COUNTER,
        municipality="Labelle",
        description="Comptoir alimentaire de Labelle.",
        contact_name="Sophie Renaud",
        email="epi@episolidaire.example.org",
        phone="819-555-0116",
        sites=(
            SiteSpec(
                "Comptoir L'Épi solidaire",
                S.COUNTER,
                "Labelle",
                address="27, rue du Pont",
                postal_code="J0T 1H0",
                fridge_kg=350,
                freezer_kg=250,
                dry_kg=1_500,
                hours=((THU, "09:00", "12:00"),),
            ),
        ),
    ),
    OrgSpec(
        slug="garde-manger-du-lac",
        name="Le Garde-manger du lac",
        kind=K.FOOD_COUNTER,
        municipality="La Minerve",
        description="Petit comptoir alimentaire de La Minerve.",
        contact_name="Martin Giroux",
        email="gardemanger@lacminerve.example.org",
        phone="819-555-0117",
        sites=(
            SiteSpec(
                "Comptoir Le Garde-manger du lac",
                S.COUNTER,
                "La Minerve",
                address="8, chemin des Fondateurs",
                postal_code="J0T 1S0",
                fridge_kg=150,
                freezer_kg=120,
                dry_kg=700,
                hours=((TUE, "13:00", "15:30"),),
            ),
        ),
    ),
    OrgSpec(
        slug="partage-sainte-lucie",
        name="Partage Sainte-Lucie",
        kind=K.FOOD_COUNTER,
        municipality="Sainte-Lucie-des-Laurentides",
        description="Comptoir alimentaire de Sainte-Lucie-des-Laurentides et de Val-des-Lacs.",
        contact_name="Chantal Bédard",
        email="partage@saintelucie.example.org",
        phone="819-555-0118",
        sites=(
            SiteSpec(
                "Partage Sainte-Lucie — comptoir",
                S.COUNTER,
                "Sainte-Lucie-des-Laurentides",
                address="2121, chemin des Hauteurs",
                postal_code="J0T 2J0",
                fridge_kg=250,
                freezer_kg=200,
                dry_kg=1_000,
                hours=((MON, "13:00", "16:00"),),
            ),
            SiteSpec(
                "Partage Sainte-Lucie — point de service de Val-des-Lacs",
                S.COUNTER,
                "Val-des-Lacs",
                address="349, chemin du Val-des-Lacs (salle paroissiale)",
                postal_code="J0T 2P0",
                phone="819-555-0119",
                fridge_kg=80,
                freezer_kg=60,
                dry_kg=300,
                hours=((THU, "13:00", "15:30"),),
            ),
        ),
    ),
    OrgSpec(
        slug="coffre-a-provisions",
        name="Le Coffre à provisions",
        kind=K.FOOD_COUNTER,
        municipality="Brébeuf",
        description="Comptoir alimentaire de Brébeuf.",
        contact_name="Luc Aubin",
        email="coffre@brebeuf.example.org",
        phone="819-555-0120",
        sites=(
            SiteSpec(
                "Comptoir Le Coffre à provisions",
                S.COUNTER,
                "Brébeuf",
                address="217, route 323",
                postal_code="J0T 1B0",
                fridge_kg=120,
                freezer_kg=100,
                dry_kg=500,
                hours=((FRI, "09:00", "12:00"),),
            ),
        ),
    ),
    OrgSpec(
        slug="chaudron-collectif",
        name="Le Chaudron collectif",
        kind=K.COLLECTIVE_KITCHEN,
        municipality="Sainte-Agathe-des-Monts",
        description="Cuisine collective et repas communautaires à prix modique.",
        contact_name="Patrice Vaillancourt",
        email="cuisine@chaudroncollectif.example.org",
        phone="819-555-0121",
        sites=(
            SiteSpec(
                "Cuisine du Chaudron collectif",
                S.KITCHEN,
                "Sainte-Agathe-des-Monts",
                address="112, rue Sainte-Agathe",
                postal_code="J8C 2J7",
                fridge_kg=200,
                freezer_kg=150,
                dry_kg=400,
                hours=((MON, "09:00", "13:00"), (WED, "09:00", "13:00")),
            ),
        ),
    ),
    OrgSpec(
        slug="mains-a-la-pate",
        name="Les Mains à la pâte",
        kind=K.COLLECTIVE_KITCHEN,
        municipality="Mont-Tremblant",
        description="Cuisine collective : groupes de cuisine et ateliers pour familles.",
        contact_name="Manon Séguin",
        email="ateliers@mainsalapate.example.org",
        phone="819-555-0122",
        sites=(
            SiteSpec(
                "Cuisine Les Mains à la pâte",
                S.KITCHEN,
                "Mont-Tremblant",
                address="1145, rue Labelle",
                postal_code="J8E 2W4",
                fridge_kg=150,
                freezer_kg=100,
                dry_kg=300,
                hours=((THU, "09:00", "13:00"),),
            ),
        ),
    ),
    OrgSpec(
        slug="marmite-de-lantier",
        name="La Marmite de Lantier",
        kind=K.COLLECTIVE_KITCHEN,
        municipality="Lantier",
        description="Cuisine collective de Lantier; repas livrés aux aînés isolés.",
        contact_name="Yves Laberge",
        email="marmite@lantier.example.org",
        phone="819-555-0123",
        sites=(
            SiteSpec(
                "Cuisine La Marmite",
                S.KITCHEN,
                "Lantier",
                address="118, chemin du Village",
                postal_code="J0T 1V0",
                fridge_kg=100,
                freezer_kg=80,
                dry_kg=200,
                hours=((TUE, "09:00", "12:30"),),
            ),
        ),
    ),
)


def _store(
    slug: str, name: str, municipality: str, address: str, postal: str, phone_nn: int
) -> OrgSpec:
    return OrgSpec(
        slug=slug,
        name=name,
        kind=K.STORE,
        municipality=municipality,
        description="Magasin partenaire du programme de récupération en supermarchés.",
        contact_name="Direction du magasin",
        email=f"magasin@{slug}.example.org",
        phone=f"819-555-01{phone_nn:02d}",
        sites=(
            SiteSpec(
                _plain(name),
                S.STORE,
                municipality,
                address=address,
                postal_code=postal,
                hours=weekdays("08:00", "21:00", EVERY_DAY),
                notes="Cueillette PRS à la porte de réception; viandes congelées avant la date.",
            ),
        ),
    )


# Fictional store names on purpose: no real banner or brand.
STORES = (
    _store(
        "marche-des-cimes",
        "Marché des Cimes (fictif)",
        "Sainte-Agathe-des-Monts",
        "400, rue Principale Ouest",
        "J8C 1B2",
        31,
    ),
    _store(
        "epicerie-du-village-val-david",
        "Épicerie du Village Val-David (fictif)",
        "Val-David",
        "2480, rue de l'Église",
        "J0T 2N0",
        32,
    ),
    _store(
        "supermarche-le-boise",
        "Supermarché Le Boisé (fictif)",
        "Mont-Tremblant",
        "530, rue de Saint-Jovite",
        "J8E 2Z9",
        33,
    ),
    _store(
        "coop-de-la-rouge",
        "Coop alimentaire de la Rouge (fictif)",
        "Labelle",
        "7, rue Allard",
        "J0T 1H0",
        34,
    ),
)

# --- The homelessness coalition ----------------------------------------------------------


def _office(
    slug: str,
    name: str,
    where: tuple[str, str, str],  # (municipality, address, postal code)
    description: str,
    contact_name: str,
    phone_nn: int,  # the phone is 819-555-01NN
    kind: str = K.OTHER,
) -> OrgSpec:
    municipality, address, postal = where
    return OrgSpec(
        slug=slug,
        name=name,
        kind=kind,
        municipality=municipality,
        description=description,
        contact_name=contact_name,
        email=f"info@{slug}.example.org",
        phone=f"819-555-01{phone_nn:02d}",
        sites=(SiteSpec(f"Bureau — {_plain(name)}", S.OFFICE, municipality, address, postal),),
    )


COALITION = (
    _office(
        "regroupement-itinerance",
        "Regroupement itinérance Laurentides (fictif)",
        ("Mont-Blanc", "1, rue de la Gare", "J0T 1J3"),
        "Organisme coordonnateur de la concertation régionale en itinérance.",
        "Josée Lachance",
        41,
        kind=K.COALITION,
    ),
    _office(
        "refuge-du-nord",
        "Le Refuge du Nord",
        ("Sainte-Agathe-des-Monts", "75, rue Larocque Ouest", "J8C 1A3"),
        "Hébergement d'urgence et de transition.",
        "Francine Tessier",
        42,
    ),
    _office(
        "boussole",
        "Centre de jour La Boussole",
        ("Mont-Tremblant", "610, rue Charbonneau", "J8E 3H4"),
        "Centre de jour : accueil, repas, douches, accompagnement.",
        "Éric Lafleur",
        43,
    ),
    _office(
        "sentiers",
        "Travail de rue Les Sentiers",
        ("Val-David", "2300, rue de l'Église, local 4", "J0T 2N0"),
        "Travail de rue et de milieu dans les villages.",
        "Julie Boisvert",
        44,
    ),
    _office(
        "tremplin",
        "Habitations Le Tremplin",
        ("Labelle", "150, rue du Collège", "J0T 1H0"),
        "Logements de transition avec soutien communautaire.",
        "Pierre-Luc Gendron",
        45,
    ),
    _office(
        "fanal",
        "Halte-chaleur Le Fanal",
        ("Sainte-Agathe-des-Monts", "30, rue Préfontaine Est", "J8C 1R2"),
        "Halte-chaleur de nuit, de novembre à avril.",
        "Nathalie Bastien",
        46,
    ),
    _office(
        "escale",
        "Maison de répit L'Escale",
        ("Val-Morin", "5800, rue Morin", "J0T 2R0"),
        "Répit et prévention de la perte de logement.",
        "Benoît Charron",
        47,
    ),
)

ORGANISATIONS: tuple[OrgSpec, ...] = (FOOD_BANK, HUB, *COUNTERS, *STORES, *COALITION)

NETWORKS = (
    NetworkSpec(
        slug="reseau-solidarite-nord",
        name="Réseau Solidarité Nord",
        description=(
            "Réseau fictif de sécurité alimentaire de la MRC des Laurentides : les membres "
            "mettent en commun le transport, l'entreposage, la récupération en supermarchés "
            "et le comptoir mobile."
        ),
        coordinator="carrefour",
        members=(
            MemberSpec(
                "carrefour",
                "Coordination, entrepôt, transport réfrigéré, "
                "comptoir mobile, intervention psychosociale",
                date(2018, 4, 1),
            ),
            MemberSpec("moisson-laurentides", "Fournisseur régional", date(2018, 4, 1)),
            MemberSpec(
                "panier-des-monts",
                "Comptoir alimentaire, livraisons du carrefour",
                date(2018, 4, 1),
            ),
            MemberSpec(
                "halte-nourriciere",
                "Comptoir alimentaire, livraisons du carrefour",
                date(2018, 9, 1),
            ),
            MemberSpec(
                "grenier-de-la-diable",
                "Comptoir alimentaire, livraisons du carrefour, intervention psychosociale",
                date(2019, 1, 15),
            ),
            MemberSpec(
                "epi-solidaire", "Comptoir alimentaire, livraisons du carrefour", date(2019, 6, 1)
            ),
            MemberSpec(
                "garde-manger-du-lac",
                "Comptoir alimentaire, livraisons du carrefour",
                date(2020, 3, 1),
            ),
            MemberSpec(
                "partage-sainte-lucie", "Comptoir alimentaire, comptoir mobile", date(2020, 9, 1)
            ),
            MemberSpec(
                "coffre-a-provisions",
                "Comptoir alimentaire, livraisons du carrefour",
                date(2021, 2, 1),
            ),
            MemberSpec(
                "chaudron-collectif", "Cuisine collective, repas communautaires", date(2019, 1, 15)
            ),
            MemberSpec("mains-a-la-pate", "Cuisine collective", date(2021, 9, 1)),
            MemberSpec(
                "marmite-de-lantier", "Cuisine collective, livraison de repas", date(2022, 5, 1)
            ),
            *(
                MemberSpec(store.slug, "Récupération en supermarché (PRS)", date(2019, 5, 1))
                for store in STORES
            ),
        ),
    ),
    NetworkSpec(
        slug="concertation-itinerance",
        name="Concertation régionale en itinérance des Laurentides (fictif)",
        description=(
            "Concertation fictive des organismes en itinérance : veille médiatique, partage "
            "de documents, projets communs et représentation régionale."
        ),
        coordinator="regroupement-itinerance",
        members=(
            MemberSpec(
                "regroupement-itinerance", "Coordination, veille médiatique", date(2016, 10, 1)
            ),
            MemberSpec("refuge-du-nord", "Hébergement d'urgence", date(2016, 10, 1)),
            MemberSpec("boussole", "Centre de jour", date(2017, 3, 1)),
            MemberSpec("sentiers", "Travail de rue", date(2017, 3, 1)),
            MemberSpec("tremplin", "Logement de transition", date(2018, 1, 1)),
            MemberSpec("fanal", "Halte-chaleur hivernale", date(2020, 11, 1)),
            MemberSpec("escale", "Répit, prévention de la perte de logement", date(2021, 4, 1)),
            # The same kitchen belongs to both networks.
            MemberSpec(
                "chaudron-collectif", "Repas communautaires à prix modique", date(2022, 1, 15)
            ),
        ),
    ),
)

R = Role

# Synthetic people. Every organisation role appears at least once, plus network admins,
# one person in two organisations and one English-speaking person.
USERS = (
    UserSpec("admin.carrefour", "Hélène Bergeron", (("carrefour", R.ORG_ADMIN),)),
    UserSpec(
        "reseau.carrefour",
        "Sylvain Brisebois",
        (("carrefour", R.COORDINATOR),),
        network_admin_of=("reseau-solidarite-nord",),
    ),
    UserSpec("personnel.carrefour", "Nadia Ouellet", (("carrefour", R.STAFF),)),
    UserSpec("chauffeur.carrefour", "Réjean Paquette", (("carrefour", R.DRIVER),)),
    UserSpec("intervenante.carrefour", "Annie Thériault", (("carrefour", R.INTERVENANT),)),
    UserSpec("benevole.carrefour", "Gisèle Lavallée", (("carrefour", R.VOLUNTEER),)),
    UserSpec("lecture.carrefour", "Marc-André Dufresne", (("carrefour", R.VIEWER),)),
    UserSpec("admin.panier", "Louise Gingras", (("panier-des-monts", R.ORG_ADMIN),)),
    UserSpec("benevole.panier", "Gilles Beauchemin", (("panier-des-monts", R.VOLUNTEER),)),
    UserSpec(
        "coordination.grenier",
        "Mélanie Cloutier",
        (("grenier-de-la-diable", R.COORDINATOR), ("carrefour", R.VOLUNTEER)),
    ),
    UserSpec(
        "staff.grenier",
        "Heather Whitcombe",
        (("grenier-de-la-diable", R.STAFF),),
        language="en",
    ),
    UserSpec("admin.chaudron", "Patrice Vaillancourt", (("chaudron-collectif", R.ORG_ADMIN),)),
    UserSpec(
        "admin.concertation",
        "Josée Lachance",
        (("regroupement-itinerance", R.ORG_ADMIN),),
        network_admin_of=("concertation-itinerance",),
    ),
    UserSpec(
        "coordination.concertation",
        "Vincent Provost",
        (("regroupement-itinerance", R.COORDINATOR),),
    ),
    UserSpec("intervenant.boussole", "Karim Benali", (("boussole", R.INTERVENANT),)),
    UserSpec("admin.refuge", "Francine Tessier", (("refuge-du-nord", R.ORG_ADMIN),)),
)
