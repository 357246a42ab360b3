"""``manage.py verify_evidence PACKAGE.zip [--public-key PEM] [--tsa-ca PEM]``: check an evidence package.

Checks every file's SHA-256 and size against the manifest, that no file is missing or extra,
the Ed25519 signature over ``manifest.json``, ``SHA256SUMS`` against the manifest, and the RFC
3161 timestamp if there is one. Prints a report; exits non-zero on any problem. Give
``--public-key`` with the organisation's published key: without it the package's own
``signing_key.pem`` is used, which proves only that the package is self-consistent (compare the
printed fingerprint with the published one). The checks are ``evidence.verify`` (no database).
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from testimony.evidence.verify import verify_package


def _read(path: Path | None, what: str) -> bytes | None:
    if path is None:
        return None
    try:
        return path.read_bytes()
    except OSError as error:
        raise CommandError(f"cannot read {what} {path}: {error.strerror}") from None


class Command(BaseCommand):
    help = "Check an evidence package: file hashes and sizes, no missing or extra file, signature, timestamp."
    requires_system_checks: list = []  # a reader's machine need not be a configured deployment

    def add_arguments(self, parser):
        parser.add_argument("package", type=Path, help="the package ZIP")
        parser.add_argument(
            "--public-key", type=Path, help="the signing key's public PEM, as published by the organisation"
        )
        parser.add_argument(
            "--tsa-ca",
            type=Path,
            help="the time-stamping authority's CA (PEM); default EVIDENCE_TSA_CA_FILE, else the package's",
        )

    def handle(self, *args, package: Path, public_key: Path | None, tsa_ca: Path | None, **options):
        if not package.is_file():
            raise CommandError(f"no such file: {package}")
        if tsa_ca is None and getattr(settings, "EVIDENCE_TSA_CA_FILE", None):
            tsa_ca = Path(settings.EVIDENCE_TSA_CA_FILE)
        check = verify_package(
            package, public_key_pem=_read(public_key, "public key"), tsa_ca_pem=_read(tsa_ca, "CA file")
        )
        out = self.stdout.write
        out(f"Package: {package}")
        manifest = check.manifest or {}
        created = manifest.get("created") or {}
        if created:
            out(f"Created: {created.get('at', '?')} by {created.get('by', '?')}")
        if check.fingerprint:
            source = (
                "the key you gave"
                if check.key_source == "given"
                else "the package's signing_key.pem: compare with the fingerprint the organisation published"
            )
            out(f"Signing key SHA-256: {check.fingerprint} ({source})")
        out(f"Signature over manifest.json: {'valid' if check.signature_valid else 'NOT VALID'}")
        out(f"Files checked against the manifest: {check.files_checked}")
        out(f"Reports: {len(manifest.get('reports') or [])}")
        for note in check.notes:
            out(f"Note: {note}")
        if check.ok:
            out(self.style.SUCCESS("Result: OK, every check passed."))
            return
        self.stderr.write(f"Problems ({len(check.problems)}):")
        for problem in check.problems:
            self.stderr.write(f"  - {problem}")
        raise CommandError(f"the package does not verify ({len(check.problems)} problem(s))")
