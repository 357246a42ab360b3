"""Routing reports to caseloads in Chromium: one from its page, many from the queue.

Issue 4: a coordinator of the intake organisation opens an unrouted report, routes it to a
caseload with the report page's form and reads the change in its history; a reviewer limited to
that caseload then finds it in the queue, a reviewer limited to another caseload neither sees it
there nor can open it. Then a bulk route over a filtered queue, followed on the job's page until
it is done, and the queue's caseload filter shows the routed reports. A caseload named like
markup is offered in every form and stays text.
"""

from __future__ import annotations

import pytest

from tests.browser.conftest import screenshot
from tests.browser.helpers import log_in, person
from tests.browser.test_console import assert_inert, click_and_wait, watched_page
from tests.browser.test_organisations import unnamed

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HOSTILE_CASELOAD = '"><svg onload=alert(1)><img src=x onerror=alert(2)>'


@pytest.fixture
def world(db):
    """The intake organisation, its caseloads and the people of this story."""
    from testimony.accounts.models import Caseload, Organisation

    intake = Organisation.objects.create(name="Intake organisation", receives_intake=True)
    moscow = Caseload.objects.create(organisation=intake, name="Moscow raids")
    detention = Caseload.objects.create(organisation=intake, name="Detention")
    Caseload.objects.create(organisation=intake, name=HOSTILE_CASELOAD)
    coordinator = person("nodira", "coordinator", intake)
    rustam = person("rustam", "reviewer", intake)
    rustam[0].caseloads.set([moscow])
    jamshid = person("jamshid", "reviewer", intake)
    jamshid[0].caseloads.set([detention])
    return {
        "moscow": moscow,
        "detention": detention,
        "coordinator": coordinator,
        "moscow_reviewer": rustam,
        "detention_reviewer": jamshid,
    }


@pytest.fixture
def new_page(browser, live_server):
    """``new_page()``: a laptop-sized page in a context of its own (one per person logged in),
    watching for dialogs, CSP violations and requests leaving the site, as ``console`` does."""
    pages = []

    def make():
        pages.append(watched_page(browser, live_server.url))
        return pages[-1]

    yield make
    for page in pages:
        page.context.close()


def queue_rows(page) -> set[str]:
    """The report ids listed in the queue's table."""
    return {
        row_id.removeprefix("row-")
        for row_id in page.locator("tr[data-row]").evaluate_all("rows => rows.map(row => row.id)")
    }


def test_a_routed_report_reaches_its_caseload_and_no_other(new_page, live_server, world):
    from testimony.audit.models import AuditEntry
    from testimony.review.models import Report
    from tests.unit.conftest import make_report

    report = make_report()
    moscow = world["moscow"]

    # The coordinator opens the report from the queue: it is not routed yet.
    page = new_page()
    log_in(page, live_server.url, *world["coordinator"])
    click_and_wait(page, f"#row-{report.pk} a[data-open]")
    assert page.url == f"{live_server.url}/console/reports/{report.pk}/"
    assert "Caseload: unrouted" in page.inner_text(".report-head")
    routing = page.locator("#routing")
    assert "Unrouted (no caseload)" in routing.locator("p").first.inner_text()
    # The form offers the intake organisation's open caseloads, and unrouted (the intake's own).
    select = routing.locator("select[name=caseload]")
    assert select.locator("option").all_inner_texts() == [
        "Unrouted (no caseload)",
        HOSTILE_CASELOAD,
        "Detention",
        "Moscow raids",
    ]
    # The select's label is hidden on the page (the card's title says it), but it has one.
    assert page.get_by_label("Route to caseload").count() == 1

    # Route it with the form; the page comes back with the new caseload and its history.
    select.select_option(str(moscow.pk))
    click_and_wait(page, "#routing form.route-form button[type=submit]")
    assert page.url == f"{live_server.url}/console/reports/{report.pk}/#routing"
    assert "Caseload: Moscow raids" in page.inner_text(".report-head")
    assert routing.locator("p").first.inner_text() == "Moscow raids"
    assert routing.locator("select[name=caseload]").input_value() == str(moscow.pk)
    assert Report.objects.get(pk=report.pk).caseload_id == moscow.pk
    latest = page.locator("#history ol.history li").first.inner_text()
    assert "nodira changed the caseload" in latest
    entry = AuditEntry.objects.get(action="report.route", object_id=str(report.pk))
    assert entry.details["from"] is None
    assert entry.details["to"] == moscow.pk
    screenshot(page, "routing-report-routed")
    assert_inert(page)

    # "Route with a note…": its own page, every field labelled; the same caseload again changes
    # nothing (no second history entry), and the note is not silently dropped: the page says so.
    click_and_wait(page, "#routing a[href$='/route/']")
    assert "Now: Moscow raids" in page.inner_text("main")
    assert unnamed(page) == []
    page.get_by_label("Note (optional; shown in the report’s history, stored encrypted)").fill("Тот же рынок")
    click_and_wait(page, "#routing button[type=submit]")
    assert AuditEntry.objects.filter(action="report.route", object_id=str(report.pk)).count() == 1
    assert page.url.endswith(f"/console/reports/{report.pk}/route/")
    assert "already in this caseload" in page.inner_text("main")
    assert_inert(page)

    # The reviewer limited to that caseload finds it in the queue and opens it.
    page = new_page()
    log_in(page, live_server.url, *world["moscow_reviewer"])
    assert queue_rows(page) == {str(report.pk)}
    click_and_wait(page, f"#row-{report.pk} a[data-open]")
    assert "Caseload: Moscow raids" in page.inner_text(".report-head")
    assert page.locator("#routing form.route-form").count() == 0  # reviewers do not route
    assert_inert(page)

    # The reviewer limited to another caseload sees an empty queue, and the report is not found.
    page = new_page()
    log_in(page, live_server.url, *world["detention_reviewer"])
    assert queue_rows(page) == set()
    assert "No reports yet." in page.inner_text("#queue-results")
    # Only their own caseload is offered as a filter (other caseloads' names stay off the page).
    options = page.locator("#queue-filters select[name=caseload] option").all_inner_texts()
    assert options == ["Any", "Detention"]
    response = page.goto(f"{live_server.url}/console/reports/{report.pk}/")
    assert response.status == 404
    assert "Moscow raids" not in page.content()
    assert_inert(page)


