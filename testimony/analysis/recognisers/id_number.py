"""Identity documents, tax/social numbers and case numbers; key = upper-cased alphanumerics.

Cyrillic look-alike letters are mapped to Latin in the key, so "АА1234567" typed on a Russian
keyboard and "AA1234567" share a placeholder. Three kinds of evidence, strongest first:

- shapes that are documents on their own: two capital letters + 7 digits (Uzbek, Kyrgyz "AN", "ID",
  military "АВ"), Latin letter + 8 digits (Kazakh "N12345678"), "45 12 345678"/"4512 345678"
  (Russian passport), "82 №1234567" (residence permit), "123-456-789 64" (SNILS), and bare
  12/14-digit numbers whose check digits or embedded birth date hold (Russian personal INN, Kazakh
  IIN, Uzbek PINFL, Kyrgyz PIN);
- a number of 6+ digits right after a document word (паспорт, патент, миграционная карта, ИНН...)
  or inside "серия … номер …";
- a case/protocol number after "дело"/"протокол"… and "№".
Bare 9/10-digit numbers without a document word are left alone: they are as often phones or sums.
"""

from __future__ import annotations

import re
from datetime import date

from testimony.analysis.recognisers._util import CYR_TO_LAT, has_any, lower_keeping_offsets, resolve
from testimony.analysis.spans import ID_NUMBER, Span

_UP = "A-ZА-ЯЁ"
# (pattern, score, characters that must not precede it). The "not preceded by" test is done in
# Python: a leading look-behind stops the regex engine from skipping ahead and doubles the cost.
_SHAPES = [
    (re.compile(rf"[{_UP}]{{2}}\s?(?:№\s?)?\d{{7}}(?![\w\-])"), 1.0, "-"),
    (re.compile(r"[a-zа-яё]{2}\d{7}(?![\w\-])"), 0.7, "-"),  # typed in lower case: "aa1234567"
    (re.compile(r"[A-Z]\s?\d{8}(?![\w\-])"), 0.9, "-"),
    (re.compile(r"\d{2}(?:\s\d{2}|\d{2})\s(?:№\s?)?\d{6}(?![\w\-]|[.,/]\d)"), 0.8, "-.,/"),
    (re.compile(r"\d{3}-\d{3}-\d{3}[ \-]\d{2}(?![\w\-])"), 0.9, "-"),
    # Russian residence permit (вид на жительство): 2-digit series, "№", 7-digit number
    (re.compile(r"\d{2}\s?№\s?\d{7}(?![\w\-])"), 0.9, "-.,/"),
    # Russian migration card: 4-digit series, "№"/"No.", 7-digit number
    (re.compile(r"\d{4}\s?(?:№|No\.?)\s?\d{7}(?![\w\-])"), 0.9, "-.,/"),
    # ... and without the "№": four digits, a space, seven digits. Not "8916 1234567" (a phone cut
    # in two: see ``_PHONE_SPLIT``) nor a sum or a date.
    (re.compile(r"\d{4}\s\d{7}(?![\w\-]|[.,/]\d)"), 0.8, "-.,/+"),
    # Russian forms numbered by a region code, two letters and six or seven digits: an
    # administrative protocol, a driving licence, a vehicle registration ("77 АВ 123456")
    (re.compile(rf"\d{{2}}\s?[{_UP}]{{2}}\s?(?:№\s?)?\d{{6,7}}(?![\w\-]|[.,/]\d)"), 0.9, "-.,/+"),
]
# A Russian or Kazakh mobile typed as four digits and seven: "8916 1234567", "8701 2345678"
_PHONE_SPLIT = re.compile(r"[78][79]\d\d\s")
_BARE = re.compile(r"(?<![\w\-.,/+])(\d{12}|\d{14})(?![\w\-]|[.,/]\d)")

