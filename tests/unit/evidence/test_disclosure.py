"""Disclosure control (testimony/evidence/disclosure.py).

The properties are checked against an audit that knows nothing of the module's graph: it writes
every relation a reader of the published table knows (cells add up to their row and column
totals, totals add up to the grand total, absent cells are zero, counts are non-negative) as a
linear programme and asks, for every hidden value, how low and how high it can be.
"""

from __future__ import annotations

import math
import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from testimony.evidence.disclosure import (
    METHOD,
    Policy,
    ProtectedTable,
    Table,
    check_dimension,
    coarsen_month,
    coarsen_quarter,
    coarsen_region,
    coarsen_table,
    policy_for,
    protect,
)

# --- the independent audit ----------------------------------------------------------------


def hidden_ranges(protected: ProtectedTable) -> dict[tuple, tuple[float, float]]:
    """For every suppressed value, its (min, max) over all tables consistent with what is published."""
    one_dimensional = protected.columns is None
    unknowns: list[tuple] = []
    index: dict[tuple, int] = {}

    def variable(name: tuple, value: int | None) -> int | None:
        if value is not None:
            return None
        if name not in index:
            index[name] = len(unknowns)
            unknowns.append(name)
        return index[name]

    # Each relation is ([(variable name, value or None, sign)]): sum of sign * value == 0.
    relations: list[list[tuple[tuple, int | None, int]]] = []
    rows: dict[str, list] = {}
    columns: dict[str, list] = {}
    for (row, column), value in protected.cells.items():
        rows.setdefault(row, []).append((("cell", row, column), value, 1))
        columns.setdefault(column, []).append((("cell", row, column), value, 1))
    for row, terms in rows.items():
        relations.append([*terms, (("row", row), protected.row_totals[row], -1)])
    if not one_dimensional:
        for column, terms in columns.items():
            relations.append([*terms, (("column", column), protected.column_totals[column], -1)])
        relations.append(
            [(("column", c), v, 1) for c, v in protected.column_totals.items()]
            + [(("total",), protected.total, -1)]
        )
    relations.append(
        [(("row", r), v, 1) for r, v in protected.row_totals.items()] + [(("total",), protected.total, -1)]
    )

    for relation in relations:
        for name, value, _ in relation:
            variable(name, value)
    if not unknowns:
        return {}
    a_eq, b_eq = [], []
    for relation in relations:
        coefficients = [0.0] * len(unknowns)
        known = 0
        for name, value, sign in relation:
            if value is None:
                coefficients[index[name]] += sign
            else:
                known += sign * value
        if any(coefficients):
            a_eq.append(coefficients)
            b_eq.append(-known)
        else:
            assert known == 0, f"published figures contradict each other: {relation}"

    ranges = {}
    for position, name in enumerate(unknowns):
        objective = [0.0] * len(unknowns)
        objective[position] = 1.0
        low = linprog(objective, A_eq=a_eq, b_eq=b_eq, bounds=(0, None), method="highs")
        objective[position] = -1.0
        high = linprog(objective, A_eq=a_eq, b_eq=b_eq, bounds=(0, None), method="highs")
        assert low.status == 0, f"published table is infeasible: {low.message}"
        top = math.inf if high.status == 3 else -high.fun
        assert high.status in (0, 3), high.message
        ranges[name] = (low.fun, top)
    return ranges


def assert_nothing_derivable(protected: ProtectedTable) -> None:
    for name, (low, high) in hidden_ranges(protected).items():
        # Counts are whole numbers: a range holding a single whole number gives the value away
        # just as a range of width 0 does, so at least two must fit.
        if math.isinf(high):
            continue
        possible = math.floor(high + 1e-6) - math.ceil(low - 1e-6) + 1
        assert possible >= 2, f"{name} can be derived: it lies in [{low}, {high}]"


def true_margins(table: Table):
    rows: dict[str, int] = {}
    columns: dict[str, int] = {}
    for (row, column), count in table.cells.items():
        if count:
            rows[row] = rows.get(row, 0) + count
            columns[column] = columns.get(column, 0) + count
    return rows, columns, sum(table.cells.values())


