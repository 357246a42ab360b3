"""The submission API: happy paths, and every bad input refused with a 4xx and no row left."""

import base64
import datetime as dt

import pytest

from testimony.crypto import age, padding
from testimony.crypto.keys import load_intake_identity
from testimony.intake.models import Message, Submission, Upload

# Real commits, so that the on-commit hand-off to the (eager) worker runs as in production.
pytestmark = pytest.mark.django_db(transaction=True)


def _ciphertext(report: dict) -> str:
    return base64.b64encode(age.encrypt_to_intake(padding.pad_report(report))).decode()


def _post(client, path, body):
    return client.post(path, body, content_type="application/json")


def test_client_encrypted_submission_returns_a_receipt_and_stores_only_ciphertext(client, solved_pow, report):
    response = _post(client, "/api/v1/submissions/", {"pow": solved_pow(), "ciphertext": _ciphertext(report)})
    assert response.status_code == 201
    receipt = response.json()["receipt"]
    assert len(receipt) == 24
    assert receipt.replace(" ", "").isdigit()
    submission = Submission.objects.get()
    assert submission.encrypted_by == "browser"
    assert bytes(submission.report_ciphertext).startswith(age.AGE_MAGIC)
    assert receipt.replace(" ", "") not in submission.receipt_lookup


def test_server_encrypted_submission_is_processed_by_the_worker(client, solved_pow, report):
    response = _post(client, "/api/v1/submissions/", {"pow": solved_pow(), "report": report})
    assert response.status_code == 201
    submission = Submission.objects.get()
    assert submission.encrypted_by == "server"
    plaintext = age.decrypt(bytes(submission.report_ciphertext), load_intake_identity())
    assert padding.unpad_report(plaintext) == report
    # Unit settings run tasks eagerly: the hand-off decrypted and marked it.
    assert submission.status == Submission.Status.PROCESSED


def _refused(response, status, code):
    assert response.status_code == status, response.content
    body = response.json()["error"]
    assert body["code"] == code
    assert body["message"]
    assert Submission.objects.count() == 0


def test_missing_proof_of_work_is_refused(client, report):
    _refused(_post(client, "/api/v1/submissions/", {"ciphertext": _ciphertext(report)}), 400, "invalid")


def test_wrong_proof_of_work_is_refused(client, report):
    import hashlib

    from testimony.intake import pow as pow_module

    challenge = pow_module.issue()
    # The first nonce that does NOT solve the challenge.
    nonce = next(
        str(n)
        for n in range(1000)
        if pow_module.leading_zero_bits(hashlib.sha256(f"{challenge.token}:{n}".encode()).digest())
        < challenge.difficulty
    )
    body = {"pow": {"challenge": challenge.token, "nonce": nonce}, "ciphertext": _ciphertext(report)}
    _refused(_post(client, "/api/v1/submissions/", body), 400, "pow_invalid")


def test_forged_challenge_is_refused(client, report):
    from testimony.intake import pow as pow_module

    token = "eyJpIjoiMDAiLCJkIjowLCJlIjo5OTk5OTk5OTk5fQ.forged"
    pow_ = {"challenge": token, "nonce": pow_module.solve(token, 0)}
    _refused(
        _post(client, "/api/v1/submissions/", {"pow": pow_, "ciphertext": _ciphertext(report)}),
        400,
        "pow_invalid",
    )


def test_a_challenge_is_spent_once(client, solved_pow, report):
    pow_ = solved_pow()
    assert (
        _post(client, "/api/v1/submissions/", {"pow": pow_, "ciphertext": _ciphertext(report)}).status_code
        == 201
    )
    again = _post(client, "/api/v1/submissions/", {"pow": pow_, "ciphertext": _ciphertext(report)})
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "pow_reused"
    assert Submission.objects.count() == 1


