"""A submitter's reply, first-class like the account: its placeholders and places marked, its
redactions corrected (add, relabel, remove) by the account's code, sealed, audited in the report's
history, and its numbering kept consistent with the report's."""

from __future__ import annotations

import datetime as dt
import html
import json
import re

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from testimony.audit.models import AuditEntry
from testimony.crypto.atrest import seal
from testimony.intake.models import Message
from testimony.review.redaction_edits import CorrectionError
from testimony.review.sealed import reply_open, reply_seal
from testimony.review.services.reply_redactions import (
    reply_redaction_add,
    reply_redaction_relabel,
    reply_redaction_remove,
    reply_version,
)

pytestmark = pytest.mark.django_db

ACCOUNT = "Утром [PERSON 1] и [PERSON 2] видели ОМОН на рынке. Тел [PHONE 1]."
ACCOUNT_ORIGINALS = {"[PERSON 1]": "Фаррух", "[PERSON 2]": "Бахром", "[PHONE 1]": "+7 916 123-45-67"}
REPLY = "[PERSON 1] брата забрали в Москве, звоните [PERSON 3] [PHONE 2]. Азиз видел, Азиз знает."
REPLY_ORIGINALS = {"[PERSON 1]": "Фарруха", "[PERSON 3]": "Алишеру", "[PHONE 2]": "+7 926 555-12-34"}


def spans(text: str, originals: dict[str, str]) -> list[dict]:
    out = []
    for placeholder, original in originals.items():
        for match in re.finditer(re.escape(placeholder), text):
            out.append({"start": match.start(), "end": match.end(), "label": placeholder[1:].split()[0],
                        "placeholder": placeholder, "original": original})  # fmt: skip
    return sorted(out, key=lambda r: r["start"])


def moscow(text: str) -> list[dict]:
    start = text.find("Москве")
    if start < 0:
        return []
    coarse = {
        "name": "Moscow",
        "country": "RU",
        "admin1": "Moscow",
        "lat": 55.75,
        "lon": 37.62,
        "precision": "city",
    }
    return [{"start": start, "end": start + 6, "text": "Москве"} | coarse]


def add_reply(report, text: str = REPLY, originals: dict | None = None, *, sequence: int = 1) -> Message:
    """A reply as the worker stores it (``processing.messages.redact_reply``), without the worker."""
    message = Message.objects.create(
        submission=report.submission,
        direction=Message.Direction.FROM_SUBMITTER,
        sequence=sequence,
        ciphertext=b"age-encryption.org/v1 (test)",
        sent_on=dt.date.today(),
    )
    reply = {
        "redacted_text": text,
        "redactions": spans(text, originals or REPLY_ORIGINALS),
        "places": moscow(text),
    }
    message.body_sealed = reply_seal(message, reply)
    message.save(update_fields=["body_sealed"])
    return message


@pytest.fixture
def report(report_factory, caseloads):
    return report_factory(
        text=ACCOUNT, redactions=spans(ACCOUNT, ACCOUNT_ORIGINALS), caseload=caseloads["moscow"]
    )


@pytest.fixture
def reply(report):
    return add_reply(report)


def opened(message: Message) -> dict:
    message.refresh_from_db()
    return reply_open(message)


def check_consistent(reply: dict) -> None:
    """Every offset points at what it says."""
    text = reply["redacted_text"]
    for item in reply["redactions"]:
        assert text[item["start"] : item["end"]] == item["placeholder"]
    for place in reply["places"]:
        assert text[place["start"] : place["end"]] == place["text"]


def last_audit() -> AuditEntry:
    return AuditEntry.objects.order_by("-seq").first()


def assert_no_words(entry: AuditEntry, *words: str) -> None:
    dumped = json.dumps(entry.details, ensure_ascii=False)
    for word in words:
        assert word not in dumped


# --- the services -----------------------------------------------------------------------------------