def assert_faithful(table: Table, protected: ProtectedTable, k: int) -> None:
    """Published values are the true ones, none is under k, zero cells are absent."""
    rows, columns, total = true_margins(table)
    assert set(protected.cells) == {key for key, count in table.cells.items() if count}
    assert set(protected.row_totals) == set(rows)
    assert set(protected.column_totals) == (set() if table.columns is None else set(columns))
    published = [
        *((protected.cells[key], table.cells[key]) for key in protected.cells),
        *((protected.row_totals[row], rows[row]) for row in rows),
        *((protected.column_totals[column], columns[column]) for column in protected.column_totals),
        (protected.total, total),
    ]
    for shown, true in published:
        if shown is not None:
            assert shown == true
            assert not 0 < shown < k, f"{shown} published under k={k}"
    if table.columns is None:
        assert all(protected.row_totals[row] == protected.cells[(row, "")] for row in rows)


def suppressed(protected: ProtectedTable) -> set[tuple]:
    hidden = {("cell", *key) for key, value in protected.cells.items() if value is None}
    hidden |= {("row", key) for key, value in protected.row_totals.items() if value is None}
    hidden |= {("column", key) for key, value in protected.column_totals.items() if value is None}
    if protected.total is None:
        hidden.add(("total",))
    return hidden


# --- strategies -----------------------------------------------------------------------------

counts = st.one_of(st.just(0), st.integers(1, 4), st.integers(1, 15), st.integers(0, 80))


@st.composite
def tables_2d(draw, values=counts):
    row_count = draw(st.integers(1, 6))
    column_count = draw(st.integers(1, 6))
    cells = {
        (f"r{row}", f"c{column}"): draw(values) for row in range(row_count) for column in range(column_count)
    }
    return Table(rows="kind", columns="region", cells=cells)


@st.composite
def tables_1d(draw, values=counts):
    row_count = draw(st.integers(1, 12))
    return Table(rows="tag", columns=None, cells={(f"r{row}", ""): draw(values) for row in range(row_count)})


ks = st.integers(2, 12)
audit_settings = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])


# --- properties -----------------------------------------------------------------------------


@audit_settings
@given(table=tables_2d(), k=ks)
def test_2d_tables_publish_true_values_none_under_k_and_nothing_derivable(table, k):
    protected = protect(table, Policy(destination="public", k=k))

    assert_faithful(table, protected, k)
    assert_nothing_derivable(protected)


@audit_settings
@given(table=tables_1d(), k=ks)
def test_1d_tables_publish_true_values_none_under_k_and_nothing_derivable(table, k):
    protected = protect(table, Policy(destination="partner", k=k))

    assert_faithful(table, protected, k)
    assert_nothing_derivable(protected)


@settings(max_examples=60, deadline=None)
@given(
    table=st.one_of(
        tables_2d(values=st.one_of(st.just(0), st.integers(12, 400))),
        tables_1d(values=st.one_of(st.just(0), st.integers(12, 400))),
    ),
    k=ks,
)
def test_a_table_with_no_count_under_k_is_published_unchanged(table, k):
    protected = protect(table, Policy(destination="public", k=k))

    assert suppressed(protected) == set()
    assert protected.cells == {key: count for key, count in table.cells.items() if count}
    assert protected.total == sum(table.cells.values())
    assert (protected.primary_suppressed, protected.secondary_suppressed) == (0, 0)


@settings(max_examples=40, deadline=None)
@given(table=st.one_of(tables_2d(), tables_1d()))
def test_internal_policy_suppresses_nothing_and_is_recorded(table):
    protected = protect(table, policy_for("internal"))

    assert suppressed(protected) == set()
    assert_faithful(table, protected, 1)
    record = protected.record()
    assert record["destination"] == "internal"
    assert record["k"] == 1
    assert (record["primary_suppressed"], record["secondary_suppressed"]) == (0, 0)


@settings(max_examples=60, deadline=None)
@given(table=tables_2d(), k=ks)
def test_suppression_counts_add_up(table, k):
    protected = protect(table, Policy(destination="public", k=k))
    rows, columns, total = true_margins(table)
    values = [count for count in table.cells.values() if count] + list(rows.values()) + list(columns.values())
    values.append(total)

    assert protected.primary_suppressed == sum(1 for value in values if 0 < value < k)
    assert protected.primary_suppressed + protected.secondary_suppressed == len(suppressed(protected))


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_larger_tables_with_many_small_cells_leave_nothing_derivable(seed):
    # Beyond what Hypothesis draws: 12 x 9 with a mix of zeros, small and large counts.
    generator = random.Random(seed)  # noqa: S311 - reproducible test data, not secrets
    cells = {
        (f"r{row}", f"c{column}"): generator.choice([0, 0, 1, 2, 3, 4, 6, 9, 11, 25, 60, 150])
        for row in range(12)
        for column in range(9)
    }
    table = Table(rows="region", columns="month", cells=cells)

    protected = protect(table, Policy(destination="public", k=10))

    assert_faithful(table, protected, 10)
    assert_nothing_derivable(protected)


