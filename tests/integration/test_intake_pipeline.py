"""End to end on real services: web (recipient only) → PostgreSQL → Redis → worker (identity)."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from testimony.intake.models import Submission
from tests.conftest import solved_challenge, valid_report
from tests.disk import files_containing
from tests.integration.conftest import CLIENT_HEADERS, submit_report, wait_for

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

MARKER = "IT-MARKER-c41d7e"


def test_the_web_process_holds_no_identity(platform):
    web = platform.processes[0]
    environ = Path(f"/proc/{web.pid}/environ").read_bytes().split(b"\0")
    assert not any(entry.startswith(b"AGE_IDENTITY_FILE=") for entry in environ)
    worker = platform.processes[1]
    assert any(
        entry.startswith(b"AGE_IDENTITY_FILE=")
        for entry in Path(f"/proc/{worker.pid}/environ").read_bytes().split(b"\0")
    )


def test_a_hundred_api_submissions_are_all_decrypted_by_the_worker(platform):
    receipts = set()
    for n in range(100):
        status, body = submit_report(platform, valid_report(account=f"Отчёт номер {n}"))
        assert status == 201, body
        receipts.add(body["receipt"])
    assert len(receipts) == 100
    wait_for(
        lambda: Submission.objects.filter(status=Submission.Status.PROCESSED).count() == 100,
        timeout=180,
        interval=1,
        what="the worker to process 100 submissions",
    )
    assert Submission.objects.exclude(status=Submission.Status.PROCESSED).count() == 0


def test_no_plaintext_address_or_user_agent_in_postgres_logs_or_disk(platform):
    started = time.time() - 1
    report = valid_report(
        account=f"Рассказ {MARKER}", where={"country": "RU", "place": "", "details": MARKER}
    )
    status, body = platform.request(
        "POST", "/api/v1/submissions/", {"pow": solved_challenge(), "report": report}, CLIENT_HEADERS
    )
    assert status == 201, body
    status, _ = platform.request(
        "POST",
        "/api/v1/followup/replies/",
        {"receipt": body["receipt"], "text": f"Ответ {MARKER}"},
        CLIENT_HEADERS,
    )
    assert status == 201
    wait_for(
        lambda: not Submission.objects.exclude(status=Submission.Status.PROCESSED).exists(),
        timeout=60,
        what="processing",
    )

    dump = _pg_dump()
    assert "intake_submission" in dump
    logs = platform.log_text()
    assert "POST" in logs or "Booting worker" in logs  # the logs are really there
    for needle in (MARKER, "203.0.113.99", "IT-UA-91", "MarkerBrowser"):
        assert needle not in dump, needle
        assert needle not in logs, needle
        assert _disk_hits(needle.encode(), started) == [], needle


def _pg_dump() -> str:
    db = connection.settings_dict
    if not shutil.which("pg_dump"):
        pytest.fail("pg_dump is needed to inspect what PostgreSQL stores")
    result = subprocess.run(
        [
            "pg_dump",
            "--data-only",
            "--inserts",
            "-h",
            db.get("HOST") or "127.0.0.1",
            "-p",
            str(db.get("PORT") or 5432),
            "-U",
            db.get("USER") or "postgres",
            db["NAME"],
        ],
        capture_output=True,
        check=True,
        env={**os.environ, "PGPASSWORD": db.get("PASSWORD") or ""},
    )
    return result.stdout.decode("utf-8", errors="replace")


def _disk_hits(needle: bytes, since: float) -> list[str]:
    import tempfile

    return files_containing(needle, [Path(settings.VAR_DIR), Path(tempfile.gettempdir())], since=since)
