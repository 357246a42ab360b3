"""Which fields each destination gets, at each level: the one table exports and the partner API read.

``FIELDS`` is the rule and the documentation at once: ``docs/data-dictionary.md`` is generated from
it (``data_dictionary_markdown``) and a test fails if the two differ. A field is listed once per
meaning; where a partner gets a coarser version of something (a month instead of a day, the
region's point instead of the city's), that is a field of its own with its own name, so a file can
be checked for what it must not hold by its column names alone.

The rules, and why:

* **public** gets no row-level data at all: only aggregated counts, which have passed disclosure
  control (``evidence.disclosure``). ``levels_for("public")`` is ``("aggregate",)``.
* **partner** gets coarse, structured fields only: region (GeoNames admin-1), never the city or
  place name; months, never days; codes from fixed lists; taxonomy tags. No free text: the
  redacted account, case titles, summaries and unit names are typed by people and can still name
  someone after redaction. Report ids are replaced by a keyed hash (``report_ref``) that nothing
  on the submitter's side (receipt, follow-up page) can be matched against.
* **internal** may add the day, the coarse place names and coordinates (a city at the finest, 2
  decimals), case links, and, opted into per export, the redacted text, which is decrypted with
  the sealed-text helpers only here and only for a requester whose role may read it
  (``Field.permission``).

Extractors (``Field.get``) take the row's source record (the database columns named in
``Field.columns``, plus the entries of ``tag_entries``, ``case_ids``, ``report_count`` and, for
text fields, ``opened`` (the sealed value opened once per row) that ``evidence.rows`` adds) and
an ``ExportContext`` with what is the same for the whole export.

This module imports no Django at import time, so the data dictionary can be generated anywhere.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from typing import Any

INTERNAL, PARTNER, PUBLIC = "internal", "partner", "public"
DESTINATIONS = (INTERNAL, PARTNER, PUBLIC)
REPORTS, CASES, AGGREGATE = "reports", "cases", "aggregate"
LEVELS = (REPORTS, CASES, AGGREGATE)

# Lists inside one CSV cell are joined with this (JSON, GeoJSON and XLSX keep them as lists, or in
# XLSX joined the same way).
LIST_SEPARATOR = ";"

# Types as the dictionary states them.
STRING, CODE, DATE, MONTH, INTEGER, NUMBER, BOOLEAN = (
    "string",
    "code",
    "date (YYYY-MM-DD)",
    "month (YYYY-MM)",
    "integer",
    "number",
    "boolean",
)
CODES, STRINGS, INTEGERS = "list of codes", "list of strings", "list of integers"


@dataclass
class ExportContext:
    """What an export's extractors share: set up once per export, not per row."""

    destination: str
    taxonomy_version: int | None = None
    ref_key: bytes = b""  # key of the partner's report_ref (crypto.keys.derived_key)


@dataclass(frozen=True)
class Field:
    name: str
    level: str
    type: str
    hxl: str
    destinations: frozenset[str]
    description: str
    get: Callable[[dict, ExportContext], Any] = field(repr=False, compare=False)
    columns: tuple[str, ...] = ()  # database columns the extractor reads
    # Free text: only in internal exports, only when asked for, only for a role with this permission.
    text: bool = False
    permission: str = ""


INT_PARTNER = frozenset({INTERNAL, PARTNER})
INT_ONLY = frozenset({INTERNAL})
PARTNER_ONLY = frozenset({PARTNER})
EVERYONE = frozenset(DESTINATIONS)


# --- Helpers the extractors use --------------------------------------------------------------


def _month(day) -> str:
    return day.isoformat()[:7] if day else ""  # isoformat: a fifth of strftime's cost per row


def _iso(day) -> str:
    return day.isoformat() if day else ""


def _label(choices: str, code: str) -> str:
    """The English label of a code of ``intake.choices`` (exports are read across languages)."""
    return _english_labels(choices).get(code, code) if code else ""


