"""Disclosure control: the one place every aggregate leaving the console goes through.

``protect(table, policy)`` checks that no dimension is finer than the destination allows,
coarsens month and region keys to the policy's units, then suppresses:

1. **Primary suppression.** Every cell, row total, column total and grand total with
   ``0 < value < k`` is hidden. Zero cells are not published at all: a cell absent from the
   output is a known zero (the same convention as the input ``Table``), so zeros are never
   suppressed and never chosen to protect another cell.
2. **Complementary suppression.** A hidden value must not be derivable exactly from what is
   published. The table with its margins is an (R+1) x (C+1) array whose every row and column
   sums to zero once the margins are given a minus sign; its entries are the edges of a bipartite
   graph between row equations and column equations. The hidden entries that can change while
   every published figure stays put are exactly the combinations of cycles of hidden edges, so a
   hidden entry is exactly derivable if and only if it is a *bridge* of the graph of hidden
   edges. Every hidden entry here is at least 1 (zeros are published), so along a cycle the
   values can all move by +1 or -1 and stay non-negative integers: no bridge, no exact
   disclosure. While a bridge remains, the cheapest path of published entries that closes a
   cycle through it is hidden too (Dijkstra; cost = the value hidden, then the number of
   entries; margins only when no path of cells exists).

Published values are the true values: nothing is rounded or perturbed. ``record()`` says what
was applied and is stored with every output. Pure Python: no models; settings are read only
in ``policy_for``.
"""

from __future__ import annotations

import heapq
import re
from dataclasses import dataclass

DESTINATIONS = ("internal", "partner", "public")

# Finest first. Policies only ever allow region or country, month, quarter or year; the finer
# names are here so that a table asking for them is refused by name rather than as "unknown".
PLACE_UNITS = ("site", "city", "district", "region", "country")
TIME_UNITS = ("day", "date", "week", "month", "quarter", "year")
POLICY_PLACES = ("region", "country")
POLICY_TIMES = ("month", "quarter", "year")
# Dimensions that say nothing about where or when, so no unit of place or time limits them.
# An allow-list on purpose: a new dimension has to be thought about here before it is published.
CATEGORICAL_DIMENSIONS = frozenset({"kind", "tag", "perpetrator", "nationality", "state"})

# Changes whenever what a published table means changes (stored with every output).
METHOD = "cell-suppression-v1"

_MONTH = re.compile(r"(\d{4})-(\d{2})")
_QUARTER = re.compile(r"(\d{4})-Q([1-4])")


@dataclass(frozen=True)
class Policy:
    destination: str  # "internal" | "partner" | "public"
    k: int  # smallest count published; 1 for internal (nothing suppressed)
    place: str = "region"  # finest place unit allowed: "region" or "country"
    time: str = "month"  # finest time unit allowed: "month", "quarter" or "year"

    def __post_init__(self) -> None:
        if self.destination not in DESTINATIONS:
            raise ValueError(f"unknown destination {self.destination!r}; expected one of {DESTINATIONS}")
        if not isinstance(self.k, int) or isinstance(self.k, bool) or self.k < 1:
            raise ValueError(f"k must be a whole number of at least 1, not {self.k!r}")
        if self.destination != "internal" and self.k < 2:
            # k=1 suppresses nothing: refuse it for anything leaving the organisation.
            raise ValueError(f"k must be at least 2 for {self.destination} outputs, not {self.k}")
        if self.place not in POLICY_PLACES:
            raise ValueError(f"place must be one of {POLICY_PLACES}, not {self.place!r}")
        if self.time not in POLICY_TIMES:
            raise ValueError(f"time must be one of {POLICY_TIMES}, not {self.time!r}")

    def record(self) -> dict:
        """What to store with an output: enough to say later how it was protected."""
        return {
            "destination": self.destination,
            "k": self.k,
            "place": self.place,
            "time": self.time,
            "method": METHOD,
            "zeros": "absent",
        }


