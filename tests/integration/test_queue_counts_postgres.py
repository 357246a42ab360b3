"""The queue's counts on the real PostgreSQL: statement triggers, and writers that never wait on them.

The unit tests (SQLite, row triggers) check every writer against a count of the reports; here
the PostgreSQL triggers are checked the same way for the statements SQLite cannot show (one
INSERT of many reports through a transition table, COPY, one UPDATE or DELETE of many), and
the reasons for delta rows are checked with real row locks: two writers changing reports in
opposite directions do not wait for each other, and folding the rows up neither waits for nor
loses a change that is not committed yet.
"""

from __future__ import annotations

import re

import pytest
from django.db import connection, transaction

from testimony.accounts.models import Caseload, Organisation
from testimony.intake.models import Submission
from testimony.review.models import Report, ReportCount
from testimony.review.services.report_counts import (
    TRIGGERS,
    report_counts_compact,
    report_counts_differences,
    report_counts_install,
)
from tests.integration.test_caseload_locks_postgres import WAIT, Held, Waiting, race
from tests.unit.conftest import make_report, make_user
from tests.unit.review.test_queue_counts import counted, reference

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def people():
    organisation = Organisation.objects.create(name="Counts organisation", receives_intake=True)
    partner = Organisation.objects.create(name="Counts partner")
    caseloads = [Caseload.objects.create(organisation=organisation, name=f"Counts {n}") for n in (1, 2, 3)]
    return {
        "organisation": organisation,
        "caseloads": caseloads,
        "reviewer": make_user("counts-reviewer", "reviewer", organisation),
        "limited": make_user("counts-limited", "reviewer", organisation, [caseloads[0]]),
        "coordinator": make_user("counts-coordinator", "coordinator", organisation),
        "partner": make_user(
            "counts-partner",
            "reviewer",
            partner,
            [Caseload.objects.create(organisation=partner, name="Theirs")],
        ),
    }


def assert_counts_match(people):
    for name in ("reviewer", "limited", "coordinator", "partner"):
        assert counted(people[name]) == reference(people[name]), name
    assert report_counts_differences() == []


def installed_triggers() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tgname FROM pg_trigger WHERE tgrelid = 'review_report'::regclass AND NOT tgisinternal"
        )
        return {name for (name,) in cursor.fetchall()}


def test_many_reports_per_statement_are_counted(people):
    from testimony.evidence.bench_data import seed_reports as seed_by_copy
    from testimony.review.management.commands.bench_console import seed_reports

    assert connection.vendor == "postgresql"
    assert installed_triggers() == set(TRIGGERS)
    # bulk_create: 600 reports in three INSERT statements.
    seed_reports(
        count=600,
        organisation=people["organisation"],
        users=[people["reviewer"], people["limited"]],
        caseloads=people["caseloads"],
        tokens=False,
        batch=200,
    )
    keys = Report.objects.values("caseload_id", "state", "assignee_id").distinct().count()
    # Counted per statement and key, not per report.
    assert ReportCount.objects.count() <= 3 * keys < 600
    assert_counts_match(people)
    # COPY (the evidence benchmark's seeder): the insert trigger fires for it too.
    seed_by_copy(500, organisation=people["organisation"], batch=250)
    assert Report.objects.count() == 1100
    assert_counts_match(people)
    # One UPDATE and one DELETE of many rows.
    Report.objects.filter(state="new").update(state="in_review", assignee=people["reviewer"])
    Report.objects.filter(caseload=people["caseloads"][1]).update(caseload=people["caseloads"][0])
    Submission.objects.filter(report__kind="other").delete()
    assert_counts_match(people)
    report_counts_compact()
    assert (
        ReportCount.objects.count()
        == Report.objects.values("caseload_id", "state", "assignee_id").distinct().count()
    )
    assert_counts_match(people)


def test_writers_moving_reports_opposite_ways_do_not_wait_for_each_other(people):
    caseload = people["caseloads"][0]
    one = make_report(caseload=caseload, state="new")
    other = make_report(caseload=caseload, state="in_review")
    # With one counter row per key, each would hold the key the other must change next.
    first = Held(lambda: Report.objects.filter(pk=one.pk).update(state="in_review"))
    first.start()
    assert first.done.wait(timeout=10)
    second = Waiting(lambda: Report.objects.filter(pk=other.pk).update(state="new"))
    second.start()
    second.join(timeout=WAIT)
    try:
        assert not second.is_alive(), "a writer waited for another's uncommitted count"
        assert second.error is None
    finally:
        first.release.set()
        first.join(timeout=10)
    assert first.error is None
    assert_counts_match(people)


def test_folding_up_neither_waits_for_nor_loses_an_uncommitted_change(people):
    report = make_report(caseload=people["caseloads"][0])
    make_report()
    writer = Held(lambda: Report.objects.filter(pk=report.pk).update(state="rejected"))
    writer.start()
    assert writer.done.wait(timeout=10)
    compaction = Waiting(report_counts_compact)
    compaction.start()
    compaction.join(timeout=WAIT)
    try:
        assert not compaction.is_alive(), "folding the counts waited for a writer"
        assert compaction.error is None
    finally:
        writer.release.set()
        writer.join(timeout=10)
    assert writer.error is None
    assert counted(people["limited"])["by_state"]["rejected"] == 1
    assert_counts_match(people)


def test_two_foldings_at_once_keep_the_counts(people):
    for state in ("new", "in_review", "verified"):
        make_report(caseload=people["caseloads"][0], state=state)
    Report.objects.filter(state="new").update(state="in_review")

    race(report_counts_compact, report_counts_compact)  # the second waits for the first's rows

    assert ReportCount.objects.count() == 2  # in_review and verified, once each
    assert_counts_match(people)


def test_a_recount_waits_for_writers(people):
    report = make_report(caseload=people["caseloads"][0])
    ReportCount.objects.create(caseload=None, state="verified", assignee=None, n=7)  # drift to repair

    _, recount = race(
        lambda: Report.objects.filter(pk=report.pk).update(state="in_review"), report_counts_install
    )

    assert recount.error is None
    assert_counts_match(people)


def test_a_deep_queue_page_starts_its_index_scan_at_the_cursor(people):
    """Keyset pagination must bound the index scan, not filter every newer row (page 1000 read
    50,000 rows to skip them when the cursor was only an OR of two conditions)."""
    from django.test.utils import CaptureQueriesContext

    from testimony.review.filters import QueueFilters, queue_page

    for _ in range(4):
        make_report()
    first = queue_page(user=people["reviewer"], filters=QueueFilters(), size=2)
    with CaptureQueriesContext(connection) as queries:
        queue_page(user=people["reviewer"], filters=QueueFilters(), size=2, after=first.next_cursor)
    sql = next(
        q["sql"]
        for q in queries.captured_queries
        if 'FROM "review_report"' in q["sql"] and "ORDER BY" in q["sql"]
    )
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # a tiny table would be read whole anyway
        cursor.execute("EXPLAIN " + sql)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "report_queue_keyset" in plan
    assert re.search(r"Index Cond: \(.*received_on <=", plan), plan


def test_installing_again_keeps_one_set_of_triggers(people):
    make_report()
    assert report_counts_install() is True
    assert report_counts_install() is True
    assert installed_triggers() == set(TRIGGERS)
    make_report(state="verified")
    assert_counts_match(people)
