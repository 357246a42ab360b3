"""Street-level addresses: street + house (+ building, flat); key = lower-cased, spaces collapsed.

Only the street part is redacted: "общежитие на ул. Строителей 3" keeps "общежитие на". A city,
region, market or detention centre alone is evidence and is never matched here, nor is "улица"
without a name ("на улице холодно"). Three shapes:
- street word then name: "ул. Ленина, д. 5, кв. 12", "проспект Мира 101к2", "кӯчаи Рӯдакӣ 45";
- name then street word: "Тверская улица 7", "Amir Temur ko'chasi 15-uy", "Абай көшесі 15";
- numbered block or bare house and flat: "мкр. 5, дом 12", "9-kvartal 12-uy", "дом 14 кв 88".
A lower-case street name counts only with a house number after it ("ул ленина 5").
"""

from __future__ import annotations

import re

from testimony.analysis.recognisers._util import has_any, resolve
from testimony.analysis.spans import ADDRESS, Span

_A = "[ʻʼ'`‘’]?"
_UPPER = "A-ZА-ЯЁЎҚҒҲӮӢҶӘҢӨҰҮҺІ"
_CAP = rf"(?:[{_UPPER}][\w{_A[1:-2]}\-]*|\d{{1,3}}(?:-?[а-яa-z]{{1,2}})?\s+[{_UPPER}][\w\-]*)"
_LOW = r"[a-zа-яёўқғҳӯӣҷәңөұүһі][\w\-]{2,}"
_HOUSE = (
    r"(?:(?:д(?:ом)?|house|uy|үй|хонаи|№)\.?\s*)?\d{1,4}(?:[а-яa-z](?!\w))?(?:\s*[/\-]\s*\d{1,4}(?!\s*-?\s*xonadon))?"
    r"(?:\s*-?\s*(?:uy|үй)(?!\w))?(?:\s*,?\s*(?:к(?:орп(?:ус)?)?|стр(?:оение)?|bino)\.?\s*\d{1,3})?"
)
_FLAT = (
    r"(?:кв(?:артира)?|apt|flat|xonadon|хонадон|пәтер|батир|ком(?:ната)?|комн)\.?\s*№?\s*\d{1,4}"
    r"|\d{1,4}\s*-?\s*(?:xonadon|хонадон)"
)
_NOT_A_HOUSE = r"(?!\s*(?:года?|г\.|лет|руб|сум|час|мин|человек|чел))"  # "5 лет", "5 часов"
_TAIL = rf"(?P<house>\s*,?\s*(?<![\d]){_HOUSE}(?!\d){_NOT_A_HOUSE})?(?P<flat>\s*,?\s*(?:{_FLAT}))?"

_PREFIX = (
    r"ул(?:иц[аеуыи]й?)?\.?|пр(?:оспект\w*|осп|-т|\.)|пер(?:еул\w*)?\.?|б(?:ульвар\w*|-р)\.?"
    r"|шоссе|пр(?:оезд\w*|-д)\.?|пл(?:ощад\w*)?\.?|наб(?:ережн\w*)?\.?|тупик\w*|алле[яеию]|тракт\w*"
    r"|мкр(?:н)?\.?|мк-н|микрорайон\w*|mikrorayon\w*|кв-л|кӯчаи|кучаи|хиёбони|гузаргоҳи|street|st\.|avenue|ave\."
)
_SUFFIX = (
    rf"улица|переулок|проспект|бульвар|шоссе|проезд|набережная|тупик|ko{_A}chasi|кўчаси|кучаси|көшесі|көчөсү"
    r"|даңғылы|проспекти(?:си)?|street|st\.|avenue|ave\.|road|rd\.|mavzesi|massivi|mahallasi|tor\s+ko.?chasi"
)
_STREET_WORD = re.compile(
    r"(?i)улица|переулок|проспект|бульвар|шоссе|проезд|набережная|тупик|street|avenue|road"
)
_ADJ_END = re.compile(r"(?i)(?:ая|яя|ий|ый|ой|ое|ее|ский|ская|ское)$")

