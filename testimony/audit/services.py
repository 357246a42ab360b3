"""Writing to the audit log. Every audited action calls ``audit_record`` inside its own transaction."""

from __future__ import annotations

from django.db import connection, transaction
from django.utils import timezone

from testimony.audit.chain import GENESIS, digest, entry_fields
from testimony.audit.models import AuditEntry
from testimony.crypto.atrest import seal_text
from testimony.crypto.keys import derived_key

# Any constant: every writer of the log takes this transaction-level lock, so entries get
# consecutive numbers and each links to the one before, whatever runs concurrently.
_ADVISORY_LOCK = 0x61756474


class AuditOutsideTransaction(RuntimeError):
    pass


def audit_key() -> bytes:
    return derived_key("audit-chain")


def sealed_detail(text: str, *, context: str) -> dict:
    """A detail that a person typed (a custodian's reason): sealed with a data key, not in clear.

    Administrators read it through ``selectors.readable_details``; the chain covers the sealed
    form, so it still shows if the value is changed.
    """
    return {"sealed": seal_text(text, context=context), "context": context}


def audit_record(
    *,
    actor,
    action: str,
    object_type: str = "",
    object_id: object = "",
    details: dict | None = None,
) -> AuditEntry:
    """Append an entry. Precondition: the caller is inside ``transaction.atomic`` with the action.

    ``actor`` is a user, or None for the system (periodic tasks). ``details`` must hold no
    testimony text: ids, labels, counts, states, reasons chosen from a list; anything a person
    typed goes in through ``sealed_detail``.
    """
    if not connection.in_atomic_block:
        raise AuditOutsideTransaction(action)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_ADVISORY_LOCK])
    # SQLite: transactions begin IMMEDIATE (settings), so writers are already serialised.
    last = AuditEntry.objects.order_by("-seq").values_list("seq", "digest").first()
    seq, previous = (last[0] + 1, last[1]) if last else (1, GENESIS)
    entry = AuditEntry(
        seq=seq,
        at=timezone.now(),
        actor_id=getattr(actor, "pk", None),
        actor=getattr(actor, "username", "") if actor is not None else "system",
        action=action,
        object_type=object_type,
        object_id=str(object_id) if object_id != "" else "",
        details=details or {},
        previous=previous,
    )
    entry.digest = digest(audit_key(), previous, entry_fields(entry))
    entry.save(force_insert=True)
    return entry


def audit_record_now(**kwargs) -> AuditEntry:
    """``audit_record`` in a transaction of its own, for an action that writes nothing else (a view)."""
    with transaction.atomic():
        return audit_record(**kwargs)


# --- Checkpoints --------------------------------------------------------------------------------

# A full verification (``manage.py verify_audit``, the periodic ``audit.verify_chain``) appends its
# result to the log itself. Being an entry, a checkpoint is covered by the chain's HMAC: nobody
# without the key can forge one or change what it claims, and removing one breaks the chain.
# The log page then checks only the entries after the latest checkpoint (selectors.audit_chain_recent).
CHECKPOINT_ACTION = "audit.checkpoint"
CHECKPOINT_PROBLEM_SEQS = 20  # how many damaged entries a checkpoint names; the command lists all


def audit_checkpoint_record(*, check, by: str) -> AuditEntry:
    """Record the result of a full walk (``selectors.audit_chain_check``) as a checkpoint entry.

    ``check`` must come from a walk of the whole log: the log page takes entries up to
    ``check.head_seq`` as verified at this entry's time, damaged or not as ``check`` says.
    """
    return audit_record_now(
        actor=None,
        action=CHECKPOINT_ACTION,
        object_type="audit",
        details={
            "by": by,
            "problems": check.problem_count,  # intact when 0: not stored a second time
            "problem_seqs": sorted({problem.seq for problem in check.problems})[:CHECKPOINT_PROBLEM_SEQS],
            "head_seq": check.head_seq,
            "head_digest": check.head_digest,
        },
    )
