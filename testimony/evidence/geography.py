"""Region names and the offline map of Russia and Central Asia.

The map is ``data/admin1_map.json``, built by ``scripts/build_map.py`` from Natural Earth admin-1
boundaries (see ``data/SOURCES.md``): one SVG path per region, keyed by the GeoNames admin-1 id the
rest of the project uses (``"RU.48"``), plus country outlines, grey neighbours, and the projection,
so a coarse point given as latitude and longitude lands in the same place at run time.

``choropleth_svg`` draws it as inline SVG: no tile server, no request of any kind, no ``style``
attribute (the console's CSP forbids them), every text escaped. Colours live in
``static/console/evidence/dashboard.css`` under the classes used here.

The shapes are most of a map's weight (about 60 KB gzipped), so a page carries them once:
``map_shapes_svg`` is a hidden ``<svg>`` whose ``<defs>`` hold every region's path (by id), the
neighbours, the country borders and the hatch, and each map draws them with ``<use href="#…">``,
giving each region its own fill class and title. Fill and stroke reach the shapes by inheritance
from the ``<use>`` (CSS selectors do not reach into its shadow tree); ``vector-effect``, which is
not inherited, is an attribute of each shape.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

# Albers equal-area conic for Russia and Central Asia: standard parallels 45° and 65° N span
# Central Asia's south and Russia's north; the central meridian 90° E splits the extent. Equal
# area because a choropleth compares regions by colour, and a conformal map would inflate the
# Arctic ones.
PROJECTION = {"type": "albers", "lon_0": 90.0, "lat_0": 55.0, "lat_1": 45.0, "lat_2": 65.0}

MAP_PATH = Path(__file__).resolve().parent / "data" / "admin1_map.json"
FORM_PLACES_PATH = Path(__file__).resolve().parent.parent / "intake" / "data" / "form_places.json"
MAP_COUNTRIES = ("RU", "KZ", "UZ", "TJ", "KG")
_PATH_DATA = re.compile(r"[Mlz0-9 .\-]*")
# Local languages that fall back to Russian, then English, when a region has no name in them.
_FALLBACKS = {"tg": ("tg", "ru"), "ky": ("ky", "ru"), "kk": ("kk", "ru"), "uz": ("uz", "ru")}
BINS = 5
DOT_RADIUS = 4.0  # regions drawn as a dot (no shape of their own, or too small to see)
POINT_MIN_RADIUS, POINT_MAX_RADIUS = 3.0, 22.0
# Crops of the map, in its viewBox units (x, y, width, height). "west": European Russia, the
# Urals and western Siberia, and Central Asia, from Kaliningrad to Novosibirsk and Murmansk to Termez.
VIEWS = {"west": (0.0, 160.0, 540.0, 579.0)}
# Ids in ``map_shapes_svg``: a region's shape is "ev-r-" and its id ("ev-r-RU.48").
SHAPE_PREFIX = "ev-r-"
SHAPE_GROUPS = {"context": "ev-shapes-context", "land": "ev-shapes-land", "borders": "ev-shapes-borders"}


def albers(lon: float, lat: float, params: Mapping = PROJECTION) -> tuple[float, float]:
    """Spherical Albers equal-area conic on the unit sphere; x east, y north.

    The longitude difference is wrapped into [-180°, 180°), so a point east of the antimeridian
    (Chukotka at -175°) lands beside the rest of Russia.
    """
    phi0, phi1, phi2 = (math.radians(params[k]) for k in ("lat_0", "lat_1", "lat_2"))
    n = (math.sin(phi1) + math.sin(phi2)) / 2
    c = math.cos(phi1) ** 2 + 2 * n * math.sin(phi1)
    rho0 = math.sqrt(c - 2 * n * math.sin(phi0)) / n
    delta = (lon - params["lon_0"] + 180.0) % 360.0 - 180.0
    rho = math.sqrt(c - 2 * n * math.sin(math.radians(lat))) / n
    theta = n * math.radians(delta)
    return rho * math.sin(theta), rho0 - rho * math.cos(theta)


@lru_cache(maxsize=1)
def map_data() -> dict:
    """The map, with every SVG path checked once to hold only path commands and numbers, and
    marked safe: escaping 200 KB of coordinates on every page would be wasted work."""
    data = json.loads(MAP_PATH.read_text(encoding="utf-8"))

    def checked(path: str) -> SafeString:
        if not _PATH_DATA.fullmatch(path):
            raise ValueError(f"{MAP_PATH.name}: a path holds more than path data")
        return mark_safe(path)  # noqa: S308 — only [Mlz0-9 .-], checked above

    for region in data["regions"].values():
        region["path"] = checked(region["path"])
    for context in data["context"].values():
        context["path"] = checked(context["path"])
    for country in data["countries"].values():
        country["background"] = checked(country["background"])
        country["outline"] = checked(country["outline"])
    return data


@lru_cache(maxsize=1)
def _region_names() -> dict[str, dict[str, str]]:
    form = json.loads(FORM_PLACES_PATH.read_text(encoding="utf-8"))
    return {
        item["id"]: item["names"]
        for items in form["countries"].values()
        for item in items
        if item["kind"] == "region"
    }


def region_ids(countries: Iterable[str] = MAP_COUNTRIES) -> list[str]:
    """The regions of ``form_places.json`` for these countries, in the form's order."""
    wanted = tuple(countries)
    return [rid for rid in _region_names() if rid.split(".", 1)[0] in wanted]