@pytest.mark.parametrize(
    ("ciphertext", "code"),
    [
        (base64.b64encode(b"not age at all").decode(), "malformed_ciphertext"),
        ("%%% not base64 %%%", "invalid"),
    ],
)
def test_malformed_ciphertext_is_refused(client, solved_pow, ciphertext, code):
    _refused(
        _post(client, "/api/v1/submissions/", {"pow": solved_pow(), "ciphertext": ciphertext}), 400, code
    )


def test_truncated_ciphertext_is_refused(client, solved_pow, report):
    whole = age.encrypt_to_intake(padding.pad_report(report))
    truncated = base64.b64encode(whole[: len(whole) // 2]).decode()
    _refused(
        _post(client, "/api/v1/submissions/", {"pow": solved_pow(), "ciphertext": truncated}),
        400,
        "malformed_ciphertext",
    )


def test_oversize_ciphertext_is_refused(client, solved_pow, settings, report):
    settings.REPORT_CIPHERTEXT_MAX_BYTES = 4096
    big = report | {"account": "слово " * 2000}
    _refused(
        _post(client, "/api/v1/submissions/", {"pow": solved_pow(), "ciphertext": _ciphertext(big)}),
        413,
        "too_large",
    )


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"kind": "picnic"}, "kind"),
        ({"account": ""}, "account"),
        ({"account": "я" * 20001}, "account"),
        ({"when": "2999-01"}, "when"),
        ({"when": "yesterday"}, "when"),
        ({"who": []}, "who"),
        ({"where": {"country": "XX"}}, "country"),
        ({"where": {"country": "UZ", "place": "524901"}}, "place"),
        ({"consent": False}, "consent"),
    ],
)
def test_invalid_json_report_is_refused_with_the_field(client, solved_pow, report, change, field):
    response = _post(client, "/api/v1/submissions/", {"pow": solved_pow(), "report": report | change})
    _refused(response, 400, "invalid_report")
    assert field in [problem["field"] for problem in response.json()["error"]["problems"]]


def test_both_ciphertext_and_report_is_refused(client, solved_pow, report):
    body = {"pow": solved_pow(), "report": report, "ciphertext": _ciphertext(report)}
    _refused(_post(client, "/api/v1/submissions/", body), 400, "invalid")


def test_body_that_is_not_json_is_refused(client):
    response = client.post("/api/v1/submissions/", "{not json", content_type="application/json")
    _refused(response, 400, "malformed")


def test_error_messages_follow_accept_language(client, solved_pow, report):
    from django.utils import translation

    messages = {}
    for language in ("en", "ru", "kk"):
        response = client.post(
            "/api/v1/submissions/",
            {"pow": solved_pow(), "report": report | {"account": ""}},
            content_type="application/json",
            HTTP_ACCEPT_LANGUAGE=language,
        )
        assert response.status_code == 400
        messages[language] = response.json()["error"]["message"]
        with translation.override(language):
            assert messages[language] == translation.gettext("Describe what happened.")
    assert len(set(messages.values())) == 3


def _upload(client, solved_pow, ciphertext: bytes, chunk: int) -> dict:
    created = _post(client, "/api/v1/uploads/", {"pow": solved_pow(), "size": len(ciphertext)})
    assert created.status_code == 201, created.content
    body = created.json()
    for offset in range(0, len(ciphertext), chunk):
        response = client.put(
            f"/api/v1/uploads/{body['id']}/",
            ciphertext[offset : offset + chunk],
            content_type="application/octet-stream",
            HTTP_UPLOAD_TOKEN=body["token"],
            HTTP_UPLOAD_OFFSET=str(offset),
        )
        assert response.status_code == 200, response.content
    return body


def _attachment_ciphertext(size: int) -> bytes:
    item = padding.AttachmentPlaintext(name="photo.jpg", content_type="image/jpeg", content=b"\xff" * size)
    return age.encrypt_to_intake(padding.pack_attachment(item))


