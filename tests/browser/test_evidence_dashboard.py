"""The evidence dashboard in Chromium: an analyst logs in with password and TOTP, the dashboard
and its map render from the server alone (every request goes to the live server's origin), the
partner view hides small cells, the page works without JavaScript and fits a phone. And the way
into exports from the queue: a coordinator's "Export these" follows the filters as HTMX changes
them and opens the export form filled with them.

Screenshots go under the test's tmp dir (``pytest --basetemp DIR`` keeps them somewhere known).
"""

from __future__ import annotations

import re

import pytest

from tests.browser.helpers import log_in, person
from tests.browser.test_console import WATCH

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DASHBOARD = r".*/console/evidence/$"  # where an analyst lands after logging in
LAPTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}
# How many points of a 10 × 10 grid over a box land on the given region (through its <use>).
HITS = """({box, region}) => {
  let n = 0;
  for (let i = 0.05; i < 1; i += 0.1) for (let j = 0.05; j < 1; j += 0.1) {
    const e = document.elementFromPoint(box.x + i * box.width, box.y + j * box.height);
    if (e && e.dataset.region === region) n += 1;
  }
  return n;
}"""
# (region, country, nationality, kind, perpetrators, tags); months are spread over a year below.
PROFILES = [
    ("RU.48", "RU", "UZ", "raid", ["police"], ["raid_market"]),
    ("RU.48", "RU", "TJ", "raid", ["police", "migration_service"], ["raid_home"]),
    ("RU.47", "RU", "UZ", "detention", ["detention_staff"], []),
    ("RU.66", "RU", "KG", "recruitment", ["military_recruiters"], ["recruitment_in_detention"]),
    ("RU.78", "RU", "TJ", "raid", ["police"], ["raid_market"]),
    ("RU.73", "RU", "UZ", "detention", ["police"], []),
    ("RU.54", "RU", "KZ", "other", ["employer"], []),
    ("RU.15", "RU", "UZ", "recruitment", ["military_recruiters"], []),
    ("UZ.13", "UZ", "UZ", "raid", ["police"], []),
    ("KZ.12510143", "KZ", "KZ", "other", ["unknown"], []),
    ("KG.GO", "KG", "KG", "raid", ["police"], []),
]
TAGS = {
    "raid_market": "At a market",
    "raid_home": "At home",
    "recruitment_in_detention": "Recruiters in detention",
}
# How many reports each profile gets: Moscow dominates, some regions stay under k.
WEIGHTS = [40, 18, 9, 12, 7, 6, 2, 3, 8, 1, 4]


@pytest.fixture
def analyst(db):
    from testimony.accounts.models import Organisation

    organisation = Organisation.objects.create(name="Intake organisation", receives_intake=True)
    return person("dilnoza", "analyst", organisation)


@pytest.fixture
def seeded(analyst):
    """Verified reports across regions and the twelve months of 2025, as the worker stores them."""
    from testimony.review.models import Tag
    from tests.unit.evidence.test_aggregates import stored_report

    # The tags this world uses, whatever the seeded taxonomy holds.
    tags = {
        slug: Tag.objects.get_or_create(slug=slug, defaults={"labels": {"en": label}})[0]
        for slug, label in TAGS.items()
    }
    serial = 0
    for profile, weight in zip(PROFILES, WEIGHTS, strict=True):
        region, country, nationality, kind, perpetrators, slugs = profile
        for _ in range(weight):
            serial += 1
            stored_report(
                month=f"2025-{serial % 12 + 1:02d}",
                kind=kind,
                country=country,
                region=region,
                nationality=nationality,
                perpetrators=perpetrators,
                tags=[tags[slug] for slug in slugs],
            )
    return sum(WEIGHTS)


@pytest.fixture
def laptop(browser, live_server):
    context = browser.new_context(viewport=LAPTOP)
    context.add_init_script(WATCH)
    page = context.new_page()
    page.requests_seen = []
    page.on("request", lambda request: page.requests_seen.append(request.url))
    yield page
    context.close()


def assert_only_own_origin(page, live_server) -> None:
    assert page.requests_seen, "the page made requests"
    outside = [url for url in page.requests_seen if not url.startswith(live_server.url + "/")]
    assert outside == [], f"requests left the site: {outside}"
    assert page.evaluate("window.__cspViolations") == []


