"""Routing from the console: the report page's form, the routing page, who gets 403 or 404."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django.utils import timezone

from testimony.accounts.models import Caseload, Organisation
from testimony.audit.models import AuditEntry
from testimony.review.models import Report
from tests.unit.conftest import make_user

pytestmark = pytest.mark.django_db


def route_url(report) -> str:
    return reverse("console:report_route", args=[report.pk])


def page_url(report) -> str:
    return reverse("console:report", args=[report.pk])


class RouteOptions(HTMLParser):
    """The options of the routing form's caseload select: (value, label, selected)."""

    def __init__(self, html: str):
        super().__init__()
        self.options: list[tuple[str, str, bool]] = []
        self._in_select = False
        self._current: dict | None = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "select" and attrs.get("name") == "caseload":
            self._in_select = True
        elif tag == "option" and self._in_select:
            self._current = {"value": attrs.get("value"), "selected": "selected" in attrs, "label": ""}

    def handle_data(self, data):
        if self._current is not None:
            self._current["label"] += data

    def handle_endtag(self, tag):
        if tag == "option" and self._current is not None:
            self.options.append(
                (self._current["value"], self._current["label"].strip(), self._current["selected"])
            )
            self._current = None
        elif tag == "select":
            self._in_select = False


def test_the_report_page_shows_the_caseload_and_the_form_to_coordinators(
    personas, caseloads, report_factory, console_client
):
    Caseload.objects.filter(pk=caseloads["detention"].pk).update(archived_at=timezone.now())
    report = report_factory(caseload=caseloads["moscow"])
    page = console_client(personas["coordinator"]).get(page_url(report)).content.decode()
    card = page[page.index('id="routing"') :]
    assert "Moscow raids" in card
    assert route_url(report) in card
    # The organisation's open caseloads, the current one chosen; "unrouted" (intake organisation).
    assert RouteOptions(page).options == [
        ("none", "Unrouted (no caseload)", False),
        (str(caseloads["moscow"].pk), "Moscow raids", True),
    ]


@pytest.mark.parametrize("role", ["reviewer", "custodian"])
def test_others_see_the_caseload_but_no_form(personas, caseloads, report_factory, console_client, role):
    report = report_factory(caseload=caseloads["moscow"])
    page = console_client(personas[role]).get(page_url(report)).content.decode()
    assert "Moscow raids" in page[page.index('id="routing"') :]
    assert route_url(report) not in page
    assert not RouteOptions(page).options


def test_an_unrouted_report_says_so(personas, report_factory, console_client):
    report = report_factory()
    page = console_client(personas["reviewer"]).get(page_url(report)).content.decode()
    assert "Unrouted (no caseload)" in page[page.index('id="routing"') :]


def test_routing_through_the_form_goes_back_to_the_report_and_shows_in_its_history(
    personas, caseloads, report_factory, console_client
):
    report = report_factory()
    client = console_client(personas["coordinator"])
    response = client.post(route_url(report), {"caseload": caseloads["detention"].pk})
    assert response.status_code == 302
    assert response["Location"] == page_url(report) + "#routing"
    assert Report.objects.get(pk=report.pk).caseload_id == caseloads["detention"].pk
    history = client.get(page_url(report)).content.decode()
    history = history[history.index('id="history"') :]
    assert "changed the caseload" in history
    assert "report.route" not in history
    # By name, not by id; the unrouted side in words, not Python's None.
    entry = history[history.index("changed the caseload") :].split("</li>")[0]
    assert f"to: {caseloads['detention'].name}" in entry
    assert "from: unrouted" in entry
    assert "None" not in entry


def test_the_history_names_who_an_assignment_went_to(personas, caseloads, report_factory, console_client):
    from testimony.review.services.assignment import report_assign

    report = report_factory(caseload=caseloads["moscow"])
    coordinator = personas["coordinator"]
    report_assign(user=coordinator, report_id=report.pk, assignee_id=personas["reviewer"].pk)
    history = console_client(coordinator).get(page_url(report)).content.decode()
    history = history[history.index('id="history"') :]
    assert f"to: {personas['reviewer'].username}" in history
    assert "from: nobody" in history


def test_the_history_names_whoever_routing_or_a_take_over_took_the_report_from(
    personas, caseloads, report_factory, console_client
):
    from testimony.review.services.assignment import report_lock

    report = report_factory(caseload=caseloads["moscow"])
    limited = make_user(
        "reviewer_moscow_only", "reviewer", caseloads["moscow"].organisation, [caseloads["moscow"]]
    )
    report_lock(user=limited, report_id=report.pk)
    report_lock(user=personas["coordinator"], report_id=report.pk, take_over=True)
    Report.objects.filter(pk=report.pk).update(
        assignee=limited, locked_by=limited, locked_until=timezone.now() + dt.timedelta(minutes=5)
    )
    coordinator = personas["coordinator"]
    client = console_client(coordinator)
    client.post(route_url(report), {"caseload": caseloads["detention"].pk})
    history = client.get(page_url(report)).content.decode()
    history = history[history.index('id="history"') :]
    routed = history[history.index("changed the caseload") :].split("</li>")[0]
    # In words, not the audit detail's key.
    assert f"unassigned: {limited.username}" in routed
    assert f"editing lock released: {limited.username}" in routed
    assert "assignee_cleared" not in routed
    taken = history[history.index("took over editing") :].split("</li>")[0]
    assert f"from: {limited.username}" in taken
    assert not re.search(r"(unassigned|released|from): \d", routed + taken)  # no bare ids