@cache
def _english_labels(name: str) -> dict[str, str]:
    from django.utils import translation

    from testimony.intake import choices

    with translation.override("en"):
        return {code: str(label) for code, label in getattr(choices, name)}


@cache
def region_points() -> dict[str, tuple[str, float, float]]:
    """GeoNames admin-1 id → (English name, lat, lon of its main city), and country code → centre.

    From the gazetteer shipped with the project (no external request). Coordinates to 2 decimals,
    as everywhere else.
    """
    from testimony.analysis.gazetteer import get_gazetteer

    gazetteer = get_gazetteer()
    points: dict[str, tuple[str, float, float]] = {}
    for entry in gazetteer.entries:
        if entry.kind in ("admin1", "country"):
            points[entry.id] = (entry.name, round(entry.lat, 2), round(entry.lon, 2))
    return points


@cache
def region_ids_by_name() -> dict[str, str]:
    """English region name → admin-1 id (a case's place keeps the region's name, not its id)."""
    from testimony.analysis.gazetteer import get_gazetteer

    return {name: rid for rid, name in get_gazetteer().admin1_names.items() if name}


@cache  # a few hundred (region, country) pairs; asked twice per row (lat, then lon)
def _region_point(region: str, country: str) -> tuple[float, float] | tuple[None, None]:
    point = region_points().get(region) or region_points().get(country)
    return (point[1], point[2]) if point else (None, None)


def _first_place(places) -> dict:
    return places[0] if places else {}


def _coordinate(value) -> float | None:
    return round(float(value), 2) if value not in (None, "") else None


def report_ref(key: bytes, report_id) -> str:
    """A partner's stable name for a report: keyed BLAKE2b of its id's 16 bytes, 16 hex digits.

    Keyed BLAKE2 is a MAC (RFC 7693), like HMAC, and about four times cheaper per row.
    """
    raw = report_id.bytes if isinstance(report_id, uuid.UUID) else uuid.UUID(str(report_id)).bytes
    return hashlib.blake2b(raw, key=key, digest_size=8).hexdigest()


def tag_entries(tags: list[tuple[str, str]]) -> dict:
    """What the tag fields read from a source record, from its (slug, HURIDOCS code) pairs.

    Sources call it once per distinct set of tags (a report export memoises it), not per field.
    """
    tags = sorted(tags)
    return {
        "tags": tags,
        "tag_slugs": [slug for slug, _code in tags],
        "tag_codes": sorted({code for _slug, code in tags if code}),
    }


def _slugs(src: dict) -> list[str]:
    return src["tag_slugs"]


def _codes(src: dict) -> list[str]:
    return src["tag_codes"]


def _case_region(src: dict) -> str:
    place = src["place"] or {}
    if place.get("precision") == "country" or not place.get("admin1"):
        return ""
    return region_ids_by_name().get(place["admin1"], "")


_DECODED: dict[str, list] = {}
_DECODED_MAX = 4096


def _json_list(value) -> list:
    """A JSON list column's value: decoded by the ORM, or its text from the export's raw cursor.

    Raw text is decoded once per distinct value (a report's perpetrators are one of a few dozen
    combinations), and the same list is handed to every row that has it: extractors and writers
    only read it. The memo is bounded, so a column of all-different values (places) costs a
    decode per row and no memory.
    """
    if not isinstance(value, str):
        return list(value or ())
    decoded = _DECODED.get(value)
    if decoded is None:
        decoded = json.loads(value)
        if len(_DECODED) >= _DECODED_MAX:
            _DECODED.clear()
        _DECODED[value] = decoded
    return decoded


# --- The table ------------------------------------------------------------------------------

R = REPORTS
C = CASES
A = AGGREGATE

