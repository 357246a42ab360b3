"""Exports end to end (eager tasks): field rules on the file, scope, formats, failure, expiry, audit."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import os

import geojson
import openpyxl
import pytest
from django.core.exceptions import PermissionDenied
from django.db import OperationalError
from django.utils import timezone

from testimony.accounts.models import Caseload, Organisation
from testimony.audit.models import AuditEntry
from testimony.evidence import fields as fx
from testimony.evidence import jobs, rows, writers
from testimony.evidence.models import ExportJob
from testimony.evidence.services import exports
from testimony.evidence.services.exports import ExportRefused, export_create
from testimony.review.filters import QueueFilters
from testimony.review.models import Case, CaseReport, ReportTag, Tag
from testimony.review.sealed import note_seal
from testimony.review.search import report_index_text
from tests.unit.conftest import make_user

pytestmark = pytest.mark.django_db

SECRET_TEXT = "Утром [PERSON 1] видел, как ОМОН задержал людей на рынке в Москве."
DAY = dt.date(2025, 3, 17)


@pytest.fixture(autouse=True)
def export_dir(settings, tmp_path):
    settings.EVIDENCE_EXPORT_DIR = tmp_path / "exports"
    return tmp_path / "exports"


def export(user, captured, *, destination="internal", level="reports", fmt="csv", **parameters) -> ExportJob:
    with captured(execute=True):
        job = export_create(
            user=user, destination=destination, level=level, format=fmt, parameters=parameters
        )
    job.refresh_from_db()
    return job


def file_bytes(job: ExportJob) -> bytes:
    path = jobs.job_file(job)
    assert path is not None, f"no file for {job.status} {job.failure_reason}"
    return path.read_bytes()


def csv_rows(data: bytes, *, hxl: bool = False) -> list[dict]:
    reader = csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline=""))
    read = list(reader)
    return read[1:] if hxl else read


def decoded_rows(fmt: str, data: bytes) -> list[dict]:
    """Rows as the format's standard reader gives them back, normalised to JSON's values."""
    if fmt == "json":
        return json.loads(data)["rows"]
    if fmt == "geojson":
        collection = geojson.loads(data.decode("utf-8"))
        assert collection.is_valid, collection.errors()
        out = []
        for feature in collection["features"]:
            lon, lat = feature["geometry"]["coordinates"] if feature["geometry"] else (None, None)
            out.append({**feature["properties"], "lat": lat, "lon": lon})
        return out
    if fmt == "xlsx":
        sheet = openpyxl.load_workbook(io.BytesIO(data), read_only=True)["rows"]
        values = list(sheet.iter_rows(values_only=True))
        return [dict(zip(values[0], row, strict=True)) for row in values[1:]]
    return csv_rows(data, hxl=fmt == "hxl")


def as_text(value) -> str:
    """A JSON value as a CSV cell holds it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ";".join(str(item) for item in value)
    return str(value)


@pytest.fixture
def world(personas, caseloads, report_factory, organisation):
    """Two reports of ours (one in a case, with tags), one of another organisation, one unrouted."""
    raid_tag = Tag.objects.get(slug="raid_market")
    raid_tag.huridocs_code = "06.01"
    raid_tag.save(update_fields=["huridocs_code"])
    ours = report_factory(text=SECRET_TEXT, caseload=caseloads["moscow"], state="verified", received_on=DAY)
    ours.region, ours.nationality = "RU.48", "UZ"
    ours.save(update_fields=["region", "nationality"])
    ReportTag.objects.create(report=ours, tag=raid_tag)
    ReportTag.objects.create(report=ours, tag=Tag.objects.get(slug="raid"))
    ReportTag.objects.create(report=ours, tag=Tag.objects.get(slug="raid_home"), status="rejected")
    second = report_factory(
        text="В изоляторе давали только хлеб и чай.", kind="detention", caseload=caseloads["detention"]
    )
    case = Case.objects.create(
        organisation=organisation,
        title="Raid at Sadovod market",
        date_from=DAY,
        date_to=DAY,
        place={
            "name": "Moscow",
            "country": "RU",
            "admin1": "Moscow (federal city)",
            "lat": 55.75,
            "lon": 37.62,
        },
        units="ОМОН",
        people_affected=40,
    )
    case.summary_sealed = note_seal(context=f"case.summary:{case.pk}", text="Сводка: [PERSON 1] задержан.")
    case.save(update_fields=["summary_sealed"])
    case.kinds.add(raid_tag)
    CaseReport.objects.create(case=case, report=ours)
    other_org = Organisation.objects.create(name="Other organisation")
    theirs = report_factory(
        text="Чужой отчёт другой организации.",
        caseload=Caseload.objects.create(organisation=other_org, name="X"),
    )
    other_case = Case.objects.create(organisation=other_org, title="Their case")
    return {
        "ours": ours,
        "second": second,
        "case": case,
        "theirs": theirs,
        "other_org": other_org,
        "other_case": other_case,
    }


