"""The queue's counts (ReportCount, kept by triggers) equal a count of the reports the user can see.

Every figure at the top of the queue is checked against a plain aggregate over
``reports_in_scope`` (what the queue computed before the counts were kept), for every persona,
after each kind of writer: the worker storing a report, state changes, assignment, routing, bulk
jobs, queryset updates, deletions, an account deleted under its assignments, a rolled-back change.
"""

from __future__ import annotations

import importlib
import re
from types import SimpleNamespace

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.db.models import Count, Q
from django.urls import reverse

from testimony.intake.models import Submission
from testimony.review import filters
from testimony.review.filters import OPEN_STATES, QueueFilters, queue_summary
from testimony.review.models import Report, ReportCount
from testimony.review.models.reports import ReviewState
from testimony.review.selectors import reports_in_scope
from testimony.review.services import report_counts
from testimony.review.services.assignment import report_assign
from testimony.review.services.bulk import bulk_job_start
from testimony.review.services.report_counts import (
    TABLES,
    TRIGGERS,
    report_counts_compact,
    report_counts_differences,
    report_counts_install,
)
from testimony.review.services.routing import report_route
from testimony.review.services.states import report_change_state

pytestmark = pytest.mark.django_db

PERSONAS = ("reviewer", "reviewer_detention_only", "coordinator", "custodian", "analyst", "partner_reviewer")


def counted(user) -> dict:
    summary = queue_summary(user)
    return {
        "by_state": {state: count for state, _label, count in summary.by_state},
        "mine": summary.assigned_to_me,
        "unassigned_new": summary.unassigned_new,
    }


def reference(user) -> dict:
    """The figures straight from the reports the user can see (the old single aggregate)."""
    figures = {f"state_{state}": Count("pk", filter=Q(state=state)) for state in ReviewState.values}
    figures["mine"] = Count("pk", filter=Q(assignee_id=user.pk, state__in=OPEN_STATES))
    figures["unassigned_new"] = Count("pk", filter=Q(state=ReviewState.NEW, assignee__isnull=True))
    counts = reports_in_scope(user).aggregate(**figures)
    return {
        "by_state": {state: counts[f"state_{state}"] for state in ReviewState.values},
        "mine": counts["mine"],
        "unassigned_new": counts["unassigned_new"],
    }


def assert_counts_match(personas):
    for name in PERSONAS:
        if personas[name].pk is not None:  # not an account a test deleted
            assert counted(personas[name]) == reference(personas[name]), name
    assert report_counts_differences() == []


@pytest.fixture
def world(personas, caseloads, report_factory):
    """Reports in every scope: unrouted, in each caseload, some assigned, in several states."""
    reports = {
        "unrouted": report_factory(),
        "unrouted_review": report_factory(state="in_review"),
        "moscow": report_factory(caseload=caseloads["moscow"]),
        "moscow_verified": report_factory(caseload=caseloads["moscow"], state="verified"),
        "detention": report_factory(caseload=caseloads["detention"]),
        "detention_review": report_factory(caseload=caseloads["detention"], state="in_review"),
    }
    Report.objects.filter(pk=reports["detention_review"].pk).update(
        assignee=personas["reviewer_detention_only"]
    )
    Report.objects.filter(pk=reports["unrouted_review"].pk).update(assignee=personas["reviewer"])
    return reports


def start_bulk(user, action, params, captured, **filters):
    with captured(execute=True):
        return bulk_job_start(user=user, filters=QueueFilters(**filters), action=action, params=params)


def test_the_sql_names_the_models_tables():
    assert (ReportCount._meta.db_table, Report._meta.db_table) == TABLES


def test_counts_match_the_reports_each_persona_can_see(personas, world):
    assert_counts_match(personas)
    # Not vacuous: the scopes differ, and each sees what it should.
    detention_only = counted(personas["reviewer_detention_only"])
    assert detention_only == {
        "by_state": {**dict.fromkeys(ReviewState.values, 0), "new": 1, "in_review": 1},
        "mine": 1,
        "unassigned_new": 1,
    }
    assert counted(personas["reviewer"])["by_state"]["new"] == 3
    assert counted(personas["reviewer"])["mine"] == 1
    assert counted(personas["partner_reviewer"])["by_state"] == dict.fromkeys(ReviewState.values, 0)


