"""Counts of reports by dimension, computed by the database, for the dashboard, exports and the API.

``count_table`` groups the reports a user may use (``evidence_reports``), narrowed by
``EvidenceFilters``, by one or two dimensions, in one ``GROUP BY`` query: no report row is
loaded into Python. ``count_tables`` gives several 1-D tables with fewer scans (the dashboard).
What leaves the organisation goes through ``published_table(s)``, which count at the units the
destination's disclosure policy allows and hand the table to ``disclosure.protect``.

Dimensions are columns of ``review.Report`` (clear, coarse by construction) or derived from them:
``quarter`` and ``year`` from ``event_month`` ("YYYY-MM"). Two are multi-valued, and a report
counts once under each of its values, so their row totals can exceed the number of reports:
``perpetrator`` (counted by its bitmask copy ``Report.perpetrator_mask``, one bit per code of
``review.models.reports.PERPETRATOR_BITS``: the database groups by the integer, a few hundred
distinct masks, and each mask's count goes to every code whose bit it has) and
``tag`` (the report's accepted ``ReportTag`` rows, by tag slug). An empty region,
country or nationality counts under the key ``""``, labelled "Unknown".

On PostgreSQL every query can be answered from the covering indexes of migrations review 0007 to 0009
(index-only scans, never the wide rows); ``manage.py bench_evidence_aggregates`` times them on
the reports ``manage.py seed_evidence_bench`` makes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, fields

from django.core.exceptions import EmptyResultSet
from django.db import connection, transaction
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.db.models.lookups import GreaterThan
from django.utils import translation
from django.utils.translation import gettext as _

from testimony.evidence import disclosure, geography
from testimony.intake.choices import (
    COUNTRIES,
    COUNTRY_CODES,
    KIND_CODES,
    KINDS,
    MONTHS,
    PERPETRATOR_CODES,
    PERPETRATORS,
)
from testimony.review.models import Report, ReportTag, Tag
from testimony.review.models.reports import PERPETRATOR_BITS, ReviewState
from testimony.review.selectors import reports_in_scope

DIMENSIONS = (
    "kind",
    "tag",
    "region",
    "country",
    "month",
    "quarter",
    "year",
    "perpetrator",
    "nationality",
    "state",
)
MULTI_VALUED = frozenset({"perpetrator", "tag"})
DEFAULT_STATES = (ReviewState.VERIFIED.value,)
STATE_CODES = frozenset(choice.value for choice in ReviewState)

_MONTH = re.compile(r"\d{4}-(0[1-9]|1[0-2])")
_QUARTER = re.compile(r"(\d{4})-Q([1-4])")
# A GeoNames admin-1 id: country code, a dot, the region's code ("RU.48", "KZ.ALA" style too).
_REGION = re.compile(r"[A-Z]{2}\.[0-9A-Z]{1,6}")
_SLUG = re.compile(r"[-a-zA-Z0-9_]{1,60}")


@dataclass(frozen=True)
class EvidenceFilters:
    """Which reports an aggregate counts. Empty strings mean "any"; states default to verified.

    Built only through ``from_query`` / ``from_json`` (or with values already valid): both drop
    what is not a known code, so a hand-edited URL or an old stored export never errors.
    """

    kind: str = ""
    tag: str = ""  # a tag slug; its sub-tags match too
    region: str = ""  # a GeoNames admin-1 id
    country: str = ""  # where the events happened (intake.choices.COUNTRIES)
    nationality: str = ""  # the submitter's citizenship (intake.choices.COUNTRIES)
    perpetrator: str = ""
    month_from: str = ""  # "YYYY-MM", inclusive
    month_to: str = ""  # "YYYY-MM", inclusive
    states: tuple[str, ...] = DEFAULT_STATES

    def to_json(self) -> dict:
        """The non-empty filters, and always the states (so a stored value keeps its meaning)."""
        data: dict = {f.name: getattr(self, f.name) for f in fields(self) if f.name != "states"}
        data = {key: value for key, value in data.items() if value}
        data["states"] = list(self.states)
        return data

    def to_query(self) -> list[tuple[str, str]]:
        """As GET parameters (``state`` repeated), for links and forms that keep the filters."""
        data = self.to_json()
        states = data.pop("states")
        return [*data.items(), *(("state", state) for state in states)]

    @classmethod
    def from_json(cls, data: Mapping | None) -> EvidenceFilters:
        data = data if isinstance(data, Mapping) else {}
        states = data.get("states")
        return cls._clean(data, states if isinstance(states, list | tuple) else None)

    @classmethod
    def from_query(cls, query) -> EvidenceFilters:
        """From GET parameters (a ``QueryDict`` or a plain mapping); ``state`` may repeat."""
        if hasattr(query, "getlist"):
            single = {key: query.get(key) for key in query}
            states = query.getlist("state") or None
        else:
            single = dict(query)
            raw = single.get("state")
            states = raw if isinstance(raw, list | tuple) else ([raw] if raw else None)
        return cls._clean(single, states)

    @classmethod
    def _clean(cls, data: Mapping, states: Iterable | None) -> EvidenceFilters:
        def text(name: str) -> str:
            value = data.get(name)
            return value.strip() if isinstance(value, str) else ""

        values = {
            "kind": text("kind") if text("kind") in KIND_CODES else "",
            "region": text("region") if _REGION.fullmatch(text("region")) else "",
            "country": text("country") if text("country") in COUNTRY_CODES else "",
            "nationality": text("nationality") if text("nationality") in COUNTRY_CODES else "",
            "perpetrator": text("perpetrator") if text("perpetrator") in PERPETRATOR_CODES else "",
            "month_from": text("month_from") if _MONTH.fullmatch(text("month_from")) else "",
            "month_to": text("month_to") if _MONTH.fullmatch(text("month_to")) else "",
        }
        tag = text("tag")
        values["tag"] = tag if _SLUG.fullmatch(tag) and Tag.objects.filter(slug=tag).exists() else ""
        if values["month_from"] and values["month_to"] and values["month_from"] > values["month_to"]:
            values["month_from"], values["month_to"] = values["month_to"], values["month_from"]
        picked = [state for state in (states or ()) if isinstance(state, str) and state in STATE_CODES]
        values["states"] = tuple(sorted(set(picked))) or DEFAULT_STATES
        return cls(**values)


def evidence_reports(user) -> QuerySet[Report]:
    """The reports ``user``'s organisation may count: none for a role without ``evidence.view``."""
    return reports_in_scope(user, action="evidence.view")


