"""Assignment (who may assign whom) and the soft lock (shown, taken over only on purpose, audited)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from testimony.audit.models import AuditEntry
from testimony.review.models import Report
from testimony.review.services.assignment import (
    LockHeld,
    lock_info,
    report_assign,
    report_lock,
    report_unlock,
)

pytestmark = pytest.mark.django_db


def test_a_reviewer_assigns_only_themselves(personas, report_factory):
    report = report_factory()
    reviewer = personas["reviewer"]
    report_assign(user=reviewer, report_id=report.pk, assignee_id=reviewer.pk)
    assert Report.objects.get(pk=report.pk).assignee_id == reviewer.pk
    with pytest.raises(PermissionDenied):
        report_assign(user=reviewer, report_id=report.pk, assignee_id=personas["coordinator"].pk)
    report_assign(user=reviewer, report_id=report.pk, assignee_id=None)  # giving it back is fine
    assert Report.objects.get(pk=report.pk).assignee_id is None
    assert AuditEntry.objects.filter(action="report.assign", object_id=str(report.pk)).count() == 2


def test_a_coordinator_assigns_anyone_who_can_work_on_the_report(personas, caseloads, report_factory):
    report = report_factory(caseload=caseloads["moscow"])
    coordinator = personas["coordinator"]
    report_assign(user=coordinator, report_id=report.pk, assignee_id=personas["reviewer"].pk)
    assert Report.objects.get(pk=report.pk).assignee_id == personas["reviewer"].pk
    # Outside the assignee's caseload, a read-only role, another organisation: refused.
    for persona in ("reviewer_detention_only", "custodian", "partner_reviewer"):
        with pytest.raises(PermissionDenied):
            report_assign(user=coordinator, report_id=report.pk, assignee_id=personas[persona].pk)
    assert Report.objects.get(pk=report.pk).assignee_id == personas["reviewer"].pk


def test_assigning_out_of_scope_is_not_found(personas, caseloads, report_factory):
    report = report_factory(caseload=caseloads["moscow"])
    user = personas["reviewer_detention_only"]
    with pytest.raises(Http404):
        report_assign(user=user, report_id=report.pk, assignee_id=user.pk)


def test_a_live_lock_is_taken_over_only_on_purpose_and_audited(personas, report_factory):
    report = report_factory()
    first, second = personas["reviewer"], personas["coordinator"]
    report_lock(user=first, report_id=report.pk)
    report_lock(user=first, report_id=report.pk)  # refreshing one's own lock is quiet
    with pytest.raises(LockHeld) as held:
        report_lock(user=second, report_id=report.pk)
    assert held.value.holder == "reviewer"
    assert not AuditEntry.objects.filter(action="report.lock_take_over").exists()
    report_lock(user=second, report_id=report.pk, take_over=True)
    locked = Report.objects.select_related("locked_by").get(pk=report.pk)
    assert lock_info(locked).holder == "coordinator"
    entry = AuditEntry.objects.get(action="report.lock_take_over")
    assert entry.details["from"] == first.pk
    assert entry.actor == "coordinator"


def test_an_expired_lock_is_simply_taken(personas, report_factory):
    report = report_factory()
    Report.objects.filter(pk=report.pk).update(
        locked_by=personas["reviewer"], locked_until=timezone.now() - dt.timedelta(seconds=1)
    )
    report_lock(user=personas["coordinator"], report_id=report.pk)
    assert Report.objects.get(pk=report.pk).locked_by_id == personas["coordinator"].pk
    assert not AuditEntry.objects.filter(action="report.lock_take_over").exists()


def test_unlock_releases_only_ones_own_lock(personas, report_factory):
    report = report_factory()
    report_lock(user=personas["reviewer"], report_id=report.pk)
    assert report_unlock(user=personas["coordinator"], report_id=report.pk) is False
    assert report_unlock(user=personas["reviewer"], report_id=report.pk) is True
    assert Report.objects.get(pk=report.pk).locked_by_id is None


def test_lock_lasts_the_configured_minutes(personas, report_factory, settings):
    settings.CONSOLE_SOFT_LOCK_MINUTES = 7
    report = report_factory()
    before = timezone.now()
    report_lock(user=personas["reviewer"], report_id=report.pk)
    until = Report.objects.get(pk=report.pk).locked_until
    assert dt.timedelta(minutes=7) <= until - before < dt.timedelta(minutes=7, seconds=5)
