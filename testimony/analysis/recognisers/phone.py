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

import re
from functools import lru_cache

import phonenumbers
from phonenumbers import PhoneNumberType

from testimony.analysis.recognisers._util import context_before, digit_runs, resolve, scan_windows
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


def find(text: str) -> list[Span]:
    accept = _make_accept(text)
    spans: list[Span] = []
    for groups in digit_runs(text, 8):
        if sum(e - s for s, e in groups) >= 8:
            spans.extend(scan_windows(groups, text, 8, 15, accept))
    return resolve(spans)


def forget_words() -> None:
    """Empty the memo of numbers parsed (see ``pipeline.forget_words``)."""
    _lookup.cache_clear()
