"""Routing a report and archiving its target caseload cannot race (real PostgreSQL row locks).

As in test_caseload_locks_postgres.py, one change is held open in a thread's transaction while
the other starts: the second must wait for the first and then see its change. Without the
caseload's row lock in ``services.routing`` the second would read the state before the first
commits: a report would end up in an archived caseload, which archiving promises never happens.
"""

from __future__ import annotations

import uuid

import pytest
from django.db import OperationalError, connection, transaction

from testimony.accounts import organisations
from testimony.accounts.models import Caseload, Organisation, User
from testimony.audit.models import AuditEntry
from testimony.review.filters import QueueFilters
from testimony.review.models import BulkJob, Report
from testimony.review.services import bulk, routing
from tests.integration.test_caseload_locks_postgres import WAIT, Held, Waiting, race
from tests.unit.conftest import make_report

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def world():
    organisation = Organisation.objects.create(name="Routing lock organisation", receives_intake=True)
    target = Caseload.objects.create(organisation=organisation, name="Soon archived")
    admin = User.objects.create(username="routing-lock-admin", role="administrator")
    coordinator = User.objects.create(
        username="routing-lock-coordinator", role="coordinator", organisation=organisation
    )
    return {
        "target": target,
        "admin": admin,
        "coordinator": coordinator,
        "report": make_report(),
    }


def test_a_report_is_not_routed_into_a_caseload_being_archived(world):
    assert connection.vendor == "postgresql"
    report, target = world["report"], world["target"]

    _, second = race(
        lambda: organisations.caseload_archive(actor=world["admin"], caseload_id=target.pk),
        lambda: _in_english(
            routing.report_route, user=world["coordinator"], report_id=report.pk, caseload_id=target.pk
        ),
    )

    assert isinstance(second.error, routing.RoutingRefused)
    # The archived refusal itself ("archived" alone would match the caseload's name in any language).
    assert "“Soon archived” is archived" in second.error.messages[0]
    assert Report.objects.get(pk=report.pk).caseload_id is None
    assert not AuditEntry.objects.filter(action="report.route").exists()


def _in_english(function, **kwargs):
    """The refusal's words in English (the default language, Russian, has them too)."""
    from django.utils import translation

    with translation.override("en"):
        return function(**kwargs)


def test_a_caseload_a_report_is_being_routed_into_is_not_archived(world):
    assert connection.vendor == "postgresql"
    report, target = world["report"], world["target"]

    _, second = race(
        lambda: routing.report_route(user=world["coordinator"], report_id=report.pk, caseload_id=target.pk),
        lambda: _in_english(organisations.caseload_archive, actor=world["admin"], caseload_id=target.pk),
    )

    assert isinstance(second.error, organisations.OrganisationRefused)
    assert "routes 1 report" in str(second.error)
    target.refresh_from_db()
    assert target.archived_at is None
    assert Report.objects.get(pk=report.pk).caseload_id == target.pk


def test_routing_waits_for_the_caseload_before_it_locks_the_report(world):
    """Lock order: while the caseload's row is held, a routing into it holds no lock on the report.

    So a change that locks the report and then the caseload (none does) would be the only way to
    deadlock, and archiving (caseload, then a count of its reports) never waits on a report.
    """
    report, target = world["report"], world["target"]
    holder = Held(lambda: list(Caseload.objects.select_for_update().filter(pk=target.pk)))
    holder.start()
    assert holder.done.wait(timeout=10)
    routing_thread = Waiting(
        lambda: routing.report_route(user=world["coordinator"], report_id=report.pk, caseload_id=target.pk)
    )
    routing_thread.start()
    routing_thread.join(timeout=WAIT)
    assert routing_thread.is_alive(), "the routing did not wait for the caseload's row lock"
    try:
        # The report's row is free meanwhile: NOWAIT would fail at once if the routing held it.
        with transaction.atomic():
            assert list(
                Report.objects.select_for_update(nowait=True)
                .filter(pk=report.pk)
                .values_list("pk", flat=True)
            )
    finally:
        holder.release.set()
        holder.join(timeout=10)
        routing_thread.join(timeout=10)
    assert routing_thread.error is None
    assert Report.objects.get(pk=report.pk).caseload_id == target.pk


def test_a_held_report_row_does_not_block_the_archiving(world):
    """The other half of the order: archiving never waits on a report's row (it only counts)."""
    report, target = world["report"], world["target"]
    holder = Held(lambda: list(Report.objects.select_for_update().filter(pk=report.pk)))
    holder.start()
    assert holder.done.wait(timeout=10)
    try:
        organisations.caseload_archive(actor=world["admin"], caseload_id=target.pk)
    finally:
        holder.release.set()
        holder.join(timeout=10)
    target.refresh_from_db()
    assert target.archived_at is not None


def test_a_bulk_batch_waits_for_an_archiving_and_then_stops(world):
    report, target = world["report"], world["target"]
    job = BulkJob.objects.create(
        id=uuid.uuid4(),
        created_by=world["coordinator"],
        action="route",
        params={"caseload_id": target.pk, "note_sealed": ""},
        filters=QueueFilters().to_json(),
        total=1,
    )

    _, second = race(
        lambda: organisations.caseload_archive(actor=world["admin"], caseload_id=target.pk),
        lambda: bulk.bulk_job_run(job_id=job.pk),
    )

    assert second.error is None
    job.refresh_from_db()
    assert job.state == BulkJob.State.FAILED
    assert Report.objects.get(pk=report.pk).caseload_id is None


def test_nowait_really_fails_on_a_held_row(world):
    """The NOWAIT probe above can fail: shown here, so its passing means the row was free."""
    report = world["report"]
    holder = Held(lambda: list(Report.objects.select_for_update().filter(pk=report.pk)))
    holder.start()
    assert holder.done.wait(timeout=10)
    try:
        with pytest.raises(OperationalError), transaction.atomic():
            list(Report.objects.select_for_update(nowait=True).filter(pk=report.pk))
    finally:
        holder.release.set()
        holder.join(timeout=10)