def region_name(region_id: str, language: str) -> str:
    """The region's name in ``language`` (then Russian for the Central Asian languages, then
    English); an unknown id comes back as it is (callers escape it like any text)."""
    names = _region_names().get(region_id)
    if not names:
        return region_id
    lang = (language or "en").split("-")[0].lower()
    for code in (*_FALLBACKS.get(lang, (lang,)), "en", "ru"):
        if names.get(code):
            return names[code]
    return region_id


def project(lat: float, lon: float) -> tuple[float, float]:
    """Latitude and longitude → the map's viewBox coordinates (SVG: y grows downwards)."""
    params = map_data()["projection"]
    x, y = albers(lon, lat, params)
    return params["x0"] + x * params["scale"], params["y0"] - y * params["scale"]


def known_gaps() -> dict[str, str]:
    """Regions drawn as a dot because the source has no polygon of their own → the region whose
    polygon holds them ("" when none)."""
    return {rid: info["within"] for rid, info in map_data()["gaps"].items()}


@dataclass(frozen=True)
class MapPoint:
    """A coarse point: a count at a region's centre (``region``) or at a latitude and longitude.

    ``count`` None means suppressed: the point is drawn hatched at the smallest size.
    """

    count: int | None
    label: str = ""
    region: str = ""
    lat: float | None = None
    lon: float | None = None


def class_breaks(counts: Iterable[int], bins: int = BINS) -> list[int]:
    """Upper bounds of up to ``bins`` classes by quantile of the positive counts (ascending, unique;
    the last is the maximum). Fewer distinct counts give fewer classes."""
    values = sorted(c for c in counts if c and c > 0)
    if not values:
        return []
    breaks: list[int] = []
    for i in range(1, bins + 1):
        bound = values[min(len(values) - 1, math.ceil(i * len(values) / bins) - 1)]
        if not breaks or bound > breaks[-1]:
            breaks.append(bound)
    return breaks


# With fewer classes than colours, which colours they take: spread over the ramp, so one class
# of 58 reports is not drawn in the palest yellow as if it were few.
_RAMP = {1: (4,), 2: (2, 4), 3: (1, 3, 5), 4: (1, 2, 4, 5), 5: (1, 2, 3, 4, 5)}


