"""Where an export's rows come from: reports, cases, or an aggregated table, as tuples of values
in the order of the output's fields (``RowSource.columns``).

Each source is scoped by the requester (``reports_in_scope`` / ``cases_in_scope`` with the
``evidence.export`` action) and narrowed by the queue's filters, so an export holds exactly what
the requester could filter in the queue, never another organisation's data. Rows are streamed
and only the columns the destination's fields need are read. Reports: one query, whose tags and
case links are aggregated over a join (``IdList``), read from a named cursor on PostgreSQL
(``_raw_rows``) or the ORM's iterator elsewhere. Cases: the ORM's iterator, with the tags and
report counts of each chunk in one query per chunk. Either way the work per row is constant and
memory does not grow with the number of rows. Sealed text is opened only when a text field is in
the field set, which ``fields.fields_for`` allows only for internal exports that asked for it, and
``text_allowed`` only for a role that may read it.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from types import SimpleNamespace

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import Aggregate, Count, Exists, OuterRef, Q, TextField

from testimony.accounts.permissions import can
from testimony.evidence import fields as fx
from testimony.review.filters import QueueFilters, queue_filter
from testimony.review.models import Case, CaseReport, ReportTag, Tag
from testimony.review.selectors import cases_in_scope, reports_in_scope

CHUNK_SIZE = 2000
EXPORT_ACTION = "evidence.export"
# How fine places and dates are in each destination's row-level fields (recorded with the output).
GRANULARITY = {
    fx.INTERNAL: {"place": "city", "time": "day"},
    fx.PARTNER: {"place": "region", "time": "month"},
}


class SourceRefused(ValueError):
    """What was asked is not allowed (a level for a destination, text for a role)."""


@dataclass
class RowSource:
    level: str
    destination: str
    fields: tuple[fx.Field, ...]
    count: Callable[[], int]
    iterate: Callable[[], Iterator[tuple]]
    context: fx.ExportContext
    record: dict = field(default_factory=dict)  # the disclosure record of the output
    dimension: str = ""
    column_dimension: str = ""

    @property
    def columns(self) -> list[str]:
        return [f.name for f in self.fields]

    @property
    def types(self) -> list[str]:
        return [f.type for f in self.fields]

    @property
    def hxl(self) -> list[str]:
        return fx.hxl_row(self.fields, dimension=self.dimension, column_dimension=self.column_dimension)

    def __iter__(self) -> Iterator[tuple]:
        return self.iterate()

    def dicts(self) -> Iterator[dict]:
        """The rows as dicts by column name (for reading them in tests and checks, not for writing)."""
        columns = self.columns
        return (dict(zip(columns, row, strict=True)) for row in self.iterate())


def text_allowed(user, *, level: str, destination: str) -> bool:
    """May ``user`` have the level's free text (redacted account, case summary) in an export?"""
    if destination != fx.INTERNAL:
        return False
    permissions = {f.permission for f in fx.FIELDS if f.level == level and f.text}
    return bool(permissions) and all(can(user, permission) for permission in permissions)


def export_context(*, destination: str) -> fx.ExportContext:
    from testimony.crypto.keys import derived_key
    from testimony.review.services.taxonomy import taxonomy_current_version

    version = taxonomy_current_version()
    return fx.ExportContext(
        destination=destination,
        taxonomy_version=version.number if version else None,
        ref_key=derived_key("evidence.report-ref") if destination == fx.PARTNER else b"",
    )


def _fields(user, *, level: str, destination: str, include_text: bool) -> tuple[fx.Field, ...]:
    if include_text and not text_allowed(user, level=level, destination=destination):
        raise SourceRefused("text is only for internal exports, by a role that may read it")
    try:
        return fx.fields_for(level=level, destination=destination, include_text=include_text)
    except ValueError as error:
        raise SourceRefused(str(error)) from None


def _columns(fields: tuple[fx.Field, ...]) -> list[str]:
    """The database columns to read: the primary key first, then what the extractors need."""
    return list(dict.fromkeys(["pk", *(column for f in fields for column in f.columns)]))


class IdList(Aggregate):
    """The distinct integers of a group as one comma-separated string (order not guaranteed).

    ``GROUP_CONCAT(DISTINCT …)`` (SQLite), ``STRING_AGG(DISTINCT …::text, ',')`` (PostgreSQL).
    Distinct because two lists joined in one query multiply each other's rows.
    """

    function = "GROUP_CONCAT"
    template = "%(function)s(DISTINCT %(expressions)s)"
    output_field = TextField()

    def as_postgresql(self, compiler, connection, **extra):
        clone = self.copy()
        clone.function = "STRING_AGG"
        clone.template = "%(function)s(DISTINCT (%(expressions)s)::text, ',')"
        return clone.as_sql(compiler, connection, **extra)


