"""Organisations and caseloads in Chromium, as an administrator manages them.

Issue 4: from the console's navigation an administrator creates an organisation and a caseload
in it, moves a reviewer there and limits them to the caseload, renames it, is refused archiving
it while the reviewer is limited to it (the page says why), takes the reviewer out, archives and
reopens it; the audit log lists every step. Names typed as markup stay text everywhere they are
shown, and the create and rename forms work without JavaScript.
"""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import screenshot
from tests.browser.helpers import log_in, person
from tests.browser.test_console import assert_inert, click_and_wait, console  # noqa: F401 (fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HOSTILE_ORGANISATION = "<img src=x onerror=alert(1)>"
HOSTILE_CASELOAD = '"><svg onload=alert(1)>'
HOSTILE_RENAMED = "</td><script>alert('caseload')</script>"


@pytest.fixture
def intake(db):
    from testimony.accounts.models import Organisation

    return Organisation.objects.create(name="Intake organisation", receives_intake=True)


@pytest.fixture
def administrator(intake):
    return person("aziza", "administrator", intake)


@pytest.fixture
def reviewer_to_move(intake):
    """A reviewer of the intake organisation, not yet limited to any caseload."""
    from testimony.accounts.models import User

    return User.objects.create(username="bekzod", role="reviewer", organisation=intake)


# Form controls a screen reader would announce without a name, and column headers with no text
# (a visually hidden one counts: ``textContent``, not what is painted).
UNNAMED = """
() => [
  ...[...document.querySelectorAll('main input:not([type=hidden]), main select, main textarea')]
    .filter(c => c.labels.length === 0 && !c.getAttribute('aria-label') && !c.getAttribute('aria-labelledby'))
    .map(c => `${c.tagName.toLowerCase()}[name=${c.name}]`),
  ...[...document.querySelectorAll('main th')].filter(th => th.textContent.trim() === '')
    .map(th => `th #${th.cellIndex + 1} of ${th.closest('table').className}`),
]
"""


def unnamed(page) -> list[str]:
    return page.evaluate(UNNAMED)


def submit_in(page, form_selector: str) -> None:
    click_and_wait(page, f"{form_selector} button[type=submit]")


def status_text(page) -> str:
    return page.inner_text("main [role=status]")


