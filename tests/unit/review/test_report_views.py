"""The report page and its corrections through the console, with the personas."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from testimony.audit.models import AuditEntry
from testimony.crypto.atrest import seal
from testimony.review import sealed
from testimony.review.models import Attachment, Comment, ReportTag, Tag
from testimony.review.services.reports import comment_add, text_version

pytestmark = pytest.mark.django_db

HOSTILE = "Пришли <script>alert(1)</script> и <img src=x onerror=alert(2)> javascript:alert(3) [PERSON 1]"


@pytest.fixture
def report(report_factory, caseloads):
    text = HOSTILE + " потом [PERSON 1] в Москве"
    start = text.rindex("[PERSON 1]")
    return report_factory(
        text=text,
        redactions=[
            {
                "start": start,
                "end": start + 10,
                "label": "PERSON",
                "placeholder": "[PERSON 1]",
                "original": "Ан",
            }
        ],
        caseload=caseloads["moscow"],
        suggested_tags=["raid_market", "not_in_taxonomy"],
    )


def page_url(report) -> str:
    return reverse("console:report", args=[report.pk])


def test_the_page_renders_hostile_text_inert_and_audits_the_view(report, personas, console_client):
    response = console_client(personas["reviewer"]).get(page_url(report))
    page = response.content.decode()
    assert response.status_code == 200
    assert "<script>alert(1)" not in page
    assert "<img src=x" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert 'href="javascript' not in page
    testimony = re.search(r'<div class="testimony" id="testimony"[^>]*>(.*?)</div>', page, re.S).group(1)
    # The placeholder typed by the submitter is text; the real one is marked.
    assert testimony.count("<mark") == 2  # one redaction, one place
    assert (
        AuditEntry.objects.filter(action="report.view", object_id=str(report.pk), actor="reviewer").count()
        == 1
    )
    assert 'src="/static/console/js/report.js"' in page
    # No element anywhere carries an inline style or event handler (the text shows them escaped).
    assert not re.search(r"<[a-z][^>]*\s(style|on\w+)=", page)


@pytest.mark.parametrize("role", ["analyst", "administrator"])
def test_roles_without_report_access_get_403(report, personas, console_client, role):
    assert console_client(personas[role]).get(page_url(report)).status_code == 403
    assert not AuditEntry.objects.filter(action="report.view").exists()


@pytest.mark.parametrize("persona", ["reviewer_detention_only", "partner_reviewer"])
def test_reviewers_outside_the_scope_get_404(report, personas, console_client, persona):
    client = console_client(personas[persona])
    assert client.get(page_url(report)).status_code == 404
    response = client.post(
        reverse("console:report_redaction_add", args=[report.pk]),
        {"version": text_version(report), "label": "PERSON", "words": "Пришли"},
    )
    assert response.status_code == 404


def test_a_custodian_reads_but_cannot_correct(report, personas, console_client):
    client = console_client(personas["custodian"])
    page = client.get(page_url(report)).content.decode()
    assert "Add a redaction" not in page
    assert "Open original" in page or "cannot be opened on this server" in page
    response = client.post(
        reverse("console:report_redaction_add", args=[report.pk]),
        {"version": text_version(report), "label": "PERSON", "words": "Пришли"},
    )
    assert response.status_code == 403
    assert client.post(reverse("console:report_place_set", args=[report.pk, 0]), {}).status_code == 403


def test_corrections_through_the_page(report, personas, console_client):
    client = console_client(personas["reviewer"])
    text = sealed.report_text_open(report)["account"]["redacted_text"]
    start = text.index("потом")
    # Add by span (as report.js sends it), then by words, relabel, remove.
    response = client.post(
        reverse("console:report_redaction_add", args=[report.pk]),
        {
            "version": text_version(report),
            "label": "PERSON",
            "start": start,
            "end": start + 5,
            "words": "потом",
        },
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert "потом" not in sealed.report_text_open(report)["account"]["redacted_text"]
    added = next(
        r for r in sealed.report_text_open(report)["account"]["redactions"] if r["original"] == "потом"
    )
    assert added["placeholder"] == "[PERSON 1]"  # first mention now: "Ан" after it became [PERSON 2]
    response = client.post(
        reverse("console:report_redaction_relabel", args=[report.pk]),
        {"version": text_version(report), "placeholder": "[PERSON 1]", "label": "VEHICLE"},
    )
    assert response.status_code == 302
    report.refresh_from_db()
    response = client.post(
        reverse("console:report_redaction_remove", args=[report.pk]),
        {"version": text_version(report), "placeholder": "[VEHICLE 1]"},
    )
    assert response.status_code == 302
    report.refresh_from_db()
    account = sealed.report_text_open(report)["account"]
    assert "потом" in account["redacted_text"]
    # A stale form is refused with a message, and nothing changes.
    response = client.post(
        reverse("console:report_redaction_add", args=[report.pk]),
        {"version": "stale", "label": "PERSON", "words": "Пришли"},
    )
    assert response.status_code == 400
    assert "changed while you were reading" in response.content.decode()
    actions = list(
        AuditEntry.objects.filter(object_id=str(report.pk))
        .exclude(action="report.view")
        .values_list("action", flat=True)
    )
    assert actions == ["report.redaction_add", "report.redaction_relabel", "report.redaction_remove"]
    history = client.get(page_url(report)).content.decode()
    assert "removed a redaction" in history
    assert "relabelled a redaction" in history


def test_an_old_payload_says_its_redactions_cannot_be_removed(report_factory, personas, console_client):
    report = report_factory()  # conftest's payload: no original words
    page = console_client(personas["reviewer"]).get(page_url(report)).content.decode()
    assert "cannot be removed" in page


def test_place_readings_page_and_choice(report, personas, console_client):
    client = console_client(personas["reviewer"])
    response = client.get(reverse("console:report_place", args=[report.pk, 0]))
    assert response.status_code == 200
    assert 'name="entry"' in response.content.decode()
    assert client.get(reverse("console:report_place", args=[report.pk, 5])).status_code == 404
    entries = re.findall(r'name="entry" value="([^"]+)"', response.content.decode())
    response = client.post(
        reverse("console:report_place_set", args=[report.pk, 0]),
        {"version": text_version(report), "entry": entries[-1]},
    )
    assert response.status_code == 302
    assert AuditEntry.objects.filter(action="report.place_change", object_id=str(report.pk)).count() == 1


def test_fields_tags_and_comments_through_the_page(report, personas, console_client):
    Tag.objects.get_or_create(slug="raid_market", defaults={"labels": {"en": "Market raid"}})
    client = console_client(personas["reviewer"])
    page = client.get(page_url(report)).content.decode()
    assert "not in the taxonomy" in page
    assert (
        client.post(
            reverse("console:report_fields", args=[report.pk]),
            {"kind": "detention", "event_month": "2024-02", "perpetrators": ["police", "fsb"]},
        ).status_code
        == 302
    )
    report.refresh_from_db()
    assert report.kind == "detention"
    assert (
        client.post(
            reverse("console:report_tag", args=[report.pk]), {"slug": "raid_market", "decision": "accepted"}
        ).status_code
        == 302
    )
    assert ReportTag.objects.get(report=report).status == "accepted"
    response = client.post(
        reverse("console:report_comment", args=[report.pk]), {"body": "<script>alert('c')</script> проверить"}
    )
    assert response.status_code == 302
    parent = Comment.objects.get(report=report)
    client.post(reverse("console:report_comment", args=[report.pk]), {"body": "ответ", "parent": parent.pk})
    page = client.get(page_url(report)).content.decode()
    assert "&lt;script&gt;alert(&#x27;c&#x27;)&lt;/script&gt; проверить" in page
    assert "<script>alert('c')" not in page
    assert page.index("проверить") < page.index("ответ")


def make_attachment(report, *, content_type="image/png", kind="image", cleaned=True, voice=False, position=0):
    attachment = Attachment.objects.create(
        report=report, position=position, kind=kind, content_type=content_type, cleaned=cleaned,
        flag="" if cleaned else "unsupported_format",
    )  # fmt: skip
    attachment.sanitised_sealed = seal(
        b"<html><script>alert(1)</script>", context=f"attachment.content:{attachment.pk}"
    )
    if voice:
        attachment.disguised_voice_sealed = seal(
            b"OggS disguised", context=f"attachment.voice:{attachment.pk}"
        )
    attachment.save()
    return attachment


def test_attachments_are_served_sandboxed_download_only_and_audited(report, personas, console_client):
    image = make_attachment(report)
    client = console_client(personas["reviewer"])
    response = client.get(reverse("console:attachment", args=[image.pk]))
    assert response.status_code == 200
    assert response.content == b"<html><script>alert(1)</script>"
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Content-Security-Policy"] == "sandbox; default-src 'none'"
    assert response["X-Content-Type-Options"] == "nosniff"
    preview = client.get(reverse("console:attachment_preview", args=[image.pk]))
    assert preview["Content-Disposition"].startswith("inline;")
    assert preview["Content-Security-Policy"] == "sandbox; default-src 'none'"
    downloads = AuditEntry.objects.filter(action="attachment.download", object_id=str(report.pk))
    assert [e.details["variant"] for e in downloads] == ["cleaned", "preview"]
    page = client.get(page_url(report)).content.decode()
    assert reverse("console:attachment_preview", args=[image.pk]) in page


def test_an_unsafe_type_goes_as_bytes_and_has_no_preview(report, personas, console_client):
    document = make_attachment(report, content_type="text/html", kind="document")
    client = console_client(personas["reviewer"])
    response = client.get(reverse("console:attachment", args=[document.pk]))
    assert response["Content-Type"] == "application/octet-stream"
    assert client.get(reverse("console:attachment_preview", args=[document.pk])).status_code == 404
    gif = make_attachment(report, content_type="image/gif", position=1)
    assert client.get(reverse("console:attachment_preview", args=[gif.pk])).status_code == 404


def test_voice_notes_play_the_disguised_copy_by_default(report, personas, console_client):
    voice = make_attachment(report, content_type="audio/ogg", kind="audio", voice=True)
    client = console_client(personas["reviewer"])
    response = client.get(reverse("console:attachment_voice", args=[voice.pk]))
    assert response.content == b"OggS disguised"
    assert response["Content-Type"] == "audio/ogg"
    assert response["Content-Disposition"].startswith("attachment;")
    page = client.get(page_url(report)).content.decode()
    disguised = reverse("console:attachment_voice", args=[voice.pk])
    undisguised = reverse("console:attachment", args=[voice.pk])
    assert f'<audio controls preload="none" src="{disguised}">' in page
    # The undisguised voice sits behind an explicit click (a closed <details>), loading nothing.
    assert page.index('<details class="undisguised">') < page.index(
        f'<audio controls preload="none" src="{undisguised}">'
    )


def test_flagged_attachments_stay_sealed_and_other_organisations_get_404(report, personas, console_client):
    flagged = make_attachment(report, cleaned=False)
    image = make_attachment(report, position=1)
    client = console_client(personas["reviewer"])
    for name in ("console:attachment", "console:attachment_preview", "console:attachment_voice"):
        assert client.get(reverse(name, args=[flagged.pk])).status_code == 404
    assert "Sealed, for the custodian" in client.get(page_url(report)).content.decode()
    outsider = console_client(personas["partner_reviewer"])
    assert outsider.get(reverse("console:attachment", args=[image.pk])).status_code == 404
    assert (
        console_client(personas["analyst"]).get(reverse("console:attachment", args=[image.pk])).status_code
        == 403
    )
    assert not AuditEntry.objects.filter(action="attachment.download").exists()


def test_comments_from_the_service_show_in_history_without_text(report, personas, console_client):
    comment_add(actor=personas["coordinator"], report=report, body="секретное слово")
    page = console_client(personas["reviewer"]).get(page_url(report)).content.decode()
    history = page[page.index('id="history"') :]
    assert "commented" in history
    assert "секретное слово" not in history


def test_the_contact_panel_is_included_when_installed(report, personas, console_client):
    response = console_client(personas["reviewer"]).get(page_url(report))
    assert response.context["contact_panel_template"] == "console/report/_contact.html"
    assert 'id="contact"' in response.content.decode()


def test_the_page_works_without_the_contact_panel(report, personas, console_client, monkeypatch):
    from testimony.review.views import report as report_views

    monkeypatch.setattr(report_views, "CONTACT_PANEL", "console/report/_not_installed.html")
    response = console_client(personas["reviewer"]).get(page_url(report))
    assert response.status_code == 200
    assert response.context["contact_panel_template"] is None
    assert 'id="contact"' not in response.content.decode()


def test_history_names_actions_written_by_other_modules(report, personas, console_client):
    from testimony.audit.services import audit_record_now

    for action in ("report.state", "report.contact_viewed", "case.add_report"):
        audit_record_now(
            actor=personas["coordinator"], action=action, object_type="report", object_id=report.pk
        )
    page = console_client(personas["reviewer"]).get(page_url(report)).content.decode()
    history = page[page.index('id="history"') :]
    assert "changed the state" in history
    assert "read the conversation with the submitter" in history
    assert "linked the report to a case" in history
    assert "report.contact_viewed" not in history


def test_the_place_picked_on_the_form_shows_by_name(personas, console_client, report_factory):
    from testimony.review.models import Report

    report = report_factory()
    Report.objects.filter(pk=report.pk).update(place="524901")  # GeoNames id of Moscow on the form
    page = console_client(personas["reviewer"]).get(f"/console/reports/{report.pk}/").content.decode()
    assert "Moscow" in page
    assert "524901" not in page


# --- names, not codes; the state's note --------------------------------------------------------


def test_the_page_names_the_language_and_country_in_the_console_language(
    personas, console_client, report_factory
):
    report = report_factory(language="tg")
    page = console_client(personas["reviewer"]).get(page_url(report)).content.decode()
    fields = page[page.index('id="fields"') :]
    fields = fields[: fields.index("</dl>")]
    assert "Tajik" in fields
    assert "Russia" in fields  # report_factory's country is "RU"
    assert ">tg<" not in fields
    assert ">RU<" not in fields
    head = page[page.index('class="report-head"') :]
    head = head[: head.index("</header>")]
    assert "Tajik" in head


def test_the_page_names_the_language_in_russian_for_a_russian_console(
    personas, console_client, report_factory
):
    from testimony.accounts.models import User

    User.objects.filter(pk=personas["reviewer"].pk).update(console_language="ru")
    report = report_factory(language="tg")
    page = console_client(personas["reviewer"]).get(page_url(report)).content.decode()
    fields = page[page.index('id="fields"') :]
    fields = fields[: fields.index("</dl>")]
    assert "Tajik" not in fields
    assert ">tg<" not in fields


def test_the_queue_names_languages(personas, console_client, report_factory):
    report_factory(language="ky")
    page = console_client(personas["reviewer"]).get(reverse("console:queue")).content.decode()
    rows = page[page.index("<tbody>") :]
    assert "<td>Kyrgyz</td>" in rows
    assert "<td>ky</td>" not in rows


def test_the_state_note_is_shown_beside_the_state_escaped(personas, console_client, report_factory):
    from testimony.review.services.states import report_change_state

    report = report_factory(state="in_review")
    note = "Реклама <b>спам</b> & дубль"
    report_change_state(user=personas["coordinator"], report_id=report.pk, state="rejected", note=note)
    page = console_client(personas["reviewer"]).get(page_url(report)).content.decode()
    head = page[page.index('class="report-head"') :]
    head = head[: head.index("</header>")]
    assert "Реклама &lt;b&gt;спам&lt;/b&gt; &amp; дубль" in head
    assert "<b>спам</b>" not in page


def test_a_report_without_a_state_note_shows_none(personas, console_client, report_factory):
    report = report_factory()
    page = console_client(personas["reviewer"]).get(page_url(report)).content.decode()
    assert 'class="state-note"' not in page


def test_history_names_bulk_and_single_changes_alike(report, personas, console_client):
    from testimony.audit.services import audit_record_now

    for action in ("case.report_add", "report.tag_accept", "report.tag", "case.add_report"):
        audit_record_now(
            actor=personas["coordinator"], action=action, object_type="report", object_id=report.pk
        )
    page = console_client(personas["reviewer"]).get(page_url(report)).content.decode()
    history = page[page.index('id="history"') :]
    assert history.count("linked the report to a case") == 2
    assert history.count("accepted a tag") == 2
    for raw in ("case.report_add", "report.tag_accept", "case.add_report"):
        assert raw not in history


def test_the_add_form_gives_a_selection_or_else_the_typed_words_to_the_services():
    from testimony.review.views.report import AddRedactionForm

    def addition(**posted):
        form = AddRedactionForm({"version": "v1", "label": "PERSON", **posted})
        assert form.is_valid(), form.errors
        return AddRedactionForm.addition(form.cleaned_data)

    # A selection (report.js also fills the words in): by offsets, everywhere only if ticked.
    assert addition(start=3, end=8, words="потом") == {
        "label": "PERSON", "version": "v1", "start": 3, "end": 8, "words": "", "everywhere": False,
    }  # fmt: skip
    assert addition(start=3, end=8, words="потом", everywhere="1")["everywhere"] is True
    # Typed words, or half a selection: the words, always everywhere.
    for posted in ({"words": "Пришли"}, {"start": 3, "words": "Пришли"}):
        assert addition(**posted) == {
            "label": "PERSON", "version": "v1", "start": None, "end": None, "words": "Пришли",
            "everywhere": True,
        }  # fmt: skip
