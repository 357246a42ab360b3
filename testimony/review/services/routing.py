"""Routing: which caseload of the organisation a report is in (``Report.caseload``).

Scope follows the caseload (``review.selectors._report_scope``): the organisation owning the
caseload sees the report, a reviewer limited to caseloads only if it is one of theirs, and a
report in no caseload ("unrouted") belongs to the organisation that receives intake. Routing is
therefore a change of who sees a report, and these rules hold whatever the caller (the report
page, the bulk job):

- Only with ``report.assign`` (coordinators), and only a report in the user's scope (404
  otherwise, like every gate).
- Only to an open caseload of the user's own organisation. Back to "unrouted" only for an
  organisation that receives intake: for any other, the report would leave its sight.
- The target caseload's row is locked before the report's, as ``accounts.organisations``
  (``caseload_archive``) and ``accounts.services._lock_caseloads`` lock it. So routing and
  archiving cannot race: an archiving waits for a routing into the caseload and then counts its
  report (refused); a routing waits for an archiving and then sees it archived (refused). The
  order (caseload, then report) is the one every writer uses, so no two wait in a circle.
- Whoever would no longer see the report loses what they held on it: the assignee is cleared,
  and so is the soft lock of its holder. The entry says so; nothing is left dangling.
- One audit entry per report routed (``report.route``: ``from`` and ``to`` caseload ids, what was
  cleared, the coordinator's note sealed), in the same transaction. The report page's history
  reads the log by report, so the move shows there.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from testimony.accounts.models import Caseload, User
from testimony.accounts.permissions import require
from testimony.audit.services import audit_record, sealed_detail
from testimony.review.models import Report
from testimony.review.selectors import reports_in_scope

ACTION = "report.assign"
NOTE_MAX_CHARS = 2000


class RoutingRefused(ValidationError):
    """The target is not allowed; the message says why and what to choose instead."""


def routable_caseloads(user) -> QuerySet[Caseload]:
    """The caseloads ``user`` may route to: their organisation's open ones, by name."""
    if getattr(user, "organisation_id", None) is None:
        return Caseload.objects.none()
    return Caseload.objects.filter(organisation_id=user.organisation_id, archived_at__isnull=True).order_by(
        "name"
    )


def may_unroute(user) -> bool:
    """Unrouted reports belong to the intake organisation: only its people may send one back there."""
    organisation = getattr(user, "organisation", None)
    return bool(organisation is not None and organisation.receives_intake)


def clean_note(note: str) -> str:
    note = (note or "").strip()
    if len(note) > NOTE_MAX_CHARS:
        raise RoutingRefused(_("The note is too long."))
    return note


def _unroute_refused() -> RoutingRefused:
    return RoutingRefused(
        _(
            "Your organisation does not receive intake: a report in no caseload would leave its "
            "sight. Choose one of its caseloads."
        )
    )


def _not_routable() -> RoutingRefused:
    return RoutingRefused(_("Choose an open caseload of your organisation."))


def _as_id(value) -> int | None:
    try:
        return int(value)
    except (ValueError, TypeError):
        return None


def check_target(*, user, caseload_id: int | None) -> None:
    """Refuse a target ``user`` may not route to, without locking (a form's early answer)."""
    _target(user=user, caseload_id=caseload_id, lock=False)


def lock_target(*, user, caseload_id: int | None) -> Caseload | None:
    """Lock the target caseload's row and check it; None for "unrouted".

    Precondition: inside ``transaction.atomic``, and no report row locked yet (lock order).
    """
    return _target(user=user, caseload_id=caseload_id, lock=True)


def _target(*, user, caseload_id: int | None, lock: bool) -> Caseload | None:
    """The rules on a target, one place for the early check and the locked one."""
    if caseload_id is None:
        if not may_unroute(user):
            raise _unroute_refused()
        return None
    pk, organisation_id = _as_id(caseload_id), getattr(user, "organisation_id", None)
    if pk is None or organisation_id is None:
        raise _not_routable()
    caseloads = Caseload.objects.select_for_update() if lock else Caseload.objects
    caseload = caseloads.filter(pk=pk, organisation_id=organisation_id).first()
    if caseload is None:
        raise _not_routable()
    if caseload.archived_at is not None:
        raise RoutingRefused(
            _(
                "The caseload “%(name)s” is archived: choose an open one, or ask an administrator "
                "to reopen it."
            )
            % {"name": caseload.name}
        )
    return caseload


