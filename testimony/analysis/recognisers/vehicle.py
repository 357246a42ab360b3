"""Vehicle registration plates; key = plate without spaces, upper-case, Cyrillic look-alikes → Latin.

Russian plates use only the twelve letters that look alike in both scripts (АВЕКМНОРСТУХ), so
"А123ВС77", "a123bc77" and "а 123 вс 777" are one plate. A spaced, lower-case form needs its region
digits, otherwise "в 100 км" would be a plate. Central Asian formats (upper-case Latin only):
Uzbek "01 A 123 BC" / "01 123 ABC", Kazakh "123 ABC 02", Kyrgyz "01 KG 123 ABC", Tajik "1234 AB 01".
Also Russian police plates "А 0417 77" and plates spelt in English by sound ("S 519 RU 750" for
"С 519 РУ 750"), both upper case and with their region.
"""

from __future__ import annotations

import re

from testimony.analysis.recognisers._util import CYR_TO_LAT, resolve
from testimony.analysis.spans import VEHICLE, Span

_L = "АВЕКМНОРСТУХавекмнорстухABEKMHOPCTYXabekmhopctyx"
# No IGNORECASE and no leading look-behind (checked in Python): both stop the engine skipping ahead.
_RU = re.compile(
    rf"([{_L}])(\s?)(\d{{3}})(\s?)([{_L}]{{2}})(?:(\s?)(\d{{2,3}})(?:\s?(?:RUS|РУС|rus))?)?(?![\w\-])"
)
_CA = re.compile(
    r"(?:\d{2}\s?[A-Z]\s?\d{3}\s?[A-Z]{2}"  # Uzbek, private
    r"|\d{2}\s?\d{3}\s?[A-Z]{3}"  # Uzbek, company; Kyrgyz without "KG"
    r"|\d{2}\s?KG\s?\d{3}\s?[A-Z]{3}"  # Kyrgyz
    r"|\d{3}\s?[A-Z]{2,3}\s?\d{2}"  # Kazakh
    r"|\d{4}\s?[A-Z]{2}\s?\d{2})"  # Tajik
    r"(?![\w\-])"
)
# Plates written in English by sound, not by shape: С → S, Р → R, У → U, Н → N, В → V ("S 519 RU 750").
# Upper case and with the region only; at least one such letter, or ``_RU`` has it already.
_PHONETIC = re.compile(
    r"([ABEKMHOPCTYXSRUNV])\s?(\d{3})\s?([ABEKMHOPCTYXSRUNV]{2})\s?(\d{2,3})(?:\s?RUS)?(?![\w\-])"
)
_SOUND_TO_SHAPE = str.maketrans("SRUNV", "CPYHB")
# Police cars: one letter, four digits, region ("А 0417 77", "A 1236 77" typed in Latin). Upper case,
# and not "В 2019 12 ..." (a year).
_POLICE = re.compile(r"([АВЕКМНОРСТУХABEKMHOPCTYX])\s?(\d{4})\s?(\d{2,3})(?![\w\-]|[.,]\d)")
# The other Russian series, upper case and with a region that exists: buses and taxis "АВ 123 77",
# trailers "АВ 1234 77" (a space before the region: "АВ 1234567" is a military ID), transit
# "АВ 123 К 77", military and motorcycles "1234 АВ 77" (in Latin letters that shape is Tajik, ``_CA``).
_UP = "АВЕКМНОРСТУХABEKMHOPCTYX"
_REGION = r"(?:0[1-9]|[1-9]\d|[179]\d\d)(?![\w\-]|[.,:]\d)"
# One regex that starts at the letters (the engine skips to them fast); without digits between the
# letters and the region, the military shape needs its four digits before them (checked in Python).
_SERIES = re.compile(rf"[{_UP}]{{2}}\s?(?P<mid>\d{{3}}\s?(?:[{_UP}]\s?)?|\d{{4}}\s)?(?:{_REGION})")
_MILITARY_DIGITS = re.compile(r"(?<![\w\-+])\d{4}\s?$")
_CYRILLIC_PAIR = re.compile("[АВЕКМНОРСТУХ]{2}")
_YEAR = re.compile(r"(?:19|20)\d\d")
_COUNTED = re.compile(
    r"(?i)\s*(?:руб|р\.|₽|\$|usd|долл|сум|сом|тенге|тг|евро|тыс|млн|%|чел|км|лет|год|мин|час|шт"
    r"|rub|so.?m|sum|tenge|dollar|people|kishi|odam|нафар|адам|киши|soat|hour|min|km|ming|минг|мың|миң)"
)
_LATIN_CAP = re.compile(r"[A-Z]")
_CURRENCY = re.compile(r"USD|EUR|RUB|RUR|KZT|UZS|TJS|KGS|TMT|GBP|CNY|TRY|KGB|SMS|MMS")
# Cheap test first (a digit, then look-alike capitals): most texts have no such thing.
_CYRILLIC_CA_HINT = re.compile(r"\d\s?[АВЕКМНОРСТУХ]{1,3}(?:\s?\d|(?!\w))")
_CAR_WORDS = (
    "машин",
    "мошин",
    "автомоб",
    "авто ",
    "көлі",
    "унаа",
    "номер",
    "нөмір",
    "рақам",
    "raqam",
    "mashin",
    "avtomob",
    "plate",
    "nexia",
    "нексия",
    "cobalt",
    "кобальт",
    "damas",
    "дамас",
    "gentra",
    "lada",
    "лада",
    "газел",
    "камаз",
    "такси",
    "taxi",
    "car ",
    "vehicle",
)