def test_removing_restores_the_words_in_this_reply_only_and_renumbers_nothing(report, reply, personas):
    account_before = bytes(report.text_sealed)
    reply_redaction_remove(
        actor=personas["reviewer"], report=report, message_id=reply.pk, placeholder="[PERSON 3]",
        version=reply_version(reply),
    )  # fmt: skip
    after = opened(reply)
    # [PERSON 1] is the account's Фаррух and [PHONE 2] follows the account's [PHONE 1]: both stay.
    assert after["redacted_text"] == REPLY.replace("[PERSON 3]", "Алишеру")
    assert [r["placeholder"] for r in after["redactions"]] == ["[PERSON 1]", "[PHONE 2]"]
    check_consistent(after)
    assert "Алишеру".encode() not in bytes(reply.body_sealed)  # still sealed
    report.refresh_from_db()
    assert bytes(report.text_sealed) == account_before  # the account is not touched
    entry = last_audit()
    assert (entry.action, entry.actor, entry.object_type, entry.object_id) == (
        "report.reply_redaction_remove", "reviewer", "report", str(report.pk),
    )  # fmt: skip
    assert entry.details["message"] == str(reply.pk)
    assert (entry.details["label"], entry.details["count"]) == ("PERSON", 1)
    assert_no_words(entry, "Алишер", "Фаррух")


def test_relabelling_takes_the_accounts_placeholder_for_the_same_words(report, personas):
    # The worker took Бахром for an address here; in the account he is [PERSON 2].
    message = add_reply(report, "Звоните [ADDRESS 1], он знает.", {"[ADDRESS 1]": "Бахром"})
    reply_redaction_relabel(
        actor=personas["reviewer"], report=report, message_id=message.pk, placeholder="[ADDRESS 1]",
        label="PERSON", version=reply_version(message),
    )  # fmt: skip
    after = opened(message)
    assert after["redacted_text"] == "Звоните [PERSON 2], он знает."
    assert after["redactions"][0]["original"] == "Бахром"
    entry = last_audit()
    assert entry.action == "report.reply_redaction_relabel"
    assert (entry.details["from"], entry.details["label"]) == ("ADDRESS", "PERSON")


def test_a_new_placeholder_takes_a_number_no_reply_and_not_the_account_uses(report, reply, personas):
    # Another reply already holds [ADDRESS 1] (the worker numbers each reply after the account).
    add_reply(report, "Живёт на [ADDRESS 1].", {"[ADDRESS 1]": "Лесной 5"}, sequence=2)
    reply_redaction_relabel(
        actor=personas["coordinator"], report=report, message_id=reply.pk, placeholder="[PERSON 3]",
        label="ADDRESS", version=reply_version(reply),
    )  # fmt: skip
    after = opened(reply)
    assert "звоните [ADDRESS 2] [PHONE 2]" in after["redacted_text"]
    assert after["redacted_text"].startswith("[PERSON 1] брата")
    check_consistent(after)


def test_adding_hides_every_occurrence_behind_the_next_unused_number_and_keeps_the_words(
    report, reply, personas
):
    reply_redaction_add(
        actor=personas["reviewer"], report=report, message_id=reply.pk, label="PERSON", words="Азиз",
        version=reply_version(reply),
    )  # fmt: skip
    after = opened(reply)
    # PERSON 1-2 are the account's, 3 this reply's: Азиз is the fourth person on the page.
    assert after["redacted_text"].endswith("[PERSON 4] видел, [PERSON 4] знает.")
    assert [r["original"] for r in after["redactions"] if r["placeholder"] == "[PERSON 4]"] == [
        "Азиз",
        "Азиз",
    ]
    check_consistent(after)  # the place before them has not moved; the one after would have
    entry = last_audit()
    assert (entry.action, entry.details["count"], entry.details["everywhere"]) == (
        "report.reply_redaction_add", 2, True,
    )  # fmt: skip
    assert_no_words(entry, "Азиз")
    # and what was added can be removed again: the reply reads as before
    reply_redaction_remove(
        actor=personas["reviewer"], report=report, message_id=reply.pk, placeholder="[PERSON 4]",
        version=reply_version(reply),
    )  # fmt: skip
    assert opened(reply)["redacted_text"] == REPLY


