"""E-mail addresses, plain and obfuscated; key = the address, lower-cased, de-obfuscated.

People hide addresses from spam bots ("ivan [at] mail.ru", "ivan собака mail ru") and those are as
identifying as the plain form. The obfuscated forms only count with a domain we know or a real
top-level domain, so "met him at school" stays prose.
"""

from __future__ import annotations

import re

from testimony.analysis.recognisers._util import has_any, resolve
from testimony.analysis.spans import EMAIL, Span

_LOCAL = r"[A-Za-z0-9_%+\-](?:[A-Za-z0-9_.%+\-]{0,62}[A-Za-z0-9_%+\-])?"
_LABEL = r"[A-Za-z0-9\u0430-\u044f\u0410-\u042f\u0451](?:[\w\-]{0,61}[A-Za-z0-9\u0430-\u044f\u0410-\u042f])?"

_PLAIN = re.compile(
    rf"(?<![\w.@+\-])([\w%+\-](?:[\w.%+\-]{{0,62}}[\w%+\-])?)@((?:{_LABEL}\.)+[A-Za-z\u0430-\u044f\u0410-\u042f]{{2,24}})(?![\w@])"
)

_TLDS = r"ru|com|net|org|uz|kz|tj|kg|tm|by|ua|su|io|me|info|рф|de|tr|ae|us|uk|co|biz|online|pro|email"
_AT = (
    r"\s*(?:\[\s*(?:at|собака|@)\s*\]|\(\s*(?:at|собака|@)\s*\)|\{\s*at\s*\}|@)\s*"
    r"|\s+(?:at|собака|собачка|эт)\s+"
)
_DOT = r"\s*(?:\[\s*(?:dot|точка|\.)\s*\]|\(\s*(?:dot|точка|\.)\s*\)|\.)\s*|\s+(?:dot|точка|дот)\s+|\s+"
_KNOWN = r"mail|gmail|yandex|ya|bk|inbox|list|rambler|outlook|hotmail|yahoo|icloud|proton|protonmail|umail"
# Obfuscated: either a known mail host, or an explicit "dot" word / bracketed separator with a real TLD.
_OBF = re.compile(
    rf"(?<![\w.@+\-])({_LOCAL})(?:{_AT})((?:{_KNOWN})|[A-Za-z0-9\-]{{2,30}}(?=(?:{_DOT})(?:{_TLDS})\b))"
    rf"(?:{_DOT})({_TLDS})(?![\w@])",
    re.IGNORECASE,
)
_BARE_AT = re.compile(r"\s(?:at|эт)\s", re.IGNORECASE)
# An "@" with a space before it and none after opens a handle; an address split by spaces has them
# on both sides ("ivan @ mail.ru") or none. A name that goes on after the guessed TLD is no address.
_HANDLE_AFTER_WORD = re.compile(r"\s@(?=\w)")
_HOST_GOES_ON = re.compile(r"\.[^\W\d_]")
_PROSE = frozenset(
    (
        *("i", "we", "he", "she", "they", "you", "me", "him", "her", "us", "them", "it", "was", "were"),
        *("is", "are", "be", "been", "met", "meet", "work", "worked", "working", "live", "lived"),
        *("living", "stay", "stayed", "arrived", "look", "looked", "job", "jobs", "also", "only"),
        *("still", "there", "here", "that", "this", "who", "which"),
    )
)


_OBF_STEMS = ("at", "собак", "эт")
_MAIL_STEMS = (
    ".ru",
    ".com",
    ".uz",
    ".kz",
    ".tj",
    ".kg",
    " ru",
    " com",
    "dot",
    "точка",
    "дот",
    ".",
    "mail",
    "yandex",
    "ya ",
    "bk",
    "inbox",
    "list",
    "rambler",
)


def find(text: str) -> list[Span]:
    lowered = text.lower()
    if "@" not in text and not has_any(lowered, _OBF_STEMS):
        return []
    spans = [Span(m.start(), m.end(), EMAIL, m.group().lower()) for m in _PLAIN.finditer(text)]
    for m in _OBF.finditer(text) if has_any(lowered, _MAIL_STEMS) else ():
        raw = m.group()
        if "@" in raw and " " not in raw and "[" not in raw and "(" not in raw:
            continue  # plain form, already found
        local, host, tld = m.group(1, 2, 3)
        if _BARE_AT.search(raw) and local.lower() in _PROSE:
            continue  # "we met at yandex.ru office"
        if _HANDLE_AFTER_WORD.search(raw) or _HOST_GOES_ON.match(text, m.end()):
            continue  # "tiktok @aziza.kg.msk": a word, then a handle, not an address cut at ".kg"
        spans.append(Span(m.start(), m.end(), EMAIL, f"{local}@{host}.{tld}".lower(), 0.8))
    return resolve(spans)
