"""``manage.py bench_evidence_package --reports 500``: build (and verify) a signed package of a large case.

Seeds a case of N fake processed reports in the organisation that runs the intake: each with a
sealed redacted account of about 1.5 KB, its sealed original (age-sized random bytes), two
reviewer actions in the audit log, and attachments as the real thing would have them (about
four reports in ten with a photo of ~300 KB, and its upload's ciphertext in 256 KiB chunks; one
in seven with a voice note and its disguised copy). Then builds the package into a temporary
file as the worker does (``packages.write_package``; no timestamp authority), and verifies it
with ``verify.verify_package``. Prints seconds, size and the process's peak memory.

The rows are fake: use a database of its own, as for the other benchmarks::

    createdb -h 127.0.0.1 -U postgres bench_evidence_package
    manage.py bench_evidence_package --migrate --reports 500 \\
        --database-url postgres://postgres@127.0.0.1:5432/bench_evidence_package
"""

from __future__ import annotations

import datetime as dt
import os
import random
import resource
import tempfile
import time
import uuid
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from testimony.evidence.bench_data import prepare_bench_database

_WORDS = (
    "утром",
    "пришли",
    "полицейские",
    "на",
    "рынок",
    "проверяли",
    "патенты",
    "у",
    "всех",
    "забрали",
    "телефоны",
    "и",
    "паспорта",
    "нас",
    "увезли",
    "в",
    "отдел",
    "держали",
    "весь",
    "день",
    "без",
    "воды",
    "ударил",
    "меня",
    "требовали",
    "деньги",
    "сказали",
    "подписать",
    "контракт",
    "или",
    "депортируют",
    "семью",
    "в",
    "Москве",
    "на",
    "стройке",
    "общежитие",
    "[PERSON 1]",
)
CHUNK = 256 * 1024
IMAGE_BYTES = 300 * 1024
VOICE_BYTES = 150 * 1024


def _maxrss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def _account(rng: random.Random, length: int = 1500) -> str:
    words: list[str] = []
    while sum(len(word) + 1 for word in words) < length:
        words.append(rng.choice(_WORDS))
    text = " ".join(words)
    return text[:1].upper() + text[1:] + "."


