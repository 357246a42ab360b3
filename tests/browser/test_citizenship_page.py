"""The optional citizenship question in a real browser, with and without JavaScript."""

from __future__ import annotations

import pytest

from testimony.crypto import age, padding
from testimony.crypto.keys import load_intake_identity
from testimony.intake.models import Submission
from testimony.review.models import Report
from tests.browser.conftest import screenshot
from tests.browser.test_submission_page import fill_form, wait_for_receipt

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _sent_report() -> dict:
    submission = Submission.objects.get()
    return padding.unpad_report(age.decrypt(bytes(submission.report_ciphertext), load_intake_identity()))


def test_with_javascript_a_chosen_citizenship_is_encrypted_in_the_report(phone, live_server):
    phone.goto(f"{live_server.url}/en/")
    assert phone.input_value("select[name=citizenship]") == ""
    fill_form(phone)
    phone.select_option("select[name=citizenship]", "TJ")
    phone.locator("select[name=citizenship]").scroll_into_view_if_needed()
    screenshot(phone, "citizenship-question-en")
    phone.click("#send")
    wait_for_receipt(phone)
    assert Submission.objects.get().encrypted_by == "browser"
    assert _sent_report()["citizenship"] == "TJ"
    assert Report.objects.get().nationality == "TJ"


def test_with_javascript_an_unanswered_citizenship_is_sent_empty(phone, live_server):
    phone.goto(f"{live_server.url}/ru/")
    fill_form(phone)
    phone.click("#send")
    wait_for_receipt(phone)
    assert _sent_report()["citizenship"] == ""
    assert Report.objects.get().nationality == ""


def test_without_javascript_a_chosen_citizenship_reaches_the_report(phone_without_javascript, live_server):
    page = phone_without_javascript
    page.goto(f"{live_server.url}/uz/")
    fill_form(page)
    page.select_option("select[name=citizenship]", "UZ")
    page.click("#send")
    page.wait_for_selector("[data-receipt]")
    assert Submission.objects.get().encrypted_by == "server"
    assert _sent_report()["citizenship"] == "UZ"
    assert Report.objects.get().nationality == "UZ"
