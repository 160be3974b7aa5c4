"""A seeded generator of noisy people records with ground truth, for tests and the benchmark.

People live in households (shared surname, phone, postal code, municipality) spread over
the MRC des Laurentides. Names follow Québec's frequency (a few surnames and first names
are very common, so many distinct people share a name and birth year: the hard negatives).
Some people are registered again (at another counter) with realistic noise: typos, missing
accents, capitals, swapped boxes, nicknames, half of a compound surname dropped, phone
formats and slips, birth year ±1, missing fields, municipality spellings.
"""

from __future__ import annotations

import csv
import random
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

# Frequent Québec surnames, roughly by frequency (weights ≈ per mille of the population).
_FREQUENT_SURNAMES = [
    ("Tremblay", 11),
    ("Gagnon", 8),
    ("Roy", 7.5),
    ("Côté", 6),
    ("Bouchard", 5.5),
    ("Gauthier", 5),
    ("Morin", 5),
    ("Lavoie", 4.5),
    ("Fortin", 4.5),
    ("Gagné", 4.5),
    ("Ouellet", 4),
    ("Pelletier", 4),
    ("Bélanger", 4),
    ("Lévesque", 3.8),
    ("Bergeron", 3.7),
    ("Leblanc", 3.5),
    ("Paquette", 3.4),
    ("Girard", 3.3),
    ("Simard", 3.3),
    ("Boucher", 3.2),
    ("Caron", 3),
    ("Beaulieu", 3),
    ("Cloutier", 3),
    ("Dubé", 3),
    ("Poirier", 2.9),
    ("Fournier", 2.8),
    ("Lapointe", 2.8),
    ("Leclerc", 2.7),
    ("Lefebvre", 2.7),
    ("Poulin", 2.7),
    ("Thibault", 2.6),
    ("St-Pierre", 2.6),
    ("Nadeau", 2.6),
    ("Martin", 2.6),
    ("Landry", 2.5),
    ("Martel", 2.5),
    ("Bédard", 2.5),
    ("Grenier", 2.5),
    ("Lessard", 2.4),
    ("Bernier", 2.4),
    ("Richard", 2.4),
    ("Michaud", 2.4),
    ("Hébert", 2.3),
    ("Desjardins", 2.3),
    ("Couture", 2.3),
    ("Turcotte", 2.2),
    ("Lachance", 2.2),
    ("Parent", 2.2),
    ("Blais", 2.2),
    ("Gosselin", 2.2),
    ("Savard", 2.1),
    ("Proulx", 2.1),
    ("Beaudoin", 2.1),
    ("Demers", 2.1),
    ("Perreault", 2.1),
    ("Boudreau", 2),
    ("Lemieux", 2),
    ("Cyr", 2),
    ("Perron", 2),
    ("Dufour", 2),
    ("Dion", 2),
    ("Mercier", 2),
    ("Bolduc", 2),
    ("Bérubé", 1.9),
    ("Boisvert", 1.9),
    ("Langlois", 1.9),
    ("Ménard", 1.9),
    ("Therrien", 1.9),
    ("Plante", 1.9),
    ("Bilodeau", 1.9),
    ("Blanchette", 1.8),
    ("Champagne", 1.8),
    ("Paradis", 1.8),
    ("Fortier", 1.8),
    ("Arsenault", 1.8),
    ("Dupuis", 1.7),
    ("Gingras", 1.7),
    ("Guay", 1.7),
    ("Lambert", 1.7),
    ("Labelle", 1.7),
    ("Charbonneau", 1.6),
    ("Lalonde", 1.6),
    ("Nault", 1.6),
    ("Marcoux", 1.5),
    ("Ouellette", 1.5),
    ("D'Amours", 1.0),
    ("Pépin", 1.4),
    ("Vaillancourt", 1.4),
    ("Charron", 1.4),
    ("Brisson", 1.4),
    ("Séguin", 1.4),
    ("De Grandpré", 0.5),
    ("Lacroix", 1.4),
    ("Robitaille", 1.3),
    ("Labrecque", 1.3),
]
_LESS_COMMON_SURNAMES = [
    "Allard",
    "Archambault",
    "Auclair",
    "Aubin",
    "Audet",
    "Bazinet",
    "Beauchamp",
    "Beauchemin",
    "Beaudry",
    "Beausoleil",
    "Bégin",
    "Bellemare",
    "Benoit",
    "Bertrand",
    "Bessette",
    "Bisson",
    "Boily",
    "Bolduc",
    "Bonin",
    "Boulanger",
    "Bourassa",
    "Bourque",
    "Brassard",
    "Breton",
    "Brochu",
    "Brodeur",
    "Brunet",
    "Cadieux",
    "Carrier",
    "Chabot",
    "Chartrand",
    "Chevrier",
    "Chouinard",
    "Clément",
    "Corbeil",
    "Cormier",
    "Courchesne",
    "Cousineau",
    "Croteau",
    "Cusson",
    "Daigle",
    "Daoust",
    "Deschamps",
    "Deslauriers",
    "Desrosiers",
    "Dionne",
    "Drouin",
    "Dubois",
    "Dufresne",
    "Dugas",
    "Duguay",
    "Duhamel",
    "Dumais",
    "Dumont",
    "Dupont",
    "Duval",
    "Faucher",
    "Ferland",
    "Filion",
    "Forget",
    "Fréchette",
    "Gaudreault",
    "Gendron",
    "Germain",
    "Giguère",
    "Gilbert",
    "Godin",
    "Goulet",
    "Goyette",
    "Grégoire",
    "Guérin",
    "Guillemette",
    "Hamel",
    "Harvey",
    "Hudon",
    "Jacques",
    "Jean",
    "Jolicoeur",
    "Joly",
    "Lacasse",
    "Lafleur",
    "Lafontaine",
    "Lajoie",
    "Laliberté",
    "Lamarche",
    "Lamontagne",
    "Landreville",
    "Langevin",
    "Lanoie",
    "Laplante",
    "Larivière",
    "Laroche",
    "Larose",
    "Lauzon",
    "Lavallée",
    "Leduc",
    "Legault",
    "Léger",
    "Lemay",
    "Lemire",
    "Lepage",
    "Lévêque",
    "Loiselle",
    "Marchand",
    "Massé",
    "Mathieu",
    "Ménard",
    "Meunier",
    "Migneault",
    "Miron",
    "Moreau",
    "Morissette",
    "Nadon",
    "Noël",
    "Paiement",
    "Paquin",
    "Pellerin",
    "Péloquin",
    "Picard",
    "Pilon",
    "Poitras",
    "Pouliot",
    "Provencher",
    "Quesnel",
    "Racine",
    "Raymond",
    "Renaud",
    "Rioux",
    "Rivard",
    "Robert",
    "Rochon",
    "Rousseau",
    "Rheault",
    "Sabourin",
    "Sauvé",
    "Sénécal",
    "Sirois",
    "Tessier",
    "Théberge",
    "Thériault",
    "Tousignant",
    "Trudel",
    "Vachon",
    "Vallée",
    "Veilleux",
    "Villeneuve",
    "Vézina",
    "Wojcik",
    "Nguyen",
    "Tran",
    "Diallo",
    "Haddad",
    "Khoury",
    "Smith",
    "Campbell",
    "MacDonald",
    "Murphy",
    "Kelly",
    "Morales",
]

