"""Reviewers' changes to a report: redactions, places, structured fields, tags, comments.

Each service is called after the view's gate (``access_report(for_write=True)``), locks the row,
changes it, and writes the audit row in the same transaction. Audit details say who changed what
kind of thing where (labels, offsets, counts, codes), never the words.

Redactions are edited as a list of pieces (``review.redaction_edits``, shared with the
submitter's replies) and written back whole, so that placeholders are renumbered per label in
order of first mention after every change and one identity always shows one placeholder.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from dataclasses import asdict

from django.db import transaction
from django.utils.translation import gettext as _

from testimony.analysis.spans import LABELS
from testimony.audit.services import audit_record, audit_record_now
from testimony.intake.choices import KIND_CODES, PERPETRATOR_CODES
from testimony.processing.reports import coarse_fields, report_region
from testimony.review import redaction_edits as edits
from testimony.review import sealed
from testimony.review.models import Comment, Report, ReportTag, Tag
from testimony.review.redaction_edits import CorrectionError
from testimony.review.search import report_text_index

WORDS_MAX_CHARS = edits.WORDS_MAX_CHARS  # the add form's limit, where the views read it
COMMENT_MAX_CHARS = 5000
_EVENT_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
_PLACEHOLDER_IN_TEXT = re.compile(r"\[(" + "|".join(LABELS) + r") \d+\]")


def text_version(report: Report) -> str:
    """Changes whenever the sealed text does (each sealing has a fresh nonce); says nothing of it.

    Forms carry it, so that offsets chosen on a page that is no longer current are refused rather
    than applied to a text that has moved.
    """
    return hashlib.sha256(bytes(report.text_sealed)).hexdigest()[:16]


# --- saving ---------------------------------------------------------------------------------------


def _locked(report: Report, version: str | None) -> tuple[Report, dict]:
    row = Report.objects.select_for_update().get(pk=report.pk)
    if version is not None and version != text_version(row):
        raise CorrectionError(_("The report changed while you were reading it. Reload it and try again."))
    return row, sealed.report_text_open(row)


def _save_text(row: Report, payload: dict, old_account_places: int) -> None:
    """Seal the payload, keep the clear coarse fields in step, and re-index the text for search.

    ``Report.places`` holds the account's places first, then those of the place description
    (which reviewers do not edit here), so the head is rebuilt and the tail kept.
    """
    account = payload["account"]
    row.text_sealed = sealed.report_text_seal(row, payload)
    row.places = [coarse_fields(p) for p in account["places"]] + list(row.places[old_account_places:])
    # The aggregates' region follows the places, as the worker derived it (a form place wins).
    row.region = report_region(country=row.country, place_id=row.place, places=row.places)
    counts = Counter(item["label"] for item in account["redactions"])
    counts.update(_PLACEHOLDER_IN_TEXT.findall(payload.get("place_details") or ""))
    row.redaction_counts = dict(sorted(counts.items()))
    row.save(update_fields=["text_sealed", "places", "region", "redaction_counts", "updated_at"])
    # The queue's search and the exact-duplicate fingerprint must follow the text as it now reads.
    report_text_index(report=row, payload=payload)


def _rewrite(*, actor, report: Report, version: str | None, edit: edits.Edit) -> dict:
    """Lock, open, apply ``edit``, save, audit (``report.redaction_<kind>``)."""
    with transaction.atomic():
        row, payload = _locked(report, version)
        account = payload["account"]
        pieces = edits.pieces_of(account)
        extra = edit.apply(pieces, account["redacted_text"])
        old_places = len(account.get("places", []))
        payload["account"] = edits.compose(pieces, edits.renumbered)
        _save_text(row, payload, old_places)
        audit_record(
            actor=actor,
            action=f"report.redaction_{edit.kind}",
            object_type="report",
            object_id=row.pk,
            details=edit.details | extra,
        )
    return payload


# --- redactions (the edits themselves: ``review.redaction_edits``, shared with the replies) -------


def report_redaction_remove(*, actor, report: Report, placeholder: str, version: str) -> dict:
    """Restore the original words of every mention hidden behind ``placeholder``
    (``redaction_edits.remove``)."""
    return _rewrite(actor=actor, report=report, version=version, edit=edits.removal(placeholder=placeholder))


def report_redaction_relabel(*, actor, report: Report, placeholder: str, label: str, version: str) -> dict:
    """Give every mention behind ``placeholder`` another label (PERSON → ADDRESS); renumbered."""
    edit = edits.relabelling(placeholder=placeholder, label=label)
    return _rewrite(actor=actor, report=report, version=version, edit=edit)


def report_redaction_add(
    *,
    actor,
    report: Report,
    label: str,
    version: str,
    start: int | None = None,
    end: int | None = None,
    words: str = "",
    everywhere: bool = True,
) -> dict:
    """Hide words of the visible text behind a placeholder (``redaction_edits.add``: a selection
    by offsets into the redacted text as shown, or the exact words, everywhere or not)."""
    edit = edits.addition(label=label, start=start, end=end, words=words, everywhere=everywhere)
    return _rewrite(actor=actor, report=report, version=version, edit=edit)


# --- places ---------------------------------------------------------------------------------------


def place_candidates(name: str) -> list[dict]:
    """Gazetteer entries the words ``name`` may denote, coarsened to a city as the worker does.

    Each is ``{"id", "name", "country", "admin1", "lat", "lon", "precision"}``; ``id`` is the
    gazetteer entry that was matched (a site or district may coarsen to the same city as
    another; the first, the largest, is kept).
    """
    from testimony.analysis.gazetteer import get_gazetteer
    from testimony.analysis.geocoder import coarsen
    from testimony.analysis.spans import Place

    gazetteer = get_gazetteer()
    seen, out = set(), []
    for entry in gazetteer.lookup(name)[:30]:
        place = coarsen(
            Place(
                start=0,
                end=len(name),
                text=name,
                name=entry.name,
                country=entry.country,
                admin1=gazetteer.admin1_names.get(entry.admin1_id, ""),
                lat=entry.lat,
                lon=entry.lon,
                precision=entry.kind,
                geonameid=entry.id,
            ),
            "city",
        )
        coarse = {"id": entry.id} | coarse_fields(asdict(place))
        key = (coarse["name"], coarse["country"], coarse["admin1"], coarse["precision"])
        if key not in seen:
            seen.add(key)
            out.append(coarse)
    return out


def report_place_choose(*, actor, report: Report, index: int, entry_id: str, version: str) -> dict:
    """Resolve the ``index``-th place of the account to another gazetteer entry (coarsened)."""
    with transaction.atomic():
        row, payload = _locked(report, version)
        places = payload["account"].get("places", [])
        if not 0 <= index < len(places):
            raise CorrectionError(_("This place is no longer in the text. Reload the report."))
        chosen = next((c for c in place_candidates(places[index]["text"]) if c["id"] == entry_id), None)
        if chosen is None:
            raise CorrectionError(_("Choose one of the places offered."))
        previous = coarse_fields(places[index])
        places[index] = places[index] | {k: v for k, v in chosen.items() if k != "id"}
        _save_text(row, payload, len(places))
        audit_record(
            actor=actor,
            action="report.place_change",
            object_type="report",
            object_id=row.pk,
            details={
                "action": "place",
                "index": index,
                "start": places[index]["start"],
                "end": places[index]["end"],
                # Coarse gazetteer names, as stored in clear on the report anyway.
                "from": f"{previous['name']}, {previous['country']}",
                "to": f"{chosen['name']}, {chosen['country']}",
            },
        )
    return payload


# --- structured fields, tags, comments ------------------------------------------------------------


def report_fields_update(
    *, actor, report: Report, kind: str, event_month: str, perpetrators: list[str]
) -> Report:
    """Correct the coded fields the submitter chose. Audited with old and new codes (no text)."""
    if kind not in KIND_CODES:
        raise CorrectionError(_("Choose what happened."))
    if not _EVENT_MONTH.match(event_month or ""):
        raise CorrectionError(_("Give the month as YYYY-MM."))
    if not perpetrators or not set(perpetrators) <= PERPETRATOR_CODES:
        raise CorrectionError(_("Choose who was involved."))
    perpetrators = sorted(set(perpetrators))
    with transaction.atomic():
        row = Report.objects.select_for_update().get(pk=report.pk)
        new = {"kind": kind, "event_month": event_month, "perpetrators": perpetrators}
        changed = {name: value for name, value in new.items() if getattr(row, name) != value}
        if not changed:
            return row
        old = {name: getattr(row, name) for name in changed}
        for name, value in changed.items():
            setattr(row, name, value)
        row.save(update_fields=[*changed, "updated_at"])
        audit_record(
            actor=actor,
            action="report.fields_edit",
            object_type="report",
            object_id=row.pk,
            details={"from": old, "to": changed},
        )
    return row


TAG_DECISIONS = ("accepted", "rejected", "cleared")


def report_tag_decide(*, actor, report: Report, slug: str, decision: str) -> None:
    """Accept or reject a tag (suggested or not) on a report, or clear the decision."""
    if decision not in TAG_DECISIONS:
        raise CorrectionError(_("Unknown decision."))
    tag = Tag.objects.filter(slug=slug, active=True).first()
    if tag is None:
        raise CorrectionError(_("There is no such tag in the taxonomy."))
    with transaction.atomic():
        row = Report.objects.select_for_update().get(pk=report.pk)
        if decision == "cleared":
            ReportTag.objects.filter(report=row, tag=tag).delete()
        else:
            ReportTag.objects.update_or_create(
                report=row, tag=tag, defaults={"status": decision, "by": actor}
            )
        audit_record(
            actor=actor,
            action=f"report.tag_{decision[:-2] if decision != 'cleared' else 'clear'}",
            object_type="report",
            object_id=row.pk,
            details={"tag": tag.slug},
        )


def comment_add(*, actor, report: Report, body: str, parent_id: int | None = None) -> Comment:
    """An internal comment, or a reply to one on the same report; the body is sealed to its row."""
    body = (body or "").strip()
    if not body:
        raise CorrectionError(_("Write something first."))
    if len(body) > COMMENT_MAX_CHARS:
        raise CorrectionError(_("Keep a comment under %(n)d characters.") % {"n": COMMENT_MAX_CHARS})
    with transaction.atomic():
        parent = None
        if parent_id is not None:
            parent = Comment.objects.filter(pk=parent_id, report=report).first()
            if parent is None:
                raise CorrectionError(_("The comment you answer is not on this report."))
        comment = Comment.objects.create(report=report, parent=parent, author=actor, body_sealed=b"")
        comment.body_sealed = sealed.note_seal(context=f"comment.body:{comment.pk}", text=body)
        comment.save(update_fields=["body_sealed"])
        audit_record(
            actor=actor,
            action="comment.add",
            object_type="report",
            object_id=report.pk,
            details={"comment": comment.pk, "reply_to": parent.pk if parent else None},
        )
    return comment


# --- attachments ----------------------------------------------------------------------------------

ATTACHMENT_VARIANTS = ("cleaned", "voice", "preview")
# Types a browser may be given for a cleaned attachment; anything else goes as bytes to save.
SAFE_TYPES = frozenset(
    {
        "image/jpeg",
        "image/png",
        "image/webp",
        "image/gif",
        "audio/ogg",
        "audio/mpeg",
        "audio/mp4",
        "audio/3gpp",
        "audio/wav",
        "audio/flac",
        "audio/amr",
        "audio/amr-wb",
        "audio/webm",
    }
)
INLINE_IMAGE_TYPES = frozenset({"image/jpeg", "image/png", "image/webp"})


def safe_content_type(stored: str) -> str:
    return stored if stored in SAFE_TYPES else "application/octet-stream"


def attachment_fetch(*, actor, attachment, variant: str) -> tuple[bytes, str]:
    """The cleaned bytes (or the disguised voice), and the type to send them as; audited.

    Only cleaned attachments: a flagged one holds the untouched original and stays sealed for the
    custodian. ``preview`` is the cleaned image, for image types a browser renders safely.
    Raises ``LookupError`` when there is nothing to serve for this variant.
    """
    from testimony.crypto.atrest import unseal

    if variant not in ATTACHMENT_VARIANTS or not attachment.cleaned:
        raise LookupError(variant)
    if variant == "voice":
        if attachment.disguised_voice_sealed is None:
            raise LookupError(variant)
        content = unseal(
            bytes(attachment.disguised_voice_sealed), context=f"attachment.voice:{attachment.pk}"
        )
        content_type = "audio/ogg"  # processing.attachments.DISGUISED_VOICE_TYPE
    else:
        if attachment.sanitised_sealed is None:
            raise LookupError(variant)
        if variant == "preview" and attachment.content_type not in INLINE_IMAGE_TYPES:
            raise LookupError(variant)
        content = unseal(bytes(attachment.sanitised_sealed), context=f"attachment.content:{attachment.pk}")
        content_type = safe_content_type(attachment.content_type)
    audit_record_now(
        actor=actor,
        action="attachment.download",
        object_type="report",
        object_id=attachment.report_id,
        details={"attachment": attachment.pk, "variant": variant},
    )
    return content, content_type