def _class_of(count: int, breaks: list[int]) -> int:
    """The colour step (1–5) of ``count`` given the class ``breaks``."""
    ramp = _RAMP[len(breaks)]
    for index, bound in enumerate(breaks):
        if count <= bound:
            return ramp[index]
    return ramp[-1]


def _range_label(breaks: list[int], index: int, lowest: int) -> str:
    """ "low–high" of a class; the first starts at the smallest count shown, not at 1 (a partner's
    map has nothing under k, and its legend should not suggest otherwise)."""
    low = lowest if index == 0 else breaks[index - 1] + 1
    high = breaks[index]
    return str(high) if low == high else f"{low}–{high}"


def _count_text(count: int | None) -> str:
    if count is None:
        return _("suppressed")
    if count == 0:
        return _("none")
    return ngettext("%(n)d report", "%(n)d reports", count) % {"n": count}


@lru_cache(maxsize=1)
def map_shapes_svg() -> SafeString:
    """The shapes every map draws, once per page: a hidden, zero-sized ``<svg>`` of ``<defs>``.

    A page that shows ``choropleth_svg`` maps must include it exactly once (its ids are fixed).
    Hidden by size and the ``ev-shapes`` class rather than ``display: none``, under which some
    browsers do not paint a pattern referenced from elsewhere. Holds no text: the same for every
    language and every count, so it is built once per process.
    """
    data = map_data()

    def shape(path: str, dom_id: str = "") -> str:
        d = mark_safe(_compact_path(path))  # noqa: S308 — checked path data, only shortened
        if dom_id:
            return format_html('<path id="{}" d="{}" vector-effect="non-scaling-stroke"/>', dom_id, d)
        return format_html('<path d="{}" vector-effect="non-scaling-stroke"/>', d)

    def group(key: str, paths: list[str]) -> str:
        return format_html('<g id="{}">{}</g>', SHAPE_GROUPS[key], mark_safe("".join(paths)))  # noqa: S308

    backgrounds = [c["background"] for c in data["countries"].values() if c["background"]]
    parts = [
        '<svg class="ev-shapes" width="0" height="0" aria-hidden="true" focusable="false" '
        'xmlns="http://www.w3.org/2000/svg"><defs>',
        # The hatch for suppressed cells: a pattern is the one fill CSS cannot express by itself.
        '<pattern id="ev-hatch" patternUnits="userSpaceOnUse" width="5" height="5" '
        'patternTransform="rotate(45)"><rect class="ev-hatch-bg" width="5" height="5"/>'
        '<line class="ev-hatch-line" x1="0" y1="0" x2="0" y2="5"/></pattern>',
        group("context", [shape(c["path"]) for c in data["context"].values()]),
        group("land", [shape(path) for path in backgrounds]) if backgrounds else "",
        group("borders", [shape(c["outline"]) for c in data["countries"].values()]),
        *(shape(region["path"], SHAPE_PREFIX + region_id) for region_id, region in data["regions"].items()),
        "</defs></svg>",
    ]
    return mark_safe("".join(parts))  # noqa: S308 — every piece above came through format_html