# Québec has thousands of rarer surnames: a long tail built from common French roots, so
# that the frequent names above keep their real share (about a quarter of the population).
_ROOTS = "Beau Bel Bon Bou Char Chau Des Du Fon Gau Gros La Le Mar Mont Pa Ro Ri Sau Ver Vil"
_ENDINGS = (
    "champ chêne court det lieu mont ville lard reau tier nier rin bert vais zon gny lin card "
    "mard quin"
)
_TAIL_SURNAMES = [root + ending for root in _ROOTS.split() for ending in _ENDINGS.split()]

_FIRST_NAMES = {
    # (sex, cohort): names ≈ by frequency; cohorts: born < 1970, 1970–1994, 1995 and later
    ("f", 0): "Marie Louise Lise Monique Nicole Francine Suzanne Diane Jacqueline Ginette "
    "Gisèle Denise Thérèse Huguette Lucie Carole Claudette Pierrette Rita Micheline Jeannine "
    "Hélène Céline Jocelyne Yolande Raymonde Réjeanne Colette Louiselle Madeleine",
    ("m", 0): "Jean Pierre Michel Claude André Gilles Réjean Jacques Robert Gaston Guy Marcel "
    "Yvon Normand Roger Denis Serge Gérard Raymond Richard Daniel Jean-Guy Jean-Claude Roland "
    "Jean-Marc Fernand Maurice Lucien Gaétan Benoît Léo Alain Luc Paul Jean-Pierre",
    ("f", 1): "Isabelle Nathalie Julie Mélanie Caroline Stéphanie Marie-Ève Véronique Annie "
    "Catherine Karine Valérie Sophie Geneviève Josée Marie-Claude Chantal Manon Sylvie Johanne "
    "Martine Émilie Audrey Marie-Josée Anne-Marie Mélissa Amélie Nancy Isabel Patricia",
    ("m", 1): "Martin Stéphane Sébastien Patrick Éric Mathieu François Jean-François David "
    "Daniel Alexandre Maxime Dominique Simon Marc-André Nicolas Jonathan Frédéric Sylvain "
    "Yannick Pascal Steve Christian Jean-Philippe Guillaume Benoît Pierre-Luc Robert Carl Luc",
    ("f", 2): "Léa Emma Rosalie Florence Alice Juliette Jade Camille Olivia Charlotte Béatrice "
    "Zoé Laurence Maëlle Mia Chloé Sarah Coralie Gabrielle Marianne Noémie Éléonore Livia "
    "Clara Alexandra Justine Maude Océane Ève Mégane",
    ("m", 2): "William Thomas Liam Jacob Noah Nathan Olivier Samuel Félix Logan Raphaël "
    "Gabriel Émile Léo Édouard Charles Zachary Antoine Xavier Alexis Mathis Benjamin Louis "
    "Vincent Adam Arthur Éloi Anthony Jérémy Tristan",
}

