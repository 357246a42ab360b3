"""The queue's caseload filter: a caseload or "unrouted", stored and exported like every filter."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from testimony.accounts.models import Caseload, Organisation
from testimony.evidence.models import ExportJob
from testimony.evidence.services.exports import job_filters
from testimony.review.filters import QueueFilterForm, QueueFilters, caseload_choices, queue_filter
from testimony.review.selectors import reports_in_scope
from tests.unit.conftest import make_user
from tests.unit.evidence.test_exports import csv_rows, file_bytes
from tests.unit.review.test_queue_export_link import FormValues

pytestmark = pytest.mark.django_db

QUEUE = "/console/queue/"


@pytest.fixture
def spread(caseloads, report_factory):
    return {
        "moscow": report_factory(caseload=caseloads["moscow"]),
        "detention": report_factory(caseload=caseloads["detention"]),
        "unrouted": report_factory(),
    }


def matching(user, **filters) -> set:
    return set(
        queue_filter(reports_in_scope(user), filters=QueueFilters(**filters), user=user).values_list(
            "pk", flat=True
        )
    )


def test_the_filter_by_caseload_and_by_unrouted(personas, caseloads, spread):
    coordinator = personas["coordinator"]
    assert matching(coordinator, caseload=str(caseloads["moscow"].pk)) == {spread["moscow"].pk}
    assert matching(coordinator, caseload="none") == {spread["unrouted"].pk}
    assert matching(coordinator) == {report.pk for report in spread.values()}
    assert matching(coordinator, caseload="garbage") == set()
    # Within the scope, never beyond it: a limited reviewer asking for another caseload gets nothing.
    limited = personas["reviewer_detention_only"]
    assert matching(limited, caseload=str(caseloads["moscow"].pk)) == set()
    assert matching(limited, caseload="none") == set()
    assert matching(limited, caseload=str(caseloads["detention"].pk)) == {spread["detention"].pk}


def test_the_filter_survives_json_and_sealed_json(caseloads):
    filters = QueueFilters(caseload=str(caseloads["moscow"].pk), kind="raid", q="общежитие")
    assert filters.to_json()["caseload"] == str(caseloads["moscow"].pk)
    assert QueueFilters.from_json(filters.to_json()) == filters
    assert QueueFilters.from_sealed_json(filters.to_sealed_json(context="t"), context="t") == filters
    assert filters.to_query()["caseload"] == str(caseloads["moscow"].pk)
    # Jobs stored before the filter existed still read back, without it.
    assert QueueFilters.from_json({"kind": "raid"}) == QueueFilters(kind="raid")
    assert not QueueFilters(caseload="none").is_empty()


def test_the_form_offers_what_the_scope_can_hold(personas, caseloads):
    Caseload.objects.create(
        organisation=caseloads["moscow"].organisation, name="Archived one", archived_at=timezone.now()
    )
    moscow, detention = str(caseloads["moscow"].pk), str(caseloads["detention"].pk)
    assert [value for value, _label in caseload_choices(personas["coordinator"])] == [
        "none",
        detention,
        moscow,
    ]
    assert [value for value, _label in caseload_choices(personas["reviewer"])] == ["none", detention, moscow]
    # A limited reviewer: only their own caseloads, no "unrouted" (they cannot see those).
    assert caseload_choices(personas["reviewer_detention_only"]) == [(detention, "Detention")]
    # Another organisation: its own caseloads; no "unrouted" (it does not receive intake).
    partner = Organisation.objects.get(name="Partner organisation")
    theirs = Caseload.objects.create(organisation=partner, name="Partner cases")
    assert caseload_choices(personas["partner_reviewer"]) == [(str(theirs.pk), "Partner cases")]
    assert caseload_choices(make_user("admin_without_organisation", "administrator", None)) == []
    form = QueueFilterForm({"caseload": moscow}, user=personas["coordinator"])
    assert form.filters() == QueueFilters(caseload=moscow)
    # A value not offered is dropped and shown as an error, the other filters still apply.
    form = QueueFilterForm({"caseload": moscow, "kind": "raid"}, user=personas["reviewer_detention_only"])
    assert form.filters() == QueueFilters(kind="raid")
    assert "caseload" in form.errors


def test_the_queue_page_filters_by_caseload(personas, caseloads, spread, console_client):
    client = console_client(personas["coordinator"])
    html = client.get(QUEUE, {"caseload": "none"}).content.decode()
    assert str(spread["unrouted"].pk) in html
    assert str(spread["moscow"].pk) not in html
    assert 'name="caseload"' in html  # the field is in the shared filter partial
    html = client.get(QUEUE, {"caseload": caseloads["moscow"].pk}).content.decode()
    assert str(spread["moscow"].pk) in html
    assert str(spread["unrouted"].pk) not in html


def test_the_export_form_carries_and_applies_the_caseload_filter(
    personas, caseloads, spread, console_client, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.EVIDENCE_EXPORT_DIR = tmp_path / "exports"
    client = console_client(personas["coordinator"])
    page = client.get(reverse("console:evidence_exports"), {"caseload": caseloads["moscow"].pk})
    submitted = FormValues(page.content.decode()).values
    assert submitted["caseload"] == str(caseloads["moscow"].pk)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("console:evidence_exports"), submitted)
    assert response.status_code == 302
    job = ExportJob.objects.get()
    job.refresh_from_db()
    assert job.status == ExportJob.Status.DONE
    assert job_filters(job).caseload == str(caseloads["moscow"].pk)
    assert [row["report_id"] for row in csv_rows(file_bytes(job))] == [str(spread["moscow"].pk)]
    assert job.disclosure["filters"]["caseload"] == str(caseloads["moscow"].pk)


def test_a_limited_reviewers_queue_names_no_other_caseload(personas, caseloads, spread, console_client):
    make_user("x", "reviewer", caseloads["moscow"].organisation)  # nothing to do with it
    html = console_client(personas["reviewer_detention_only"]).get(QUEUE).content.decode()
    assert "Detention" in html
    assert "Moscow raids" not in html
    assert "Unrouted" not in html


def _row_html(html: str, report) -> str:
    start = html.index(f'id="row-{report.pk}"')
    return html[start : html.index("</tr>", start)]


def test_the_queue_names_each_reports_caseload(personas, caseloads, spread, console_client):
    html = console_client(personas["coordinator"]).get(QUEUE).content.decode()
    assert '<th scope="col">Caseload</th>' in html
    assert "Moscow raids" in _row_html(html, spread["moscow"])
    assert "Detention" not in _row_html(html, spread["moscow"])
    assert "Detention" in _row_html(html, spread["detention"])
    assert "unrouted" in _row_html(html, spread["unrouted"])
    assert "Moscow raids" not in _row_html(html, spread["unrouted"])


def test_one_caseload_in_scope_needs_no_caseload_column(personas, caseloads, spread, console_client):
    html = console_client(personas["reviewer_detention_only"]).get(QUEUE).content.decode()
    assert str(spread["detention"].pk) in html
    assert '<th scope="col">Caseload</th>' not in html