def policy_for(destination: str) -> Policy:
    """The default policy for a destination: k from settings, region and month."""
    if destination == "internal":
        return Policy(destination="internal", k=1)
    if destination not in DESTINATIONS:
        raise ValueError(f"unknown destination {destination!r}; expected one of {DESTINATIONS}")
    from django.conf import settings  # lazy: this module must import without Django configured

    k = settings.EVIDENCE_K_PUBLIC if destination == "public" else settings.EVIDENCE_K_PARTNER
    return Policy(destination=destination, k=k)


@dataclass
class Table:
    """Raw counts in. A cell absent from ``cells`` is zero."""

    rows: str  # dimension name, e.g. "region"
    columns: str | None  # second dimension, None for a 1-D table
    cells: dict[tuple[str, str], int]  # (row key, column key; "" when 1-D) -> count


@dataclass
class ProtectedTable:
    """What may be published. ``None`` is a suppressed value; zero cells are absent."""

    rows: str
    columns: str | None
    cells: dict[tuple[str, str], int | None]
    row_totals: dict[str, int | None]  # 1-D: equal to the row's single cell
    column_totals: dict[str, int | None]  # {} for 1-D
    total: int | None
    policy: Policy
    primary_suppressed: int  # cells and margins under k (a 1-D row total is not counted apart)
    secondary_suppressed: int  # cells and margins hidden to protect them

    def record(self) -> dict:
        return {
            **self.policy.record(),
            "rows": self.rows,
            "columns": self.columns,
            "primary_suppressed": self.primary_suppressed,
            "secondary_suppressed": self.secondary_suppressed,
        }


# --- Coarsening ---------------------------------------------------------------------------


def coarsen_month(month: str, unit: str) -> str:
    """``"2025-02"`` -> ``"2025-02"`` (month), ``"2025-Q1"`` (quarter), ``"2025"`` (year).

    ``""`` (month unknown) stays ``""``.
    """
    if unit not in POLICY_TIMES:
        raise ValueError(f"cannot coarsen a month to {unit!r}; expected one of {POLICY_TIMES}")
    if month == "":
        return ""
    match = _MONTH.fullmatch(month)
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise ValueError(f"not a month in the form YYYY-MM: {month!r}")
    year, number = match.group(1), int(match.group(2))
    if unit == "month":
        return month
    if unit == "quarter":
        return f"{year}-Q{(number - 1) // 3 + 1}"
    return year


def coarsen_quarter(quarter: str, unit: str) -> str:
    """``"2025-Q1"`` -> ``"2025-Q1"`` (quarter) or ``"2025"`` (year); ``""`` stays ``""``."""
    if unit not in ("quarter", "year"):
        raise ValueError(f"cannot coarsen a quarter to {unit!r}; expected 'quarter' or 'year'")
    if quarter == "":
        return ""
    match = _QUARTER.fullmatch(quarter)
    if not match:
        raise ValueError(f"not a quarter in the form YYYY-Qn: {quarter!r}")
    return quarter if unit == "quarter" else match.group(1)


def coarsen_region(region: str, unit: str) -> str:
    """A GeoNames admin-1 id (``"RU.48"``) -> itself (region) or its country (``"RU"``).

    ``""`` (region unknown) stays ``""``.
    """
    if unit not in POLICY_PLACES:
        raise ValueError(f"cannot coarsen a region to {unit!r}; expected one of {POLICY_PLACES}")
    if region == "" or unit == "region":
        return region
    country, dot, rest = region.partition(".")
    if not dot or not country or not rest:
        raise ValueError(f"not an admin-1 id in the form CC.NN: {region!r}")
    return country