def test_state_changes_and_assignment_are_counted(personas, world):
    reviewer = personas["reviewer"]
    report_change_state(user=reviewer, report_id=world["detention"].pk, state="in_review")
    report_change_state(user=reviewer, report_id=world["detention"].pk, state="rejected", note="Повтор")
    report_assign(user=reviewer, report_id=world["moscow"].pk, assignee_id=reviewer.pk)
    report_assign(user=reviewer, report_id=world["unrouted_review"].pk, assignee_id=None)
    assert counted(personas["reviewer_detention_only"])["by_state"]["rejected"] == 1
    assert counted(reviewer)["mine"] == 1  # one claimed, one given up
    assert_counts_match(personas)


def test_routing_moves_counts_between_scopes(personas, caseloads, world):
    coordinator = personas["coordinator"]
    detention_only = personas["reviewer_detention_only"]
    before = counted(detention_only)["by_state"]["new"]
    report_route(user=coordinator, report_id=world["unrouted"].pk, caseload_id=caseloads["detention"].pk)
    assert counted(detention_only)["by_state"]["new"] == before + 1
    report_route(user=coordinator, report_id=world["detention"].pk, caseload_id=caseloads["moscow"].pk)
    assert counted(detention_only)["by_state"]["new"] == before
    assert_counts_match(personas)


def test_bulk_jobs_are_counted(personas, caseloads, world, django_capture_on_commit_callbacks):
    coordinator = personas["coordinator"]
    captured = django_capture_on_commit_callbacks
    start_bulk(coordinator, "state", {"state": "in_review", "note": ""}, captured, state="new")
    assert counted(coordinator)["by_state"]["new"] == 0
    assert_counts_match(personas)
    start_bulk(coordinator, "assign", {"assignee_id": personas["reviewer"].pk}, captured, state="in_review")
    assert counted(personas["reviewer"])["mine"] == 5
    assert_counts_match(personas)
    start_bulk(coordinator, "route", {"caseload_id": caseloads["detention"].pk, "note": ""}, captured)
    assert sum(counted(personas["reviewer_detention_only"])["by_state"].values()) == len(world)
    assert_counts_match(personas)


def test_worker_storing_a_report_is_counted(personas, world):
    from testimony.crypto import age, padding
    from testimony.intake.services import submission_create_encrypted
    from testimony.processing import tasks
    from tests.conftest import valid_report

    before = counted(personas["reviewer"])["by_state"]["new"]
    ciphertext = age.encrypt_to_intake(padding.pad_report(valid_report()))
    submission = submission_create_encrypted(report_ciphertext=ciphertext, upload_claims=[]).submission
    assert tasks.process_submission(submission_id=str(submission.id)) == "processed"
    assert tasks.process_submission(submission_id=str(submission.id)) == "processed"  # no second count
    assert counted(personas["reviewer"])["by_state"]["new"] == before + 1
    assert_counts_match(personas)


def test_updates_deletes_and_a_deleted_assignee_are_counted(personas, caseloads, world):
    Report.objects.filter(caseload=caseloads["moscow"]).update(state="duplicate")
    Report.objects.filter(pk=world["unrouted"].pk).update(locked_by=personas["reviewer"])  # not a key
    assert_counts_match(personas)
    Submission.objects.filter(pk=world["moscow"].pk).delete()  # the report goes with it
    assert counted(personas["coordinator"])["by_state"]["duplicate"] == 1
    personas["reviewer_detention_only"].delete()  # assignee set to NULL
    assert counted(personas["reviewer"])["unassigned_new"] == 2
    assert_counts_match(personas)


def test_a_rolled_back_change_is_not_counted(personas, world):
    before = counted(personas["coordinator"])

    def change_then_fail():
        with transaction.atomic():
            report_change_state(user=personas["reviewer"], report_id=world["unrouted"].pk, state="in_review")
            raise RuntimeError

    with pytest.raises(RuntimeError):
        change_then_fail()
    assert counted(personas["coordinator"]) == before
    assert_counts_match(personas)