def evidence_filter(queryset: QuerySet[Report], *, filters: EvidenceFilters) -> QuerySet[Report]:
    """Narrow ``queryset`` (already scoped) by ``filters``. The exports use the same function."""
    f = filters
    queryset = queryset.filter(state__in=f.states)
    for name in ("kind", "region", "country", "nationality"):
        if getattr(f, name):
            queryset = queryset.filter(**{name: getattr(f, name)})
    if f.month_from:
        queryset = queryset.filter(event_month__gte=f.month_from)
    if f.month_to:
        queryset = queryset.filter(event_month__lte=f.month_to)
    if f.perpetrator:
        # The code's bit of the mask, not the JSON list: the mask is in the narrow covering index
        # report_evidence, so PostgreSQL filters and counts from it alone (the list is only in the
        # table's wide rows): on a million reports a third of the server CPU of testing the lists.
        if f.perpetrator in PERPETRATOR_BITS:
            bit = 1 << PERPETRATOR_BITS.index(f.perpetrator)
            queryset = queryset.filter(GreaterThan(F("perpetrator_mask").bitand(bit), 0))
        else:  # a code without a bit is on no report's mask (built without from_query/from_json)
            queryset = queryset.none()
    if f.tag:
        tag_ids = list(Tag.objects.filter(Q(slug=f.tag) | Q(parent__slug=f.tag)).values_list("pk", flat=True))
        accepted = ReportTag.objects.filter(
            report=OuterRef("pk"), status=ReportTag.Status.ACCEPTED, tag_id__in=tag_ids
        )
        queryset = queryset.filter(Exists(accepted))
    return queryset