def check_dimension(dimension: str, policy: Policy) -> None:
    """Refuse to publish a dimension finer than the policy allows, or one this module does not know.

    This checks the dimension as published: ``coarsened_dimension`` first turns month and region
    into the policy's units, so only dimensions with no coarsening here (city, day...) fail there.
    """
    if dimension in PLACE_UNITS:
        if PLACE_UNITS.index(dimension) < PLACE_UNITS.index(policy.place):
            raise ValueError(
                f"dimension {dimension!r} is finer than {policy.destination} outputs allow: "
                f"places no finer than {policy.place!r}"
            )
    elif dimension in TIME_UNITS:
        if TIME_UNITS.index(dimension) < TIME_UNITS.index(policy.time):
            raise ValueError(
                f"dimension {dimension!r} is finer than {policy.destination} outputs allow: "
                f"times no finer than {policy.time!r}"
            )
    elif dimension not in CATEGORICAL_DIMENSIONS:
        raise ValueError(
            f"unknown dimension {dimension!r}: add it to evidence.disclosure (as a place, a time "
            f"or a categorical dimension) before publishing it"
        )


def coarsened_dimension(dimension: str, policy: Policy) -> str:
    """The dimension a table on ``dimension`` is published on under ``policy``.

    Month and quarter become the policy's time unit, region its place unit, when those are
    coarser; anything still finer than the policy allows raises ValueError.
    """
    published = dimension
    if dimension in ("month", "quarter") and TIME_UNITS.index(policy.time) > TIME_UNITS.index(dimension):
        published = policy.time
    elif dimension == "region" and policy.place == "country":
        published = "country"
    check_dimension(published, policy)
    return published


def coarsen_key(dimension: str, key: str, policy: Policy) -> str:
    """A key of ``dimension`` as published under ``policy`` (see ``coarsened_dimension``)."""
    target = coarsened_dimension(dimension, policy)
    if target == dimension:
        return key
    if dimension == "month":
        return coarsen_month(key, target)
    if dimension == "quarter":
        return coarsen_quarter(key, target)
    return coarsen_region(key, target)


def coarsen_table(table: Table, policy: Policy) -> Table:
    """The table with its keys coarsened to the policy's units, counts summed."""
    _check_counts(table)
    rows = coarsened_dimension(table.rows, policy)
    columns = None if table.columns is None else coarsened_dimension(table.columns, policy)
    if rows == table.rows and columns == table.columns:
        return Table(rows=rows, columns=columns, cells=dict(table.cells))
    cells: dict[tuple[str, str], int] = {}
    for (row, column), count in table.cells.items():
        key = (
            coarsen_key(table.rows, row, policy),
            column if table.columns is None else coarsen_key(table.columns, column, policy),
        )
        cells[key] = cells.get(key, 0) + count
    return Table(rows=rows, columns=columns, cells=cells)


def _check_counts(table: Table) -> None:
    for (row, column), count in table.cells.items():
        if not isinstance(count, int) or isinstance(count, bool) or count < 0:
            raise ValueError(f"counts must be non-negative integers, not {count!r} at {(row, column)!r}")
        if table.columns is None and column != "":
            raise ValueError(f"a 1-D table has column key '' only, not {column!r}")


# --- Suppression --------------------------------------------------------------------------


