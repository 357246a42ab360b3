"""A submitter's reply in Chromium: its placeholders and places marked as the account's are, its
redactions corrected from the thread inside the report page (HTMX), hostile words in it inert."""

from __future__ import annotations

import pytest

from tests.browser.conftest import screenshot
from tests.browser.helpers import log_in
from tests.browser.test_console import HOSTILE, assert_inert, console, reviewer, submit  # noqa: F401 (fixtures)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REPLY = "Холикова брата забрали в Москве, звоните Бахрому Каримову +7 926 555-12-34. Я спросил у соседа."


def test_a_reviewer_corrects_the_redactions_of_a_reply(console, live_server, reviewer):  # noqa: F811
    from testimony.audit.models import AuditEntry
    from testimony.intake.models import Message
    from testimony.intake.services import message_from_submitter_create
    from testimony.processing import tasks

    user, device = reviewer
    receipt, report = submit("Меня зовут Фаррух Холиков, мой телефон +7 916 123-45-67. ОМОН на рынке.")
    message_from_submitter_create(receipt_text=receipt, text=f"{REPLY} {HOSTILE}", ciphertext=None)
    reply = Message.objects.get(submission_id=report.pk, direction="from_submitter")
    tasks.process_message(message_id=str(reply.pk))
    page = console
    log_in(page, live_server.url, user, device)

    # The thread loads inside the report page; the reply is marked as the account is.
    page.goto(f"{live_server.url}/console/reports/{report.pk}/")
    text = page.locator("#contact li.from-submitter .message-text")
    text.wait_for()
    assert text.locator("mark.redaction").all_inner_texts() == ["[PERSON 1]", "[PERSON 2]", "[PHONE 2]"]
    assert text.locator("mark.place").all_inner_texts() == ["Москве"]
    assert '<script>window.__pwned = "script"' in text.inner_text()  # the payload shown as text
    assert page.locator("main script, main svg, main img[src=x]").count() == 0

    # Hide the neighbour (typed words, every occurrence): the next number no text on the page uses.
    page.click("#contact li.from-submitter details.reply-redactions summary")
    page.fill("#contact li.from-submitter input[name=words]", "соседа")
    page.select_option("#contact li.from-submitter form[action$='add/'] select[name=label]", "PERSON")
    page.click("#contact li.from-submitter form[action$='add/'] button[type=submit]")
    page.wait_for_selector("#contact p.success")
    text = page.locator("#contact li.from-submitter .message-text")
    assert "[PERSON 3]" in text.locator("mark.redaction").all_inner_texts()
    assert "соседа" not in text.inner_text()
    page.click("#contact li.from-submitter details.reply-redactions summary")
    page.locator("#contact").scroll_into_view_if_needed()
    screenshot(page, "console-reply-redactions")

    # Restore the phone number the worker hid: the words it kept sealed come back, in this reply only.
    row = page.locator("#contact li.from-submitter tr", has_text="[PHONE 2]")
    row.locator("form[action$='remove/'] button[type=submit]").click()
    page.wait_for_function(
        "() => document.querySelector('#contact li.from-submitter .message-text')"
        ".innerText.includes('+7 926')"
    )
    assert "[PHONE 1]" in page.inner_text("#text")  # the account keeps its own
    actions = list(AuditEntry.objects.filter(object_id=str(report.pk)).values_list("action", flat=True))
    assert "report.reply_redaction_add" in actions
    assert "report.reply_redaction_remove" in actions
    assert_inert(page)