# --- Reports ---------------------------------------------------------------------------------


def test_internal_report_export_round_trips_the_fields(world, personas, django_capture_on_commit_callbacks):
    job = export(personas["coordinator"], django_capture_on_commit_callbacks)
    assert job.status == ExportJob.Status.DONE
    assert (job.rows_done, job.rows_total) == (2, 2)
    read = {row["report_id"]: row for row in csv_rows(file_bytes(job))}
    assert set(read) == {str(world["ours"].pk), str(world["second"].pk)}  # not theirs
    row = read[str(world["ours"].pk)]
    assert list(row) == fx.field_names(level="reports", destination="internal")
    assert row["received_on"] == "2025-03-17"
    assert row["received_month"] == "2025-03"
    assert row["kind"] == "raid"
    assert row["kind_label"] == "A police raid or document check"
    assert row["state"] == "verified"
    assert row["region"] == "RU.48"
    assert row["region_name"] == "Moscow (federal city)"
    assert row["places"] == "Moscow"
    assert (row["lat"], row["lon"]) == ("55.75", "37.62")
    assert row["nationality"] == "UZ"
    assert row["perpetrators"] == "police"
    assert row["tags"] == "raid;raid_market"  # accepted only, not the rejected one
    assert row["huridocs_codes"] == "06.01"
    assert row["case_ids"] == str(world["case"].pk)
    assert row["taxonomy_version"] == "1"
    assert "redacted_text" not in row  # text only when asked for
    assert SECRET_TEXT.encode() not in file_bytes(job)


def test_internal_export_with_text_decrypts_the_redacted_account(
    world, personas, django_capture_on_commit_callbacks
):
    job = export(personas["coordinator"], django_capture_on_commit_callbacks, include_text=True)
    read = {row["report_id"]: row for row in csv_rows(file_bytes(job))}
    assert read[str(world["ours"].pk)]["redacted_text"] == SECRET_TEXT
    assert job.disclosure["text_included"] is True


def test_text_is_refused_to_an_analyst_and_to_partners(world, personas):
    with pytest.raises(ExportRefused):
        export_create(
            user=personas["analyst"],  # may export, may not read reports
            destination="internal",
            level="reports",
            format="csv",
            parameters={"include_text": True},
        )
    with pytest.raises(ExportRefused):
        export_create(
            user=personas["coordinator"],
            destination="partner",
            level="reports",
            format="json",
            parameters={"include_text": True},
        )
    assert not ExportJob.objects.exists()


@pytest.mark.parametrize("fmt", ["csv", "hxl", "json", "geojson", "xlsx"])
def test_a_partner_file_holds_partner_fields_only(fmt, world, personas, django_capture_on_commit_callbacks):
    job = export(personas["coordinator"], django_capture_on_commit_callbacks, destination="partner", fmt=fmt)
    data = file_bytes(job)
    read = decoded_rows(fmt, data)
    allowed = fx.field_names(level="reports", destination="partner")
    for row in read:
        assert set(row) == set(allowed)
    # Nothing internal in the bytes: not the text, not the ids, not the day, not the place name.
    ours = world["ours"]
    for forbidden in (SECRET_TEXT, "[PERSON 1]", str(ours.pk), ours.pk.hex, "2025-03-17", "ОМОН"):
        assert forbidden.encode() not in data, forbidden
    if fmt == "xlsx":  # compressed: look inside the sheet's cells instead
        cells = {str(value) for row in read for value in row.values()}
        assert not {str(ours.pk), "2025-03-17", SECRET_TEXT} & cells
    mine = next(row for row in read if row["region"] == "RU.48")
    assert mine["report_ref"] == fx.report_ref(rows.export_context(destination="partner").ref_key, ours.pk)
    assert mine["received_month"] == "2025-03"
    # The partner's point is the region's, not the city the account named.
    region_point = fx.region_points()["RU.48"]
    assert (float(mine["lat"]), float(mine["lon"])) == region_point[1:]