def test_dashboard_and_map_render_with_no_outside_request(laptop, live_server, analyst, seeded, tmp_path):
    user, device = analyst
    page = laptop
    log_in(page, live_server.url, user, device, lands_on=DASHBOARD)
    page.wait_for_selector("svg.ev-map-svg")

    # The maps: the whole with every region's shape, the west in detail; coloured where there
    # are reports, a title on each.
    whole, west = page.locator("#ev-map-all"), page.locator("#ev-map-west")
    assert whole.locator("use.ev-region").count() == 126
    assert 60 < west.locator("use.ev-region").count() < 126
    assert whole.locator("use.ev-region.ev-none").count() == 126 - 8
    moscow = west.locator("use[data-region='RU.48']")
    assert moscow.get_attribute("class").split()[-1] == "ev-q5"
    assert moscow.locator("title").text_content() == "Moscow (federal city): 58 reports"
    assert whole.locator("use[data-region='RU.15'] title").text_content().endswith(": 3 reports")
    # Each map draws the shared shapes (<use>, defined once in the hidden .ev-shapes): a region
    # is painted where it lies, in its class colour, and the hidden shapes take no room.
    assert page.locator("svg.ev-shapes").count() == 1
    assert page.locator("svg.ev-shapes").bounding_box()["height"] == 0
    for svg in (whole, west):
        region = svg.locator("use[data-region='RU.78']")
        box = region.bounding_box()
        assert box["width"] > 10
        assert box["height"] > 10
        # Most of its box (a 10 × 10 grid) is the region itself: the shape is painted there.
        hits = page.evaluate(HITS, {"box": box, "region": "RU.78"})
        assert hits >= 30, hits
        fill = region.evaluate("e => getComputedStyle(e).fill")
        assert fill == "rgb(65, 182, 196)"  # .ev-q3
    # Drawn at a useful size, not collapsed.
    for svg in (whole, west):
        box = svg.bounding_box()
        assert box["width"] > 550
        assert box["height"] > 400
    # Totals and the trend.
    assert page.locator(".ev-total strong").inner_text().replace(",", "").replace("\u00a0", "") == str(seeded)
    assert page.locator(".ev-trend .ev-col.h0").count() == 0
    assert page.locator(".ev-trend .ev-col").count() == 12
    assert_only_own_origin(page, live_server)
    page.screenshot(path=str(tmp_path / "evidence-dashboard-laptop.png"), full_page=True)
    west.screenshot(path=str(tmp_path / "evidence-map-west.png"))

    # Shown as a partner would get it: no number under k, small regions hatched.
    page.check("input[name=audience][value=partner]")
    with page.expect_navigation():
        page.click(".ev-filters button[type=submit]")
    assert "audience=partner" in page.url
    numbers = [
        int(re.sub(r"\D", "", text))
        for text in page.locator(".ev-table td.ev-n").all_inner_texts()
        if re.search(r"\d", text)
    ]
    assert numbers
    assert min(numbers) >= 5
    assert page.locator(".ev-table td[data-suppressed]").count() > 0
    assert "ev-sup" in page.locator("#ev-map-west use[data-region='RU.54']").get_attribute("class")
    assert page.locator("#ev-map-west use[data-region='RU.54'] title").text_content().endswith(": suppressed")
    assert_only_own_origin(page, live_server)
    page.screenshot(path=str(tmp_path / "evidence-dashboard-partner.png"), full_page=True)


def test_dashboard_on_a_phone_without_javascript(browser, live_server, analyst, seeded, tmp_path):
    user, device = analyst
    # Log in with JavaScript (the login page may use it), then read the dashboard without it.
    context = browser.new_context(viewport=LAPTOP)
    page = context.new_page()
    log_in(page, live_server.url, user, device, lands_on=DASHBOARD)
    cookies = context.cookies()
    context.close()

    context = browser.new_context(viewport=PHONE, java_script_enabled=False, is_mobile=True)
    context.add_cookies(cookies)
    page = context.new_page()
    page.requests_seen = []
    page.on("request", lambda request: page.requests_seen.append(request.url))
    page.goto(f"{live_server.url}/console/evidence/")
    # Filter by a region with the plain form.
    page.select_option("select[name=region]", "RU.48")
    with page.expect_navigation():
        page.click(".ev-filters button[type=submit]")
    assert "region=RU.48" in page.url
    assert page.locator(".ev-total strong").inner_text() == "58"
    # Nothing wider than the screen but the tables' own scrolling boxes.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert page.locator("#ev-map-all use.ev-region").count() == 126
    outside = [url for url in page.requests_seen if not url.startswith(live_server.url + "/")]
    assert outside == []
    page.screenshot(path=str(tmp_path / "evidence-dashboard-phone.png"), full_page=True)
    context.close()


def test_export_these_from_the_queue_opens_the_export_form_with_its_filters(
    browser, live_server, analyst, seeded, tmp_path
):
    analyst_user, _device = analyst
    coordinator, device = person("aziza", "coordinator", analyst_user.organisation)
    context = browser.new_context(viewport=LAPTOP)
    context.add_init_script(WATCH)
    page = context.new_page()
    page.requests_seen = []
    page.on("request", lambda request: page.requests_seen.append(request.url))
    log_in(page, live_server.url, coordinator, device, lands_on=r".*/console/(?!verify/).*")

    page.goto(f"{live_server.url}/console/queue/?kind=raid")
    link = page.locator("a[data-export-these]")
    assert link.get_attribute("href").endswith("/console/evidence/exports/?kind=raid")
    # Filters changed in place (HTMX swaps the results): the link follows them.
    page.select_option("#queue-filters select[name=kind]", "detention")
    page.wait_for_function(
        "() => document.querySelector('a[data-export-these]').href.includes('kind=detention')"
    )
    page.fill("#queue-filters input[name=q]", "рынок & ОМОН")
    page.select_option("#queue-filters select[name=state]", "verified")
    page.wait_for_function(
        "() => document.querySelector('a[data-export-these]').href.includes('state=verified')"
    )
    page.click("#queue-filters button[type=submit]")
    page.wait_for_function("() => document.querySelector('a[data-export-these]').href.includes('q=')")
    # The submit's own URL change must be over before the link is followed: waited for by the
    # link's navigation instead, a late one was taken for it on a busy machine.
    page.wait_for_url(re.compile(r".*/console/queue/\?.*q=.*"))

    page.screenshot(path=str(tmp_path / "queue-export-these.png"))
    page.click("a[data-export-these]")
    page.wait_for_url(re.compile(r".*/console/evidence/exports/.*"))
    form = page.locator("form.export-form")
    assert form.locator("select[name=kind]").input_value() == "detention"
    assert form.locator("select[name=state]").input_value() == "verified"
    assert form.locator("input[name=q]").input_value() == "рынок & ОМОН"
    assert_only_own_origin(page, live_server)
    page.screenshot(path=str(tmp_path / "export-from-queue.png"), full_page=True)
    context.close()