FIELDS: tuple[Field, ...] = (
    # Reports: one row per report.
    Field(
        "report_id", R, STRING, "#event+id", INT_ONLY,
        "The report's id in the console (a random UUID).",
        lambda s, c: str(s["pk"]), ("pk",),
    ),
    Field(
        "report_ref", R, STRING, "#event+id", PARTNER_ONLY,
        "A stable reference to the report for partners: a keyed hash (BLAKE2b) of its id, 16 hex "
        "digits, that nothing on the submitter's side (receipt, follow-up page) can be matched against.",
        lambda s, c: report_ref(c.ref_key, s["pk"]), ("pk",),
    ),
    Field(
        "received_on", R, DATE, "#date+reported", INT_ONLY,
        "The day the report was received (the only precise date kept; no time of day exists).",
        lambda s, c: _iso(s["received_on"]), ("received_on",),
    ),
    Field(
        "received_month", R, MONTH, "#date+reported+month", INT_PARTNER,
        "The month the report was received.",
        lambda s, c: _month(s["received_on"]), ("received_on",),
    ),
    Field(
        "event_month", R, MONTH, "#date+occurred+month", INT_PARTNER,
        "The month the events happened, as the submitter gave it (a day, if given, stays in the text).",
        lambda s, c: s["event_month"] or "", ("event_month",),
    ),
    Field(
        "kind", R, CODE, "#event+type+code", INT_PARTNER,
        "What happened, as the submitter chose: raid, detention, recruitment, other.",
        lambda s, c: s["kind"], ("kind",),
    ),
    Field(
        "kind_label", R, STRING, "#event+type+name", INT_PARTNER,
        "The kind in English words.",
        lambda s, c: _label("KINDS", s["kind"]), ("kind",),
    ),
    Field(
        "state", R, CODE, "#status+code", INT_PARTNER,
        "Review state: new, in_review, needs_info, verified, rejected, duplicate.",
        lambda s, c: s["state"], ("state",),
    ),
    Field(
        "language", R, CODE, "#meta+lang", INT_ONLY,
        "Language of the account (ru, uz, tg, ky, kk, en). Internal only: with region and month it "
        "narrows a group of people more than a partner needs.",
        lambda s, c: s["language"], ("language",),
    ),
    Field(
        "country", R, CODE, "#country+code", INT_PARTNER,
        "Country the events happened in (ISO 3166-1 alpha-2).",
        lambda s, c: s["country"], ("country",),
    ),
    Field(
        "region", R, CODE, "#adm1+code", INT_PARTNER,
        "Region (GeoNames admin-1 id such as RU.48); empty when unknown.",
        lambda s, c: s["region"], ("region",),
    ),
    Field(
        "region_name", R, STRING, "#adm1+name", INT_PARTNER,
        "The region's English name.",
        lambda s, c: region_points().get(s["region"], ("",))[0] if s["region"] else "", ("region",),
    ),
    Field(
        "places", R, STRINGS, "#loc+name", INT_ONLY,
        "Places named in the account, coarsened to a city or coarser (names only).",
        lambda s, c: list(dict.fromkeys(p.get("name", "") for p in _json_list(s["places"]) if p.get("name"))),
        ("places",),
    ),
    Field(
        "lat", R, NUMBER, "#geo+lat", INT_ONLY,
        "Latitude of the first place named (a city or coarser, 2 decimals); empty if none.",
        lambda s, c: _coordinate(_first_place(_json_list(s["places"])).get("lat")), ("places",),
    ),
    Field(
        "lon", R, NUMBER, "#geo+lon", INT_ONLY,
        "Longitude of the first place named (a city or coarser, 2 decimals); empty if none.",
        lambda s, c: _coordinate(_first_place(_json_list(s["places"])).get("lon")), ("places",),
    ),
    Field(
        "lat", R, NUMBER, "#geo+lat", PARTNER_ONLY,
        "Latitude of the region's main city (or the country's centre when the region is unknown).",
        lambda s, c: _region_point(s["region"], s["country"])[0], ("region", "country"),
    ),
    Field(
        "lon", R, NUMBER, "#geo+lon", PARTNER_ONLY,
        "Longitude of the region's main city (or the country's centre when the region is unknown).",
        lambda s, c: _region_point(s["region"], s["country"])[1], ("region", "country"),
    ),
    Field(
        "nationality", R, CODE, "#affected+nationality+code", INT_PARTNER,
        "The submitter's citizenship, if given: RU, UZ, TJ, KG, KZ, other; empty when not given.",
        lambda s, c: s["nationality"], ("nationality",),
    ),
    Field(
        "perpetrators", R, CODES, "#org+perpetrator+code", INT_PARTNER,
        "Who acted, as the submitter chose (police, migration_service, rosgvardia, fsb, "
        "military_recruiters, detention_staff, employer, other, unknown).",
        lambda s, c: _json_list(s["perpetrators"]), ("perpetrators",),
    ),
    Field(
        "tags", R, CODES, "#event+tag+code", INT_PARTNER,
        "Taxonomy tags a reviewer accepted (slugs), in the taxonomy version of the export.",
        lambda s, c: _slugs(s), (),
    ),
    Field(
        "huridocs_codes", R, CODES, "#event+huridocs+code", INT_PARTNER,
        "HURIDOCS Events Standard Formats codes of the accepted tags that have one.",
        lambda s, c: _codes(s), (),
    ),
    Field(
        "taxonomy_version", R, INTEGER, "#meta+taxonomy+version", INT_PARTNER,
        "Version of the taxonomy the tags come from (the same on every row).",
        lambda s, c: c.taxonomy_version, (),
    ),
    Field(
        "has_attachments", R, BOOLEAN, "#meta+attachments", INT_ONLY,
        "Whether the submitter sent attachments (kept by the organisation, never exported here).",
        lambda s, c: bool(s["has_attachments"]), ("has_attachments",),
    ),
    Field(
        "case_ids", R, INTEGERS, "#event+case+id", INT_ONLY,
        "Cases of the organisation this report documents.",
        lambda s, c: s["case_ids"], (),
    ),
    Field(
        "redacted_text", R, STRING, "#description+redacted", INT_ONLY,
        "The redacted account, in its original language (names, numbers and addresses replaced by "
        "placeholders such as [PERSON 1]). Only when asked for, and only for a role that may read "
        "reports.",
        lambda s, c: s["opened"]["account"]["redacted_text"],
        ("text_sealed",), text=True, permission="report.view",
    ),
    Field(
        "redacted_place_details", R, STRING, "#description+redacted+loc", INT_ONLY,
        "The submitter's description of the place, redacted like the account. Only with the text.",
        lambda s, c: s["opened"].get("place_details") or "",
        ("text_sealed",), text=True, permission="report.view",
    ),
    # Cases: one row per case.
    Field(
        "case_id", C, INTEGER, "#event+case+id", INT_PARTNER,
        "The case's number in the organisation (a case is the organisation's grouping of reports, "
        "not a person, so partners can refer back to it).",
        lambda s, c: s["pk"], ("pk",),
    ),
    Field(
        "title", C, STRING, "#event+name", INT_ONLY,
        "The case's title, as a reviewer wrote it.",
        lambda s, c: s["title"], ("title",),
    ),
    Field(
        "date_from", C, DATE, "#date+start", INT_ONLY,
        "First day of the events, if known.",
        lambda s, c: _iso(s["date_from"]), ("date_from",),
    ),
    Field(
        "date_to", C, DATE, "#date+end", INT_ONLY,
        "Last day of the events, if known.",
        lambda s, c: _iso(s["date_to"]), ("date_to",),
    ),
    Field(
        "month_from", C, MONTH, "#date+start+month", INT_PARTNER,
        "Month of the first day of the events, if known.",
        lambda s, c: _month(s["date_from"]), ("date_from",),
    ),
    Field(
        "month_to", C, MONTH, "#date+end+month", INT_PARTNER,
        "Month of the last day of the events, if known.",
        lambda s, c: _month(s["date_to"]), ("date_to",),
    ),
    Field(
        "country", C, CODE, "#country+code", INT_PARTNER,
        "Country of the case's place (ISO 3166-1 alpha-2); empty when unknown.",
        lambda s, c: (s["place"] or {}).get("country", ""), ("place",),
    ),
    Field(
        "region", C, CODE, "#adm1+code", INT_PARTNER,
        "Region of the case's place (GeoNames admin-1 id); empty when unknown or only the country is known.",
        lambda s, c: _case_region(s), ("place",),
    ),
    Field(
        "region_name", C, STRING, "#adm1+name", INT_PARTNER,
        "The region's English name.",
        lambda s, c: region_points().get(_case_region(s), ("",))[0], ("place",),
    ),
    Field(
        "place_name", C, STRING, "#loc+name", INT_ONLY,
        "The case's place, a city or coarser.",
        lambda s, c: (s["place"] or {}).get("name", ""), ("place",),
    ),
    Field(
        "lat", C, NUMBER, "#geo+lat", INT_ONLY,
        "Latitude of the case's place (2 decimals); empty if none.",
        lambda s, c: _coordinate((s["place"] or {}).get("lat")), ("place",),
    ),
    Field(
        "lon", C, NUMBER, "#geo+lon", INT_ONLY,
        "Longitude of the case's place (2 decimals); empty if none.",
        lambda s, c: _coordinate((s["place"] or {}).get("lon")), ("place",),
    ),
    Field(
        "lat", C, NUMBER, "#geo+lat", PARTNER_ONLY,
        "Latitude of the region's main city (or the country's centre when only the country is known).",
        lambda s, c: _region_point(_case_region(s), (s["place"] or {}).get("country", ""))[0], ("place",),
    ),
    Field(
        "lon", C, NUMBER, "#geo+lon", PARTNER_ONLY,
        "Longitude of the region's main city (or the country's centre when only the country is known).",
        lambda s, c: _region_point(_case_region(s), (s["place"] or {}).get("country", ""))[1], ("place",),
    ),
    Field(
        "perpetrator_types", C, CODES, "#org+perpetrator+code", INT_PARTNER,
        "Who acted (the same codes as a report's perpetrators).",
        lambda s, c: _json_list(s["perpetrator_types"]), ("perpetrator_types",),
    ),
    Field(
        "units", C, STRING, "#org+unit+name", INT_ONLY,
        "Units involved, as a reviewer wrote them (e.g. a police unit). Internal only: free text.",
        lambda s, c: s["units"], ("units",),
    ),
    Field(
        "people_affected", C, INTEGER, "#affected+num", INT_PARTNER,
        "Number of people affected, if a reviewer estimated it.",
        lambda s, c: s["people_affected"], ("people_affected",),
    ),
    Field(
        "report_count", C, INTEGER, "#meta+reports+num", INT_PARTNER,
        "Number of reports linked to the case.",
        lambda s, c: s["report_count"], (),
    ),
    Field(
        "tags", C, CODES, "#event+tag+code", INT_PARTNER,
        "The case's kinds (taxonomy tag slugs).",
        lambda s, c: _slugs(s), (),
    ),
    Field(
        "huridocs_codes", C, CODES, "#event+huridocs+code", INT_PARTNER,
        "HURIDOCS Events Standard Formats codes of those tags that have one.",
        lambda s, c: _codes(s), (),
    ),
    Field(
        "taxonomy_version", C, INTEGER, "#meta+taxonomy+version", INT_PARTNER,
        "Version of the taxonomy the tags come from (the same on every row).",
        lambda s, c: c.taxonomy_version, (),
    ),
    Field(
        "created_month", C, MONTH, "#date+created+month", INT_PARTNER,
        "Month the case was opened.",
        lambda s, c: _month(s["created_at"]), ("created_at",),
    ),
    Field(
        "summary", C, STRING, "#description", INT_ONLY,
        "The case's summary as a reviewer wrote it. Only when asked for, and only for a role that "
        "may read cases.",
        lambda s, c: s["opened"],
        ("summary_sealed",), text=True, permission="case.view",
    ),
    # Aggregates: one row per published cell of a table, after disclosure control.
    Field(
        "dimension", A, CODE, "#meta+dimension", EVERYONE,
        "What the rows count by: kind, tag, region, country, month, quarter, year, perpetrator, "
        "nationality or state.",
        lambda s, c: s["dimension"], (),
    ),
    Field(
        "key", A, CODE, "(by dimension, see below)", EVERYONE,
        "The row's value of the dimension (a code, a region id, a month); `_total` on the row of "
        "column totals.",
        lambda s, c: s["key"], (),
    ),
    Field(
        "label", A, STRING, "#meta+label", EVERYONE,
        "The key in English words.",
        lambda s, c: s["label"], (),
    ),
    Field(
        "column_dimension", A, CODE, "#meta+dimension+column", EVERYONE,
        "For a two-way table, what the columns count by; empty for a one-way table.",
        lambda s, c: s["column_dimension"], (),
    ),
    Field(
        "column_key", A, CODE, "(by column dimension, see below)", EVERYONE,
        "The cell's value of the column dimension; `_total` for the row's total; empty for a one-way table.",
        lambda s, c: s["column_key"], (),
    ),
    Field(
        "column_label", A, STRING, "#meta+label+column", EVERYONE,
        "The column key in English words.",
        lambda s, c: s["column_label"], (),
    ),
    Field(
        "lat", A, NUMBER, "#geo+lat", EVERYONE,
        "When the rows are regions or countries: latitude of the region's main city or the "
        "country's centre; empty otherwise.",
        lambda s, c: s["lat"], (),
    ),
    Field(
        "lon", A, NUMBER, "#geo+lon", EVERYONE,
        "When the rows are regions or countries: longitude of the region's main city or the "
        "country's centre; empty otherwise.",
        lambda s, c: s["lon"], (),
    ),
    Field(
        "count", A, INTEGER, "#affected+num", EVERYONE,
        "Number of reports; empty when suppressed (a count under the destination's threshold k, or "
        "one hidden so that it cannot be worked out from the totals).",
        lambda s, c: s["count"], (),
    ),
    Field(
        "suppressed", A, BOOLEAN, "#meta+suppressed", EVERYONE,
        "Whether the count was suppressed.",
        lambda s, c: s["count"] is None, (),
    ),
)  # fmt: skip