def choropleth_svg(
    values: Mapping[str, int | None],
    *,
    language: str,
    points: Iterable[MapPoint] = (),
    title: str,
    k: int | None = None,
    view: str = "all",
    dom_id: str = "ev-map",
    legend: bool = True,
) -> SafeString:
    """Inline SVG map: each region of ``values`` filled by its class, in a figure with a legend.

    ``values``: region id → count; ``None`` marks a suppressed cell (hatched, its own legend
    entry, never drawn as 0); a region absent from ``values`` has no reports (grey). ``k``, when
    given, is named in the suppressed legend entry. Regions with no shape of their own (Kazakhstan's
    regions of 2022, Osh City) and regions too small to see are drawn as dots.

    The shapes are drawn from ``map_shapes_svg()``, which the page must hold once. ``view`` is a
    key of ``VIEWS`` (``"west"``: European Russia and Central Asia, where most reports come from);
    regions wholly outside it are left out. Several maps on one page need their own ``dom_id``.
    """
    data = map_data()
    counts = {rid: count for rid, count in values.items() if count is not None and count > 0}
    breaks = class_breaks(counts.values())
    minx, miny, width, height = VIEWS[view] if view != "all" else data["viewbox"]
    # Circles keep their size on screen whatever the zoom (the maps are drawn at similar widths).
    shrink = width / data["viewbox"][2]

    def visible(bbox: list[float]) -> bool:
        x1, y1, x2, y2 = bbox
        return x2 >= minx and x1 <= minx + width and y2 >= miny and y1 <= miny + height

    def fill_class(region_id: str) -> str:
        if region_id in values and values[region_id] is None:
            return "ev-sup"
        count = counts.get(region_id)
        return f"ev-q{_class_of(count, breaks)}" if count else "ev-none"

    def region_title(region_id: str) -> str:
        count = values.get(region_id, 0)
        return f"{region_name(region_id, language)}: {_count_text(count)}"

    def layer(key: str) -> str:
        # Decoration under and over the regions; what lies outside the view is clipped.
        return format_html('<use class="ev-{}" href="#{}" aria-hidden="true"/>', key, SHAPE_GROUPS[key])

    parts: list[str] = [
        format_html(
            '<svg class="ev-map-svg ev-view-{}" id="{}" viewBox="{} {} {} {}" role="img" '
            'aria-labelledby="{}-title" xmlns="http://www.w3.org/2000/svg">',
            view,
            dom_id,
            _num(minx),
            _num(miny),
            _num(width),
            _num(height),
            dom_id,
        ),
        format_html('<title id="{}-title">{}</title>', dom_id, title),
        format_html(
            '<rect class="ev-sea" x="{}" y="{}" width="{}" height="{}"/>',
            _num(minx),
            _num(miny),
            _num(width),
            _num(height),
        ),
        layer("context"),
        layer("land") if any(c["background"] for c in data["countries"].values()) else "",
        '<g class="ev-regions">',
    ]
    for region_id, region in data["regions"].items():
        if not visible(region["bbox"]):
            continue
        parts.append(
            format_html(
                '<use class="ev-region {}" data-region="{}" href="#{}{}"><title>{}</title></use>',
                fill_class(region_id),
                region_id,
                SHAPE_PREFIX,
                region_id,
                region_title(region_id),
            )
        )
    parts.append("</g>")
    parts.append(layer("borders"))
    # Dots: regions with no shape, and tiny ones, so a count in Moscow or Bishkek is not a speck.
    parts.append('<g class="ev-dots">')
    dots = [(rid, info["centre"]) for rid, info in data["gaps"].items()]
    dots += [(rid, info["centre"]) for rid, info in data["regions"].items() if info["small"]]
    for region_id, (cx, cy) in dots:
        if not visible([cx, cy, cx, cy]):
            continue
        parts.append(
            format_html(
                '<circle class="ev-dot {}" data-region="{}" cx="{}" cy="{}" r="{}">'
                "<title>{}</title></circle>",
                fill_class(region_id),
                region_id,
                _num(cx),
                _num(cy),
                _num(DOT_RADIUS * shrink),
                region_title(region_id),
            )
        )
    parts.append("</g>")
    parts.extend(_points_svg(list(points), language=language, data=data, shrink=shrink))
    parts.append("</svg>")
    caption = (
        format_html(
            '<figcaption class="ev-map-caption">{}</figcaption>',
            _legend_html(breaks, lowest=min(counts.values(), default=1), k=k, any_points=bool(points)),
        )
        if legend
        else ""
    )
    return format_html(
        '<figure class="ev-map">{}{}</figure>',
        mark_safe("".join(parts)),  # noqa: S308 — every piece above came through format_html
        caption,
    )