def test_adding_words_the_account_hides_gives_the_accounts_placeholder(report, personas):
    message = add_reply(report, "Бахром в Москве.", {})
    reply_redaction_add(
        actor=personas["reviewer"], report=report, message_id=message.pk, label="PERSON", words="Бахром",
        version=reply_version(message),
    )  # fmt: skip
    after = opened(message)
    assert after["redacted_text"] == "[PERSON 2] в Москве."
    check_consistent(after)  # the place moved with the text before it
    assert after["places"][0]["start"] == len("[PERSON 2] в ")


def test_a_selection_is_redacted_by_offsets_into_the_reply_as_shown(report, reply, personas):
    start = REPLY.index("брата")
    reply_redaction_add(
        actor=personas["reviewer"], report=report, message_id=reply.pk, label="PERSON",
        start=start, end=start + len("брата"), everywhere=False, version=reply_version(reply),
    )  # fmt: skip
    assert opened(reply)["redacted_text"].startswith("[PERSON 1] [PERSON 4] забрали")
    assert last_audit().details["start"] == start


def test_a_stale_version_a_foreign_reply_and_a_missing_placeholder_change_nothing(
    report, reply, personas, report_factory
):
    before = bytes(reply.body_sealed)
    audits = AuditEntry.objects.count()
    with pytest.raises(CorrectionError, match="changed"):
        reply_redaction_remove(
            actor=personas["reviewer"], report=report, message_id=reply.pk, placeholder="[PERSON 3]",
            version="0" * 16,
        )  # fmt: skip
    other = report_factory()
    with pytest.raises(CorrectionError, match="not on this report"):
        reply_redaction_remove(
            actor=personas["reviewer"], report=other, message_id=reply.pk, placeholder="[PERSON 3]",
            version=reply_version(reply),
        )  # fmt: skip
    with pytest.raises(CorrectionError, match="no longer in the text"):
        reply_redaction_relabel(
            actor=personas["reviewer"], report=report, message_id=reply.pk, placeholder="[PERSON 9]",
            label="ADDRESS", version=reply_version(reply),
        )  # fmt: skip
    reply.refresh_from_db()
    assert bytes(reply.body_sealed) == before
    assert AuditEntry.objects.count() == audits


@pytest.mark.parametrize("persona", ["analyst", "custodian", "administrator"])
def test_the_services_refuse_a_role_without_the_edit_permission(report, reply, personas, persona):
    with pytest.raises(PermissionDenied):
        reply_redaction_remove(
            actor=personas[persona], report=report, message_id=reply.pk, placeholder="[PERSON 3]",
            version=reply_version(reply),
        )  # fmt: skip
    assert "[PERSON 3]" in opened(reply)["redacted_text"]


def test_a_reply_sealed_as_bare_text_or_malformed_opens_without_marks():
    message = Message(pk="00000000-0000-0000-0000-000000000001")
    message.body_sealed = seal("Звоните [PERSON 1].".encode(), context=f"message.body:{message.pk}")
    assert reply_open(message) == {"redacted_text": "Звоните [PERSON 1].", "redactions": [], "places": []}
    crafted = {
        "redacted_text": "ab",
        "redactions": [
            {"start": 0, "end": 9, "label": "PERSON", "placeholder": "[PERSON 1]"},  # past the end
            {"start": "0"},
            {"start": 0, "end": 1, "label": "PERSON", "placeholder": "a", "original": 5},
        ],
        "places": [7],
    }
    message.body_sealed = seal(json.dumps(crafted).encode(), context=f"message.body:{message.pk}")
    assert reply_open(message) == {"redacted_text": "ab", "redactions": [], "places": []}