# Keywords are matched in ``text.lower()`` without IGNORECASE (a literal alternation the regex engine
# can skip through quickly); what follows them is matched in the original text.
_KEYWORDS = re.compile(
    r"паспорт\w*|pasport\w*|passport|загран\w*|удостоверени\w*|id[\s\-]?карт\w*|id\s*card|патент\w*"
    r"|patent\w*|миграци\w*\s+карт\w*|көші-қон\s+карт\w*"
    # "migratsionnaya karta", "migracionnaya karta", Kazakh Latin "migrasiyalyq kartasy"
    r"|migra[tcs]\w*\s+kart\w*|migration\s+card\w*|инн|inn|снилс|snils|иин|iin|пинфл|pinfl"
    r"|jshshir|жшшир|военн\w*\s+билет\w*|билет\w*|свидетельств\w*|вид\w*\s+на\s+жительство|внж|рвп|residence\s+permit|residence\s+card"
    r"|шиноснома\w*|шәхсият\w*|номер\s+документа|hujjat\s+raqami"
    r"|сери[яиюей]|ser\.|сер\.|seriya\w*|series"
    r"|дел[оау]|протокол\w*|постановлени\w*|кусп|материал\w*|приговор\w*|решени\w*|определени\w*"
    r"|акт\w*|ish|bayonnoma\w*|case|protocol"
    # a driving licence in speech, Russian and borrowed: "права AT 418276", "правам BG 492817"
    r"|права(?:м|ми)?(?!\w)"
)
# The same documents in the other languages and in slang: Tajik migration card and certificates,
# Kazakh ID card, personal number (ЖСН) and case ("іс"), Kyrgyz and Uzbek certificates, driving
# licences, the fine's payment code (УИН). Apart, behind a substring test: their first letters
# (к, в, у, і) are common and would slow the scan of every text through ``_KEYWORDS``.
_MORE_KEYWORDS = re.compile(
    r"корт\w*\s+му[ҳх]о[ҷч]ират\w*|миграционк\w*|мигр\.\s*карт\w*|шаҳодатнома\w*|шаходатнома\w*"
    r"|куәлі\w*|kuälı\w*|kualik\w*|жсн|jsn|zhsn|күбөлүк\w*|күбөлүг\w*|guvohnoma\w*|гувоҳнома\w*|гувохнома\w*"
    r"|id[\s\-]?kart\w*|водительск\w*|driver.?s\s+licen[cs]e|driving\s+licen[cs]e|уин|uin"
    r"|іс(?:і|тің)?(?!\w)|ıs(?:ı|tıñ)?(?!\w)"
    # a decision in Tajik and Uzbek: "қарор № 2841/24-Д"
    r"|қарор\w*|qaror\w*|карор\w*"
    # a protocol, a court's decision or ruling in Uzbek, Kazakh and Kyrgyz: "protokol", "хаттама",
    # "шешім", "қаулы", "токтом", "ajrim"
    r"|protokol\w*|хаттама\w*|xattama\w*|шешім\w*|sheshim\w*|қаулы\w*|qauly\w*|токтом\w*|toktom\w*|ajrim\w*|ажрим\w*"
    # Kazakh passport, Uzbek taxpayer number (STIR, the INN)
    r"|төлқұжат\w*|t[oóö]lq[uū]jat\w*|stir(?!\w)|стир(?!\w)"
)
_MORE_STEMS = (
    "муҳоҷир",
    "мухоҷир",
    "мухочир",
    "миграционк",
    "мигр.",
    "шаҳодат",
    "шаходат",
    "куәлі",
    "kuälı",
    "kualik",
    "жсн",
    "jsn",
    "zhsn",
    "күбөл",
    "guvohnoma",
    "гувоҳнома",
    "гувохнома",
    "id kart",
    "id-kart",
    "idkart",
    "водительск",
    "licen",
    "уин",
    "uin",
    "іс",
    "ıs",
    "төлқұжат",
    "lqujat",
    "lqūjat",
    "stir",
    "стир",
    "қарор",
    "qaror",
    "карор",
    "protokol",
    "хаттама",
    "xattama",
    "шешім",
    "sheshim",
    "қаулы",
    "qauly",
    "токтом",
    "toktom",
    "ajrim",
    "ажрим",
)
_IS_SERIES = re.compile(r"сери|ser")
_IS_CASE = re.compile(
    r"дел|протокол|постановлени|кусп|материал|приговор|решени|определени|акт|ish|bayonnoma|case|іс|ıs|қарор|qaror|карор"
    r"|protokol|хаттама|xattama|шешім|sheshim|қаулы|qauly|токтом|toktom|ajrim|ажрим"
)
_NO = r"(?:№|No\.?)"  # "№" or its English spelling "No."
_DOC_NUMBER = (
    # a birth certificate's series starts with a Roman numeral: "I-МЮ № 123456"
    r"(?:(?:[IVX]{1,4}-)?[A-ZА-ЯЁ]{1,2}\s?|[a-zа-яё]{1,2}(?=\d))?"
    rf"(?:{_NO}\s?)?\d{{1,}}(?:[ \-](?:{_NO}\s?)?\d{{2,}}){{0,3}}"
)
# Not part of the number: a leading "№" and the issuing country ("паспорт РТ 401738256").
_DOC_LEAD = re.compile(rf"(?:(?:РФ|РТ|РК|КР|RF|RT|RK|KR)\s+)?(?:{_NO}\s?)?")
_DOC_TAIL = re.compile(rf"(?!\w)[^\d\n!?]{{0,30}}?(?<![\w])({_DOC_NUMBER})(?![\w]|[.,/:]\d)")
_SERIES_TAIL = re.compile(
    r"(?i)\s*:?\s*([A-ZА-ЯЁ]{1,2}\s?\d{0,4}|\d{2,4})\s*,?\s*"
    r"(?:№|N|No\.?|номер|nomer\w*|raqam\w*|рақам\w*|number)\s*:?\s*(\d{6,10})(?!\d)"
)
_CASE_TAIL = re.compile(
    # "N" and "No." as words: the "n" that ends "men" ("protokol deshti. men 4 min berdim") is none
    r"(?i)(?!\w)[^\d\n!?№]{0,50}?(?:№|(?<!\w)(?:N|No\.?)|номер|nomer\w*|raqam\w*|рақам\w*|нөмір\w*|n[öo]m[ıi]r\w*"
    r"|number)\s*:?\s*"
    # a letter series may open the number: "протокол № КИР 0734152"
    r"((?-i:[A-ZА-ЯЁ]{1,3}[\s\-]?(?=\d{5}))?\d[\w\-/.]*\d(?-i:-(?!ФЗ|УК|FZ|РФ)[A-ZА-ЯЁ]{1,2}(?!\w))?|\d)"
)
# "номер дела 12401450001000123", "ish 1-2231/2025": a long number right after the word, no "№"
_BARE_CASE_WORD = re.compile(
    r"дел[оау]|протокол\w*|постановлени\w*|кусп|материал\w*|ish|case|protocol|protokol\w*|акт[ау]?"
)
_YEARS = re.compile(r"(?:19|20)\d\d\s?[\-/]\s?(?:19|20)\d\d")
_PHONE_LIKE = re.compile(r"[78]\d{10}|99[2368]\d{9}|9\d{9}|0[5-9]\d{8}")
# (a letter series may open it: "nomer protokola MS-0417734")
_CASE_BARE = re.compile(r"\s*:?\s*((?:[A-ZА-ЯЁ]{1,3}[\s\-]?(?=\d{5}))?\d[\d\-/]*\d)(?!\w|[.,]\d)")
# A decree, order or law of an authority is public: its number identifies nobody.
_PUBLIC_ACT = re.compile(
    r"(?i)\s+(?:правительства|президента|министерства|мин[а-яё]+а|мвд|фмс|гувм|фсб|госдумы|пленума"
    r"|конституционного|верховного|губернатора|мэра|мэрии|hukumat\w*|prezident\w*|ҳукумат\w*|government)"
)
# In Turkic and Tajik word order the authority comes first: "Үкімет қаулысы № 148", "Өкмөттүн
# токтому", "Vazirlar Mahkamasining qarori", "Ҳукумати Ҷумҳурии Тоҷикистон қарори".
_PUBLIC_ACT_BEFORE = re.compile(
    r"(?i:үкімет|өкмөт|hukumat|ҳукумат|хукумат|prezident|президент|vazirlar|вазирлар|министрлі|министрлиг"
    r"|вазорат|мажилис|жогорку\s+кеңеш|oliy\s+majlis|парламент|parliament|government|ministry)\w*"
    r"(?:\s+\w+){0,2}\s+$"
)
# ... but a decision of the police or migration service numbered "3316/24" is about one person:
# "бо қарори МВД № 3316/24 ... берун карданд" (expelled by the MVD's decision No 3316/24).
_AGENCY = re.compile(r"(?i)\s+(?:у?мвд|у?фмс|гувм|увм|фсб)(?!\w)")
_REGISTERED = re.compile(r"\d+/\d{2,4}")
_LAW_SUFFIX = re.compile(r"(?i)-?\s?(?:фз|fz|ук|коап)(?!\w)")
_MONEY = re.compile(
    r"(?i)\s*(?:руб|р\.|₽|\$|usd|долл|сум|сўм|so.?m|сом|тенге|теңге|tenge|тг|₸|манат|евро|тыс|млн|somon|rub)"
)