@pytest.mark.parametrize("fmt", ["csv", "hxl", "xlsx", "geojson"])
def test_every_format_round_trips_the_same_rows_as_json(
    fmt, world, personas, django_capture_on_commit_callbacks
):
    coordinator = personas["coordinator"]
    reference = json.loads(file_bytes(export(coordinator, django_capture_on_commit_callbacks, fmt="json")))
    job = export(coordinator, django_capture_on_commit_callbacks, fmt=fmt)
    read = decoded_rows(fmt, file_bytes(job))
    assert len(read) == len(reference["rows"]) == 2
    for got, want in zip(read, reference["rows"], strict=True):
        for name, value in want.items():
            if fmt in ("csv", "hxl"):
                assert got[name] == as_text(value), name
            elif fmt == "xlsx":
                expected = ";".join(map(str, value)) if isinstance(value, list) else value
                assert got[name] == (expected if expected not in ("", []) else None), name
            else:
                assert got[name] == value, name


def test_hxl_export_has_the_hashtag_row(world, personas, django_capture_on_commit_callbacks):
    job = export(
        personas["coordinator"], django_capture_on_commit_callbacks, destination="partner", fmt="hxl"
    )
    lines = list(csv.reader(io.StringIO(file_bytes(job).decode("utf-8-sig"), newline="")))
    fields = fx.fields_for(level="reports", destination="partner")
    assert lines[0] == [f.name for f in fields]
    assert lines[1] == [f.hxl for f in fields]
    assert lines[1][lines[0].index("received_month")] == "#date+reported+month"
    assert lines[1][lines[0].index("region")] == "#adm1+code"
    assert lines[1][lines[0].index("kind")] == "#event+type+code"


def test_metadata_travels_in_json_geojson_and_xlsx(world, personas, django_capture_on_commit_callbacks):
    coordinator = personas["coordinator"]
    as_json = json.loads(file_bytes(export(coordinator, django_capture_on_commit_callbacks, fmt="json")))
    assert as_json["metadata"]["destination"] == "internal"
    assert as_json["metadata"]["fields"] == fx.field_names(level="reports", destination="internal")
    assert as_json["metadata"]["taxonomy_version"] == 1
    as_geojson = json.loads(
        file_bytes(export(coordinator, django_capture_on_commit_callbacks, fmt="geojson"))
    )
    assert as_geojson["disclosure"]["level"] == "reports"
    job = export(coordinator, django_capture_on_commit_callbacks, fmt="xlsx", destination="partner")
    info = dict(openpyxl.load_workbook(io.BytesIO(file_bytes(job)))["disclosure"].iter_rows(values_only=True))
    assert info["destination"] == "partner"
    assert info["place"] == "region"
    assert info["time"] == "month"
    assert job.disclosure["destination"] == "partner"  # also on the job (CSV's record)


def test_queue_filters_narrow_the_export(world, personas, django_capture_on_commit_callbacks):
    job = export(
        personas["coordinator"], django_capture_on_commit_callbacks, filters=QueueFilters(kind="detention")
    )
    assert [row["report_id"] for row in csv_rows(file_bytes(job))] == [str(world["second"].pk)]


