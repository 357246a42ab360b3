"""Bulk actions over the whole filtered set of the queue, run as a background job with progress.

``bulk_job_start`` records the filters, the action and its parameters on a ``BulkJob`` and enqueues
``review.run_bulk_job`` once the row is committed; the reviewer's own words among them (a state
note, the search words of the filters) are stored sealed, never in clear. ``bulk_job_run`` (the
task's body) evaluates the filters again with the creator's scope, so a job never reaches a
report its creator could not, and works through the matches in id order, 500 at a time, each
batch in its own transaction together with the job's counters and its cursor (the last id
handled). A redelivered task therefore resumes after the cursor: nothing is changed or counted
twice. Reports already as the action would make them are counted as skipped and left alone (no
audit row).

Audit: one row per changed report (``report.state``, ``report.assign``, ``report.tag_accept``,
``case.report_add``, ``report.route``, each with ``"bulk": <job id>``), not one row per batch.
The action names are those of the single changes, so that a filter on one finds both (before,
bulk tag and link rows were ``report.tag`` and ``case.add_report``;
``audit.selectors.RENAMED_ACTIONS`` maps them). The report page's history reads the log by
report, and a bulk change must appear there like any other; the cost (one chained insert per
report, a few seconds for 10,000) is paid by the worker, not the page.

Stuck jobs: a running task holds a lease on its job in the cache (Redis in production, the
database cache otherwise: shared by every process) and renews it after every batch. A job still
``queued`` or ``running`` with no live lease some time after it was created has lost its task (a
worker killed, a message lost, the broker down when it was started): the sweeper
(``bulk_jobs_sweep``, run by ``processing.sweep_stale``) enqueues it again, and it resumes after
its cursor. One that keeps getting stuck, or is a day old, is marked ``failed``, visibly on its
progress page and in the audit log. The lease is in the cache, not a column, so that no
migration is needed; a lost lease (cache flushed) costs at worst a second delivery, which finds
the lease taken or the job finished and does nothing, or resumes a dead job early.

Routing (``route``) follows ``services.routing``, which the single change uses too: it needs
``report.assign`` as well as ``report.bulk``, and each batch locks the target caseload's row
before its reports' rows (the lock order that keeps archiving from racing it). A target archived
or gone while the job runs stops the job (``failed``, the batches before stay routed), as an
assignee or case out of reach does.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid

from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from testimony.accounts.models import User
from testimony.accounts.permissions import can, require
from testimony.audit.services import audit_record
from testimony.crypto.atrest import seal_text, unseal_text
from testimony.review.filters import QueueFilters, queue_filter
from testimony.review.models import BulkJob, CaseReport, Report, ReportTag, Tag
from testimony.review.models.reports import ReviewState
from testimony.review.selectors import cases_in_scope, reports_in_scope
from testimony.review.services import routing
from testimony.review.services.states import TRANSITIONS, apply_state, check_note

logger = logging.getLogger(__name__)

BATCH_SIZE = 500
ACTIONS = ("assign", "tag", "state", "link_case", "route")
# A running task renews its lease after every batch (a batch takes seconds); one that has not
# for this long is dead or hung.
LEASE_SECONDS = 10 * 60
# A job with no live lease this long after it was created has lost its task: enqueue it again.
STUCK_AFTER = dt.timedelta(minutes=15)
# How often the sweeper enqueues one job again before giving up on it, and the age at which it
# gives up whatever the count (the count lives in the cache and may be lost with it).
MAX_REQUEUES = 3
GIVE_UP_AFTER = dt.timedelta(days=1)


class BulkRefused(ValidationError):
    pass


def _note_context(job_id) -> str:
    return f"bulkjob.note:{job_id}"


def _search_context(job_id) -> str:
    return f"bulkjob.q:{job_id}"


def _validated_params(*, user, action: str, params: dict, job_id) -> dict:
    """Check the parameters now, while the user can be told; keep only ids and codes."""
    if action == "assign":
        assignee_id = params.get("assignee_id")
        if assignee_id in (None, ""):
            return {"assignee_id": None}
        assignee = User.objects.filter(
            pk=int(assignee_id), is_active=True, organisation_id=user.organisation_id
        ).first()
        if assignee is None or not can(assignee, "report.edit"):
            raise BulkRefused(_("That person cannot work on reports."))
        return {"assignee_id": assignee.pk}
    if action == "tag":
        tag = Tag.objects.filter(slug=params.get("tag", ""), active=True).first()
        if tag is None:
            raise BulkRefused(_("Choose a tag."))
        return {"tag": tag.slug}
    if action == "state":
        state = params.get("state", "")
        note = (params.get("note") or "").strip()
        if state not in ReviewState.values or state == ReviewState.DUPLICATE:
            # Marking duplicates needs the one report each duplicates: do it from the report.
            raise BulkRefused(_("Choose a state."))
        check_note(state=state, note=note, refused=BulkRefused)
        # The note is the reviewer's free text: only sealed, never in clear in params.
        sealed = seal_text(note, context=_note_context(job_id)) if note else ""
        return {"state": state, "note_sealed": sealed}
    if action == "link_case":
        case = cases_in_scope(user, action="case.edit").filter(pk=params.get("case_id") or 0).first()
        if case is None:
            raise BulkRefused(_("No case with that number in your cases."))
        return {"case_id": case.pk}
    if action == "route":
        return _validated_route(user=user, params=params, job_id=job_id)
    raise BulkRefused(_("Unknown action."))


def _validated_route(*, user, params: dict, job_id) -> dict:
    """``caseload_id``: a caseload id, or None for "unrouted" ("" or missing: not chosen)."""
    if not can(user, routing.ACTION):
        raise PermissionDenied(routing.ACTION)
    caseload_id = params.get("caseload_id", "")
    if caseload_id == "":
        raise BulkRefused(_("Choose a caseload."))
    try:
        note = routing.clean_note(params.get("note") or "")
        routing.check_target(user=user, caseload_id=caseload_id)
    except routing.RoutingRefused as refused:
        raise BulkRefused(refused.messages[0]) from None
    return {
        "caseload_id": None if caseload_id is None else int(caseload_id),
        # The coordinator's words: only sealed, never in clear in params.
        "note_sealed": seal_text(note, context=_note_context(job_id)) if note else "",
    }


def bulk_job_start(*, user, filters: QueueFilters, action: str, params: dict) -> BulkJob:
    """Create the job and enqueue it after commit. ``params`` per action:
    assign ``{"assignee_id": id|None}``, tag ``{"tag": slug}``, state ``{"state", "note"}``,
    link_case ``{"case_id": id}``, route ``{"caseload_id": id|None, "note"}`` (None: unrouted).
    """
    require(user, "report.bulk")
    job_id = uuid.uuid4()
    clean = _validated_params(user=user, action=action, params=params, job_id=job_id)
    with transaction.atomic():
        job = BulkJob.objects.create(
            id=job_id,
            created_by=user,
            action=action,
            params=clean,
            filters=filters.to_sealed_json(context=_search_context(job_id)),
            total=queue_filter(
                reports_in_scope(user, action="report.bulk"), filters=filters, user=user
            ).count(),
        )
        audit_record(
            actor=user,
            action="bulk.start",
            object_type="bulk_job",
            object_id=str(job.pk),
            details={
                "action": action,
                "params": {key: value for key, value in clean.items() if key != "note_sealed"},
                "note": bool(clean.get("note_sealed")),
                "filters": {**filters.to_json(), "q": "(search words)"} if filters.q else job.filters,
                "total": job.total,
            },
        )
        transaction.on_commit(lambda: _enqueue(job.pk))
    return job


def _enqueue(job_id) -> None:
    from kombu.exceptions import OperationalError

    from testimony.review.tasks import run_bulk_job

    try:
        run_bulk_job.apply_async(kwargs={"job_id": str(job_id)})
    except (OperationalError, OSError):
        logger.warning("Broker unavailable; the bulk job stays queued.")


def bulk_job_mark_failed(*, job_id) -> None:
    BulkJob.objects.filter(id=job_id).exclude(state=BulkJob.State.DONE).update(
        state=BulkJob.State.FAILED, finished_at=timezone.now()
    )


# --- the running task's lease, and the sweep of jobs that lost theirs ----------------------------


def _lease_key(job_id) -> str:
    return f"review.bulkjob.lease:{job_id}"


def _requeues_key(job_id) -> str:
    return f"review.bulkjob.requeues:{job_id}"


def _lease_take(job_id) -> str | None:
    """A token if this delivery may run the job; None while another's lease is alive."""
    token = uuid.uuid4().hex
    return token if cache.add(_lease_key(job_id), token, timeout=LEASE_SECONDS) else None


