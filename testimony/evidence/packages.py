"""Building a signed evidence package: a ZIP a court or a sceptical reader can check without us.

For a case (its linked reports in the requester's scope) or a selection of reports, the package
holds, per report, the redacted testimony as self-contained HTML and as plain text in the
original language, and the sanitised attachments (the disguised voice for audio, never the
voice itself); then ``manifest.json`` (every file's SHA-256 and size; per report the SHA-256 of
the sealed original ciphertext from intake, the received day, the processing steps and
versions, and the chain of custody: pseudonymous reviewer actions by day), ``SHA256SUMS``,
``signing_key.pem``, the Ed25519 signature ``manifest.sig`` and, if an authority is configured
and answers, the RFC 3161 timestamp ``manifest.tsr``. ``verify.py`` documents the layout and
checks it.

Only redacted text leaves: the sealed payload's ``redacted_text`` and redacted place details,
never a redaction's ``original``, never a comment, a note or a message. Members are written in a
fixed order with a fixed date, so the same content gives the same bytes. Reports are written one
at a time, so memory stays flat whatever the size of the case.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import mimetypes
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO
from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from testimony.evidence.verify import (
    FORMAT,
    MANIFEST,
    PUBLIC_KEY,
    README,
    SIGNATURE,
    SUMS,
    TIMESTAMP,
    TSA_CA,
    public_key_fingerprint,
    public_key_pem,
    sha256sums_text,
)

# Who may build and download packages (docs/permissions.md, "Evidence packages"): the scope of
# every read below, the views' gate and the worker's re-check.
PACKAGE_ACTION = "evidence.package"
# A fixed member date (the ZIP epoch), as reproducible builds do: the creation time is in the
# signed manifest, where it means something.
ZIP_DATE = (1980, 1, 1, 0, 0, 0)
# Already compressed: deflating them again costs time and saves nothing.
_STORED_PREFIXES = ("image/", "audio/", "video/")
_EXTENSIONS = {
    "image/jpeg": ".jpg",
    "image/png": ".png",
    "image/webp": ".webp",
    "image/gif": ".gif",
    "audio/ogg": ".ogg",
    "audio/mp4": ".m4a",
    "audio/3gpp": ".3gp",
    "audio/amr": ".amr",
    "audio/amr-wb": ".awb",
    "audio/mpeg": ".mp3",
}
# Reports read per round of queries: few round trips, and a batch's attachments stay small in memory.
_BATCH = 25

# Outcomes of the timestamp, recorded on the job (``ExportJob.disclosure["timestamp"]``).
STAMPED = "stamped"
STAMP_NOT_CONFIGURED = "not_configured"
STAMP_UNAVAILABLE = "unavailable"  # the authority did not answer, or refused
STAMP_INVALID = "invalid"  # it answered, but the answer does not check against the CA
# timestamp_problem is the library's diagnostic (technical, kept as it came), or this code:
PROBLEM_UNCHECKED = "unchecked_no_ca_file"


class PackageRefused(Exception):
    """The package cannot be built; ``code`` is stored as the job's failure reason."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


NO_SIGNING_KEY = "no_signing_key"
NOTHING_IN_SCOPE = "nothing_in_scope"


@dataclass
class PackageResult:
    reports: int
    files: int
    fingerprint: str
    timestamp: str  # one of the STAMP_* outcomes
    timestamp_problem: str = ""  # why not, in words without data
    left_out: int = 0  # reports of the case outside the requester's scope
    withheld_attachments: int = 0

    def record(self) -> dict:
        return {
            "signed": True,
            "signing_key_fingerprint": self.fingerprint,
            "timestamp": self.timestamp,
            "timestamp_problem": self.timestamp_problem,
            "reports": self.reports,
            "files": self.files,
            "left_out": self.left_out,
            "withheld_attachments": self.withheld_attachments,
        }


@dataclass
class _Writer:
    """Adds members to the archive and remembers each one's hash and size for the manifest."""

    archive: zipfile.ZipFile
    entries: list[dict] = field(default_factory=list)

    def add(self, path: str, data: bytes, *, content_type: str = "", listed: bool = True) -> None:
        info = zipfile.ZipInfo(path, date_time=ZIP_DATE)
        info.create_system = 3  # Unix, whatever the host: part of the bytes
        info.external_attr = 0o644 << 16
        stored = content_type.startswith(_STORED_PREFIXES)
        info.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
        self.archive.writestr(info, data, compresslevel=None if stored else 6)
        if listed:
            self.entries.append({"path": path, "sha256": hashlib.sha256(data).hexdigest(), "size": len(data)})


