"""Bank cards, Russian bank accounts and IBANs; key = the digits only.

- Cards: 13–19 digits (spaces or dashes between groups) passing Luhn and starting like a card
  (2–6; 8/9 for UzCard, Humo, Elcart, Korti Milli, whose 8600/9860 numbers we take even without
  Luhn because people mistype them and the prefix is unmistakable in 4×4 groups).
- Russian accounts: 20 digits starting 408/423/302/303/401/40702 (personal, deposit, transit…);
  any 20 digits after "счёт"/"р/с"/"account". No check is possible without the bank's BIK.
- IBAN: country letters + mod-97 check (KZ, and any other the writer's bank uses).
Numbers after document words (дело №, протокол, паспорт, ИНН) are left to ID_NUMBER.
"""

from __future__ import annotations

import re

from testimony.analysis.recognisers._util import context_before, digit_runs, luhn_ok, resolve, scan_windows
from testimony.analysis.spans import PAYMENT, Span

_ID_CTX = re.compile(r"(?i)дел[оау]|протокол|паспорт|pasport|passport|инн|снилс|патент|иин|пинфл|кусп|№")
_ACCOUNT_CTX = re.compile(r"(?i)сч[её]т|р/с|р\.\s?с\.|л/с|account|hisob|шот|шоты|есепшот|суратҳисоб")
_CARD_CTX = re.compile(r"(?i)карт|karta|card|корт|uzcard|humo|сбер|visa|mastercard|мир\b")
_ACCOUNT_PREFIX = ("408", "423", "302", "303", "401", "40702")
_IBAN = re.compile(r"(?<![A-Za-z0-9])([A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]){10,30})(?![A-Za-z0-9])")


def _iban_ok(s: str) -> bool:
    s = s.replace(" ", "")
    if not 15 <= len(s) <= 34:
        return False
    moved = s[4:] + s[:4]
    return int("".join(str(int(c, 36)) for c in moved)) % 97 == 1


def _make_accept(text: str):
    def accept(start: int, end: int, d: str, run_start: bool, run_end: bool) -> Span | None:
        n = len(d)
        account = n == 20
        card = 13 <= n <= 19 and luhn_ok(d) and (d[0] in "23456" or (d[0] in "89" and n == 16))
        maybe_card = n == 16 and d[0] in "2345689"  # mistyped card: only with a card word before it
        if not (account or card or maybe_card) or d.count(d[0]) == n:
            return None  # also "0000 0000 0000 0000" and similar placeholders
        card_ctx = context_before(text, start, _CARD_CTX, 30)
        if not card_ctx and context_before(text, start, _ID_CTX, 25):
            return None
        if account:
            if d.startswith(_ACCOUNT_PREFIX) or context_before(text, start, _ACCOUNT_CTX, 30):
                return Span(start, end, PAYMENT, d)
            return None
        if card:
            return Span(start, end, PAYMENT, d)
        if d.startswith(("8600", "9860")) or card_ctx:  # UzCard, Humo: prefix is telling enough
            return Span(start, end, PAYMENT, d, 0.8)
        return None

    return accept


def find(text: str) -> list[Span]:
    spans: list[Span] = []
    for groups in digit_runs(text, 13):
        if sum(e - s for s, e in groups) >= 13:
            spans.extend(scan_windows(groups, text, 13, 20, accept=_make_accept(text)))
    for m in _IBAN.finditer(text):
        raw = m.group(1).rstrip()
        if _iban_ok(raw):
            spans.append(
                Span(m.start(1), m.start(1) + len(raw), PAYMENT, "".join(c for c in raw if c.isdigit()))
            )
    return resolve(spans)