def _who_sees(reports: list[Report]) -> dict[int, set]:
    """For each assignee and lock holder of ``reports``: which of them they see as they are now."""
    ids = [report.pk for report in reports]
    people = {pk for report in reports for pk in (report.assignee_id, report.locked_by_id) if pk}
    return {
        person.pk: set(reports_in_scope(person).filter(pk__in=ids).values_list("pk", flat=True))
        for person in User.objects.filter(pk__in=people).select_related("organisation")
    }


def route_locked(
    *,
    user,
    reports: list[Report],
    caseload: Caseload | None,
    note: str = "",
    bulk_job_id=None,
) -> list[Report]:
    """Route ``reports`` to ``caseload`` (None: unrouted); returns those moved (the others were there).

    Shared by ``report_route`` and the bulk job. Preconditions: inside ``transaction.atomic``;
    the caller locked the caseload (``lock_target``), then the reports' rows, and checked that
    the reports are in ``user``'s scope for ``report.assign``; ``note`` is clean (``clean_note``).
    """
    target_id = caseload.pk if caseload is not None else None
    moved = [report for report in reports if report.caseload_id != target_id]
    previous = {report.pk: report.caseload_id for report in moved}
    for report in moved:
        report.caseload = caseload
        report.save(update_fields=["caseload", "updated_at"])
    # Asked after the move is written, through the one scope function, so "can still see it"
    # means exactly what the console will then show them.
    sees = _who_sees(moved) if moved else {}
    for report in moved:
        cleared: dict = {}
        if report.assignee_id and report.pk not in sees.get(report.assignee_id, ()):
            cleared["assignee_cleared"] = report.assignee_id
            report.assignee_id = None
        if report.locked_by_id and report.pk not in sees.get(report.locked_by_id, ()):
            cleared["lock_cleared"] = report.locked_by_id
            report.locked_by_id, report.locked_until = None, None
        if cleared:
            fields = ["updated_at"]
            fields += ["assignee"] if "assignee_cleared" in cleared else []
            fields += ["locked_by", "locked_until"] if "lock_cleared" in cleared else []
            report.save(update_fields=fields)
        details: dict = {"from": previous[report.pk], "to": target_id, **cleared}
        if note:
            details["note"] = sealed_detail(note, context=f"audit.route_note:{report.pk}")
        if bulk_job_id is not None:
            details["bulk"] = str(bulk_job_id)
        audit_record(
            actor=user, action="report.route", object_type="report", object_id=str(report.pk), details=details
        )
    return moved


def _gate(user, report_id):
    """The report's id if it is in ``user``'s scope for routing; else 404 (a malformed id too)."""
    try:
        return reports_in_scope(user, action=ACTION).values_list("pk", flat=True).get(pk=report_id)
    except (Report.DoesNotExist, ValidationError, ValueError, TypeError):
        raise Http404 from None


def report_route(*, user, report_id, caseload_id: int | None, note: str = "") -> Report:
    """Route one report to ``caseload_id`` (None: unrouted). No change, no entry; and so a note
    sent with the caseload the report is already in is refused rather than dropped unsaid.

    Raises ``PermissionDenied`` without ``report.assign``, ``Http404`` for a report out of
    scope, ``RoutingRefused`` for a target the rules above refuse.
    """
    require(user, ACTION)
    note = clean_note(note)
    with transaction.atomic():
        pk = _gate(user, report_id)  # out of scope is 404 first, whatever the target
        caseload = lock_target(user=user, caseload_id=caseload_id)
        # Locked through the scope again: what is locked is what the gate allows now.
        report = reports_in_scope(user, action=ACTION).select_for_update().filter(pk=pk).first()
        if report is None:
            raise Http404
        if note and report.caseload_id == (caseload.pk if caseload is not None else None):
            raise RoutingRefused(
                _("The report is already in this caseload: nothing changed, and the note was not kept.")
            )
        route_locked(user=user, reports=[report], caseload=caseload, note=note)
    return report
