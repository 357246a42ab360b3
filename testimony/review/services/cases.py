"""Cases: create and edit them, link reports to them, and what the case page reads.

Scope: a case belongs to the creator's organisation (``cases_in_scope``); a report can be linked
only if it is in the user's scope (``reports_in_scope``), and the case page lists only the linked
reports the user may see, with a count of the others. Every write is audited in its transaction;
audit details hold ids, field names and link fields, never the summary or report text.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from testimony.accounts.models import Role
from testimony.audit.services import audit_record
from testimony.processing.reports import COARSE_PLACE_KEYS
from testimony.review.corroboration import Corroboration, case_corroboration
from testimony.review.models import Case, CaseReport, Report, Tag
from testimony.review.sealed import note_open, note_seal
from testimony.review.selectors import access_case, access_report, reports_in_scope

SUMMARY_MAX_CHARS = 20000
RELATIONS = CaseReport.Relation
RELIABILITY = CaseReport.Reliability


def _summary_context(case_id) -> str:
    return f"case.summary:{case_id}"


def case_summary(case: Case) -> str:
    if not case.summary_sealed:
        return ""
    return note_open(context=_summary_context(case.pk), sealed=case.summary_sealed)


def coarse_place(place: dict | None) -> dict:
    """Only the coarse fields, coordinates to 2 decimals (about 1 km), as Report.places."""
    if not place:
        return {}
    coarse = {key: place.get(key, "") for key in COARSE_PLACE_KEYS}
    for key in ("lat", "lon"):
        coarse[key] = round(float(coarse[key]), 2) if coarse[key] not in ("", None) else None
    return coarse


def place_lookup(query: str) -> dict | None:
    """The first place the gazetteer finds in ``query``, coarsened to a city (or coarser).

    The analysis's word memos are emptied afterwards, as after a report: what staff type here
    stays no longer in the web process than the lookup."""
    from testimony.analysis.geocoder import coarsen, find_places
    from testimony.analysis.pipeline import forget_words

    try:
        places = find_places(query.strip()[:200])
    finally:
        forget_words()
    if not places:
        return None
    return coarse_place(asdict(coarsen(places[0], "city")))


def _check_fields(*, title: str, date_from, date_to, summary: str, people_affected) -> None:
    if not title.strip():
        raise ValidationError(_("A case needs a title."))
    if date_from and date_to and date_from > date_to:
        raise ValidationError(_("The case cannot end before it begins."))
    if len(summary) > SUMMARY_MAX_CHARS:
        raise ValidationError(_("The summary is too long."))
    if people_affected is not None and people_affected < 0:
        raise ValidationError(_("The number of people affected cannot be negative."))


def _kinds(kind_ids) -> list[Tag]:
    kinds = list(Tag.objects.filter(pk__in=list(kind_ids)))
    if len(kinds) != len(set(kind_ids)):
        raise ValidationError(_("Unknown kind of act."))
    return kinds


def _limited_reviewer(user) -> bool:
    return user.role == Role.REVIEWER and user.caseloads.exists()


def case_create(
    *,
    user,
    title: str,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    place: dict | None = None,
    kind_ids=(),
    perpetrator_types=(),
    units: str = "",
    people_affected: int | None = None,
    summary: str = "",
    report_ids=(),
    relation: str = RELATIONS.VICTIM,
    reliability: str = RELIABILITY.UNKNOWN,
) -> Case:
    """A new case in the user's organisation, with the given reports linked in the same step.

    A reviewer limited to caseloads sees only cases holding one of their reports, so such a
    reviewer must link at least one report, or the new case would vanish from their view.
    """
    from testimony.accounts.permissions import can

    if not can(user, "case.edit") or user.organisation_id is None:
        raise ValidationError(_("You may not create cases."))
    _check_fields(
        title=title, date_from=date_from, date_to=date_to, summary=summary, people_affected=people_affected
    )
    if _limited_reviewer(user) and not report_ids:
        raise ValidationError(_("Link at least one report from your caseloads to the new case."))
    kinds = _kinds(kind_ids)
    with transaction.atomic():
        case = Case.objects.create(
            organisation_id=user.organisation_id,
            title=title.strip(),
            date_from=date_from,
            date_to=date_to,
            place=coarse_place(place),
            perpetrator_types=list(perpetrator_types),
            units=units.strip(),
            people_affected=people_affected,
            created_by=user,
        )
        if summary.strip():
            case.summary_sealed = note_seal(context=_summary_context(case.pk), text=summary)
            case.save(update_fields=["summary_sealed"])
        case.kinds.set(kinds)
        audit_record(
            actor=user,
            action="case.create",
            object_type="case",
            object_id=case.pk,
            details={"kinds": sorted(tag.slug for tag in kinds)},
        )
        _link(user=user, case=case, report_ids=report_ids, relation=relation, reliability=reliability)
    return case


def case_update(
    *,
    user,
    case_id,
    title: str,
    date_from: dt.date | None,
    date_to: dt.date | None,
    place: dict | None,
    kind_ids,
    perpetrator_types,
    units: str,
    people_affected: int | None,
    summary: str,
) -> Case:
    _check_fields(
        title=title, date_from=date_from, date_to=date_to, summary=summary, people_affected=people_affected
    )
    kinds = _kinds(kind_ids)
    with transaction.atomic():
        case = access_case(user=user, case_id=case_id, for_write=True)
        case = Case.objects.select_for_update().get(pk=case.pk)
        values = {
            "title": title.strip(),
            "date_from": date_from,
            "date_to": date_to,
            "place": coarse_place(place),
            "perpetrator_types": list(perpetrator_types),
            "units": units.strip(),
            "people_affected": people_affected,
        }
        changed = [name for name, value in values.items() if getattr(case, name) != value]
        for name in changed:
            setattr(case, name, values[name])
        if summary != case_summary(case):
            case.summary_sealed = (
                note_seal(context=_summary_context(case.pk), text=summary) if summary else None
            )
            changed.append("summary")
        old_kinds = set(case.kinds.values_list("pk", flat=True))
        if old_kinds != {tag.pk for tag in kinds}:
            case.kinds.set(kinds)
            changed.append("kinds")
        if not changed:
            return case
        fields = [name for name in changed if name != "kinds"]
        fields = ["summary_sealed" if name == "summary" else name for name in fields]
        case.save(update_fields=[*fields, "updated_at"])
        audit_record(
            actor=user,
            action="case.update",
            object_type="case",
            object_id=case.pk,
            details={"changed": sorted(changed)},
        )
    return case


def _check_link_fields(relation: str, reliability: str) -> None:
    if relation not in RELATIONS.values:
        raise ValidationError(_("Unknown relation."))
    if reliability not in RELIABILITY.values:
        raise ValidationError(_("Unknown reliability."))


def _link(*, user, case: Case, report_ids, relation: str, reliability: str) -> int:
    """Link reports in the user's scope that are not linked yet. Caller is in a transaction."""
    _check_link_fields(relation, reliability)
    added = 0
    for report_id in dict.fromkeys(report_ids):  # in order, once each
        report = access_report(user=user, report_id=report_id)  # 404 outside the user's scope
        try:
            with transaction.atomic():  # the unique (case, report) constraint decides
                CaseReport.objects.create(
                    case=case, report=report, relation=relation, reliability=reliability, added_by=user
                )
        except IntegrityError:
            continue  # already linked: nothing to do
        added += 1
        audit_record(
            actor=user,
            action="case.report_add",
            object_type="case",
            object_id=case.pk,
            details={"report": str(report.pk), "relation": relation, "reliability": reliability},
        )
    return added


