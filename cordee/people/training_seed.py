"""The shared training library every organisation sees (French content, plain data).

Loaded by migration 0003_training and by services.training.training_library_seed();
kept as plain dicts so the migration does not depend on the models' code.
"""

from __future__ import annotations

ALL = ["none", "some", "yes"]
TABLET = ["some", "yes"]
FRONT = ["org_admin", "coordinator", "staff", "volunteer", "intervenant"]

LIBRARY: list[dict[str, object]] = [
    {
        "key": "accueil-menage",
        "title": "Accueillir un ménage",
        "summary": "Dire bonjour, écouter, expliquer comment se passe la visite.",
        "audience": FRONT,
        "format": "in_person",
        "minutes": 45,
        "comfort_levels": ALL,
        "order": 10,
        "body": "",
    },
    {
        "key": "tablette-accueil",
        "title": "Utiliser la tablette à l'accueil",
        "summary": "Chercher un ménage et noter sa visite, pas à pas.",
        "audience": ["org_admin", "coordinator", "staff", "volunteer"],
        "format": "guide",
        "minutes": 15,
        "comfort_levels": TABLET,
        "order": 20,
        "body": (
            "## Chercher le ménage\n"
            "Touchez la case de recherche et écrivez le nom, le téléphone ou le numéro "
            "de carte.\n\n"
            "## Enregistrer la visite\n"
            "- Touchez le bon nom dans la liste.\n"
            "- Vérifiez le nombre de personnes.\n"
            "- Touchez **Enregistrer la visite**.\n\n"
            "Une erreur? Le bouton **Annuler** reste là pendant 5 minutes."
        ),
    },
    {
        "key": "tablette-premiers-pas",
        "title": "Premiers pas avec la tablette",
        "summary": "Allumer, toucher, revenir en arrière : avec une personne à côté de vous.",
        "audience": [],
        "format": "in_person",
        "minutes": 30,
        "comfort_levels": ["none"],
        "order": 5,
        "body": "",
    },
    {
        "key": "chaine-froid",
        "title": "Chaîne du froid : prendre la température",
        "summary": "Lire le thermomètre et noter la température du frigo et du congélateur.",
        "audience": ["org_admin", "coordinator", "staff", "volunteer", "driver", "food_handler"],
        "format": "guide",
        "minutes": 10,
        "comfort_levels": ALL,
        "order": 30,
        "body": (
            "## Les bons chiffres\n"
            "- Réfrigérateur : 4 °C ou moins.\n"
            "- Congélateur : -18 °C ou moins.\n\n"
            "## Si c'est trop chaud\n"
            "Ne donnez pas les aliments. Mettez-les à part et avertissez la personne "
            "responsable tout de suite."
        ),
    },
    {
        "key": "camion-refrigere",
        "title": "Conduire le camion réfrigéré",
        "summary": "Vérifications avant de partir, chargement, température pendant la route.",
        "audience": ["driver"],
        "format": "in_person",
        "minutes": 90,
        "comfort_levels": ALL,
        "order": 40,
        "body": "",
    },
    {
        "key": "loi-25",
        "title": "Protéger les renseignements personnels (Loi 25)",
        "summary": "Ce qu'on peut noter, qui peut le voir, quoi faire en cas de fuite.",
        "audience": ["org_admin", "coordinator", "staff", "intervenant", "volunteer"],
        "format": "video",
        "video_url": "https://www.cai.gouv.qc.ca/",
        "minutes": 20,
        "comfort_levels": TABLET,
        "order": 50,
        "body": "",
    },
    {
        "key": "loi-25-essentiel",
        "title": "Loi 25 : l'essentiel en 10 minutes",
        "summary": "On parle ensemble de ce qui reste confidentiel.",
        "audience": ["org_admin", "coordinator", "staff", "intervenant", "volunteer"],
        "format": "in_person",
        "minutes": 10,
        "comfort_levels": ["none"],
        "order": 51,
        "body": "",
    },
    {
        "key": "mes-quarts",
        "title": "M'inscrire à un quart de bénévolat",
        "summary": "Trouver un quart, toucher « Je viens », annuler si on ne peut pas.",
        "audience": ["volunteer", "driver"],
        "format": "guide",
        "minutes": 5,
        "comfort_levels": TABLET,
        "order": 60,
        "body": (
            "## Trouver un quart\n"
            "Ouvrez **Mes quarts**. Les quarts où on a besoin d'aide sont en bas.\n\n"
            "## M'inscrire\n"
            "Touchez **Je viens**. C'est tout!\n\n"
            "## Je ne peux plus venir\n"
            "Touchez **Je ne peux pas venir** : la coordination est avertie."
        ),
    },
    {
        "key": "inventaire",
        "title": "Recevoir et ranger les dons",
        "summary": "Peser, noter l'arrivage, ranger au bon endroit.",
        "audience": ["org_admin", "coordinator", "staff"],
        "format": "video",
        "video_url": "https://www.youtube.com/results?search_query=banque+alimentaire+reception",
        "minutes": 12,
        "comfort_levels": TABLET,
        "order": 70,
        "body": "",
    },
]
