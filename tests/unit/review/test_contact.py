"""Two-way contact: console → follow-up page with the receipt → reply → worker → console thread."""

from __future__ import annotations

import datetime as dt
import json
import re

import pyrage
import pytest
from django.urls import reverse

from testimony.audit.models import AuditEntry
from testimony.crypto import age, padding
from testimony.crypto.atrest import seal, unseal
from testimony.intake.models import Message, Submission
from testimony.intake.services import (
    message_from_submitter_create,
    submission_create_from_report,
)
from testimony.processing import tasks
from testimony.review.data.needs_info_templates import FALLBACK_LANGUAGE, TEMPLATES
from testimony.review.models import Report
from testimony.review.services.contact import (
    ContactError,
    report_contact_thread,
    report_message_send,
    report_request_info,
)
from tests.conftest import valid_report

pytestmark = pytest.mark.django_db

LANGUAGES = ("ru", "uz", "tg", "ky", "kk", "en")
HOSTILE = '<script>alert(1)</script><img src=x onerror="alert(2)"><a href="javascript:alert(3)">x</a>'


def submitted(*, language: str = "ru", state: str = "new", caseload=None) -> tuple[Report, str]:
    """A report on a real submission (with a receipt and a reply key), stored without the worker."""
    created = submission_create_from_report(report=valid_report(), attachments=[])
    submission = created.submission
    Submission.objects.filter(pk=submission.pk).update(status=Submission.Status.PROCESSED)
    payload = {
        "account": {"redacted_text": "Утром пришли полицейские.", "redactions": [], "places": []},
        "place_details": "",
        "when": "2025-01",
        "analysis_version": "1",
    }
    report = Report.objects.create(
        submission=submission,
        language=language,
        kind="raid",
        event_month="2025-01",
        country="RU",
        text_sealed=seal(json.dumps(payload).encode(), context=f"report.text:{submission.pk}"),
        analysis_version="1",
        received_on=submission.received_on,
        state=state,
        caseload=caseload,
    )
    return report, created.receipt_display


def without_marks(page: str) -> str:
    """The page with the highlight's marks taken out (a reply is marked as the account is)."""
    return re.sub(r"</?mark[^>]*>", "", page)


def followup_page(client, receipt: str) -> str:
    response = client.post("/ru/followup/", {"receipt": receipt})
    assert response.status_code == 200
    return response.content.decode()


# --- the whole round trip -----------------------------------------------------------------------


def test_a_console_message_reaches_the_follow_up_page_and_the_reply_comes_back(client, personas):
    # given a report submitted through the real intake and processed by the worker
    created = submission_create_from_report(report=valid_report(), attachments=[])
    assert tasks.process_submission(submission_id=str(created.submission.id)) == "processed"
    report = Report.objects.get(pk=created.submission.pk)
    receipt = created.receipt_display
    # when a reviewer writes from the console
    console = client
    from tests.unit.conftest import verified_client

    verified_client(console, personas["reviewer"])
    response = console.post(
        reverse("console:report_contact_send", args=[report.pk]), {"text": "Где именно это было?"}
    )
    assert response.status_code == 302
    # then the submitter reads it on the follow-up page with the receipt
    assert "Где именно это было?" in followup_page(client, receipt)
    # when the submitter replies there
    response = client.post("/ru/followup/reply/", {"receipt": receipt, "text": "На рынке Садовод, утром"})
    assert response.status_code == 200
    reply = Message.objects.get(submission=created.submission, direction=Message.Direction.FROM_SUBMITTER)
    # then, before the worker opens it, the console says it arrived but cannot show it yet
    verified_client(console, personas["reviewer"])
    page = console.get(reverse("console:report_contact", args=[report.pk])).content.decode()
    assert "not yet decrypted" in page
    assert "Садовод" not in page
    # and once the worker has opened it, the reply is in the thread after the question
    assert tasks.process_message(message_id=str(reply.id)) is True
    page = without_marks(console.get(reverse("console:report_contact", args=[report.pk])).content.decode())
    assert "not yet decrypted" not in page
    assert page.index("Где именно это было?") < page.index("На рынке Садовод, утром")


