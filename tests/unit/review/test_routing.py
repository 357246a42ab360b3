"""Routing a report to a caseload (services.routing): who, where to, what happens to the people on it.

Personas from tests/unit/conftest.py: the intake organisation (receives intake) with caseloads
"moscow" and "detention"; a partner organisation. Reviewers limited to one caseload are the
people routing can take a report away from.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from testimony.accounts.models import Caseload, Organisation
from testimony.audit.models import AuditEntry
from testimony.audit.selectors import readable_details
from testimony.review.models import Report
from testimony.review.selectors import reports_in_scope
from testimony.review.services import routing
from testimony.review.services.routing import RoutingRefused, report_route, routable_caseloads
from tests.unit.conftest import make_user

pytestmark = pytest.mark.django_db


def route_entries(report):
    return AuditEntry.objects.filter(action="report.route", object_id=str(report.pk)).order_by("seq")


@pytest.fixture
def partner(personas):
    """The partner organisation (it does not receive intake), a coordinator and a caseload of it."""
    organisation = Organisation.objects.get(name="Partner organisation")
    return {
        "organisation": organisation,
        "coordinator": make_user("partner_coordinator", "coordinator", organisation),
        "caseload": Caseload.objects.create(organisation=organisation, name="Partner cases"),
    }


@pytest.fixture
def moscow_reviewer(caseloads):
    return make_user(
        "reviewer_moscow_only", "reviewer", caseloads["moscow"].organisation, [caseloads["moscow"]]
    )


def test_a_coordinator_routes_an_unrouted_report_and_a_limited_reviewer_then_sees_it(
    personas, caseloads, report_factory, moscow_reviewer
):
    # given: a new report, unrouted, which a reviewer limited to Moscow cannot see
    report = report_factory()
    assert not reports_in_scope(moscow_reviewer).filter(pk=report.pk).exists()

    # when
    report_route(user=personas["coordinator"], report_id=report.pk, caseload_id=caseloads["moscow"].pk)

    # then
    assert Report.objects.get(pk=report.pk).caseload_id == caseloads["moscow"].pk
    assert reports_in_scope(moscow_reviewer).filter(pk=report.pk).exists()
    (entry,) = route_entries(report)
    assert entry.actor == "coordinator"
    assert entry.object_type == "report"
    assert entry.details == {"from": None, "to": caseloads["moscow"].pk}


@pytest.mark.parametrize("role", ["reviewer", "custodian", "analyst", "administrator"])
def test_only_those_who_may_assign_route(personas, caseloads, report_factory, role):
    report = report_factory()
    with pytest.raises(PermissionDenied):
        report_route(user=personas[role], report_id=report.pk, caseload_id=caseloads["moscow"].pk)
    assert Report.objects.get(pk=report.pk).caseload_id is None
    assert not route_entries(report).exists()


def test_a_report_out_of_scope_is_not_found_whatever_the_target(personas, caseloads, report_factory, partner):
    report = report_factory(caseload=caseloads["moscow"])
    for target in (partner["caseload"].pk, caseloads["detention"].pk, None):
        with pytest.raises(Http404):
            report_route(user=partner["coordinator"], report_id=report.pk, caseload_id=target)
    for malformed in ("not-a-uuid", 12, None):
        with pytest.raises(Http404):
            report_route(
                user=personas["coordinator"], report_id=malformed, caseload_id=caseloads["moscow"].pk
            )
    assert Report.objects.get(pk=report.pk).caseload_id == caseloads["moscow"].pk
    assert not AuditEntry.objects.filter(action="report.route").exists()


def test_only_a_caseload_of_the_users_own_organisation(personas, caseloads, report_factory, partner):
    report = report_factory(caseload=caseloads["moscow"])
    for target in (partner["caseload"].pk, 999_999, "x"):
        with pytest.raises(RoutingRefused, match="open caseload of your organisation"):
            report_route(user=personas["coordinator"], report_id=report.pk, caseload_id=target)
    assert Report.objects.get(pk=report.pk).caseload_id == caseloads["moscow"].pk
    assert not route_entries(report).exists()


def test_never_to_an_archived_caseload(personas, caseloads, report_factory):
    Caseload.objects.filter(pk=caseloads["detention"].pk).update(archived_at=timezone.now())
    report = report_factory(caseload=caseloads["moscow"])
    with pytest.raises(RoutingRefused, match="archived"):
        report_route(user=personas["coordinator"], report_id=report.pk, caseload_id=caseloads["detention"].pk)
    assert Report.objects.get(pk=report.pk).caseload_id == caseloads["moscow"].pk
    assert caseloads["detention"] not in routable_caseloads(personas["coordinator"])
    assert caseloads["moscow"] in routable_caseloads(personas["coordinator"])


def test_back_to_unrouted_only_in_the_organisation_that_receives_intake(
    personas, caseloads, report_factory, partner
):
    # The intake organisation keeps seeing an unrouted report: allowed.
    report = report_factory(caseload=caseloads["moscow"])
    report_route(user=personas["coordinator"], report_id=report.pk, caseload_id=None)
    assert Report.objects.get(pk=report.pk).caseload_id is None
    assert route_entries(report).get().details == {"from": caseloads["moscow"].pk, "to": None}

    # The partner's report would leave the partner's sight: refused, saying why.
    theirs = report_factory(caseload=partner["caseload"])
    with pytest.raises(RoutingRefused, match="does not receive intake"):
        report_route(user=partner["coordinator"], report_id=theirs.pk, caseload_id=None)
    assert Report.objects.get(pk=theirs.pk).caseload_id == partner["caseload"].pk
    assert reports_in_scope(partner["coordinator"]).filter(pk=theirs.pk).exists()
    # Between its own caseloads it routes freely.
    other = Caseload.objects.create(organisation=partner["organisation"], name="Partner detention")
    report_route(user=partner["coordinator"], report_id=theirs.pk, caseload_id=other.pk)
    assert Report.objects.get(pk=theirs.pk).caseload_id == other.pk


def test_an_assignee_who_would_lose_sight_is_unassigned_and_their_lock_released(
    personas, caseloads, report_factory, moscow_reviewer
):
    report = report_factory(caseload=caseloads["moscow"])
    until = timezone.now() + dt.timedelta(minutes=20)
    Report.objects.filter(pk=report.pk).update(
        assignee=moscow_reviewer, locked_by=moscow_reviewer, locked_until=until
    )

    report_route(user=personas["coordinator"], report_id=report.pk, caseload_id=caseloads["detention"].pk)

    report.refresh_from_db()
    assert (report.caseload_id, report.assignee_id, report.locked_by_id, report.locked_until) == (
        caseloads["detention"].pk,
        None,
        None,
        None,
    )
    assert not reports_in_scope(moscow_reviewer).filter(pk=report.pk).exists()
    assert route_entries(report).get().details == {
        "from": caseloads["moscow"].pk,
        "to": caseloads["detention"].pk,
        "assignee_cleared": moscow_reviewer.pk,
        "lock_cleared": moscow_reviewer.pk,
    }


def test_people_who_still_see_the_report_keep_what_they_held(personas, caseloads, report_factory):
    # The assignee sees the whole organisation; the lock holder is limited to the target.
    report = report_factory(caseload=caseloads["moscow"])
    until = timezone.now() + dt.timedelta(minutes=20)
    holder = personas["reviewer_detention_only"]
    Report.objects.filter(pk=report.pk).update(
        assignee=personas["reviewer"], locked_by=holder, locked_until=until
    )

    report_route(user=personas["coordinator"], report_id=report.pk, caseload_id=caseloads["detention"].pk)

    report.refresh_from_db()
    assert (report.assignee_id, report.locked_by_id) == (personas["reviewer"].pk, holder.pk)
    assert report.locked_until == until
    assert set(route_entries(report).get().details) == {"from", "to"}


def test_the_lock_of_someone_else_who_loses_sight_is_released_alone(
    personas, caseloads, report_factory, moscow_reviewer
):
    report = report_factory(caseload=caseloads["moscow"])
    Report.objects.filter(pk=report.pk).update(
        assignee=personas["coordinator"],
        locked_by=moscow_reviewer,
        locked_until=timezone.now() + dt.timedelta(minutes=5),
    )
    report_route(user=personas["coordinator"], report_id=report.pk, caseload_id=caseloads["detention"].pk)
    report.refresh_from_db()
    assert (report.assignee_id, report.locked_by_id) == (personas["coordinator"].pk, None)
    assert route_entries(report).get().details["lock_cleared"] == moscow_reviewer.pk
    assert "assignee_cleared" not in route_entries(report).get().details


def test_routing_to_the_caseload_it_is_in_changes_and_records_nothing(personas, caseloads, report_factory):
    report = report_factory(caseload=caseloads["moscow"])
    before = Report.objects.get(pk=report.pk).updated_at
    report_route(user=personas["coordinator"], report_id=report.pk, caseload_id=caseloads["moscow"].pk)
    assert Report.objects.get(pk=report.pk).updated_at == before
    assert not route_entries(report).exists()


def test_a_note_with_the_caseload_it_is_in_is_refused_not_dropped(personas, caseloads, report_factory):
    # Nothing would be recorded, so the note would be lost without a word: the service says so.
    for caseload, target in ((caseloads["moscow"], caseloads["moscow"].pk), (None, None)):
        report = report_factory(caseload=caseload)
        with pytest.raises(RoutingRefused, match="already in this caseload"):
            report_route(
                user=personas["coordinator"], report_id=report.pk, caseload_id=target, note="Проверить"
            )
        assert not route_entries(report).exists()
        # A note of blanks is no note: nothing to lose, nothing refused.
        report_route(user=personas["coordinator"], report_id=report.pk, caseload_id=target, note="  ")
        assert not route_entries(report).exists()


def test_the_note_is_sealed_in_the_entry_and_readable_in_the_history(personas, caseloads, report_factory):
    report = report_factory()
    words = "Задержание в Сахарово, передать группе по депортации"
    report_route(
        user=personas["coordinator"],
        report_id=report.pk,
        caseload_id=caseloads["detention"].pk,
        note=f"  {words} ",
    )
    entry = route_entries(report).get()
    assert words not in str(entry.details)
    assert readable_details(entry.details)["note"] == words
    with pytest.raises(RoutingRefused, match="too long"):
        report_route(
            user=personas["coordinator"],
            report_id=report.pk,
            caseload_id=caseloads["moscow"].pk,
            note="x" * (routing.NOTE_MAX_CHARS + 1),
        )
    assert Report.objects.get(pk=report.pk).caseload_id == caseloads["detention"].pk


def test_the_move_and_its_entry_are_one_transaction(personas, caseloads, report_factory, monkeypatch):
    report = report_factory(caseload=caseloads["moscow"])
    Report.objects.filter(pk=report.pk).update(assignee=personas["reviewer_detention_only"])

    def failing_audit(**kwargs):
        raise RuntimeError("audit log unavailable")

    monkeypatch.setattr(routing, "audit_record", failing_audit)
    with pytest.raises(RuntimeError):
        report_route(user=personas["coordinator"], report_id=report.pk, caseload_id=caseloads["detention"].pk)
    report.refresh_from_db()
    # Neither the move nor the cleared assignment outlived the missing entry.
    assert (report.caseload_id, report.assignee_id) == (
        caseloads["moscow"].pk,
        personas["reviewer_detention_only"].pk,
    )


def test_the_caseload_row_is_locked_before_the_report_row(personas, caseloads, report_factory, lock_order):
    """The lock order archiving and account changes use (caseload, then what it holds); the
    PostgreSQL test (tests/integration/test_routing_locks_postgres.py) shows the real waits."""
    report = report_factory()
    report_route(user=personas["coordinator"], report_id=report.pk, caseload_id=caseloads["moscow"].pk)
    assert lock_order == ["Caseload", "Report"]


def test_unrouting_takes_no_caseload_lock_and_still_locks_the_report(
    personas, caseloads, report_factory, lock_order
):
    report = report_factory(caseload=caseloads["moscow"])
    report_route(user=personas["coordinator"], report_id=report.pk, caseload_id=None)
    assert lock_order == ["Report"]