# HXL hashtag of an aggregate's key column, by dimension.
DIMENSION_HXL = {
    "kind": "#event+type+code",
    "tag": "#event+tag+code",
    "region": "#adm1+code",
    "country": "#country+code",
    "month": "#date+month",
    "quarter": "#date+quarter",
    "year": "#date+year",
    "perpetrator": "#org+perpetrator+code",
    "nationality": "#affected+nationality+code",
    "state": "#status+code",
}


def levels_for(destination: str) -> tuple[str, ...]:
    """Levels a destination may receive: public gets aggregates only."""
    if destination == PUBLIC:
        return (AGGREGATE,)
    if destination in (INTERNAL, PARTNER):
        return LEVELS
    raise ValueError(f"unknown destination {destination!r}")


def fields_for(*, level: str, destination: str, include_text: bool = False) -> tuple[Field, ...]:
    """The fields of an output, in column order. Text fields only for internal, and only if asked."""
    if level not in levels_for(destination):
        raise ValueError(f"{destination} outputs have no {level} level")
    return tuple(
        f
        for f in FIELDS
        if f.level == level and destination in f.destinations and (include_text or not f.text)
    )


def field_names(*, level: str, destination: str, include_text: bool = False) -> list[str]:
    return [f.name for f in fields_for(level=level, destination=destination, include_text=include_text)]