def test_the_routing_page_takes_a_note_and_an_unrouted_target(
    personas, caseloads, report_factory, console_client
):
    report = report_factory(caseload=caseloads["moscow"])
    client = console_client(personas["coordinator"])
    page = client.get(route_url(report))
    assert page.status_code == 200
    assert 'name="note"' in page.content.decode()
    response = client.post(route_url(report), {"caseload": "none", "note": "Не наш регион"})
    assert response.status_code == 302
    assert Report.objects.get(pk=report.pk).caseload_id is None
    entry = AuditEntry.objects.get(action="report.route", object_id=str(report.pk))
    assert "Не наш регион" not in str(entry.details)


def test_next_keeps_the_coordinator_where_they_were_but_only_inside_the_console(
    personas, caseloads, report_factory, console_client
):
    report = report_factory()
    client = console_client(personas["coordinator"])
    response = client.post(
        route_url(report), {"caseload": caseloads["moscow"].pk, "next": "/console/queue/?caseload=none"}
    )
    assert response["Location"] == "/console/queue/?caseload=none"
    response = client.post(
        route_url(report), {"caseload": caseloads["detention"].pk, "next": "https://evil.example/"}
    )
    assert response["Location"] == page_url(report) + "#routing"


def test_a_refused_target_shows_why_and_changes_nothing(personas, caseloads, report_factory, console_client):
    Caseload.objects.filter(pk=caseloads["detention"].pk).update(archived_at=timezone.now())
    report = report_factory(caseload=caseloads["moscow"])
    client = console_client(personas["coordinator"])
    for value, message in (
        (caseloads["detention"].pk, "is archived"),
        ("12345", "open caseload of your organisation"),
        ("abc", "Choose a caseload"),
        ("", "Choose a caseload"),
    ):
        response = client.post(route_url(report), {"caseload": value})
        assert response.status_code == 400, value
        assert message in response.content.decode(), value
    assert Report.objects.get(pk=report.pk).caseload_id == caseloads["moscow"].pk
    assert not AuditEntry.objects.filter(action="report.route").exists()


def test_a_partner_coordinator_cannot_unroute_and_is_told_why(personas, report_factory, console_client):
    partner = Organisation.objects.get(name="Partner organisation")
    coordinator = make_user("partner_coordinator", "coordinator", partner)
    caseload = Caseload.objects.create(organisation=partner, name="Partner cases")
    report = report_factory(caseload=caseload)
    client = console_client(coordinator)
    assert [
        value
        for value, _label, _selected in RouteOptions(client.get(page_url(report)).content.decode()).options
    ] == [str(caseload.pk)]
    response = client.post(route_url(report), {"caseload": "none"})
    assert response.status_code == 400
    assert "does not receive intake" in response.content.decode()
    assert Report.objects.get(pk=report.pk).caseload_id == caseload.pk


@pytest.mark.parametrize(
    "role", ["reviewer", "custodian", "analyst", "administrator", "reviewer_detention_only"]
)
def test_roles_without_report_assign_get_403(personas, caseloads, report_factory, console_client, role):
    report = report_factory(caseload=caseloads["moscow"])
    client = console_client(personas[role])
    assert client.get(route_url(report)).status_code == 403
    assert client.post(route_url(report), {"caseload": caseloads["detention"].pk}).status_code == 403
    assert Report.objects.get(pk=report.pk).caseload_id == caseloads["moscow"].pk


def test_out_of_scope_or_missing_reports_are_404_for_coordinators(
    personas, caseloads, report_factory, console_client
):
    partner = Organisation.objects.get(name="Partner organisation")
    coordinator = make_user("partner_coordinator", "coordinator", partner)
    theirs = Caseload.objects.create(organisation=partner, name="Partner cases")
    report = report_factory(caseload=caseloads["moscow"])
    client = console_client(coordinator)
    assert client.get(route_url(report)).status_code == 404
    assert client.post(route_url(report), {"caseload": theirs.pk}).status_code == 404
    missing = reverse("console:report_route", args=[uuid.uuid4()])
    assert (
        console_client(personas["coordinator"])
        .post(missing, {"caseload": caseloads["moscow"].pk})
        .status_code
        == 404
    )
    assert Report.objects.get(pk=report.pk).caseload_id == caseloads["moscow"].pk


def test_anonymous_is_sent_to_the_login(caseloads, report_factory, client):
    report = report_factory()
    response = client.post(route_url(report), {"caseload": caseloads["moscow"].pk})
    assert response.status_code == 302
    assert response["Location"].startswith("/console/login/")
    assert Report.objects.get(pk=report.pk).caseload_id is None


def test_a_note_sent_with_the_caseload_the_report_is_in_is_not_dropped_silently(
    personas, caseloads, report_factory, console_client
):
    report = report_factory(caseload=caseloads["moscow"])
    client = console_client(personas["coordinator"])
    response = client.post(route_url(report), {"caseload": caseloads["moscow"].pk, "note": "Проверить"})
    assert response.status_code == 400
    assert "already in this caseload" in response.content.decode()
    assert not AuditEntry.objects.filter(action="report.route", object_id=str(report.pk)).exists()
    # Without a note there is nothing to lose: back to the report, as before.
    assert client.post(route_url(report), {"caseload": caseloads["moscow"].pk}).status_code == 302


def test_with_no_caseload_to_route_to_the_page_says_so_instead_of_a_form(
    personas, caseloads, report_factory, console_client
):
    report = report_factory()
    Caseload.objects.filter(organisation=personas["coordinator"].organisation).update(
        archived_at=timezone.now()
    )
    page = console_client(personas["coordinator"]).get(page_url(report)).content.decode()
    card = page[page.index('id="routing"') :]
    assert RouteOptions(page).options == []
    assert "no caseload to route reports to yet" in card
    assert route_url(report) not in card
