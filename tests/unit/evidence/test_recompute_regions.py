"""``manage.py recompute_regions``: stale stored regions (the evidence aggregates' dimension) are fixed."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

pytestmark = pytest.mark.django_db

MOSCOW = "RU.48"
SAINT_PETERSBURG = "RU.66"


@pytest.fixture
def reports(report_factory):
    """Two reports whose stored region is stale, and one whose region is right."""
    from testimony.review.models import Report

    # The form place names Moscow, but the region was derived before the form knew it.
    missing = report_factory()
    # The stored region names a place the report no longer derives (data corrected since).
    wrong = report_factory()
    right = report_factory()
    Report.objects.filter(pk=missing.pk).update(place=MOSCOW, region="")
    Report.objects.filter(pk=wrong.pk).update(place="", region=SAINT_PETERSBURG)
    Report.objects.filter(pk=right.pk).update(place=SAINT_PETERSBURG, region=SAINT_PETERSBURG)
    return {"missing": missing, "wrong": wrong, "right": right}


def _regions(reports) -> dict[str, str]:
    from testimony.review.models import Report

    by_pk = dict(Report.objects.values_list("pk", "region"))
    return {name: by_pk[report.pk] for name, report in reports.items()}


def _run(*args) -> str:
    out = io.StringIO()
    call_command("recompute_regions", *args, stdout=out)
    return out.getvalue()


def _report_updates(queries) -> list[str]:
    return [q["sql"] for q in queries if q["sql"].startswith("UPDATE") and "review_report" in q["sql"]]


def _mentions(sql: str, report) -> bool:
    return str(report.pk) in sql or report.pk.hex in sql


def test_stale_regions_are_recomputed_and_the_run_is_audited(reports):
    from testimony.audit.models import AuditEntry

    # when
    output = _run()
    # then
    assert _regions(reports) == {"missing": MOSCOW, "wrong": "", "right": SAINT_PETERSBURG}
    assert "Examined 3 reports; 2 regions changed." in output
    entry = AuditEntry.objects.get(action="report.recompute_regions")
    assert entry.actor_id is None
    assert entry.details == {"examined": 3, "changed": 2}  # counts only: no ids, no places


def test_only_changed_rows_are_written(reports):
    with CaptureQueriesContext(connection) as first:
        _run("--batch", "10")
    updates = _report_updates(first.captured_queries)
    assert updates, "the stale rows were not written"
    assert all(not _mentions(sql, reports["right"]) for sql in updates)
    assert any(_mentions(sql, reports["missing"]) for sql in updates)
    # A second run finds nothing to change and writes no report.
    with CaptureQueriesContext(connection) as second:
        output = _run()
    assert _report_updates(second.captured_queries) == []
    assert "Examined 3 reports; 0 regions changed." in output


def test_a_dry_run_counts_and_writes_nothing(reports):
    from testimony.audit.models import AuditEntry

    before = _regions(reports)
    with CaptureQueriesContext(connection) as queries:
        output = _run("--dry-run")
    assert "Examined 3 reports; 2 regions would change (dry run)." in output
    assert _regions(reports) == before
    writes = [
        q["sql"] for q in queries.captured_queries if q["sql"].startswith(("UPDATE", "INSERT", "DELETE"))
    ]
    assert writes == []
    assert not AuditEntry.objects.filter(action="report.recompute_regions").exists()


def test_small_batches_reach_every_report(reports):
    output = _run("--batch", "1")
    assert "Examined 3 reports; 2 regions changed." in output
    assert _regions(reports) == {"missing": MOSCOW, "wrong": "", "right": SAINT_PETERSBURG}


def test_a_batch_below_one_is_refused(db):
    with pytest.raises(CommandError):
        _run("--batch", "0")
