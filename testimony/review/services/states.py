"""Review states and the transitions between them.

    new        → in_review, rejected, duplicate
    in_review  → needs_info, verified, rejected, duplicate
    needs_info → in_review, verified, rejected
    verified   → in_review
    rejected   → in_review
    duplicate  → in_review

Rejecting and marking a duplicate need a note (why), sealed into ``state_note_sealed``; a
duplicate also names the report it duplicates (another report in the user's scope). The note
explains the current state: a later transition replaces it with its own note, or clears it.

``needs_info`` only changes the state here. Writing to the submitter is the contact helper's
(``services/contact.py``): its view calls ``report_request_info`` and then this service, so a
state change never sends a message by surprise and a message never changes state by surprise.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from testimony.audit.services import audit_record
from testimony.review.models import Report
from testimony.review.models.reports import ReviewState
from testimony.review.sealed import note_seal
from testimony.review.selectors import access_report, reports_in_scope

S = ReviewState
TRANSITIONS: dict[str, frozenset[str]] = {
    S.NEW: frozenset({S.IN_REVIEW, S.REJECTED, S.DUPLICATE}),
    S.IN_REVIEW: frozenset({S.NEEDS_INFO, S.VERIFIED, S.REJECTED, S.DUPLICATE}),
    S.NEEDS_INFO: frozenset({S.IN_REVIEW, S.VERIFIED, S.REJECTED}),
    S.VERIFIED: frozenset({S.IN_REVIEW}),
    S.REJECTED: frozenset({S.IN_REVIEW}),
    S.DUPLICATE: frozenset({S.IN_REVIEW}),
}
NOTE_REQUIRED = frozenset({S.REJECTED, S.DUPLICATE})
NOTE_MAX_CHARS = 2000


class StateChangeRefused(ValidationError):
    pass


def allowed_next_states(state: str) -> list[str]:
    return [choice for choice in S.values if choice in TRANSITIONS.get(state, ())]


def check_transition(*, current: str, state: str, note: str) -> None:
    if state not in S.values:
        raise StateChangeRefused(_("Unknown state."))
    if state not in TRANSITIONS.get(current, ()):
        raise StateChangeRefused(
            _("A report in state “%(current)s” cannot become “%(state)s”.")
            % {"current": S(current).label, "state": S(state).label}
        )
    check_note(state=state, note=note, refused=StateChangeRefused)


def check_note(*, state: str, note: str, refused: type[ValidationError]) -> None:
    """The note rules of ``state``, raising ``refused``; shared with the bulk service's checks."""
    if state in NOTE_REQUIRED and not note.strip():
        raise refused(_("Say why in a note."))
    if len(note) > NOTE_MAX_CHARS:
        raise refused(_("The note is too long."))


def apply_state(*, report: Report, state: str, note: str, duplicate_of_id=None) -> list[str]:
    """Set the fields of a transition already checked, sealing ``note``; returns the fields to save.

    Shared by the single and the bulk service. Precondition: the caller holds the row lock.
    """
    report.state = state
    report.state_note_sealed = note_seal(context=f"report.note:{report.pk}", text=note) if note else None
    report.duplicate_of_id = duplicate_of_id if state == S.DUPLICATE else None
    return ["state", "state_note_sealed", "duplicate_of", "updated_at"]


def report_change_state(*, user, report_id, state: str, note: str = "", duplicate_of_id=None) -> Report:
    """Move a report to ``state``, with the note and duplicate target some transitions need.

    Raises ``Http404`` out of scope (or without ``report.edit``), ``StateChangeRefused`` for a
    transition the table does not allow or a missing note or target.
    """
    note = note.strip()
    with transaction.atomic():
        access_report(user=user, report_id=report_id, for_write=True)
        report = Report.objects.select_for_update().get(pk=report_id)
        previous = report.state
        check_transition(current=previous, state=state, note=note)
        target = None
        if state == S.DUPLICATE:
            target = _duplicate_target(user=user, report=report, duplicate_of_id=duplicate_of_id)
        fields = apply_state(
            report=report, state=state, note=note, duplicate_of_id=target.pk if target else None
        )
        report.save(update_fields=fields)
        audit_record(
            actor=user,
            action="report.state",
            object_type="report",
            object_id=str(report.pk),
            details={
                "from": previous,
                "to": state,
                "note": bool(note),  # the note itself is sealed on the report, never in the log
                "duplicate_of": str(target.pk) if target else None,
            },
        )
    return report


def _duplicate_target(*, user, report: Report, duplicate_of_id) -> Report:
    if not duplicate_of_id:
        raise StateChangeRefused(_("Say which report this one duplicates."))
    try:
        target = reports_in_scope(user).only("pk", "duplicate_of").get(pk=duplicate_of_id)
    except (Report.DoesNotExist, ValidationError, ValueError, TypeError):
        raise StateChangeRefused(_("No report with that id in your reports.")) from None
    if target.pk == report.pk or target.duplicate_of_id == report.pk:
        raise StateChangeRefused(_("A report cannot duplicate itself or its own duplicate."))
    return target
