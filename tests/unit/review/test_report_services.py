"""Reviewers' corrections: the sealed payload changes as asked, the audit row holds no words."""

from __future__ import annotations

import json

import pytest

from testimony.audit.models import AuditEntry
from testimony.processing.reports import to_redacted_offsets
from testimony.review import sealed
from testimony.review.models import Comment, ReportTag, SearchToken, Tag
from testimony.review.search import tokens_for_query_word
from testimony.review.services.reports import (
    CorrectionError,
    comment_add,
    place_candidates,
    report_fields_update,
    report_place_choose,
    report_redaction_add,
    report_redaction_relabel,
    report_redaction_remove,
    report_tag_decide,
    text_version,
)

pytestmark = pytest.mark.django_db

TEXT = "Утром [PERSON 1] и [PERSON 2] видели, как [PERSON 1] задержали в Москве. Тел [PHONE 1]."
ORIGINALS = {"[PERSON 1]": "Фаррух", "[PERSON 2]": "Бахром", "[PHONE 1]": "+7 916 123-45-67"}


def redactions_of(text: str, *, originals: bool = True) -> list[dict]:
    out = []
    for placeholder, original in ORIGINALS.items():
        start = text.find(placeholder)
        while start >= 0:
            entry = {"start": start, "end": start + len(placeholder), "label": placeholder[1:].split()[0],
                     "placeholder": placeholder}  # fmt: skip
            if originals:
                entry["original"] = original
            out.append(entry)
            start = text.find(placeholder, start + 1)
    return sorted(out, key=lambda r: r["start"])


@pytest.fixture
def report(report_factory):
    return report_factory(text=TEXT, redactions=redactions_of(TEXT))


def account(report) -> dict:
    report.refresh_from_db()
    return sealed.report_text_open(report)["account"]


def check_consistent(acc: dict) -> None:
    """Every offset points at what it says; one placeholder per original words."""
    text = acc["redacted_text"]
    for item in acc["redactions"]:
        assert text[item["start"] : item["end"]] == item["placeholder"]
    for place in acc["places"]:
        assert text[place["start"] : place["end"]] == place["text"]
    by_original: dict[str, set] = {}
    for item in acc["redactions"]:
        if "original" in item:
            by_original.setdefault((item["label"], item["original"].casefold()), set()).add(
                item["placeholder"]
            )
    assert all(len(placeholders) == 1 for placeholders in by_original.values())


def last_audit() -> AuditEntry:
    return AuditEntry.objects.order_by("-seq").first()


def assert_no_words(entry: AuditEntry, *words: str) -> None:
    dumped = json.dumps(entry.details, ensure_ascii=False)
    for word in words:
        assert word not in dumped


def test_worker_payload_keeps_the_original_words_of_each_redaction():
    original = "Я Фаррух, тел +7 916 123-45-67."
    analysis = {
        "redacted_text": "Я [PERSON 1], тел [PHONE 1].",
        "redactions": [{"start": 2, "end": 8, "label": "PERSON"}, {"start": 14, "end": 30, "label": "PHONE"}],
        "places": [],
    }
    moved = to_redacted_offsets(analysis, original)
    assert [r["original"] for r in moved["redactions"]] == ["Фаррух", "+7 916 123-45-67"]
    assert [r["placeholder"] for r in moved["redactions"]] == ["[PERSON 1]", "[PHONE 1]"]
    assert "original" not in to_redacted_offsets(analysis)["redactions"][0]


def test_removing_a_redaction_restores_every_mention_and_renumbers(report, personas):
    report_redaction_remove(
        actor=personas["reviewer"], report=report, placeholder="[PERSON 1]", version=text_version(report)
    )
    acc = account(report)
    assert (
        acc["redacted_text"]
        == "Утром Фаррух и [PERSON 1] видели, как Фаррух задержали в Москве. Тел [PHONE 1]."
    )
    assert [r["original"] for r in acc["redactions"]] == ["Бахром", "+7 916 123-45-67"]
    check_consistent(acc)
    report.refresh_from_db()
    assert report.redaction_counts == {"PERSON": 1, "PHONE": 1}
    entry = last_audit()
    assert (entry.action, entry.actor, entry.object_id) == (
        "report.redaction_remove",
        "reviewer",
        str(report.pk),
    )
    assert entry.details["label"] == "PERSON"
    assert entry.details["count"] == 2
    assert_no_words(entry, "Фаррух", "Бахром")
    # Search follows the text: the restored name is found now.
    assert SearchToken.objects.filter(report=report, token__in=tokens_for_query_word("фаррух")).exists()