def test_search_words_are_sealed_on_the_job_and_kept_out_of_audit_and_file(
    world, personas, django_capture_on_commit_callbacks
):
    report_index_text(report=world["second"], text="В изоляторе давали только хлеб и чай.")
    job = export(
        personas["coordinator"],
        django_capture_on_commit_callbacks,
        filters=QueueFilters(q="изоляторе"),
        fmt="json",
    )
    assert "изоляторе" not in json.dumps(job.parameters, ensure_ascii=False)
    assert "q_sealed" in job.parameters["filters"]
    assert exports.job_filters(job).q == "изоляторе"
    entry = AuditEntry.objects.get(action="evidence.export", object_id=str(job.pk))
    assert "изоляторе" not in json.dumps(entry.details, ensure_ascii=False)
    data = file_bytes(job)
    assert "изоляторе".encode() not in data
    assert [row["report_id"] for row in json.loads(data)["rows"]] == [str(world["second"].pk)]


def test_another_organisation_exports_only_its_own(world, personas, django_capture_on_commit_callbacks):
    theirs = make_user("their_coordinator", "coordinator", world["other_org"])
    job = export(theirs, django_capture_on_commit_callbacks)
    assert [row["report_id"] for row in csv_rows(file_bytes(job))] == [str(world["theirs"].pk)]
    cases = export(theirs, django_capture_on_commit_callbacks, level="cases")
    assert [row["case_id"] for row in csv_rows(file_bytes(cases))] == [str(world["other_case"].pk)]


def test_roles_without_the_export_right_are_refused(personas):
    for persona in ("reviewer", "custodian", "administrator"):
        with pytest.raises(PermissionDenied):
            export_create(
                user=personas[persona], destination="internal", level="reports", format="csv", parameters={}
            )


def test_public_gets_no_row_level_export(personas):
    for level in ("reports", "cases"):
        with pytest.raises(ExportRefused):
            export_create(
                user=personas["coordinator"], destination="public", level=level, format="csv", parameters={}
            )


# --- Cases -----------------------------------------------------------------------------------


def test_case_export_internal_and_partner(world, personas, django_capture_on_commit_callbacks):
    coordinator = personas["coordinator"]
    internal = csv_rows(file_bytes(export(coordinator, django_capture_on_commit_callbacks, level="cases")))
    assert len(internal) == 1
    row = internal[0]
    assert row["case_id"] == str(world["case"].pk)
    assert row["title"] == "Raid at Sadovod market"
    assert (row["date_from"], row["month_from"]) == ("2025-03-17", "2025-03")
    assert row["region"] == "RU.48"
    assert row["report_count"] == "1"
    assert row["tags"] == "raid_market"
    assert row["huridocs_codes"] == "06.01"
    assert "summary" not in row
    with_text = export(coordinator, django_capture_on_commit_callbacks, level="cases", include_text=True)
    assert csv_rows(file_bytes(with_text))[0]["summary"] == "Сводка: [PERSON 1] задержан."
    partner_job = export(
        coordinator, django_capture_on_commit_callbacks, level="cases", destination="partner"
    )
    data = file_bytes(partner_job)
    partner = csv_rows(data)
    assert list(partner[0]) == fx.field_names(level="cases", destination="partner")
    for forbidden in ("Sadovod", "ОМОН", "2025-03-17", "Сводка"):
        assert forbidden.encode() not in data
    assert partner[0]["people_affected"] == "40"


def test_an_analyst_may_export_case_summaries(world, personas, django_capture_on_commit_callbacks):
    job = export(personas["analyst"], django_capture_on_commit_callbacks, level="cases", include_text=True)
    assert csv_rows(file_bytes(job))[0]["summary"].startswith("Сводка")


# --- Aggregates ------------------------------------------------------------------------------


def test_public_aggregate_export_publishes_no_count_under_k(
    personas, caseloads, report_factory, settings, django_capture_on_commit_callbacks
):
    settings.EVIDENCE_K_PUBLIC = 3
    for region, n in (("RU.48", 6), ("RU.66", 4), ("RU.47", 1)):
        for _ in range(n):
            report = report_factory(caseload=caseloads["moscow"], state="verified")
            report.region = region
            report.save(update_fields=["region"])
    report_factory(caseload=caseloads["moscow"], state="new")  # not verified: not counted
    job = export(
        personas["analyst"],
        django_capture_on_commit_callbacks,
        destination="public",
        level="aggregate",
        rows="region",
    )
    assert job.status == ExportJob.Status.DONE, job.failure_reason
    read = csv_rows(file_bytes(job))
    assert list(read[0]) == fx.field_names(level="aggregate", destination="public")
    counts = {row["key"]: row["count"] for row in read}
    assert counts["RU.48"] == "6"
    assert counts["RU.47"] == ""  # 1 < k: suppressed
    by_key = {row["key"]: row for row in read}
    assert by_key["RU.47"]["suppressed"] == "true"
    # The total would give RU.47 away (11 - 6 - 4): something else is hidden too.
    assert counts["_total"] == "" or counts["RU.66"] == ""
    for value in counts.values():
        assert value == "" or int(value) >= 3
    assert job.disclosure["k"] == 3
    assert job.disclosure["destination"] == "public"
    assert by_key["RU.48"]["label"].startswith("Moscow")


