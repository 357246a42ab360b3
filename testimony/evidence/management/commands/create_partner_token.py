"""Issue a partner API token from the command line.

    manage.py create_partner_token --organisation NAME --partner NAME
        --scopes aggregates:read,cases:read --days 90

Issues a partner API token that reads the named organisation's evidence and prints it once;
only its SHA-256 is kept, so it cannot be printed again (issue another and revoke this one).
The audit log records the issue with "system" as the actor. The console's Partner tokens page
does the same for coordinators.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from testimony.accounts.models import Organisation
from testimony.evidence.services import partners as services


class Command(BaseCommand):
    help = "Issue a partner API token for an organisation's evidence and print it once."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--organisation", required=True, help="whose data the token reads (must exist)")
        parser.add_argument("--partner", required=True, help="who holds the token")
        parser.add_argument(
            "--scopes",
            required=True,
            help=f"comma-separated, from: {', '.join(services.SCOPES)}",
        )
        parser.add_argument("--days", type=int, default=90, help=f"valid for (1 to {services.MAX_DAYS})")

    def handle(self, *args, **options) -> None:
        try:
            organisation = Organisation.objects.get(name=options["organisation"])
        except Organisation.DoesNotExist:
            raise CommandError(f"No organisation named {options['organisation']!r}.") from None
        scopes = [scope.strip() for scope in options["scopes"].split(",") if scope.strip()]
        unknown = sorted(set(scopes) - set(services.SCOPES))
        if unknown:
            raise CommandError(f"Unknown scopes {unknown}; choose from {list(services.SCOPES)}.")
        if not 1 <= options["days"] <= services.MAX_DAYS:
            raise CommandError(f"--days must be from 1 to {services.MAX_DAYS}.")
        try:
            token, plaintext = services.partner_token_create(
                user=None,
                organisation=organisation,
                partner=options["partner"],
                scopes=scopes,
                expires_at=timezone.now() + dt.timedelta(days=options["days"]),
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        self.stdout.write(plaintext)
        self.stderr.write(
            f"Token {token.prefix}… for {token.partner}: reads {organisation.name}, scopes "
            f"{', '.join(token.scopes)}, expires {token.expires_at:%Y-%m-%d}. It is shown only now."
        )
