"""Tag suggestions for a testimony from a multilingual keyword lexicon (``data/tag_lexicon.json``).

The lexicon has patterns in Russian (also typed in Latin letters), Uzbek (both scripts), Tajik, Kyrgyz,
Kazakh and English; its ``_about`` entry describes the pattern syntax. Matching works on words, so
stems take any case ending ("паспорт*" matches паспорта, паспортом), and it skips a match that
follows a negator ("не били") or precedes one ("urgani yoʻq"), and words an ``exclude`` pattern covers
("urishmadi", "трудовой контракт"). These are suggestions for a human to confirm, not verdicts.
The lexicon is loaded once per process, on first use.
"""

from __future__ import annotations

import json
import re
import threading
from pathlib import Path

from testimony.analysis.place_names import APOSTROPHES

TAGS = (
    "raid",
    "detention_conditions",
    "coercive_recruitment",
    "deportation_expulsion",
    "citizenship_revocation",
    "document_confiscation",
    "violence",
    "extortion",
    "discrimination",
    "other",
)
OTHER = "other"

_LEXICON = Path(__file__).resolve().parent / "data" / "tag_lexicon.json"
_MAX_GAP = 3  # words a "~" in a pattern may stand for

# Letters folded so that text typed on a Russian keyboard matches patterns written properly;
# apostrophes (Uzbek oʻ, gʻ, tutuq belgisi; English don't) are dropped.
_FOLD = str.maketrans(
    {
        "ё": "е", "ў": "у", "қ": "к", "ғ": "г", "ҳ": "х", "ӣ": "и", "ӯ": "у", "ҷ": "ч", "ә": "а",
        "ө": "о", "ү": "у", "ұ": "у", "ң": "н", "і": "и", "һ": "х", "ї": "и",
    }
    | dict.fromkeys(APOSTROPHES, None)
)  # fmt: skip
_NEEDS_FOLD = re.compile(f"[ёўқғҳӣӯҷәөүұңіһї{APOSTROPHES}]")
_WORD = re.compile(r"\w+")
_GAP = ("~", "")

# A pattern element: ("=", word) for a whole word, ("*", stem) for a stem, _GAP for a gap.
_Element = tuple[str, str]
_Pattern = tuple[_Element, ...]


def _words(text: str) -> list[str]:
    text = text.lower()
    if _NEEDS_FOLD.search(text):
        text = text.translate(_FOLD)
    return _WORD.findall(text)


def _compile(pattern: str) -> _Pattern:
    elements: list[_Element] = []
    for part in pattern.split():
        if part == "~":
            elements.append(_GAP)
            continue
        stem = part.endswith("*")
        words = _words(part)
        if len(words) != 1:
            # "из-за" and the like: several words, only the last one may be a stem.
            elements.extend(("=", w) for w in words[:-1])
        elements.append(("*" if stem else "=", words[-1]))
    if not elements or elements[0] == _GAP or elements[-1] == _GAP:
        raise ValueError(f"bad tag pattern {pattern!r}")
    if elements[0][0] == "*" and len(elements[0][1]) < 3:
        raise ValueError(f"a pattern's first stem needs three letters or more: {pattern!r}")
    return tuple(elements)


def _element_matches(element: _Element, word: str) -> bool:
    kind, value = element
    return word.startswith(value) if kind == "*" else word == value


class _Lexicon:
    def __init__(self) -> None:
        data = json.loads(_LEXICON.read_text(encoding="utf-8"))
        negators = data["negators"]
        self.before = frozenset(w for n in negators["before"] for w in _words(n))
        self.after = frozenset(w for n in negators["after"] for w in _words(n))
        self.after_by_tag = {tag: [_compile(p) for p in ps] for tag, ps in negators["after_by_tag"].items()}
        # first word or stem -> [(tag, pattern, is_exclusion)]
        self.exact: dict[str, list[tuple[str, _Pattern, bool]]] = {}
        self.stems: dict[str, list[tuple[str, _Pattern, bool]]] = {}
        for tag, spec in data["tags"].items():
            if tag not in TAGS or tag == OTHER:
                raise ValueError(f"unknown tag {tag!r} in {_LEXICON.name}")
            for key, exclusion in (("exclude", True), ("include", False)):
                for text in spec.get(key, []):
                    pattern = _compile(text)
                    kind, first = pattern[0]
                    index = self.stems if kind == "*" else self.exact
                    index.setdefault(first, []).append((tag, pattern, exclusion))
        for index in (self.exact, self.stems):
            for entries in index.values():
                entries.sort(key=lambda entry: not entry[2])  # exclusions first
        self.prefixes = frozenset(key[:3] for key in (*self.exact, *self.stems))
        self.stem_lengths = sorted({len(stem) for stem in self.stems})

    def _match(self, pattern: _Pattern, k: int, words: list[str], j: int) -> int:
        """Index just past the match of ``pattern[k:]`` at ``words[j:]``, or -1."""
        if k == len(pattern):
            return j
        if pattern[k] == _GAP:
            for skip in range(_MAX_GAP + 1):
                if skip and (j + skip - 1 >= len(words) or words[j + skip - 1] in self.before):
                    break
                end = self._match(pattern, k + 1, words, j + skip)
                if end >= 0:
                    return end
            return -1
        if j < len(words) and _element_matches(pattern[k], words[j]):
            return self._match(pattern, k + 1, words, j + 1)
        return -1

    def _negated_after(self, tag: str, words: list[str], end: int) -> bool:
        if end < len(words) and words[end] in self.after:
            return True
        return any(self._match(p, 0, words, end) >= 0 for p in self.after_by_tag.get(tag, ()))

    def tags(self, text: str) -> set[str]:
        words = _words(text)
        found: set[str] = set()
        blocked: dict[str, set[int]] = {}
        prefixes, exact, stems, lengths = self.prefixes, self.exact, self.stems, self.stem_lengths
        for i, word in enumerate(words):
            if word[:3] not in prefixes:
                continue
            candidates = list(exact.get(word, ()))
            for length in lengths:
                if length > len(word):
                    break
                candidates.extend(stems.get(word[:length], ()))
            if not candidates:
                continue
            candidates.sort(key=lambda entry: not entry[2])  # exclusions first
            for tag, pattern, exclusion in candidates:
                if tag in found and not exclusion:
                    continue
                end = self._match(pattern, 1, words, i + 1)
                if end < 0:
                    continue
                if exclusion:
                    blocked.setdefault(tag, set()).update(range(i, end))
                    continue
                if i in blocked.get(tag, ()):
                    continue
                if i and words[i - 1] in self.before:
                    continue
                if self._negated_after(tag, words, end):
                    continue
                found.add(tag)
        return found


_lexicon: _Lexicon | None = None
_lock = threading.Lock()


def _get_lexicon() -> _Lexicon:
    global _lexicon
    if _lexicon is None:
        with _lock:
            if _lexicon is None:
                _lexicon = _Lexicon()
    return _lexicon


def suggest_tags(text: str, language: str | None = None) -> list[str]:
    """Taxonomy slugs that fit ``text``, in the order of TAGS; ``["other"]`` when none does.

    ``language`` (as from ``detect_language``) is accepted for callers' convenience but not needed:
    the lexicon covers every language at once, which also serves texts that mix languages.
    """
    del language
    found = _get_lexicon().tags(text)
    return [tag for tag in TAGS if tag in found] or [OTHER]