def test_chunked_upload_then_submission_with_attachment(client, solved_pow, settings, report):
    settings.UPLOAD_CHUNK_BYTES = 64 * 1024
    ciphertext = _attachment_ciphertext(150_000)
    upload = _upload(client, solved_pow, ciphertext, 64 * 1024)
    body = {
        "pow": solved_pow(),
        "ciphertext": _ciphertext(report),
        "attachments": [{"id": upload["id"], "token": upload["token"]}],
    }
    assert _post(client, "/api/v1/submissions/", body).status_code == 201
    stored = Upload.objects.get()
    assert stored.submission_id == Submission.objects.get().id
    from testimony.intake.services import upload_ciphertext

    assert upload_ciphertext(stored) == ciphertext
    assert Submission.objects.get().status == Submission.Status.PROCESSED


def test_upload_resumes_from_the_offset_the_server_reports(client, solved_pow, settings):
    settings.UPLOAD_CHUNK_BYTES = 64 * 1024
    ciphertext = _attachment_ciphertext(100_000)
    created = _post(client, "/api/v1/uploads/", {"pow": solved_pow(), "size": len(ciphertext)}).json()
    headers = {"HTTP_UPLOAD_TOKEN": created["token"]}
    url = f"/api/v1/uploads/{created['id']}/"
    first = client.put(
        url,
        ciphertext[: 64 * 1024],
        content_type="application/octet-stream",
        HTTP_UPLOAD_OFFSET="0",
        **headers,
    )
    assert first.json()["received"] == 64 * 1024
    # The client lost the answer and sends the first chunk again: refused, not duplicated.
    repeat = client.put(
        url,
        ciphertext[: 64 * 1024],
        content_type="application/octet-stream",
        HTTP_UPLOAD_OFFSET="0",
        **headers,
    )
    assert repeat.status_code == 409
    status = client.get(url, **headers).json()
    assert status == {"size": len(ciphertext), "received": 64 * 1024}
    rest = client.put(
        url,
        ciphertext[64 * 1024 :],
        content_type="application/octet-stream",
        HTTP_UPLOAD_OFFSET=str(64 * 1024),
        **headers,
    )
    assert rest.json()["received"] == len(ciphertext)


def test_upload_with_wrong_token_is_unknown(client, solved_pow):
    created = _post(client, "/api/v1/uploads/", {"pow": solved_pow(), "size": 70_000}).json()
    response = client.get(f"/api/v1/uploads/{created['id']}/", HTTP_UPLOAD_TOKEN="wrong")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "upload_unknown"


def test_upload_of_garbage_is_refused_when_complete(client, solved_pow):
    created = _post(client, "/api/v1/uploads/", {"pow": solved_pow(), "size": 1000}).json()
    response = client.put(
        f"/api/v1/uploads/{created['id']}/",
        b"\x00" * 1000,
        content_type="application/octet-stream",
        HTTP_UPLOAD_TOKEN=created["token"],
        HTTP_UPLOAD_OFFSET="0",
    )
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "malformed_ciphertext"
    assert Upload.objects.get().received == 0


def test_oversize_upload_is_refused(client, solved_pow, settings):
    settings.ATTACHMENT_MAX_BYTES = 100_000
    response = _post(client, "/api/v1/uploads/", {"pow": solved_pow(), "size": 10_000_000})
    assert response.status_code == 413
    assert Upload.objects.count() == 0


def test_incomplete_upload_cannot_be_attached(client, solved_pow, report):
    created = _post(client, "/api/v1/uploads/", {"pow": solved_pow(), "size": 70_000}).json()
    body = {
        "pow": solved_pow(),
        "ciphertext": _ciphertext(report),
        "attachments": [{"id": created["id"], "token": created["token"]}],
    }
    _refused(_post(client, "/api/v1/submissions/", body), 400, "upload_incomplete")


def test_too_many_attachments_is_refused(client, solved_pow, settings, report):
    settings.ATTACHMENT_MAX_COUNT = 1
    claims = [{"id": f"00000000-0000-0000-0000-00000000000{n}", "token": "t"} for n in range(2)]
    body = {"pow": solved_pow(), "ciphertext": _ciphertext(report), "attachments": claims}
    _refused(_post(client, "/api/v1/submissions/", body), 400, "too_many_attachments")