def test_an_old_payload_without_originals_cannot_be_unredacted(report_factory, personas):
    report = report_factory(text=TEXT, redactions=redactions_of(TEXT, originals=False))
    before = bytes(report.text_sealed)
    with pytest.raises(CorrectionError, match="before original words were kept"):
        report_redaction_remove(
            actor=personas["reviewer"], report=report, placeholder="[PERSON 1]", version=text_version(report)
        )
    report.refresh_from_db()
    assert bytes(report.text_sealed) == before


def test_relabelling_renumbers_per_label(report, personas):
    report_redaction_relabel(
        actor=personas["reviewer"], report=report, placeholder="[PERSON 1]", label="ADDRESS",
        version=text_version(report),
    )  # fmt: skip
    acc = account(report)
    assert acc["redacted_text"] == (
        "Утром [ADDRESS 1] и [PERSON 1] видели, как [ADDRESS 1] задержали в Москве. Тел [PHONE 1]."
    )
    check_consistent(acc)
    report.refresh_from_db()
    assert report.redaction_counts == {"ADDRESS": 2, "PERSON": 1, "PHONE": 1}
    entry = last_audit()
    assert entry.action == "report.redaction_relabel"
    assert (entry.details["from"], entry.details["label"]) == ("PERSON", "ADDRESS")


def test_adding_by_span_hides_the_words_and_keeps_the_place_offsets(report, personas):
    acc = account(report)
    start = acc["redacted_text"].index("видели")
    report_redaction_add(
        actor=personas["reviewer"], report=report, label="PERSON", start=start, end=start + 6,
        version=text_version(report), everywhere=False,
    )  # fmt: skip
    acc = account(report)
    # "[PERSON 3]": numbered after the two people mentioned before it.
    assert acc["redacted_text"].startswith("Утром [PERSON 1] и [PERSON 2] [PERSON 3], как [PERSON 1]")
    check_consistent(acc)
    assert acc["places"][0]["text"] == "Москве"
    entry = last_audit()
    assert entry.action == "report.redaction_add"
    assert (entry.details["start"], entry.details["end"], entry.details["count"]) == (start, start + 6, 1)
    assert_no_words(entry, "видели")


def test_adding_a_span_in_front_renumbers_what_follows(report, personas):
    report_redaction_add(
        actor=personas["reviewer"],
        report=report,
        label="PERSON",
        start=0,
        end=5,
        version=text_version(report),
    )
    acc = account(report)
    assert acc["redacted_text"].startswith("[PERSON 1] [PERSON 2] и [PERSON 3] видели, как [PERSON 2]")
    assert [r["original"] for r in acc["redactions"][:3]] == ["Утром", "Фаррух", "Бахром"]
    check_consistent(acc)


def test_adding_by_words_hides_every_whole_word_occurrence(report_factory, personas):
    text = "Али и Алишер пришли. Али ушёл; АЛИ вернулся."
    report = report_factory(text=text, redactions=[], places=[])
    report_redaction_add(
        actor=personas["reviewer"], report=report, label="PERSON", words="Али", version=text_version(report)
    )
    acc = account(report)
    assert acc["redacted_text"] == "[PERSON 1] и Алишер пришли. [PERSON 1] ушёл; АЛИ вернулся."
    check_consistent(acc)
    assert last_audit().details["count"] == 2


def test_removing_then_redacting_the_words_again_gives_back_the_same_text(report, personas):
    report_redaction_remove(
        actor=personas["reviewer"], report=report, placeholder="[PERSON 1]", version=text_version(report)
    )
    report.refresh_from_db()
    report_redaction_add(
        actor=personas["reviewer"],
        report=report,
        label="PERSON",
        words="Фаррух",
        version=text_version(report),
    )
    acc = account(report)
    assert acc["redacted_text"] == TEXT
    check_consistent(acc)


