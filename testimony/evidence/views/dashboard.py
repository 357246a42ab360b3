"""The analysts' dashboard: counts and trends by kind, tag, region, month, perpetrator and
nationality, with filters, and a map of Russia and Central Asia drawn from shipped data.

Parse (``EvidenceFilters.from_query`` and the audience) → ``aggregates.published_tables`` (the
six tables, counted together) → render. Every number on the page comes from it: for "our
organisation" its policy has k = 1 (nothing hidden), for a partner or the public each table is
exactly what ``published_table`` gives that destination, suppressed cells included, so an analyst
sees what will leave before it leaves. A plain GET form: works without JavaScript, and the URL can
be shared with a colleague.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from django.shortcuts import render
from django.urls import path
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from testimony.accounts.decorators import console_view
from testimony.accounts.permissions import can
from testimony.evidence import aggregates, disclosure, geography
from testimony.intake.choices import COUNTRIES, KINDS, PERPETRATORS
from testimony.review.labels import console_language
from testimony.review.models.reports import ReviewState

AUDIENCES = (
    ("internal", _("our organisation")),
    ("partner", _("a partner")),
    ("public", _("the public")),
)
# (dimension, heading); the month table is drawn as a trend as well.
TABLES = (
    ("kind", _("Kind of act")),
    ("tag", _("Tag")),
    ("region", _("Region")),
    ("month", _("Month")),
    ("perpetrator", _("Perpetrator")),
    ("nationality", _("Citizenship")),
)
MULTI_VALUED_NOTE = _(
    "A report counts once under each of its values, so the rows can add up to more than the reports."
)
# (heading, the SVG's title, choropleth_svg options). Most reports come from European Russia
# and Central Asia: a detail of them beside the whole; one legend per page, and the shapes (with
# the hatch pattern) once, in ``geography.map_shapes_svg``, which both maps draw from.
MAPS = (
    (
        _("European Russia and Central Asia"),
        _("Reports by region: European Russia and Central Asia"),
        {"view": "west", "dom_id": "ev-map-west"},
    ),
    (
        _("Whole map"),
        _("Reports by region: Russia and Central Asia"),
        {"dom_id": "ev-map-all", "legend": False},
    ),
)
SUPPRESSED_STUB = 10  # height class of a suppressed month's column (per cent)


@dataclass
class Row:
    key: str
    label: str
    count: int | None  # None: suppressed
    width: str = "w0"  # bar width class (w0…w100) for the CSS bar


@require_GET
@console_view("evidence.view")
def dashboard(request):
    filters = aggregates.EvidenceFilters.from_query(request.GET)
    audience = request.GET.get("audience", "internal")
    if audience not in disclosure.DESTINATIONS:
        audience = "internal"
    language = console_language()
    reports = aggregates.evidence_reports(request.user)
    tables = aggregates.published_tables(
        reports=reports,
        filters=filters,
        dimensions=[dimension for dimension, _heading in TABLES],
        destination=audience,
    )
    panels = [_panel(dimension, heading, tables[dimension], language) for dimension, heading in TABLES]
    region_table = tables["region"]
    policy = region_table.policy
    region_values = {key: value for (key, _c), value in region_table.cells.items() if key}
    points = [geography.MapPoint(count=v, region=k) for k, v in region_values.items() if v]
    maps = [
        (
            heading,
            geography.choropleth_svg(
                region_values,
                language=language,
                points=points,
                title=str(title),
                # k = 1 (internal) names no threshold in the legend: nothing is under it.
                k=policy.k,
                **options,
            ),
        )
        for heading, title, options in MAPS
    ]
    context = {
        "section": "evidence",
        "filters": filters,
        "audience": audience,
        "audiences": AUDIENCES,
        "policy": policy,
        "suppressed": sum(t.primary_suppressed + t.secondary_suppressed for t in tables.values()),
        # Kind is single-valued: its total is the number of reports counted (None if hidden).
        "total": tables["kind"].total,
        "panels": panels,
        "trend": _trend(tables["month"], language),
        "maps": maps,
        "map_shapes": geography.map_shapes_svg(),
        "unknown_region": region_table.cells.get(("", ""), 0),
        "options": _options(language),
        "states": [(state.value, state.label) for state in ReviewState],
        "can_export": can(request.user, "evidence.export"),
        "export_query": _export_query(filters),
    }
    return render(request, "console/evidence/dashboard.html", context)


def _panel(dimension: str, heading, table: disclosure.ProtectedTable, language: str) -> dict:
    keys = [row for row, _column in table.cells]
    labels = aggregates.dimension_labels(table.rows, keys, language)
    if table.rows in ("month", "quarter", "year"):
        keys = sorted(keys, reverse=True)  # newest first: what an analyst looks for
    else:
        # Largest first; suppressed cells after the published ones, then by name.
        keys = sorted(
            keys, key=lambda k: (table.cells[(k, "")] is None, -(table.cells[(k, "")] or 0), labels[k])
        )
    largest = max((v for v in table.cells.values() if v), default=0)
    rows = [Row(key=k, label=labels[k], count=table.cells[(k, "")]) for k in keys]
    for row in rows:
        if row.count:
            row.width = f"w{max(1, round(20 * row.count / largest)) * 5}"
    return {
        "dimension": dimension,
        "counted_by": table.rows,
        "heading": heading,
        "rows": rows,
        "total": table.total,
        "note": MULTI_VALUED_NOTE if dimension in aggregates.MULTI_VALUED else "",
        "show_codes": dimension == "region",
    }


def _trend(table: disclosure.ProtectedTable, language: str) -> list[dict]:
    """Columns of the month table, every month from the first to the last (absent = 0).

    Heights are CSS classes (h0…h100), so the chart needs no style attribute; a suppressed month
    is a short hatched stub, since any true height would give its value away.
    """
    keys = sorted(row for row, _column in table.cells if row)
    if not keys:
        return []
    if table.rows == "month":
        keys = aggregates.month_range(keys[0], keys[-1]) or keys
    values = [table.cells.get((key, ""), 0) for key in keys]  # absent: a known zero
    labels = aggregates.dimension_labels(table.rows, keys, language)
    largest = max((v for v in values if v), default=1)
    major = max(1, math.ceil(len(keys) / 6))  # labels kept on a phone
    minor = max(1, math.ceil(len(keys) / 12))  # labels added on a wider screen
    columns = []
    for index, (key, value) in enumerate(zip(keys, values, strict=True)):
        if value is None:
            height = SUPPRESSED_STUB
        elif value:
            height = max(1, round(20 * value / largest)) * 5
        else:
            height = 0
        columns.append(
            {
                "label": labels[key],
                "value": value,
                "height": f"h{height}",
                "tick": key if index % minor == 0 else "",
                "tick_class": "ev-tick-major" if index % major == 0 else "ev-tick-minor",
            }
        )
    return columns


def _options(language: str) -> dict:
    from testimony.review.services.taxonomy import flatten, taxonomy_tree

    regions = [
        (str(label), [(rid, geography.region_name(rid, language)) for rid in geography.region_ids([cc])])
        for cc, label in COUNTRIES
        if cc in geography.MAP_COUNTRIES
    ]
    return {
        "kinds": KINDS,
        "tags": [
            (node.tag.slug, ("— " * node.depth) + node.label)
            for node in flatten(taxonomy_tree(language=language, include_inactive=False))
        ],
        "regions": [(group, sorted(items, key=lambda item: item[1])) for group, items in regions],
        "countries": COUNTRIES,
        "perpetrators": PERPETRATORS,
    }


def _export_query(filters: aggregates.EvidenceFilters) -> str:
    """The filters the export page's (queue) form shares with this one, with the same meaning:
    kind, tag and a single review state. The others (region, months…) it does not have."""
    from urllib.parse import urlencode

    pairs = [(name, getattr(filters, name)) for name in ("kind", "tag") if getattr(filters, name)]
    if len(filters.states) == 1:
        pairs.append(("state", filters.states[0]))
    return urlencode(pairs)


urlpatterns = [
    path("evidence/", dashboard, name="evidence"),
]
