"""The reviewer console in Chromium: a reviewer's day, and hostile submissions that must stay inert.

Issue 4, "Browser": log in with password and TOTP; triage a report, correct a redaction, accept a
tag, link two reports into a case, message the submitter and read the answer on the follow-up
page; script tags, event handlers, ``javascript:`` links and SVG in the narrative, tags, comments
and messages run nothing: no dialog opens and no script from them executes.
"""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import open_followup, reply_on_followup, screenshot
from tests.browser.helpers import PASSWORD, log_in
from tests.conftest import valid_report

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LAPTOP = {"width": 1280, "height": 860}
TABLET = {"width": 820, "height": 1180}

HOSTILE = (
    '<script>window.__pwned = "script"; alert("script")</script>'
    "<img src=x onerror=\"window.__pwned = 'img'; alert('img')\">"
    " <a href=\"javascript:alert('link')\">жми</a>"
    ' <svg onload="alert(\'svg\')"><script>alert("svg-script")</script></svg>'
)
# Recorded before any page script runs; init scripts are Playwright's, not subject to the page's CSP.
WATCH = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', e => window.__cspViolations.push(
  {directive: e.violatedDirective, blocked: e.blockedURI, sample: e.sample}));
"""


@pytest.fixture
def reviewer(db):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from testimony.accounts.models import Organisation, User

    organisation = Organisation.objects.create(name="Intake organisation", receives_intake=True)
    user = User.objects.create(username="rustam", role="reviewer", organisation=organisation)
    user.set_password(PASSWORD)
    user.save()
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    return user, device


def submit(account: str, **overrides) -> tuple[str, object]:
    """A submission through the real intake service, processed by the (eager) worker."""
    from testimony.intake.services import submission_create_from_report
    from testimony.review.models import Report

    created = submission_create_from_report(report=valid_report(account=account, **overrides), attachments=[])
    return created.receipt, Report.objects.get(submission_id=created.submission.id)


def watched_page(browser, base_url: str):
    """A laptop-sized page in a context of its own that records dialogs (``page.dialogs``), CSP
    violations (``WATCH``) and requests leaving ``base_url`` (``page.external``), for
    ``assert_inert``. Close its ``page.context`` when done."""
    context = browser.new_context(viewport=LAPTOP)
    context.add_init_script(WATCH)
    page = context.new_page()
    page.dialogs = []
    page.on("dialog", lambda dialog: (page.dialogs.append(dialog.message), dialog.dismiss()))
    page.external = []

    def note_external(request) -> None:
        if not request.url.startswith(base_url):
            page.external.append(request.url)

    page.on("request", note_external)
    return page


@pytest.fixture
def console(browser, live_server):
    page = watched_page(browser, live_server.url)
    yield page
    page.context.close()


def click_and_wait(page, selector: str) -> None:
    with page.expect_navigation():
        page.click(selector)


def assert_inert(page) -> None:
    assert page.dialogs == [], f"a dialog opened: {page.dialogs}"
    assert page.evaluate("window.__pwned") is None
    # Blocked inline handlers would show as violations of script-src; nothing may even try.
    violations = page.evaluate("window.__cspViolations")
    assert violations == [], f"CSP violations: {violations}"
    assert page.external == [], f"requests left the site: {page.external}"


def test_a_reviewers_day(console, live_server, reviewer):
    from testimony.review.models import CaseReport, Report, ReportTag

    user, device = reviewer
    receipt, report = submit("Меня зовут Фаррух Ахмедов. Вчера ОМОН устроил облаву на рынке в Москве.")
    _other_receipt, other = submit("На том же рынке в Москве вчера задержали моего брата.")
    page = console

    # Log in with password and TOTP; the queue shows the new reports.
    log_in(page, live_server.url, user, device)
    assert page.locator(f"a[href*='{report.pk}']").count() >= 1
    screenshot(page, "console-queue")

    # Triage: open the report, take it into review.
    page.goto(f"{live_server.url}/console/reports/{report.pk}/")
    assert "[PERSON 1]" in page.inner_text("#text")
    assert "Фаррух" not in page.inner_text("#text")
    page.goto(f"{live_server.url}/console/queue/{report.pk}/state/")
    page.select_option("select[name=state]", "in_review")
    click_and_wait(page, "main form button[type=submit]")
    assert Report.objects.get(pk=report.pk).state == "in_review"

    # Correct a redaction: the person is really an address here → relabel, then check the text.
    page.goto(f"{live_server.url}/console/reports/{report.pk}/")
    page.select_option("#redactions select[name=label]", "ADDRESS")
    click_and_wait(page, "#redactions form[action$='relabel/'] button[type=submit]")
    assert "[ADDRESS 1]" in page.inner_text("#text")

    # Accept the suggested tag.
    click_and_wait(page, "#tags button[name=decision][value=accepted]")
    assert ReportTag.objects.filter(report=report, status="accepted").exists()

    # Message the submitter (the thread loads with HTMX inside the report page).
    page.wait_for_selector("#contact-text")
    page.fill("#contact-text", "Спасибо. Вы были там одни?")
    page.click("form[action$='contact/send/'] button[type=submit]")
    page.wait_for_selector("text=Спасибо. Вы были там одни?")
    screenshot(page, "console-report")

    # Link the two reports into a case.
    page.goto(f"{live_server.url}/console/cases/new/?report={report.pk}&also={other.pk}")
    page.fill("input[name=title]", "Облава на рынке")
    page.click("form.case-form button[type=submit]")
    page.wait_for_url(re.compile(r".*/console/cases/\d+/$"))
    assert set(CaseReport.objects.values_list("report_id", flat=True)) == {report.pk, other.pk}
    screenshot(page, "console-case")

    # The submitter reads the message with the receipt and answers; the answer reaches the report.
    submitter = page.context.browser.new_context(viewport={"width": 390, "height": 844})
    phone = submitter.new_page()
    open_followup(phone, live_server.url, receipt)
    assert "Спасибо. Вы были там одни?" in phone.inner_text(".thread")
    reply_on_followup(phone, "Нет, нас было пятеро.")
    submitter.close()

    page.goto(f"{live_server.url}/console/reports/{report.pk}/contact/")
    assert "Нет, нас было пятеро." in page.inner_text("main")
    assert_inert(page)


def test_hostile_submissions_are_inert_everywhere(console, live_server, reviewer):
    from testimony.review.models import Report

    user, device = reviewer
    receipt, report = submit(f"Полиция пришла на рынок. {HOSTILE}")
    # A tag suggestion that is not in the taxonomy is shown as it came.
    Report.objects.filter(pk=report.pk).update(suggested_tags=["raid", HOSTILE])
    page = console
    log_in(page, live_server.url, user, device)

    page.goto(f"{live_server.url}/console/reports/{report.pk}/")
    page.fill("#comment-body", HOSTILE)
    click_and_wait(page, "form[action$='comments/'] button[type=submit]")
    page.wait_for_selector("#contact-text")
    page.fill("#contact-text", HOSTILE)
    page.click("form[action$='contact/send/'] button[type=submit]")
    # The follow-up page shows a thread only once the message exists: wait for it, not a fixed time.
    page.wait_for_selector("#contact li.message.to-submitter", timeout=10_000)

    # The submitter answers with the same payload.
    submitter = page.context.browser.new_context()
    phone = submitter.new_page()
    phone.on("dialog", lambda dialog: (page.dialogs.append("followup: " + dialog.message), dialog.dismiss()))
    open_followup(phone, live_server.url, receipt)
    reply_on_followup(phone, HOSTILE)
    assert phone.evaluate("window.__pwned") is None
    submitter.close()

    pages = (f"/console/reports/{report.pk}/", "/console/queue/", f"/console/reports/{report.pk}/contact/")
    for path in pages:
        page.goto(f"{live_server.url}{path}")
        page.wait_for_timeout(300)  # let HTMX load the panels
        assert_inert(page)
    # The payload is visible as text, exactly as written.
    page.goto(f"{live_server.url}/console/reports/{report.pk}/")
    page.wait_for_selector("#contact form.contact-form")  # the reply correction forms are folded
    assert '<script>window.__pwned = "script"' in page.inner_text("#text")
    assert page.locator("main script, main svg, main img[src=x]").count() == 0
    page.set_viewport_size(TABLET)
    screenshot(page, "console-report-hostile-tablet")
    assert_inert(page)
