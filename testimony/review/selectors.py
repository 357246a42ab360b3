"""Reads for the console, and the access gates every path to a report or case goes through.

Scope: a user sees the reports of their organisation's caseloads (plus the reports not yet
routed, if their organisation runs the intake); a reviewer whose account lists caseloads sees
only those. What a role may do is ``accounts.permissions``; where it may do it is here. Out of
scope is 404, never 403, so that ids cannot be probed. There is no superuser branch.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from testimony.accounts.models import Caseload, Role, User
from testimony.accounts.permissions import can
from testimony.review.models import Attachment, Case, CaseReport, Report, ReportCount


def _report_scope(user) -> Q | None:
    organisation_id = getattr(user, "organisation_id", None)
    if organisation_id is None:
        return None
    if user.role == Role.REVIEWER:
        caseload_ids = list(user.caseloads.values_list("id", flat=True))
        if caseload_ids:
            return Q(caseload_id__in=caseload_ids)
    # The organisation's caseload ids as a list, not a join on the caseload table: every query
    # through this scope (queue, aggregates over a million reports) then filters on the report's
    # own column, which its indexes cover (about a third less work for a full count).
    caseload_ids = list(Caseload.objects.filter(organisation_id=organisation_id).values_list("id", flat=True))
    scope = Q(caseload_id__in=caseload_ids)
    if user.organisation.receives_intake:
        scope |= Q(caseload__isnull=True)
    return scope


def _in_scope(model, user, action: str) -> QuerySet:
    """``model``'s rows under the report scope's conditions (on its own ``caseload`` column); none
    when the role may not do ``action``. The reports and their queue counts share it."""
    scope = _report_scope(user) if can(user, action) else None
    return model.objects.none() if scope is None else model.objects.filter(scope)


def reports_in_scope(user, *, action: str = "report.view") -> QuerySet[Report]:
    """Every report the user may see (or, with another action, act on); none when the role may not."""
    return _in_scope(Report, user, action)


def report_counts_in_scope(user) -> QuerySet[ReportCount]:
    """The queue's count rows (``ReportCount``) for the reports ``reports_in_scope(user)`` holds:
    a reviewer limited to caseloads counts only theirs, only the intake organisation counts
    unrouted reports."""
    return _in_scope(ReportCount, user, "report.view")


def access_report(*, user, report_id, for_write: bool = False) -> Report:
    action = "report.edit" if for_write else "report.view"
    try:
        return reports_in_scope(user, action=action).get(pk=report_id)
    except (Report.DoesNotExist, ValidationError, ValueError, TypeError):  # a malformed id is not found
        raise Http404 from None


def access_attachment(*, user, attachment_id: int) -> Attachment:
    try:
        attachment = Attachment.objects.get(pk=attachment_id)
    except (Attachment.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    access_report(user=user, report_id=attachment.report_id)
    return attachment


def cases_in_scope(user, *, action: str = "case.view") -> QuerySet[Case]:
    if not can(user, action) or getattr(user, "organisation_id", None) is None:
        return Case.objects.none()
    cases = Case.objects.filter(organisation_id=user.organisation_id)
    if user.role == Role.REVIEWER and user.caseloads.exists():
        visible = reports_in_scope(user).values("pk")
        cases = cases.filter(Exists(CaseReport.objects.filter(case=OuterRef("pk"), report__in=visible)))
    return cases


def access_case(*, user, case_id, for_write: bool = False, action: str | None = None) -> Case:
    """The case, if in the user's scope for ``action`` (default: view, or edit ``for_write``); else 404."""
    action = action or ("case.edit" if for_write else "case.view")
    try:
        return cases_in_scope(user, action=action).get(pk=case_id)
    except (Case.DoesNotExist, ValidationError, ValueError, TypeError):
        raise Http404 from None


def assignable_users(user) -> QuerySet[User]:
    """People of ``user``'s organisation a report may be assigned to (the queue's assignee filter,
    the bulk form, the export form's copy of the queue's filters); small: one organisation."""
    if user.organisation_id is None:
        return User.objects.none()
    return (
        User.objects.filter(
            organisation_id=user.organisation_id, is_active=True, role__in=[Role.REVIEWER, Role.COORDINATOR]
        )
        .only("pk", "username")
        .order_by("username")
    )


def report_id_pages(*, size: int):
    """Every report's id, ascending, in lists of at most ``size``: keyset pages, so memory stays
    flat whatever the table's size and rows added meanwhile behind the cursor are not revisited.
    For maintenance commands that walk all reports; no scope (they run as the operator)."""
    last = None
    while True:
        ids = Report.objects.order_by("pk").values_list("pk", flat=True)
        if last is not None:
            ids = ids.filter(pk__gt=last)
        page = list(ids[:size])
        if not page:
            return
        yield page
        last = page[-1]
