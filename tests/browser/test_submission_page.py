"""What a person does on a phone: fill the form, send, keep the receipt, come back."""

from __future__ import annotations

import base64
import json
import re
from urllib.parse import urlparse

import pytest
from django.utils import translation

from testimony.crypto import age, padding
from testimony.crypto.keys import load_intake_identity
from testimony.intake.models import Submission, Upload
from testimony.intake.services import message_to_submitter_create, upload_ciphertext
from tests.browser.conftest import open_followup, reply_on_followup, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

RECEIPT = re.compile(r"^\d{4} \d{4} \d{4} \d{4} \d{4}$")
MARKER = "BROWSER-MARKER-8d2f"


def fill_form(page, *, account: str = f"Полиция пришла на рынок. {MARKER}") -> None:
    page.check("input[name=kind][value=raid]")
    page.select_option("select[name=when_month]", "1")
    page.select_option("select[name=country]", "RU")
    page.select_option("select[name=place]", "RU.47")
    page.fill("input[name=place_details]", "Садовод")
    page.check("input[name=who][value=police]")
    page.fill("textarea[name=account]", account)
    page.check("input[name=consent]")


def wait_for_receipt(page) -> str:
    page.wait_for_selector("#receipt-panel [data-receipt]:not(:empty)", timeout=60_000)
    receipt = page.inner_text("#receipt-panel [data-receipt]").strip()
    assert RECEIPT.match(receipt), receipt
    return receipt


def test_submit_with_javascript_sends_only_age_ciphertext(phone, live_server):
    phone.goto(f"{live_server.url}/ru/")
    fill_form(phone)
    phone.click("#send")
    receipt = wait_for_receipt(phone)

    posts = [r for r in phone.requests_seen if r.method == "POST"]
    assert posts, "the page sent nothing"
    for request in posts:
        body = request.post_data_buffer or b""
        assert MARKER.encode() not in body
        assert "Полиция пришла".encode() not in body
    submission_posts = [r for r in posts if r.url.endswith("/api/v1/submissions/")]
    assert len(submission_posts) == 1
    sent = json.loads(submission_posts[0].post_data)
    ciphertext = base64.b64decode(sent["ciphertext"])
    assert ciphertext.startswith(b"age-encryption.org/v1\n")
    assert "report" not in sent

    submission = Submission.objects.get()
    assert submission.encrypted_by == "browser"
    report = padding.unpad_report(age.decrypt(bytes(submission.report_ciphertext), load_intake_identity()))
    assert MARKER in report["account"]
    assert report["where"]["place"] == "RU.47"
    assert receipt.replace(" ", "") not in json.dumps(sent)
    _stock_age_opens(ciphertext, MARKER)


def _stock_age_opens(ciphertext: bytes, expected: str) -> None:
    """The organisation can open what the page sent with the stock age command, without this software."""
    import shutil
    import subprocess

    from django.conf import settings

    if shutil.which("age") is None:
        pytest.fail("the stock age command is needed (apt-get install age)")
    result = subprocess.run(
        ["age", "-d", "-i", settings.AGE_IDENTITY_FILE], input=ciphertext, capture_output=True, check=True
    )
    assert expected in padding.unpad_report(result.stdout)["account"]


def test_submit_with_javascript_disabled(phone_without_javascript, live_server):
    page = phone_without_javascript
    page.goto(f"{live_server.url}/uz/")
    fill_form(page, account="Bozorda politsiya hujjatlarni tekshirdi.")
    page.click("#send")
    page.wait_for_selector(".receipt-number")
    assert RECEIPT.match(page.inner_text(".receipt-number").strip())
    assert Submission.objects.get().encrypted_by == "server"


@pytest.mark.parametrize("language", ["ru", "uz", "tg", "ky", "kk", "en"])
def test_each_language_renders_its_own_strings(phone, live_server, language):
    with translation.override(language):
        expected_title = translation.gettext("Tell us what happened")
        expected_button = translation.gettext("Send report")
    if language != "en":
        with translation.override("en"):
            assert expected_title != translation.gettext("Tell us what happened")
    phone.goto(f"{live_server.url}/{language}/")
    assert phone.inner_text("h1") == expected_title
    assert phone.inner_text("#send") == expected_button
    assert phone.get_attribute("html", "lang") == language


def test_language_is_picked_from_accept_language(browser, live_server):
    context = browser.new_context(
        locale="kk-KZ", extra_http_headers={"Accept-Language": "kk-KZ,kk;q=0.9,ru;q=0.8"}
    )
    page = context.new_page()
    page.goto(f"{live_server.url}/")
    assert urlparse(page.url).path == "/kk/"
    context.close()


def test_receipt_round_trip_with_a_reviewer_message(phone, live_server):
    phone.goto(f"{live_server.url}/ru/")
    fill_form(phone)
    phone.click("#send")
    receipt = wait_for_receipt(phone)
    message_to_submitter_create(submission_id=Submission.objects.get().id, text="Спасибо. Вы были там одни?")

    open_followup(phone, live_server.url, receipt)
    assert "Спасибо. Вы были там одни?" in phone.inner_text(".thread")

    reply_on_followup(phone, "Нет, нас было пятеро.")
    assert "Нет, нас было пятеро." in phone.inner_text(".thread li.mine")

    phone.goto(f"{live_server.url}/ru/followup/")
    phone.fill("input[name=receipt]", "1234 5678 9012 3456 7890")
    phone.click("button[type=submit]")
    assert "Спасибо. Вы были там одни?" not in phone.content()
    assert phone.locator("[role=alert]").count() == 1