def case_add_reports(
    *,
    user,
    case_id,
    report_ids,
    relation: str = RELATIONS.VICTIM,
    reliability: str = RELIABILITY.UNKNOWN,
) -> int:
    """Link reports to a case; returns how many were new. Reports already linked are left as they are."""
    with transaction.atomic():
        case = access_case(user=user, case_id=case_id, for_write=True)
        return _link(user=user, case=case, report_ids=report_ids, relation=relation, reliability=reliability)


def case_change_link(*, user, case_id, report_id, relation: str, reliability: str) -> CaseReport:
    _check_link_fields(relation, reliability)
    with transaction.atomic():
        case = access_case(user=user, case_id=case_id, for_write=True)
        report = access_report(user=user, report_id=report_id)
        link = CaseReport.objects.select_for_update().filter(case=case, report=report).first()
        if link is None:
            raise ValidationError(_("This report is not linked to the case."))
        before = {"relation": link.relation, "reliability": link.reliability}
        link.relation, link.reliability = relation, reliability
        if before == {"relation": relation, "reliability": reliability}:
            return link
        link.save(update_fields=["relation", "reliability"])
        audit_record(
            actor=user,
            action="case.report_change",
            object_type="case",
            object_id=case.pk,
            details={
                "report": str(report.pk),
                "from": before,
                "to": {"relation": relation, "reliability": reliability},
            },
        )
    return link


