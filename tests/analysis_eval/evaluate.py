"""Quality of the analysis pipeline on the labelled evaluation set.

Measures, per label, recall (a gold span counts as found when every one of its characters is
redacted, under any label: what matters is that it is hidden), character precision (of all
redacted characters, the share inside gold spans; an English possessive "'s" at a gold span's
end need not be hidden), whether gold places survive redaction, and
per language geocoding accuracy (a gold place found, overlapping its span, within 25 km).

    .venv/bin/python tests/analysis_eval/evaluate.py [--heldout | --heldout2 | ... | --heldout9] [-v]

prints the table.
"""

from __future__ import annotations

import math
import re
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from testimony.analysis.pipeline import analyse  # noqa: E402
from tests.analysis_eval.load import LANGUAGES, load  # noqa: E402

KM_TOLERANCE = 25.0


def km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(a))


@dataclass
class Scores:
    found: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    gold: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    redacted_chars: int = 0
    redacted_gold_chars: int = 0
    places_gold: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    places_right: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    places_redacted: int = 0
    # Out of the repr: a failing assertion on the scores prints them, and a blind set's misses
    # (the texts themselves) must stay unread.
    misses: list[str] = field(default_factory=list, repr=False)

    def recall(self, label: str) -> float:
        return self.found[label] / self.gold[label] if self.gold[label] else 1.0

    @property
    def precision(self) -> float:
        return self.redacted_gold_chars / self.redacted_chars if self.redacted_chars else 1.0

    def geocoding(self, language: str) -> float:
        gold = self.places_gold[language]
        return self.places_right[language] / gold if gold else 1.0


_CITY_LEFT = re.compile(
    r"^[\s,.;:]*(?:(?:г|гор|город|ш|шаҳри|шаҳр|шаары|шаар|қ|қаласы|каласы|q|qalasy|kalasy|sh|shahri|shahar|shahr|shaary|shaar)\.?[\s,.;:]*)*$",
    re.I,
)


def _only_city_left(text: str, start: int, end: int, redacted: list[bool], result: dict) -> bool:
    """An address whose street, house and flat are hidden but whose town stays: the town is evidence."""
    in_place = [any(p["start"] <= i < p["end"] for p in result["places"]) for i in range(len(text))]
    left = "".join(text[i] for i in range(start, end) if not redacted[i] and not in_place[i])
    return any(redacted[start:end]) and bool(_CITY_LEFT.match(left))


_POSSESSIVE = re.compile(r"['’]s$")


def _without_possessive(text: str, start: int, end: int) -> int:
    """Where a gold span ends once an English possessive clitic is dropped: "Alisher's" is
    hidden when "Alisher" is ("[PERSON 1]'s passport" tells nothing about him). Writers of some
    sets put the clitic inside the span and others outside; this scores both alike."""
    match = _POSSESSIVE.search(text, start, end)
    return match.start() if match and match.start() > start + 1 else end


HELD_OUT_SETS = (
    "heldout",
    "heldout2",
    "heldout3",
    "heldout4",
    "heldout5",
    "heldout6",
    "heldout7",
    "heldout8",
    "heldout9",
)


def evaluate(language: str | None = None, *, heldout: str | None = None) -> Scores:
    """Scores on the main set, or on a held-out set (a name in ``HELD_OUT_SETS``).

    Nobody tuned on the held-out sets.
    """
    scores = Scores()
    items = load(language, Path(__file__).parent / heldout) if heldout else load(language)
    for item in items:
        result = analyse(item.text, precision="site")
        redacted = [False] * len(item.text)
        for r in result["redactions"]:
            for i in range(r["start"], r["end"]):
                redacted[i] = True
        gold_chars = [False] * len(item.text)
        for start, end, label, _entity in item.redactions:
            scores.gold[label] += 1
            for i in range(start, end):
                gold_chars[i] = True
            if all(redacted[start : _without_possessive(item.text, start, end)]) or (
                label == "ADDRESS" and _only_city_left(item.text, start, end, redacted, result)
            ):
                scores.found[label] += 1
            else:
                scores.misses.append(f"{item.id} {label}: {item.text[start:end]!r}")
        scores.redacted_chars += sum(redacted)
        scores.redacted_gold_chars += sum(1 for r, g in zip(redacted, gold_chars, strict=True) if r and g)
        for start, end, surface, lat, lon in item.places:
            scores.places_gold[item.language] += 1
            if any(redacted[start:end]):
                scores.places_redacted += 1
                scores.misses.append(f"{item.id} place redacted: {surface!r}")
                continue
            hits = [p for p in result["places"] if p["start"] < end and p["end"] > start]
            if any(km(p["lat"], p["lon"], lat, lon) <= KM_TOLERANCE for p in hits):
                scores.places_right[item.language] += 1
            else:
                scores.misses.append(f"{item.id} place not geocoded: {surface!r}")
    return scores


def report(scores: Scores) -> str:
    lines = ["label            gold  found  recall"]
    for label in sorted(scores.gold):
        lines.append(f"{label:15} {scores.gold[label]:5} {scores.found[label]:6}  {scores.recall(label):.3f}")
    lines.append(f"character precision: {scores.precision:.3f}")
    lines.append(f"gold places redacted by mistake: {scores.places_redacted}")
    lines.append(
        "geocoding within 25 km: " + ", ".join(f"{lang} {scores.geocoding(lang):.3f}" for lang in LANGUAGES)
    )
    return "\n".join(lines)


if __name__ == "__main__":
    chosen = next((name for name in HELD_OUT_SETS if f"--{name}" in sys.argv), None)
    result = evaluate(heldout=chosen)
    print(report(result))
    if "-v" in sys.argv:
        print("\n".join(result.misses))