def hxl_row(fields: tuple[Field, ...], *, dimension: str = "", column_dimension: str = "") -> list[str]:
    """The HXL hashtag row for ``fields``; an aggregate's key columns take their dimension's hashtag."""
    tags = []
    for f in fields:
        if f.level == AGGREGATE and f.name == "key":
            tags.append(DIMENSION_HXL.get(dimension, "#meta+key"))
        elif f.level == AGGREGATE and f.name == "column_key":
            column = DIMENSION_HXL.get(column_dimension, "#meta+key") + "+column"
            tags.append(column if column_dimension else "")
        else:
            tags.append(f.hxl)
    return tags


def row_from(fields: tuple[Field, ...], source: dict, context: ExportContext) -> dict:
    return {f.name: f.get(source, context) for f in fields}


def row_builder(fields: tuple[Field, ...], context: ExportContext) -> Callable[[dict], tuple]:
    """A function from a source record to the row's values, in the order of ``fields``.

    What ``row_from`` gives as a dict, as a tuple, for the writers (``evidence.writers``). Written
    out as one tuple expression that calls each extractor in turn (``lambda s: (g0(s, c), …)``):
    at a million rows a loop or a comprehension over the fields costs a second more. The source
    is built from field positions only.
    """
    namespace: dict[str, Any] = {f"g{i}": f.get for i, f in enumerate(fields)}
    namespace["c"] = context
    calls = "".join(f"g{i}(s, c), " for i in range(len(fields)))
    return eval(f"lambda s: ({calls})", namespace)  # noqa: S307 (fixed pieces only)


