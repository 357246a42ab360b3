"""Demo console accounts for ``make run``: LOCAL DEMONSTRATION ONLY.

Idempotent: creates the demo organisation (the one that receives intake, unless another does)
and the accounts ``demo-reviewer`` and ``demo-coordinator`` once, each with a generated
password and a TOTP device; later runs leave them alone and print them again. The passwords
and secrets are kept in a file under VAR_DIR (mode 0600), because the database keeps only
their hashes and the person running the demo needs to see them each time.
"""

from __future__ import annotations

import base64
import json
import os
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction

from testimony.accounts import organisations, services
from testimony.accounts.management.commands.create_reviewer import generated_password
from testimony.accounts.models import Organisation, User

DEMO_ORGANISATION = "Demo organisation"
DEMO_CASELOADS = ("Raids", "Detention and recruitment")
DEMO_ACCOUNTS = [("demo-reviewer", "reviewer"), ("demo-coordinator", "coordinator")]


def _credentials_file() -> Path:
    return Path(settings.VAR_DIR) / "demo_accounts.json"


class Command(BaseCommand):
    help = "Create the demo organisation and demo console accounts (local demo only) and print their logins."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--code",
            metavar="USERNAME",
            help="print the current TOTP code of a demo account (from the demo file, not the database)",
        )

    def handle(self, *args, **options) -> None:
        path = _credentials_file()
        saved = json.loads(path.read_text()) if path.exists() else {}
        if options["code"]:
            self._print_code(saved, options["code"])
            return
        organisation = Organisation.objects.filter(receives_intake=True).first()
        if organisation is None:
            organisation = organisations.organisation_ensure(name=DEMO_ORGANISATION, receives_intake=True)
        for name in DEMO_CASELOADS:  # so that routing a report can be tried
            organisations.caseload_ensure(organisation=organisation, name=name)
        for username, role in DEMO_ACCOUNTS:
            user = User.objects.filter(username=username).first()
            if user is not None and username in saved:
                continue
            with transaction.atomic():
                if user is not None:
                    # The account exists but its password was lost (the file was deleted): start over.
                    services._delete_all_devices(user)
                else:
                    user = services.user_create(
                        actor=None, username=username, role=role, organisation=organisation
                    ).user
                password = generated_password()
                device = services.user_offline_setup(user=user, password=password)
            saved[username] = {
                "role": role,
                "password": password,
                "totp_secret": base64.b32encode(device.bin_key).decode().rstrip("="),
            }
        path.write_text(json.dumps(saved, indent=1))
        os.chmod(path, 0o600)
        self.stdout.write(f"Demo console accounts ({organisation.name}) — for local demonstration only:")
        for username, _role in DEMO_ACCOUNTS:
            entry = saved[username]
            self.stdout.write(
                f"  {username:17} password {entry['password']}   TOTP secret {entry['totp_secret']}"
            )

    def _print_code(self, saved: dict, username: str) -> None:
        from django.core.management.base import CommandError
        from django_otp.oath import totp

        if username not in saved:
            raise CommandError(f"{username!r} is not a demo account of this installation.")
        secret = saved[username]["totp_secret"]
        key = base64.b32decode(secret + "=" * (-len(secret) % 8))
        self.stdout.write(f"{totp(key):06d}")