def _month_to_quarter(month: str | None) -> str:
    if not month or not _MONTH.fullmatch(month):
        return ""
    return f"{month[:4]}-Q{(int(month[5:]) - 1) // 3 + 1}"


def _month_to_year(month: str | None) -> str:
    return month[:4] if month and _MONTH.fullmatch(month) else ""


# The column each single-valued dimension is counted from. Quarters and years are counted by
# month and the database's monthly counts summed into them (_ROLL_UP): grouping by the indexed
# column is much cheaper than grouping by an expression computed on every row.
_SOURCE = {
    "kind": "kind",
    "region": "region",
    "country": "country",
    "nationality": "nationality",
    "state": "state",
    "month": "event_month",
    "quarter": "event_month",
    "year": "event_month",
    "perpetrator": "perpetrator_mask",
}
_ROLL_UP = {"quarter": _month_to_quarter, "year": _month_to_year}


def _mask_codes(mask: int | None) -> list[str]:
    """The perpetrator codes of a ``perpetrator_mask`` (bit i is ``PERPETRATOR_BITS[i]``)."""
    mask = mask or 0
    return [code for i, code in enumerate(PERPETRATOR_BITS) if mask & (1 << i)]


def _keys_of(dimension: str | None):
    """How a grouped database key becomes the table's keys: a list (a mask gives several)."""
    if dimension is None:
        return lambda key: [""]
    if dimension == "perpetrator":
        return _mask_codes
    one = _ROLL_UP.get(dimension, _text)
    return lambda key: [one(key)]


def _text(key: str | None) -> str:
    return key or ""


def _check_dimensions(rows: str, columns: str | None) -> None:
    if rows not in DIMENSIONS:
        raise ValueError(f"unknown dimension {rows!r}; expected one of {DIMENSIONS}")
    if columns is not None and columns not in DIMENSIONS:
        raise ValueError(f"unknown dimension {columns!r}; expected one of {DIMENSIONS}")
    if columns == rows:
        raise ValueError("a table needs two different dimensions")


def count_table(
    *, reports: QuerySet[Report], filters: EvidenceFilters, rows: str, columns: str | None = None
) -> disclosure.Table:
    """Raw counts of ``reports`` narrowed by ``filters``, grouped by ``rows`` (and ``columns``).

    One query; absent cells are zero. ``reports`` must already be scoped (``evidence_reports``).
    """
    _check_dimensions(rows, columns)
    queryset = evidence_filter(reports, filters=filters).order_by()
    dimensions = [rows] if columns is None else [rows, columns]
    if "tag" not in dimensions:
        keys = {f"evidence_key{i}": F(_SOURCE[name]) for i, name in enumerate(dimensions)}
        grouped = queryset.annotate(**keys).values(*keys).annotate(evidence_count=Count("*"))
        with _merge_joins(bool(filters.tag)):
            result = [
                (row["evidence_key0"], row.get("evidence_key1", ""), row["evidence_count"]) for row in grouped
            ]
    else:
        result = _count_multi(queryset, dimensions)
    row_keys_of, column_keys_of = _keys_of(rows), _keys_of(columns)
    cells: dict[tuple[str, str], int] = {}
    for row_key, column_key, count in result:
        for row in row_keys_of(row_key):
            for column in column_keys_of(column_key):
                cells[row, column] = cells.get((row, column), 0) + int(count)
    return disclosure.Table(rows=rows, columns=columns, cells=cells)