_NICKNAME_OF = {
    "Robert": ["Bob"],
    "Catherine": ["Cathy"],
    "Jean-François": ["JF", "J.-F."],
    "Marie-Ève": ["Marieve"],
    "Jean-Philippe": ["JP"],
    "Marie-Claude": ["MC"],
    "Marie-Josée": ["MJ"],
    "Alexandre": ["Alex"],
    "Alexandra": ["Alex"],
    "Nicolas": ["Nico"],
    "Stéphanie": ["Steph"],
    "Stéphane": ["Steph"],
    "Frédéric": ["Fred"],
    "Sébastien": ["Seb"],
    "Maxime": ["Max"],
    "Daniel": ["Dan"],
    "William": ["Will"],
    "Richard": ["Rick"],
    "Gabrielle": ["Gaby"],
    "Thomas": ["Tom"],
    "Samuel": ["Sam"],
    "Valérie": ["Val"],
    "Véronique": ["Véro"],
    "Caroline": ["Caro"],
    "Isabelle": ["Isa"],
    "Jacques": ["Jack"],
    "Suzanne": ["Suzie"],
    "Patrick": ["Pat"],
    "Jean-Sébastien": ["JS"],
    "Pierre-Luc": ["PL"],
    "Anthony": ["Tony"],
    "Nathalie": ["Nat"],
    "Benjamin": ["Ben"],
    "Charles": ["Charlie"],
}