def _submit(client, solved_pow, report) -> str:
    return _post(client, "/api/v1/submissions/", {"pow": solved_pow(), "report": report}).json()["receipt"]


def test_follow_up_shows_status_and_reviewer_messages(client, solved_pow, report):
    from testimony.intake.services import message_to_submitter_create

    receipt = _submit(client, solved_pow, report)
    message_to_submitter_create(submission_id=Submission.objects.get().id, text="Спасибо. Где это было?")
    response = _post(client, "/api/v1/followup/", {"receipt": receipt})
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "processed"
    assert body["messages"][0]["text"] == "Спасибо. Где это было?"
    assert body["messages"][0]["from_submitter"] is False
    assert body["received_on"] == dt.date.today().isoformat()


def test_reviewer_message_is_stored_only_encrypted(client, solved_pow, report):
    from testimony.intake.services import message_to_submitter_create

    _submit(client, solved_pow, report)
    message = message_to_submitter_create(
        submission_id=Submission.objects.get().id, text="уникальная-метка-42"
    )
    stored = Message.objects.get(id=message.id)
    assert "уникальная-метка-42".encode() not in bytes(stored.ciphertext)
    assert "уникальная-метка-42".encode() not in bytes(stored.body_sealed)


def test_submitter_reply_is_threaded_and_sealed_for_the_console(client, solved_pow, report):
    from testimony.review.sealed import reply_open

    receipt = _submit(client, solved_pow, report)
    response = _post(client, "/api/v1/followup/replies/", {"receipt": receipt, "text": "Это было на рынке"})
    assert response.status_code == 201
    thread = _post(client, "/api/v1/followup/", {"receipt": receipt}).json()["messages"]
    assert [m["text"] for m in thread] == ["Это было на рынке"]
    message = Message.objects.get()
    assert reply_open(message)["redacted_text"] == "Это было на рынке"


def test_wrong_receipt_is_refused(client, solved_pow, report):
    _submit(client, solved_pow, report)
    response = _post(client, "/api/v1/followup/", {"receipt": "0000 0000 0000 0000 0000"})
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "receipt_unknown"
    assert _post(client, "/api/v1/followup/", {"receipt": "12"}).status_code == 400


def test_receipt_guessing_is_throttled_globally(client, settings, monkeypatch):
    settings.RECEIPT_FAILURES_PER_MINUTE = 3
    monkeypatch.setattr("testimony.intake.throttle.time.time", lambda: 1_800_000_000.0)
    codes = [
        _post(client, "/api/v1/followup/", {"receipt": f"0000 0000 0000 0000 000{n}"}).status_code
        for n in range(5)
    ]
    assert codes == [404, 404, 404, 429, 429]


def test_openapi_schema_is_served(client):
    response = client.get("/api/schema/")
    assert response.status_code == 200
    assert b"/api/v1/submissions/" in response.content


@pytest.mark.parametrize(
    "body",
    [
        {"ciphertext": 12345},
        {"report": "a string, not an object"},
        {"report": ["a", "list"]},
        {"ciphertext": None},
        {"attachments": "not a list"},
    ],
    ids=["number-ciphertext", "string-report", "list-report", "null-ciphertext", "string-attachments"],
)
def test_wrong_types_are_refused(client, solved_pow, report, body):
    payload = {"pow": solved_pow(), **body}
    if "attachments" in body:
        payload["ciphertext"] = _ciphertext(report)
    _refused(_post(client, "/api/v1/submissions/", payload), 400, "invalid")


def test_wrong_type_for_an_upload_size_is_refused(client, solved_pow):
    response = _post(client, "/api/v1/uploads/", {"pow": solved_pow(), "size": "big"})
    assert response.status_code == 400
    assert Upload.objects.count() == 0


def test_report_fields_of_the_wrong_type_are_refused(client, solved_pow, report):
    response = _post(
        client, "/api/v1/submissions/", {"pow": solved_pow(), "report": report | {"who": "police"}}
    )
    _refused(response, 400, "invalid_report")
