"""Create an API token for a user and print it, once."""

from datetime import timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.formats import date_format

from maillon.accounts import services
from maillon.accounts.models import TokenScope, User

DEFAULT_NAME = "Jeton d'API"


class Command(BaseCommand):
    help = (
        "Crée un jeton d'API pour un compte et l'affiche une seule fois. "
        f"Portées : {', '.join(TokenScope.values)}."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--user", required=True, help="adresse électronique du compte")
        parser.add_argument(
            "--scope",
            action="append",
            required=True,
            dest="scopes",
            help=f"portée du jeton (répétable) : {', '.join(TokenScope.values)}",
        )
        parser.add_argument("--name", default=DEFAULT_NAME, help="à quoi sert ce jeton")
        parser.add_argument("--days", type=int, help="durée de validité en jours")

    def handle(self, *args: Any, **options: Any) -> None:
        email = options["user"].strip().lower()
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            raise CommandError(f"Aucun compte n'a l'adresse « {email} ».")
        unknown = [code for code in options["scopes"] if code not in TokenScope.values]
        if unknown:
            raise CommandError(
                f"Portée inconnue : {', '.join(unknown)}. "
                f"Portées possibles : {', '.join(TokenScope.values)}."
            )
        days = options["days"]
        if days is not None and days < 1:
            raise CommandError("La durée de validité (--days) doit être d'au moins un jour.")
        try:
            api_token, token = services.create_api_token(
                user=user,
                name=options["name"],
                scopes=list(dict.fromkeys(options["scopes"])),
                actor=None,
                lifetime=timedelta(days=days) if days is not None else None,
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        expiry = date_format(timezone.localtime(api_token.expires_at), "SHORT_DATE_FORMAT")
        self.stderr.write(
            f"Jeton « {api_token.name} » créé pour {user.email} "
            f"(portées : {', '.join(api_token.scopes)}), valable jusqu'au {expiry}."
        )
        self.stdout.write(token)
        self.stderr.write(
            "Attention : ce jeton ne sera plus jamais affiché. Copiez-le maintenant dans un "
            "coffre-fort de mots de passe ; en cas de perte, révoquez-le et créez-en un autre."
        )
