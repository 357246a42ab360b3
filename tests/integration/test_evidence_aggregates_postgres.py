"""Aggregates on the real PostgreSQL: the same world and expectations as the SQLite unit tests.

``jsonb_array_elements_text`` here, ``json_each`` there: both must give exactly the counts of
``reference_table`` (tests/unit/evidence/test_aggregates.py), for every dimension and pair, with
filters and scope. And the queries must be answerable from the covering index alone.
"""

from __future__ import annotations

import itertools
import re

import pytest
from django.db import connection

from testimony.evidence import aggregates
from testimony.evidence.aggregates import DIMENSIONS, EvidenceFilters, count_table, evidence_reports
from tests.unit.evidence.test_aggregates import (
    FILTER_CASES,
    OURS,
    PARTNER,
    build_world,
    reference_table,
    verified,
)

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


@pytest.fixture
def people():
    from testimony.accounts.models import Caseload, Organisation, User

    ours = Organisation.objects.create(name="Intake organisation", receives_intake=True)
    partner = Organisation.objects.create(name="Partner organisation")
    caseloads = {
        "moscow": Caseload.objects.create(organisation=ours, name="Moscow raids"),
        "detention": Caseload.objects.create(organisation=ours, name="Detention"),
    }
    build_world(ours, caseloads, Caseload.objects.create(organisation=partner, name="Partner's"))
    return {
        "analyst": User.objects.create(username="analyst", role="analyst", organisation=ours),
        "partner_analyst": User.objects.create(
            username="partner_analyst", role="analyst", organisation=partner
        ),
        "reviewer": User.objects.create(username="reviewer", role="reviewer", organisation=ours),
    }


def test_runs_on_postgresql():
    assert connection.vendor == "postgresql"


def test_every_dimension_and_pair_matches_the_reference(people):
    reports = evidence_reports(people["analyst"])
    for dimension in DIMENSIONS:
        table = count_table(reports=reports, filters=EvidenceFilters(), rows=dimension)
        assert table.cells == reference_table(OURS, rows=dimension, keep=verified), dimension
    for rows, columns in itertools.permutations(DIMENSIONS, 2):
        table = count_table(reports=reports, filters=EvidenceFilters(), rows=rows, columns=columns)
        expected = reference_table(OURS, rows=rows, columns=columns, keep=verified)
        assert table.cells == expected, (rows, columns)


@pytest.mark.parametrize(("filters", "keep"), FILTER_CASES)
def test_filters_match_the_reference(people, filters, keep):
    reports = evidence_reports(people["analyst"])
    for rows in ("kind", "region", "perpetrator", "tag", "quarter"):
        table = count_table(reports=reports, filters=filters, rows=rows)
        assert table.cells == reference_table(OURS, rows=rows, keep=lambda s: verified(s) and keep(s)), rows


@pytest.mark.parametrize(
    "dimensions",
    [
        DIMENSIONS,
        ("region", "month", "quarter", "year", "perpetrator"),
        ("perpetrator", "kind"),
        ("kind", "tag", "region", "month", "perpetrator", "nationality"),
    ],
)
@pytest.mark.parametrize(("filters", "keep"), FILTER_CASES[:6])
def test_count_tables_in_one_scan_match_the_reference(people, dimensions, filters, keep):
    statements = []

    def remember(execute, sql, params, many, context):
        statements.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(remember):
        tables = aggregates.count_tables(
            reports=evidence_reports(people["analyst"]), filters=filters, dimensions=dimensions
        )
    for dimension in dimensions:
        expected = reference_table(OURS, rows=dimension, keep=lambda s: verified(s) and keep(s))
        assert tables[dimension].cells == expected, dimension
    # The single-valued ones and perpetrators in one statement, tags in another.
    assert sum("GROUPING SETS" in sql for sql in statements) == 1
    assert sum("GROUP BY" in sql for sql in statements) == 1 + ("tag" in dimensions)
    nothing = aggregates.count_tables(
        reports=evidence_reports(people["reviewer"]), filters=filters, dimensions=dimensions
    )
    assert all(table.cells == {} for table in nothing.values())


