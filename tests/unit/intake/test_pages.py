"""The submitter pages without JavaScript: the form, the receipt and the follow-up."""

import datetime as dt
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from testimony.crypto import age, padding
from testimony.crypto.keys import load_intake_identity
from testimony.intake.models import Message, Submission, Upload
from testimony.intake.services import message_to_submitter_create, upload_ciphertext

pytestmark = pytest.mark.django_db(transaction=True)

RECEIPT = re.compile(r"\d{4} \d{4} \d{4} \d{4} \d{4}")


def form_data(**overrides):
    last_month = dt.date.today().replace(day=1) - dt.timedelta(days=1)
    data = {
        "kind": "detention",
        "when_year": str(last_month.year),
        "when_month": str(last_month.month),
        "when_day": "",
        "country": "RU",
        "place": "RU.47",
        "place_details": "ЦВСИГ",
        "who": ["detention_staff", "police"],
        "account": "Нас держали три недели, кормили только хлебом.",
        "consent": "on",
    }
    data.update(overrides)
    return data


def test_root_redirects_to_the_language_the_browser_asks_for(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="uz,ru;q=0.8")
    assert response.status_code == 302
    assert response["Location"] == "/uz/"


@pytest.mark.parametrize("language", ["ru", "uz", "tg", "ky", "kk", "en"])
def test_form_renders_in_each_language_with_a_switcher(client, language):
    response = client.get(f"/{language}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{language}"' in html
    for code in ["ru", "uz", "tg", "ky", "kk", "en"]:
        assert f'href="/{code}/"' in html


def test_form_without_javascript_gives_a_receipt_and_stores_ciphertext(client):
    response = client.post("/ru/", form_data())
    assert response.status_code == 200
    receipt = RECEIPT.search(response.content.decode())
    assert receipt
    submission = Submission.objects.get()
    assert submission.encrypted_by == "server"
    report = padding.unpad_report(age.decrypt(bytes(submission.report_ciphertext), load_intake_identity()))
    assert report["kind"] == "detention"
    assert report["when"] == form_data()["when_year"] + "-" + form_data()["when_month"].zfill(2)
    assert report["language"] == "ru"
    assert submission.status == Submission.Status.PROCESSED


def test_form_with_attachment_encrypts_it_in_memory(client):
    photo = SimpleUploadedFile("photo.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 5000, content_type="image/jpeg")
    response = client.post("/ru/", form_data(attachments=[photo]))
    assert response.status_code == 200
    upload = Upload.objects.get()
    item = padding.unpack_attachment(age.decrypt(upload_ciphertext(upload), load_intake_identity()))
    assert item.name == "photo.jpg"
    assert item.content.startswith(b"\xff\xd8")


def test_uploads_never_go_to_a_temporary_file(client, monkeypatch, settings):
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 10  # Django's own handlers would spill to disk at this size.

    def refuse(*args, **kwargs):
        raise AssertionError("a temporary upload file was created")

    monkeypatch.setattr("django.core.files.uploadedfile.TemporaryUploadedFile.__init__", refuse)
    big = SimpleUploadedFile("voice.ogg", b"OggS" + b"\x01" * 200_000, content_type="audio/ogg")
    assert client.post("/ru/", form_data(attachments=[big])).status_code == 200


def test_oversize_file_is_refused_and_the_text_is_kept(client, settings):
    settings.ATTACHMENT_MAX_BYTES = 10_000
    big = SimpleUploadedFile("video.mp4", b"\x00" * 20_000, content_type="video/mp4")
    response = client.post("/ru/", form_data(account="Мой уникальный рассказ", attachments=[big]))
    assert response.status_code == 400
    html = response.content.decode()
    assert "Мой уникальный рассказ" in html
    assert 'role="alert"' in html
    assert Submission.objects.count() == 0


def test_too_many_files_are_refused(client, settings):
    settings.ATTACHMENT_MAX_COUNT = 1
    files = [SimpleUploadedFile(f"{n}.txt", b"x", content_type="text/plain") for n in range(2)]
    assert client.post("/ru/", form_data(attachments=files)).status_code == 400
    assert Submission.objects.count() == 0


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"kind": ""}, "kind"),
        ({"account": ""}, "account"),
        ({"consent": ""}, "consent"),
        ({"who": []}, "who"),
        ({"when_day": "31", "when_month": "2"}, "when_day"),
        ({"country": "UZ", "place": "RU.47"}, "place"),
        ({"when_year": str(dt.date.today().year + 1)}, "when_year"),
    ],
)
def test_missing_or_wrong_fields_are_explained_and_nothing_is_stored(client, change, field):
    response = client.post("/en/", form_data(**change))
    assert response.status_code == 400
    assert f'id="id_{field}-error"' in response.content.decode()
    assert "Нас держали три недели" in response.content.decode() or change.get("account") == ""
    assert Submission.objects.count() == 0