def _key(raw: str) -> str:
    return "".join(ch for ch in raw.translate(CYR_TO_LAT).upper() if ch.isalnum() and ch != "№")


def _date_ok(y: int, m: int, d: int) -> bool:
    try:
        date(y, m, d)
    except ValueError:
        return False
    return True


def _inn_ok(d: str) -> bool:
    def check(ws: tuple[int, ...]) -> int:
        return sum(int(c) * w for c, w in zip(d, ws, strict=False)) % 11 % 10

    if len(d) == 10:
        return check((2, 4, 10, 3, 5, 9, 4, 6, 8)) == int(d[9])
    if len(d) == 12:
        return check((7, 2, 4, 10, 3, 5, 9, 4, 6, 8)) == int(d[10]) and check(
            (3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8)
        ) == int(d[11])
    return False


def _iin_ok(d: str) -> bool:
    """Kazakh IIN: YYMMDD, century/sex digit, 4 digits, mod-11 check with a second weight set."""
    if len(d) != 12 or d[6] not in "0123456":
        return False
    century = {"1": 1800, "2": 1800, "3": 1900, "4": 1900, "5": 2000, "6": 2000}.get(d[6], 1900)
    if not _date_ok(century + int(d[:2]), int(d[2:4]), int(d[4:6])):
        return False
    nums = [int(c) for c in d]
    s = sum(n * w for n, w in zip(nums, range(1, 12), strict=False)) % 11
    if s == 10:
        s = sum(n * w for n, w in zip(nums, (3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2), strict=False)) % 11
    return s != 10 and s == nums[11]