def protect(table: Table, policy: Policy) -> ProtectedTable:
    """Coarsen ``table`` to ``policy`` and suppress what could disclose a small count.

    Raises ValueError for a dimension finer than the policy allows (e.g. a city) or a count that
    is not a non-negative integer.
    """
    table = coarsen_table(table, policy)
    cells = {key: count for key, count in sorted(table.cells.items()) if count > 0}
    row_keys = sorted({row for row, _ in cells})
    row_sums = dict.fromkeys(row_keys, 0)
    column_sums: dict[str, int] = {}
    for (row, column), count in cells.items():
        row_sums[row] += count
        column_sums[column] = column_sums.get(column, 0) + count
    total = sum(cells.values())

    graph = _Graph()
    if table.columns is None:
        # One equation (the grand total) over the cells and the total itself; its other end is a
        # node that stands for "no further equation".
        equation, free = graph.node(), graph.node()
        cell_edges = {key: graph.edge(equation, free, count, margin=False) for key, count in cells.items()}
        row_edges: dict[str, int] = {}
        column_edges: dict[str, int] = {}
        total_edge = graph.edge(equation, free, total, margin=True) if cells else None
    else:
        row_node = {row: graph.node() for row in row_keys}
        column_keys = sorted(column_sums)
        column_node = {column: graph.node() for column in column_keys}
        totals_row, totals_column = graph.node(), graph.node()
        cell_edges = {
            (row, column): graph.edge(row_node[row], column_node[column], count, margin=False)
            for (row, column), count in cells.items()
        }
        row_edges = {
            row: graph.edge(row_node[row], totals_column, row_sums[row], margin=True) for row in row_keys
        }
        column_edges = {
            column: graph.edge(totals_row, column_node[column], column_sums[column], margin=True)
            for column in column_keys
        }
        total_edge = graph.edge(totals_row, totals_column, total, margin=True) if cells else None

    primary = secondary = 0
    if policy.k > 1:
        for edge, value in enumerate(graph.values):
            if 0 < value < policy.k:
                graph.suppress(edge)
                primary += 1
        secondary = _complementary(graph)

    def shown(edge: int | None, value: int) -> int | None:
        return None if edge is not None and graph.suppressed[edge] else value

    published_cells = {key: shown(cell_edges[key], count) for key, count in cells.items()}
    if table.columns is None:
        row_totals = {row: published_cells[(row, "")] for row in row_keys}
        column_totals: dict[str, int | None] = {}
    else:
        row_totals = {row: shown(row_edges[row], row_sums[row]) for row in row_keys}
        column_totals = {column: shown(column_edges[column], column_sums[column]) for column in column_edges}
    return ProtectedTable(
        rows=table.rows,
        columns=table.columns,
        cells=published_cells,
        row_totals=row_totals,
        column_totals=column_totals,
        total=shown(total_edge, total),
        policy=policy,
        primary_suppressed=primary,
        secondary_suppressed=secondary,
    )


