""" "Export these" in the queue: shown only to those who may export, and it opens the export form
with exactly the queue's filters, which the export then applies, search words sealed."""

from __future__ import annotations

import datetime as dt
import json
from html import unescape
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from testimony.audit.models import AuditEntry
from testimony.evidence.models import ExportJob
from testimony.evidence.services.exports import job_filters
from testimony.review.filters import QueueFilterForm, QueueFilters
from testimony.review.models import Report, Tag
from testimony.review.search import report_index_text
from testimony.review.selectors import assignable_users
from tests.unit.evidence.test_exports import csv_rows, file_bytes

pytestmark = pytest.mark.django_db

QUEUE = "/console/queue/"
WORDS = 'Общежитии & "ОМОН"'  # every word is in the matching report; & and quotes must survive a URL
KAZAN = {
    "name": "Kazan",
    "country": "RU",
    "admin1": "Tatarstan",
    "lat": 55.8,
    "lon": 49.1,
    "precision": "city",
}


@pytest.fixture(autouse=True)
def export_dir(settings, tmp_path):
    settings.EVIDENCE_EXPORT_DIR = tmp_path / "exports"


class Links(HTMLParser):
    """The "Export these" links of a page (``data-export-these``), their hrefs unescaped."""

    def __init__(self, html: str):
        super().__init__()
        self.hrefs: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and "data-export-these" in attrs:
            self.hrefs.append(attrs["href"])


class FormValues(HTMLParser):
    """What a browser would submit from the page's ``export-form``: text inputs' values, checked
    boxes and radios, each select's selected option (its first when none is)."""

    def __init__(self, html: str):
        super().__init__()
        self.values: dict[str, str] = {}
        self._in_form = False
        self._select: str | None = None
        self._first: str | None = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and "export-form" in (attrs.get("class") or ""):
            self._in_form = True
        if not self._in_form:
            return
        name = attrs.get("name")
        if tag == "input" and name and name != "csrfmiddlewaretoken":
            if attrs.get("type") in ("radio", "checkbox"):
                if "checked" in attrs:
                    self.values[name] = attrs.get("value") or "on"
            else:
                self.values[name] = attrs.get("value") or ""
        elif tag == "select" and name:
            self._select, self._first = name, None
        elif tag == "option" and self._select:
            if self._first is None:
                self._first = attrs.get("value", "")
            if "selected" in attrs:
                self.values[self._select] = attrs.get("value", "")

    def handle_endtag(self, tag):
        if tag == "form":
            self._in_form = False
        elif tag == "select" and self._select:
            self.values.setdefault(self._select, self._first or "")
            self._select = None


def typed_words_in(text: str) -> bool:
    return any(word.casefold() in text.casefold() for word in ("Общежитии", "ОМОН"))


def export_link(response) -> str | None:
    hrefs = Links(response.content.decode()).hrefs
    assert len(hrefs) <= 1
    return hrefs[0] if hrefs else None


@pytest.fixture
def world(personas, caseloads, report_factory):
    """One report that every filter below matches, and others that each miss one of them."""
    tag = Tag.objects.get_or_create(slug="raid_market", defaults={"labels": {"en": "At a market"}})[0]
    Tag.objects.filter(pk=tag.pk).update(active=True)
    day = dt.date(2025, 3, 14)
    text = "В Казани нас задержали в общежитии, пришёл ОМОН."

    def report(**changes):
        fields = {
            "text": text,
            "places": [KAZAN | {"start": 2, "end": 8, "text": "Казани"}],
            "kind": "detention",
            "language": "uz",
            "received_on": day,
            "suggested_tags": ["raid_market"],
            "state": "in_review",
            "caseload": caseloads["detention"],
        }
        made = report_factory(**(fields | changes))
        Report.objects.filter(pk=made.pk).update(has_attachments=True, assignee=personas["reviewer"])
        report_index_text(report=made, text=changes.get("text", text))
        return made

    match = report()
    misses = [
        report(state="new"),
        report(kind="raid"),
        report(suggested_tags=[]),
        report(places=[]),
        report(received_on=day - dt.timedelta(days=40)),
        report(language="tg"),
        report(text="В Казани задержали на рынке."),
    ]
    unassigned = report()
    Report.objects.filter(pk=unassigned.pk).update(assignee=None)
    plain = report()
    Report.objects.filter(pk=plain.pk).update(has_attachments=False)
    return {"match": match, "misses": [*misses, unassigned, plain], "tag": tag}


