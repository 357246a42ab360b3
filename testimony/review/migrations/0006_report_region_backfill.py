"""Fill ``Report.region`` for reports processed before the worker wrote it.

The rule is ``testimony.processing.reports.report_region`` as it stood when this migration was
written, copied here so that a later change to that function (or its module) cannot change or
break what this migration does: the place picked on the form (a region id, or a city's
geonameid mapped to its GeoNames admin-1 region), else the first place in ``Report.places`` in
the report's country at site, city or region precision (its ``admin1`` is the region's English
name on the form), else "". The data files are read only when a report needs filling, so a
fresh database never opens them. ``Report.nationality`` stays "": older reports never asked.
"""

from __future__ import annotations

import json
from pathlib import Path

from django.db import migrations

_TESTIMONY = Path(__file__).resolve().parent.parent.parent
FORM_PLACES_PATH = _TESTIMONY / "intake" / "data" / "form_places.json"
GAZETTEER_CITIES_PATH = _TESTIMONY / "analysis" / "data" / "gazetteer_cities.json"
REGION_PRECISIONS = frozenset({"site", "city", "admin1"})
BATCH = 2000


def region_tables() -> tuple[frozenset[str], dict[tuple[str, str], str], dict[str, str]]:
    """(region ids, (country, English region name) -> id, city geonameid -> region id)."""
    form = json.loads(FORM_PLACES_PATH.read_text(encoding="utf-8"))["countries"]
    regions: set[str] = set()
    by_name: dict[tuple[str, str], str] = {}
    for country, items in form.items():
        for item in items:
            if item["kind"] == "region":
                regions.add(item["id"])
                by_name[(country, item["names"]["en"])] = item["id"]
    cities = json.loads(GAZETTEER_CITIES_PATH.read_text(encoding="utf-8"))["cities"]
    city_region = {row[0]: f"{row[2]}.{row[3]}" for row in cities if f"{row[2]}.{row[3]}" in regions}
    return frozenset(regions), by_name, city_region


def region_of(tables, *, country: str, place_id: str, places: list) -> str:
    regions, by_name, city_region = tables
    if place_id:
        region = place_id if place_id in regions else city_region.get(place_id, "")
        if region.split(".", 1)[0] == country:
            return region
    for place in places or ():
        if not isinstance(place, dict):
            continue
        if place.get("precision") not in REGION_PRECISIONS or place.get("country") != country:
            continue
        region = by_name.get((country, place.get("admin1") or ""), "")
        if region:
            return region
    return ""


def fill_regions(apps, schema_editor) -> None:
    Report = apps.get_model("review", "Report")
    pending = Report.objects.filter(region="").only("pk", "country", "place", "places").order_by("pk")
    if not pending.exists():
        return
    tables = region_tables()
    last = None
    # Keyset pages, each read whole before it is written: no cursor stays open across updates.
    while True:
        page = list((pending.filter(pk__gt=last) if last is not None else pending)[:BATCH])
        if not page:
            return
        last = page[-1].pk
        changed = []
        for report in page:
            report.region = region_of(
                tables, country=report.country, place_id=report.place, places=report.places
            )
            if report.region:
                changed.append(report)
        Report.objects.bulk_update(changed, ["region"])


class Migration(migrations.Migration):
    dependencies = [
        ("review", "0005_report_region_nationality"),
    ]

    # Reversing leaves the regions in place: the column itself goes with 0005's reversal.
    operations = [migrations.RunPython(fill_regions, migrations.RunPython.noop, elidable=True)]