class _Graph:
    """Equations as nodes, table entries (cells and margins) as edges; parallel edges allowed."""

    def __init__(self) -> None:
        self.adjacent: list[list[tuple[int, int]]] = []  # node -> [(other node, edge)], every entry
        self.hidden_adjacent: list[list[tuple[int, int]]] = []  # the same, suppressed entries only
        self.ends: list[tuple[int, int]] = []
        self.values: list[int] = []
        self.margin: list[bool] = []
        self.suppressed: list[bool] = []

    def node(self) -> int:
        self.adjacent.append([])
        self.hidden_adjacent.append([])
        return len(self.adjacent) - 1

    def edge(self, a: int, b: int, value: int, *, margin: bool) -> int:
        edge = len(self.ends)
        self.ends.append((a, b))
        self.values.append(value)
        self.margin.append(margin)
        self.suppressed.append(False)
        self.adjacent[a].append((b, edge))
        self.adjacent[b].append((a, edge))
        return edge

    def suppress(self, edge: int) -> None:
        if not self.suppressed[edge]:
            self.suppressed[edge] = True
            a, b = self.ends[edge]
            self.hidden_adjacent[a].append((b, edge))
            self.hidden_adjacent[b].append((a, edge))

    def bridges(self) -> list[int]:
        """Suppressed edges on no cycle of suppressed edges (Tarjan, iterative)."""
        count = len(self.adjacent)
        order = [-1] * count
        low = [0] * count
        found: list[int] = []
        clock = 0
        for root in range(count):
            if order[root] != -1 or not self.hidden_adjacent[root]:
                continue
            order[root] = low[root] = clock
            clock += 1
            stack = [(root, -1, iter(self.hidden_adjacent[root]))]
            while stack:
                node, via, neighbours = stack[-1]
                for other, edge in neighbours:
                    if edge == via:
                        continue
                    if order[other] == -1:
                        order[other] = low[other] = clock
                        clock += 1
                        stack.append((other, edge, iter(self.hidden_adjacent[other])))
                        break
                    if order[other] < low[node]:
                        low[node] = order[other]
                else:
                    stack.pop()
                    if stack:
                        parent = stack[-1][0]
                        if low[node] < low[parent]:
                            low[parent] = low[node]
                        if low[node] > order[parent]:
                            found.append(via)
        return found

    def cheapest_path(
        self, start: int, goal: int, avoid: int, by_cost: list[list[tuple[int, int, int]]]
    ) -> list[int] | None:
        """Edges of the cheapest path from start to goal not using ``avoid``; hidden edges are free.

        Dijkstra over each node's published edges sorted by cost (``by_cost[node]`` holds
        ``(cost, other node, edge)``), taken one at a time: only edges that could still beat the
        goal's distance are looked at, instead of every edge of every node reached (a row of a
        wide table has hundreds).
        """
        count = len(self.adjacent)
        settled = [False] * count
        distance = [0] * count
        came_by = [-1] * count
        suppressed = self.suppressed
        hidden_adjacent = self.hidden_adjacent
        push, pop = heapq.heappush, heapq.heappop
        # No candidate at or beyond the best offer to reach the goal can be on the cheapest path.
        bound = float("inf")
        # (distance on arrival, node reached, edge taken, node left, its position in by_cost)
        heap: list[tuple[int, int, int, int, int]] = [(0, start, -1, -1, -1)]
        while heap:
            so_far, node, edge, left, position = pop(heap)
            if left >= 0:
                # Offer the next published edge of the node this one left (the lazy step).
                candidates = by_cost[left]
                position += 1
                while position < len(candidates):
                    cost, other, next_edge = candidates[position]
                    if next_edge != avoid and not suppressed[next_edge] and not settled[other]:
                        arrival = distance[left] + cost
                        if arrival < bound:
                            if other == goal:
                                bound = arrival
                            push(heap, (arrival, other, next_edge, left, position))
                        break
                    position += 1
            if settled[node]:
                continue
            settled[node] = True
            distance[node] = so_far
            came_by[node] = edge
            if node == goal:
                path = []
                while node != start:
                    edge = came_by[node]
                    if not suppressed[edge]:
                        path.append(edge)
                    a, b = self.ends[edge]
                    node = a if b == node else b
                return path
            for other, hidden in hidden_adjacent[node]:
                if hidden != avoid and not settled[other]:
                    if other == goal:
                        bound = so_far
                    push(heap, (so_far, other, hidden, -1, -1))
            candidates = by_cost[node]
            position = 0
            while position < len(candidates):
                cost, other, next_edge = candidates[position]
                if next_edge != avoid and not suppressed[next_edge] and not settled[other]:
                    arrival = so_far + cost
                    if arrival < bound:
                        if other == goal:
                            bound = arrival
                        push(heap, (arrival, other, next_edge, node, position))
                    break
                position += 1
        return None


def _complementary(graph: _Graph) -> int:
    """Suppress published entries until no suppressed one is a bridge; return how many."""
    # Cost of hiding an entry: its value first, then one per entry (a path has fewer edges than
    # there are nodes, so the count never outweighs a unit of value); margins only as a last resort.
    per_value = len(graph.adjacent) + 1
    margin_penalty = per_value * (sum(graph.values) + 1)
    cost = [
        value * per_value + 1 + (margin_penalty if margin else 0)
        for value, margin in zip(graph.values, graph.margin, strict=True)
    ]
    by_cost = [sorted((cost[edge], other, edge) for other, edge in edges) for edges in graph.adjacent]
    added = 0
    # Adding edges never makes a new bridge, and each path closes a cycle through its own bridge,
    # so one pass over the bridges leaves none. A bridge that an earlier path has already put on
    # a cycle gets an empty path (hidden edges are free).
    for bridge in sorted(graph.bridges()):
        start, goal = graph.ends[bridge]
        path = graph.cheapest_path(start, goal, bridge, by_cost)
        if path is None:
            # Cannot happen: with its margins every entry of a table lies on a cycle of entries.
            raise RuntimeError("disclosure control found no way to protect a hidden value")
        for edge in path:
            if not graph.suppressed[edge]:
                graph.suppress(edge)
                added += 1
    if graph.bridges():
        # Fail closed and loudly rather than publish a value that can be worked out.
        raise RuntimeError("disclosure control left a hidden value that can be derived")
    return added