def test_quick_exit_leaves_no_history_entry(phone, live_server):
    phone.goto(f"{live_server.url}/ru/")
    phone.goto(f"{live_server.url}/ru/followup/")
    length_before = phone.evaluate("history.length")
    phone.click("[data-quick-exit]")
    phone.wait_for_url(f"{live_server.url}/api/v1/challenges/")
    assert phone.evaluate("history.length") == length_before
    phone.go_back()
    # The follow-up page was replaced: going back skips it.
    assert urlparse(phone.url).path == "/ru/"


def _jpeg_with_gps(page) -> bytes:
    """A real JPEG from the browser's encoder, with an Exif APP1 segment carrying GPS data added."""
    data_url = page.evaluate(
        """() => { const c = document.createElement('canvas'); c.width = 64; c.height = 48;
        const g = c.getContext('2d'); g.fillStyle = '#3a7'; g.fillRect(0, 0, 64, 48);
        return c.toDataURL('image/jpeg', 0.9); }"""
    )
    jpeg = base64.b64decode(data_url.split(",", 1)[1])
    tiff = (
        b"MM\x00\x2a\x00\x00\x00\x08"  # big-endian TIFF header, IFD0 at 8
        b"\x00\x01"  # one entry
        b"\x88\x25\x00\x04\x00\x00\x00\x01\x00\x00\x00\x1a"  # GPSInfo IFD pointer -> 26
        b"\x00\x00\x00\x00"  # no next IFD
        b"\x00\x01"  # GPS IFD: one entry
        b"\x00\x1b\x00\x07\x00\x00\x00\x10\x00\x00\x00\x2c"  # GPSProcessingMethod, 16 bytes at 44
        b"\x00\x00\x00\x00"
        b"GPS-55.7558N-37.6"  # the location we must not leak (16 bytes + 1)
    )
    payload = b"Exif\x00\x00" + tiff
    app1 = b"\xff\xe1" + (len(payload) + 2).to_bytes(2, "big") + payload
    return jpeg[:2] + app1 + jpeg[2:]


def test_a_photo_with_gps_exif_arrives_without_it(phone, live_server, tmp_path):
    phone.goto(f"{live_server.url}/ru/")
    photo = tmp_path / "IMG_2041.jpg"
    photo.write_bytes(_jpeg_with_gps(phone))
    assert b"GPS-55.7558N" in photo.read_bytes()
    fill_form(phone)
    phone.set_input_files("#id_attachments", str(photo))
    phone.click("#send")
    wait_for_receipt(phone)

    upload = Upload.objects.get()
    item = padding.unpack_attachment(age.decrypt(upload_ciphertext(upload), load_intake_identity()))
    assert item.content.startswith(b"\xff\xd8")
    assert b"GPS-55.7558N" not in item.content
    assert b"Exif\x00\x00MM" not in item.content or b"\x88\x25" not in item.content


def test_an_upload_interrupted_half_way_resumes(phone, live_server, tmp_path):
    document = tmp_path / "protocol.pdf"
    document.write_bytes(b"%PDF-1.4\n" + bytes(range(256)) * 10_000)  # ~2.5 MB: three chunks
    puts: list[str] = []
    cut = {"done": False}

    def drop_one_response(route):
        request = route.request
        if request.method == "PUT":
            puts.append(request.headers.get("upload-offset"))
            if request.headers.get("upload-offset") == str(1024 * 1024) and not cut["done"]:
                # The chunk reaches the server, but the phone never hears back: a dropped connection.
                cut["done"] = True
                route.fetch()
                route.abort("connectionreset")
                return
        route.continue_()

    phone.route("**/api/v1/uploads/**", drop_one_response)
    phone.goto(f"{live_server.url}/ru/")
    fill_form(phone)
    phone.set_input_files("#id_attachments", str(document))
    phone.click("#send")
    wait_for_receipt(phone)

    assert cut["done"]
    assert puts.count("0") == 1, puts  # the first chunk was not sent again
    assert puts.count(str(1024 * 1024)) == 1, puts  # the server had it: the page asked, then moved on
    upload = Upload.objects.get()
    assert upload.complete
    item = padding.unpack_attachment(age.decrypt(upload_ciphertext(upload), load_intake_identity()))
    assert item.content == document.read_bytes()


def test_the_page_makes_no_request_to_another_host(phone, live_server):
    phone.goto(f"{live_server.url}/ru/")
    phone.wait_for_load_state("networkidle")
    hosts = {
        urlparse(request.url).netloc for request in phone.requests_seen if request.url.startswith("http")
    }
    assert hosts == {urlparse(live_server.url).netloc}


def test_nothing_is_kept_in_browser_storage(phone, live_server):
    phone.goto(f"{live_server.url}/ru/")
    fill_form(phone)
    phone.click("#send")
    wait_for_receipt(phone)
    stored = phone.evaluate(
        """async () => ({local: localStorage.length, session: sessionStorage.length, cookies: document.cookie,
            workers: (await navigator.serviceWorker.getRegistrations()).length,
            databases: indexedDB.databases ? (await indexedDB.databases()).length : 0})"""
    )
    assert stored == {"local": 0, "session": 0, "cookies": "", "workers": 0, "databases": 0}
    assert phone.context.cookies() == []


@pytest.mark.parametrize("language", ["ru", "uz"])
def test_screenshots_at_phone_size(phone, live_server, language):
    phone.goto(f"{live_server.url}/{language}/")
    phone.wait_for_load_state("networkidle")
    path = screenshot(phone, f"submission-{language}-390x844")
    assert path.stat().st_size > 10_000
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, "the page scrolls sideways on a small phone"