def _snils_ok(d: str) -> bool:
    s = sum(int(c) * (9 - i) for i, c in enumerate(d[:9]))
    return s % 101 % 100 == int(d[9:])


def _pin14_ok(d: str) -> bool:
    """Uzbek PINFL (sex/century digit + DDMMYY) or Kyrgyz PIN (1/2 + DDMMYYYY)."""
    if d[0] in "12" and _date_ok(int(d[5:9]), int(d[3:5]), int(d[1:3])) and 1900 < int(d[5:9]) < 2030:
        return True
    yy = int(d[5:7])
    return d[0] in "3456" and _date_ok((1900 if d[0] in "34" else 2000) + yy, int(d[3:5]), int(d[1:3]))


_LONG_DIGITS = re.compile(r"\d{6}|\d{3}-\d{3}")


def find(text: str) -> list[Span]:
    spans: list[Span] = []
    # Every shape has a block of 6 digits or "ddd-ddd"; most texts have none and skip them all.
    long_digits = _LONG_DIGITS.search(text) is not None
    for rx, score, not_before in _SHAPES if long_digits else ():
        for m in rx.finditer(text):
            if m.start() and (text[m.start() - 1].isalnum() or text[m.start() - 1] in not_before):
                continue
            raw = m.group()
            if _PHONE_SPLIT.match(raw) and len(raw) == 12:
                continue
            bad_snils = raw.count("-") >= 2 and not _snils_ok("".join(c for c in raw if c.isdigit()))
            spans.append(Span(m.start(), m.end(), ID_NUMBER, _key(raw), 0.6 if bad_snils else score))
    for m in _BARE.finditer(text) if long_digits else ():
        d = m.group(1)
        if (len(d) == 12 and (_inn_ok(d) or _iin_ok(d))) or (len(d) == 14 and _pin14_ok(d)):
            spans.append(Span(m.start(), m.end(), ID_NUMBER, d, 0.8))
    lowered = lower_keeping_offsets(text)
    keywords = list(_KEYWORDS.finditer(lowered))
    if has_any(lowered, _MORE_STEMS):
        keywords += _MORE_KEYWORDS.finditer(lowered)
    for k in keywords:
        if k.start() and lowered[k.start() - 1].isalnum():
            continue
        kind = "series" if _IS_SERIES.match(k.group()) else "case" if _IS_CASE.match(k.group()) else "doc"
        if kind == "doc":
            m = _DOC_TAIL.match(text, k.end())
            if m and sum(c.isdigit() for c in m.group(1)) >= 6 and not _MONEY.match(text, m.end(1)):
                start = _DOC_LEAD.match(text, m.start(1)).end()
                spans.append(Span(start, m.end(1), ID_NUMBER, _key(text[start : m.end(1)]), 0.9))
        elif kind == "series":
            m = _SERIES_TAIL.match(text, k.end())
            if m:
                spans.append(Span(m.start(1), m.end(2), ID_NUMBER, _key(m.group(1) + m.group(2)), 0.9))
        else:
            m = _CASE_TAIL.match(text, k.end())
            if (
                m
                and not (_AGENCY.match(text, k.end()) and _REGISTERED.fullmatch(m.group(1)))
                and (
                    _PUBLIC_ACT.match(text, k.end())
                    or _LAW_SUFFIX.match(text, m.end(1))
                    or _PUBLIC_ACT_BEFORE.search(text, max(0, k.start() - 50), k.start())
                )
            ):
                continue  # "постановление Правительства № 186", "№ 115-ФЗ": a public act, not a case
            if not m:
                m = _CASE_BARE.match(text, k.end()) if _BARE_CASE_WORD.fullmatch(k.group()) else None
                if not m or sum(c.isdigit() for c in m.group(1)) < 6 or _MONEY.match(text, m.end(1)):
                    continue
                if _YEARS.fullmatch(m.group(1)):
                    continue  # "дела 2019-2024 годов"
            if _PHONE_LIKE.fullmatch(m.group(1)):
                continue  # "іс істеймін, нөмірім 8701...": "номер" after the case word is a phone's
            spans.append(Span(m.start(1), m.end(1), ID_NUMBER, _key(m.group(1)), 0.9))
    return resolve(spans)
