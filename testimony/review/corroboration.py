"""How well a case is corroborated, computed from its linked reports and explained in sentences.

Reports are independent when nothing says they came from one source: a report marked as a
duplicate (``duplicate_of``, followed along chains), two reports with the same keyed text
fingerprint, or two reports sharing an attachment (same keyed content fingerprint) count as one
source. Documents, relations and reliability are then counted per source, so ten copies of one
photo are one report with a photo, not ten.

``assess`` is a plain function of ``LinkFacts``; ``facts_for_case`` reads them from the database.
Nothing here opens sealed text: only fingerprints, kinds and the reviewers' link fields.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

DOCUMENT_KINDS = frozenset({"image", "document"})
# Which member speaks for a group: the original over a copy, then the stronger relation.
_RELATION_RANK = {"victim": 0, "witness": 1, "relative": 2, "caseworker": 3}
_RELIABILITY_ORDER = ("high", "medium", "low", "unknown")


@dataclass(frozen=True)
class LinkFacts:
    report_id: object
    relation: str
    reliability: str
    duplicate_of_id: object = None
    marked_duplicate: bool = False  # review state "duplicate"
    text_fingerprint: str = ""
    content_fingerprints: frozenset[str] = frozenset()
    attachment_kinds: frozenset[str] = frozenset()


@dataclass
class Corroboration:
    linked: int = 0
    independent: int = 0
    excluded_marked: int = 0  # marked as a duplicate of another report (in the case or not)
    excluded_same_text: int = 0
    excluded_same_attachment: int = 0
    with_documents: int = 0
    with_photos: int = 0
    relations: Counter = field(default_factory=Counter)
    reliability: Counter = field(default_factory=Counter)
    reasons: list[str] = field(default_factory=list)


class _Groups:
    """Union-find over report ids (and the ids duplicates point at, which may be outside the case)."""

    def __init__(self) -> None:
        self.parent: dict = {}

    def find(self, item):
        self.parent.setdefault(item, item)
        while self.parent[item] != item:
            self.parent[item] = self.parent[self.parent[item]]
            item = self.parent[item]
        return item

    def union(self, a, b) -> bool:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return False
        self.parent[rb] = ra
        return True


def assess(links: list[LinkFacts]) -> Corroboration:
    result = Corroboration(linked=len(links))
    groups = _Groups()
    why: dict = {}  # report id → how it was found to share a source: "marked", "text", "attachment"

    for link in links:
        groups.find(link.report_id)
    # 1. Marked duplicates join what they duplicate.
    for link in links:
        if link.duplicate_of_id is not None:
            groups.union(link.duplicate_of_id, link.report_id)
            why.setdefault(link.report_id, "marked")
        elif link.marked_duplicate:
            why.setdefault(link.report_id, "marked")
    # 2. The same text, 3. a shared attachment.
    first_with_text: dict[str, object] = {}
    first_with_file: dict[str, object] = {}
    for link in links:
        if link.text_fingerprint:
            other = first_with_text.setdefault(link.text_fingerprint, link.report_id)
            if other != link.report_id and groups.union(other, link.report_id):
                why.setdefault(link.report_id, "text")
                why.setdefault(other, "text")
        for fingerprint in sorted(link.content_fingerprints):
            other = first_with_file.setdefault(fingerprint, link.report_id)
            if other != link.report_id and groups.union(other, link.report_id):
                why.setdefault(link.report_id, "attachment")
                why.setdefault(other, "attachment")

    members: dict = {}
    for link in links:
        members.setdefault(groups.find(link.report_id), []).append(link)
    # A marked duplicate whose original is not linked still stands for its source, once.
    result.independent = len(members)
    for group in members.values():
        speaker = min(
            group,
            key=lambda li: (
                li.duplicate_of_id is not None or li.marked_duplicate,
                _RELATION_RANK.get(li.relation, 9),
                str(li.report_id),
            ),
        )
        for link in group:
            if link is speaker:
                continue
            if link.duplicate_of_id is not None or link.marked_duplicate:
                result.excluded_marked += 1
            elif why.get(link.report_id) == "attachment":
                result.excluded_same_attachment += 1
            else:
                result.excluded_same_text += 1
        kinds = frozenset().union(*(link.attachment_kinds for link in group))
        if kinds & DOCUMENT_KINDS:
            result.with_documents += 1
        if "image" in kinds:
            result.with_photos += 1
        result.relations[speaker.relation] += 1
        result.reliability[best_reliability(group)] += 1
    result.reasons = explain(result)
    return result


def best_reliability(group: list[LinkFacts]) -> str:
    return min((link.reliability for link in group), key=_reliability_rank)


def _reliability_rank(value: str) -> int:
    return _RELIABILITY_ORDER.index(value) if value in _RELIABILITY_ORDER else len(_RELIABILITY_ORDER)


def explain(result: Corroboration) -> list[str]:
    """One sentence per reason, e.g. "3 independent reports (1 marked duplicate excluded)"."""
    if result.linked == 0:
        return [_("No reports are linked to this case yet.")]
    excluded = []
    if result.excluded_marked:
        excluded.append(
            ngettext(
                "%(n)d marked duplicate excluded", "%(n)d marked duplicates excluded", result.excluded_marked
            )
            % {"n": result.excluded_marked}
        )
    if result.excluded_same_text:
        excluded.append(
            ngettext(
                "%(n)d with the same text excluded",
                "%(n)d with the same text excluded",
                result.excluded_same_text,
            )
            % {"n": result.excluded_same_text}
        )
    if result.excluded_same_attachment:
        excluded.append(
            ngettext(
                "%(n)d sharing an attachment excluded",
                "%(n)d sharing an attachment excluded",
                result.excluded_same_attachment,
            )
            % {"n": result.excluded_same_attachment}
        )
    sentence = ngettext("%(n)d independent report", "%(n)d independent reports", result.independent) % {
        "n": result.independent
    }
    if excluded:
        sentence += " (" + "; ".join(excluded) + ")"
    reasons = [sentence + "."]

    if result.with_documents:
        documents = ngettext(
            "%(n)d with photos or documents", "%(n)d with photos or documents", result.with_documents
        ) % {"n": result.with_documents}
        if result.with_photos:
            documents += " " + ngettext("(%(n)d with photos)", "(%(n)d with photos)", result.with_photos) % {
                "n": result.with_photos
            }
        reasons.append(documents + ".")
    else:
        reasons.append(_("None has a photo or document."))

    labels = {
        "victim": lambda n: ngettext("%(n)d victim", "%(n)d victims", n),
        "witness": lambda n: ngettext("%(n)d witness", "%(n)d witnesses", n),
        "relative": lambda n: ngettext("%(n)d relative", "%(n)d relatives", n),
        "caseworker": lambda n: ngettext("%(n)d caseworker", "%(n)d caseworkers", n),
    }
    parts = [
        labels[r](result.relations[r]) % {"n": result.relations[r]} for r in labels if result.relations[r]
    ]
    if parts:
        reasons.append(_("Accounts from: %(parts)s.") % {"parts": ", ".join(parts)})

    reliability_labels = {
        "high": lambda n: ngettext("%(n)d high", "%(n)d high", n),
        "medium": lambda n: ngettext("%(n)d medium", "%(n)d medium", n),
        "low": lambda n: ngettext("%(n)d low", "%(n)d low", n),
        "unknown": lambda n: ngettext("%(n)d not assessed", "%(n)d not assessed", n),
    }
    parts = [
        reliability_labels[r](result.reliability[r]) % {"n": result.reliability[r]}
        for r in _RELIABILITY_ORDER
        if result.reliability[r]
    ]
    if parts:
        reasons.append(_("Reliability: %(parts)s.") % {"parts": ", ".join(parts)})
    return reasons


def facts_for_case(case) -> list[LinkFacts]:
    """Every linked report's facts, whoever may see it: the numbers reveal no text."""
    from testimony.review.models import Attachment, CaseReport

    links = list(
        CaseReport.objects.filter(case=case)
        .select_related("report")
        .only(
            "relation",
            "reliability",
            "report__submission_id",
            "report__duplicate_of_id",
            "report__state",
            "report__text_fingerprint",
        )
    )
    attachments: dict = {}
    for report_id, kind, fingerprint in Attachment.objects.filter(
        report_id__in=[link.report_id for link in links]
    ).values_list("report_id", "kind", "content_fingerprint"):
        kinds, fingerprints = attachments.setdefault(report_id, (set(), set()))
        kinds.add(kind)
        if fingerprint:
            fingerprints.add(fingerprint)
    facts = []
    for link in links:
        kinds, fingerprints = attachments.get(link.report_id, (set(), set()))
        facts.append(
            LinkFacts(
                report_id=link.report_id,
                relation=link.relation,
                reliability=link.reliability,
                duplicate_of_id=link.report.duplicate_of_id,
                marked_duplicate=link.report.state == "duplicate",
                text_fingerprint=link.report.text_fingerprint,
                content_fingerprints=frozenset(fingerprints),
                attachment_kinds=frozenset(kinds),
            )
        )
    return facts


def case_corroboration(case) -> Corroboration:
    return assess(facts_for_case(case))