# --- the views --------------------------------------------------------------------------------------


def relabel_url(report, message) -> str:
    return reverse("console:report_reply_redaction_relabel", args=[report.pk, message.pk])


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
def test_who_may_correct_a_reply(console_client, report, reply, personas, persona, status):
    response = console_client(personas[persona]).post(
        relabel_url(report, reply),
        {"version": reply_version(reply), "placeholder": "[PERSON 3]", "label": "ADDRESS"},
    )
    assert response.status_code == status
    assert ("[ADDRESS 1]" in opened(reply)["redacted_text"]) == (status == 302)


def test_without_javascript_a_correction_redirects_to_the_reply_and_with_htmx_returns_the_thread(
    console_client, report, reply, personas
):
    client = console_client(personas["reviewer"])
    data = {"version": reply_version(reply), "placeholder": "[PERSON 3]", "label": "ADDRESS"}
    response = client.post(relabel_url(report, reply), data)
    assert response.status_code == 302
    assert response["Location"].endswith(f"?done=corrected#reply-{reply.pk}")
    data = {"version": reply_version(Message.objects.get(pk=reply.pk)), "label": "PERSON", "words": "Азиз"}
    response = client.post(
        reverse("console:report_reply_redaction_add", args=[report.pk, reply.pk]),
        data,
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    fragment = response.content.decode()
    assert fragment.lstrip().startswith('<div id="contact-thread"')
    assert "redactions are corrected" in fragment
    # [PERSON 3] is free again (Алишер is an address now), and not used by the account or a reply
    assert 'data-label="PERSON">[PERSON 3]</mark> видел' in fragment


def test_a_refused_correction_says_why_and_changes_nothing(console_client, report, reply, personas):
    response = console_client(personas["reviewer"]).post(
        relabel_url(report, reply), {"version": "stale", "placeholder": "[PERSON 3]", "label": "ADDRESS"}
    )
    assert response.status_code == 400
    assert "changed while you were reading it" in response.content.decode()
    assert "[PERSON 3]" in opened(reply)["redacted_text"]


def test_the_thread_marks_the_replys_placeholders_and_places_as_the_account_does(
    console_client, report, reply, personas
):
    page = console_client(personas["reviewer"]).get(reverse("console:report_contact", args=[report.pk]))
    text = page.content.decode()
    assert '<mark class="redaction" data-redaction="0" data-label="PERSON">[PERSON 1]</mark>' in text
    assert 'data-label="PHONE">[PHONE 2]</mark>' in text
    assert '<mark class="place" data-place="0" title="Moscow">Москве</mark>' in text
    assert 'class="message-text testimony"' in text
    # the correction forms carry the reply's version, for editors only
    assert f'value="{reply_version(reply)}"' in text
    assert relabel_url(report, reply) in text
    custodian = console_client(personas["custodian"]).get(reverse("console:report_contact", args=[report.pk]))
    assert relabel_url(report, reply) not in custodian.content.decode()
    assert 'data-label="PERSON">[PERSON 1]</mark>' in custodian.content.decode()


HOSTILE = [
    "<script>alert(1)</script>",
    '" onmouseover="alert(2)" x="',
    "'><img src=x onerror=alert(3)>",
    "</mark><mark class=redaction>",
]


def test_hostile_reply_text_stays_inert_with_marks_around_it(console_client, report, personas):
    # given a reply whose visible words, hidden words and place name are all hostile
    text = f"{HOSTILE[0]} [PERSON 3] {HOSTILE[1]} в Москве {HOSTILE[2]} {HOSTILE[3]} [PERSON 3]"
    message = add_reply(report, text, {"[PERSON 3]": HOSTILE[1]})
    body = reply_open(message)
    body["places"][0]["name"] = HOSTILE[1]
    message.body_sealed = reply_seal(message, body)
    message.save(update_fields=["body_sealed"])
    client = console_client(personas["reviewer"])
    url = reverse("console:report_contact", args=[report.pk])
    # when the thread is shown, and again after the hostile hidden words are restored
    pages = [client.get(url).content.decode()]
    reply_redaction_remove(
        actor=personas["reviewer"], report=report, message_id=message.pk, placeholder="[PERSON 3]",
        version=reply_version(message),
    )  # fmt: skip
    pages.append(client.get(url).content.decode())
    for page in pages:
        # then no hostile markup or attribute survives; the words are there, escaped
        assert "<script>alert(1)" not in page
        assert "<img src=x" not in page
        assert 'onmouseover="alert(2)"' not in page
        assert "<mark class=redaction>" not in page
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
        reply_html = page[page.index('class="message-text testimony">') :]
        reply_html = reply_html[: reply_html.index("</div>")]
        assert set(re.findall(r"<(/?\w+)", reply_html)) <= {"mark", "/mark"}
    assert pages[0].count('data-label="PERSON">[PERSON 3]</mark>') == 2
    assert 'title="&quot; onmouseover=&quot;alert(2)&quot; x=&quot;"' in pages[0]
    # the restored words are plain, escaped text (a text node, not markup)
    assert html.escape(HOSTILE[1], quote=True) in pages[1]
    assert "[PERSON 3]" not in pages[1].split('class="message-text testimony">', 1)[1].split("</div>", 1)[0]


def test_reply_corrections_are_in_the_reports_history(console_client, report, reply, personas):
    reply_redaction_add(
        actor=personas["reviewer"], report=report, message_id=reply.pk, label="PERSON", words="Азиз",
        version=reply_version(reply),
    )  # fmt: skip
    page = console_client(personas["coordinator"]).get(reverse("console:report", args=[report.pk]))
    history = page.content.decode().split('id="history"', 1)[1]
    assert "added a redaction in a reply" in history
    assert str(reply.pk) in history
    assert "Азиз" not in history


def test_the_workers_reply_is_marked_and_corrected_end_to_end(console_client, personas):
    from testimony.intake.services import message_from_submitter_create, submission_create_from_report
    from testimony.processing import tasks
    from testimony.review.models import Report
    from tests.conftest import valid_report

    # given a processed report and a reply the worker redacted, with a name, a number and a place
    created = submission_create_from_report(
        report=valid_report(account="Меня зовут Фаррух Холиков, мой телефон +7 916 123-45-67."),
        attachments=[],
    )
    assert tasks.process_submission(submission_id=str(created.submission.id)) == "processed"
    report = Report.objects.get(pk=created.submission.pk)
    message = message_from_submitter_create(
        receipt_text=created.receipt_display,
        text="Холикова забрали в Москве, звоните Бахрому Каримову +7 926 555-12-34.",
        ciphertext=None,
    )
    assert tasks.process_message(message_id=str(message.id))
    message.refresh_from_db()
    stored = reply_open(message)
    check_consistent(stored)
    assert [place["text"] for place in stored["places"]] == ["Москве"]
    # then the thread marks them as the account's are
    client = console_client(personas["reviewer"])
    page = client.get(reverse("console:report_contact", args=[report.pk])).content.decode()
    assert 'data-label="PERSON">[PERSON 1]</mark> забрали в <mark class="place"' in page
    assert 'data-label="PHONE">[PHONE 2]</mark>' in page
    # and removing a redaction the worker made restores the words it kept sealed
    response = client.post(
        reverse("console:report_reply_redaction_remove", args=[report.pk, message.pk]),
        {"version": reply_version(message), "placeholder": "[PERSON 2]"},
    )
    assert response.status_code == 302
    assert (
        opened(message)["redacted_text"] == "[PERSON 1] забрали в Москве, звоните Бахрому Каримову [PHONE 2]."
    )