# --- scope: what a requester may put in a package -------------------------------------------------


def access_package_reports(*, user, report_ids) -> list:
    """The ids, if every one is a report the user may put in a package; 404 if any is not."""
    from django.http import Http404

    from testimony.review.selectors import reports_in_scope

    wanted = {str(pk) for pk in report_ids}
    if not wanted:
        raise Http404
    found = {
        str(pk)
        for pk in reports_in_scope(user, action=PACKAGE_ACTION)
        .filter(pk__in=wanted)
        .values_list("pk", flat=True)
    }
    if found != wanted:
        raise Http404
    return sorted(wanted)


def package_contents(*, user, case=None, report_ids=None) -> tuple[list, dict, int]:
    """(reports, links by report id, how many were left out) for a case or a selection.

    Read again when the job runs, with the requester's scope at that moment: a report moved out
    of their reach since the request is left out, and counted.
    """
    from testimony.review.models import CaseReport
    from testimony.review.selectors import reports_in_scope

    visible = reports_in_scope(user, action=PACKAGE_ACTION).select_related("submission")
    if case is not None:
        links = {link.report_id: link for link in CaseReport.objects.filter(case=case)}
        rows = list(visible.filter(pk__in=list(links)))
        return rows, {row.pk: links[row.pk] for row in rows}, len(links) - len(rows)
    wanted = {str(pk) for pk in report_ids or ()}
    rows = list(visible.filter(pk__in=wanted))
    return rows, {}, len(wanted) - len(rows)


def package_case_counts(*, user, case) -> tuple[int, int]:
    """(reports the package of ``case`` would hold for ``user``, linked reports left out): counts only."""
    from testimony.review.models import CaseReport
    from testimony.review.selectors import reports_in_scope

    linked = CaseReport.objects.filter(case=case).values("report_id")
    count = reports_in_scope(user, action=PACKAGE_ACTION).filter(pk__in=linked).count()
    return count, CaseReport.objects.filter(case=case).count() - count


# --- what goes in --------------------------------------------------------------------------------


def platform_version() -> str:
    from importlib import metadata

    try:
        return metadata.version("testimony")
    except metadata.PackageNotFoundError:
        pass
    import tomllib

    try:
        with (Path(settings.BASE_DIR) / "pyproject.toml").open("rb") as f:
            return str(tomllib.load(f)["project"]["version"])
    except (OSError, KeyError, ValueError):
        return "unknown"