def test_error_message_is_in_the_page_language(client):
    english = client.post("/en/", form_data(account="")).content.decode()
    assert "Describe what happened." in english


def test_account_over_the_limit_is_refused(client, settings):
    settings.ACCOUNT_MAX_CHARS = 100
    response = client.post("/ru/", form_data(account="я" * 101))
    assert response.status_code == 400
    assert Submission.objects.count() == 0


def test_without_javascript_a_global_rate_limit_applies(client, settings, monkeypatch):
    settings.NOJS_SUBMISSIONS_PER_MINUTE = 2
    monkeypatch.setattr("testimony.intake.throttle.time.time", lambda: 1_800_000_000.0)
    codes = [client.post("/ru/", form_data()).status_code for _ in range(3)]
    assert codes == [200, 200, 429]
    assert Submission.objects.count() == 2


def _receipt(client) -> str:
    return RECEIPT.search(client.post("/ru/", form_data()).content.decode()).group(0)


def test_follow_up_with_receipt_shows_status_and_messages(client):
    receipt = _receipt(client)
    message_to_submitter_create(submission_id=Submission.objects.get().id, text="В каком городе это было?")
    response = client.post("/ru/followup/", {"receipt": receipt})
    assert response.status_code == 200
    assert "В каком городе это было?" in response.content.decode()


def test_follow_up_reply_is_added_to_the_thread(client):
    receipt = _receipt(client)
    response = client.post("/ru/followup/reply/", {"receipt": receipt, "text": "В Москве, на Садоводе"})
    assert response.status_code == 200
    assert "В Москве, на Садоводе" in response.content.decode()
    assert Message.objects.get().direction == Message.Direction.FROM_SUBMITTER


def test_follow_up_with_wrong_receipt_says_so(client):
    _receipt(client)
    response = client.post("/en/followup/", {"receipt": "1111 2222 3333 4444 5555"})
    assert response.status_code == 404
    assert "No report has this receipt" in response.content.decode()


def test_reviewer_message_opens_only_with_its_own_receipt(client):
    first = _receipt(client)
    second = _receipt(client)
    target = Submission.objects.exclude(id=Submission.objects.order_by("id").first().id).first()
    message_to_submitter_create(submission_id=target.id, text="Только для вас")
    pages = [client.post("/ru/followup/", {"receipt": r}).content.decode() for r in (first, second)]
    assert sum("Только для вас" in page for page in pages) == 1


def test_without_javascript_photo_metadata_is_removed_before_encryption(client):
    from tests.unit.intake.test_photo_metadata import GPS, _jpeg

    photo = SimpleUploadedFile("IMG_1.jpg", _jpeg(), content_type="image/jpeg")
    assert client.post("/ru/", form_data(attachments=[photo])).status_code == 200
    item = padding.unpack_attachment(
        age.decrypt(upload_ciphertext(Upload.objects.get()), load_intake_identity())
    )
    assert GPS not in item.content
    assert item.content.startswith(b"\xff\xd8")


def test_without_javascript_location_is_kept_when_asked(client):
    from tests.unit.intake.test_photo_metadata import GPS, _jpeg

    photo = SimpleUploadedFile("IMG_2.jpg", _jpeg(), content_type="image/jpeg")
    assert client.post("/ru/", form_data(keep_location="on", attachments=[photo])).status_code == 200
    item = padding.unpack_attachment(
        age.decrypt(upload_ciphertext(Upload.objects.get()), load_intake_identity())
    )
    assert GPS in item.content
