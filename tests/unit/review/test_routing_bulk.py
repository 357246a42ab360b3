"""Routing as a bulk action: the filtered set, batch by batch, the same rules as one report."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from testimony.accounts.models import Caseload, Organisation
from testimony.audit.models import AuditEntry
from testimony.audit.selectors import readable_details
from testimony.review.filters import QueueFilters
from testimony.review.models import BulkJob, Report
from testimony.review.services import bulk
from testimony.review.services.bulk import BulkRefused, bulk_job_run, bulk_job_start
from tests.unit.conftest import make_user

pytestmark = pytest.mark.django_db


def start(user, params, captured, **filters):
    with captured(execute=True):
        return bulk_job_start(user=user, filters=QueueFilters(**filters), action="route", params=params)


def test_every_unrouted_report_is_routed_batch_by_batch(
    personas, caseloads, report_factory, django_capture_on_commit_callbacks, monkeypatch
):
    monkeypatch.setattr(bulk, "BATCH_SIZE", 3)  # several batches
    coordinator = personas["coordinator"]
    moscow_reviewer = make_user(
        "reviewer_moscow_only", "reviewer", coordinator.organisation, [caseloads["moscow"]]
    )
    unrouted = [report_factory() for _ in range(7)]
    already = report_factory(caseload=caseloads["detention"])
    elsewhere = report_factory(caseload=caseloads["moscow"])
    Report.objects.filter(pk=unrouted[0].pk).update(assignee=personas["reviewer"])  # sees everything: kept
    Report.objects.filter(pk=already.pk).update(assignee=moscow_reviewer)  # not moved: kept

    job = start(
        coordinator,
        {"caseload_id": caseloads["detention"].pk, "note": "Сахарово"},
        django_capture_on_commit_callbacks,
        caseload="none",
    )

    job.refresh_from_db()
    assert job.state == BulkJob.State.DONE
    assert (job.total, job.done, job.skipped) == (7, 7, 0)
    assert set(Report.objects.filter(caseload=caseloads["detention"]).values_list("pk", flat=True)) == {
        *(report.pk for report in unrouted),
        already.pk,
    }
    assert Report.objects.get(pk=elsewhere.pk).caseload_id == caseloads["moscow"].pk
    assert Report.objects.get(pk=unrouted[0].pk).assignee_id == personas["reviewer"].pk
    assert Report.objects.get(pk=already.pk).assignee_id == moscow_reviewer.pk
    # One entry per report routed, naming the job, the note sealed in each.
    entries = AuditEntry.objects.filter(action="report.route", details__bulk=str(job.pk))
    assert entries.count() == 7
    assert {entry.object_id for entry in entries} == {str(report.pk) for report in unrouted}
    entry = entries.first()
    assert (entry.details["from"], entry.details["to"]) == (None, caseloads["detention"].pk)
    assert readable_details(entry.details)["note"] == "Сахарово"
    assert "Сахарово" not in str(list(AuditEntry.objects.values_list("details", flat=True)))
    assert "Сахарово" not in str(BulkJob.objects.filter(pk=job.pk).values("params", "filters").get())
    start_entry = AuditEntry.objects.get(action="bulk.start", object_id=str(job.pk))
    assert start_entry.details["params"] == {"caseload_id": caseloads["detention"].pk}
    assert start_entry.details["note"] is True
    # A redelivery after the end changes and records nothing more.
    assert bulk_job_run(job_id=job.pk) == BulkJob.State.DONE
    assert AuditEntry.objects.filter(action="report.route").count() == 7


def test_reports_already_there_are_skipped_and_assignees_who_lose_sight_cleared(
    personas, caseloads, report_factory, django_capture_on_commit_callbacks
):
    coordinator = personas["coordinator"]
    moscow_reviewer = make_user(
        "reviewer_moscow_only", "reviewer", coordinator.organisation, [caseloads["moscow"]]
    )
    moving = report_factory(caseload=caseloads["moscow"], kind="raid")
    staying = report_factory(caseload=caseloads["detention"], kind="raid")
    until = timezone.now() + dt.timedelta(minutes=10)
    Report.objects.filter(pk=moving.pk).update(
        assignee=moscow_reviewer, locked_by=moscow_reviewer, locked_until=until
    )

    job = start(
        coordinator,
        {"caseload_id": caseloads["detention"].pk},
        django_capture_on_commit_callbacks,
        kind="raid",
    )

    job.refresh_from_db()
    assert (job.done, job.skipped) == (1, 1)
    moving.refresh_from_db()
    assert (moving.caseload_id, moving.assignee_id, moving.locked_by_id) == (
        caseloads["detention"].pk,
        None,
        None,
    )
    entry = AuditEntry.objects.get(action="report.route", object_id=str(moving.pk))
    assert entry.details["assignee_cleared"] == moscow_reviewer.pk
    assert entry.details["lock_cleared"] == moscow_reviewer.pk
    assert not AuditEntry.objects.filter(action="report.route", object_id=str(staying.pk)).exists()


def test_back_to_unrouted_in_bulk(personas, caseloads, report_factory, django_capture_on_commit_callbacks):
    reports = [report_factory(caseload=caseloads["moscow"]) for _ in range(2)]
    job = start(personas["coordinator"], {"caseload_id": None}, django_capture_on_commit_callbacks)
    job.refresh_from_db()
    assert job.done == 2
    assert not Report.objects.filter(pk__in=[r.pk for r in reports], caseload__isnull=False).exists()


def test_refusals_before_the_job_starts(personas, caseloads, report_factory):
    report_factory()
    coordinator = personas["coordinator"]
    partner = Organisation.objects.get(name="Partner organisation")
    theirs = Caseload.objects.create(organisation=partner, name="Partner cases")
    archived = Caseload.objects.create(
        organisation=coordinator.organisation, name="Old", archived_at=timezone.now()
    )
    partner_coordinator = make_user("partner_coordinator", "coordinator", partner)
    for user, params, message in (
        (coordinator, {"caseload_id": ""}, "Choose a caseload"),
        (coordinator, {}, "Choose a caseload"),
        (coordinator, {"caseload_id": theirs.pk}, "open caseload of your organisation"),
        (coordinator, {"caseload_id": "abc"}, "open caseload of your organisation"),
        (coordinator, {"caseload_id": archived.pk}, "“Old” is archived"),  # as the report page says
        (coordinator, {"caseload_id": caseloads["moscow"].pk, "note": "x" * 2001}, "too long"),
        (partner_coordinator, {"caseload_id": None}, "does not receive intake"),
    ):
        with pytest.raises(BulkRefused, match=message):
            bulk_job_start(user=user, filters=QueueFilters(), action="route", params=params)
    with pytest.raises(PermissionDenied):
        bulk_job_start(
            user=personas["reviewer"],
            filters=QueueFilters(),
            action="route",
            params={"caseload_id": caseloads["moscow"].pk},
        )
    assert not BulkJob.objects.exists()


def test_a_target_archived_while_the_job_runs_stops_it(
    personas, caseloads, report_factory, django_capture_on_commit_callbacks, monkeypatch
):
    monkeypatch.setattr(bulk, "BATCH_SIZE", 2)
    reports = [report_factory() for _ in range(5)]
    target = caseloads["detention"]
    route_batch = bulk._ACTIONS["route"]
    batches = []

    def then_archive(**kwargs):
        changed = route_batch(**kwargs)
        batches.append(changed)
        # An administrator archives the caseload between two batches (in real life only once the
        # batch commits: the caseload's row lock makes the archiving wait for it).
        Caseload.objects.filter(pk=target.pk).update(archived_at=timezone.now())
        return changed

    monkeypatch.setitem(bulk._ACTIONS, "route", then_archive)
    job = start(personas["coordinator"], {"caseload_id": target.pk}, django_capture_on_commit_callbacks)

    job.refresh_from_db()
    assert job.state == BulkJob.State.FAILED
    assert batches == [2]
    assert job.done == 2
    assert Report.objects.filter(pk__in=[r.pk for r in reports], caseload=target).count() == 2
    assert AuditEntry.objects.filter(action="report.route").count() == 2


def test_each_batch_locks_the_caseload_before_its_reports(
    personas, caseloads, report_factory, django_capture_on_commit_callbacks, monkeypatch, lock_order
):
    monkeypatch.setattr(bulk, "BATCH_SIZE", 2)
    for _ in range(3):
        report_factory()
    start(
        personas["coordinator"], {"caseload_id": caseloads["moscow"].pk}, django_capture_on_commit_callbacks
    )
    assert lock_order == ["Caseload", "Report", "Caseload", "Report"]


def test_the_bulk_page_offers_routing_and_starts_it(
    personas, caseloads, report_factory, console_client, django_capture_on_commit_callbacks
):
    reports = [report_factory(kind="raid") for _ in range(2)]
    client = console_client(personas["coordinator"])
    url = reverse("console:bulk_start")
    html = client.post(url, {"caseload": "none", "scope": "all"}).content.decode()
    assert 'value="route"' in html
    assert 'name="bulk-caseload_id"' in html
    assert "<li>Caseload: Unrouted (no caseload)</li>" in html  # the filter by its label
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url,
            {
                "caseload": "none",
                "confirm": "1",
                "bulk-action": "route",
                "bulk-caseload_id": str(caseloads["moscow"].pk),
            },
        )
    assert response.status_code == 302
    job = BulkJob.objects.get()
    assert job.action == "route"
    assert Report.objects.filter(pk__in=[r.pk for r in reports], caseload=caseloads["moscow"]).count() == 2
    assert "· Route to a caseload</p>" in client.get(response["Location"]).content.decode()
    # Nothing chosen: the form says so and starts nothing.
    response = client.post(url, {"confirm": "1", "bulk-action": "route", "bulk-caseload_id": ""})
    assert response.status_code == 400
    assert "Choose a caseload" in response.content.decode()
    assert BulkJob.objects.count() == 1
