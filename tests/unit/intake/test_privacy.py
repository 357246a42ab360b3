"""Anonymity as tests: no plaintext on disk, no address or user agent anywhere, no cookies."""

import base64
import logging
import os
import tempfile
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import RequestFactory

from testimony.crypto import age, padding
from testimony.intake.middleware import StripClientMetadataMiddleware
from tests.disk import files_containing
from tests.unit.intake.test_pages import form_data

pytestmark = pytest.mark.django_db(transaction=True)

MARKER = "ZX-MARKER-5f1c9a-ZX"
CLIENT_IP = "203.0.113.77"
FORWARDED_IP = "198.51.100.23"
USER_AGENT = "MarkerPhone/9.9 (UA-3b7e)"
CLIENT_META = {
    "REMOTE_ADDR": CLIENT_IP,
    "HTTP_X_FORWARDED_FOR": FORWARDED_IP,
    "HTTP_USER_AGENT": USER_AGENT,
    "HTTP_REFERER": f"https://example.org/{MARKER}-referer",
}


def _disk_contains(needle: bytes, since: float) -> list[str]:
    roots = [Path(os.environ["VAR_DIR"]), Path(tempfile.gettempdir()), Path(settings.VAR_DIR)]
    return files_containing(needle, roots, since=since)


def _database_text() -> str:
    """Every row of every table, as SQL text (SQLite's own dump of the file-backed test database)."""
    return "\n".join(connection.connection.iterdump())


def _submit_everything(client, solved_pow) -> None:
    # A form post without JavaScript, with a file...
    photo = SimpleUploadedFile(f"{MARKER}.jpg", f"JPEG {MARKER}".encode() * 100, content_type="image/jpeg")
    assert (
        client.post(
            "/ru/", form_data(account=f"Рассказ {MARKER}", attachments=[photo]), **CLIENT_META
        ).status_code
        == 200
    )
    # ...a JSON report through the API, and a ciphertext report...
    report = {
        "v": 1,
        "kind": "raid",
        "when": time.strftime("%Y-%m"),
        "where": {"country": "RU", "place": "", "details": MARKER},
        "who": ["police"],
        "account": f"API {MARKER}",
        "language": "ru",
        "keep_location": False,
        "consent": True,
    }
    for body in (
        {"report": report},
        {"ciphertext": base64.b64encode(age.encrypt_to_intake(padding.pad_report(report))).decode()},
    ):
        response = client.post(
            "/api/v1/submissions/",
            {"pow": solved_pow(), **body},
            content_type="application/json",
            **CLIENT_META,
        )
        assert response.status_code == 201
    # ...and a reply on the follow-up page.
    receipt = response.json()["receipt"]
    assert (
        client.post(
            "/ru/followup/reply/", {"receipt": receipt, "text": f"Ответ {MARKER}"}, **CLIENT_META
        ).status_code
        == 200
    )


def test_no_plaintext_reaches_the_database_disk_or_logs(client, solved_pow, caplog, capfd):
    caplog.set_level(logging.DEBUG)
    started = time.time() - 1
    _submit_everything(client, solved_pow)
    dump = _database_text()
    assert "intake_submission" in dump  # the dump really covers the tables
    assert MARKER not in dump
    assert MARKER.encode() not in Path(connection.settings_dict["NAME"]).read_bytes()
    assert _disk_contains(MARKER.encode(), started) == []
    captured = capfd.readouterr()
    assert MARKER not in caplog.text + captured.out + captured.err


def test_no_address_or_user_agent_in_any_table_or_log(client, solved_pow, caplog, capfd):
    caplog.set_level(logging.DEBUG)
    started = time.time() - 1
    _submit_everything(client, solved_pow)
    client.post("/ru/followup/", {"receipt": "0000 0000 0000 0000 0000"}, **CLIENT_META)  # a logged 404
    client.get("/ru/does-not-exist/", **CLIENT_META)
    dump = _database_text()
    captured = capfd.readouterr()
    logs = caplog.text + captured.out + captured.err
    for needle in (CLIENT_IP, FORWARDED_IP, USER_AGENT, "UA-3b7e"):
        assert needle not in dump
        assert needle not in logs
        assert _disk_contains(needle.encode(), started) == []


def test_request_metadata_is_gone_before_any_view_runs():
    seen = {}

    def view(request):
        seen.update(request.META)
        return None

    request = RequestFactory().get(
        "/", **CLIENT_META, HTTP_X_REAL_IP=CLIENT_IP, HTTP_FORWARDED=f"for={CLIENT_IP}"
    )
    StripClientMetadataMiddleware(view)(request)
    values = " ".join(str(value) for value in seen.values())
    assert CLIENT_IP not in values
    assert FORWARDED_IP not in values
    assert USER_AGENT not in values
    assert seen["REMOTE_ADDR"] == ""


def test_stripping_middleware_comes_first():
    assert settings.MIDDLEWARE[0] == "testimony.intake.middleware.StripClientMetadataMiddleware"


def test_submitter_side_sets_no_cookie(client, solved_pow):
    responses = [
        client.get("/", HTTP_ACCEPT_LANGUAGE="kk"),
        client.get("/ru/"),
        client.get("/ru/followup/"),
        client.post("/ru/", form_data()),
        client.post("/ru/", form_data(account="")),
        client.post("/ru/followup/", {"receipt": "1"}),
        client.get("/api/v1/challenges/"),
        client.post("/api/v1/submissions/", {}, content_type="application/json"),
    ]
    for response in responses:
        assert not response.cookies, response.request["PATH_INFO"]
        assert "Set-Cookie" not in response


def test_received_date_is_kept_to_the_day(client):
    from testimony.intake.models import Submission

    client.post("/ru/", form_data())
    field_types = {
        field.get_internal_type()
        for field in Submission._meta.get_fields()
        if hasattr(field, "get_internal_type")
    }
    assert "DateTimeField" in field_types  # processing_deadline, which is cleared once processed
    submission = Submission.objects.get()
    assert submission.processing_deadline is None
    assert type(submission.received_on).__name__ == "date"
