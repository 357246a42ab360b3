"""Who works on a report: assignment (a standing responsibility) and the soft lock (right now).

Reviewers may assign a report to themselves only (``report.claim``); coordinators to anyone who
can work on it (``report.assign``). The soft lock says "someone has this open": it lasts
``CONSOLE_SOFT_LOCK_MINUTES`` from the last refresh and is not enforced on writes. Others see it
in the queue and on the report; an expired lock is simply taken, a live one only with
``take_over=True`` (the page asks first) and that take-over is audited. Taking and refreshing
one's own lock is not audited: it happens on every page view and says nothing new.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone

from testimony.accounts.models import User
from testimony.accounts.permissions import can
from testimony.audit.services import audit_record
from testimony.review.models import Report
from testimony.review.selectors import reports_in_scope


def lock_duration() -> dt.timedelta:
    return dt.timedelta(minutes=settings.CONSOLE_SOFT_LOCK_MINUTES)


class LockHeld(Exception):
    """Someone else holds a live lock; the caller should ask before taking it over."""

    def __init__(self, holder: str, since: dt.datetime, until: dt.datetime):
        super().__init__(holder)
        self.holder, self.since, self.until = holder, since, until


@dataclass(frozen=True)
class LockInfo:
    holder_id: int
    holder: str
    since: dt.datetime  # the last time the holder took or refreshed it
    until: dt.datetime


def lock_info(report: Report, *, now: dt.datetime | None = None) -> LockInfo | None:
    """The live lock on ``report``, if any (needs ``locked_by`` loaded or selected)."""
    now = now or timezone.now()
    if report.locked_by_id is None or report.locked_until is None or report.locked_until <= now:
        return None
    return LockInfo(
        holder_id=report.locked_by_id,
        holder=report.locked_by.username if report.locked_by else "",
        since=report.locked_until - lock_duration(),
        until=report.locked_until,
    )


def _locked_report(*, user, report_id, action: str) -> Report:
    """Gate (404 out of scope or without the permission) and lock the row. Caller is atomic."""
    try:
        pk = reports_in_scope(user, action=action).values_list("pk", flat=True).get(pk=report_id)
    except (Report.DoesNotExist, ValidationError, ValueError, TypeError):  # a malformed id is not found
        raise Http404 from None
    return Report.objects.select_for_update().get(pk=pk)


def report_assign(*, user, report_id, assignee_id: int | None) -> Report:
    """Assign the report to ``assignee_id`` (None: nobody). Audited when it changes anything."""
    to_self = assignee_id is not None and int(assignee_id) == user.pk
    action = "report.claim" if to_self else "report.assign"
    with transaction.atomic():
        if not can(user, action):
            # A reviewer may still give back a report assigned to them.
            current = reports_in_scope(user, action="report.claim").filter(pk=report_id)
            if not (assignee_id is None and current.filter(assignee_id=user.pk).exists()):
                raise PermissionDenied(action)
            action = "report.claim"
        report = _locked_report(user=user, report_id=report_id, action=action)
        if assignee_id is not None:
            assignee = User.objects.filter(pk=assignee_id, is_active=True).first()
            if (
                assignee is None
                or not can(assignee, "report.edit")
                or not reports_in_scope(assignee).filter(pk=report.pk).exists()
            ):
                raise PermissionDenied("assignee cannot work on this report")
            assignee_id = assignee.pk
        previous = report.assignee_id
        if previous == assignee_id:
            return report
        report.assignee_id = assignee_id
        report.save(update_fields=["assignee", "updated_at"])
        audit_record(
            actor=user,
            action="report.assign",
            object_type="report",
            object_id=str(report.pk),
            details={"from": previous, "to": assignee_id},
        )
    return report


def report_lock(*, user, report_id, take_over: bool = False) -> Report:
    """Take or refresh the soft lock for ``CONSOLE_SOFT_LOCK_MINUTES``.

    Raises ``LockHeld`` if another user holds a live lock and ``take_over`` is false.
    """
    now = timezone.now()
    with transaction.atomic():
        report = _locked_report(user=user, report_id=report_id, action="report.claim")
        held_by_other = (
            report.locked_by_id not in (None, user.pk)
            and report.locked_until is not None
            and report.locked_until > now
        )
        if held_by_other:
            holder = User.objects.filter(pk=report.locked_by_id).values_list("username", flat=True).first()
            if not take_over:
                raise LockHeld(holder or "", report.locked_until - lock_duration(), report.locked_until)
            audit_record(
                actor=user,
                action="report.lock_take_over",
                object_type="report",
                object_id=str(report.pk),
                details={"from": report.locked_by_id, "until": report.locked_until.isoformat()},
            )
        report.locked_by_id = user.pk
        report.locked_until = now + lock_duration()
        # Not updated_at: holding a report open does not change it.
        Report.objects.filter(pk=report.pk).update(locked_by_id=user.pk, locked_until=report.locked_until)
    return report


def report_unlock(*, user, report_id) -> bool:
    """Release the caller's own lock. Someone else's lock stays (take it over instead)."""
    with transaction.atomic():
        report = _locked_report(user=user, report_id=report_id, action="report.claim")
        if report.locked_by_id != user.pk:
            return False
        Report.objects.filter(pk=report.pk).update(locked_by=None, locked_until=None)
    return True
