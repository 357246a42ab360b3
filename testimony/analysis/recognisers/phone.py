"""Phone numbers of Russia and Central Asia (+7, +998, +992, +996, +993), key = E.164 digits.

``phonenumbers.PhoneNumberMatcher`` costs about 2 ms per KB *per region* (measured), far over the
budget, and its bare national numbers are too eager for our texts (a Tajik passport "400123456" is a
valid Tajik mobile). So we find digit runs ourselves and let ``phonenumbers`` validate each window.

Trust levels:
- international shape (``+``, or 7/8 + 10 digits, 998/992/996 + 9, 993 + 8): valid or, with "+",
  possible numbers are phones;
- bare national numbers (RU 10 digits from 9, UZ/TJ/KG 9 digits, KG 10 with its trunk 0, TM 8)
  must be valid mobiles, or valid anywhere with a phone word nearby, and never follow a document
  word (паспорт, серия, №...).
Dates, money ("15 000 000 сум") and numbers after document words are rejected.
"""

from __future__ import annotations

import dataclasses
import re
from functools import lru_cache

import phonenumbers
from phonenumbers import PhoneNumberType

from testimony.analysis.recognisers._util import (
    APOSTROPHES,
    TAJIK_TEENS,
    TURKIC_TAJIK_DIGITS,
    TURKIC_TAJIK_TENS,
    context_before,
    digit_runs,
    has_any,
    lower_keeping_offsets,
    resolve,
    scan_windows,
)
from testimony.analysis.spans import PHONE, Span

_PHONE_CTX = re.compile(
    r"(?i)тел|моб|phone|tel|whats|вотс|ватс|вацап|вайбер|viber|звон|call|raqam|номер\s+(?:тел|моб|для)"
    r"|контакт|contact|aloqa|қоңырау|номери|sms|смс"
)
_ID_CTX = re.compile(
    r"(?i)паспорт|pasport|passport|сери[яи]|seriya|№|\bN\s*$|патент|patent|инн|снилс|карт[аыуе]|karta"
    r"|card|сч[её]т|протокол|дел[оау]\b|билет|удостоверени|\bid\b|иин|пинфл|jshshir|статья|ст\.|артикул"
    # the documents in the other languages: a Tajik passport number is a valid Tajik mobile
    r"|шиноснома|шәхсият|куәлі|жсн|guvohnoma|гувоҳнома|күбөлүк|күбөлүг|шаҳодатнома|му[ҳх]о[ҷч]ират|hujjat|ҳуҷҷат"
)
_MONEY_AFTER = re.compile(
    r"\s*(?:руб|р\.|₽|\$|usd|долл|сум|so.?m|сом|тенге|тг|₸|манат|евро|eur|тыс|млн|млрд|%)", re.IGNORECASE
)
_DATE = re.compile(r"\d{1,2}[./\-]\d{1,2}[./\-](?:19|20)?\d{2}")

_INTL = {"7": 11, "998": 12, "992": 12, "996": 12, "993": 11}
_NATIONAL = {10: ("RU",), 9: ("UZ", "TJ", "KG"), 8: ("TM",)}
_MOBILE = (PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE_OR_MOBILE)


@lru_cache(maxsize=4096)
def _lookup(number: str, region: str | None) -> tuple[str, bool, bool, bool] | None:
    """(E.164 digits, valid, possible, mobile) for ``number`` read in ``region``; cached, parsing is slow."""
    try:
        n = phonenumbers.parse(number, region)
    except phonenumbers.NumberParseException:
        return None
    valid = phonenumbers.is_valid_number_for_region(n, region) if region else phonenumbers.is_valid_number(n)
    if region and not valid:
        valid = phonenumbers.is_valid_number(n) and n.country_code == 7 and region == "RU"
    mobile = valid and phonenumbers.number_type(n) in _MOBILE
    return f"{n.country_code}{n.national_number}", valid, phonenumbers.is_possible_number(n), mobile


def _make_accept(text: str):
    contexts: dict[int, tuple[bool, bool]] = {}  # start -> (phone word before, document word before)

    def context(start: int) -> tuple[bool, bool]:
        if start not in contexts:
            phone = context_before(text, start, _PHONE_CTX, 40)
            contexts[start] = (phone, not phone and context_before(text, start, _ID_CTX, 25))
        return contexts[start]

    def accept(start: int, end: int, d: str, run_start: bool, run_end: bool) -> Span | None:
        # Cheap structural tests first: in a table of numbers this is called for every window.
        plus = run_start and text[max(0, start - 2) : start].lstrip().endswith("+")
        trunk = d[0] == "8" and len(d) == 11 and not plus
        if plus or trunk or any(d.startswith(cc) and len(d) == n for cc, n in _INTL.items()):
            got = _lookup("+7" + d[1:] if trunk else "+" + d, None)
            if not got or not (got[1] or (plus and got[2])):
                return None
            score = 1.0 if got[1] else 0.7
        else:
            # Kyrgyz numbers are written with their trunk "0": "0555 123 456"; Russian ones never start so
            regions = ("KG",) if len(d) == 10 and d[0] == "0" else _NATIONAL.get(len(d), ())
            got = next((g for g in (_lookup(d, r) for r in regions) if g and g[1]), None)
            if not got:
                return None
            phone_ctx, id_ctx = context(start)
            if not phone_ctx and (len(d) == 8 or id_ctx or not got[3]):
                return None
            score = 0.9 if phone_ctx else 0.7
        if plus:
            start = text.rindex("+", 0, start)
        elif run_start and start and text[start - 1] == "(" and ")" in text[start:end]:
            # "(916) 123-45-67" keeps its bracket; "(500291736)" is a number in brackets
            start -= 1
        if _DATE.fullmatch(text, start, end) or _MONEY_AFTER.match(text, end):
            return None
        return Span(start, end, PHONE, got[0], score)

    return accept