# municipality → (weight ≈ population, postal codes): towns have many codes, villages one or
# two rural codes (J0T …) shared by everybody.
_MUNICIPALITIES = [
    ("Sainte-Agathe-des-Monts", 11211, "J8C", 120),
    ("Mont-Tremblant", 10992, "J8E", 110),
    ("Val-David", 5558, "J0T", 2),
    ("Mont-Blanc", 3780, "J0T", 2),
    ("Val-Morin", 3123, "J0T", 1),
    ("Labelle", 2765, "J0T", 1),
    ("Lac-Supérieur", 1972, "J0T", 1),
    ("Amherst", 1728, "J0T", 2),
    ("La Conception", 1527, "J0T", 1),
    ("Sainte-Lucie-des-Laurentides", 1445, "J0T", 1),
    ("La Minerve", 1205, "J0T", 1),
    ("Brébeuf", 1009, "J0T", 1),
    ("Huberdeau", 863, "J0T", 1),
    ("Lantier", 834, "J0T", 1),
    ("Val-des-Lacs", 721, "J0T", 1),
    ("Montcalm", 632, "J0T", 1),
    ("Arundel", 578, "J0V", 1),
    ("Ivry-sur-le-Lac", 391, "J0T", 1),
    ("Barkmere", 81, "J0T", 1),
]
_SPELLINGS = {
    "Sainte-Agathe-des-Monts": ["Ste-Agathe-des-Monts", "Ste-Agathe", "STE AGATHE DES MONTS"],
    "Sainte-Lucie-des-Laurentides": ["Ste-Lucie-des-Laurentides", "Ste-Lucie"],
    "Mont-Blanc": ["St-Faustin–Lac-Carré", "Saint-Faustin", "Mont Blanc"],
    "Mont-Tremblant": ["Mont Tremblant", "St-Jovite", "MONT-TREMBLANT"],
    "Lac-Supérieur": ["Lac Superieur", "Lac-Superieur"],
    "Brébeuf": ["Brebeuf"],
    "Val-David": ["Val David"],
    "Val-Morin": ["Val Morin"],
    "Val-des-Lacs": ["Val des Lacs"],
    "Ivry-sur-le-Lac": ["Ivry"],
    "Montcalm": ["Weir"],
}
_AREA_CODES = ("819", "819", "819", "873", "450")
_LETTERS = "ABCEGHJKLMNPRSTVWXYZ"
_ACCENTS = str.maketrans("éèêëàâäîïôöûüùçÉÈÊÀÂÎÔÛÇœ", "eeeeaaaiioouuucEEEAAIOUCo")


@dataclass
class SyntheticSet:
    rows: list[dict[str, str]]  # CSV rows (id, first_name, …)
    entity_of: dict[str, int]  # id → person number: the ground truth

    def true_clusters(self) -> list[list[str]]:
        groups: dict[int, list[str]] = {}
        for record_id, entity in self.entity_of.items():
            groups.setdefault(entity, []).append(record_id)
        return sorted(sorted(g) for g in groups.values() if len(g) >= 2)

    def write(self, csv_path: Path, truth_path: Path | None = None) -> None:
        fields = ["id", "first_name", "last_name", "birth_year", "phone", "postal_code"]
        with csv_path.open("w", encoding="utf-8", newline="") as fh:
            writer = csv.DictWriter(fh, fieldnames=[*fields, "municipality"])
            writer.writeheader()
            writer.writerows(self.rows)
        if truth_path is not None:
            with truth_path.open("w", encoding="utf-8", newline="") as fh:
                writer_truth = csv.writer(fh)
                writer_truth.writerow(["id", "person"])
                for row in self.rows:
                    writer_truth.writerow([row["id"], self.entity_of[row["id"]]])


@dataclass
class _Person:
    entity: int
    first: str
    last: str
    birth_year: int | None
    phone: str  # 10 digits or ""
    postal: str  # "J8C2B4" or ""
    municipality: str


