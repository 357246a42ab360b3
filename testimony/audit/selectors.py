"""Reading the audit log: filtered pages (newest first, by keyset on ``seq``) and the chain checks."""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from testimony.audit.chain import GENESIS, Problem, entry_intact, verify
from testimony.audit.models import AuditEntry
from testimony.audit.services import CHECKPOINT_ACTION, audit_key
from testimony.crypto.atrest import SealError, unseal_text

PAGE_SIZE = 50


def _is_sealed(value) -> bool:
    return isinstance(value, dict) and set(value) == {"sealed", "context"}


def readable_details(details: dict | None) -> dict:
    """An entry's details for display, with values sealed by ``services.sealed_detail`` opened."""
    readable = {}
    for name, value in (details or {}).items():
        if _is_sealed(value):
            try:
                value = unseal_text(value["sealed"], context=value["context"])
            except SealError:
                value = _("(sealed; cannot be opened with the current keys)")
        readable[name] = value
    return readable


# Actions written under another name before single and bulk changes shared one: old → current.
# The log is hash-chained and never rewritten, so old entries keep the name they were written
# with; the log view shows them under the current name and filtering by either finds both.
RENAMED_ACTIONS = {
    "report.tag": "report.tag_accept",  # a bulk "tag" job accepts the tag, as the report page does
    "case.add_report": "case.report_add",  # a bulk "link to case" job
}


def current_action(name: str) -> str:
    return RENAMED_ACTIONS.get(name, name)


def action_names(name: str) -> list[str]:
    """Every name the action ``name`` (current or old) has been written under."""
    current = current_action(name)
    return [current, *sorted(old for old, new in RENAMED_ACTIONS.items() if new == current)]


@dataclass(frozen=True)
class AuditFilters:
    action: str = ""
    actor: str = ""  # login name at the time, or "system"
    object_type: str = ""
    object_id: str = ""
    since: dt.date | None = None
    until: dt.date | None = None  # inclusive


@dataclass(frozen=True)
class AuditPage:
    entries: list[AuditEntry]
    newer: int | None  # pass as ``after`` for the page of newer entries
    older: int | None  # pass as ``before`` for the page of older entries


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def audit_entries(filters: AuditFilters) -> QuerySet[AuditEntry]:
    entries = AuditEntry.objects.all()
    if filters.action:
        entries = entries.filter(action__in=action_names(filters.action))
    if filters.actor:
        entries = entries.filter(actor=filters.actor)
    if filters.object_type:
        entries = entries.filter(object_type=filters.object_type)
    if filters.object_id:
        entries = entries.filter(object_id=filters.object_id)
    if filters.since:
        entries = entries.filter(at__gte=_day_start(filters.since))
    if filters.until:
        entries = entries.filter(at__lt=_day_start(filters.until + dt.timedelta(days=1)))
    return entries


def audit_page(
    filters: AuditFilters, *, before: int | None = None, after: int | None = None, size: int = PAGE_SIZE
) -> AuditPage:
    """One page, newest first. ``before``: entries older than that seq; ``after``: newer than it.

    Keyset on the unique ``seq`` (indexed with action, actor and object), so a page deep in a
    long log costs what the first one does, and entries appended meanwhile do not shift pages.
    """
    entries = audit_entries(filters)
    if after is not None:
        rows = list(entries.filter(seq__gt=after).order_by("seq")[: size + 1])
        has_newer = len(rows) > size
        rows = list(reversed(rows[:size]))
        has_older = entries.filter(seq__lte=after).exists()
    else:
        entries_page = entries.filter(seq__lt=before) if before is not None else entries
        rows = list(entries_page.order_by("-seq")[: size + 1])
        has_older = len(rows) > size
        rows = rows[:size]
        has_newer = before is not None and entries.filter(seq__gte=before).exists()
    return AuditPage(
        entries=rows,
        newer=rows[0].seq if rows and has_newer else None,
        older=rows[-1].seq if rows and has_older else None,
    )


def audit_actions() -> list[str]:
    """The actions that occur in the log, for the filter's list (by their current names)."""
    return sorted(
        {current_action(name) for name in AuditEntry.objects.values_list("action", flat=True).distinct()}
    )


@dataclass(frozen=True)
class ChainCheck:
    head_seq: int
    head_digest: str
    problems: list[Problem] = field(default_factory=list)
    problem_count: int = 0

    @property
    def intact(self) -> bool:
        return not self.problem_count


def audit_chain_check(*, show: int | None = 50) -> ChainCheck:
    """Verify the whole chain, as ``manage.py verify_audit`` and the periodic task do.

    Reads every entry: never call it in a request (the log page uses ``audit_chain_recent``).
    """
    problems, last_seq, head = verify(
        AuditEntry.objects.order_by("seq").iterator(chunk_size=2000), audit_key()
    )
    return ChainCheck(
        head_seq=last_seq,
        head_digest=head,
        problems=problems[:show],
        problem_count=len(problems),
    )