# --- the audit itself can fail --------------------------------------------------------------


def test_audit_finds_a_cell_derivable_from_its_row_total():
    # A single hidden cell in a row whose total and other cells are published.
    leaky = ProtectedTable(
        rows="kind",
        columns="region",
        cells={("a", "x"): None, ("a", "y"): 20, ("b", "x"): 30, ("b", "y"): 40},
        row_totals={"a": 23, "b": 70},
        column_totals={"x": 33, "y": 60},
        total=93,
        policy=Policy(destination="public", k=10),
        primary_suppressed=1,
        secondary_suppressed=0,
    )
    with pytest.raises(AssertionError, match="can be derived"):
        assert_nothing_derivable(leaky)


def test_audit_finds_a_1d_cell_from_the_total():
    # A 1-D row total equals its cell, so hiding both leaves the cell to be read off the total.
    leaky = ProtectedTable(
        rows="tag",
        columns=None,
        cells={("a", ""): None, ("b", ""): 30},
        row_totals={"a": None, "b": 30},
        column_totals={},
        total=31,
        policy=Policy(destination="public", k=10),
        primary_suppressed=1,
        secondary_suppressed=0,
    )
    with pytest.raises(AssertionError, match="can be derived"):
        assert_nothing_derivable(leaky)


# --- classic cases --------------------------------------------------------------------------


def test_one_small_cell_hides_the_cheapest_rectangle_and_keeps_every_margin():
    table = Table(
        rows="region",
        columns="kind",
        cells={
            ("a", "x"): 3, ("a", "y"): 25, ("a", "z"): 60,
            ("b", "x"): 40, ("b", "y"): 70, ("b", "z"): 90,
            ("c", "x"): 20, ("c", "y"): 30, ("c", "z"): 80,
        },
    )  # fmt: skip

    protected = protect(table, Policy(destination="public", k=10))

    # a second cell in the small cell's row and in its column, and the corner that closes them
    assert suppressed(protected) == {
        ("cell", "a", "x"),
        ("cell", "a", "y"),
        ("cell", "c", "x"),
        ("cell", "c", "y"),
    }
    assert all(value is not None for value in protected.row_totals.values())
    assert all(value is not None for value in protected.column_totals.values())
    assert protected.total == 418
    assert (protected.primary_suppressed, protected.secondary_suppressed) == (1, 3)
    assert_nothing_derivable(protected)


def test_1d_one_small_cell_hides_the_next_smallest_and_keeps_the_total():
    table = Table(
        rows="kind", columns=None, cells={("a", ""): 4, ("b", ""): 50, ("c", ""): 12, ("d", ""): 30}
    )

    protected = protect(table, Policy(destination="public", k=10))

    assert protected.cells == {("a", ""): None, ("b", ""): 50, ("c", ""): None, ("d", ""): 30}
    assert protected.row_totals == {"a": None, "b": 50, "c": None, "d": 30}
    assert protected.total == 96
    assert (protected.primary_suppressed, protected.secondary_suppressed) == (1, 1)


def test_1d_one_small_cell_and_nothing_else_hides_the_total():
    protected = protect(
        Table(rows="kind", columns=None, cells={("a", ""): 4, ("b", ""): 0}), policy_for("partner")
    )

    assert protected.cells == {("a", ""): None}
    assert protected.total is None


def test_a_tiny_grand_total_is_hidden_with_everything_under_it():
    table = Table(
        rows="region", columns="kind", cells={("a", "x"): 2, ("a", "y"): 3, ("b", "x"): 1, ("b", "y"): 0}
    )

    protected = protect(table, Policy(destination="public", k=10))

    assert protected.total is None
    assert all(value is None for value in protected.cells.values())
    assert all(value is None for value in protected.row_totals.values())
    assert all(value is None for value in protected.column_totals.values())
    assert ("b", "y") not in protected.cells
    assert_nothing_derivable(protected)