def _lease_renew(job_id, token: str) -> bool:
    """Extend our lease; False if it is no longer ours (it expired and another delivery took it)."""
    if cache.get(_lease_key(job_id)) != token:
        return False
    cache.set(_lease_key(job_id), token, timeout=LEASE_SECONDS)
    return True


def _lease_release(job_id, token: str) -> None:
    if cache.get(_lease_key(job_id)) == token:
        cache.delete(_lease_key(job_id))


def bulk_jobs_sweep(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Enqueue again the jobs that lost their task, or fail those that keep losing it.

    Run by the periodic sweeper. A job counts as stuck when it is ``queued`` or ``running``, was
    created more than ``STUCK_AFTER`` ago, and no task holds its lease. Returns the counts.
    """
    now = now or timezone.now()
    requeued = failed = 0
    stuck = BulkJob.objects.filter(
        state__in=[BulkJob.State.QUEUED, BulkJob.State.RUNNING], created_at__lt=now - STUCK_AFTER
    ).values_list("pk", "created_at")
    for job_id, created_at in list(stuck[:100]):
        if cache.get(_lease_key(job_id)) is not None:
            continue  # a task is working on it
        requeues = cache.get(_requeues_key(job_id), 0)
        if requeues >= MAX_REQUEUES or created_at < now - GIVE_UP_AFTER:
            with transaction.atomic():
                changed = BulkJob.objects.filter(
                    id=job_id, state__in=[BulkJob.State.QUEUED, BulkJob.State.RUNNING]
                ).update(state=BulkJob.State.FAILED, finished_at=now)
                if changed:
                    audit_record(
                        actor=None,
                        action="bulk.fail",
                        object_type="bulk_job",
                        object_id=str(job_id),
                        details={"reason": "stuck", "requeues": requeues},
                    )
            failed += changed
            cache.delete(_requeues_key(job_id))
            continue
        cache.set(_requeues_key(job_id), requeues + 1, timeout=int(GIVE_UP_AFTER.total_seconds()))
        _enqueue(job_id)
        requeued += 1
    return {"requeued": requeued, "failed": failed}


def bulk_job_run(*, job_id) -> str:
    """Do the job's work, batch by batch. Safe to run again: it resumes after its cursor.

    Only one delivery works on a job at a time: the one holding its lease (see the module's
    docstring); another returns at once and leaves the job to it.
    """
    job = BulkJob.objects.filter(id=job_id).only("state").first()
    if job is None:
        logger.info("Bulk job vanished before it ran; nothing to do.")
        return "missing"
    if job.state not in (BulkJob.State.QUEUED, BulkJob.State.RUNNING):
        return job.state  # finished already: a redelivery is a no-op
    token = _lease_take(job_id)
    if token is None:
        return job.state  # another delivery is running it
    try:
        return _run_leased(job_id=job_id, token=token)
    finally:
        _lease_release(job_id, token)


def _run_leased(*, job_id, token: str) -> str:
    claimed = BulkJob.objects.filter(
        id=job_id, state__in=[BulkJob.State.QUEUED, BulkJob.State.RUNNING]
    ).update(state=BulkJob.State.RUNNING)
    job = BulkJob.objects.filter(id=job_id).select_related("created_by").first()
    if job is None:
        logger.info("Bulk job vanished before it ran; nothing to do.")
        return "missing"
    if not claimed:
        return job.state  # finished meanwhile
    user = job.created_by
    filters = QueueFilters.from_sealed_json(job.filters, context=_search_context(job.pk))
    if not can(user, "report.bulk") or not user.is_active:
        bulk_job_mark_failed(job_id=job.pk)  # the creator lost the right meanwhile
        return BulkJob.State.FAILED
    apply = _ACTIONS[job.action]
    try:
        context = _context(job)
    except BulkRefused:  # the assignee or the case went out of reach since the job was started
        bulk_job_mark_failed(job_id=job.pk)
        return BulkJob.State.FAILED
    while True:
        if not _lease_renew(job.pk, token):
            # Our lease ran out (a batch hung) and the sweeper gave the job to another delivery.
            return BulkJob.State.RUNNING
        # Evaluated again for every batch, with the creator's current scope: only ids after the
        # cursor, so reports the job changed (and that may no longer match) are behind it.
        matching = queue_filter(reports_in_scope(user, action="report.bulk"), filters=filters, user=user)
        if job.cursor:
            matching = matching.filter(pk__gt=job.cursor)
        ids = list(matching.order_by("pk").values_list("pk", flat=True)[:BATCH_SIZE])
        if not ids:
            break
        _prepare_batch(context=context, ids=ids)
        try:
            with transaction.atomic():
                if job.action == "route":
                    # Before the reports' rows: the lock order of services.routing.
                    context["caseload"] = _route_target(user=user, job=job)
                reports = list(Report.objects.select_for_update().filter(pk__in=ids).order_by("pk"))
                changed = apply(user=user, job=job, reports=reports, context=context)
                handled = len(reports)
                job.done += changed
                job.skipped += handled - changed + (len(ids) - handled)
                job.cursor = str(ids[-1])
                job.total = max(job.total, job.done + job.skipped)
                job.save(update_fields=["done", "skipped", "cursor", "total"])
        except BulkRefused:  # the target caseload was archived or left reach meanwhile
            bulk_job_mark_failed(job_id=job.pk)
            return BulkJob.State.FAILED
    job.state = BulkJob.State.DONE
    job.finished_at = timezone.now()
    job.total = job.done + job.skipped  # reports changed by others meanwhile may have left the set
    job.save(update_fields=["state", "finished_at", "total"])
    return job.state


def _context(job: BulkJob) -> dict:
    context: dict = {}
    if job.action == "state":
        sealed = job.params.get("note_sealed")
        context["note"] = unseal_text(sealed, context=_note_context(job.pk)) if sealed else ""
    if job.action == "tag":
        context["tag"] = Tag.objects.get(slug=job.params["tag"])
    if job.action == "assign" and job.params.get("assignee_id"):
        context["assignee"] = User.objects.filter(pk=job.params["assignee_id"], is_active=True).first()
        if context["assignee"] is None:
            raise BulkRefused("assignee gone")
    if (
        job.action == "link_case"
        and not cases_in_scope(job.created_by, action="case.edit").filter(pk=job.params["case_id"]).exists()
    ):
        raise BulkRefused("case out of scope")
    if job.action == "route":
        if not can(job.created_by, routing.ACTION):
            raise BulkRefused("may no longer route")
        sealed = job.params.get("note_sealed")
        context["note"] = unseal_text(sealed, context=_note_context(job.pk)) if sealed else ""
    return context


def _route_target(*, user, job: BulkJob):
    """Lock the job's target caseload for this batch. Caller is atomic and holds no report lock."""
    try:
        return routing.lock_target(user=user, caseload_id=job.params["caseload_id"])
    except routing.RoutingRefused as refused:
        raise BulkRefused(refused.messages[0]) from None


def _prepare_batch(*, context: dict, ids: list) -> None:
    """Per-batch lookups, so that no action runs a query per report just to decide."""
    assignee = context.get("assignee")
    if assignee is not None:
        # The assignee must be able to work on each report (their scope may be narrower).
        context["assignee_can_edit"] = set(
            reports_in_scope(assignee, action="report.edit").filter(pk__in=ids).values_list("pk", flat=True)
        )


def _audit(user, job, report, action: str, details: dict) -> None:
    audit_record(
        actor=user,
        action=action,
        object_type="report",
        object_id=str(report.pk),
        details={**details, "bulk": str(job.pk)},
    )


def _apply_state(*, user, job, report, context) -> bool:
    state = job.params["state"]
    if report.state == state or state not in TRANSITIONS.get(report.state, ()):
        return False
    if not can(user, "report.edit"):
        raise PermissionDenied("report.edit")
    note = context["note"]
    previous = report.state
    report.save(update_fields=apply_state(report=report, state=state, note=note))
    _audit(user, job, report, "report.state", {"from": previous, "to": state, "note": bool(note)})
    return True


def _apply_assign(*, user, job, report, context) -> bool:
    assignee = context.get("assignee")
    assignee_id = assignee.pk if assignee else None
    if report.assignee_id == assignee_id:
        return False
    if assignee is not None and report.pk not in context["assignee_can_edit"]:
        return False
    previous = report.assignee_id
    report.assignee_id = assignee_id
    report.save(update_fields=["assignee", "updated_at"])
    _audit(user, job, report, "report.assign", {"from": previous, "to": assignee_id})
    return True


def _apply_tag(*, user, job, report, context) -> bool:
    tag = context["tag"]
    link, created = ReportTag.objects.get_or_create(
        report=report, tag=tag, defaults={"status": ReportTag.Status.ACCEPTED, "by": user}
    )
    if not created:
        if link.status == ReportTag.Status.ACCEPTED:
            return False
        link.status, link.by = ReportTag.Status.ACCEPTED, user
        link.save(update_fields=["status", "by"])
    _audit(user, job, report, "report.tag_accept", {"tag": tag.slug, "status": ReportTag.Status.ACCEPTED})
    return True


def _apply_link_case(*, user, job, report, context) -> bool:
    case_id = job.params["case_id"]
    _link, created = CaseReport.objects.get_or_create(
        case_id=case_id, report=report, defaults={"added_by": user}
    )
    if created:
        # Under the report, so that its history shows the link like any other change.
        _audit(user, job, report, "case.report_add", {"case": case_id})
    return created


def _apply_route(*, user, job, reports, context) -> int:
    """The whole batch at once: who can still see the routed reports is asked once per person."""
    moved = routing.route_locked(
        user=user, reports=reports, caseload=context["caseload"], note=context["note"], bulk_job_id=job.pk
    )
    return len(moved)


def _each(apply_one):
    """A batch action from an action on one report: how many of the batch it changed."""

    def apply(*, user, job, reports, context) -> int:
        return sum(1 for report in reports if apply_one(user=user, job=job, report=report, context=context))

    return apply


# Each takes the batch's locked reports and returns how many it changed.
_ACTIONS = {
    "assign": _each(_apply_assign),
    "tag": _each(_apply_tag),
    "state": _each(_apply_state),
    "link_case": _each(_apply_link_case),
    "route": _apply_route,
}