def test_aggregate_hxl_and_geojson(personas, caseloads, report_factory, django_capture_on_commit_callbacks):
    for _ in range(2):
        report = report_factory(caseload=caseloads["moscow"], state="verified")
        report.region = "RU.48"
        report.save(update_fields=["region"])
    hxl = export(
        personas["analyst"],
        django_capture_on_commit_callbacks,
        level="aggregate",
        fmt="hxl",
        rows="region",
        columns="kind",
    )
    lines = list(csv.reader(io.StringIO(file_bytes(hxl).decode("utf-8-sig"), newline="")))
    assert lines[1][lines[0].index("key")] == "#adm1+code"
    assert lines[1][lines[0].index("column_key")] == "#event+type+code+column"
    data = [dict(zip(lines[0], line, strict=True)) for line in lines[2:]]
    assert {"key": "RU.48", "column_key": "raid", "count": "2"}.items() <= next(
        row for row in data if row["key"] == "RU.48" and row["column_key"] == "raid"
    ).items()
    shapes = export(
        personas["analyst"],
        django_capture_on_commit_callbacks,
        level="aggregate",
        fmt="geojson",
        rows="region",
    )
    collection = geojson.loads(file_bytes(shapes).decode("utf-8"))
    assert collection.is_valid
    moscow = next(f for f in collection["features"] if f["properties"]["key"] == "RU.48")
    assert moscow["geometry"]["coordinates"] == [
        fx.region_points()["RU.48"][2],
        fx.region_points()["RU.48"][1],
    ]
    total = next(f for f in collection["features"] if f["properties"]["key"] == "_total")
    assert total["geometry"] is None


def test_aggregate_needs_a_known_dimension(personas):
    with pytest.raises(ExportRefused):
        export_create(
            user=personas["analyst"],
            destination="public",
            level="aggregate",
            format="csv",
            parameters={"rows": "city"},
        )


# --- Life of a job: failure, refusal, progress, expiry, audit ------------------------------


def test_a_job_that_fails_leaves_no_file_and_a_code(
    world, personas, export_dir, monkeypatch, django_capture_on_commit_callbacks
):
    def broken(out, *, columns, rows, **kwargs):
        out.write(b"half a file")
        next(iter(rows))
        raise RuntimeError("Утром [PERSON 1]")  # a message that must not be recorded

    monkeypatch.setitem(writers.FORMATS, "csv", writers.OutputFormat("csv", ".csv", "text/csv", broken))
    monkeypatch.setattr(exports, "FORMATS", writers.FORMATS)
    with pytest.raises(Exception, match="RuntimeError") as raised:
        export(personas["coordinator"], django_capture_on_commit_callbacks)
    assert "PERSON" not in str(raised.value)  # scrubbed: the class name only
    job = ExportJob.objects.get()
    assert job.status == ExportJob.Status.FAILED
    assert job.failure_reason == jobs.FAILED_UNEXPECTED
    assert job.file_name == ""
    assert list(export_dir.iterdir()) == []  # no partial file, no heartbeat left
    assert jobs.job_file(job) is None


