"""``manage.py create_reviewer USERNAME --role R --organisation NAME [--caseload NAME ...] [--totp]``.

Without ``--totp`` the account has no usable password and the command prints a one-time setup
link (the person chooses a password and enrols an authenticator app). With ``--totp`` it sets
a password (given, or generated) and prints the TOTP secret and otpauth URI instead, for
setups where the link cannot be used; the person should still change the password.
"""

from __future__ import annotations

import base64
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.urls import reverse

from testimony.accounts import organisations, services
from testimony.accounts.models import Role, User


def generated_password() -> str:
    # Five groups of five from an unambiguous alphabet: about 120 bits, easy to read aloud.
    alphabet = "abcdefghjkmnpqrstuvwxyz23456789"
    return "-".join("".join(secrets.choice(alphabet) for _ in range(5)) for _ in range(5))


def console_base_url() -> str:
    origins = settings.OTP_WEBAUTHN_ALLOWED_ORIGINS
    return (origins[0] if origins else "http://localhost:8000").rstrip("/")


class Command(BaseCommand):
    help = "Create a console account and print its one-time setup link (or, with --totp, its TOTP secret)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("username")
        parser.add_argument("--role", required=True, choices=Role.values)
        parser.add_argument("--organisation", help="created if missing (administrators may have none)")
        parser.add_argument("--caseload", action="append", default=[], help="repeatable; created if missing")
        parser.add_argument("--totp", action="store_true", help="set a password and print the TOTP secret")
        parser.add_argument("--password", help="with --totp: this password instead of a generated one")
        parser.add_argument(
            "--base-url",
            default=None,
            help="console origin for the link (default: first WEBAUTHN_ALLOWED_ORIGINS)",
        )

    def handle(self, *args, **options) -> None:
        username = options["username"]
        # Everything that can be refused is checked before anything is written, and the writes
        # (organisation, caseloads, account, password and device, each with its audit row) are
        # one transaction: a refused command leaves neither an account nor an audit row behind.
        if User.objects.filter(username__iexact=username).exists():
            raise CommandError(f"An account named {username!r} exists already.")
        if options["password"] and not options["totp"]:
            raise CommandError("--password only goes with --totp.")
        if not options["organisation"] and options["role"] != Role.ADMINISTRATOR:
            raise CommandError("--organisation is required for every role but administrator.")
        if options["caseload"] and not options["organisation"]:
            raise CommandError("--caseload needs --organisation.")
        password = None
        if options["totp"]:
            password = options["password"] or generated_password()
            if options["password"]:
                from django.contrib.auth.password_validation import validate_password

                try:
                    # An unsaved user, so that the similarity check compares with the username.
                    validate_password(password, User(username=username, role=options["role"]))
                except ValidationError as invalid:
                    raise CommandError("; ".join(invalid.messages)) from None
        try:
            with transaction.atomic():
                organisation = None
                if options["organisation"]:
                    organisation = organisations.organisation_ensure(name=options["organisation"])
                caseloads = [
                    organisations.caseload_ensure(organisation=organisation, name=n)
                    for n in options["caseload"]
                ]
                created = services.user_create(
                    actor=None,
                    username=username,
                    role=options["role"],
                    organisation=organisation,
                    caseloads=caseloads,
                )
                user = created.user
                device = services.user_offline_setup(user=user, password=password) if password else None
        except ValidationError as invalid:
            raise CommandError("; ".join(invalid.messages)) from None
        if device is None:
            base = (options["base_url"] or console_base_url()).rstrip("/")
            link = base + reverse("console:setup", args=[created.setup_token])
            self.stdout.write(f"Account {username} ({user.get_role_display()}) created.")
            self.stdout.write(f"One-time setup link (valid {services.SETUP_LINK_MAX_AGE_SECONDS // 3600} h):")
            self.stdout.write(f"  {link}")
            return
        secret = base64.b32encode(device.bin_key).decode().rstrip("=")
        self.stdout.write(f"Account {username} ({user.get_role_display()}) created.")
        if not options["password"]:
            self.stdout.write(f"  password:    {password}")
        self.stdout.write(f"  TOTP secret: {secret}")
        self.stdout.write(f"  otpauth URI: {device.config_url}")
        self.stdout.write("Add the secret to an authenticator app; create backup codes on the account page.")
