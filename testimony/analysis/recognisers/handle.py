"""Social-network handles and profile links; key = the handle, lower-cased, no "@", no URL prefix.

Telegram, VK, Instagram, OK, TikTok, Facebook and WhatsApp links (``wa.me/79161234567``: the link
is a handle here, the bare number in it is also found by PHONE with the same digits as key).
A bare "@name" counts when it is not the middle of an e-mail; a name after a network's name counts
when it is clearly a username ("инстаграм: farhod_90", "телеграм @farhod"). Usernames are Latin.
"""

from __future__ import annotations

import re

from testimony.analysis.recognisers._util import has_any, lower_keeping_offsets, resolve
from testimony.analysis.spans import HANDLE, Span

_HOSTS = (
    r"t\.me|telegram\.me|telegram\.dog|(?:m\.)?vk\.com|vk\.ru|vkontakte\.ru|(?:www\.)?instagram\.com"
    r"|instagr\.am|(?:m\.)?facebook\.com|fb\.com|ok\.ru|(?:www\.)?tiktok\.com|twitter\.com|x\.com"
    r"|(?:www\.)?youtube\.com|wa\.me|api\.whatsapp\.com/send\?phone="
)
_URL = re.compile(
    rf"(?<![\w.])(?:https?://)?(?:www\.)?(?:{_HOSTS})/?"
    r"(?:profile\.php\?id=|profile/|id/|@|\+|s/|joinchat/|users?/|u/|people/|channel/|c/)?"
    r"([A-Za-z0-9_][A-Za-z0-9_.\-]{1,63})",
    re.IGNORECASE,
)
_AT = re.compile(r"(?<![\w@.+\-/])@([A-Za-z0-9_](?:[A-Za-z0-9_.]{2,30}[A-Za-z0-9_])?)(?![\w@]|\.[A-Za-z])")
_NET = (
    r"инстаграм+[аеу]?|инста|insta(?:gram)?|inst|телеграм+[аеу]?|телега|телеге|telegram|tg|тг|вк|vk"
    r"|вконтакте|тикток|tiktok|фейсбук|facebook|одноклассники|ник|никнейм|nick(?:name)?|username|логин|login"
)
# The network's name is found in the lower-cased text (fast literal alternation; lower-cased so
# that offsets stay those of the original), the name after it in the original text.
_NET_RX = re.compile(_NET)
_NAMED = re.compile(
    r"(?!\w)\s*(:|-|–|—)?\s*(?:в\s+|это\s+|is\s+)?@?([A-Za-z0-9_](?:[A-Za-z0-9_.]{1,30}[A-Za-z0-9_])?)(?![\w@])"
)
_DOMAIN = re.compile(r"(?i)\.(?:ru|com|net|org|uz|kz|tj|kg|by|ua|su|io|me|info)$")
_STOP = frozenset(
    (
        *("and", "or", "the", "a", "an", "to", "in", "on", "at", "for", "of", "is", "was", "with"),
        *("channel", "group", "chat", "account", "page", "profile", "bot", "but", "he", "she"),
        *("they", "we", "i", "my", "his", "her", "their", "me", "him", "them", "it", "not", "no"),
        *("yes", "ok", "app", "messenger"),
    )
)


_URL_STEMS = (
    "t.me",
    "telegram.",
    "vk.",
    "vkontakte",
    "instagr",
    "facebook",
    "fb.com",
    "ok.ru",
    "tiktok",
    "twitter",
    "x.com",
    "youtube",
    "wa.me",
    "whatsapp.com",
)
_NAMED_STEMS = (
    "инст",
    "inst",
    "телег",
    "teleg",
    "tg",
    "тг",
    "вк",
    "vk",
    "вконт",
    "тикт",
    "tikt",
    "фейсб",
    "faceb",
    "однокл",
    "ник",
    "nick",
    "user",
    "логин",
    "login",
)


# A username written without "@" a few words after the network's name, in any language's case
# ("instagramdan tapsanyzdar bolot nazgul.karasuu", "Instagram bekzod.taxi.kzn"): Latin words
# joined by dots or underscores, not a domain, not an e-mail.
_NET_NEAR = re.compile(r"инст|insta|телег|teleg|tiktok|тикток|вк\b|vk\b|однокл|ok\.ru|facebook|фейсбук")
_DOTTED = re.compile(r"(?<![\w@.\-/])([a-z][a-z0-9]*(?:[._][a-z0-9]+)+)(?![\w@]|\.[a-z])")
_NEAR = 60
_FILE_EXTENSIONS = frozenset(
    [
        "txt",
        "pdf",
        "jpg",
        "jpeg",
        "png",
        "gif",
        "doc",
        "docx",
        "xls",
        "xlsx",
        "mp3",
        "mp4",
        "ogg",
        "html",
        "htm",
        "php",
        "exe",
        "zip",
        "rar",
        "apk",
    ]
)


def _key(handle: str) -> str:
    return handle.lstrip("@+").rstrip(".").lower()


def find(text: str) -> list[Span]:
    lowered = lower_keeping_offsets(text)
    spans = []
    if has_any(lowered, _URL_STEMS):
        spans = [
            Span(m.start(), m.end() - m.group(1).endswith("."), HANDLE, _key(m.group(1)))
            for m in _URL.finditer(text)
        ]
    for m in _AT.finditer(text) if "@" in text else ():
        name = m.group(1)
        if any(ch.isalpha() for ch in name) and not _DOMAIN.search(name):
            spans.append(Span(m.start(), m.end(), HANDLE, _key(name)))
    for k in _NET_RX.finditer(lowered) if has_any(lowered, _NAMED_STEMS) else ():
        m = _NAMED.match(text, k.end())
        if not m or (k.start() and lowered[k.start() - 1].isalnum()):
            continue
        name = m.group(2)
        strong = m.group(1) or "@" in m.group() or any(ch in "_.0123456789" for ch in name)
        latin_kw = k.group()[0].isascii()
        if not any(ch.isalpha() for ch in name) or name.lower() in _STOP or (latin_kw and not strong):
            continue
        start = m.start(2) - (text[m.start(2) - 1] == "@")
        spans.append(Span(start, m.end(2), HANDLE, _key(name), 0.8))
    if "." in text or "_" in text:
        for m in _DOTTED.finditer(text):
            name = m.group(1)
            last = re.split(r"[._]", name)[-1]
            if _DOMAIN.search(name) or last in _FILE_EXTENSIONS or not any(c.isalpha() for c in last):
                continue  # "mail.ru", "photo.jpg", "v2.0"
            if not _NET_NEAR.search(lowered, max(0, m.start() - _NEAR), m.start()):
                continue
            spans.append(Span(m.start(), m.end(), HANDLE, _key(name), 0.7))
    return resolve(spans)