def test_transient_database_errors_are_retried_then_recorded(world, personas, monkeypatch):
    from testimony.evidence.tasks import run_export

    calls = []

    def flaky(*, job_id):
        calls.append(job_id)
        job = jobs.job_claim(job_id=job_id)
        assert job is not None, "the job was not given back before the retry"
        raise OperationalError("server closed the connection")

    monkeypatch.setattr(exports, "export_run", flaky)
    job = export_create(
        user=personas["coordinator"], destination="internal", level="reports", format="csv", parameters={}
    )
    # Without propagation, apply() runs the retries eagerly, one after another, as a worker would.
    conf = run_export.app.conf
    propagates, conf.task_eager_propagates = conf.task_eager_propagates, False
    try:
        result = run_export.apply(kwargs={"job_id": str(job.pk)})
    finally:
        conf.task_eager_propagates = propagates
    assert result.failed()
    assert len(calls) == run_export.max_retries + 1
    job.refresh_from_db()
    assert job.status == ExportJob.Status.FAILED
    assert job.failure_reason == jobs.FAILED_TRANSIENT


def test_a_requester_who_lost_the_right_gets_a_refused_job(world, personas):
    coordinator = personas["coordinator"]
    job = export_create(
        user=coordinator, destination="internal", level="reports", format="csv", parameters={}
    )
    coordinator.role = "reviewer"
    coordinator.save(update_fields=["role"])
    assert exports.export_run(job_id=job.pk) == ExportJob.Status.FAILED
    job.refresh_from_db()
    assert job.failure_reason == jobs.FAILED_REFUSED
    assert not job.file_name


def test_running_twice_is_a_no_op(world, personas, django_capture_on_commit_callbacks):
    job = export(personas["coordinator"], django_capture_on_commit_callbacks)
    sha = job.sha256
    assert exports.export_run(job_id=job.pk) == ExportJob.Status.DONE
    job.refresh_from_db()
    assert job.sha256 == sha
    assert AuditEntry.objects.filter(action="evidence.export_done").count() == 1


def test_progress_is_reported_while_writing(world, personas, monkeypatch, report_factory, caseloads):
    for _ in range(5):
        report_factory(caseload=caseloads["moscow"])
    monkeypatch.setattr(exports, "PROGRESS_EVERY", 2)
    seen = []
    original = jobs.job_progress

    def spy(job, *, done, total=None):
        seen.append((done, total))
        original(job, done=done, total=total)

    monkeypatch.setattr(jobs, "job_progress", spy)
    job = export_create(
        user=personas["coordinator"], destination="internal", level="reports", format="csv", parameters={}
    )
    exports.export_run(job_id=job.pk)
    assert seen[0] == (0, 7)
    assert (2, None) in seen
    assert (6, None) in seen
    assert seen[-1] == (7, 7)


def test_audit_rows_for_request_completion_and_no_data(world, personas, django_capture_on_commit_callbacks):
    job = export(
        personas["coordinator"], django_capture_on_commit_callbacks, destination="partner", fmt="json"
    )
    asked = AuditEntry.objects.get(action="evidence.export", object_id=str(job.pk))
    assert asked.actor_id == personas["coordinator"].pk
    assert asked.details["destination"] == "partner"
    assert asked.details["format"] == "json"
    done = AuditEntry.objects.get(action="evidence.export_done", object_id=str(job.pk))
    assert done.details["rows"] == 2
    assert done.details["sha256"] == hashlib.sha256(file_bytes(job)).hexdigest() == job.sha256
    for entry in (asked, done):
        text = json.dumps(entry.details, ensure_ascii=False)
        assert "PERSON" not in text
        assert "Москв" not in text


def test_the_file_is_private_to_the_service_account(world, personas, django_capture_on_commit_callbacks):
    job = export(personas["coordinator"], django_capture_on_commit_callbacks)
    assert os.stat(jobs.job_file(job)).st_mode & 0o077 == 0


def test_expiry_deletes_the_file(world, personas, export_dir, django_capture_on_commit_callbacks):
    job = export(personas["coordinator"], django_capture_on_commit_callbacks)
    path = jobs.job_file(job)
    assert path.exists()
    assert jobs.jobs_expire(now=job.expires_at - dt.timedelta(minutes=1)) == 0
    assert path.exists()
    assert jobs.jobs_expire(now=job.expires_at + dt.timedelta(seconds=1)) == 1
    assert not path.exists()
    job.refresh_from_db()
    assert job.status == ExportJob.Status.EXPIRED
    assert jobs.job_file(job) is None