def test_compaction_folds_rows_and_keeps_counts(personas, world):
    reviewer = personas["reviewer"]
    for state in ("verified", "in_review", "needs_info", "in_review"):
        report_change_state(user=reviewer, report_id=world["unrouted_review"].pk, state=state)
    before = {name: counted(personas[name]) for name in PERSONAS}
    keys = Report.objects.values("caseload_id", "state", "assignee_id").distinct().count()
    assert ReportCount.objects.count() > keys

    report_counts_compact()

    assert ReportCount.objects.count() == keys  # one row per key; keys that sum to nothing gone
    assert not ReportCount.objects.filter(n=0).exists()
    assert {name: counted(personas[name]) for name in PERSONAS} == before
    assert_counts_match(personas)


def test_reading_many_rows_folds_them(personas, world, monkeypatch):
    monkeypatch.setattr(filters, "COMPACT_ABOVE", 3)
    for _ in range(3):
        report_assign(
            user=personas["reviewer"], report_id=world["moscow"].pk, assignee_id=personas["reviewer"].pk
        )
        report_assign(user=personas["reviewer"], report_id=world["moscow"].pk, assignee_id=None)
    rows = ReportCount.objects.count()
    first = counted(personas["coordinator"])
    assert ReportCount.objects.count() < rows
    assert counted(personas["coordinator"]) == first
    assert_counts_match(personas)


def test_the_queue_page_shows_the_users_counts(personas, console_client, world):
    html = console_client(personas["reviewer_detention_only"]).get(reverse("console:queue")).content.decode()
    counts = dict(re.findall(r'state-(\w+)">[^<]+</span> <strong>(\d+)</strong>', html))
    assert counts == {
        **{state: "0" for state in ReviewState.values},
        "new": "1",
        "in_review": "1",
    }
    html = console_client(personas["coordinator"]).get(reverse("console:queue")).content.decode()
    counts = dict(re.findall(r'state-(\w+)">[^<]+</span> <strong>(\d+)</strong>', html))
    assert (counts["new"], counts["in_review"], counts["verified"]) == ("3", "2", "1")


def _installed_triggers() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        return {name for (name,) in cursor.fetchall()} & set(TRIGGERS)


def test_recount_queue_finds_drift_and_fixes_it(personas, world, capsys):
    call_command("recount_queue")
    assert "match" in capsys.readouterr().out
    # Drift as if the triggers had been missing while reports changed (SQLite drops them when
    # it rebuilds the table outside migrate), and a count edited by hand.
    with connection.cursor() as cursor:
        for name in TRIGGERS:
            cursor.execute(f"DROP TRIGGER {name}")
    Report.objects.filter(pk=world["unrouted"].pk).update(state="verified")
    ReportCount.objects.create(caseload=None, state="rejected", assignee=None, n=4)

    with pytest.raises(CommandError, match="3 counts differ"):
        call_command("recount_queue")
    assert capsys.readouterr().out.splitlines() == [
        "caseload -, new, assignee -: 0 reports, counted 1",
        "caseload -, rejected, assignee -: 0 reports, counted 4",
        "caseload -, verified, assignee -: 1 reports, counted 0",
    ]

    call_command("recount_queue", "--fix")
    assert "3 counts corrected" in capsys.readouterr().out
    assert _installed_triggers() == set(TRIGGERS)
    report_change_state(user=personas["reviewer"], report_id=world["detention"].pk, state="in_review")
    assert_counts_match(personas)  # counted again by the reinstalled triggers


def test_migrating_back_drops_the_triggers_before_the_table():
    migration = importlib.import_module("testimony.review.migrations.0011_report_counts")
    assert migration.TRIGGERS == TRIGGERS
    assert _installed_triggers() == set(TRIGGERS)  # installed after migrate (post_migrate)
    with connection.cursor() as cursor:
        migration.drop_triggers(None, SimpleNamespace(connection=connection, execute=cursor.execute))
    assert _installed_triggers() == set()
    report_counts_install()
    assert _installed_triggers() == set(TRIGGERS)


def test_install_skips_a_database_without_the_tables(monkeypatch):
    monkeypatch.setattr(report_counts, "TABLES", ("review_reportcount_gone", "review_report"))
    assert report_counts_install() is False