def test_scope_keeps_organisations_apart(people):
    partner = count_table(
        reports=evidence_reports(people["partner_analyst"]), filters=EvidenceFilters(), rows="perpetrator"
    )
    assert partner.cells == reference_table(PARTNER, rows="perpetrator", keep=verified)
    nothing = count_table(reports=evidence_reports(people["reviewer"]), filters=EvidenceFilters(), rows="tag")
    assert nothing.cells == {}


@pytest.mark.parametrize(
    ("filters", "dimensions"),
    [
        (EvidenceFilters(), ("tag",)),
        # A tag filter joins the tags too, in every kind of statement.
        (EvidenceFilters(tag="raid"), ("region",)),
        (EvidenceFilters(tag="raid"), ("region", "kind", "perpetrator")),
    ],
)
def test_tag_tables_leave_the_planner_settings_as_they_were(people, filters, dimensions):
    # given a caller's transaction (the test's) with its own planner settings
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_mergejoin = off")
    # when tables with tags are counted (they turn hash joins off for their own statements)
    tables = aggregates.count_tables(
        reports=evidence_reports(people["analyst"]), filters=filters, dimensions=dimensions
    )

    # then both settings are as before
    def keep(spec) -> bool:
        return verified(spec) and (not filters.tag or any(tag.startswith("raid") for tag in spec.tags))

    for dimension in dimensions:
        assert tables[dimension].cells == reference_table(OURS, rows=dimension, keep=keep), dimension
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('enable_hashjoin'), current_setting('enable_mergejoin')")
        assert cursor.fetchone() == ("on", "off")


@pytest.mark.parametrize(
    ("rows", "columns", "filters"),
    [
        ("region", "month", EvidenceFilters()),
        ("kind", "nationality", EvidenceFilters(month_from="2025-01", month_to="2025-06")),
        ("perpetrator", "country", EvidenceFilters(kind="raid")),
        ("year", None, EvidenceFilters(perpetrator="police", region="RU.48")),
        ("tag", "month", EvidenceFilters(kind="raid")),
        ("region", None, EvidenceFilters(tag="raid")),
    ],
)
def test_every_column_a_query_reads_is_in_one_evidence_index(people, rows, columns, filters):
    """So PostgreSQL can count from an index alone, never reading the tables' wide rows.

    Checked on the plan's columns, not on the plan's choice: on a handful of rows the planner
    rightly scans the table; at scale it picks the index-only scans (``bench_evidence_aggregates
    --explain`` shows them on 1,000,000 reports).
    """
    statements = []

    def remember(execute, sql, params, many, context):
        statements.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(remember):
        count_table(reports=evidence_reports(people["analyst"]), filters=filters, rows=rows, columns=columns)
    sql, params = next(statement for statement in reversed(statements) if "GROUP BY" in statement[0])
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (VERBOSE) {sql}", params)
        plan = [line for (line,) in cursor.fetchall()]
    report_columns = _scanned_columns(plan, "review_report")
    assert {"state", "caseload_id"} <= report_columns, plan
    assert any(
        report_columns <= _index_columns(name) for name in ("report_evidence", "report_evidence_by_id")
    ), (report_columns, plan)
    tag_columns = _scanned_columns(plan, "review_reporttag")
    assert bool(tag_columns) == ("tag" in (rows, columns) or bool(filters.tag)), plan
    # The partial index holds accepted rows only: its condition column needs no storing.
    assert tag_columns <= _index_columns("report_tag_accepted") | {"status"}, (tag_columns, plan)


def _scanned_columns(plan: list[str], table: str) -> set[str]:
    """Columns of ``table`` that the plan reads: wherever a line names them through its alias.

    A scan's own output line is skipped: PostgreSQL may emit every column there (its physical
    target list) whether or not anything above uses them.
    """
    aliases: set[str] = set()
    skip: set[int] = set()
    for number, line in enumerate(plan):
        scan = re.search(rf" on public\.{table}(?: (\w+))?(?:  |$)", line)
        if scan:
            aliases.add(scan.group(1) or table)
            skip.add(number + 1)
    found: set[str] = set()
    for number, line in enumerate(plan):
        if number not in skip:
            for alias in aliases:
                found.update(re.findall(rf"\b{alias}\.(\w+)", line))
    return found


def _index_columns(name: str) -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT a.attname FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
            "JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey) "
            "WHERE c.relname = %s",
            [name],
        )
        columns = {column for (column,) in cursor.fetchall()}
    assert columns, f"no index {name}"
    return columns