# --- sending ------------------------------------------------------------------------------------


def test_a_message_is_encrypted_to_the_reply_key_sealed_for_the_console_and_audited_without_text(personas):
    report, _receipt = submitted()
    message = report_message_send(user=personas["reviewer"], report_id=report.pk, text="Секретный вопрос")
    message.refresh_from_db()
    assert "Секретный".encode() not in bytes(message.ciphertext)
    assert bytes(message.ciphertext).startswith(b"age-encryption.org/v1")
    opened = unseal(bytes(message.body_sealed), context=f"message.body:{message.id}")
    assert opened.decode() == "Секретный вопрос"
    entry = AuditEntry.objects.get(action="report.message_sent")
    assert entry.actor == "reviewer"
    assert entry.object_id == str(report.pk)
    assert entry.details["message"] == str(message.id)
    assert "Секрет" not in json.dumps(entry.details, ensure_ascii=False)


def test_only_the_receipt_holder_can_open_the_message(personas):
    report, _receipt = submitted()
    message = report_message_send(user=personas["reviewer"], report_id=report.pk, text="Только вам")
    from testimony.crypto.keys import load_intake_identity

    with pytest.raises(pyrage.DecryptError):
        age.decrypt(bytes(message.ciphertext), load_intake_identity())


def test_an_empty_or_overlong_message_is_refused_and_nothing_is_sent(personas):
    report, _receipt = submitted()
    with pytest.raises(ContactError):
        report_message_send(user=personas["reviewer"], report_id=report.pk, text="   ")
    with pytest.raises(ContactError):
        report_message_send(user=personas["reviewer"], report_id=report.pk, text="x" * 4001)
    assert not Message.objects.exists()
    assert not AuditEntry.objects.filter(action="report.message_sent").exists()


def test_the_service_refuses_a_role_without_the_message_permission(personas):
    from django.core.exceptions import PermissionDenied

    report, _receipt = submitted()
    with pytest.raises(PermissionDenied):
        report_message_send(user=personas["custodian"], report_id=report.pk, text="hello")


# --- the thread ---------------------------------------------------------------------------------


def test_the_thread_is_oldest_first_marks_unopened_replies_and_is_audited(personas):
    report, receipt = submitted()
    report_message_send(user=personas["reviewer"], report_id=report.pk, text="first")
    message_from_submitter_create(receipt_text=receipt, text="second", ciphertext=None)
    report_message_send(user=personas["reviewer"], report_id=report.pk, text="third")
    thread = report_contact_thread(user=personas["reviewer"], report=report)
    assert [entry.text for entry in thread.entries] == ["first", None, "third"]
    assert [entry.from_submitter for entry in thread.entries] == [False, True, False]
    assert thread.entries[1].pending
    assert AuditEntry.objects.filter(action="report.contact_viewed", object_id=str(report.pk)).count() == 1


def test_a_reply_the_worker_could_not_open_says_so(personas):
    report, _receipt = submitted()
    stranger = pyrage.x25519.Identity.generate().to_public()
    ciphertext = pyrage.encrypt(padding.pad_report({"v": 1, "text": "x"}), [stranger])
    message = Message.objects.create(
        submission=report.submission,
        direction=Message.Direction.FROM_SUBMITTER,
        sequence=1,
        ciphertext=ciphertext,
        sent_on=dt.date.today(),
    )
    tasks.process_message(message_id=str(message.id))
    thread = report_contact_thread(user=personas["reviewer"], report=report)
    assert thread.entries[0].unreadable