def test_a_small_margin_is_hidden_even_when_its_cells_are_hidden_anyway():
    # Row "a" totals 7 (< 10) from two small cells; its total must not be published.
    table = Table(
        rows="region",
        columns="kind",
        cells={("a", "x"): 3, ("a", "y"): 4, ("b", "x"): 50, ("b", "y"): 60, ("c", "x"): 40, ("c", "y"): 45},
    )

    protected = protect(table, Policy(destination="public", k=10))

    assert protected.row_totals["a"] is None
    assert protected.total == 202
    assert_nothing_derivable(protected)


def test_single_row_table_hides_the_column_totals_equal_to_its_cells():
    table = Table(rows="region", columns="month", cells={("RU.48", "2025-01"): 3, ("RU.48", "2025-02"): 40})

    protected = protect(table, Policy(destination="public", k=10))

    assert protected.column_totals == {"2025-01": None, "2025-02": None}
    assert protected.cells == {("RU.48", "2025-01"): None, ("RU.48", "2025-02"): None}
    assert_nothing_derivable(protected)


def test_zero_cells_are_absent_and_never_used_to_protect():
    table = Table(
        rows="region",
        columns="kind",
        cells={("a", "x"): 3, ("a", "y"): 0, ("a", "z"): 30, ("b", "x"): 0, ("b", "y"): 0, ("b", "z"): 0},
    )

    protected = protect(table, Policy(destination="public", k=10))

    assert set(protected.cells) == {("a", "x"), ("a", "z")}
    assert "b" not in protected.row_totals
    assert_nothing_derivable(protected)


def test_an_empty_table_publishes_a_zero_total():
    protected = protect(Table(rows="kind", columns="region", cells={("a", "x"): 0}), policy_for("public"))

    assert (protected.cells, protected.row_totals, protected.column_totals, protected.total) == (
        {},
        {},
        {},
        0,
    )


# --- policy and record ----------------------------------------------------------------------


def test_policy_for_reads_k_from_settings(settings):
    settings.EVIDENCE_K_PUBLIC = 13
    settings.EVIDENCE_K_PARTNER = 6

    assert policy_for("public") == Policy(destination="public", k=13, place="region", time="month")
    assert policy_for("partner").k == 6
    assert policy_for("internal").k == 1


def test_default_thresholds_are_ten_public_and_five_partner():
    assert policy_for("public").k == 10
    assert policy_for("partner").k == 5


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"destination": "press", "k": 10}, "unknown destination"),
        ({"destination": "public", "k": 1}, "at least 2"),
        ({"destination": "partner", "k": 0}, "at least 1"),
        ({"destination": "public", "k": 10, "place": "city"}, "place must be"),
        ({"destination": "public", "k": 10, "time": "day"}, "time must be"),
    ],
)
def test_policies_that_would_publish_small_or_fine_counts_are_refused(arguments, message):
    with pytest.raises(ValueError, match=message):
        Policy(**arguments)


def test_policy_for_refuses_an_unknown_destination():
    with pytest.raises(ValueError, match="unknown destination"):
        policy_for("everyone")


def test_record_says_what_was_applied():
    table = Table(
        rows="month", columns=None, cells={("2025-01", ""): 3, ("2025-02", ""): 30, ("2025-03", ""): 40}
    )

    record = protect(table, Policy(destination="partner", k=5, time="quarter")).record()

    assert record == {
        "destination": "partner",
        "k": 5,
        "place": "region",
        "time": "quarter",
        "method": METHOD,
        "zeros": "absent",
        "rows": "quarter",
        "columns": None,
        "primary_suppressed": 0,
        "secondary_suppressed": 0,
    }


# --- coarsening and dimensions --------------------------------------------------------------


@pytest.mark.parametrize(
    ("month", "unit", "expected"),
    [
        ("2025-02", "month", "2025-02"),
        ("2025-02", "quarter", "2025-Q1"),
        ("2025-03", "quarter", "2025-Q1"),
        ("2025-04", "quarter", "2025-Q2"),
        ("2025-12", "quarter", "2025-Q4"),
        ("2025-02", "year", "2025"),
        ("", "quarter", ""),
    ],
)
def test_coarsen_month(month, unit, expected):
    assert coarsen_month(month, unit) == expected