def _day(value: dt.date | dt.datetime | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        value = value.astimezone(dt.UTC).date()
    return value.isoformat()


def _extension(content_type: str) -> str:
    return _EXTENSIONS.get(content_type) or mimetypes.guess_extension(content_type) or ".bin"


def _upload_hashes(submissions: list) -> dict:
    """Submission id -> [(position, SHA-256, size)] of each upload's ciphertext, reassembled in order.

    Two queries for a whole batch; chunks stream through a cursor and are hashed as they come, so
    a large upload is never held whole. Submissions whose original was destroyed are skipped.
    """
    from testimony.intake.models import Upload, UploadChunk

    wanted = [submission.pk for submission in submissions if not submission.original_destroyed_on]
    uploads = {
        upload_id: (submission_id, position)
        for upload_id, submission_id, position in Upload.objects.filter(submission_id__in=wanted).values_list(
            "pk", "submission_id", "position"
        )
    }
    digests = {upload_id: (hashlib.sha256(), [0]) for upload_id in uploads}
    chunks = (
        UploadChunk.objects.filter(upload_id__in=list(uploads))
        .order_by("upload_id", "index")
        .values_list("upload_id", "data")
    )
    for upload_id, data in chunks.iterator(chunk_size=32):
        digest, size = digests[upload_id]
        digest.update(bytes(data))
        size[0] += len(data)
    found: dict = {}
    for upload_id, (submission_id, position) in uploads.items():
        digest, size = digests[upload_id]
        found.setdefault(submission_id, []).append((position, digest.hexdigest(), size[0]))
    return {key: sorted(value) for key, value in found.items()}


def _original_record(submission, upload_hashes: dict) -> dict:
    """The SHA-256 of what intake sealed (report and each upload), or when retention destroyed it."""
    destroyed = _day(submission.original_destroyed_on)
    if destroyed:
        report = {"destroyed_on": destroyed}
        uploads = [
            {"position": position + 1, "destroyed_on": destroyed}
            for position in submission.uploads.order_by("position").values_list("position", flat=True)
        ]
    else:
        ciphertext = bytes(submission.report_ciphertext)
        report = {"sha256": hashlib.sha256(ciphertext).hexdigest(), "size": len(ciphertext)}
        uploads = [
            {"position": position + 1, "sha256": digest, "size": size}
            for position, digest, size in upload_hashes.get(submission.pk, [])
        ]
    return {
        "format": "age (https://age-encryption.org/v1), to the organisation's intake key",
        "encrypted_by": submission.encrypted_by,
        "report_ciphertext": report,
        "uploads": uploads,
    }


def _attachment_content(attachment) -> tuple[bytes, str, str] | tuple[None, str, str]:
    """(bytes, content type, treatment) of what the package may hold, or (None, "", why withheld)."""
    from testimony.crypto.atrest import unseal

    if attachment.kind == "audio":
        if attachment.disguised_voice_sealed is None:
            # The cleaned copy still carries the speaker's own voice: never in a package.
            return None, "", "withheld: the voice could not be disguised"
        content = unseal(
            bytes(attachment.disguised_voice_sealed), context=f"attachment.voice:{attachment.pk}"
        )
        return (
            content,
            "audio/ogg",  # processing.attachments.DISGUISED_VOICE_TYPE
            "metadata removed; voice disguised (pitch and formant shift); only the disguised copy",
        )
    if not attachment.cleaned:
        return (
            None,
            "",
            f"withheld: not sanitised ({attachment.flag or 'unsupported'}); sealed for the custodian",
        )
    if attachment.sanitised_sealed is None:
        return None, "", "withheld: no sanitised copy"
    content = unseal(bytes(attachment.sanitised_sealed), context=f"attachment.content:{attachment.pk}")
    treatment = "re-encoded from decoded content; identifying metadata removed"
    return content, attachment.content_type, treatment


def _custody(entries: Iterable, pseudonyms: dict[int, str]) -> list[dict]:
    """Audit entries as (day, pseudonym, action): no login names, no details, no precise times."""
    return [
        {
            "on": _day(entry.at),
            "by": pseudonyms.get(entry.actor_id, "unknown") if entry.actor_id is not None else "system",
            "action": entry.action,
        }
        for entry in entries
    ]


def _pseudonyms(actor_ids: set[int], cache: dict[int, str]) -> dict[int, str]:
    from testimony.accounts.models import User

    missing = actor_ids - set(cache)
    if missing:
        cache.update(User.objects.filter(pk__in=missing).values_list("pk", "pseudonym"))
    return cache


def _custody_by_report(report_ids: list, cache: dict[int, str]) -> dict[str, list[dict]]:
    from testimony.audit.models import AuditEntry

    entries = list(
        AuditEntry.objects.filter(object_type="report", object_id__in=[str(pk) for pk in report_ids])
        .order_by("seq")
        .only("at", "actor_id", "action", "object_id")
    )
    pseudonyms = _pseudonyms({e.actor_id for e in entries if e.actor_id is not None}, cache)
    grouped: dict[str, list] = {}
    for entry in entries:
        grouped.setdefault(entry.object_id, []).append(entry)
    return {object_id: _custody(items, pseudonyms) for object_id, items in grouped.items()}


def _case_record(case, cache: dict[int, str]) -> dict:
    from testimony.audit.models import AuditEntry

    entries = list(AuditEntry.objects.filter(object_type="case", object_id=str(case.pk)).order_by("seq"))
    pseudonyms = _pseudonyms({e.actor_id for e in entries if e.actor_id is not None}, cache)
    return {
        "id": case.pk,
        "title": case.title,
        "date_from": _day(case.date_from),
        "date_to": _day(case.date_to),
        "place": case.place or None,
        "kinds": sorted(case.kinds.values_list("slug", flat=True)),
        "perpetrator_types": list(case.perpetrator_types),
        "units": case.units,
        "people_affected": case.people_affected,
        "custody": _custody(entries, pseudonyms),
    }


def _labels(report, link, language: str) -> dict:
    """What the HTML shows about a report, in the requester's language."""
    from testimony.evidence.geography import region_name
    from testimony.intake.choices import PERPETRATORS
    from testimony.review.labels import country_name

    perpetrators = dict(PERPETRATORS)
    return {
        "kind": str(report.kind_label),
        "country": country_name(report.country),
        "region": region_name(report.region, language) if report.region else "",
        "perpetrators": [str(perpetrators.get(code, code)) for code in report.perpetrators],
        "relation": str(link.get_relation_display()) if link else "",
        "reliability": str(link.get_reliability_display()) if link else "",
    }


def _report_files(
    writer: _Writer, report, link, *, folder: str, language: str, attachments_of: list, upload_hashes: dict
) -> dict:
    """Write one report's members; return its manifest record."""
    from testimony.review import sealed

    payload = sealed.report_text_open(report)
    text = payload["account"]["redacted_text"]
    place_details = payload.get("place_details") or ""
    plain = text.rstrip("\n") + "\n" + (f"\n{place_details.rstrip()}\n" if place_details else "")
    writer.add(f"{folder}/testimony.txt", plain.encode("utf-8"), content_type="text/plain")

    attachments, withheld = [], 0
    for attachment in attachments_of:
        record = {
            "position": attachment.position + 1,
            "kind": attachment.kind,
            "content_type": attachment.content_type,
            "cleaned": attachment.cleaned,
            "flag": attachment.flag,
            "file": None,
        }
        if report.submission.attachments_destroyed_on:
            record["treatment"] = (
                f"destroyed by retention on {_day(report.submission.attachments_destroyed_on)}"
            )
            withheld += 1
        else:
            content, content_type, treatment = _attachment_content(attachment)
            record["treatment"] = treatment
            if content is None:
                withheld += 1
            else:
                suffix = "-disguised-voice" if attachment.kind == "audio" else ""
                path = f"{folder}/attachments/{attachment.position + 1}{suffix}{_extension(content_type)}"
                writer.add(path, content, content_type=content_type)
                record["file"] = path
                record["file_content_type"] = content_type
        attachments.append(record)

    with translation.override(language):
        html = render_to_string(
            "console/evidence/package_report.html",
            {
                "report": report,
                "link": link,
                "labels": _labels(report, link, language),
                "label_language": language,
                "text": text,
                "place_details": place_details,
                "attachments": [
                    record | {"name": record["file"].rsplit("/", 1)[-1] if record["file"] else ""}
                    for record in attachments
                ],
            },
        )
    writer.add(f"{folder}/testimony.html", html.encode("utf-8"), content_type="text/html")
    return {
        "id": str(report.pk),
        "files": {"html": f"{folder}/testimony.html", "text": f"{folder}/testimony.txt"},
        "language": report.language,
        "kind": report.kind,
        "event_month": report.event_month,
        "country": report.country,
        "region": report.region,
        "perpetrators": list(report.perpetrators),
        "state": report.state,
        "received_on": _day(report.received_on or report.submission.received_on),
        "relation": link.relation if link else None,
        "reliability": link.reliability if link else None,
        "original": _original_record(report.submission, upload_hashes),
        "processing": {
            "analysis_version": report.analysis_version,
            "steps": [
                "encrypted to the organisation's intake key on receipt (age)",
                "decrypted and analysed by the processing worker",
                "language identified",
                "identifying details replaced by labels such as [PERSON 1] (redaction)",
                "places geocoded and kept no finer than a city",
                "tags suggested; redactions, places and tags reviewed in the console",
            ],
            "redactions": dict(sorted((report.redaction_counts or {}).items())),
        },
        "attachments": attachments,
        "_withheld": withheld,
    }


# --- the package ---------------------------------------------------------------------------------


def _authority_record(url: str) -> str:
    """The authority's URL as the manifest shows it: without a login or a query (an API key)."""
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc.rpartition("@")[2], parts.path, "", ""))


