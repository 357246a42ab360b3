"""Corroboration: independent sources, documents, relations and reliability, and the sentences."""

from __future__ import annotations

import pytest

from testimony.review.corroboration import LinkFacts, assess, case_corroboration

A, B, C, D, E, OUTSIDE = "a", "b", "c", "d", "e", "x"


def link(report_id, relation="victim", reliability="unknown", **facts) -> LinkFacts:
    return LinkFacts(report_id=report_id, relation=relation, reliability=reliability, **facts)


def test_no_links():
    result = assess([])
    assert result.independent == 0
    assert result.reasons == ["No reports are linked to this case yet."]


def test_a_marked_duplicate_is_one_source_with_its_original():
    result = assess(
        [
            link(A, reliability="high", attachment_kinds=frozenset({"image"})),
            link(B, relation="witness", reliability="medium"),
            link(C, relation="witness", duplicate_of_id=A, marked_duplicate=True),
            link(D, relation="relative", reliability="low", attachment_kinds=frozenset({"document"})),
        ]
    )
    assert result.independent == 3
    assert result.excluded_marked == 1
    assert result.with_documents == 2
    assert result.with_photos == 1
    assert result.relations == {"victim": 1, "witness": 1, "relative": 1}
    assert result.reliability == {"high": 1, "medium": 1, "low": 1}
    assert result.reasons == [
        "3 independent reports (1 marked duplicate excluded).",
        "2 with photos or documents (1 with photos).",
        "Accounts from: 1 victim, 1 witness, 1 relative.",
        "Reliability: 1 high, 1 medium, 1 low.",
    ]


def test_duplicate_chains_and_fingerprints_collapse_sources():
    result = assess(
        [
            link(A, text_fingerprint="t1"),
            link(B, duplicate_of_id=C, marked_duplicate=True),  # B → C → A: one chain
            link(C, duplicate_of_id=A, marked_duplicate=True),
            link(D, relation="witness", text_fingerprint="t1"),  # same text as A
            link(
                E,
                relation="witness",
                content_fingerprints=frozenset({"f1"}),
                attachment_kinds=frozenset({"image"}),
            ),
        ]
    )
    assert result.independent == 2
    assert result.excluded_marked == 2
    assert result.excluded_same_text == 1
    assert result.reasons[0] == (
        "2 independent reports (2 marked duplicates excluded; 1 with the same text excluded)."
    )


def test_a_shared_attachment_is_one_source_and_its_photo_counts_once():
    photo = frozenset({"image"})
    result = assess(
        [
            link(A, content_fingerprints=frozenset({"f1"}), attachment_kinds=photo),
            link(B, relation="witness", content_fingerprints=frozenset({"f1", "f2"}), attachment_kinds=photo),
            link(C, relation="caseworker", reliability="high"),
        ]
    )
    assert result.independent == 2
    assert result.excluded_same_attachment == 1
    assert result.with_photos == 1
    # The group speaks through its victim; its reliability is its best member's.
    assert result.relations == {"victim": 1, "caseworker": 1}
    assert result.reasons[1] == "1 with photos or documents (1 with photos)."


def test_a_duplicate_of_a_report_outside_the_case_still_counts_once():
    result = assess(
        [link(A, duplicate_of_id=OUTSIDE, marked_duplicate=True), link(B, duplicate_of_id=OUTSIDE)]
    )
    assert result.independent == 1
    assert result.excluded_marked == 1
    assert "None has a photo or document." in result.reasons


@pytest.mark.django_db
def test_facts_are_read_from_the_database(organisation, report_factory):
    from testimony.review.models import Attachment, Case, CaseReport

    case = Case.objects.create(organisation=organisation, title="Raid")
    first, copy, other = report_factory(), report_factory(), report_factory()
    copy.state, copy.duplicate_of = "duplicate", first
    copy.save(update_fields=["state", "duplicate_of"])
    Attachment.objects.create(
        report=other,
        position=0,
        kind="image",
        content_type="image/jpeg",
        cleaned=True,
        content_fingerprint="f",
    )
    for report, relation in ((first, "victim"), (copy, "victim"), (other, "witness")):
        CaseReport.objects.create(case=case, report=report, relation=relation)

    result = case_corroboration(case)

    assert result.linked == 3
    assert result.independent == 2
    assert result.reasons[:2] == [
        "2 independent reports (1 marked duplicate excluded).",
        "1 with photos or documents (1 with photos).",
    ]