# Numbers dictated in words, as in transcribed voice messages: "восемь девятьсот восемнадцать
# 305-17-62", "zero seven seven zero four one two ...", "nol to'qqiz bir ...". Each word is (kind,
# value): a digit "u", a teen "e", a ten "t", a Russian hundred "h", a word for "hundred" "x".
_DIGITS = range(10)
_NUMBER_WORDS: dict[str, tuple[str, int]] = {}
for _kind, _words, _values in (
    ("u", "ноль один два три четыре пять шесть семь восемь девять", _DIGITS),
    ("u", "нуль одна две", (0, 1, 2)),
    ("u", "zero one two three four five six seven eight nine", _DIGITS),
    ("u", "oh", (0,)),
    # zero in Uzbek, Kazakh, Uzbek Cyrillic and Tajik (their other digits: TURKIC_TAJIK_DIGITS below)
    ("u", "nol нөл нол сифр", (0, 0, 0, 0)),
    ("u", "тогыз", (9,)),  # Kazakh typed without its letters
    ("e", "десять одиннадцать двенадцать тринадцать четырнадцать пятнадцать шестнадцать", range(10, 17)),
    ("e", "семнадцать восемнадцать девятнадцать", range(17, 20)),
    ("e", "ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen", range(10, 20)),
    ("t", "двадцать тридцать сорок пятьдесят шестьдесят семьдесят восемьдесят девяносто", range(20, 100, 10)),
    ("t", "twenty thirty forty fifty sixty seventy eighty ninety", range(20, 100, 10)),
    ("h", "сто двести триста четыреста пятьсот шестьсот семьсот восемьсот девятьсот", range(100, 1000, 100)),
    # spellings of Tajik teens beside TAJIK_TEENS'
    ("e", "яздаҳ ҳаштдаҳ", (11, 18)),
    # Tajik tens joined to the unit after it by "-у": "бисту панҷ" 25, "сиву ду" 32
    ("t", "даҳу бисту сиву чилу панҷоҳу шасту ҳафтоду ҳаштоду наваду", range(10, 100, 10)),
    ("h", "дусад сесад чорсад панҷсад шашсад ҳафтсад ҳаштсад нӯҳсад", range(200, 1000, 100)),
    ("h", "саду дусаду сесаду чорсаду панҷсаду шашсаду ҳафтсаду ҳаштсаду нӯҳсаду", range(100, 1000, 100)),
    ("x", "hundred yuz жүз жуз сад юз", (100,) * 6),
):
    _NUMBER_WORDS.update((w, (_kind, v)) for w, v in zip(_words.split(), _values, strict=True))
for _kind, _table in (("u", TURKIC_TAJIK_DIGITS), ("e", TAJIK_TEENS), ("t", TURKIC_TAJIK_TENS)):
    _NUMBER_WORDS.update((w, (_kind, v)) for w, v in _table.items())
# Russian typed in Latin letters, as in chats: "vosem devyatsot dvadcat shest ...". Short common
# Latin words ("sem", "sto", "dva") slow the scan of every text: read only where "vosem" or "devyat"
# (8 or 9, with which a Russian or Kazakh mobile starts) is written.
_TRANSLIT_WORDS: dict[str, tuple[str, int]] = {}
for _kind, _words, _values in (
    ("u", "nol odin dva tri chetyre pyat shest sem vosem devyat", _DIGITS),
    ("e", "desyat odinnadcat dvenadcat trinadcat chetyrnadcat pyatnadcat shestnadcat", range(10, 17)),
    ("e", "semnadcat vosemnadcat devyatnadcat", range(17, 20)),
    (
        "t",
        "dvadcat tridcat sorok pyatdesyat shestdesyat semdesyat vosemdesyat devyanosto",
        range(20, 100, 10),
    ),
    ("t", "dvadtsat tridtsat", (20, 30)),
    ("h", "sto dvesti trista chetyresta pyatsot shestsot semsot vosemsot devyatsot", range(100, 1000, 100)),
):
    _TRANSLIT_WORDS.update((w, (_kind, v)) for w, v in zip(_words.split(), _values, strict=True))
