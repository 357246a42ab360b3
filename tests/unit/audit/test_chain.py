"""The audit chain finds any edited, deleted or reordered entry (issue 4, "Audit")."""

from __future__ import annotations

import itertools

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction

from testimony.audit.models import AuditEntry
from testimony.audit.services import AuditOutsideTransaction, audit_record

pytestmark = pytest.mark.django_db


@pytest.fixture
def chain(personas):
    with transaction.atomic():
        for n in range(6):
            audit_record(
                actor=personas["reviewer"],
                action="report.view",
                object_type="report",
                object_id=f"r{n}",
                details={"n": n},
            )
    return list(AuditEntry.objects.order_by("seq"))


def verify_output() -> str:
    from io import StringIO

    out = StringIO()
    call_command("verify_audit", stdout=out, stderr=StringIO())
    return out.getvalue()


def test_an_intact_chain_verifies_and_prints_its_head(chain):
    assert f"6 entries, head 6:{chain[-1].digest}" in verify_output()


def test_entries_link_to_the_one_before(chain):
    assert [entry.seq for entry in chain] == [1, 2, 3, 4, 5, 6]
    assert all(later.previous == earlier.digest for earlier, later in itertools.pairwise(chain))


@pytest.mark.parametrize(
    ("field", "value"),
    [("details", {"n": 99}), ("actor", "someone-else"), ("action", "report.edit"), ("object_id", "r9")],
)
def test_an_edited_entry_is_detected(chain, field, value):
    AuditEntry.objects.filter(seq=3).update(**{field: value})
    with pytest.raises(CommandError, match="damaged"):
        verify_output()


def test_an_edited_entry_with_a_recomputed_plain_hash_is_detected(chain):
    # Someone with database access but not the key recomputes "the hash" without the HMAC key.
    import hashlib

    from testimony.audit.chain import canonical, entry_fields

    entry = AuditEntry.objects.get(seq=6)
    entry.details = {"n": 42}
    forged = hashlib.sha256(entry.previous.encode() + b"\n" + canonical(entry_fields(entry))).hexdigest()
    AuditEntry.objects.filter(seq=6).update(details={"n": 42}, digest=forged)
    with pytest.raises(CommandError):
        verify_output()


def test_a_deleted_entry_is_detected(chain):
    AuditEntry.objects.filter(seq=4).delete()
    with pytest.raises(CommandError):
        verify_output()


def test_reordered_entries_are_detected(chain):
    # Swap the content of two entries, keeping each row's seq.
    a, b = AuditEntry.objects.get(seq=2), AuditEntry.objects.get(seq=5)
    fields = [
        "at",
        "actor_id",
        "actor",
        "action",
        "object_type",
        "object_id",
        "details",
        "previous",
        "digest",
    ]
    values_a = {f: getattr(a, f) for f in fields}
    values_b = {f: getattr(b, f) for f in fields}
    AuditEntry.objects.filter(seq=2).update(**values_b)
    AuditEntry.objects.filter(seq=5).update(**values_a)
    with pytest.raises(CommandError):
        verify_output()


def test_a_removed_tail_is_detected_against_a_recorded_head(chain):
    head = f"6:{chain[-1].digest}"
    AuditEntry.objects.filter(seq__gte=5).delete()
    verify_output()  # a shorter chain is valid on its own...
    with pytest.raises(CommandError):
        call_command("verify_audit", expect_head=head)  # ...but not against the head recorded earlier


@pytest.mark.django_db(transaction=True)
def test_recording_outside_a_transaction_is_refused():
    with pytest.raises(AuditOutsideTransaction):
        audit_record(actor=None, action="report.view")
    assert not AuditEntry.objects.exists()