def test_redacting_words_already_hidden_elsewhere_reuses_the_placeholder(report_factory, personas):
    text = "[PERSON 1] пришёл. Потом Фаррух ушёл."
    report = report_factory(
        text=text,
        redactions=[
            {"start": 0, "end": 10, "label": "PERSON", "placeholder": "[PERSON 1]", "original": "Фаррух"}
        ],
        places=[],
    )
    start = text.index("Фаррух")
    report_redaction_add(
        actor=personas["reviewer"], report=report, label="PERSON", start=start, end=start + 6,
        version=text_version(report),
    )  # fmt: skip
    assert account(report)["redacted_text"] == "[PERSON 1] пришёл. Потом [PERSON 1] ушёл."


def test_a_selection_across_a_placeholder_or_a_stale_page_is_refused(report, personas):
    acc = account(report)
    start = acc["redacted_text"].index("[PERSON 2]")
    with pytest.raises(CorrectionError, match="overlaps"):
        report_redaction_add(
            actor=personas["reviewer"], report=report, label="PERSON", start=start - 2, end=start + 3,
            version=text_version(report),
        )  # fmt: skip
    with pytest.raises(CorrectionError, match="changed"):
        report_redaction_add(
            actor=personas["reviewer"], report=report, label="PERSON", words="Утром", version="stale"
        )
    with pytest.raises(CorrectionError, match="not in the visible text"):
        report_redaction_add(
            actor=personas["reviewer"],
            report=report,
            label="PERSON",
            words="Фаррух",
            version=text_version(report),
        )


def test_a_place_inside_a_new_redaction_is_dropped_from_payload_and_report(report, personas):
    report_redaction_add(
        actor=personas["reviewer"],
        report=report,
        label="ADDRESS",
        words="в Москве",
        version=text_version(report),
    )
    acc = account(report)
    assert acc["places"] == []
    assert "Москве" not in acc["redacted_text"]
    report.refresh_from_db()
    assert report.places == []


def test_choosing_another_gazetteer_reading_updates_payload_and_coarse_places(report, personas):
    candidates = place_candidates("Москве")
    assert candidates
    assert all(c["precision"] in {"city", "admin1", "country"} for c in candidates)
    current = account(report)["places"][0]
    other = next(
        (c for c in candidates if (c["name"], c["country"]) != (current["name"], current["country"])), None
    )
    if other is None:
        pytest.skip("the gazetteer has one reading of Москва")
    report_place_choose(
        actor=personas["reviewer"], report=report, index=0, entry_id=other["id"], version=text_version(report)
    )
    place = account(report)["places"][0]
    assert (place["name"], place["country"], place["text"]) == (other["name"], other["country"], "Москве")
    report.refresh_from_db()
    assert report.places[0] == {k: other[k] for k in ("name", "country", "admin1", "lat", "lon", "precision")}
    entry = last_audit()
    assert entry.action == "report.place_change"
    assert_no_words(entry, "Москве")
    with pytest.raises(CorrectionError):
        report_place_choose(
            actor=personas["reviewer"],
            report=report,
            index=0,
            entry_id="no-such",
            version=text_version(report),
        )


def test_structured_fields_are_validated_and_audited(report, personas):
    report_fields_update(
        actor=personas["reviewer"], report=report, kind="detention", event_month="2024-03",
        perpetrators=["police", "fsb"],
    )  # fmt: skip
    report.refresh_from_db()
    assert (report.kind, report.event_month, report.perpetrators) == (
        "detention",
        "2024-03",
        ["fsb", "police"],
    )
    entry = last_audit()
    assert entry.action == "report.fields_edit"
    assert entry.details["from"]["kind"] == "raid"
    assert entry.details["to"]["kind"] == "detention"
    for bad in ({"kind": "war"}, {"event_month": "2024-13"}, {"perpetrators": ["aliens"]}):
        arguments = {"kind": "raid", "event_month": "2024-01", "perpetrators": ["police"]} | bad
        with pytest.raises(CorrectionError):
            report_fields_update(actor=personas["reviewer"], report=report, **arguments)


def test_tags_are_accepted_rejected_and_cleared_by_slug(report, personas):
    Tag.objects.get_or_create(slug="raid", defaults={"labels": {"en": "Raid"}})
    report_tag_decide(actor=personas["reviewer"], report=report, slug="raid", decision="accepted")
    assert ReportTag.objects.get(report=report).status == "accepted"
    assert last_audit().action == "report.tag_accept"
    report_tag_decide(actor=personas["reviewer"], report=report, slug="raid", decision="rejected")
    assert ReportTag.objects.get(report=report).status == "rejected"
    assert last_audit().details == {"tag": "raid"}
    report_tag_decide(actor=personas["reviewer"], report=report, slug="raid", decision="cleared")
    assert not ReportTag.objects.filter(report=report).exists()
    with pytest.raises(CorrectionError):
        report_tag_decide(actor=personas["reviewer"], report=report, slug="nope", decision="accepted")