def test_submitter_text_is_rendered_inert(console_client, personas):
    report, receipt = submitted()
    reply = message_from_submitter_create(receipt_text=receipt, text=HOSTILE, ciphertext=None)
    tasks.process_message(message_id=str(reply.id))
    page = console_client(personas["reviewer"]).get(reverse("console:report_contact", args=[report.pk]))
    html = page.content.decode()
    assert "<script>alert(1)" not in html
    assert "<img src=x" not in html
    assert 'href="javascript:' not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_the_thread_page_without_htmx_is_a_full_page_and_with_htmx_a_fragment(console_client, personas):
    report, _receipt = submitted()
    client = console_client(personas["reviewer"])
    url = reverse("console:report_contact", args=[report.pk])
    full = client.get(url).content.decode()
    fragment = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" in full
    assert 'id="contact-thread"' in full
    assert "<html" not in fragment
    assert fragment.lstrip().startswith('<div id="contact-thread"')
    assert reverse("console:report_contact_send", args=[report.pk]) in fragment


def test_the_report_page_fragment_loads_the_thread_by_itself(personas):
    from django.template.loader import render_to_string

    report, _receipt = submitted()
    html = render_to_string("console/report/_contact.html", {"report": report})
    url = reverse("console:report_contact", args=[report.pk])
    assert f'hx-get="{url}"' in html
    assert 'hx-trigger="load"' in html
    assert f'href="{url}"' in html  # the link that works without JavaScript


def test_a_custodian_reads_the_thread_but_gets_no_forms(console_client, personas):
    report, _receipt = submitted()
    page = console_client(personas["custodian"]).get(reverse("console:report_contact", args=[report.pk]))
    assert page.status_code == 200
    assert reverse("console:report_contact_send", args=[report.pk]) not in page.content.decode()


# --- the views' gates -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("reviewer", 302),
        ("coordinator", 302),
        ("custodian", 403),
        ("analyst", 403),
        ("administrator", 403),
        ("partner_reviewer", 404),
        ("reviewer_detention_only", 404),
    ],
)
def test_who_may_write_to_the_submitter(console_client, personas, caseloads, persona, status):
    report, _receipt = submitted(caseload=caseloads["moscow"])
    response = console_client(personas[persona]).post(
        reverse("console:report_contact_send", args=[report.pk]), {"text": "Здравствуйте"}
    )
    assert response.status_code == status
    assert Message.objects.exists() == (status == 302)


@pytest.mark.parametrize(
    ("persona", "status"),
    [("reviewer", 200), ("custodian", 200), ("analyst", 403), ("partner_reviewer", 404)],
)
def test_who_may_read_the_thread(console_client, personas, persona, status):
    report, _receipt = submitted()
    response = console_client(personas[persona]).get(reverse("console:report_contact", args=[report.pk]))
    assert response.status_code == status