RAW_FETCH = 10_000
TAG_SETS_MAX = 10_000


def _raw_rows(selection, *, chunk_size: int) -> Iterator[tuple]:
    """PostgreSQL: the rows of ``selection`` (a ``values_list`` queryset) from a named cursor.

    The SQL and its parameters come from the queryset's own compiler, so the scope and the
    queue's filters select the rows exactly as in the ORM; what is skipped is the ORM's per-row
    machinery (converters: on PostgreSQL only JSON columns have one, and the extractors accept a
    JSON column's text, ``fields._json_list``). Measured at a million reports.

    Outside a transaction the cursor is ``WITH HOLD`` (as Django's own iterator makes it), so
    PostgreSQL runs the whole query when it is declared, then hands out rows. It plans a cursor
    for its first tenth (``cursor_tuple_fraction``): index scans in id order, a random heap
    access per report (11 s at a million reports, against 6 s for a hash join and one sort).
    Every row is read, so the cursor is planned for all of them.
    """
    db = connections[selection.db]
    try:
        sql, params = selection.query.get_compiler(using=selection.db).as_sql()
    except EmptyResultSet:  # the filters can match nothing (the ORM's iterator yields nothing too)
        return
    db.ensure_connection()
    with db.cursor() as setting:
        setting.execute("SET cursor_tuple_fraction = 1.0")
    try:
        cursor = db.connection.cursor(
            name=f"evidence_rows_{id(selection):x}", scrollable=False, withhold=db.connection.autocommit
        )
        cursor.itersize = chunk_size
        cursor.execute(sql, params)
    finally:
        with db.cursor() as setting:
            setting.execute("RESET cursor_tuple_fraction")
    try:
        while batch := cursor.fetchmany(chunk_size):
            yield from batch
    finally:
        cursor.close()


def _ids(value: str | None) -> list[int]:
    return [int(part) for part in value.split(",")] if value else []


def _batches(iterator: Iterator, size: int) -> Iterator[list]:
    while batch := list(islice(iterator, size)):
        yield batch


def _tag_info() -> dict[int, tuple[str, str]]:
    """Every tag: id → (slug, HURIDOCS code). The taxonomy is small (hundreds of tags at most)."""
    return {pk: (slug, code) for pk, slug, code in Tag.objects.values_list("pk", "slug", "huridocs_code")}


DATA_DICTIONARY = "docs/data-dictionary.md"


def redacted_filters(filters: QueueFilters) -> dict:
    """The filters as an output's record and the audit log keep them: no words a person typed."""
    data = filters.to_json()
    if "q" in data:
        data["q"] = "(search words)"  # a person typed them: not written into the output
    return data


def _row_level_source(
    *,
    level: str,
    destination: str,
    fields: tuple[fx.Field, ...],
    context: fx.ExportContext,
    filters: QueueFilters,
    queryset,
    iterate: Callable[[], Iterator[tuple]],
) -> RowSource:
    """A reports or cases source: counted by ``queryset``, with the row-level disclosure record."""
    return RowSource(
        level=level,
        destination=destination,
        fields=fields,
        count=lambda: queryset.order_by().count(),
        iterate=iterate,
        context=context,
        record={
            "destination": destination,
            "level": level,
            "fields": [f.name for f in fields],
            "text_included": any(f.text for f in fields),
            **GRANULARITY[destination],
            "k": None,  # row-level: no counts to suppress (aggregates carry their k)
            "taxonomy_version": context.taxonomy_version,
            "filters": redacted_filters(filters),
            "generated_on": dt.date.today().isoformat(),
            "data_dictionary": DATA_DICTIONARY,
        },
    )


# --- Reports ---------------------------------------------------------------------------------


def matching_reports(*, user, filters: QueueFilters):
    """The reports an export by ``user`` with ``filters`` covers (the queue's filters, export scope)."""
    return queue_filter(reports_in_scope(user, action=EXPORT_ACTION), filters=filters, user=user)


