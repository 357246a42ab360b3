"""Bulk jobs: the whole filtered set (not a page), creator's scope, batches, idempotent, progress page."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from testimony.audit.models import AuditEntry
from testimony.review.filters import QueueFilters
from testimony.review.models import BulkJob, Case, CaseReport, Report, ReportTag, Tag
from testimony.review.sealed import note_open
from testimony.review.search import report_index_text
from testimony.review.services import bulk
from testimony.review.services.bulk import BulkRefused, bulk_job_run, bulk_job_start
from tests.unit.conftest import make_user

pytestmark = pytest.mark.django_db


def start(user, action, params, captured, **filters):
    with captured(execute=True):
        return bulk_job_start(user=user, filters=QueueFilters(**filters), action=action, params=params)


def test_state_change_over_the_whole_filtered_set(
    personas, report_factory, django_capture_on_commit_callbacks, monkeypatch
):
    monkeypatch.setattr(bulk, "BATCH_SIZE", 4)  # several batches
    coordinator = personas["coordinator"]
    raids = [report_factory(kind="raid") for _ in range(11)]
    already = report_factory(kind="raid", state="rejected")
    verified = report_factory(kind="raid", state="verified")  # verified → rejected is not allowed
    other = report_factory(kind="detention")
    job = start(
        coordinator,
        "state",
        {"state": "rejected", "note": "Реклама"},
        django_capture_on_commit_callbacks,
        kind="raid",
    )
    job.refresh_from_db()
    assert job.state == BulkJob.State.DONE
    assert job.finished_at
    assert (job.total, job.done, job.skipped) == (13, 11, 2)
    assert set(Report.objects.filter(state="rejected").values_list("pk", flat=True)) == {
        r.pk for r in raids
    } | {already.pk}
    assert Report.objects.get(pk=verified.pk).state == "verified"
    assert Report.objects.get(pk=other.pk).state == "new"
    # One audit row per changed report, naming the job; the note sealed per report, never in clear.
    entries = AuditEntry.objects.filter(action="report.state", details__bulk=str(job.pk))
    assert entries.count() == 11
    report = Report.objects.get(pk=raids[0].pk)
    assert note_open(context=f"report.note:{report.pk}", sealed=report.state_note_sealed) == "Реклама"
    assert "Реклама" not in str(BulkJob.objects.get(pk=job.pk).params)
    assert "Реклама" not in str(list(AuditEntry.objects.values_list("details", flat=True)))


def test_redelivery_changes_and_counts_nothing_twice(
    personas, report_factory, django_capture_on_commit_callbacks
):
    coordinator = personas["coordinator"]
    for _ in range(5):
        report_factory()
    job = start(
        coordinator, "assign", {"assignee_id": personas["reviewer"].pk}, django_capture_on_commit_callbacks
    )
    job.refresh_from_db()
    assert (job.done, job.skipped) == (5, 0)
    # A redelivered task after the job finished is a no-op.
    assert bulk_job_run(job_id=job.pk) == BulkJob.State.DONE
    # A task that died mid-way (state still running): it resumes after its cursor.
    BulkJob.objects.filter(pk=job.pk).update(state=BulkJob.State.RUNNING)
    bulk_job_run(job_id=job.pk)
    job.refresh_from_db()
    assert (job.done, job.skipped) == (5, 0)
    assert AuditEntry.objects.filter(action="report.assign").count() == 5


def test_the_job_acts_within_its_creators_scope(
    personas, caseloads, report_factory, django_capture_on_commit_callbacks
):
    from testimony.accounts.models import Organisation

    partner_coordinator = make_user(
        "partner_coordinator", "coordinator", Organisation.objects.get(name="Partner organisation")
    )
    report_factory(caseload=caseloads["moscow"])
    job = start(
        partner_coordinator,
        "tag",
        {"tag": Tag.objects.get_or_create(slug="raid")[0].slug},
        django_capture_on_commit_callbacks,
    )
    job.refresh_from_db()
    assert (job.total, job.done) == (0, 0)
    assert not ReportTag.objects.exists()


def test_tag_and_link_case(personas, organisation, report_factory, django_capture_on_commit_callbacks):
    coordinator = personas["coordinator"]
    tag = Tag.objects.get_or_create(slug="raid")[0]
    reports = [report_factory() for _ in range(3)]
    ReportTag.objects.create(report=reports[0], tag=tag, status=ReportTag.Status.REJECTED)
    job = start(coordinator, "tag", {"tag": "raid"}, django_capture_on_commit_callbacks)
    job.refresh_from_db()
    assert job.done == 3
    assert ReportTag.objects.filter(status="accepted").count() == 3
    case = Case.objects.create(organisation=organisation, title="Market raid")
    job = start(
        coordinator,
        "link_case",
        {"case_id": case.pk},
        django_capture_on_commit_callbacks,
        ids=(str(reports[0].pk), str(reports[1].pk)),
    )
    job.refresh_from_db()
    assert job.done == 2
    assert CaseReport.objects.filter(case=case).count() == 2
    other = Case.objects.create(organisation=personas["partner_reviewer"].organisation, title="Theirs")
    with pytest.raises(BulkRefused):
        bulk_job_start(
            user=coordinator, filters=QueueFilters(), action="link_case", params={"case_id": other.pk}
        )


def test_refusals_before_the_job_starts(personas, report_factory):
    coordinator = personas["coordinator"]
    with pytest.raises(BulkRefused):
        bulk_job_start(user=coordinator, filters=QueueFilters(), action="state", params={"state": "rejected"})
    with pytest.raises(BulkRefused):
        bulk_job_start(
            user=coordinator, filters=QueueFilters(), action="state", params={"state": "duplicate"}
        )
    with pytest.raises(BulkRefused):
        bulk_job_start(
            user=coordinator,
            filters=QueueFilters(),
            action="assign",
            params={"assignee_id": personas["analyst"].pk},
        )
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        bulk_job_start(
            user=personas["reviewer"], filters=QueueFilters(), action="tag", params={"tag": "raid"}
        )
    assert not BulkJob.objects.exists()


def test_bulk_pages_confirm_start_and_show_progress(
    personas, console_client, report_factory, django_capture_on_commit_callbacks
):
    for _ in range(3):
        report_factory(kind="raid")
    report_factory(kind="detention")
    client = console_client(personas["coordinator"])
    url = reverse("console:bulk_start")
    page = client.post(url, {"kind": "raid", "scope": "all"})
    html = page.content.decode()
    assert page.status_code == 200
    assert "<strong>3</strong>" in html
    assert "<li>Kind: A police raid or document check</li>" in html  # the filters as the form names them
    assert 'name="kind" value="raid"' in html  # and carried to the second post as they are
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url, {"kind": "raid", "confirm": "1", "bulk-action": "state", "bulk-state": "in_review"}
        )
    assert response.status_code == 302
    job = BulkJob.objects.get()
    assert response["Location"] == reverse("console:bulk_job", args=[job.pk])
    assert Report.objects.filter(state="in_review").count() == 3
    html = client.get(response["Location"]).content.decode()
    assert "3 changed, 0 skipped, of 3." in html
    assert "every 1s" not in html
    # A running job polls (marked data-poll, so polling is not user activity) and has a Refresh link.
    BulkJob.objects.filter(pk=job.pk).update(state=BulkJob.State.RUNNING, finished_at=None)
    html = client.get(response["Location"], headers={"HX-Request": "true"}).content.decode()
    assert 'hx-trigger="every 1s"' in html
    assert "data-poll" in html
    assert ">Refresh</a>" in html
    assert "· Change state</p>" in html  # the action by its label, not its code
    # Someone else's job is not found; reviewers have no bulk actions at all.
    other = make_user("other_coordinator", "coordinator", personas["coordinator"].organisation)
    assert console_client(other).get(response["Location"]).status_code == 404
    assert console_client(personas["reviewer"]).get(response["Location"]).status_code == 403


def test_the_search_words_of_a_job_are_stored_sealed(
    personas, report_factory, django_capture_on_commit_callbacks
):
    # given a report found by a search word, and one that is not
    text = "В Казани задержали в общежитии."
    found = report_factory(text=text)
    report_index_text(report=found, text=text)
    report_factory()
    # when a bulk job runs over the search's matches
    job = start(
        personas["coordinator"],
        "assign",
        {"assignee_id": personas["reviewer"].pk},
        django_capture_on_commit_callbacks,
        q="общежитие",
    )
    # then the worker searched with the words, which are nowhere in clear
    job.refresh_from_db()
    assert (job.total, job.done) == (1, 1)
    assert Report.objects.get(pk=found.pk).assignee_id == personas["reviewer"].pk
    stored = BulkJob.objects.filter(pk=job.pk).values("filters", "params").get()
    stored = json.dumps(stored, ensure_ascii=False)
    assert "общежитие" not in stored
    assert "общежитие" not in json.dumps(
        list(AuditEntry.objects.values_list("details", flat=True)), ensure_ascii=False
    )


def test_ten_thousand_reports_finish_as_one_job(personas, django_capture_on_commit_callbacks):
    # Its speed (under 120 s) is a benchmark's target: benchmarks/component_speed.py.
    from testimony.review.management.commands.bench_console import seed_reports

    seed_reports(
        count=10_000,
        organisation=personas["coordinator"].organisation,
        users=[personas["reviewer"]],
        tokens=False,
    )
    job = start(
        personas["coordinator"],
        "assign",
        {"assignee_id": personas["reviewer"].pk},
        django_capture_on_commit_callbacks,
    )
    job.refresh_from_db()
    assert job.state == BulkJob.State.DONE
    assert job.total == 10_000
    assert job.done + job.skipped == 10_000
    assert job.skipped > 0  # those the seed had already assigned to the reviewer
    assert Report.objects.filter(assignee=personas["reviewer"]).count() == 10_000
    assert AuditEntry.objects.filter(action="report.assign").count() == job.done


# --- jobs whose task died ---------------------------------------------------------------------------


def _stuck_job(coordinator, reports, *, cursor_after: int, age):
    """A state job as a dead worker left it: running, the first reports done, its cursor after them."""
    import datetime as dt

    from django.utils import timezone

    job = BulkJob.objects.create(
        created_by=coordinator,
        action="state",
        params={"state": "in_review", "note_sealed": ""},
        filters=QueueFilters(kind="raid").to_json(),
        state=BulkJob.State.RUNNING,
        total=len(reports),
        done=cursor_after,
        cursor=str(sorted(r.pk for r in reports)[cursor_after - 1]),
    )
    BulkJob.objects.filter(pk=job.pk).update(created_at=timezone.now() - (age or dt.timedelta(0)))
    return job


def test_a_job_whose_worker_died_is_resumed_after_its_cursor_by_the_sweeper(personas, report_factory):
    import datetime as dt

    from testimony.processing.tasks import sweep_stale

    coordinator = personas["coordinator"]
    reports = sorted([report_factory(kind="raid") for _ in range(5)], key=lambda r: r.pk)
    job = _stuck_job(coordinator, reports, cursor_after=2, age=dt.timedelta(minutes=20))
    # when the periodic sweeper runs
    sweep_stale()
    # then the job finished, changing only the reports after its cursor (those before were done
    # by the dead worker; here they are left as they were, which shows they were not done twice)
    job.refresh_from_db()
    assert job.state == BulkJob.State.DONE
    states = [Report.objects.get(pk=r.pk).state for r in reports]
    assert states == ["new", "new", "in_review", "in_review", "in_review"]
    assert (job.done, job.skipped) == (5, 0)


def test_a_job_with_a_live_task_or_a_recent_one_is_left_alone(personas, report_factory):
    import datetime as dt

    coordinator = personas["coordinator"]
    reports = [report_factory(kind="raid") for _ in range(3)]
    recent = _stuck_job(coordinator, reports, cursor_after=1, age=dt.timedelta(minutes=2))
    leased = _stuck_job(coordinator, reports, cursor_after=1, age=dt.timedelta(hours=2))
    token = bulk._lease_take(leased.pk)
    assert token
    try:
        assert bulk.bulk_jobs_sweep() == {"requeued": 0, "failed": 0}
        # A second delivery while the lease is alive does nothing either.
        assert bulk_job_run(job_id=leased.pk) == BulkJob.State.RUNNING
    finally:
        bulk._lease_release(leased.pk, token)
    for job in (recent, leased):
        job.refresh_from_db()
        assert (job.state, job.done) == (BulkJob.State.RUNNING, 1)
    assert Report.objects.filter(state="in_review").count() == 0


def test_a_job_that_keeps_getting_stuck_fails_visibly(personas, report_factory, monkeypatch):
    import datetime as dt

    coordinator = personas["coordinator"]
    reports = [report_factory(kind="raid") for _ in range(2)]
    job = _stuck_job(coordinator, reports, cursor_after=1, age=dt.timedelta(minutes=30))
    enqueued = []
    monkeypatch.setattr(bulk, "_enqueue", enqueued.append)  # the task is lost every time
    for _ in range(bulk.MAX_REQUEUES):
        assert bulk.bulk_jobs_sweep()["requeued"] == 1
    assert enqueued == [job.pk] * bulk.MAX_REQUEUES
    assert bulk.bulk_jobs_sweep() == {"requeued": 0, "failed": 1}
    job.refresh_from_db()
    assert job.state == BulkJob.State.FAILED
    assert job.finished_at
    entry = AuditEntry.objects.get(action="bulk.fail", object_id=str(job.pk))
    assert entry.details["reason"] == "stuck"
    # A day-old job fails at the first sweep that finds it stuck.
    old = _stuck_job(coordinator, reports, cursor_after=1, age=dt.timedelta(days=2))
    assert bulk.bulk_jobs_sweep() == {"requeued": 0, "failed": 1}
    assert BulkJob.objects.get(pk=old.pk).state == BulkJob.State.FAILED


def test_a_job_never_enqueued_because_the_broker_was_down_is_started_by_the_sweeper(
    personas, report_factory, django_capture_on_commit_callbacks, monkeypatch
):
    import datetime as dt

    from django.utils import timezone

    coordinator = personas["coordinator"]
    reports = [report_factory(kind="raid") for _ in range(3)]
    monkeypatch.setattr(bulk, "_enqueue", lambda job_id: None)  # broker down at start
    job = start(coordinator, "state", {"state": "in_review"}, django_capture_on_commit_callbacks, kind="raid")
    monkeypatch.undo()
    assert BulkJob.objects.get(pk=job.pk).state == BulkJob.State.QUEUED
    assert bulk.bulk_jobs_sweep(now=timezone.now() + dt.timedelta(minutes=16))["requeued"] == 1
    assert BulkJob.objects.get(pk=job.pk).state == BulkJob.State.DONE
    assert Report.objects.filter(pk__in=[r.pk for r in reports], state="in_review").count() == 3


def test_bulk_changes_are_audited_under_the_names_of_single_changes(
    personas, organisation, report_factory, django_capture_on_commit_callbacks
):
    from testimony.review.services.reports import report_tag_decide

    coordinator = personas["coordinator"]
    tag = Tag.objects.get_or_create(slug="raid", defaults={"active": True})[0]
    reports = [report_factory() for _ in range(2)]
    start(coordinator, "tag", {"tag": "raid"}, django_capture_on_commit_callbacks, ids=(str(reports[0].pk),))
    report_tag_decide(actor=coordinator, report=reports[1], slug=tag.slug, decision="accepted")
    assert AuditEntry.objects.filter(action="report.tag_accept").count() == 2
    case = Case.objects.create(organisation=organisation, title="Market raid")
    start(
        coordinator,
        "link_case",
        {"case_id": case.pk},
        django_capture_on_commit_callbacks,
        ids=(str(reports[0].pk),),
    )
    assert AuditEntry.objects.filter(action="case.report_add", details__bulk__isnull=False).count() == 1
    assert not AuditEntry.objects.filter(action__in=["report.tag", "case.add_report"]).exists()