def test_comments_are_sealed_threaded_and_audited_without_their_text(report, report_factory, personas):
    body = "Проверить у <b>юриста</b>"
    first = comment_add(actor=personas["reviewer"], report=report, body=body)
    reply = comment_add(actor=personas["coordinator"], report=report, body="ok", parent_id=first.pk)
    assert reply.parent_id == first.pk
    stored = Comment.objects.get(pk=first.pk)
    assert "юриста".encode() not in bytes(stored.body_sealed)
    assert sealed.note_open(context=f"comment.body:{first.pk}", sealed=stored.body_sealed) == body
    entry = last_audit()
    assert entry.action == "comment.add"
    assert entry.details == {"comment": reply.pk, "reply_to": first.pk}
    assert_no_words(entry, "ok", "юриста")
    other = report_factory()
    with pytest.raises(CorrectionError):
        comment_add(actor=personas["reviewer"], report=other, body="x", parent_id=first.pk)
    with pytest.raises(CorrectionError):
        comment_add(actor=personas["reviewer"], report=report, body="   ")


# --- search and exact-duplicate fingerprint follow every correction -------------------------------


def _indexed(report):
    from testimony.review.search import report_text_index

    report_text_index(report=report, payload=sealed.report_text_open(report))
    report.refresh_from_db()
    return report


def _found(report, query: str) -> bool:
    from testimony.review.models import Report
    from testimony.review.search import search_filter

    return search_filter(Report.objects.filter(pk=report.pk), query).exists()


def test_a_word_a_reviewer_redacts_is_no_longer_found_by_search(report, personas):
    # given a report whose text, as the worker indexed it, holds "задержали"
    report = _indexed(report)
    assert _found(report, "задержали")
    # when a reviewer hides that word
    report_redaction_add(
        actor=personas["reviewer"],
        report=report,
        label="PERSON",
        words="задержали",
        version=text_version(report),
    )
    # then searching it no longer finds the report, while the rest of the text still does
    assert not _found(report, "задержали")
    assert _found(report, "видели")


def test_the_fingerprint_follows_a_relabelled_text(report, personas):
    from testimony.review.search import indexed_text
    from testimony.review.similar import text_fingerprint

    report = _indexed(report)
    before = report.text_fingerprint
    assert before == text_fingerprint(indexed_text(sealed.report_text_open(report)))
    report_redaction_relabel(
        actor=personas["reviewer"],
        report=report,
        placeholder="[PERSON 2]",
        label="ADDRESS",
        version=text_version(report),
    )
    report.refresh_from_db()
    payload = sealed.report_text_open(report)
    assert "[ADDRESS 1]" in payload["account"]["redacted_text"]
    assert report.text_fingerprint == text_fingerprint(indexed_text(payload))
    assert report.text_fingerprint != before


def test_a_removed_redaction_makes_the_report_an_exact_duplicate_of_the_same_text(report_factory, personas):
    from testimony.review.search import indexed_text
    from testimony.review.similar import text_fingerprint

    # given the same account twice, one with a name hidden and one where a reviewer restores it
    plain = TEXT.replace("[PHONE 1]", "нет")
    redacted = _indexed(report_factory(text=plain, redactions=redactions_of(plain)))
    restored_text = plain.replace("[PERSON 2]", "Бахром")
    restored = _indexed(report_factory(text=restored_text, redactions=redactions_of(restored_text)))
    assert redacted.text_fingerprint != restored.text_fingerprint
    # when the reviewer removes the redaction that differs
    report_redaction_remove(
        actor=personas["reviewer"], report=redacted, placeholder="[PERSON 2]", version=text_version(redacted)
    )
    redacted.refresh_from_db()
    # then both texts read the same, and their fingerprints say so
    assert indexed_text(sealed.report_text_open(redacted)) == indexed_text(sealed.report_text_open(restored))
    assert (
        redacted.text_fingerprint
        == restored.text_fingerprint
        == text_fingerprint(indexed_text(sealed.report_text_open(restored)))
    )
