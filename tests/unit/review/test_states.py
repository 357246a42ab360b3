"""State transitions: the table, required notes, duplicates in scope, sealed notes, audit."""

from __future__ import annotations

import pytest
from django.http import Http404

from testimony.audit.models import AuditEntry
from testimony.review.models import Report
from testimony.review.sealed import note_open
from testimony.review.services.states import TRANSITIONS, StateChangeRefused, report_change_state

pytestmark = pytest.mark.django_db


def test_allowed_transitions_change_state_and_are_audited(personas, report_factory):
    report = report_factory()
    report_change_state(user=personas["reviewer"], report_id=report.pk, state="in_review")
    report_change_state(user=personas["reviewer"], report_id=report.pk, state="verified")
    report.refresh_from_db()
    assert report.state == "verified"
    entries = list(AuditEntry.objects.filter(object_id=str(report.pk), action="report.state"))
    assert [(e.details["from"], e.details["to"]) for e in entries] == [
        ("new", "in_review"),
        ("in_review", "verified"),
    ]


@pytest.mark.parametrize(
    ("current", "target"),
    [("new", "verified"), ("new", "needs_info"), ("verified", "rejected"), ("duplicate", "verified")],
)
def test_transitions_outside_the_table_are_refused(personas, report_factory, current, target):
    assert target not in TRANSITIONS[current]
    report = report_factory(state=current)
    with pytest.raises(StateChangeRefused):
        report_change_state(user=personas["reviewer"], report_id=report.pk, state=target, note="why")
    assert Report.objects.get(pk=report.pk).state == current
    assert not AuditEntry.objects.filter(action="report.state").exists()


def test_rejecting_needs_a_note_which_is_sealed(personas, report_factory):
    report = report_factory()
    with pytest.raises(StateChangeRefused):
        report_change_state(user=personas["reviewer"], report_id=report.pk, state="rejected", note="  ")
    report_change_state(
        user=personas["reviewer"], report_id=report.pk, state="rejected", note="Спам, реклама"
    )
    report.refresh_from_db()
    assert b"\xd0\xa1\xd0\xbf\xd0\xb0\xd0\xbc" not in bytes(report.state_note_sealed)  # "Спам" in UTF-8
    assert note_open(context=f"report.note:{report.pk}", sealed=report.state_note_sealed) == "Спам, реклама"
    entry = AuditEntry.objects.get(action="report.state")
    assert entry.details["note"] is True
    assert "Спам" not in str(entry.details)


def test_a_duplicate_names_another_report_in_scope(personas, caseloads, report_factory):
    reviewer = personas["reviewer_detention_only"]
    report = report_factory(caseload=caseloads["detention"])
    original = report_factory(caseload=caseloads["detention"])
    hidden = report_factory(caseload=caseloads["moscow"])
    for target in (None, report.pk, hidden.pk, "nonsense"):
        with pytest.raises(StateChangeRefused):
            report_change_state(
                user=reviewer, report_id=report.pk, state="duplicate", note="same", duplicate_of_id=target
            )
    report_change_state(
        user=reviewer,
        report_id=report.pk,
        state="duplicate",
        note="same account",
        duplicate_of_id=original.pk,
    )
    report.refresh_from_db()
    assert report.duplicate_of_id == original.pk
    # Back to review: the link and the note go with the state they explained.
    report_change_state(user=reviewer, report_id=report.pk, state="in_review")
    report.refresh_from_db()
    assert report.duplicate_of_id is None
    assert report.state_note_sealed is None


@pytest.mark.parametrize("persona", ["custodian", "analyst", "partner_reviewer", "reviewer_detention_only"])
def test_users_who_may_not_edit_the_report_get_404(personas, caseloads, report_factory, persona):
    report = report_factory(caseload=caseloads["moscow"])
    with pytest.raises(Http404):
        report_change_state(user=personas[persona], report_id=report.pk, state="in_review")
    assert Report.objects.get(pk=report.pk).state == "new"
