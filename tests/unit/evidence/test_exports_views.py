"""Export pages: the form, the job's progress page, and the download link's two locks (login and token)."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.core import signing
from django.urls import reverse
from django.utils import timezone

from testimony.audit.models import AuditEntry
from testimony.evidence import jobs
from testimony.evidence.models import ExportJob
from testimony.evidence.services.exports import export_create
from tests.unit.conftest import make_user
from tests.unit.evidence.test_exports import SECRET_TEXT, export, file_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def export_dir(settings, tmp_path):
    settings.EVIDENCE_EXPORT_DIR = tmp_path / "exports"
    return tmp_path / "exports"


@pytest.fixture
def reports(caseloads, report_factory):
    ours = report_factory(text=SECRET_TEXT, caseload=caseloads["moscow"], kind="raid")
    other = report_factory(
        text="В изоляторе давали только хлеб.", caseload=caseloads["moscow"], kind="detention"
    )
    return ours, other


def download_url(job) -> str:
    return reverse("console:evidence_export_download", kwargs={"token": jobs.download_token(job)})


def test_the_form_starts_an_export_with_the_queue_filters(
    reports, personas, console_client, django_capture_on_commit_callbacks
):
    client = console_client(personas["coordinator"])
    page = client.get(reverse("console:evidence_exports"), {"kind": "detention"})
    assert page.status_code == 200
    assert b'value="detention" selected' in page.content  # the queue's filter, prefilled
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("console:evidence_exports"),
            {"destination": "partner", "level": "reports", "format": "csv", "kind": "detention"},
        )
    job = ExportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("console:evidence_export", kwargs={"export_id": job.pk})
    job.refresh_from_db()
    assert job.status == ExportJob.Status.DONE
    assert job.parameters["filters"] == {"kind": "detention"}
    rows = list(csv.DictReader(io.StringIO(file_bytes(job).decode("utf-8-sig"))))
    assert [row["kind"] for row in rows] == ["detention"]
    # The job's page: done, with its link, and listed on the exports page.
    detail = client.get(response["Location"])
    assert detail.status_code == 200
    assert b"/console/evidence/exports/download/" in detail.content
    assert job.sha256.encode() in detail.content
    listing = client.get(reverse("console:evidence_exports"))
    assert response["Location"].encode() in listing.content


def test_the_form_refuses_row_level_data_for_the_public(personas, console_client):
    client = console_client(personas["coordinator"])
    response = client.post(
        reverse("console:evidence_exports"), {"destination": "public", "level": "reports", "format": "csv"}
    )
    assert response.status_code == 400
    assert b"aggregated counts only" in response.content
    assert not ExportJob.objects.exists()


def test_the_form_needs_a_dimension_for_aggregates(personas, console_client):
    client = console_client(personas["analyst"])
    response = client.post(
        reverse("console:evidence_exports"), {"destination": "public", "level": "aggregate", "format": "csv"}
    )
    assert response.status_code == 400
    assert not ExportJob.objects.exists()


def test_progress_partial_polls_while_running_and_stops_when_done(reports, personas, console_client):
    job = export_create(
        user=personas["coordinator"], destination="internal", level="reports", format="csv", parameters={}
    )
    client = console_client(personas["coordinator"])
    url = reverse("console:evidence_export", kwargs={"export_id": job.pk})
    page = client.get(url)
    assert b'hx-trigger="every 1s"' in page.content
    assert b'http-equiv="refresh"' in page.content  # without JavaScript (inside <noscript>)
    partial = client.get(url, HTTP_HX_REQUEST="true")
    assert partial.content.lstrip().startswith(b'<section id="export-progress"')
    assert b"<html" not in partial.content
    from testimony.evidence.services.exports import export_run

    export_run(job_id=job.pk)
    done = client.get(url, HTTP_HX_REQUEST="true")
    assert b"hx-trigger" not in done.content
    assert b"/download/" in done.content


def test_another_organisations_job_is_not_found(reports, personas, console_client, organisation):
    from testimony.accounts.models import Organisation

    job = export_create(
        user=personas["coordinator"], destination="internal", level="reports", format="csv", parameters={}
    )
    outsider = make_user("outsider", "coordinator", Organisation.objects.create(name="Elsewhere"))
    client = console_client(outsider)
    assert client.get(reverse("console:evidence_export", kwargs={"export_id": job.pk})).status_code == 404


# --- Download ---------------------------------------------------------------------------------


def test_download_is_an_audited_attachment_never_inline(
    reports, personas, console_client, django_capture_on_commit_callbacks
):
    job = export(personas["coordinator"], django_capture_on_commit_callbacks, fmt="json")
    client = console_client(personas["analyst"])  # the organisation's other exporter
    response = client.get(download_url(job))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Content-Disposition"].endswith('.json"')
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/json"
    assert "no-store" in response["Cache-Control"]
    assert b"".join(response.streaming_content) == file_bytes(job)
    entry = AuditEntry.objects.get(action="evidence.download")
    assert entry.actor_id == personas["analyst"].pk
    assert entry.object_id == str(job.pk)
    assert entry.details["sha256"] == job.sha256


def test_download_needs_a_login(reports, personas, client, django_capture_on_commit_callbacks):
    job = export(personas["coordinator"], django_capture_on_commit_callbacks)
    response = client.get(download_url(job))
    assert response.status_code == 302
    assert response["Location"].startswith("/console/login/")
    client.force_login(personas["coordinator"])  # a password but no second factor
    assert client.get(download_url(job)).status_code == 302
    assert not AuditEntry.objects.filter(action="evidence.download").exists()


def test_download_needs_the_export_right_and_the_organisation(
    reports, personas, console_client, django_capture_on_commit_callbacks
):
    from testimony.accounts.models import Organisation

    job = export(personas["coordinator"], django_capture_on_commit_callbacks)
    url = download_url(job)
    for persona in ("reviewer", "custodian", "administrator"):
        assert console_client(personas[persona]).get(url).status_code == 403
    outsider = make_user("outsider", "coordinator", Organisation.objects.create(name="Elsewhere"))
    assert console_client(outsider).get(url).status_code == 404
    assert not AuditEntry.objects.filter(action="evidence.download").exists()


def test_a_forged_or_altered_token_is_refused(
    reports, personas, console_client, django_capture_on_commit_callbacks
):
    job = export(personas["coordinator"], django_capture_on_commit_callbacks)
    client = console_client(personas["coordinator"])
    token = jobs.download_token(job)
    altered = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    forged = signing.dumps({"job": str(job.pk)}, salt="another.salt")
    for bad in (altered, forged, "not-a-token"):
        response = client.get(reverse("console:evidence_export_download", kwargs={"token": bad}))
        assert response.status_code == 410
    assert not AuditEntry.objects.filter(action="evidence.download").exists()


def test_an_expired_link_is_refused_and_the_file_deleted(
    reports, personas, console_client, django_capture_on_commit_callbacks, export_dir
):
    job = export(personas["coordinator"], django_capture_on_commit_callbacks)
    url = download_url(job)
    client = console_client(personas["coordinator"])
    # the job's time is up (the file is still there until the sweep): refused already
    ExportJob.objects.filter(pk=job.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert client.get(url).status_code == 410
    assert (export_dir / job.file_name).exists()
    assert jobs.jobs_expire() == 1
    assert not (export_dir / job.file_name).exists()
    assert client.get(url).status_code == 410


def test_a_token_older_than_the_lifetime_is_refused(
    reports, personas, console_client, django_capture_on_commit_callbacks, settings, monkeypatch
):
    job = export(personas["coordinator"], django_capture_on_commit_callbacks)
    url = download_url(job)
    later = timezone.now().timestamp() + (settings.EVIDENCE_EXPORT_TTL_HOURS + 1) * 3600
    monkeypatch.setattr("django.core.signing.time.time", lambda: later)
    assert console_client(personas["coordinator"]).get(url).status_code == 410


def test_an_export_with_text_is_not_downloadable_by_an_analyst(
    reports, personas, console_client, django_capture_on_commit_callbacks
):
    job = export(personas["coordinator"], django_capture_on_commit_callbacks, include_text=True)
    assert SECRET_TEXT.encode() in file_bytes(job)
    analyst = console_client(personas["analyst"])
    assert analyst.get(download_url(job)).status_code == 404
    page = analyst.get(reverse("console:evidence_export", kwargs={"export_id": job.pk}))
    assert page.status_code == 200
    assert b"/download/" not in page.content


def test_the_job_page_says_the_coarsening_and_the_table_in_words(
    reports, personas, console_client, django_capture_on_commit_callbacks
):
    client = console_client(personas["coordinator"])

    def page(job) -> str:
        return client.get(reverse("console:evidence_export", kwargs={"export_id": job.pk})).content.decode()

    internal = page(export(personas["coordinator"], django_capture_on_commit_callbacks))
    assert "Places: no finer than city." in internal
    assert "Dates: no finer than day." in internal
    partner = page(export(personas["coordinator"], django_capture_on_commit_callbacks, destination="partner"))
    assert "Places: no finer than region." in partner
    assert "Dates: no finer than month." in partner
    table = page(
        export(
            personas["coordinator"],
            django_capture_on_commit_callbacks,
            level="aggregate",
            rows="region",
            columns="kind",
        )
    )
    assert "Region × Kind" in table