class _Generator:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        surnames = [(n, float(w)) for n, w in _FREQUENT_SURNAMES]
        surnames += [(n, 0.8) for n in dict.fromkeys(_LESS_COMMON_SURNAMES)]
        surnames += [(n, 1.2) for n in _TAIL_SURNAMES if n not in _LESS_COMMON_SURNAMES]
        self.surnames = [n for n, _ in surnames]
        self.surname_weights = [w for _, w in surnames]
        self.firsts = {key: names.split() for key, names in _FIRST_NAMES.items()}
        # Zipf-like weights: the first names of each list are much more frequent.
        self.first_weights = {
            key: [1 / (r + 12) for r in range(len(v))] for key, v in self.firsts.items()
        }
        self.postal_pools = {
            name: [self._postal(fsa) for _ in range(codes)]
            for name, _, fsa, codes in _MUNICIPALITIES
        }
        self.used_phones: set[str] = set()
        self.entity = 0

    def _postal(self, fsa: str) -> str:
        r = self.rng
        return f"{fsa}{r.randint(1, 9)}{r.choice(_LETTERS)}{r.randint(0, 9)}"

    def surname(self) -> str:
        return self.rng.choices(self.surnames, self.surname_weights)[0]

    def first_name(self, sex: str, year: int) -> str:
        cohort = 0 if year < 1970 else 1 if year < 1995 else 2
        key = (sex, cohort)
        return self.rng.choices(self.firsts[key], self.first_weights[key])[0]

    def phone(self) -> str:
        while True:
            number = self.rng.choice(_AREA_CODES) + str(self.rng.randint(2_000_000, 9_999_999))
            if number not in self.used_phones:
                self.used_phones.add(number)
                return number

    def person(self, first: str, last: str, year: int | None, home: dict[str, str]) -> _Person:
        self.entity += 1
        return _Person(
            self.entity, first, last, year, home["phone"], home["postal"], home["municipality"]
        )

    def household(self) -> list[_Person]:
        r = self.rng
        municipality = r.choices(_MUNICIPALITIES, [m[1] for m in _MUNICIPALITIES])[0][0]
        home = {
            "phone": self.phone() if r.random() < 0.88 else "",
            "postal": r.choice(self.postal_pools[municipality]) if r.random() < 0.95 else "",
            "municipality": municipality,
        }
        head_year = r.randint(1935, 2003)
        head_sex = r.choice("fm")
        head_last = self.surname()
        people = [self.person(self.first_name(head_sex, head_year), head_last, head_year, home)]
        kind = r.random()
        partner_last = head_last
        if kind < 0.45:  # couple
            partner_year = head_year + r.randint(-6, 6)
            partner_last = head_last if r.random() < 0.25 else self.surname()
            partner_sex = "m" if head_sex == "f" else "f"
            people.append(
                self.person(
                    self.first_name(partner_sex, partner_year), partner_last, partner_year, home
                )
            )
        if kind < 0.7 and 1960 <= head_year <= 1995:  # children
            child_years: set[int] = set()
            for _ in range(r.choice((1, 1, 2, 2, 3, 4))):
                year = min(2024, head_year + r.randint(20, 40))
                if year in child_years:
                    continue  # no twins: they are rare and need more than this file to tell
                child_years.add(year)
                if year >= 1980 and partner_last != head_last and r.random() < 0.2:
                    last = f"{head_last}-{partner_last}"
                else:
                    last = head_last
                sex = r.choice("fm")
                first = self.first_name(sex, year)
                if r.random() < 0.03 and sex == head_sex:
                    first = people[0].first  # the son named after his father
                elif any(p.first == first for p in people):
                    continue  # parents do not give two children the same name
                people.append(self.person(first, last, year, home))
        for person in people:  # a few people leave the birth year blank
            if r.random() < 0.03:
                person.birth_year = None
        return people

    def namesake(self, of: _Person) -> _Person:
        """Somebody else with the same name (and often the same birth year)."""
        r = self.rng
        municipality = r.choices(_MUNICIPALITIES, [m[1] for m in _MUNICIPALITIES])[0][0]
        home = {
            "phone": self.phone() if r.random() < 0.88 else "",
            "postal": r.choice(self.postal_pools[municipality]),
            "municipality": municipality,
        }
        year = (
            of.birth_year
            if r.random() < 0.5 or of.birth_year is None
            else of.birth_year + r.randint(-15, 15)
        )
        return self.person(of.first, of.last, year, home)

    # --- noise -------------------------------------------------------------------------

    def typo(self, text: str) -> str:
        r = self.rng
        if len(text) < 4:
            return text
        i = r.randint(1, len(text) - 2)
        action = r.random()
        if action < 0.3:
            return text[:i] + text[i + 1 :]
        if action < 0.55:
            return text[:i] + text[i + 1] + text[i] + text[i + 2 :]
        if action < 0.8:
            return text[:i] + r.choice("aeinorstul") + text[i + 1 :]
        return text[:i] + text[i] + text[i:]

    def phone_format(self, digits: str) -> str:
        if len(digits) != 10:
            return digits
        a, b, c = digits[:3], digits[3:6], digits[6:]
        formats = (
            f"{a}-{b}-{c}",
            f"({a}) {b}-{c}",
            f"{a}{b}{c}",
            f"1 {a} {b} {c}",
            f"{a}.{b}.{c}",
            f"+1 {a}-{b}-{c}",
            f"{a} {b}-{c}",
        )
        return self.rng.choice(formats)

    def postal_format(self, code: str) -> str:
        if not code:
            return ""
        return self.rng.choice(
            (f"{code[:3]} {code[3:]}", code, code.lower(), f"{code[:3]}-{code[3:]}")
        )

    def duplicate(self, p: _Person) -> dict[str, str]:
        r = self.rng
        first, last = p.first, p.last
        if r.random() < 0.12 and first in _NICKNAME_OF:
            first = r.choice(_NICKNAME_OF[first])
        if "-" in last and not last.startswith("St-") and r.random() < 0.5:
            last = r.choice(last.split("-"))  # "St-Pierre" is one surname, not a compound
        if r.random() < 0.12:
            last = self.typo(last)
        if r.random() < 0.08:
            first = self.typo(first)
        if r.random() < 0.4:
            first, last = first.translate(_ACCENTS), last.translate(_ACCENTS)
        if r.random() < 0.15:
            first, last = first.upper(), last.upper()
        if r.random() < 0.04:
            first, last = last, first
        year = p.birth_year
        if year is not None:
            roll = r.random()
            if roll < 0.07:
                year += r.choice((-1, 1))
            elif roll < 0.13:
                year = None
        phone = p.phone
        roll = r.random()
        if roll < 0.12:
            phone = ""
        elif roll < 0.16 and phone:
            i = r.randint(3, 9)
            phone = phone[:i] + str((int(phone[i]) + r.randint(1, 9)) % 10) + phone[i + 1 :]
        elif roll < 0.2:
            phone = self.phone()  # a new number since the first registration
        postal = p.postal
        roll = r.random()
        if roll < 0.03:  # moved within the municipality since the first registration
            postal = r.choice(self.postal_pools[p.municipality])
            phone = r.choice((phone, "", self.phone()))
        elif roll < 0.18:
            postal = ""
        elif roll < 0.21 and postal:
            postal = postal[:5] + str((int(postal[5]) + 1) % 10)
        municipality = p.municipality
        roll = r.random()
        if roll < 0.1:
            municipality = ""
        elif roll < 0.45:
            municipality = r.choice(_SPELLINGS.get(municipality, [municipality.upper()]))
        elif roll < 0.6:
            municipality = municipality.translate(_ACCENTS)
        return _row(
            first, last, year, self.phone_format(phone), self.postal_format(postal), municipality
        )