def test_the_periodic_task_expires_and_ends_dead_jobs(
    world, personas, export_dir, django_capture_on_commit_callbacks
):
    from testimony.evidence.tasks import expire_exports

    done = export(personas["coordinator"], django_capture_on_commit_callbacks)
    ExportJob.objects.filter(pk=done.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    dead = ExportJob.objects.create(
        organisation=done.organisation,
        destination="internal",
        level="reports",
        format="csv",
        status="running",
    )
    alive = ExportJob.objects.create(
        organisation=done.organisation,
        destination="internal",
        level="reports",
        format="csv",
        status="running",
    )
    old = timezone.now() - jobs.STALE_AFTER - dt.timedelta(minutes=5)
    ExportJob.objects.filter(pk__in=[dead.pk, alive.pk]).update(created_at=old)
    jobs.job_heartbeat(job_id=alive.pk)  # alive: its worker reported progress just now
    (export_dir / f".{dead.pk}.csv.part").write_bytes(b"partial")
    stale_beat = export_dir / f".{dead.pk}.alive"
    stale_beat.touch()
    os.utime(stale_beat, (old.timestamp(), old.timestamp()))

    assert expire_exports.apply().get() == 1
    statuses = dict(ExportJob.objects.values_list("pk", "status"))
    assert statuses[done.pk] == ExportJob.Status.EXPIRED
    assert statuses[dead.pk] == ExportJob.Status.FAILED
    assert statuses[alive.pk] == ExportJob.Status.RUNNING
    assert ExportJob.objects.get(pk=dead.pk).failure_reason == jobs.FAILED_INTERRUPTED
    assert not (export_dir / f".{dead.pk}.csv.part").exists()
    assert not jobs.job_file(done)


def test_queries_do_not_grow_with_rows(personas, caseloads, report_factory):
    """Tags and case links come with each row (aggregated over a join), not from a query per row or chunk."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries_for(n: int) -> int:
        source = rows.report_source(
            user=personas["coordinator"], filters=QueueFilters(), destination="internal", chunk_size=4
        )
        with CaptureQueriesContext(connection) as queries:
            produced = list(source)
        assert len(produced) == n
        return len(queries.captured_queries)

    tag = Tag.objects.get(slug="raid_market")
    for _ in range(3):
        ReportTag.objects.create(report=report_factory(caseload=caseloads["moscow"]), tag=tag)
    few = queries_for(3)
    for _ in range(10):
        ReportTag.objects.create(report=report_factory(caseload=caseloads["moscow"]), tag=tag)
    assert queries_for(13) == few


def test_a_job_stopped_by_its_time_limit_says_so(
    world, personas, monkeypatch, django_capture_on_commit_callbacks
):
    from celery.exceptions import SoftTimeLimitExceeded

    def slow(*, job_id):
        jobs.job_claim(job_id=job_id)
        raise SoftTimeLimitExceeded

    monkeypatch.setattr(exports, "export_run", slow)
    with pytest.raises(Exception, match="SoftTimeLimitExceeded"):
        export(personas["coordinator"], django_capture_on_commit_callbacks)
    job = ExportJob.objects.get()
    assert job.status == ExportJob.Status.FAILED
    assert job.failure_reason == jobs.FAILED_TIMEOUT


def test_a_job_stays_queued_when_the_broker_is_away(
    world, personas, monkeypatch, caplog, django_capture_on_commit_callbacks
):
    from kombu.exceptions import OperationalError as BrokerError

    from testimony.evidence.tasks import run_export

    def away(*args, **kwargs):
        raise BrokerError("connection refused")

    monkeypatch.setattr(run_export, "apply_async", away)
    job = export(personas["coordinator"], django_capture_on_commit_callbacks)
    assert job.status == ExportJob.Status.QUEUED
    assert f"job {job.pk} stays queued" in caplog.text


def test_aggregates_with_text_are_refused_as_having_none(personas):
    with pytest.raises(ExportRefused, match="no text"):
        export_create(
            user=personas["coordinator"],
            destination="internal",
            level="aggregate",
            format="csv",
            parameters={"rows": "region", "include_text": True},
        )
