"""Reading the audit log: filtered pages (newest first, by keyset on ``seq``) and the chain check."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from testimony.audit.chain import Problem, verify
from testimony.audit.models import AuditEntry
from testimony.audit.services import audit_key
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
    intact: bool
    head_seq: int
    head_digest: str
    problems: list[Problem] = field(default_factory=list)
    problem_count: int = 0


def audit_chain_check(*, show: int = 50) -> ChainCheck:
    """Verify the whole chain as ``manage.py verify_audit`` does; the head can be recorded elsewhere."""
    problems, last_seq, head = verify(
        AuditEntry.objects.order_by("seq").iterator(chunk_size=2000), audit_key()
    )
    return ChainCheck(
        intact=not problems,
        head_seq=last_seq,
        head_digest=head,
        problems=problems[:show],
        problem_count=len(problems),
    )