# --- The data dictionary (docs/data-dictionary.md) ------------------------------------------

_LEVEL_TITLES = {
    REPORTS: "Reports (one row per report)",
    CASES: "Cases (one row per case)",
    AGGREGATE: "Aggregates (one row per published cell)",
}


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def data_dictionary_markdown() -> str:
    """The generated part of docs/data-dictionary.md: one table per level."""
    out = []
    for level in LEVELS:
        out.append(f"### {_LEVEL_TITLES[level]}\n")
        out.append("| field | type | internal | partner | public | HXL | description |")
        out.append("|---|---|---|---|---|---|---|")
        for f in FIELDS:
            if f.level != level:
                continue
            marks = ["✓" if d in f.destinations else "" for d in DESTINATIONS]
            description = f.description + (" *(opt-in text)*" if f.text else "")
            hxl = f"`{f.hxl}`" if f.hxl.startswith("#") else f.hxl  # not a hashtag: words, as they are
            out.append(f"| `{f.name}` | {f.type} | {' | '.join(marks)} | {hxl} | {_cell(description)} |")
        out.append("")
    out.append("### HXL hashtags of an aggregate's key, by dimension\n")
    out.append("| dimension | HXL (`key`) | HXL (`column_key`) |")
    out.append("|---|---|---|")
    for dimension, tag in DIMENSION_HXL.items():
        out.append(f"| `{dimension}` | `{tag}` | `{tag}+column` |")
    return "\n".join(out) + "\n"


DOC_BEGIN = "<!-- generated from testimony/evidence/fields.py: begin -->"
DOC_END = "<!-- generated from testimony/evidence/fields.py: end -->"


def dictionary_section(text: str) -> str:
    """The generated part of a data-dictionary file (between the markers)."""
    start = text.index(DOC_BEGIN) + len(DOC_BEGIN)
    return text[start : text.index(DOC_END)].strip("\n") + "\n"


def write_dictionary(path) -> None:
    """Rewrite the generated part of ``path`` from ``FIELDS`` (the hand-written parts stay)."""
    from pathlib import Path

    path = Path(path)
    text = path.read_text(encoding="utf-8")
    start = text.index(DOC_BEGIN) + len(DOC_BEGIN)
    end = text.index(DOC_END)
    path.write_text(text[:start] + "\n" + data_dictionary_markdown() + text[end:], encoding="utf-8")