def test_sending_with_htmx_returns_the_updated_thread(console_client, personas):
    report, _receipt = submitted()
    response = console_client(personas["reviewer"]).post(
        reverse("console:report_contact_send", args=[report.pk]), {"text": "Спасибо"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Спасибо" in html
    assert "Message sent" in html


def test_an_empty_message_from_the_form_is_shown_as_an_error(console_client, personas):
    report, _receipt = submitted()
    response = console_client(personas["reviewer"]).post(
        reverse("console:report_contact_send", args=[report.pk]), {"text": "  "}
    )
    assert response.status_code == 400
    assert not Message.objects.exists()


# --- needs_info -------------------------------------------------------------------------------------


def test_every_template_has_a_label_and_a_text_in_every_submitter_language():
    assert set(TEMPLATES) >= {"when_where", "which_place", "documents", "contact_safe", "more_detail"}
    for key, template in TEMPLATES.items():
        assert str(template["label"]), key
        assert set(template["text"]) == set(LANGUAGES), key
        for language, text in template["text"].items():
            assert len(text.strip()) > 40, (key, language)
            assert "\n" not in text


def test_uzbek_templates_are_in_latin_script():
    for template in TEMPLATES.values():
        assert not any("\u0400" <= char <= "\u04ff" for char in template["text"]["uz"])


@pytest.mark.parametrize("language", LANGUAGES)
def test_request_info_asks_in_the_submitters_language_and_moves_to_needs_info(personas, language):
    report, _receipt = submitted(language=language, state="in_review")
    report_request_info(user=personas["reviewer"], report_id=report.pk, template_key="when_where")
    report.refresh_from_db()
    assert report.state == "needs_info"
    sent = Message.objects.get(submission=report.submission)
    text = unseal(bytes(sent.body_sealed), context=f"message.body:{sent.id}").decode()
    assert text == TEMPLATES["when_where"]["text"][language]
    entry = AuditEntry.objects.get(action="report.message_sent")
    assert entry.details["template"] == "when_where"
    assert entry.details["language"] == language
    assert AuditEntry.objects.filter(action="report.state", object_id=str(report.pk)).exists()


def test_request_info_falls_back_to_russian_and_adds_the_reviewers_line(client, personas):
    report, receipt = submitted(language="mixed", state="in_review")
    report_request_info(
        user=personas["coordinator"], report_id=report.pk, template_key="documents", extra="Можно без фото."
    )
    page = followup_page(client, receipt)
    assert TEMPLATES["documents"]["text"][FALLBACK_LANGUAGE][:40] in page
    assert "Можно без фото." in page


def test_request_info_on_a_new_report_takes_it_into_review_first(personas):
    report, _receipt = submitted(state="new")
    report_request_info(user=personas["reviewer"], report_id=report.pk, template_key="more_detail")
    report.refresh_from_db()
    assert report.state == "needs_info"
    moves = [e.details["to"] for e in AuditEntry.objects.filter(action="report.state").order_by("seq")]
    assert moves == ["in_review", "needs_info"]


def test_request_info_on_a_verified_report_is_refused_and_sends_nothing(personas):
    report, _receipt = submitted(state="verified")
    with pytest.raises(ContactError):
        report_request_info(user=personas["reviewer"], report_id=report.pk, template_key="more_detail")
    report.refresh_from_db()
    assert report.state == "verified"
    assert not Message.objects.exists()
    assert not AuditEntry.objects.filter(action="report.message_sent").exists()


def test_request_info_with_an_unknown_template_is_refused(personas):
    report, _receipt = submitted(state="in_review")
    with pytest.raises(ContactError):
        report_request_info(user=personas["reviewer"], report_id=report.pk, template_key="nonsense")
    assert not Message.objects.exists()


def test_request_info_form_without_javascript(console_client, personas):
    report, _receipt = submitted(language="kk", state="in_review")
    client = console_client(personas["reviewer"])
    page = client.get(reverse("console:report_contact", args=[report.pk])).content.decode()
    assert TEMPLATES["contact_safe"]["text"]["kk"] in page  # the reviewer sees what will be sent
    response = client.post(
        reverse("console:report_contact_request_info", args=[report.pk]), {"template": "contact_safe"}
    )
    assert response.status_code == 302
    assert response["Location"].endswith("?done=asked")
    report.refresh_from_db()
    assert report.state == "needs_info"
    page = client.get(response["Location"]).content.decode()
    assert "Question sent" in page


def test_a_reply_shows_placeholders_consistent_with_the_report(client, personas, console_client):
    # given a report whose account names a person and a phone number, processed by the worker
    created = submission_create_from_report(
        report=valid_report(
            account="Меня зовут Фаррух Холиков, мой телефон +7 916 123-45-67. Нас задержали."
        ),
        attachments=[],
    )
    assert tasks.process_submission(submission_id=str(created.submission.id)) == "processed"
    report = Report.objects.get(pk=created.submission.pk)
    # when the submitter replies with the same number, the same surname declined, and a new name
    reply = message_from_submitter_create(
        receipt_text=created.receipt_display,
        text="Холикова брата тоже забрали. Звоните 8 916 123 45 67 или Бахрому Каримову.",
        ciphertext=None,
    )
    assert tasks.process_message(message_id=str(reply.id))
    # then the console shows placeholders, those of the report where they name the same thing
    html = console_client(personas["reviewer"]).get(reverse("console:report_contact", args=[report.pk]))
    page = without_marks(html.content.decode())
    assert "[PERSON 1] брата тоже забрали. Звоните [PHONE 1] или [PERSON 2]." in page
    for words in ("Холиков", "Каримов", "916", "123 45 67"):
        assert words not in page