def _car_word_before(text: str, start: int) -> bool:
    before = text[max(0, start - 40) : start].lower()
    return any(w in before for w in _CAR_WORDS)


# Older Kazakh plates, a region letter first ("A 123 BCD", 1993-2012), and older Kyrgyz ones ("B 1234
# AB", to 2016): only after a word for a car or its number.
_CA_OLD = re.compile(r"[A-Z]\s?\d{3}\s?[A-Z]{3}(?![\w\-])|[A-Z]\s?\d{4}\s?[A-Z]{2}(?![\w\-])")
_KZ_SHAPE = re.compile(r"\d{3}\s?[A-Z]{2,3}\s?\d{2}")

_UNITS = frozenset({"км", "см", "мм", "кв", "км/ч", "km", "cm", "mm", "kb", "mb", "ом", "ст", "мт"})


def _key(raw: str) -> str:
    return "".join(raw.upper().translate(CYR_TO_LAT).split()).removesuffix("RUS").removesuffix("PYC")


def find(text: str) -> list[Span]:
    spans: list[Span] = []
    for m in _RU.finditer(text):
        if m.start() and (text[m.start() - 1].isalnum() or text[m.start() - 1] in "-_"):
            continue
        raw = m.group()
        spaced = any(m.group(i) for i in (2, 4, 6))
        lower = not (m.group(1) + m.group(5)).isupper()  # "В 345 КМ 750 rus" is upper case
        if spaced and lower and not m.group(7):
            continue
        if lower and spaced and m.group(5).lower() in _UNITS:
            continue
        spans.append(Span(m.start(), m.end(), VEHICLE, _key(raw), 0.8 if lower else 1.0))
    for m in _POLICE.finditer(text):
        if (m.start() and text[m.start() - 1].isalnum()) or _YEAR.fullmatch(m.group(2)):
            continue
        if _COUNTED.match(text, m.end()):
            continue  # "С 1000 50 рублей сверху" is money
        spans.append(Span(m.start(), m.end(), VEHICLE, _key(m.group()), 0.8))
    for m in _SERIES.finditer(text):
        start = m.start()
        if m.group("mid") is None:
            d = _MILITARY_DIGITS.search(text, max(0, start - 5), start)
            if not d or not _CYRILLIC_PAIR.match(text, start) or _YEAR.match(d.group()):
                continue  # "2019 ОК 12" starts with a year
            start = d.start()
        elif start and (text[start - 1].isalnum() or text[start - 1] in "-_+"):
            continue
        if _COUNTED.match(text, m.end()):
            continue  # "ЕК 417 31 рублей"
        spans.append(Span(start, m.end(), VEHICLE, _key(text[start : m.end()]), 0.8))
    has_latin = _LATIN_CAP.search(text) is not None
    for m in _PHONETIC.finditer(text) if has_latin else ():
        if m.start() and (text[m.start() - 1].isalnum() or text[m.start() - 1] in "-_"):
            continue
        if not any(c in "SRUNV" for c in m.group(1) + m.group(3)):
            continue
        spans.append(Span(m.start(), m.end(), VEHICLE, _key(m.group().translate(_SOUND_TO_SHAPE)), 0.8))
    # Central Asian plates typed with Cyrillic look-alike letters ("123 АВС 02" on a Russian keyboard):
    # the same shapes, only after a word for a car or its number.
    if _CYRILLIC_CA_HINT.search(text):
        latin = text.translate(CYR_TO_LAT)
        for m in _CA.finditer(latin):
            if latin[m.start() : m.end()] == text[m.start() : m.end()]:
                continue  # no Cyrillic in it: the loop below has it
            if m.start() and (text[m.start() - 1].isalnum() or text[m.start() - 1] == "-"):
                continue
            if _CURRENCY.search(m.group()) or _COUNTED.match(text, m.end()):
                continue
            if _car_word_before(text, m.start()):
                spans.append(Span(m.start(), m.end(), VEHICLE, _key(m.group()), 0.8))
    for m in _CA.finditer(text) if has_latin else ():
        raw = m.group()
        if m.start() and (text[m.start() - 1].isalnum() or text[m.start() - 1] == "-"):
            continue
        if _CURRENCY.search(raw) and not (_KZ_SHAPE.fullmatch(raw) and _car_word_before(text, m.start())):
            continue  # "500 USD 20 марта" is money and a date; "Kazakh plate 508 KZT 04" is a plate
        spans.append(Span(m.start(), m.end(), VEHICLE, _key(raw), 0.9))
    for m in _CA_OLD.finditer(text) if has_latin else ():
        if m.start() and (text[m.start() - 1].isalnum() or text[m.start() - 1] == "-"):
            continue
        if not _CURRENCY.search(m.group()) and _car_word_before(text, m.start()):
            spans.append(Span(m.start(), m.end(), VEHICLE, _key(m.group()), 0.8))
    return resolve(spans)