def _count_multi(queryset: QuerySet[Report], dimensions: list[str]) -> list[tuple]:
    """GROUP BY over the scoped, filtered reports joined to their accepted tags.

    The filtered queryset is compiled by Django as a subquery (its scope joins and parameters
    intact); only fixed table and column names of this module are written into the SQL around it.
    Perpetrators are grouped by mask (``count_table`` spreads them over the codes). Tags are
    counted by id and get their slugs after counting, a join over the groups only.
    """
    keys: dict = {}
    outer: list[str] = []
    joins: list[str] = []
    for i, name in enumerate(dimensions):
        if name == "tag":
            keys["evidence_id"] = F("pk")
            joins.append(f"JOIN {ReportTag._meta.db_table} AS rt ON rt.report_id = sub.evidence_id")
            outer.append("rt.tag_id")
        else:
            keys[f"evidence_key{i}"] = F(_SOURCE[name])
            outer.append(f"sub.evidence_key{i}")
    inner = queryset.annotate(**keys).values(*keys)
    if "tag" in dimensions:
        count, where = "COUNT(*)", f"WHERE rt.status = '{ReportTag.Status.ACCEPTED.value}'"
    else:
        inner, count, where = inner.annotate(evidence_count=Count("*")), "SUM(sub.evidence_count)", ""
    try:
        sql, params = inner.query.sql_with_params()
    except EmptyResultSet:  # a queryset that can match nothing (a role without evidence.view)
        return []
    named = ", ".join(f"{expression} AS k{i}" for i, expression in enumerate(outer))
    # Only this module's fixed names and the compiled subquery are in the string; values are params.
    grouped = (
        f"SELECT {named}, {count} AS n FROM ({sql}) AS sub {' '.join(joins)} {where} "  # noqa: S608
        f"GROUP BY {', '.join(outer)}"
    )
    picked = [f"g.k{i}" for i in range(len(outer))]
    tail = ""
    if "tag" in dimensions:
        picked[dimensions.index("tag")] = "t.slug"
        tail = f"JOIN {Tag._meta.db_table} AS t ON t.id = g.k{dimensions.index('tag')}"
    if len(picked) == 1:
        picked.append("''")
    statement = f"SELECT {', '.join(picked)}, g.n FROM ({grouped}) AS g {tail}"  # noqa: S608
    with _merge_joins("tag" in dimensions), connection.cursor() as cursor:
        cursor.execute(statement, params)
        return cursor.fetchall()


@contextmanager
def _merge_joins(wanted: bool) -> Iterator[None]:
    """Within the block, PostgreSQL joins reports to their tags without hash joins (if ``wanted``).

    Both sides can come in report id order from index-only scans (``report_evidence_by_id``;
    ``report_tag_accepted``, or for a tag filter ``report_tag_accepted_by_tag`` and a sort), so a
    merge join needs no hash table; the planner still picks a hash join, probed once per report
    in scope. On a million reports a region table filtered by a tag took 203 ms of server CPU
    hashed, 132 ms merged; a tag table is no faster hashed, and slower in parallel where the hash
    spills (bench_evidence_aggregates and its --explain). A nested loop stays possible, for a
    rare tag. The setting is put back after the block, and an error
    rolls it back with the savepoint, so a caller's transaction keeps its own.
    """
    if not wanted or connection.vendor != "postgresql":
        yield
        return
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT current_setting('enable_hashjoin'), set_config('enable_hashjoin', 'off', true)"
        )
        previous = cursor.fetchone()[0]
        yield
        cursor.execute("SELECT set_config('enable_hashjoin', %s, true)", [previous])


def published_table(
    *,
    reports: QuerySet[Report],
    filters: EvidenceFilters,
    rows: str,
    columns: str | None = None,
    destination: str,
) -> disclosure.ProtectedTable:
    """``count_table`` at the units ``destination`` allows, through ``disclosure.protect``.

    The counting happens at the coarsened dimensions (a public table by region is counted by
    country if the policy says so), and filters finer than the policy are coarsened too (a region
    becomes its country, a month range widens to whole quarters or years), so the table cannot
    reveal a finer unit through its filter.
    """
    policy = disclosure.policy_for(destination)
    _check_dimensions(rows, columns)
    coarse_rows = disclosure.coarsened_dimension(rows, policy)
    coarse_columns = None if columns is None else disclosure.coarsened_dimension(columns, policy)
    if coarse_rows == coarse_columns:
        raise ValueError(f"{rows} and {columns} are the same dimension at this destination's units")
    table = count_table(
        reports=reports, filters=coarsen_filters(filters, policy), rows=coarse_rows, columns=coarse_columns
    )
    return disclosure.protect(table, policy)