# The street word is found in ``text.lower()`` (a literal alternation the engine skips through fast),
# the name and numbers after it in the original text, where capitals matter.
_PREFIX_RX = re.compile(_PREFIX)
_RX_PREFIX = re.compile(
    rf"(?:(?<=\.)|(?!\w))\s*(?P<name>{_CAP}(?:\s+{_CAP}){{0,2}}|{_LOW}|\d{{1,3}}(?!\d))(?!\w){_TAIL}"
)
_RX_SUFFIX = re.compile(
    rf"(?<!\w)(?P<name>{_CAP}(?:\s+{_CAP}){{0,2}})\s+(?P<kind>(?i:{_SUFFIX}))(?!\w){_TAIL}"
)
_RX_BLOCK = re.compile(
    rf"(?<!\w)(?:[{_UPPER}][\w\-]+\s+)?\d{{1,3}}\s*-?\s*(?i:kvartal\w*|квартал\w*|мкр\.?|микрорайон\w*|mavze\w*|мавзе\w*)"
    rf"(?!\w){_TAIL}"
)
_RX_HOUSE_FLAT = re.compile(
    rf"(?<!\w)(?i:д(?:ом)?\.?|uy|үй)\s*№?\s*\d{{1,4}}(?:[а-яa-z](?!\w))?(?:\s*[/\-]\s*\d{{1,4}})?\s*,?\s*(?i:{_FLAT})(?!\d)"
    rf"|(?<!\w)\d{{1,4}}\s*-?\s*uy\s*,?\s*\d{{1,4}}\s*-?\s*xonadon"
)
_RX_EN = re.compile(
    r"(?<![\w\-])\d{1,4}[A-Za-z]?,?\s+(?:[A-Z][\w'\-]*\s+){1,3}(?:Street|St\.|Avenue|Ave\.|Road|Rd\.|Lane|Boulevard)"
    r"(?:,?\s*(?:apt|flat)\.?\s*\d{1,4})?"
)


# Substrings one of which each pattern needs; tested first because they cost next to nothing.
_PREFIX_STEMS = (
    "ул",
    "пр",
    "пер",
    "б-р",
    "бул",
    "шоссе",
    "пл",
    "наб",
    "тупик",
    "алле",
    "тракт",
    "мкр",
    "мк-н",
    "микрор",
    "mikror",
    "кв-л",
    "кӯча",
    "куча",
    "хиёбон",
    "гузаргоҳ",
    "street",
    "st.",
    "avenue",
    "ave.",
)
_SUFFIX_STEMS = (
    "улица",
    "переулок",
    "проспект",
    "бульвар",
    "шоссе",
    "проезд",
    "набережная",
    "тупик",
    "ko",
    "кўча",
    "куча",
    "көше",
    "көчө",
    "даңғыл",
    "street",
    "st.",
    "avenue",
    "ave.",
    "road",
    "rd.",
    "mavze",
    "massiv",
    "mahalla",
)
_BLOCK_STEMS = ("kvartal", "квартал", "мкр", "микрорайон", "mavze", "мавзе")
_FLAT_STEMS = ("кв", "apt", "flat", "xonadon", "хонадон", "пәтер", "батир", "ком")
_EN_STEMS = ("street", "st.", "avenue", "ave.", "road", "rd.", "lane", "boulevard")


def _span(text: str, start: int, end: int, score: float) -> Span:
    while end > start and text[end - 1] in " ,.":
        end -= 1
    return Span(start, end, ADDRESS, " ".join(text[start:end].lower().split()), score)


def find(text: str) -> list[Span]:
    lowered = text.lower()
    spans: list[Span] = []
    for k in (
        _PREFIX_RX.finditer(lowered) if has_any(lowered, _PREFIX_STEMS) and len(lowered) == len(text) else ()
    ):
        m = _RX_PREFIX.match(text, k.end())
        if not m or (k.start() and lowered[k.start() - 1].isalnum()):
            continue
        name, numbered = m.group("name"), bool(m.group("house") or m.group("flat"))
        if (name[0].islower() or name.isdigit()) and not numbered and not k.group().startswith("мкр"):
            continue
        if k.group().startswith("пл") and not numbered:
            continue  # "на площади Революции" is where things happened: evidence, not a home address
        spans.append(_span(text, k.start(), m.end(), 1.0 if numbered else 0.8))
    for m in _RX_SUFFIX.finditer(text) if has_any(lowered, _SUFFIX_STEMS) else ():
        numbered = bool(m.group("house") or m.group("flat"))
        words = list(re.finditer(r"\S+", m.group("name")))
        if _STREET_WORD.fullmatch(m.group("kind")):
            if not numbered and not _ADJ_END.search(m.group("name")):
                continue  # "Вчера улица была пустая"
            keep = [w for w in words if _ADJ_END.search(w.group())] or words[-1:]
            first = keep[0]  # "В Москве Тверская улица" → "Тверская улица"
        else:
            first = next((w for w in words if len(w.group()) > 2), words[-1])
        spans.append(_span(text, m.start("name") + first.start(), m.end(), 1.0 if numbered else 0.8))
    for rx, stems in ((_RX_BLOCK, _BLOCK_STEMS), (_RX_HOUSE_FLAT, _FLAT_STEMS), (_RX_EN, _EN_STEMS)):
        if has_any(lowered, stems):
            spans.extend(_span(text, m.start(), m.end(), 0.9) for m in rx.finditer(text))
    return resolve(spans)
