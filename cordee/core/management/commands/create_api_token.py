"""Create a personal API token for a user and print only the secret (for scripts).

TOKEN=$(python manage.py create_api_token marie@example.org --name "Rapport mensuel")
"""

from argparse import ArgumentParser
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from cordee.core.models import User
from cordee.core.services.tokens import api_token_create


class Command(BaseCommand):
    help = "Crée un jeton d'API personnel et n'affiche que le jeton (une seule fois)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("email", help="Adresse courriel du compte")
        parser.add_argument("--name", default="Ligne de commande", help="Nom du jeton")

    def handle(self, *args: Any, **options: Any) -> None:
        email = options["email"].strip()
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            raise CommandError(f"Aucun compte n'a l'adresse courriel « {email} ».")
        if not user.is_active:
            raise CommandError(f"Le compte « {email} » est fermé : impossible de créer un jeton.")
        try:
            _token, secret = api_token_create(user=user, name=options["name"])
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        self.stdout.write(secret)
