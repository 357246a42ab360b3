"""Aggregates on the real PostgreSQL: the same world and expectations as the SQLite unit tests.

``jsonb_array_elements_text`` here, ``json_each`` there: both must give exactly the counts of
``reference_table`` (tests/unit/evidence/test_aggregates.py), for every dimension and pair, with
filters and scope. And the queries must be answerable from the covering index alone.
"""

from __future__ import annotations

import itertools

import pytest
from django.db import connection

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


def test_scope_keeps_organisations_apart(people):
    partner = count_table(
        reports=evidence_reports(people["partner_analyst"]), filters=EvidenceFilters(), rows="perpetrator"
    )
    assert partner.cells == reference_table(PARTNER, rows="perpetrator", keep=verified)
    nothing = count_table(reports=evidence_reports(people["reviewer"]), filters=EvidenceFilters(), rows="tag")
    assert nothing.cells == {}


@pytest.mark.parametrize(
    ("rows", "columns", "filters"),
    [
        ("region", "month", EvidenceFilters()),
        ("kind", "nationality", EvidenceFilters(month_from="2025-01", month_to="2025-06")),
        ("perpetrator", "country", EvidenceFilters(kind="raid")),
        ("year", None, EvidenceFilters(perpetrator="police", region="RU.48")),
    ],
)
def test_queries_are_answered_from_the_covering_index(people, rows, columns, filters):
    """With scans of the table ruled out, the plan reads report_evidence_cover alone (no heap)."""
    statements = []

    def remember(execute, sql, params, many, context):
        statements.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(remember):
        count_table(reports=evidence_reports(people["analyst"]), filters=filters, rows=rows, columns=columns)
    sql, params = statements[-1]
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(line for (line,) in cursor.fetchall())
    report_scans = [line for line in plan.splitlines() if " on review_report" in line]
    assert report_scans, plan
    assert all("Index Only Scan using report_evidence_cover" in line for line in report_scans), plan