def case_remove_report(*, user, case_id, report_id) -> bool:
    with transaction.atomic():
        case = access_case(user=user, case_id=case_id, for_write=True)
        report = access_report(user=user, report_id=report_id)
        deleted, _by_model = CaseReport.objects.filter(case=case, report=report).delete()
        if not deleted:
            return False
        audit_record(
            actor=user,
            action="case.report_remove",
            object_type="case",
            object_id=case.pk,
            details={"report": str(report.pk)},
        )
    return True


def report_mark_duplicate(*, user, report_id, original_id, note: str) -> Report:
    """Mark ``report_id`` as a duplicate of ``original_id`` (both in the user's scope).

    The state change itself is the queue's service (``services.states.report_change_state``): the
    transition rules, the sealed note and the audit row live there, once.
    """
    from testimony.review.services.states import report_change_state

    if str(report_id) == str(original_id):
        raise ValidationError(_("A report cannot duplicate itself."))
    return report_change_state(
        user=user, report_id=report_id, state="duplicate", note=note, duplicate_of_id=original_id
    )


# --- What the case pages read ---------------------------------------------------------------


@dataclass
class CaseDetail:
    case: Case
    summary: str
    links: list[CaseReport]  # only those the user may see
    hidden: int  # linked reports outside the user's scope
    corroboration: Corroboration
    kinds: list[Tag] = field(default_factory=list)


def case_detail(*, user, case: Case) -> CaseDetail:
    """Precondition: ``case`` came from ``access_case`` for this user."""
    visible = reports_in_scope(user).values("pk")
    links = list(
        CaseReport.objects.filter(case=case, report__in=visible)
        .select_related("report")
        .order_by("added_at", "pk")
    )
    total = CaseReport.objects.filter(case=case).count()
    return CaseDetail(
        case=case,
        summary=case_summary(case),
        links=links,
        hidden=total - len(links),
        corroboration=case_corroboration(case),
        kinds=list(case.kinds.all()),
    )


def place_choices(*, user, case: Case | None) -> list[dict]:
    """The distinct coarse places of the linked reports the user may see: what the case may be set to."""
    if case is None:
        return []
    seen: dict[tuple, dict] = {}
    reports = reports_in_scope(user).filter(case_links__case=case).only("places")
    for report in reports:
        for place in report.places or []:
            coarse = coarse_place(place)
            seen.setdefault(
                (coarse["country"], coarse["admin1"], coarse["name"], coarse["precision"]), coarse
            )
    return list(seen.values())


def place_key(place: dict) -> str:
    return "|".join(str(place.get(key, "")) for key in ("country", "admin1", "name", "precision"))