def seed_case(n: int, *, seed: int = 1, log=print):
    """A case of ``n`` fake reports (with uploads, attachments and audit rows); returns (case, user)."""
    from testimony.accounts.models import User
    from testimony.audit.services import audit_record
    from testimony.crypto.atrest import seal
    from testimony.evidence.management.commands.seed_evidence_bench import bench_organisation
    from testimony.intake.models import Submission, Upload, UploadChunk
    from testimony.review.models import Attachment, Case, CaseReport, Report
    from testimony.review.sealed import report_text_seal

    rng = random.Random(seed)  # noqa: S311 - fake data, reproducible; nothing secret
    organisation = bench_organisation()
    user, _created = User.objects.get_or_create(
        username="package-bench", defaults={"role": "coordinator", "organisation": organisation}
    )
    case = Case.objects.create(organisation=organisation, title=f"Evidence package bench ({n} reports)")
    today = dt.date.today()
    for start in range(0, n, 100):
        with transaction.atomic():
            for _ in range(min(100, n - start)):
                received = today - dt.timedelta(days=rng.randrange(0, 900))
                submission = Submission.objects.create(
                    receipt_lookup=uuid.uuid4().hex,
                    report_ciphertext=os.urandom(rng.randrange(2000, 6000)),
                    encrypted_by=rng.choice(("browser", "server")),
                    reply_recipient="age1bench",
                    reply_identity_salt=os.urandom(16),
                    reply_identity_wrapped=os.urandom(48),
                    received_on=received,
                    status="processed",
                )
                text = _account(rng)
                at = text.find("[PERSON 1]")
                redactions = [{"start": at, "end": at + 10, "label": "PERSON", "placeholder": "[PERSON 1]"}]
                payload = {
                    "account": {
                        "redacted_text": text,
                        "redactions": redactions if at >= 0 else [],
                        "places": [],
                    },
                    "place_details": "",
                    "when": received.strftime("%Y-%m"),
                    "analysis_version": "1",
                }
                report = Report(
                    submission=submission,
                    language="ru",
                    kind=rng.choice(("raid", "detention", "recruitment")),
                    event_month=received.strftime("%Y-%m"),
                    country="RU",
                    region=rng.choice(("RU.48", "RU.47", "RU.66", "")),
                    perpetrators=["police"],
                    analysis_version="1",
                    received_on=received,
                    state="verified",
                    redaction_counts={"PERSON": 1} if at >= 0 else {},
                )
                report.text_sealed = report_text_seal(report, payload)  # its pk is the submission's
                report.save(force_insert=True)
                attachments = []
                if rng.random() < 0.4:
                    attachments.append(("image", "image/jpeg", IMAGE_BYTES))
                if rng.random() < 0.15:
                    attachments.append(("audio", "audio/ogg", VOICE_BYTES))
                for position, (kind, content_type, size) in enumerate(attachments):
                    upload = Upload.objects.create(
                        token_hash=uuid.uuid4().hex * 2, size=size + 200, received=size + 200,
                        submission=submission, position=position, created_on=received,
                    )  # fmt: skip
                    ciphertext = os.urandom(size + 200)
                    UploadChunk.objects.bulk_create(
                        UploadChunk(upload=upload, index=i // CHUNK, data=ciphertext[i : i + CHUNK])
                        for i in range(0, len(ciphertext), CHUNK)
                    )
                    row = Attachment.objects.create(
                        report=report, position=position, kind=kind, content_type=content_type, cleaned=True
                    )
                    row.sanitised_sealed = seal(os.urandom(size), context=f"attachment.content:{row.pk}")
                    if kind == "audio":
                        row.disguised_voice_sealed = seal(
                            os.urandom(size), context=f"attachment.voice:{row.pk}"
                        )
                    row.save(update_fields=["sanitised_sealed", "disguised_voice_sealed"])
                report.has_attachments = bool(attachments)
                report.save(update_fields=["has_attachments"])
                CaseReport.objects.create(case=case, report=report, added_by=user)
                for action in ("report.view", "report.state"):
                    audit_record(actor=user, action=action, object_type="report", object_id=report.pk)
        log(f"  seeded {min(start + 100, n):,} of {n:,}")
    return case, user


class Command(BaseCommand):
    help = "Seed a case of N fake reports and time building and verifying its signed evidence package."

    def add_arguments(self, parser):
        parser.add_argument("--reports", type=int, default=500)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--database-url", help="use this database instead of DATABASE_URL")
        parser.add_argument("--migrate", action="store_true", help="run migrations first")
        parser.add_argument("--yes", action="store_true", help="seed even though the database holds reports")
        parser.add_argument("--keep", type=Path, help="keep the package at this path")

    def handle(self, *args, reports, seed, database_url, migrate, yes, keep, **options):
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

        from testimony.evidence.packages import package_contents, write_package
        from testimony.evidence.verify import verify_package

        prepare_bench_database(database_url=database_url, migrate=migrate, may_hold_reports=yes)
        self.stdout.write(f"Seeding a case of {reports:,} reports into {connection.vendor}…")
        began = time.perf_counter()
        case, user = seed_case(reports, seed=seed, log=self.stdout.write)
        self.stdout.write(f"Seeded in {time.perf_counter() - began:.1f} s.")

        key = Ed25519PrivateKey.generate()  # the bench signs with a throwaway key
        rss_before = _maxrss_mib()
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "package.zip"
            began = time.perf_counter()
            rows, links, left_out = package_contents(user=user, case=case)
            with path.open("wb") as out:
                result = write_package(
                    out,
                    reports=rows,
                    links=links,
                    case=case,
                    requested_by=user,
                    signing_key=key,
                    left_out=left_out,
                )
            built = time.perf_counter() - began
            rss_built = _maxrss_mib()
            size = path.stat().st_size
            began = time.perf_counter()
            check = verify_package(path)
            verified = time.perf_counter() - began
            if keep:
                keep.write_bytes(path.read_bytes())
        if not check.ok:
            raise CommandError(f"the package does not verify: {check.problems[:3]}")
        self.stdout.write(
            f"Built a package of {result.reports:,} reports ({result.files:,} files, "
            f"{size / 1_048_576:.1f} MiB) in {built:.2f} s ({result.reports / built:,.0f} reports/s); "
            f"verified in {verified:.2f} s. Peak memory (process RSS): {rss_before:.0f} MiB before, "
            f"{rss_built:.0f} MiB after building."
        )