def test_an_administrators_organisation_day(console, live_server, administrator, reviewer_to_move):  # noqa: F811
    from testimony.accounts.models import Caseload, Organisation
    from testimony.audit.models import AuditEntry

    page = console
    log_in(page, live_server.url, *administrator, lands_on=r".*/console/users/$")

    # Organisations, from the console's navigation.
    click_and_wait(page, "nav.nav a:text-is('Organisations')")
    assert page.url == f"{live_server.url}/console/organisations/"
    assert page.locator("nav.nav a[aria-current=page]").inner_text() == "Organisations"
    assert "Intake organisation" in page.inner_text("table.organisations")
    assert unnamed(page) == []

    # A new organisation: the field is labelled, and the page of the organisation opens.
    page.get_by_label("New organisation").fill("  Право   на защиту ")
    submit_in(page, "form.new-organisation")
    assert re.fullmatch(rf"{live_server.url}/console/organisations/\d+/\?done=created", page.url)
    assert page.inner_text("main h1") == "Право на защиту"  # spaces collapsed as stored
    assert status_text(page) == "Created."
    organisation = Organisation.objects.get(name="Право на защиту")
    organisation_url = f"{live_server.url}/console/organisations/{organisation.pk}/"
    assert "No caseload" in page.inner_text("table.caseloads")
    assert "No account belongs" in page.inner_text("table.users")

    # A caseload in it.
    new_caseload = "form[action$='/caseloads/']"
    page.fill(f"{new_caseload} input[name='caseload-name']", "Задержания")
    submit_in(page, new_caseload)
    caseload = Caseload.objects.get(organisation=organisation, name="Задержания")
    caseload_url = f"{live_server.url}/console/organisations/caseloads/{caseload.pk}/"
    assert page.url == f"{caseload_url}?done=caseload"
    assert page.inner_text("main h1") == "Задержания"
    assert "Caseload of Право на защиту" in page.inner_text("main")
    assert "No account is limited" in page.inner_text("table.users")

    # Move the reviewer into the organisation; the account now shows on its page.
    page.goto(organisation_url)
    move = "form[action$='/members/']"
    page.select_option(f"{move} select[name='member-user']", str(reviewer_to_move.pk))
    submit_in(page, move)
    assert status_text(page) == "The account is now in this organisation."
    members = page.inner_text("table.users")
    assert "bekzod" in members
    assert "whole organisation" in members
    reviewer_to_move.refresh_from_db()
    assert reviewer_to_move.organisation_id == organisation.pk
    assert unnamed(page) == []
    screenshot(page, "organisation-detail")

    # Put the reviewer into the caseload.
    page.click("table.caseloads a:text-is('Задержания')")
    page.wait_for_url(caseload_url)
    add = "form[action$='/members/add/']"
    page.select_option(f"{add} select[name='add-user']", str(reviewer_to_move.pk))
    submit_in(page, add)
    assert status_text(page) == "The account is now in this caseload."
    assert "bekzod" in page.inner_text("table.users")
    assert list(reviewer_to_move.caseloads.values_list("pk", flat=True)) == [caseload.pk]

    # Rename it.
    rename = f"form[action='/console/organisations/caseloads/{caseload.pk}/']"
    assert page.input_value(f"{rename} input[name=name]") == "Задержания"
    page.fill(f"{rename} input[name=name]", "Задержания и депортации")
    submit_in(page, rename)
    assert status_text(page) == "Renamed."
    assert page.inner_text("main h1") == "Задержания и депортации"
    assert page.title().startswith("Задержания и депортации")

    # Archiving is refused while the reviewer is limited to it, and the page says why.
    submit_in(page, "form[action$='/archive/']")
    refusal = page.inner_text("main [role=alert]")
    assert "1 account is still limited to this caseload" in refusal
    assert "Take it out of it first" in refusal
    caseload.refresh_from_db()
    assert caseload.archived_at is None
    assert unnamed(page) == []
    screenshot(page, "caseload-archive-refused")

    # The reviewer's only caseload cannot be taken away (that would widen them to the whole
    # organisation): the page says so. In a second caseload, they can leave the first.
    submit_in(page, "table.users form[action$='/members/remove/']")
    assert "This is the only caseload bekzod is limited to" in page.inner_text("main [role=alert]")
    second = Caseload.objects.create(organisation=organisation, name="Рынки")
    reviewer_to_move.caseloads.add(second)
    page.goto(caseload_url)
    assert "Рынки" in page.inner_text("table.users")  # "All their caseloads"
    submit_in(page, "table.users form[action$='/members/remove/']")
    assert status_text(page) == "The account is no longer in this caseload."
    assert "No account is limited" in page.inner_text("table.users")
    assert list(reviewer_to_move.caseloads.values_list("pk", flat=True)) == [second.pk]

    # Now it archives; an archived caseload takes nobody in, and reopens.
    submit_in(page, "form[action$='/archive/']")
    assert status_text(page) == "The caseload is archived."
    assert page.locator("main p.muted .state", has_text="archived").count() == 1
    assert page.locator("form[action$='/members/add/']").count() == 0
    caseload.refresh_from_db()
    assert caseload.archived_at is not None
    screenshot(page, "caseload-archived")
    submit_in(page, "form[action$='/reopen/']")
    assert status_text(page) == "The caseload is open again."
    assert page.locator("form[action$='/members/add/']").count() == 1
    caseload.refresh_from_db()
    assert caseload.archived_at is None

    # The organisation's page counts what is in it.
    page.click(f"main a[href='/console/organisations/{organisation.pk}/']")
    page.wait_for_url(organisation_url)
    rows = {
        cells[0]: cells[1:]
        for cells in (
            [cell.strip() for cell in row.split("\t")]
            for row in page.locator("table.caseloads tbody tr").all_inner_texts()
        )
    }
    # Name, then state, accounts limited to it, reports routed to it.
    assert rows == {"Задержания и депортации": ["open", "0", "0"], "Рынки": ["open", "1", "0"]}

    # The audit log lists each step, newest first.
    click_and_wait(page, "nav.nav a:text-is('Audit log')")
    actions = page.locator("table.audit-table tbody tr td:nth-child(4) a").all_inner_texts()
    expected = [
        "caseload.reopen",
        "caseload.archive",
        "account.scope_change",  # out of the first caseload
        "caseload.rename",
        "account.scope_change",  # into the caseload
        "account.scope_change",  # moved into the organisation
        "caseload.create",
        "organisation.create",
    ]
    assert [action for action in actions if action in set(expected)][: len(expected)] == expected
    actors = page.locator("table.audit-table tbody tr td:nth-child(3)").all_inner_texts()
    assert set(actors[: len(expected)]) == {"aziza"}
    assert AuditEntry.objects.filter(action="caseload.archive", object_id=str(caseload.pk)).count() == 1
    # Names are sealed in the stored entry and opened for the administrator reading the log.
    rename_row = page.locator("table.audit-table tbody tr", has_text="caseload.rename")
    details = rename_row.locator("td.audit-details").inner_text()
    assert '"before": "Задержания"' in details
    assert '"after": "Задержания и депортации"' in details
    screenshot(page, "audit-organisation-actions")
    assert_inert(page)