def count_tables(
    *, reports: QuerySet[Report], filters: EvidenceFilters, dimensions: Iterable[str]
) -> dict[str, disclosure.Table]:
    """Several 1-D tables over the same reports, as ``count_table`` gives each one.

    On PostgreSQL the single-valued dimensions and perpetrators (by mask) are counted in one scan
    (``GROUPING SETS``; roughly the cost of two separate tables instead of one per dimension) and
    tags in a second query; elsewhere one query per table.
    """
    dimensions = list(dict.fromkeys(dimensions))
    for dimension in dimensions:
        _check_dimensions(dimension, None)
    shared = [dimension for dimension in dimensions if dimension != "tag"]
    if connection.vendor != "postgresql" or len(shared) < 2:
        return {name: count_table(reports=reports, filters=filters, rows=name) for name in dimensions}
    with _merge_joins(bool(filters.tag)):
        tables = _count_grouping_sets(evidence_filter(reports, filters=filters).order_by(), shared)
    if "tag" in dimensions:
        tables["tag"] = count_table(reports=reports, filters=filters, rows="tag")
    return {dimension: tables[dimension] for dimension in dimensions}


def _grouping_alias(dimension: str) -> str:
    return f"evidence_{_SOURCE[dimension]}"


def _count_grouping_sets(queryset: QuerySet[Report], dimensions: list[str]) -> dict[str, disclosure.Table]:
    """One scan, one grouping set per source column; quarters and years share the month's set.

    Perpetrators are grouped by mask and spread over their codes here.
    """
    keys: dict = {}
    for dimension in dimensions:
        alias = _grouping_alias(dimension)
        if alias not in keys:
            keys[alias] = F(_SOURCE[dimension])
    aliases = list(keys)
    try:
        sql, params = queryset.annotate(**keys).values(*aliases).query.sql_with_params()
    except EmptyResultSet:  # a queryset that can match nothing (a role without evidence.view)
        return {name: disclosure.Table(rows=name, columns=None, cells={}) for name in dimensions}
    listed = ", ".join(f"sub.{alias}" for alias in aliases)
    sets = ", ".join(f"(sub.{alias})" for alias in aliases)
    # GROUPING(a, b, ...) has a bit set for each column *not* in the row's grouping set, the first
    # column being the highest bit; so the set of column i reads all bits but its own.
    full = (1 << len(aliases)) - 1
    parts = []
    for i, alias in enumerate(aliases):
        mask = full & ~(1 << (len(aliases) - 1 - i))
        # The grouped keys are of different types (text, integer masks): all sent as text.
        parts.append(f"SELECT {i}, g.{alias}::text, g.n FROM g WHERE g.grouped = {mask}")  # noqa: S608
    # Only this module's fixed names, numbers and the compiled subquery are in the string.
    statement = (
        f"WITH g AS (SELECT GROUPING({listed}) AS grouped, {listed}, COUNT(*) AS n "  # noqa: S608
        f"FROM ({sql}) AS sub GROUP BY GROUPING SETS ({sets})) " + " UNION ALL ".join(parts)
    )
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        found = cursor.fetchall()
    by_alias: dict[str, list[tuple]] = {alias: [] for alias in aliases}
    for index, key, count in found:
        by_alias[aliases[index]].append((key, count))
    tables = {}
    for dimension in dimensions:
        keys_of = _keys_of(dimension)
        cells: dict[tuple[str, str], int] = {}
        for key, count in by_alias[_grouping_alias(dimension)]:
            if dimension == "perpetrator":
                key = int(key)
            for row in keys_of(key):
                cells[row, ""] = cells.get((row, ""), 0) + int(count)
        tables[dimension] = disclosure.Table(rows=dimension, columns=None, cells=cells)
    return tables