def _row(
    first: str, last: str, year: int | None, phone: str, postal: str, municipality: str
) -> dict[str, str]:
    return {
        "first_name": first,
        "last_name": last,
        "birth_year": "" if year is None else str(year),
        "phone": phone,
        "postal_code": postal,
        "municipality": municipality,
    }


def _people(gen: _Generator, wanted: int) -> Iterator[tuple[_Person, int]]:
    """People with how many extra registrations each has, until ``wanted`` rows."""
    r = gen.rng
    rows = 0
    while rows < wanted:
        for person in gen.household():
            if r.random() < 0.02:  # a namesake somewhere else in the MRC
                other = gen.namesake(person)
                yield other, 0
                rows += 1
            extra = 0
            if r.random() < 0.22:
                extra = r.choices((1, 2, 3), (70, 22, 8))[0]
            yield person, extra
            rows += 1 + extra


def generate(count: int, *, seed: int = 2026) -> SyntheticSet:
    """``count`` rows (ids "1" … "count" in shuffled order) and which person each one is."""
    gen = _Generator(seed)
    records: list[tuple[dict[str, str], int]] = []
    for person, extra in _people(gen, count):
        base = _row(
            person.first,
            person.last,
            person.birth_year,
            gen.phone_format(person.phone),
            gen.postal_format(person.postal),
            person.municipality,
        )
        records.append((base, person.entity))
        for _ in range(extra):
            records.append((gen.duplicate(person), person.entity))
    records = records[:count]
    gen.rng.shuffle(records)
    rows: list[dict[str, str]] = []
    entity_of: dict[str, int] = {}
    for number, (row, entity) in enumerate(records, start=1):
        record_id = str(number)
        rows.append({"id": record_id, **row})
        entity_of[record_id] = entity
    return SyntheticSet(rows, entity_of)


def pairwise_quality(found: list[list[str]], truth: SyntheticSet) -> tuple[float, float, int, int]:
    """(precision, recall, true pairs, found pairs) over pairs of ids."""
    found_pairs = 0
    correct = 0
    for group in found:
        for i, a in enumerate(group):
            for b in group[i + 1 :]:
                found_pairs += 1
                correct += truth.entity_of[a] == truth.entity_of[b]
    true_pairs = sum(len(g) * (len(g) - 1) // 2 for g in truth.true_clusters())
    precision = correct / found_pairs if found_pairs else 1.0
    recall = correct / true_pairs if true_pairs else 1.0
    return precision, recall, true_pairs, found_pairs