def test_names_typed_as_markup_stay_text(console, live_server, administrator, reviewer_to_move):  # noqa: F811
    from testimony.accounts.models import Caseload, Organisation

    page = console
    log_in(page, live_server.url, *administrator, lands_on=r".*/console/users/$")
    page.goto(f"{live_server.url}/console/organisations/")
    page.get_by_label("New organisation").fill(HOSTILE_ORGANISATION)
    submit_in(page, "form.new-organisation")
    organisation = Organisation.objects.get(name=HOSTILE_ORGANISATION)
    page.fill("input[name='caseload-name']", HOSTILE_CASELOAD)
    submit_in(page, "form[action$='/caseloads/']")
    caseload = Caseload.objects.get(name=HOSTILE_CASELOAD)
    page.goto(f"{live_server.url}/console/organisations/{organisation.pk}/")
    page.select_option("select[name='member-user']", str(reviewer_to_move.pk))
    submit_in(page, "form[action$='/members/']")
    page.goto(f"{live_server.url}/console/organisations/caseloads/{caseload.pk}/")
    page.select_option("select[name='add-user']", str(reviewer_to_move.pk))
    submit_in(page, "form[action$='/members/add/']")
    # A second caseload renamed to markup that would close the table cell.
    other = Caseload.objects.create(organisation=organisation, name="Рынки")
    page.goto(f"{live_server.url}/console/organisations/caseloads/{other.pk}/")
    page.fill(
        f"form[action='/console/organisations/caseloads/{other.pk}/'] input[name=name]", HOSTILE_RENAMED
    )
    submit_in(page, f"form[action='/console/organisations/caseloads/{other.pk}/']")
    assert page.inner_text("main h1") == HOSTILE_RENAMED

    pages = {
        "/console/organisations/": (HOSTILE_ORGANISATION,),
        f"/console/organisations/{organisation.pk}/": (
            HOSTILE_ORGANISATION,
            HOSTILE_CASELOAD,
            HOSTILE_RENAMED,
        ),
        f"/console/organisations/caseloads/{caseload.pk}/": (HOSTILE_ORGANISATION, HOSTILE_CASELOAD),
        "/console/users/": (HOSTILE_ORGANISATION, HOSTILE_CASELOAD),
        f"/console/users/{reviewer_to_move.pk}/": (),
        "/console/audit/": (),
    }
    for path, shown in pages.items():
        page.goto(f"{live_server.url}{path}")
        text = page.inner_text("main")
        for name in shown:
            assert name in text, f"{name!r} is not shown as text on {path}"
        assert page.locator("main img, main svg, main script").count() == 0, path
        assert_inert(page)
    # The account page offers the caseloads by name, as text (option labels and checkbox labels).
    page.goto(f"{live_server.url}/console/users/{reviewer_to_move.pk}/")
    assert HOSTILE_CASELOAD in page.inner_text("main")
    page.goto(f"{live_server.url}/console/organisations/{organisation.pk}/")
    screenshot(page, "organisation-hostile-names")
    assert_inert(page)


def test_create_and_rename_work_without_javascript(browser, live_server, administrator):
    from testimony.accounts.models import Caseload, Organisation

    context = browser.new_context(viewport={"width": 1280, "height": 860}, java_script_enabled=False)
    page = context.new_page()
    try:
        log_in(page, live_server.url, *administrator, lands_on=r".*/console/users/$")
        page.goto(f"{live_server.url}/console/organisations/")
        page.fill("input[name=name]", "Мигрант и право")
        submit_in(page, "form.new-organisation")
        organisation = Organisation.objects.get(name="Мигрант и право")
        assert page.inner_text("main [role=status]") == "Created."

        # Refused names come back with the reason next to the field, and nothing is created.
        page.fill("input[name='caseload-name']", "   ")
        submit_in(page, "form[action$='/caseloads/']")
        assert "Enter a name." in page.inner_text("form[action$='/caseloads/'] .errorlist")
        assert not Caseload.objects.exists()

        page.fill("input[name='caseload-name']", "Рынки")
        submit_in(page, "form[action$='/caseloads/']")
        caseload = Caseload.objects.get(organisation=organisation)
        assert page.inner_text("main h1") == "Рынки"

        rename = f"form[action='/console/organisations/caseloads/{caseload.pk}/']"
        page.fill(f"{rename} input[name=name]", "Рынки Москвы")
        submit_in(page, rename)
        caseload.refresh_from_db()
        assert caseload.name == "Рынки Москвы"
        assert page.inner_text("main [role=status]") == "Renamed."

        page.goto(f"{live_server.url}/console/organisations/{organisation.pk}/")
        rename = f"form[action='/console/organisations/{organisation.pk}/']"
        page.fill(f"{rename} input[name=name]", "Intake organisation")
        submit_in(page, rename)
        assert "An organisation with this name exists." in page.inner_text(f"{rename} .errorlist")
        page.fill(f"{rename} input[name=name]", "Мигрант и право (Самара)")
        submit_in(page, rename)
        organisation.refresh_from_db()
        assert organisation.name == "Мигрант и право (Самара)"
        assert page.inner_text("main h1") == "Мигрант и право (Самара)"
        screenshot(page, "organisation-no-javascript")
    finally:
        context.close()