def _readme(*, fingerprint: str, stamp_requested: bool) -> bytes:
    """The package's README.txt. Written before the authority is asked (the manifest lists it), so
    with an authority configured it describes the timestamp check whether or not a stamp comes."""
    lines = [
        "Evidence package",
        "================",
        "",
        "Redacted testimony (testimony.html, testimony.txt) and sanitised attachments, per report",
        "in reports/<id>/. manifest.json lists every other file with its SHA-256 and size and",
        "records where each report came from and who handled it (pseudonyms, by day).",
        "manifest.sig is an Ed25519 signature over the exact bytes of manifest.json.",
        "",
        "Signing key fingerprint (SHA-256 of the public key, DER):",
        f"  {fingerprint}",
        "Compare it with the fingerprint the organisation published elsewhere: signing_key.pem",
        "in this package is a convenience copy and proves nothing by itself.",
        "",
        "Check with standard tools, in the unzipped folder:",
        "  openssl pkey -pubin -in signing_key.pem -outform DER | sha256sum",
        "  openssl pkeyutl -verify -pubin -inkey signing_key.pem -rawin \\",
        "      -in manifest.json -sigfile manifest.sig",
        "  sha256sum -c SHA256SUMS",
        '  grep -q "\\"sha256sums\\": \\"$(sha256sum SHA256SUMS | cut -c1-64)\\"" manifest.json \\',
        "      && echo 'SHA256SUMS is the one the signed manifest names'",
    ]
    if stamp_requested:
        lines += [
            "  openssl ts -verify -data manifest.json -in manifest.tsr -CAfile tsa_ca.pem",
            "  (tsa_ca.pem: better the authority's published CA certificate)",
        ]
    return ("\n".join(lines) + "\n").encode("utf-8")