_TRANSLIT_STEMS = ("vosem", "devyat")


def _word_rx(words) -> str:
    return "|".join(sorted((w.replace("'", f"[{APOSTROPHES}]") for w in words), key=len, reverse=True))


def _spoken_rx(words) -> re.Pattern[str]:
    """A run of at least two number words and digit groups: only such runs are read."""
    w = _word_rx(words)
    return re.compile(rf"(?<!\w)(?:\+\s?)?(?:(?:{w})(?!\w)|\d+)(?:[\s,\-–]{{1,3}}(?:(?:{w})(?!\w)|\d+))+")


_SPOKEN = _spoken_rx(_NUMBER_WORDS)
_SPOKEN_WITH_TRANSLIT = _spoken_rx({**_NUMBER_WORDS, **_TRANSLIT_WORDS})
_NUMBER_WORDS = {**_TRANSLIT_WORDS, **_NUMBER_WORDS}
_TOKEN = re.compile(rf"(?:{_word_rx(_NUMBER_WORDS)})(?!\w)|\d+")
# Substrings one of which a dictated number almost always holds (a run of seven+ digits in words).
_SPOKEN_STEMS = (
    "ноль", "нуль", "девят", "восем", "zero", "seven", "eight", "nine", "nol", "sakkiz", "qqiz", "нөл",
    "сегіз", "сегиз", "тоғыз", "тогуз", "ҳашт", "нӯҳ", "сифр", "саккиз", "тўққиз", "нол",
    *_TRANSLIT_STEMS, "тогыз",
)  # fmt: skip


def _spoken_groups(run: str, base: int) -> list[tuple[int, int, str, bool]]:
    """(start, end, digits, is_word) per number: "девятьсот восемнадцать" is one number, 918."""
    out: list[tuple[int, int, str, bool]] = []
    cur: list = []  # [start, end, value, stage] of the number being built from words

    def flush() -> None:
        if cur:
            out.append((cur[0], cur[1], str(cur[2]), True))
            cur.clear()

    for t in _TOKEN.finditer(run):
        start, end, word = base + t.start(), base + t.end(), t.group().replace("’", "'")
        if word.isdigit():
            flush()
            out.append((start, end, word, False))
            continue
        kind, value = _NUMBER_WORDS.get(word) or _NUMBER_WORDS[_normalise_apostrophe(word)]
        stage = cur[3] if cur else None
        if kind == "x":
            if stage == "u" and cur[2]:
                cur[1:] = [end, cur[2] * 100, "h"]
                continue
            flush()
            cur[:] = [start, end, 100, "h"]
        elif (kind in "et" and stage == "h") or (kind == "u" and value and stage in ("h", "t")):
            cur[1:] = [end, cur[2] + value, "t" if kind == "t" else "e"]
        else:
            flush()
            cur[:] = [start, end, value, "h" if kind == "h" else kind]
    flush()
    return out


_PLUS_WORD = re.compile(r"(?<!\w)(?:плюс|plus|plyus|pljus|плус)\s+$")


def _normalise_apostrophe(word: str) -> str:
    return re.sub(f"[{APOSTROPHES}]", "'", word)


def _spoken(text: str, lowered: str, accept) -> list[Span]:
    spans: list[Span] = []
    rx = _SPOKEN_WITH_TRANSLIT if has_any(lowered, _TRANSLIT_STEMS) else _SPOKEN
    for run in rx.finditer(lowered):
        groups = _spoken_groups(run.group(), run.start())
        if sum(is_word for *_, is_word in groups) < 2:
            continue
        word_spans = [(start, end) for start, end, _, is_word in groups if is_word]

        def accept_said(start: int, end: int, d: str, starts_run: bool, ends_run: bool, words=word_spans):
            if sum(start <= s and e <= end for s, e in words) < 2:
                return None  # at least two numbers of the window said in words
            hit = accept(start, end, d, starts_run, ends_run)
            plus = hit and _PLUS_WORD.search(lowered, max(0, hit.start - 8), hit.start)
            return dataclasses.replace(hit, start=plus.start()) if plus else hit

        # every window of whole numbers whose digits fit a phone plan, longest first
        spans += scan_windows(
            [(start, end) for start, end, *_ in groups], text, 9, 12, accept_said, [g[2] for g in groups]
        )
    return spans


def find(text: str) -> list[Span]:
    accept = _make_accept(text)
    spans: list[Span] = []
    for groups in digit_runs(text, 8):
        if sum(e - s for s, e in groups) >= 8:
            spans.extend(scan_windows(groups, text, 8, 15, accept))
    lowered = lower_keeping_offsets(text)
    if has_any(lowered, _SPOKEN_STEMS):
        spans.extend(_spoken(text, lowered, accept))
    return resolve(spans)


def forget_words() -> None:
    """Empty the memo of numbers parsed (see ``pipeline.forget_words``)."""
    _lookup.cache_clear()