def report_source(
    *,
    user,
    filters: QueueFilters,
    destination: str,
    include_text: bool = False,
    chunk_size: int = CHUNK_SIZE,
) -> RowSource:
    fields = _fields(user, level=fx.REPORTS, destination=destination, include_text=include_text)
    context = export_context(destination=destination)
    queryset = matching_reports(user=user, filters=filters)
    columns = _columns(fields)
    names = {f.name for f in fields}
    wants_tags = bool(names & {"tags", "huridocs_codes"})
    wants_cases = "case_ids" in names
    wants_text = any(f.text for f in fields)
    # Tags and case links come with each row, aggregated by the database over a join (one hash
    # join and one grouping for the whole export), not by a query per chunk (an IN list of a
    # chunk's ids makes PostgreSQL scan the link table each time) nor by a correlated subquery
    # (an index probe per report: several times slower at a million reports).
    lists = {}
    if wants_tags:
        lists["evidence_tags"] = IdList("tags__tag_id", filter=Q(tags__status=ReportTag.Status.ACCEPTED))
    if wants_cases:
        lists["evidence_cases"] = IdList(
            "case_links__case_id", filter=Q(case_links__case__organisation_id=user.organisation_id)
        )
    selected = [*columns, *lists]

    def iterate() -> Iterator[tuple]:
        from testimony.review.sealed import report_text_open

        tag_info = _tag_info() if wants_tags else {}
        build = fx.row_builder(fields, context)
        # By id: a stable order for comparing exports.
        selection = queryset.values_list(*columns).annotate(**lists).order_by("pk")  # grouped by report
        rows = (
            _raw_rows(selection, chunk_size=RAW_FETCH)
            if connections[selection.db].vendor == "postgresql"
            else selection.iterator(chunk_size=chunk_size)
        )
        # One entry per distinct set of tags (a few thousand at most; bounded all the same).
        tag_sets: dict[str | None, dict] = {}
        for row in rows:
            source = dict(zip(selected, row, strict=True))
            tag_ids = source.get("evidence_tags")
            entries = tag_sets.get(tag_ids)
            if entries is None:
                if len(tag_sets) >= TAG_SETS_MAX:
                    tag_sets.clear()
                entries = tag_sets[tag_ids] = fx.tag_entries([tag_info[i] for i in _ids(tag_ids)])
            source.update(entries)
            case_ids = source.get("evidence_cases")
            source["case_ids"] = sorted(_ids(case_ids)) if case_ids else []
            if wants_text:
                source["opened"] = report_text_open(
                    SimpleNamespace(pk=row[0], text_sealed=source["text_sealed"])
                )
            yield build(source)

    return _row_level_source(
        level=fx.REPORTS,
        destination=destination,
        fields=fields,
        context=context,
        filters=filters,
        queryset=queryset,
        iterate=iterate,
    )


# --- Cases -----------------------------------------------------------------------------------


def matching_cases(*, user, filters: QueueFilters):
    """Cases in the export scope; with filters, those documented by at least one matching report."""
    cases = cases_in_scope(user, action=EXPORT_ACTION)
    if not filters.is_empty():
        reports = matching_reports(user=user, filters=filters).values("pk")
        cases = cases.filter(Exists(CaseReport.objects.filter(case=OuterRef("pk"), report__in=reports)))
    return cases


def case_source(
    *,
    user,
    filters: QueueFilters,
    destination: str,
    include_text: bool = False,
    chunk_size: int = CHUNK_SIZE,
) -> RowSource:
    fields = _fields(user, level=fx.CASES, destination=destination, include_text=include_text)
    context = export_context(destination=destination)
    queryset = matching_cases(user=user, filters=filters)
    columns = _columns(fields)
    names = {f.name for f in fields}
    wants_tags = bool(names & {"tags", "huridocs_codes"})
    wants_text = any(f.text for f in fields)

    def iterate() -> Iterator[tuple]:
        from testimony.review.services.cases import case_summary

        build = fx.row_builder(fields, context)
        tag_info = _tag_info() if wants_tags else {}
        kinds = Case.kinds.through
        rows = queryset.order_by("pk").values_list(*columns).iterator(chunk_size=chunk_size)
        for batch in _batches(rows, chunk_size):
            ids = [row[0] for row in batch]
            tags: dict = defaultdict(list)
            if wants_tags:
                for case_id, tag_id in kinds.objects.filter(case_id__in=ids).values_list("case_id", "tag_id"):
                    tags[case_id].append(tag_info[tag_id])
            counts = dict(
                CaseReport.objects.filter(case_id__in=ids)
                .order_by()
                .values("case_id")
                .annotate(n=Count("pk"))
                .values_list("case_id", "n")
            )
            for row in batch:
                source = dict(zip(columns, row, strict=True))
                pk = row[0]
                source.update(fx.tag_entries(tags.get(pk, [])))
                source["report_count"] = counts.get(pk, 0)
                if wants_text:
                    source["opened"] = case_summary(
                        SimpleNamespace(pk=pk, summary_sealed=source["summary_sealed"])
                    )
                yield build(source)

    return _row_level_source(
        level=fx.CASES,
        destination=destination,
        fields=fields,
        context=context,
        filters=filters,
        queryset=queryset,
        iterate=iterate,
    )