@pytest.mark.parametrize(("month", "unit"), [("2025-13", "quarter"), ("2025-2", "year"), ("2025-02", "day")])
def test_coarsen_month_refuses_what_is_not_a_month(month, unit):
    with pytest.raises(ValueError, match="month"):
        coarsen_month(month, unit)


def test_coarsen_quarter_and_region():
    assert coarsen_quarter("2024-Q3", "year") == "2024"
    assert coarsen_quarter("2024-Q3", "quarter") == "2024-Q3"
    assert coarsen_region("RU.48", "country") == "RU"
    assert coarsen_region("RU.48", "region") == "RU.48"
    assert coarsen_region("", "country") == ""
    with pytest.raises(ValueError, match="not an admin-1 id"):
        coarsen_region("Moscow", "country")


@pytest.mark.parametrize("dimension", ["city", "site", "district", "day", "date", "week"])
def test_dimensions_finer_than_allowed_are_refused_for_every_destination(dimension):
    for destination in ("internal", "partner", "public"):
        with pytest.raises(ValueError, match=f"dimension '{dimension}' is finer than"):
            check_dimension(dimension, policy_for(destination))


def test_region_is_refused_where_only_countries_are_allowed():
    with pytest.raises(ValueError, match="places no finer than 'country'"):
        check_dimension("region", Policy(destination="public", k=10, place="country"))
    check_dimension("region", policy_for("public"))


def test_an_unknown_dimension_is_refused():
    with pytest.raises(ValueError, match="unknown dimension 'reviewer'"):
        check_dimension("reviewer", policy_for("internal"))


def test_protect_refuses_a_city_dimension_for_partner_and_public():
    table = Table(rows="city", columns="kind", cells={("Moscow", "raid"): 40})
    for destination in ("partner", "public"):
        with pytest.raises(ValueError, match="city"):
            protect(table, policy_for(destination))


def test_protect_coarsens_months_to_quarters_before_suppressing():
    # Two months of 3 and 4 are each under k; their quarter (7) still is; with the third month
    # the quarter reaches 12 and is published.
    table = Table(
        rows="month",
        columns="kind",
        cells={
            ("2025-01", "raid"): 3,
            ("2025-02", "raid"): 4,
            ("2025-03", "raid"): 5,
            ("2025-04", "raid"): 20,
        },
    )

    protected = protect(table, Policy(destination="public", k=10, time="quarter"))

    assert protected.rows == "quarter"
    assert protected.cells == {("2025-Q1", "raid"): 12, ("2025-Q2", "raid"): 20}


def test_coarsen_table_sums_regions_into_countries():
    table = Table(
        rows="region",
        columns="month",
        cells={("RU.48", "2025-01"): 3, ("RU.66", "2025-01"): 4, ("KZ.02", "2025-01"): 2},
    )

    coarse = coarsen_table(table, Policy(destination="public", k=10, place="country", time="year"))

    assert (coarse.rows, coarse.columns) == ("country", "year")
    assert coarse.cells == {("RU", "2025"): 7, ("KZ", "2025"): 2}


@pytest.mark.parametrize(
    ("table", "message"),
    [
        (Table(rows="kind", columns=None, cells={("a", ""): -1}), "non-negative integers"),
        (Table(rows="kind", columns=None, cells={("a", ""): 2.5}), "non-negative integers"),
        (Table(rows="kind", columns=None, cells={("a", "x"): 3}), "column key '' only"),
    ],
)
def test_malformed_tables_are_refused(table, message):
    with pytest.raises(ValueError, match=message):
        protect(table, policy_for("public"))


# --- a large table ------------------------------------------------------------------------


def test_a_200_by_120_table_with_a_small_cell_in_every_row_hides_each_and_protects_it():
    # How long this takes is measured by manage.py bench_evidence_aggregates ("protect only"),
    # not here: unit tests are not timed.
    generator = random.Random(5)  # noqa: S311 - reproducible test data, not secrets
    cells = {
        (f"r{row}", f"c{column}"): generator.randint(10, 500) for row in range(200) for column in range(120)
    }
    for row in range(200):
        cells[(f"r{row}", f"c{row % 120}")] = generator.randint(1, 9)
    table = Table(rows="kind", columns="tag", cells=cells)

    protected = protect(table, policy_for("public"))

    assert protected.primary_suppressed == 200
    assert protected.secondary_suppressed > 0
    assert all(protected.cells[(f"r{row}", f"c{row % 120}")] is None for row in range(200))