def write_package(
    out: BinaryIO,
    *,
    reports: list,
    links: dict | None = None,
    case=None,
    requested_by,
    signing_key,
    tsa_url: str | None = None,
    tsa_ca_pem: bytes | None = None,
    created_at: dt.datetime | None = None,
    left_out: int = 0,
    progress: Callable[[int], None] | None = None,
) -> PackageResult:
    """Write the package for ``reports`` (Report rows, the caller has checked scope) to ``out``.

    ``links`` maps report id to its ``CaseReport`` when the package is for ``case``. The
    requester's pseudonym and console language (for the HTML's labels) come from
    ``requested_by``. A timestamp authority that is down or answers wrongly does not stop the
    package: the result says what happened.
    """
    from testimony.evidence.timestamp import (
        TimestampError,
        TimestampInvalid,
        timestamp_request,
        timestamp_verify,
    )
    from testimony.review.models import Attachment

    links = links or {}
    created_at = created_at or timezone.now()
    label_language = getattr(requested_by, "console_language", "") or "en"
    public_key = signing_key.public_key()
    fingerprint = public_key_fingerprint(public_key)
    cache: dict[int, str] = {}
    report_records = []
    withheld = 0
    ordered = sorted(reports, key=lambda row: str(row.pk))
    with zipfile.ZipFile(out, "w", allowZip64=True) as archive:
        writer = _Writer(archive)
        for start in range(0, len(ordered), _BATCH):
            batch = ordered[start : start + _BATCH]
            custody = _custody_by_report([row.pk for row in batch], cache)
            hashes = _upload_hashes([row.submission for row in batch])
            attachments: dict = {}
            for attachment in Attachment.objects.filter(report_id__in=[row.pk for row in batch]).order_by(
                "report_id", "position"
            ):
                attachments.setdefault(attachment.report_id, []).append(attachment)
            for row in batch:
                record = _report_files(
                    writer,
                    row,
                    links.get(row.pk),
                    folder=f"reports/{row.pk}",
                    language=label_language,
                    attachments_of=attachments.get(row.pk, []),
                    upload_hashes=hashes,
                )
                withheld += record.pop("_withheld")
                record["custody"] = custody.get(str(row.pk), [])
                report_records.append(record)
                if progress is not None:
                    progress(len(report_records))
        stamping = bool(tsa_url)
        writer.add(PUBLIC_KEY, public_key_pem(public_key), content_type="application/x-pem-file")
        if stamping and tsa_ca_pem:
            writer.add(TSA_CA, tsa_ca_pem, content_type="application/x-pem-file")
        readme = _readme(fingerprint=fingerprint, stamp_requested=stamping)
        writer.add(README, readme, content_type="text/plain")
        sums = sha256sums_text(writer.entries)
        writer.add(SUMS, sums, content_type="text/plain")
        manifest = {
            "format": FORMAT,
            "created": {
                "at": created_at.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
                "by": getattr(requested_by, "pseudonym", "") or "unknown",
            },
            "platform": {"name": "testimony", "version": platform_version()},
            "signing_key": {"algorithm": "Ed25519", "fingerprint_sha256": fingerprint, "file": PUBLIC_KEY},
            "timestamp_authority": _authority_record(tsa_url) if tsa_url else None,
            "case": _case_record(case, cache) if case is not None else None,
            "selection": None if case is not None else [str(row.pk) for row in ordered],
            "reports_outside_scope": left_out,
            "reports": report_records,
            "sha256sums": hashlib.sha256(sums).hexdigest(),
            "files": writer.entries,
        }
        manifest_bytes = (json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode()
        writer.add(MANIFEST, manifest_bytes, listed=False)
        writer.add(SIGNATURE, signing_key.sign(manifest_bytes), listed=False)
        outcome, problem = STAMP_NOT_CONFIGURED, ""
        if stamping:
            try:
                token = timestamp_request(manifest_bytes, url=tsa_url)
                if tsa_ca_pem:
                    timestamp_verify(token, manifest_bytes, ca_pem=tsa_ca_pem)
            except TimestampInvalid as error:
                outcome, problem = STAMP_INVALID, str(error)
            except TimestampError as error:
                outcome, problem = STAMP_UNAVAILABLE, str(error)
            else:
                writer.add(TIMESTAMP, token, listed=False)
                outcome = STAMPED
                if not tsa_ca_pem:
                    problem = PROBLEM_UNCHECKED
    return PackageResult(
        reports=len(report_records),
        files=len(writer.entries),
        fingerprint=fingerprint,
        timestamp=outcome,
        timestamp_problem=problem,
        left_out=left_out,
        withheld_attachments=withheld,
    )


def load_configured_signing_key():
    from testimony.crypto.signing import load_signing_key

    try:
        return load_signing_key(Path(settings.SIGNING_KEY_FILE))
    except (OSError, ValueError, TypeError):
        raise PackageRefused(NO_SIGNING_KEY) from None


def configured_tsa() -> tuple[str | None, bytes | None]:
    """The authority's URL and CA bundle; the CA is None when unset or unreadable (stamps go unchecked)."""
    url = settings.EVIDENCE_TSA_URL or None
    ca_file = settings.EVIDENCE_TSA_CA_FILE
    if not url or not ca_file:
        return url, None
    try:
        return url, Path(ca_file).read_bytes()
    except OSError:
        return url, None


# Words for the job page; the codes are what is stored.
def timestamp_outcome_label(code: str) -> str:
    return {
        STAMPED: _("Timestamped by the time-stamping authority."),
        STAMP_NOT_CONFIGURED: _("No time-stamping authority is configured: the package has no timestamp."),
        STAMP_UNAVAILABLE: _(
            "The time-stamping authority did not answer: the package was built without a timestamp."
        ),
        STAMP_INVALID: _(
            "The time-stamping authority's answer did not verify: the package was built without a timestamp."
        ),
    }.get(code, "")


def timestamp_problem_label(problem: str) -> str:
    if problem == PROBLEM_UNCHECKED:
        return _("not checked here: no CA file for the authority is configured")
    return problem


def failure_label(code: str) -> str:
    from testimony.evidence.jobs import FAILED_INTERRUPTED, FAILED_REFUSED, FAILED_TIMEOUT, FAILED_UNEXPECTED

    return {
        NO_SIGNING_KEY: _(
            "The signing key is missing or unreadable on the evidence worker (SIGNING_KEY_FILE)."
        ),
        NOTHING_IN_SCOPE: _("None of the reports is in your scope any more."),
        FAILED_REFUSED: _("The person who asked for this package may no longer build packages."),
        FAILED_UNEXPECTED: _(
            "The build failed unexpectedly; nothing was kept. Try again or tell an administrator."
        ),
        FAILED_INTERRUPTED: _("The build was interrupted; nothing was kept. Try again."),
        FAILED_TIMEOUT: _(
            "The build took longer than the time allowed; nothing was kept. Try fewer reports."
        ),
    }.get(code, "")