# --- Aggregates ------------------------------------------------------------------------------

TOTAL = "_total"
TOTAL_LABEL = "Total"
_POINT_DIMENSIONS = ("region", "country")


def aggregate_source(
    *, user, filters: QueueFilters, destination: str, rows: str, columns: str | None = None
) -> RowSource:
    """One row per published cell of a table counted by ``rows`` (and ``columns``), then the totals.

    The reports are those of the queue's filters in the export scope; the table is counted and
    protected by ``aggregates.published_table`` for the destination (k, coarsening, complementary
    suppression), so a partner or public file holds only what disclosure control published. The
    state filter, if set, is the table's; otherwise the aggregates' default (verified reports).
    """
    from testimony.evidence import aggregates

    fields = _fields(user, level=fx.AGGREGATE, destination=destination, include_text=False)
    context = export_context(destination=destination)
    states = (filters.state,) if filters.state else aggregates.DEFAULT_STATES
    try:
        # One GROUP BY query; the result is a table of counts, small whatever the number of reports.
        published = aggregates.published_table(
            reports=matching_reports(user=user, filters=filters),
            filters=aggregates.EvidenceFilters(states=states),
            rows=rows,
            columns=columns,
            destination=destination,
        )
    except ValueError as error:  # a dimension finer than the destination's policy allows
        raise SourceRefused(str(error)) from None
    cells = _aggregate_cells(published)
    build = fx.row_builder(fields, context)
    return RowSource(
        level=fx.AGGREGATE,
        destination=destination,
        fields=fields,
        count=lambda: len(cells),
        iterate=lambda: (build(cell) for cell in cells),
        context=context,
        record={
            **published.record(),
            "level": fx.AGGREGATE,
            "fields": [f.name for f in fields],
            "states": list(states),
            "taxonomy_version": context.taxonomy_version,
            "filters": redacted_filters(filters),
            "generated_on": dt.date.today().isoformat(),
            "data_dictionary": DATA_DICTIONARY,
        },
        dimension=published.rows,
        column_dimension=published.columns or "",
    )


def _aggregate_cells(published) -> list[dict]:
    """The published cells in row order, each row's total after its cells, the column totals last."""
    from testimony.evidence import aggregates

    row_keys = sorted({key for key, _column in published.cells} | set(published.row_totals))
    column_keys = sorted({column for _key, column in published.cells} | set(published.column_totals))
    row_labels = aggregates.dimension_labels(published.rows, row_keys, "en")
    column_labels = (
        aggregates.dimension_labels(published.columns, column_keys, "en") if published.columns else {}
    )
    out: list[dict] = []

    def add(key: str, column_key: str, count: int | None) -> None:
        lat = lon = None
        if published.rows in _POINT_DIMENSIONS and key not in (TOTAL, ""):
            _name, lat, lon = fx.region_points().get(key, ("", None, None))
        out.append(
            {
                "dimension": published.rows,
                "key": key,
                "label": TOTAL_LABEL if key == TOTAL else row_labels.get(key, key),
                "column_dimension": published.columns or "",
                "column_key": column_key,
                "column_label": TOTAL_LABEL
                if column_key == TOTAL
                else column_labels.get(column_key, column_key),
                "lat": lat,
                "lon": lon,
                "count": count,
            }
        )

    for key in row_keys:
        if published.columns is None:
            add(key, "", published.cells.get((key, ""), published.row_totals.get(key)))
            continue
        for column_key in column_keys:
            if (key, column_key) in published.cells:
                add(key, column_key, published.cells[(key, column_key)])
        add(key, TOTAL, published.row_totals.get(key))
    if published.columns is None:
        add(TOTAL, "", published.total)
    else:
        for column_key in column_keys:
            add(TOTAL, column_key, published.column_totals.get(column_key))
        add(TOTAL, TOTAL, published.total)
    return out