def published_tables(
    *, reports: QuerySet[Report], filters: EvidenceFilters, dimensions: Iterable[str], destination: str
) -> dict[str, disclosure.ProtectedTable]:
    """``published_table`` for several 1-D tables at once (``count_tables``: fewer scans)."""
    policy = disclosure.policy_for(destination)
    dimensions = list(dict.fromkeys(dimensions))
    for dimension in dimensions:
        _check_dimensions(dimension, None)
    coarse = {dimension: disclosure.coarsened_dimension(dimension, policy) for dimension in dimensions}
    tables = count_tables(
        reports=reports, filters=coarsen_filters(filters, policy), dimensions=list(coarse.values())
    )
    return {dimension: disclosure.protect(tables[coarse[dimension]], policy) for dimension in dimensions}


def coarsen_filters(filters: EvidenceFilters, policy: disclosure.Policy) -> EvidenceFilters:
    """``filters`` no finer than ``policy``: region -> country, months -> whole quarters or years."""
    values = {f.name: getattr(filters, f.name) for f in fields(filters)}
    if policy.place == "country" and filters.region:
        values["country"] = values["country"] or filters.region.split(".", 1)[0]
        values["region"] = ""
    if policy.time in ("quarter", "year"):
        span = 3 if policy.time == "quarter" else 12
        if filters.month_from:
            year, month = int(filters.month_from[:4]), int(filters.month_from[5:])
            values["month_from"] = f"{year:04d}-{(month - 1) // span * span + 1:02d}"
        if filters.month_to:
            year, month = int(filters.month_to[:4]), int(filters.month_to[5:])
            values["month_to"] = f"{year:04d}-{(month - 1) // span * span + span:02d}"
    return EvidenceFilters(**values)


# --- Months, for trends -------------------------------------------------------------------


def month_range(first: str, last: str) -> list[str]:
    """Every month from ``first`` to ``last`` inclusive ("YYYY-MM"), so a trend shows empty months."""
    if not (_MONTH.fullmatch(first) and _MONTH.fullmatch(last)) or first > last:
        return []
    year, month = int(first[:4]), int(first[5:])
    months = []
    while True:
        key = f"{year:04d}-{month:02d}"
        months.append(key)
        if key >= last:
            return months
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


# --- Labels -------------------------------------------------------------------------------


def dimension_labels(dimension: str, keys: Iterable[str], language: str) -> dict[str, str]:
    """Labels of many keys of one dimension, in ``language`` (one query for tags)."""
    keys = list(keys)
    if dimension == "tag":
        tags = {tag.slug: tag for tag in Tag.objects.filter(slug__in=[key for key in keys if key])}
    with translation.override(language):
        unknown = _("Unknown")
        labels = {}
        for key in keys:
            if key == "" and dimension not in ("kind", "state"):
                labels[key] = str(unknown)
            elif dimension == "tag":
                labels[key] = tags[key].label(language) if key in tags else key
            elif dimension == "region":
                labels[key] = geography.region_name(key, language)
            else:
                labels[key] = _simple_label(dimension, key)
        return labels


def _simple_label(dimension: str, key: str) -> str:
    """Called inside ``translation.override``: choices' lazy labels render in that language."""
    choices = {
        "kind": KINDS,
        "perpetrator": PERPETRATORS,
        "country": COUNTRIES,
        "nationality": COUNTRIES,
        "state": ReviewState.choices,
    }.get(dimension)
    if choices is not None:
        return str(dict(choices).get(key, key))
    if dimension == "month" and _MONTH.fullmatch(key):
        # Translators: a month in a table or chart, e.g. "March 2025".
        return _("%(month)s %(year)s") % {"month": dict(MONTHS)[int(key[5:])], "year": key[:4]}
    quarter = _QUARTER.fullmatch(key)
    if dimension == "quarter" and quarter:
        # Translators: a quarter of a year in a table or chart, e.g. "Q1 2025".
        return _("Q%(quarter)s %(year)s") % {"quarter": quarter.group(2), "year": quarter.group(1)}
    return key


def dimension_label(dimension: str, key: str, language: str) -> str:
    """A key as people read it: ``("region", "RU.48")`` -> "Moscow", ``("kind", "raid")`` -> its label."""
    return dimension_labels(dimension, [key], language)[key]
