"""The analysts' dashboard: who may open it, filters, and what each audience is shown.

The numbers are checked against the reports the test made (and, for a partner or the public,
against ``aggregates.published_table`` and k itself), reading the rendered HTML the way a
person would: tables by dimension, map regions by their ``data-region``.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from testimony.evidence import aggregates
from tests.unit.evidence.test_aggregates import stored_report

URL = "/console/evidence/"

# (region, month, kind, nationality, perpetrators, how many)
WORLD = [
    ("RU.48", "2025-01", "raid", "UZ", ["police"], 9),
    ("RU.48", "2025-02", "raid", "TJ", ["police", "fsb"], 4),
    ("RU.47", "2025-02", "detention", "UZ", ["detention_staff"], 2),
    ("RU.66", "2025-03", "recruitment", "KG", ["military_recruiters"], 6),
    ("UZ.13", "2025-03", "raid", "UZ", ["migration_service"], 1),
    ("KZ.12510143", "2025-04", "other", "KZ", ["employer"], 3),
    ("", "2025-04", "raid", "", ["unknown"], 1),
]
VERIFIED_TOTAL = sum(row[-1] for row in WORLD)


@pytest.fixture
def world(personas):
    for region, month, kind, nationality, perpetrators, how_many in WORLD:
        for _ in range(how_many):
            stored_report(
                month=month,
                kind=kind,
                country=region.split(".")[0] if region else "RU",
                region=region,
                nationality=nationality,
                perpetrators=perpetrators,
            )
    # Not verified: counted only when that state is asked for.
    stored_report(
        month="2025-01",
        kind="raid",
        country="RU",
        region="RU.48",
        nationality="",
        perpetrators=["police"],
        state="new",
    )
    return personas


class Page(HTMLParser):
    """Tables by ``data-dimension`` → {row label: cell text}, and map regions → (classes, title)."""

    def __init__(self, html: str):
        super().__init__()
        self.tables: dict[str, dict[str, str]] = {}
        self.totals: dict[str, str] = {}
        self.regions: dict[str, tuple[str, str]] = {}
        self._table = None
        self._section = None
        self._cell: list[str] | None = None
        self._row: list[str] = []
        self._region: tuple[str, str] | None = None
        self._title: list[str] | None = None
        self._code = False
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table" and "data-dimension" in attrs:
            self._table = attrs["data-dimension"]
            self.tables[self._table] = {}
        elif tag in ("tbody", "tfoot") and self._table:
            self._section = tag
        elif tag == "tr" and self._table:
            self._row = []
        elif tag in ("th", "td") and self._table:
            self._cell = []
        elif tag == "span" and attrs.get("class") == "ev-code":
            self._code = True
        elif tag in ("use", "path", "circle") and "data-region" in attrs:
            self._region = (attrs["data-region"], attrs.get("class", ""))
        elif tag == "title" and self._region:
            self._title = []

    def handle_endtag(self, tag):
        if tag == "span":
            self._code = False
        if tag in ("th", "td") and self._cell is not None:
            self._row.append("".join(self._cell).strip())
            self._cell = None
        elif tag == "tr" and self._table and self._section:
            if self._section == "tbody":
                self.tables[self._table][self._row[0]] = self._row[1]
            else:
                self.totals[self._table] = self._row[1]
        elif tag == "table":
            self._table = self._section = None
        elif tag == "title" and self._title is not None:
            region, classes = self._region
            self.regions.setdefault(region, (classes, "".join(self._title)))
            self._title = None
        elif tag in ("use", "path", "circle"):
            self._region = None

    def handle_data(self, data):
        if self._cell is not None and not self._code:  # a region's code beside its name
            self._cell.append(data)
        if self._title is not None:
            self._title.append(data)


def number(text: str) -> int:
    return int(re.sub(r"[^\d]", "", text))


def get(console_client, user, query: str = "") -> tuple[object, Page]:
    response = console_client(user).get(URL + query)
    assert response.status_code == 200
    return response, Page(response.content.decode())


def test_url_name_and_route():
    assert reverse("console:evidence") == URL


@pytest.mark.parametrize("role", ["analyst", "coordinator"])
def test_analyst_and_coordinator_open_the_dashboard(world, console_client, role):
    response, page = get(console_client, world[role])
    assert number(page.totals["kind"]) == VERIFIED_TOTAL
    assert response["Content-Type"].startswith("text/html")


@pytest.mark.parametrize("role", ["reviewer", "custodian", "administrator", "partner_reviewer"])
def test_other_roles_are_refused(world, console_client, role):
    assert console_client(world[role]).get(URL).status_code == 403


def test_anonymous_is_sent_to_log_in(world, client):
    response = client.get(URL)
    assert response.status_code == 302
    assert "/console/login/" in response["Location"]


def test_internal_view_shows_exact_counts(world, console_client):
    _response, page = get(console_client, world["analyst"])
    regions = page.tables["region"]
    assert number(regions["Moscow (federal city)"]) == 13
    assert number(regions["Moscow Oblast"]) == 2
    assert number(regions["Tashkent City"]) == 1
    assert number(regions["Unknown"]) == 1
    assert {number(v) for v in page.tables["kind"].values()} == {15, 2, 6, 3}
    months = {k: number(v) for k, v in page.tables["month"].items()}
    assert months == {"January 2025": 9, "February 2025": 6, "March 2025": 7, "April 2025": 4}
    # Counted from Report.perpetrator_mask: each report once under each of its perpetrators.
    perpetrators = {k: number(v) for k, v in page.tables["perpetrator"].items()}
    expected = {
        aggregates.dimension_label("perpetrator", code, "en"): sum(row[-1] for row in WORLD if code in row[4])
        for code in {code for row in WORLD for code in row[4]}
    }
    assert perpetrators == expected
    assert perpetrators[aggregates.dimension_label("perpetrator", "fsb", "en")] == 4
    # The map: a shape coloured by class, its title naming the region and the count.
    classes, title = page.regions["RU.47"]
    assert "ev-sup" not in classes
    assert "ev-none" not in classes
    assert title == "Moscow Oblast: 2 reports"
    # A region with no shape of its own (Abai, 2022) is a dot with its count.
    classes, title = page.regions["KZ.12510143"]
    assert title.endswith(": 3 reports")
    assert page.regions["RU.01"][0].split()[-1] == "ev-none"


@pytest.mark.parametrize("audience", ["partner", "public"])
def test_partner_and_public_never_show_a_count_under_k(world, console_client, settings, audience):
    settings.EVIDENCE_K_PARTNER = 3
    settings.EVIDENCE_K_PUBLIC = 5
    k = 3 if audience == "partner" else 5
    response, page = get(console_client, world["analyst"], f"?audience={audience}")
    html = response.content.decode()
    shown = [v for table in page.tables.values() for v in table.values()] + list(page.totals.values())
    published = [number(v) for v in shown if v != "suppressed"]
    assert published, "something is published"
    assert min(published) >= k
    assert "suppressed" in shown
    # Small regions are hatched on the map, and their titles do not give the count away.
    for region in ("RU.47", "UZ.13"):
        classes, title = page.regions[region]
        assert "ev-sup" in classes.split()
        assert title.endswith(": suppressed")
    # Exactly what that destination gets from published_table.
    table = aggregates.published_table(
        reports=aggregates.evidence_reports(world["analyst"]),
        filters=aggregates.EvidenceFilters(),
        rows="region",
        destination=audience,
    )
    expected = {key: value for (key, _c), value in table.cells.items()}
    assert page.tables["region"]["Moscow (federal city)"] == str(expected["RU.48"])
    assert len(page.tables["region"]) == len(expected)
    assert f"Counts under {k} are suppressed" in html


def test_internal_is_the_default_and_unknown_audience_falls_back(world, console_client):
    _r, page = get(console_client, world["analyst"], "?audience=everyone")
    assert number(page.tables["region"]["Moscow Oblast"]) == 2


@pytest.mark.parametrize(
    ("query", "total"),
    [
        ("?region=RU.48", 13),
        ("?kind=detention", 2),
        ("?nationality=UZ", 12),
        ("?perpetrator=fsb", 4),
        ("?month_from=2025-02&month_to=2025-03", 13),
        ("?state=verified&state=new", VERIFIED_TOTAL + 1),
        ("?country=KZ", 3),
    ],
)
def test_filters_are_applied(world, console_client, query, total):
    _response, page = get(console_client, world["analyst"], query)
    assert number(page.totals["kind"]) == total


def test_filters_keep_their_values_in_the_form(world, console_client):
    response, _page = get(
        console_client, world["analyst"], "?region=RU.48&kind=raid&state=new&audience=partner"
    )
    html = response.content.decode()
    assert '<option value="RU.48" selected>' in html
    assert '<option value="raid" selected>' in html
    assert 'name="state" value="new" checked' in html
    assert 'name="audience" value="partner" checked' in html


def test_garbage_filters_are_ignored_not_errors(world, console_client):
    _response, page = get(
        console_client, world["analyst"], "?region=<script>&kind=x'&month_from=2025-13&tag=nope&state=zzz"
    )
    assert number(page.totals["kind"]) == VERIFIED_TOTAL


def test_other_organisations_reports_are_not_counted(world, console_client):
    from testimony.accounts.models import Caseload

    partner = world["partner_reviewer"].organisation
    stored_report(
        month="2025-01",
        kind="raid",
        country="RU",
        region="RU.48",
        nationality="",
        perpetrators=["police"],
        caseload=Caseload.objects.create(organisation=partner, name="P"),
    )
    _response, page = get(console_client, world["analyst"])
    assert number(page.totals["kind"]) == VERIFIED_TOTAL


def test_page_needs_no_inline_style_script_or_outside_resource(world, console_client):
    response, _page = get(console_client, world["analyst"], "?audience=partner")
    html = response.content.decode()
    assert "style=" not in html
    assert "<script>" not in html
    assert "<script " not in html.replace('<script src="/static/', "")
    outside = [url for url in re.findall(r"""(?:src|href)=["']([^"']+)""", html) if "://" in url]
    assert outside == []


def test_the_two_maps_carry_the_shapes_once(world, console_client):
    from testimony.evidence import geography

    response, page = get(console_client, world["analyst"])
    html = response.content.decode()
    # Both maps are there, each drawing its regions from the one set of shapes.
    assert 'id="ev-map-west"' in html
    assert 'id="ev-map-all"' in html
    assert html.count('<svg class="ev-shapes"') == 1
    assert html.count('id="ev-hatch"') == 1
    for rid in ("RU.48", "RU.47", "UZ.13"):
        assert html.count(f'id="ev-r-{rid}"') == 1
        assert html.count(f'href="#ev-r-{rid}"') == 2  # the west and the whole
    assert html.count('href="#ev-r-RU.15"') == 1  # Chukotka: only on the whole map
    shape = geography._compact_path(geography.map_data()["regions"]["RU.66"]["path"])
    assert html.count(shape) == 1
    assert page.regions["RU.47"][1] == "Moscow Oblast: 2 reports"


def test_empty_world_says_so(personas, console_client):
    _response, page = get(console_client, personas["analyst"])
    assert page.tables == {}
    assert page.regions["RU.48"][1].endswith(": none")


def test_in_russian_names_and_numbers_follow_the_console_language(world, console_client):
    analyst = world["analyst"]
    analyst.console_language = "ru"
    analyst.save(update_fields=["console_language"])
    response, page = get(console_client, analyst)
    html = response.content.decode()
    assert '<html lang="ru">' in html
    assert number(page.tables["region"]["г. Москва"]) == 13
    assert page.regions["RU.48"][1].startswith("г. Москва: ")
    # SVG coordinates are never localised ("1,5" would break the paths).
    assert not re.search(r'\b(?:cx|cy|r)="[^"]*,', html)


def test_link_to_exports_keeps_the_filters_it_shares(world, console_client):
    response, _page = get(console_client, world["analyst"], "?kind=raid&region=RU.48")
    html = response.content.decode()
    exports = reverse("console:evidence_exports")
    assert f'href="{exports}?kind=raid&amp;state=verified"' in html


@pytest.mark.parametrize(("role", "tokens_link"), [("coordinator", True), ("analyst", False)])
def test_links_to_the_other_evidence_pages_by_permission(world, console_client, role, tokens_link):
    response, _page = get(console_client, world[role])
    html = response.content.decode()
    assert reverse("console:evidence_exports") in html
    assert reverse("console:evidence_package_new") in html
    assert (reverse("console:evidence_partners") in html) is tokens_link
