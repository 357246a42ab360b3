"""Small helpers shared by the pattern recognisers (pure Python, no state).

Numbers in testimonies arrive glued to their neighbours ("родился 12.03.1990 тел 8916..."), so the
recognisers that read digits split a run of digit groups into candidate windows instead of trusting
one greedy regex match; a window never cuts inside a group of digits.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from testimony.analysis.spans import Span

# A run of digit groups joined by the separators people type inside numbers. No newlines, commas
# or slashes: those separate different things far more often than they join one.
_RUN = re.compile(r"(?<![\w+])(?:\+\s?)?\(?\d+(?:[ \t\u00a0.\-\u2010-\u2013()]{1,4}\d+)*")
_GROUP = re.compile(r"\d+")

# The apostrophes the recognisers accept inside a word (Uzbek oʻ/gʻ, "Igor'", "Nilufar's"); fewer
# than place_names.APOSTROPHES, which also has ´ ʹ ′.
APOSTROPHES = "ʻʼ'`‘’"

# Cardinal number words of Uzbek (Latin and Cyrillic), Kazakh, Kyrgyz and Tajik, word -> value: the
# phone numbers (phone) and the dates (date_of_birth) said in words both read them.
TURKIC_TAJIK_DIGITS: dict[str, int] = {
    word: value
    for words in (
        "bir ikki uch to'rt besh olti yetti sakkiz to'qqiz",  # Uzbek
        "бир икки уч тўрт беш олти етти саккиз тўққиз",  # Uzbek Cyrillic
        "бір екі үш төрт бес алты жеті сегіз тоғыз",  # Kazakh
        "як ду се чор панҷ шаш ҳафт ҳашт нӯҳ",  # Tajik
    )
    for value, word in enumerate(words.split(), 1)
} | {"эки": 2, "үч": 3, "жети": 7, "сегиз": 8, "тогуз": 9}  # Kyrgyz, where it is not Kazakh or Uzbek
TURKIC_TAJIK_TENS: dict[str, int] = {
    word: value
    for words in (
        "o'n yigirma o'ttiz qirq ellik oltmish yetmish sakson to'qson",  # Uzbek
        "ўн йигирма ўттиз қирқ эллик олтмиш етмиш саксон тўқсон",  # Uzbek Cyrillic
        "он жиырма отыз қырық елу алпыс жетпіс сексен тоқсан",  # Kazakh
        "даҳ бист сӣ чил панҷоҳ шаст ҳафтод ҳаштод навад",  # Tajik
    )
    for value, word in zip(range(10, 100, 10), words.split(), strict=True)
} | {  # Kyrgyz
    "жыйырма": 20,
    "отуз": 30,
    "кырк": 40,
    "элүү": 50,
    "алтымыш": 60,
    "жетимиш": 70,
    "токсон": 90,
}
# Tajik teens are one word each: "дувоздаҳ" 12
TAJIK_TEENS: dict[str, int] = {
    "ёздаҳ": 11, "дувоздаҳ": 12, "сенздаҳ": 13, "сездаҳ": 13, "чордаҳ": 14, "понздаҳ": 15, "шонздаҳ": 16,
    "ҳабдаҳ": 17, "ҳафдаҳ": 17, "ҳаждаҳ": 18, "нуздаҳ": 19,
}  # fmt: skip

# Cyrillic letters that look like Latin ones; people type either on a mixed keyboard.
CYR_TO_LAT = str.maketrans("АВЕКМНОРСТУХавекмнорстух", "ABEKMHOPCTYXabekmhopctyx")


def digits(s: str) -> str:
    return "".join(ch for ch in s if ch.isdigit())


def lower_keeping_offsets(text: str) -> str:
    """``text.lower()``, of the same length: a letter that grows when lower-cased ("İ") stays as it is."""
    lowered = text.lower()
    if len(lowered) != len(text):
        lowered = "".join(c if len(c.lower()) != 1 else c.lower() for c in text)
    return lowered


def luhn_ok(d: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(d)):
        n = ord(ch) - 48
        if i % 2:
            n = n * 2 - 9 if n > 4 else n * 2
        total += n
    return total % 10 == 0


def digit_runs(text: str, min_chars: int = 1) -> Iterator[list[tuple[int, int]]]:
    """Yield each run of digit groups (at least ``min_chars`` long) as a list of (start, end) of groups."""
    for m in _RUN.finditer(text):
        if m.end() - m.start() >= min_chars:
            base = m.start()
            yield [(g.start() + base, g.end() + base) for g in _GROUP.finditer(m.group())]


def scan_windows(groups, text, lo, hi, accept, digits_of=None) -> list[Span]:
    """Greedy left to right over windows of whole groups (a window never cuts a group of digits).

    At each group, try the longest window of ``lo``..``hi`` digits first; ``accept(start, end,
    digits, starts_run, ends_run)`` returns a Span or None. After a hit, resume after its window.
    A group's digits are its text, or ``digits_of[i]`` when given (a number said in words).
    """
    out: list[Span] = []
    n = len(groups)
    i = 0
    while i < n:
        parts: list[str] = []
        total = 0
        for j in range(i, n):
            part = text[groups[j][0] : groups[j][1]] if digits_of is None else digits_of[j]
            total += len(part)
            if total > hi:
                break
            parts.append(part)
        hit = None
        for k in range(len(parts), 0, -1):
            d = "".join(parts[:k])
            if len(d) < lo:
                break
            hit = accept(groups[i][0], groups[i + k - 1][1], d, i == 0, i + k == n)
            if hit is not None:
                out.append(hit)
                i += k
                break
        if hit is None:
            i += 1
    return out


_SENTENCE_END = re.compile(r"[.!?]\s+(?=[A-ZА-ЯЁ])|\n")


def context_before(text: str, start: int, pattern: re.Pattern[str], width: int = 30) -> bool:
    """Does ``pattern`` occur in the ``width`` characters before ``start``, within the same sentence?"""
    lo = max(0, start - width)
    for m in _SENTENCE_END.finditer(text, lo, start):
        lo = m.end()
    return pattern.search(text, lo, start) is not None


def has_any(lowered: str, stems: tuple[str, ...]) -> bool:
    """Cheap prefilter: plain substring tests run far faster than a regex alternation over the text."""
    return any(stem in lowered for stem in stems)


def resolve(spans: Iterable[Span]) -> list[Span]:
    """Sorted, non-overlapping: earlier start wins, then the longer span."""
    out: list[Span] = []
    for sp in sorted(spans, key=lambda s: (s.start, -(s.end - s.start))):
        if out and sp.start < out[-1].end:
            continue
        out.append(sp)
    return out