def _points_svg(points: list[MapPoint], *, language: str, data: dict, shrink: float = 1.0) -> list[str]:
    placed = []
    for point in points:
        if point.region:
            info = data["regions"].get(point.region) or data["gaps"].get(point.region)
            if info is None:
                continue
            x, y = info["centre"]
            label = point.label or region_name(point.region, language)
        elif point.lat is not None and point.lon is not None:
            x, y = project(point.lat, point.lon)
            label = point.label
        else:
            continue
        placed.append((point.count, x, y, label))
    if not placed:
        return []
    largest = max((c for c, *_ in placed if c), default=1)
    out = ['<g class="ev-points">']
    # Largest first, so small circles stay on top and can be hovered.
    for count, x, y, label in sorted(placed, key=lambda p: -(p[0] or 0)):
        if count:
            radius = POINT_MIN_RADIUS + (POINT_MAX_RADIUS - POINT_MIN_RADIUS) * math.sqrt(count / largest)
        else:
            radius = POINT_MIN_RADIUS
        radius *= shrink
        css = "ev-point" if count else "ev-point ev-point-sup"
        out.append(
            format_html(
                '<circle class="{}" cx="{}" cy="{}" r="{}"><title>{}: {}</title></circle>',
                css,
                _num(x),
                _num(y),
                _num(radius),
                label,
                _count_text(count),
            )
        )
    out.append("</g>")
    return out


def _legend_html(breaks: list[int], *, lowest: int, k: int | None, any_points: bool) -> SafeString:
    items = [
        format_html(
            '<li><span class="ev-swatch ev-q{}" aria-hidden="true"></span>{}</li>',
            _RAMP[len(breaks)][i],
            _range_label(breaks, i, lowest),
        )
        for i in range(len(breaks))
    ]
    if k is not None and k > 1:
        # Translators: legend of the map; a hatched region's count is not shown.
        sup = _("suppressed: fewer than %(k)d, or hidden so that one cannot be worked out") % {"k": k}
    else:
        sup = _("suppressed")
    items.append(format_html('<li><span class="ev-swatch ev-sup" aria-hidden="true"></span>{}</li>', sup))
    items.append(
        format_html('<li><span class="ev-swatch ev-none" aria-hidden="true"></span>{}</li>', _("no reports"))
    )
    if any_points:
        items.append(
            format_html(
                '<li><span class="ev-swatch ev-swatch-point" aria-hidden="true"></span>{}</li>',
                _("reports at a place (circle area)"),
            )
        )
    return format_html('<ul class="ev-legend">{}</ul>', mark_safe("".join(items)))  # noqa: S308


_PATH_TOKEN = re.compile(r"[Mlz]|-?[0-9.]+")
_COMMANDS = frozenset("Mlz")


def _compact_path(path: str) -> str:
    """The same path in fewer characters, as SVG's path grammar allows: no leading zero ("-0.5"
    → "-.5") and no space before a number that cannot run into the one before it ("1 -2" →
    "1-2", "1.5 .5" → "1.5.5"). About 14 % of the map's text, 5 % once gzipped."""
    out: list[str] = []
    previous = "M"
    for token in _PATH_TOKEN.findall(path):
        if token not in _COMMANDS:
            token = re.sub(r"^(-?)0\.", r"\1.", token)
            joins = token[0] == "-" or (token[0] == "." and "." in previous)
            if previous not in _COMMANDS and not joins:
                out.append(" ")
        out.append(token)
        previous = token
    return "".join(out)


def _num(value: float) -> str:
    """A coordinate as short text (one decimal at most); numbers only, so safe in markup."""
    text = f"{float(value):.1f}"
    return text[:-2] if text.endswith(".0") else text


__all__ = [
    "MAP_COUNTRIES",
    "MapPoint",
    "choropleth_svg",
    "class_breaks",
    "known_gaps",
    "map_data",
    "map_shapes_svg",
    "project",
    "region_ids",
    "region_name",
]