# What the log page verifies in one request: the entries after the latest checkpoint, at most this
# many (benchmarks/audit_verify.py measures what that costs). The periodic full verification
# (config/celery.py, every 6 hours) keeps the entries since the checkpoint far fewer than this;
# beyond it the page says which entries it did not verify instead of reading on.
PAGE_VERIFY_LIMIT = 20_000
# Four missed periodic runs: the page says the full verification seems to have stopped.
CHECKPOINT_STALE_AFTER = dt.timedelta(hours=24)


@dataclass(frozen=True)
class Checkpoint:
    """What the latest full verification found, read from its own (chained) entry."""

    seq: int  # the checkpoint entry itself
    at: dt.datetime
    by: str
    head_seq: int  # entries 1..head_seq were verified, intact or not as below
    head_digest: str
    problem_count: int
    problem_seqs: list[int]
    stale: bool

    @property
    def intact(self) -> bool:
        return not self.problem_count


def latest_checkpoint() -> tuple[Checkpoint | None, list[Problem]]:
    """The latest checkpoint, and the problems that make it unusable (then it is None).

    One indexed query. The checkpoint's own digest is checked, so an entry forged or edited by
    someone without the key to look like a checkpoint is reported, never trusted.
    """
    entry = AuditEntry.objects.filter(action=CHECKPOINT_ACTION).order_by("-seq").first()
    if entry is None:
        return None, []
    details = entry.details if isinstance(entry.details, dict) else {}
    if not entry_intact(entry, audit_key()) or not 0 <= details.get("head_seq", -1) < entry.seq:
        return None, [Problem(entry.seq, _("a verification checkpoint that does not match its digest"))]
    return (
        Checkpoint(
            seq=entry.seq,
            at=entry.at,
            by=details.get("by", ""),
            head_seq=details["head_seq"],
            head_digest=details.get("head_digest", ""),
            problem_count=details.get("problems", 0),
            problem_seqs=details.get("problem_seqs", []),
            stale=entry.at < timezone.now() - CHECKPOINT_STALE_AFTER,
        ),
        [],
    )


@dataclass(frozen=True)
class RecentCheck:
    """The log page's check: entries ``first_seq``..``last_seq`` verified now, after ``checkpoint``."""

    checkpoint: Checkpoint | None
    first_seq: int
    last_seq: int  # first_seq - 1 when there was nothing to verify
    head_digest: str  # the digest of entry last_seq
    tail_seq: int  # the newest entry: those after last_seq were not verified now
    entries_read: int
    problems: list[Problem] = field(default_factory=list)
    problem_count: int = 0

    @property
    def unverified(self) -> int:
        return max(self.tail_seq - self.last_seq, 0)

    @property
    def checked_now(self) -> int:
        return max(self.last_seq - self.first_seq + 1, 0)

    @property
    def damaged(self) -> bool:
        return bool(self.problem_count) or (self.checkpoint is not None and not self.checkpoint.intact)

    @property
    def intact(self) -> bool:
        """Nothing damaged found, and every entry verified (now, or up to the checkpoint)."""
        return not self.damaged and not self.unverified


def audit_chain_recent(*, limit: int | None = None, show: int = 50) -> RecentCheck:
    """Verify the entries after the latest checkpoint, at most ``limit`` of them (bounded work).

    Entries up to the checkpoint are taken as the full verification found them: a change to one
    of them made after it shows at the next full verification, not here (docs/audit.md). The
    entry the checkpoint ends on is re-checked, so the chain verified now hangs on the real one.
    """
    limit = PAGE_VERIFY_LIMIT if limit is None else limit
    key = audit_key()
    checkpoint, problems = latest_checkpoint()
    first_seq, previous, read = 1, GENESIS, 0
    if checkpoint is not None:
        first_seq, previous = checkpoint.head_seq + 1, checkpoint.head_digest
        if checkpoint.head_seq:
            read += 1
            head = AuditEntry.objects.filter(seq=checkpoint.head_seq).first()
            if head is None:
                problems.append(Problem(checkpoint.head_seq, _("missing since the last full verification")))
            elif head.digest != checkpoint.head_digest or not entry_intact(head, key):
                problems.append(Problem(checkpoint.head_seq, _("changed since the last full verification")))

    rows = iter(
        AuditEntry.objects.filter(seq__gte=first_seq).order_by("seq")[: limit + 1].iterator(chunk_size=2000)
    )

    def counted(entries):
        nonlocal read
        for entry in entries:
            read += 1
            yield entry

    found, last_seq, head_digest = verify(
        counted(itertools.islice(rows, limit)), key, first_seq=first_seq, previous=previous
    )
    problems += found
    if next(rows, None) is None:
        tail_seq = last_seq
    else:
        read += 1
        tail_seq = AuditEntry.objects.order_by("-seq").values_list("seq", flat=True).first() or last_seq
    return RecentCheck(
        checkpoint=checkpoint,
        first_seq=first_seq,
        last_seq=last_seq,
        head_digest=head_digest,
        tail_seq=tail_seq,
        entries_read=read,
        problems=problems[:show],
        problem_count=len(problems),
    )