def test_a_bulk_route_over_a_filtered_queue(new_page, live_server, world, monkeypatch):
    from testimony.review.models import BulkJob, Report
    from testimony.review.services import bulk
    from tests.unit.conftest import make_report

    detention = world["detention"]
    held = [make_report(kind="detention") for _ in range(3)]
    raid = make_report(kind="raid")
    elsewhere = make_report(kind="detention", caseload=world["moscow"])
    # A worker takes the job later, as in production (unit settings would run it at once).
    enqueued: list = []
    monkeypatch.setattr(bulk, "_enqueue", enqueued.append)

    page = new_page()
    log_in(page, live_server.url, *world["coordinator"])
    assert queue_rows(page) == {str(r.pk) for r in [*held, raid, elsewhere]}

    # Filter: detention reports not routed yet (HTMX swaps the results on each change).
    with page.expect_response(lambda response: "kind=detention" in response.url):
        page.select_option("#queue-filters select[name=kind]", "detention")
    with page.expect_response(lambda response: "caseload=none" in response.url):
        page.select_option("#queue-filters select[name=caseload]", "none")
    page.wait_for_function("document.querySelectorAll('tr[data-row]').length === 3")
    assert queue_rows(page) == {str(r.pk) for r in held}
    screenshot(page, "routing-queue-filtered")

    # The bulk action over every matching report: the confirmation counts and names the filters.
    click_and_wait(page, "#queue-results button[name=scope][value=all]")
    main = page.inner_text("main")
    assert "This applies to 3 reports" in main
    summary = page.locator("ul.filter-summary").inner_text()
    assert "Kind: Conditions in detention or a deportation centre" in summary
    assert "Caseload: Unrouted (no caseload)" in summary
    page.get_by_label("Route to a caseload").check()
    targets = page.get_by_label("Route to caseload")
    assert targets.locator("option").all_inner_texts() == [
        "—",
        "Unrouted (no caseload)",
        HOSTILE_CASELOAD,
        "Detention",
        "Moscow raids",
    ]
    targets.select_option(str(detention.pk))
    page.get_by_label("Note (for a state change or a routing; required to reject)").fill(
        "Все про депортационные центры"
    )
    assert unnamed(page) == []
    screenshot(page, "routing-bulk-confirm")
    assert_inert(page)
    click_and_wait(page, "form.bulk-form button[type=submit]")

    # The job's page: queued until a worker runs it, then done, without reloading the page.
    job = BulkJob.objects.get()
    assert enqueued == [job.pk]
    assert page.url == f"{live_server.url}/console/queue/bulk/{job.pk}/"
    progress = page.locator("#bulk-progress")
    assert progress.locator("strong").inner_text() == "Queued"
    assert "0 changed, 0 skipped, of 3." in progress.inner_text()
    page.evaluate("window.__samePage = true")
    assert bulk.bulk_job_run(job_id=job.pk) == "done"
    page.wait_for_selector("#bulk-progress:not([hx-get])", timeout=10_000)  # polling stops
    assert progress.locator("strong").inner_text() == "Done"
    assert "3 changed, 0 skipped, of 3." in progress.inner_text()
    assert progress.locator("progress").get_attribute("value") == "3"
    assert page.evaluate("window.__samePage") is True
    screenshot(page, "routing-bulk-done")
    assert_inert(page)

    # Only the matching reports moved.
    assert set(Report.objects.filter(caseload=detention).values_list("pk", flat=True)) == {r.pk for r in held}
    assert Report.objects.get(pk=raid.pk).caseload_id is None
    assert Report.objects.get(pk=elsewhere.pk).caseload_id == world["moscow"].pk

    # The queue's caseload filter shows them.
    click_and_wait(page, "main a[href='/console/queue/']")
    with page.expect_response(lambda response: f"caseload={detention.pk}" in response.url):
        page.select_option("#queue-filters select[name=caseload]", str(detention.pk))
    page.wait_for_function("document.querySelectorAll('tr[data-row]').length === 3")
    assert queue_rows(page) == {str(r.pk) for r in held}
    assert f"caseload={detention.pk}" in page.url  # the filter is in the address, to share or reload
    page.reload()
    assert page.locator("#queue-filters select[name=caseload]").input_value() == str(detention.pk)
    assert queue_rows(page) == {str(r.pk) for r in held}
    screenshot(page, "routing-queue-caseload-filter")

    # Each report's history says it was routed, by whom, with the sealed note opened.
    page.goto(f"{live_server.url}/console/reports/{held[0].pk}/")
    latest = page.locator("#history ol.history li").first.inner_text()
    assert "nodira changed the caseload" in latest
    assert "Все про депортационные центры" in latest
    assert "Caseload: Detention" in page.inner_text(".report-head")
    assert_inert(page)

    # The reviewer limited to Detention now has exactly these in the queue.
    page = new_page()
    log_in(page, live_server.url, *world["detention_reviewer"])
    assert queue_rows(page) == {str(r.pk) for r in held}
    assert_inert(page)