def every_filter(personas) -> dict[str, str]:
    reviewer = personas["reviewer"]
    assert assignable_users(personas["coordinator"]).filter(pk=reviewer.pk).exists()
    return {
        "state": "in_review",
        "kind": "detention",
        "tag": "raid_market",
        "place": "Kazan",
        "received_from": "2025-03-01",
        "received_to": "2025-03-31",
        "language": "uz",
        "assignee": str(reviewer.pk),
        "attachments": "yes",
        "q": WORDS,
    }


@pytest.mark.parametrize(
    ("role", "shown"), [("coordinator", True), ("reviewer", False), ("custodian", False)]
)
def test_the_link_is_shown_only_to_those_who_may_export(personas, console_client, role, shown):
    response = console_client(personas[role]).get(QUEUE, {"kind": "raid"})
    assert response.status_code == 200
    link = export_link(response)
    assert (link is not None) is shown
    if shown:
        assert link == reverse("console:evidence_exports") + "?kind=raid"
    else:
        assert reverse("console:evidence_exports") not in response.content.decode()


def test_an_analyst_may_export_but_has_no_queue_to_export_from(personas, console_client):
    # Analysts export (evidence.export) but read no reports (report.view): the queue is not theirs.
    client = console_client(personas["analyst"])
    assert client.get(QUEUE).status_code == 403
    assert client.get(reverse("console:evidence_exports"), {"kind": "raid"}).status_code == 200


def test_without_filters_the_link_opens_the_export_page_as_it_is(personas, console_client):
    response = console_client(personas["coordinator"]).get(QUEUE)
    assert export_link(response) == reverse("console:evidence_exports")


def test_the_results_swapped_in_by_htmx_carry_the_new_filters(personas, console_client):
    response = console_client(personas["coordinator"]).get(
        QUEUE, {"kind": "detention", "state": "new"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="queue-results"
    )
    assert response.content.lstrip().startswith(b'<div id="queue-results">')
    link = export_link(response)
    assert link is not None
    assert link.startswith(reverse("console:evidence_exports") + "?")
    form = QueueFilterForm(
        dict(pair.split("=") for pair in link.split("?", 1)[1].split("&")), user=personas["coordinator"]
    )
    assert form.filters() == QueueFilters(state="new", kind="detention")


def test_every_filter_round_trips_into_the_export_form_and_the_export(
    world, personas, console_client, django_capture_on_commit_callbacks
):
    coordinator = personas["coordinator"]
    client = console_client(coordinator)
    # given: the queue filtered by everything it offers, showing exactly one report
    queue = client.get(QUEUE, every_filter(personas))
    assert queue.status_code == 200
    shown = QueueFilterForm(every_filter(personas), user=coordinator, assignees=assignable_users(coordinator))
    filters = shown.filters()
    assert not shown.errors
    assert str(world["match"].pk) in queue.content.decode()
    assert not any(str(miss.pk) in queue.content.decode() for miss in world["misses"])

    # when: following "Export these"
    link = export_link(queue)
    assert link is not None
    page = client.get(unescape(link))
    assert page.status_code == 200

    # then: the export form holds the same filters, every one of them
    submitted = FormValues(page.content.decode()).values
    assert {name: submitted[name] for name in every_filter(personas)} == every_filter(personas)
    prefilled = QueueFilterForm(submitted, user=coordinator, assignees=assignable_users(coordinator))
    assert prefilled.filters() == filters

    # and submitting it as it stands exports exactly the queue's report
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("console:evidence_exports"), submitted)
    assert response.status_code == 302
    job = ExportJob.objects.get()
    job.refresh_from_db()
    assert job.status == ExportJob.Status.DONE
    assert job_filters(job) == filters
    assert [row["report_id"] for row in csv_rows(file_bytes(job))] == [str(world["match"].pk)]
    # The search words are stored sealed and recorded only as "(search words)".
    entry = AuditEntry.objects.get(action="evidence.export", object_id=str(job.pk))
    assert entry.details["filters"]["q"] == "(search words)"
    for record in (job.parameters, job.disclosure, entry.details):
        assert not typed_words_in(json.dumps(record, ensure_ascii=False))


def test_the_export_page_keeps_no_trace_of_the_search_words(world, personas, console_client, caplog):
    client = console_client(personas["coordinator"])
    before = AuditEntry.objects.count()
    with caplog.at_level("DEBUG"):
        page = client.get(reverse("console:evidence_exports"), {"q": WORDS, "kind": "detention"})
    assert page.status_code == 200
    # Shown back in the form (it is the user's own query) but not logged, stored or cached.
    assert FormValues(page.content.decode()).values["q"] == WORDS
    assert not any(typed_words_in(record.getMessage()) for record in caplog.records)
    assert AuditEntry.objects.count() == before
    assert not ExportJob.objects.exists()
    assert page["Cache-Control"].startswith("no-store")
    assert page["Referrer-Policy"] == "same-origin"
