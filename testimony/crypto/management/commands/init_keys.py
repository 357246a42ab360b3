import getpass
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from testimony.crypto.keys import create_all


class Command(BaseCommand):
    help = (
        "Create the intake age identity and recipient, the at-rest data key, the Ed25519 signing key, "
        "the receipt pepper and the Django secret key, each with mode 0600. Never overwrites."
    )

    def add_arguments(self, parser):
        parser.add_argument("--keys-dir", type=Path, default=None, help="Default: KEYS_DIR (var/keys).")
        parser.add_argument(
            "--passphrase",
            action="store_true",
            help="Wrap the intake identity with a passphrase (asked, or from AGE_IDENTITY_PASSPHRASE).",
        )

    def handle(self, *args, keys_dir: Path | None, passphrase: bool, **options) -> None:
        directory = keys_dir or settings.KEYS_DIR
        secret = None
        if passphrase:
            secret = settings.AGE_IDENTITY_PASSPHRASE or getpass.getpass(
                "Passphrase for the intake identity: "
            )
            if len(secret) < 12:
                raise CommandError("Use a passphrase of at least 12 characters.")
        try:
            files = create_all(directory, passphrase=secret)
        except FileExistsError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"Keys written to {directory} (mode 0600):")
        for path in files.all():
            self.stdout.write(f"  {path.name}")
        self.stdout.write(
            "The web process needs the recipient only. Give intake_identity.age to the worker alone "
            "(AGE_IDENTITY_FILE), and keep signing_ed25519.pem with whoever exports evidence."
        )
