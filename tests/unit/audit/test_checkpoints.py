"""Checkpoints: the log page verifies only what came after the last full verification, boundedly.

The full verification (``manage.py verify_audit``, the periodic task) always walks everything
and records a checkpoint entry; tampering before a checkpoint escapes the page but never the
next full verification (docs/audit.md).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from io import StringIO
from unittest import mock

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from testimony.audit import selectors
from testimony.audit.chain import canonical, entry_fields
from testimony.audit.models import AuditEntry
from testimony.audit.selectors import audit_chain_check, audit_chain_recent, latest_checkpoint
from testimony.audit.services import CHECKPOINT_ACTION, audit_checkpoint_record, audit_record

pytestmark = pytest.mark.django_db


def record(n: int) -> None:
    with transaction.atomic():
        for i in range(n):
            audit_record(actor=None, action="report.view", object_type="report", object_id=f"r{i}")


def full_verify() -> AuditEntry:
    """``manage.py verify_audit`` on an intact log; returns the checkpoint entry it appended."""
    call_command("verify_audit", stdout=StringIO(), stderr=StringIO())
    return AuditEntry.objects.filter(action=CHECKPOINT_ACTION).latest("seq")


def tamper(seq: int) -> None:
    AuditEntry.objects.filter(seq=seq).update(details={"forged": True})  # SQLite: no refusing trigger


@pytest.fixture
def admin(console_client, personas):
    return console_client(personas["administrator"])


def test_the_full_verification_records_a_checkpoint_with_the_head_it_reached():
    record(6)
    head = AuditEntry.objects.get(seq=6)
    entry = full_verify()
    assert entry.seq == 7
    assert entry.actor == "system"
    assert entry.details == {
        "by": "verify_audit",
        "problems": 0,
        "problem_seqs": [],
        "head_seq": 6,
        "head_digest": head.digest,
    }


def test_no_checkpoint_only_reads():
    record(3)
    call_command("verify_audit", "--no-checkpoint", stdout=StringIO(), stderr=StringIO())
    assert AuditEntry.objects.count() == 3


def test_the_page_reads_only_the_entries_after_the_checkpoint():
    # given a long verified past and a few entries since
    record(40)
    checkpoint = full_verify()
    record(5)
    # when the page checks
    check = audit_chain_recent()
    # then it verified the checkpoint entry and the five after it, plus the entry it hangs on
    assert check.checkpoint.seq == checkpoint.seq == 41
    assert (check.first_seq, check.last_seq, check.tail_seq) == (41, 46, 46)
    assert check.entries_read == 6 + 1
    assert check.intact


def test_the_page_work_does_not_grow_with_the_log_before_the_checkpoint():
    def page_cost() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as queries:
            check = audit_chain_recent()
        assert check.intact
        return len(queries), check.entries_read

    record(10)
    full_verify()
    record(3)
    small = page_cost()
    record(300)
    full_verify()
    record(3)
    assert page_cost() == small


def test_beyond_the_limit_the_page_stops_and_says_what_it_did_not_verify(monkeypatch):
    # given more entries since the last full verification than a page verifies
    record(5)
    full_verify()  # checkpoint is entry 6
    record(20)  # entries 7..26
    # when the page checks with a limit of 8
    with CaptureQueriesContext(connection) as queries:
        check = audit_chain_recent(limit=8)
    # then it verified 8 entries after the checkpoint's head, and says the rest were not
    assert (check.first_seq, check.last_seq) == (6, 13)
    assert check.unverified == 13  # entries 14..26
    assert not check.intact
    assert not check.damaged
    assert check.entries_read == 1 + 8 + 1  # the checkpoint's head, the eight, one to see there is more
    assert any("LIMIT 9" in query["sql"] for query in queries.captured_queries)


def test_the_page_without_any_checkpoint_is_bounded_too():
    record(30)
    check = audit_chain_recent(limit=10)
    assert check.checkpoint is None
    assert (check.first_seq, check.last_seq, check.unverified) == (1, 10, 20)
    assert check.entries_read == 11


def test_tampering_after_the_checkpoint_shows_on_the_page():
    record(10)
    full_verify()  # 11
    record(5)  # 12..16
    tamper(14)
    check = audit_chain_recent()
    assert check.damaged
    assert [problem.seq for problem in check.problems] == [14]


def test_a_deleted_entry_right_after_the_checkpoint_shows_on_the_page():
    record(10)
    full_verify()  # 11
    record(3)  # 12..14
    AuditEntry.objects.filter(seq=12).delete()
    check = audit_chain_recent()
    assert check.damaged
    assert 13 in [problem.seq for problem in check.problems]


def test_tampering_with_the_entry_the_checkpoint_ends_on_shows_on_the_page():
    record(10)
    full_verify()
    tamper(10)
    check = audit_chain_recent()
    assert [(problem.seq, problem.what) for problem in check.problems] == [
        (10, "changed since the last full verification")
    ]


def test_tampering_before_the_checkpoint_escapes_the_page_but_not_the_next_full_verification(caplog):
    # given a verified log, then an edit of an old entry
    record(10)
    full_verify()
    record(2)
    tamper(4)
    # the page does not see it: that is what a checkpoint trades for bounded work
    assert audit_chain_recent().intact
    # the full verification does, always: it never starts from a checkpoint
    with pytest.raises(CommandError, match="damaged: 1 problem"):
        call_command("verify_audit", stdout=StringIO(), stderr=StringIO())
    # and the periodic task does, logs it, and records it for the page
    from testimony.audit.tasks import verify_chain

    with caplog.at_level(logging.ERROR, logger="testimony.audit.tasks"):
        result = verify_chain.delay().get()
    assert result["intact"] is False
    assert "first at entry 4" in caplog.text
    check = audit_chain_recent()
    assert check.checkpoint.intact is False
    assert check.checkpoint.problem_seqs == [4]
    assert check.damaged
    assert not check.intact


def test_a_forged_checkpoint_is_reported_not_trusted():
    # given someone who can write to the database but does not hold the key
    record(10)
    full_verify()  # 11
    record(5)  # 12..16
    tamper(13)
    # appends an entry claiming a full verification reached the tail, hashed without the key
    last = AuditEntry.objects.latest("seq")
    forged = AuditEntry(
        seq=17,
        at=last.at,
        actor="system",
        action=CHECKPOINT_ACTION,
        object_type="audit",
        details={"by": "periodic", "problems": 0, "head_seq": 16, "head_digest": last.digest},
        previous=last.digest,
    )
    forged.digest = hashlib.sha256(
        forged.previous.encode() + b"\n" + canonical(entry_fields(forged))
    ).hexdigest()
    forged.save()
    # then the page does not start from it: the forgery and the edit it tried to hide both show
    check = audit_chain_recent()
    assert check.checkpoint is None
    seqs = {problem.seq for problem in check.problems}
    assert {13, 17} <= seqs
    assert latest_checkpoint()[0] is None


def test_an_edited_checkpoint_is_reported_not_trusted():
    # moving a genuine checkpoint's head forward would skip entries: its digest no longer matches
    record(10)
    checkpoint = full_verify()  # 11
    record(5)
    tamper(13)
    AuditEntry.objects.filter(seq=checkpoint.seq).update(
        details={**checkpoint.details, "head_seq": 16, "head_digest": AuditEntry.objects.get(seq=16).digest}
    )
    check = audit_chain_recent()
    assert check.checkpoint is None
    assert {11, 13} <= {problem.seq for problem in check.problems}


def test_the_periodic_task_has_its_name_and_is_scheduled():
    from config.celery import AUDIT_VERIFY_INTERVAL_SECONDS, app
    from testimony.audit.tasks import verify_chain

    assert verify_chain.name == "audit.verify_chain"
    app.loader.import_default_modules()
    assert "audit.verify_chain" in app.tasks
    entry = app.conf.beat_schedule["verify audit chain"]
    assert entry["task"] == "audit.verify_chain"
    assert float(entry["schedule"]) == AUDIT_VERIFY_INTERVAL_SECONDS
    assert selectors.CHECKPOINT_STALE_AFTER.total_seconds() >= AUDIT_VERIFY_INTERVAL_SECONDS * 4


def test_the_periodic_task_walks_everything_even_after_a_checkpoint():
    from testimony.audit.tasks import verify_chain

    record(10)
    full_verify()  # 11
    record(2)  # 12, 13
    result = verify_chain.delay().get()
    assert result == {"intact": True, "problems": 0, "head_seq": 13, "checkpoint": 14}
    assert AuditEntry.objects.get(seq=14).details["by"] == "periodic"


# --- The page ---------------------------------------------------------------------------------


def test_the_verify_button_reports_both_parts_and_records_what_it_checked(admin):
    record(10)
    full_verify()  # 11
    record(3)  # 12..14
    html = admin.post(reverse("console:audit_verify"), HTTP_HX_REQUEST="true").content.decode()
    assert "Entries 1 to 10: intact at the last full verification" in html
    assert "Entries 11 to 14: verified now, intact." in html
    assert "A change made since then to entries 1 to 10 shows at the next full verification" in html
    assert f"14:{AuditEntry.objects.get(seq=14).digest}" in html
    assert 'class="audit-check success"' in html
    assert AuditEntry.objects.get(action="audit.verified").details == {
        "intact": True,
        "problems": 0,
        "checkpoint": 11,
        "checked": [11, 14],
        "unverified": 0,
    }


def test_the_verify_button_does_not_pretend_beyond_its_limit(admin, monkeypatch):
    monkeypatch.setattr(selectors, "PAGE_VERIFY_LIMIT", 5)
    record(10)
    full_verify()  # 11
    record(10)  # 12..21
    html = admin.post(reverse("console:audit_verify"), HTTP_HX_REQUEST="true").content.decode()
    assert "Entries 11 to 15: verified now, intact." in html
    assert "Entries 16 to 21 (6) were not verified" in html
    assert "run manage.py verify_audit" in html.lower()
    assert "The chain is intact" not in html
    assert "Head (record it" not in html
    assert 'class="audit-check notice"' in html


def test_the_verify_button_shows_damage_found_by_the_full_verification(admin):
    record(10)
    full_verify()
    tamper(3)
    with pytest.raises(CommandError):
        call_command("verify_audit", stdout=StringIO(), stderr=StringIO())
    html = admin.post(reverse("console:audit_verify"), HTTP_HX_REQUEST="true").content.decode()
    assert "found 1 problem in entries 1 to 11" in html
    assert "Damaged entries include: 3." in html
    assert 'class="audit-check errors"' in html


def test_the_log_page_says_when_the_last_full_verification_ran(admin):
    record(3)
    html = admin.get(reverse("console:audit")).content.decode()
    assert "No full verification yet: run manage.py verify_audit." in html
    full_verify()
    html = admin.get(reverse("console:audit")).content.decode()
    assert "entries 1 to 3 intact." in html


def test_a_stale_checkpoint_is_said_to_be_stale(admin):
    # given a checkpoint written (by the service, so its digest holds) longer ago than the limit
    record(3)
    old = timezone.now() - selectors.CHECKPOINT_STALE_AFTER - dt.timedelta(minutes=1)
    with mock.patch("testimony.audit.services.timezone.now", return_value=old):
        audit_checkpoint_record(check=audit_chain_check(), by="periodic")
    # then the page says the full verification seems to have stopped
    assert latest_checkpoint()[0].stale
    html = admin.post(reverse("console:audit_verify"), HTTP_HX_REQUEST="true").content.decode()
    assert "The last full verification is more than a day old" in html
    assert "More than a day ago." in admin.get(reverse("console:audit")).content.decode()
