"""Default catalogue and impact factor sets for a network (editable afterwards)."""

from decimal import Decimal

from django.db import transaction

from cordee.core.models import Network

from ..models import Category, CategoryFactor, FactorSet, StorageClass

# (name, storage class, days tolerated after best-before (None: no limit), expiry date?, food?)
DEFAULT_CATEGORIES = [
    ("Fruits et légumes", StorageClass.CHILLED, 0, False, True),
    ("Viande", StorageClass.FROZEN, 0, False, True),
    ("Produits laitiers", StorageClass.CHILLED, 0, False, True),
    ("Boulangerie", StorageClass.DRY, 2, False, True),
    ("Épicerie sèche", StorageClass.DRY, None, False, True),
    ("Surgelés", StorageClass.FROZEN, 0, False, True),
    ("Mets préparés", StorageClass.CHILLED, 0, False, True),
    ("Préparations pour nourrissons", StorageClass.DRY, None, True, True),
    ("Produits d'hygiène / non alimentaire", StorageClass.DRY, None, False, False),
]

# Meals: 0.544 kg per meal (Feeding America / USDA, also used in Canada) → 1.838 meals/kg.
MEALS_PER_KG = (Decimal(1) / Decimal("0.544")).quantize(Decimal("0.001"))
DEFAULT_FACTOR_SETS = [
    (
        "BAQ PRS 2018-2019",
        "Repas : 0,544 kg par repas (Feeding America / USDA). CO2e évité : 0,88 kg par kg "
        "récupéré (Banques alimentaires du Québec, Programme de récupération en "
        "supermarchés, 2018-2019).",
        Decimal("0.88"),
        True,
    ),
    (
        "RECYC-QUÉBEC 2022 (cycle de vie)",
        "Repas : 0,544 kg par repas (Feeding America / USDA). CO2e évité : environ 3,0 kg "
        "par kg (RECYC-QUÉBEC 2022, analyse de cycle de vie).",
        Decimal("3.0"),
        False,
    ),
    (
        "ReFED (moyenne pondérée)",
        "Repas : 0,544 kg par repas (Feeding America / USDA). CO2e évité : 2,58 kg par kg "
        "(ReFED, facteur moyen pondéré).",
        Decimal("2.58"),
        False,
    ),
]


def catalogue_seed_defaults(*, network: Network) -> int:
    """Create the default categories and factor sets the network does not have yet.

    Idempotent; returns how many rows were created. Non-food categories get no impact.
    """
    created = 0
    with transaction.atomic():
        categories = []
        for order, (name, storage, days, expiry, food) in enumerate(DEFAULT_CATEGORIES):
            category, new = Category.objects.get_or_create(
                network=network,
                name=name,
                defaults={
                    "storage_class": storage,
                    "days_after_best_before": days,
                    "uses_expiry_date": expiry,
                    "is_food": food,
                    "sort_order": order,
                },
            )
            categories.append(category)
            created += new
        for name, source, co2e, default in DEFAULT_FACTOR_SETS:
            factor_set, new = FactorSet.objects.get_or_create(
                network=network, name=name, defaults={"source": source, "is_default": default}
            )
            created += new
            for category in categories:
                _factor, new = CategoryFactor.objects.get_or_create(
                    factor_set=factor_set,
                    category=category,
                    defaults={
                        "meals_per_kg": MEALS_PER_KG if category.is_food else Decimal(0),
                        "co2e_kg_per_kg": co2e if category.is_food else Decimal(0),
                    },
                )
                created += new
    return created
