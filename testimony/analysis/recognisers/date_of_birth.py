"""Dates of birth: a date (or a bare year) only when a birth word sits right next to it.

Dates of events are evidence and stay: "12.03.2024 меня задержали" is not touched. The birth word
may come before ("родился 12.03.1990", "д.р. 12.03.90", "tugʻilgan sana", "born", "туған",
"туулган", "таваллуд") with at most a few words and no comma or sentence end between, or after
("1990 г.р.", "12.03.1990 года рождения", "1990 yilda tugʻilgan", "1990 жылы туған", "1990 ж.т.",
"12.03.1990-da tugʻilgan", Tajik "12.03.1990 т."). A full date right after the writer's name in a
self-introduction needs no birth word: "I am Aziz Karimov, 04.11.1992" (only if it makes them 14+);
nor does one right after a personal number that begins with it ("ЖСН 990730440683, 30.07.1999"),
nor a year the writer says they are "of" ("1987 жылғымын", "1990-yilman").
Key = ISO date: "1990-03-12", "1990-03" or "1990"; a birthday without a year is "--03-12".
"""

from __future__ import annotations

import re
from datetime import date

from testimony.analysis.recognisers._util import (
    APOSTROPHES,
    TAJIK_TEENS,
    TURKIC_TAJIK_DIGITS,
    TURKIC_TAJIK_TENS,
    has_any,
    lower_keeping_offsets,
    resolve,
)
from testimony.analysis.spans import DATE_OF_BIRTH, Span

_MONTHS = {
    1: "январ[яьёи]?|янв|yanvar\\w*|january|jan|қаңтар\\w*|qa[ñn]tar\\w*",
    2: "феврал[яьёи]?|февр|фев|fevral\\w*|february|feb|ақпан\\w*|aqpan\\w*",
    3: "март[аи]?|mart\\w*|march|mar|наурыз\\w*|na[uúý]ryz\\w*",
    4: "апрел[яьёи]?|апр|aprel\\w*|april|apr|сәуір\\w*|s[äaá][uúý][ıi]r\\w*",
    5: "ма(?:[яйе]|йи)|may\\w*|мамыр\\w*|mamyr\\w*",
    6: "июн[яьёи]?|iyun\\w*|june|jun|маусым\\w*|ma[uúý]sym\\w*",
    7: "июл[яьёи]?|iyul\\w*|july|jul|шілде\\w*|(?:ş|sh)[ıi]lde\\w*",
    8: "август[аи]?|авг|avgust\\w*|august|aug|тамыз\\w*|tamyz\\w*",
    9: "сентябр[яьёи]?|сент|сен|sent[y]?abr\\w*|september|sept|sep|қыркүйек\\w*|qyrk[üuú][iı][ey]k\\w*",
    10: "октябр[яьёи]?|окт|okt[y]?abr\\w*|october|oct|қазан\\w*|qazan\\w*",
    11: "ноябр[яьёи]?|нояб|ноя|noyabr\\w*|november|nov|қараша\\w*|qara(?:ş|sh)a\\w*",
    12: "декабр[яьёи]?|дек|dekabr\\w*|december|dec|желтоқсан\\w*|jeltoqsan\\w*",
}
_MONTH_RX = [(n, re.compile(rf"(?i)(?:{alts})$")) for n, alts in _MONTHS.items()]
_MONTH_ANY = "|".join(f"(?:{a})" for a in _MONTHS.values())

_YEAR = r"(?:19|20)\d{2}"
# A Russian month name with a Kyrgyz or Uzbek Cyrillic locative: "12-мартта", "5 майда", "апрелде"
_LOCATIVE = r"(?:-?[дт][аеы])?"
_D_NUM = rf"(?P<d>\d{{1,2}})[./\-](?P<m>\d{{1,2}})[./\-](?P<y>{_YEAR}|\d{{2}})(?!\d)"
_D_ISO = rf"(?P<iy>{_YEAR})-(?P<im>\d{{2}})-(?P<id>\d{{2}})(?!\d)"
_D_WORD = (
    rf"(?P<wd>\d{{1,2}})(?:-?(?:го|е|th|st|nd|rd))?(?:\s+of\s+|\s+|-)(?P<wm>{_MONTH_ANY}){_LOCATIVE}(?!\w)\.?"
    rf"(?:,?\s+(?P<wy>{_YEAR}))?(?!\d)"
)
_D_MONTH_FIRST = (
    rf"(?P<wm2>{_MONTH_ANY})(?!\w)\.?\s+(?P<wd2>\d{{1,2}})(?:th|st|nd|rd)?,?\s+"
    rf"(?P<wy2>{_YEAR}|[{APOSTROPHES}]?\d{{2}})(?!\d)"
)
_D_YEAR_FIRST = (  # Uzbek and Kazakh order: "1990 yil 12 mart", "1990 жылғы 12 наурыз"
    rf"(?P<ty>{_YEAR})\s*-?\s*(?:yil\w*|йил\w*|жыл\w*|j[yı]l\w*|zh[yı]l\w*|y\.|г\.|года)\s+"
    rf"(?P<td>\d{{1,2}})\s*-?\s*(?P<tm>{_MONTH_ANY})(?P<tl>{_LOCATIVE}(?!\w))?"
)
_D_YEAR = rf"(?P<yo>{_YEAR})(?!\d)"

# Dates said in words, as in transcribed voice messages: "двадцать третьего апреля двухтысячного
# года", "the twelfth of October 1990", "first of May, 1988". Ordinals (stem -> value), longest
# stems first: a stem that is the start of a longer one ("пят", "пятнадцат") must come after it.
_RU_ORDINALS = {
    "одиннадцат": 11, "двенадцат": 12, "тринадцат": 13, "четырнадцат": 14, "пятнадцат": 15,
    "шестнадцат": 16, "семнадцат": 17, "восемнадцат": 18, "девятнадцат": 19, "двадцат": 20,
    "тридцат": 30, "сороков": 40, "пятидесят": 50, "шестидесят": 60, "семидесят": 70,
    "восьмидесят": 80, "девяност": 90, "перв": 1, "втор": 2, "трет": 3, "четвёрт": 4, "четверт": 4,
    "пят": 5, "шест": 6, "седьм": 7, "восьм": 8, "девят": 9, "десят": 10,
}  # fmt: skip
_RU_TENS = {
    "двадцать": 20, "тридцать": 30, "сорок": 40, "пятьдесят": 50, "шестьдесят": 60,
    "семьдесят": 70, "восемьдесят": 80, "девяносто": 90,
}  # fmt: skip
_EN_ORDINALS = {
    "eleventh": 11, "twelfth": 12, "thirteenth": 13, "fourteenth": 14, "fifteenth": 15,
    "sixteenth": 16, "seventeenth": 17, "eighteenth": 18, "nineteenth": 19, "twentieth": 20,
    "thirtieth": 30, "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6,
    "seventh": 7, "eighth": 8, "ninth": 9, "tenth": 10,
}  # fmt: skip
_EN_TENS = {"twenty": 20, "thirty": 30}
_RU_ORD = rf"(?:{'|'.join(_RU_ORDINALS)})[а-яё]{{1,4}}"
_EN_DAY_WORDS = rf"(?:(?:twenty|thirty)[\s\-])?(?:{'|'.join(_EN_ORDINALS)})"
_DAY_WORDS = rf"(?:(?:двадцать|тридцать)\s+)?{_RU_ORD}|{_EN_DAY_WORDS}"
# "двухтысячного", "две тысячи третьего", "тысяча девятьсот девяносто второго" (года)
_RU_YEAR_WORDS = (
    r"(?:тысяча\s+девятьсот|две\s+тысячи|двух\s?тысяч[а-яё]*)"
    rf"(?:\s+(?:{'|'.join(_RU_TENS)}))?(?:\s+{_RU_ORD})?"
)
_D_WORDS = (
    rf"(?<!\w)(?P<xs>(?:the\s+)?)(?:(?P<xd>{_DAY_WORDS})(?!\w)\s+(?:of\s+)?(?P<xm>{_MONTH_ANY})"
    # English month first: "October the twelfth, 1992"
    rf"|(?P<xm3>{_MONTH_ANY})\s+(?:the\s+)?(?P<xd3>{_EN_DAY_WORDS}))(?!\w)"
    rf"(?:,?\s+(?:(?P<xy>{_YEAR})(?!\d)|(?P<xyw>{_RU_YEAR_WORDS}(?:\s+года)?)(?!\w)))?"
)
# The same in Uzbek (Latin and Cyrillic), Kazakh, Kyrgyz and Tajik: the day an ordinal, the year its
# last two digits or all four, in words: "ikkinchi avgust to'qson oltinchi yil", "сиюми апрели соли
# навад", "бисту панҷуми майи соли ҳазору нӯҳсаду наваду шаш", "он бесінші наурыз тоқсан бірінші жыл".
# A word is a cardinal, or one with an ordinal suffix, the Tajik izofa "-и" or the joining "-у".
_TK_CARDINALS = {
    **TURKIC_TAJIK_DIGITS,
    **TURKIC_TAJIK_TENS,
    **TAJIK_TEENS,
    "си": 30,  # Tajik "сӣ" typed without its macron
    **dict.fromkeys(("yuz", "юз", "жүз", "сад"), 100),
    "дусад": 200,
    "нӯҳсад": 900,
    **dict.fromkeys(("ming", "минг", "мың", "миң", "ҳазор"), 1000),
}
_TK_SUFFIXES = (
    "inchi", "nchi", "инчи", "нчи", "ынчы", "нчы", "інші", "ыншы", "ншы", "нші", "үнчү", "унчу", "нчү",
    "нчу", "ум", "юм", "уми", "юми", "и", "у",
)  # fmt: skip
_TK_STEMS = sorted((w.replace("'", f"[{APOSTROPHES}]") for w in _TK_CARDINALS), key=len, reverse=True)
_TK_WORD = rf"(?:{'|'.join(_TK_STEMS)})\w{{0,5}}"
_D_TK_WORDS = (
    rf"(?P<kd>{_TK_WORD}(?:\s+{_TK_WORD})?)\s+(?P<km>{_MONTH_ANY})(?!\w)\s+(?:(?:соли|soli)\s+)?"
    rf"(?P<ky>{_TK_WORD}(?:\s+{_TK_WORD}){{0,5}})(?!\w)"
)
# The year's own word after a year said in words: "... to'qson oltinchi yil"
_TK_YEAR_WORD = re.compile(r"\s+(?:yil|йил|жыл|jyl|jıl)(?!\w)")
_DATE = "|".join((_D_NUM, _D_ISO, _D_WORD, _D_MONTH_FIRST, _D_YEAR_FIRST, _D_WORDS, _D_TK_WORDS, _D_YEAR))
_DATE_DIGIT_FIRST = "|".join((_D_NUM, _D_ISO, _D_WORD, _D_YEAR_FIRST, _D_YEAR))
_APOS = f"[{APOSTROPHES}]?"
# Kazakh Latin (2017-2021 alphabets and apostrophe spellings): "tuǵan", "týǵan", "tug'an", "tuylǵan".
_KK_BORN = rf"t[uúý](?:y?l)?[gǵģğ]{_APOS}an"
_BEFORE = (
    rf"родил(?:ся|ась|ись|cя)|род\.(?=\s*\d)|рожд[её]н\w*|рождения|рожд\.|д\.\s?р\.?|д/р|(?<!и\s)др\.|г\.\s?р\.|г/р"
    rf"|rodil(?:sya|as|is)|rozhd\w*|tug{_APOS}ilgan(?:\s+sana\w*)?"
    rf"|туғилган(?:\s+сана\w*)?|туғ\.|born(?!\s+again)|date\s+of\s+birth|year\s+of\s+birth|birth\s?day|birth\s?date"
    rf"|d\.?o\.?b\.?|(?:(?<=\()|(?<=,\s))b\."
    # "ДР: 12.03.1990" (день рождения), upper case and without its dot; "и др." has the dot
    rf"|др(?=\s*:?\s*\d)|dr(?=\s*:?\s*\d)"
    # Kazakh and Kyrgyz "туған" is also "relative" and "native" ("туғандарым", "туған жерім"): only
    # right before a date, a day or a year word ("туған күнім", "tuǵan jyly", "туулган жылым").
    rf"|(?:туған|туылған|туылган|туган|туулган|төрөлгөн|{_KK_BORN}|tuulgan|t[öo]r[öo]lg[öo]n)"
    rf"(?=\s*[:\-–—]?\s*(?:\d|күн|кун|жыл|kún|kün|kun|gün|jyl|jıl|zhyl|zhıl|сана|датасы|data|kúni))"
    rf"|таваллуд\w*|tavallud\w*|санаи\s+таваллуд|туғилган\s+йили"
    # Tajik "с.т. 05.05.2000" (санаи таваллуд): only right before a date or a year
    r"|с\.\s?т\.(?=\s*:?\s*\d)"
)
_BIRTH_WORD = (
    rf"(?:tug{_APOS}il\w*|туғил\w*|туған\w*|туыл\w*|туул\w*|төрөл\w*|таваллуд\w*|tavallud\w*"
    rf"|{_KK_BORN}\w*|tuul\w*|t[öo]r[öo]l\w*)"
)
# "1999 дар Хуҷанд таваллуд шудаам", "1996-yilda Andijonda tugʻilganman", "2002 jyly Almatyda tuǵanmyn":
# a place (or a word or two) between the year and the birth word, in the same clause.
_GAP = r"(?:[^\W\d]+(?:-[^\W\d]+)*\s+){0,2}"  # "Жалал-Абадда" has a hyphen
_AFTER = (
    rf"г\.?\s?р\.?|г/р|гр\.|(?:года?|г\.)\s*рожд(?:ения|\.)|рождения|g\.\s?r\.?|(?:goda\s+)?ro(?:zh|j|zj)d(?:eniya|\.)"
    rf"|(?:-?\s*ум)?\s*(?:(?:-?\s*(?:(?:yil|йил|жыл|jyl|zhyl|сол|year)\w*|ж\.|j\.|y\.)|-\s*(?:da|de|да|де|та|те))\s+)?{_GAP}{_BIRTH_WORD}"
    # "1990 ж.т." (жылы туған / туулган), "1990-ж. т.", "1990 с.т." (соли таваллуд), "y.t."
    rf"|[yj]\.\s?t\.?|й\.\s?т\.?|-?\s*ж\.\s?т\.?|с\.\s?т\.?"
    # "1987 жылғымын", "1990-yilman": "I am (of the year) 1987"
    rf"|\s*-?\s*(?:жылғы|жылкы|жылдын|jylǵy|jylgy|yil|йил)(?:мын|мин|ман|myn|man|min)"
    # "1996 born" in migrants' English, but not "in 2008 born children" nor "2008 born-in-Russia"
    rf"|(?<!in\s\d{{4}}\s)born(?!-)"
    # Tajik "12.03.1990 т." (таваллуд) after a full date only, not "т.е.", "т.к.", "т.р." (тысяч рублей)
    rf"|(?P<t>т\.)(?!\s?[а-яё]\.)"
)
# Compiled without IGNORECASE and run over ``text.lower()``: a lower-case literal alternation lets the
# regex engine skip ahead by first character, about ten times faster than (?i) on Cyrillic.
_RX_BEFORE = re.compile(rf"(?:{_BEFORE})[\s:\-–—]*(?:[^\d\n.,;!?]{{0,25}}?\s)??(?:{_DATE})")
_RX_AFTER = re.compile(rf"(?=\d)(?<![\w.])(?:{_DATE_DIGIT_FIRST})(?:-?г?о)?\s*\)?\s*(?:{_AFTER})(?!\w)")


# A self-introduction with a full date right after the name is a birth date without a birth word:
# "I am Aziz Karimov, 04.11.1992", "Я, Иванов Иван, 12.03.1990", "Мен Азамат Осмонов, 1 март 1990".
_INTRO = (
    r"i\s+am|i'm|my\s+name\s+is|я|меня\s+зовут|мен|men|ман|номи\s+ман|mening\s+ismim|менің\s+атым"
    r"|менин\s+атым|атым|ismim"
)
_NAME = "[A-ZА-ЯЁЎҚҒҲӮӢҶӘҢӨҰҮҺІ][\\w'ʼ’\\-]+"
# Found from the date (a comma, then a full date: rare) backwards to the introduction (cheap).
# (A dash too: "Тошматов Бахром – 21.05.1994.")
_RX_COMMA_DATE = re.compile(
    rf"(?:,|\s[–—-])\s*(?:{'|'.join((_D_NUM, _D_ISO, _D_WORD, _D_MONTH_FIRST, _D_YEAR_FIRST))})"
)
_RX_INTRO = re.compile(rf"(?<!\w)(?i:{_INTRO}),?\s+(?:{_NAME}\s+){{0,2}}{_NAME}$")
# A date in an introduction is a birth date only if it makes the writer at least this old.
_ADULT_AGE = 14
# Outside an introduction, a full date after a name and a comma that closes the clause is that
# person's birth date, as in lists of detainees: "Тошматов Бахром, 21.05.1994.", "Иванов И.И.,
# 12.03.1990, Петров П.П., ...", "Akam Sardor, 04.09.1991; u ham". "Aziz, 03.05.1990 was the day"
# goes on (an event), and dates later than ``_ADULT_AGE`` years back are taken for events.
_RX_NAME_COMMA = re.compile(rf"(?:{_NAME}|(?<!\w)[A-ZА-ЯЁ]\.(?:\s?[A-ZА-ЯЁ]\.)?)$")
# ... or a word for a relative standing for the name: "Sino, moi dvoyurodnyi, 17.10.2001, sidit v
# SIZO", "мой брат, 12.03.1995.", "akam, 04.09.1991;".
_RX_KIN_COMMA = re.compile(
    r"(?<!\w)(?i:брат\w*|сестр\w*|сын|сынок|доч\w*|муж|жена|отец|мать|племянни\w*|двоюродн\w*|родственни\w*"
    r"|brat\w*|sestr\w*|syn|doch\w*|muzh|zhena|plemyann\w*|dvoyurodn\w*|rodstvenn\w*"
    r"|brother|sister|son|daughter|husband|wife|cousin|nephew|niece|relative"
    r"|aka(?:m|si|mi)?|uka(?:m|si|mi)?|opa(?:m|si)?|singlim|o.g.lim|qizim|erim|xotinim"
    r"|акам|укам|опам|синглим|ўғлим|қизим|эрим|хотиним"
    r"|ағам|інім|қарындасым|әпкем|ұлым|қызым|күйеуім|әйелім|агам|иним|карындашым|эжем|уулум|кызым"
    r"|күйөөм|аялым|бародарам|додарам|хоҳарам|писарам|духтарам|шавҳарам|занам)$"
)
# ... but not a place: after a preposition ("приехал в Москву, 05.04.2008.") or in the ablative
# ("Toshkentdan, 05.04.2008.").
_RX_PLACE_COMMA = re.compile(
    r"(?:(?<!\w)(?i:в|во|на|из|до|к|с|у|от|по|за|под|in|to|from|at|into|ба|аз|дар|то)\s+\S+"
    r"|(?i:dan|den|дан|ден|тан|тен|нан|нен|дін|тін|нің))$"
)
_CLAUSE_END = re.compile(r"\s*(?:(?:года?|yil\w*|йил\w*|жыл\w*)(?!\w)|г\.?|y\.?)?\s*(?:[.;)\n]|,\s|$)")
# A full date alone in brackets right after a name, or inside them after the name, is that
# person's birth date: "Azizjon Tursunov (12.01.1999)", "(Каримов Жахонгир Ботирович, 09.11.2001)",
# "Nilufar is 16 years old (08.10.2008)". Only a date at least this many years back: a recent
# date there may be when something happened to them.
_BRACKET_MIN_AGE = 3
_FULL_DATE = "|".join((_D_NUM, _D_ISO, _D_WORD, _D_MONTH_FIRST))
_RX_BRACKET_DATE = re.compile(rf"[(,]\s*(?:{_FULL_DATE})\s*\)")
_RX_NAME_BEFORE = re.compile(rf"(?:{_NAME}|\d{{1,2}}\s+(?:years?\s+old|yosh\w*|лет|жаста|жашта|сола))\s*$")
_RX_NAMES_BRACKET = re.compile(rf"\(\s*(?:{_NAME}\s+){{0,3}}{_NAME}\s*$")
# A bare year alone in brackets after a full name (two words, or a surname and initials) is that
# person's year of birth: "Client: Rustam Aliev (1979)", "Каримов Б.Т. (1988)". One word is too
# little ("Moscow (1991)"), and the year must make them at least ``_ADULT_AGE``.
# "84 г.р.": a two-digit year only before this abbreviation, which says nothing else.
_RX_SHORT_YEAR = re.compile(r"(?<![\w.,/])(\d{2})\s?(?:г\.\s?р\.?|г/р|g\.\s?r\.?)(?!\w)")
# ... unless money changed hands: "перевели Сергею Петрову (2000)" is a sum.
_PAYMENT_BEFORE = re.compile(
    r"перев[её]|отдал|заплат|плат|руб|долл|сум|сом|тенге|paid|pay|sent|gave|transfer|to.?la|o.?tkaz|berd"
    r"|төле|төлө|аудар|которуп|пардохт|фиристод"
)
# After a label's colon, a full date followed by an identity document is the birth date in a list of
# someone's details: "Абонент: 12 декабря 1996, паспорт AC 2058317" (an issue date follows the document).
_RX_LABEL_DATE = re.compile(
    rf":\s*(?:{_FULL_DATE})(?=\s*,\s*(?:паспорт|pasport|passport|id|ид|инн|inn|снилс|патент|patent|шиноснома)"
    r"[^\W\d]*(?:\s+[^\W\d]+)?\s*[:№]?\s*[a-zа-я]{0,2}\s?\d)"
)
# (a label that is no date's own: "Дата: 12.03.2005, паспорт ..." may be when it was taken)
_LABEL_BEFORE = re.compile(r"(?<![\w.])(?!(?i:дата|date|sana|сана|время|time)\s*$)[^\W\d]{3,}\s*$")
_RX_BRACKET_YEAR = re.compile(r"\(\s*((?:19|20)\d\d)\s*\)")
_RX_FULL_NAME_BEFORE = re.compile(
    rf"(?<![\w.])(?:{_NAME}\s+{_NAME}|{_NAME}\s+[A-ZА-ЯЁ]\.\s?(?:[A-ZА-ЯЁ]\.)?)\s*$"
)


def _month(word: str) -> int | None:
    for n, rx in _MONTH_RX:
        if rx.match(word):
            return n
    return None


def _ordinal(word: str) -> int:
    for stem, n in (*_RU_ORDINALS.items(), *_EN_ORDINALS.items()):
        if word.startswith(stem):
            return n
    return 0


def _number_words(phrase: str) -> int:
    """The value of day or year words: "двадцать третьего" 23, "twenty-first" 21, "двухтысячного" 2000."""
    total = 0
    for word in re.split(r"[\s\-]+", phrase):
        if word.startswith(("тысяча", "тыща")):
            total += 1000
        elif word.startswith(("две", "двух")):
            total += 2000
        elif word.startswith("девятьсот"):
            total += 900
        elif word in _RU_TENS or word in _EN_TENS:
            total += _RU_TENS.get(word) or _EN_TENS[word]
        elif not word.startswith(("тысяч", "года")):  # "две тысячи" counted on "две"
            total += _ordinal(word)
    return total


def _tk_number(phrase: str) -> int:
    """The value of Turkic or Tajik number words ("to'qson oltinchi" 96, "ҳазору нӯҳсаду навад" 1990),
    0 if a word is none."""
    total = cur = 0
    for word in re.split(r"\s+", re.sub(f"[{APOSTROPHES}]", "'", phrase)):
        n = _TK_CARDINALS.get(word)
        for suffix in _TK_SUFFIXES:
            if n is not None:
                break
            if word.endswith(suffix):
                stem = word[: -len(suffix)]
                n = _TK_CARDINALS.get(stem)
                if n is None and stem.endswith(("и", "у", "ю")):  # "сиюми": izofa after the ordinal
                    n = _TK_CARDINALS.get(stem[:-1])
        if n is None:
            return 0
        if n == 1000:
            total, cur = total + (cur or 1) * 1000, 0
        elif n == 100:
            cur = (cur or 1) * 100
        else:
            cur += n
    return total + cur


def _full_year(yy: int, at_least_years_ago: int = 0) -> int:
    """A two-digit year in the latest century that puts it at least ``at_least_years_ago`` back."""
    return yy + (2000 if yy <= date.today().year % 100 - at_least_years_ago else 1900)


def _iso(m: re.Match[str]) -> tuple[int, int, str] | None:
    # Each regex holds only some of the date forms, so a group may be absent, not just empty.
    g = m.groupdict()
    if g.get("y"):
        y, mo, d = int(g["y"]), int(g["m"]), int(g["d"])
        if y < 100:
            y = _full_year(y)
    elif g.get("iy"):
        y, mo, d = int(g["iy"]), int(g["im"]), int(g["id"])
    elif g.get("ty"):
        y, mo, d = int(g["ty"]), _month(g["tm"]) or 0, int(g["td"])
    elif g.get("xd") or g.get("xd3"):
        mo, d = _month(g["xm"] or g["xm3"]) or 0, _number_words(g["xd"] or g["xd3"])
        if not (g.get("xy") or g.get("xyw")):
            return (
                (m.start("xs"), m.end("xm") if g["xm"] else m.end("xd3"), f"--{mo:02d}-{d:02d}")
                if 1 <= mo <= 12 and 1 <= d <= 31
                else None
            )
        y = int(g["xy"]) if g.get("xy") else _number_words(g["xyw"])
        if g.get("xyw") and not 1900 < y < 2100:
            return None
        try:
            iso = date(y, mo, d).isoformat()
        except ValueError:
            return None
        end = m.end("xy") if g.get("xy") else m.end("xyw")
        return m.start("xs"), end, iso
    elif g.get("kd"):
        mo, d = _month(g["km"]) or 0, _tk_number(g["kd"])
        # The words of the year end where the first word that is no number starts ("... навад сизга").
        words = list(re.finditer(r"\S+", g["ky"]))
        while words and not (y := _tk_number(g["ky"][: words[-1].end()])):
            words.pop()
        if not words:
            return None
        end = m.start("ky") + words[-1].end()
        if (w := _TK_YEAR_WORD.match(m.string, end)) is not None:
            end = w.end()
        if y < 10:
            return None  # "bir mart ikki ...": a year said as one digit is no year
        if y < 100:
            y = _full_year(y)
        try:
            return m.start("kd"), end, date(y, mo, d).isoformat()
        except ValueError:
            return None
    elif g.get("wm") or g.get("wm2"):
        mo = _month(g.get("wm") or g["wm2"]) or 0
        d = int(g.get("wd") or g["wd2"])
        wy = g.get("wy") or g.get("wy2")
        if not wy:
            start = m.start("wd") if g.get("wd") else m.start("wm2")
            return (start, m.end("wm"), f"--{mo:02d}-{d:02d}") if 1 <= mo <= 12 and 1 <= d <= 31 else None
        y = int(wy.lstrip(APOSTROPHES))
        if y < 100:  # "March 9th, 95"
            y = _full_year(y)
    else:
        return m.start("yo"), m.end("yo"), g["yo"]
    try:
        iso = date(y, mo, d).isoformat()
    except ValueError:
        return None
    first = next(k for k in ("d", "iy", "ty", "wd", "wm2") if g.get(k))
    last = max(m.end(k) for k in ("y", "id", "tm", "tl", "wm", "wy", "wy2") if g.get(k))
    return m.start(first), last, iso


# Kazakh (new Latin alphabet) and Kyrgyz birth words typed in Latin letters, in both directions.
_LATIN_TURKIC = ("tuǵ", "tuģ", "tuğ", "týǵ", "tuyl", "tuul", "törö", "torol")
_STEMS_BEFORE = (
    "род",
    "рожд",
    "д.",
    "д/р",
    "др",
    "dr",
    "tug",
    "туғ",
    "born",
    "birth",
    "d.o",
    "dob",
    "туған",
    "туыл",
    "туул",
    "төрөл",
    "таваллуд",
    "tavallud",
    "г.р",
    "г. р",
    "г/р",
    "rodil",
    "rozhd",
    "b.",
    "туган",
    "с.т",
    "с. т",
    *_LATIN_TURKIC,
)
_STEMS_AFTER = (
    "г.",
    "г/р",
    "гр",
    "рожд",
    "g.r",
    "g. r",
    "rozhd",
    "rojd",
    "tug",
    "туғ",
    "y.",
    "yil",
    "йил",
    "жыл",
    "туыл",
    "туул",
    "төрөл",
    "таваллуд",
    "tavallud",
    "born",
    "ж.",
    "т.",
    "с.",
    "й.",
    "j.",
    *_LATIN_TURKIC,
)
# A year, then "birthday": "2022 yilda tugʻilgan kunimda", "2019 жылы туған күнімде", "рӯзи таваллудам".
_DAY = re.compile(r"рӯз|ruz|kun|кун|күн|kún")
_DAY_AFTER = re.compile(r"\s+(?:kun|кун|күн|kún|day)")


def _birthday(lowered: str, m: re.Match[str]) -> bool:
    return bool(_DAY.search(lowered, m.start(), m.end()) or _DAY_AFTER.match(lowered, m.end()))


# (or a date with a two-digit year: "Тұрсынбаев, 17/02/97,")
_DIGIT_DATE = re.compile(r"(?:19|20)\d\d|\d[./\-]\d\d?[./\-]\d\d")


# A 12-digit personal number (Kazakh IIN, Kyrgyz PIN) right before a date: when its digits begin
# with that date (YYMMDD, or DDMMYYYY after a sex digit), the date is the holder's birth date.
_RX_ID_BEFORE = re.compile(r"(?<!\d)(\d{12}|\d{14})[^\d\n]{0,6}$")


def _after_own_id(text: str, start: int, iso: str) -> bool:
    m = _RX_ID_BEFORE.search(text, max(0, start - 24), start)
    if not m:
        return False
    y, mo, d = iso[:4], iso[5:7], iso[8:10]
    digits = m.group(1)
    return digits.startswith(y[2:] + mo + d) or digits[1:9] == d + mo + y


# "г.р." (года рождения) and "g.r." after a year belong to that year.
_YEAR_BEFORE_ABBREVIATION = re.compile(r"\d\s*-?\s*(?:г\.\s?р|g\.\s?r|г/р)")


def find(text: str) -> list[Span]:
    lowered = lower_keeping_offsets(text)
    spans = []
    for rx, stems in ((_RX_BEFORE, _STEMS_BEFORE), (_RX_AFTER, _STEMS_AFTER)):
        if not has_any(lowered, stems):
            continue
        for m in rx.finditer(lowered):
            if rx is _RX_BEFORE and m.start() and lowered[m.start() - 1].isalnum():
                continue
            if rx is _RX_BEFORE and _YEAR_BEFORE_ABBREVIATION.search(
                lowered, max(0, m.start() - 6), m.start() + 4
            ):
                continue  # "1979 г.р. ... 2 ноября": "г.р." closes the year before it, not the date after
            got = _iso(m)
            if got and rx is _RX_AFTER and len(got[2]) == 4 and _birthday(lowered, m):
                continue  # "2022 yilda tugʻilgan kunimda": on a birthday in 2022, not born in 2022
            if got and not (rx is _RX_AFTER and m.group("t") and len(got[2]) != 10):
                spans.append(Span(got[0], got[1], DATE_OF_BIRTH, got[2]))
    if _DIGIT_DATE.search(text):
        latest = date.today().year - _ADULT_AGE
        for m in _RX_COMMA_DATE.finditer(lowered):
            got = _iso(m)
            if not got or len(got[2]) != 10 or not 1920 <= int(got[2][:4]) <= latest:
                continue
            place = _RX_PLACE_COMMA.search(text, max(0, m.start() - 40), m.start())
            if _after_own_id(text, m.start(), got[2]) or (
                not place
                and (
                    _RX_INTRO.search(text, max(0, m.start() - 80), m.start())
                    or (
                        (
                            _RX_NAME_COMMA.search(text, max(0, m.start() - 40), m.start())
                            or _RX_KIN_COMMA.search(text, max(0, m.start() - 40), m.start())
                        )
                        and _CLAUSE_END.match(text, got[1])
                    )
                )
            ):
                spans.append(Span(got[0], got[1], DATE_OF_BIRTH, got[2], 0.8))
    if ":" in text and _DIGIT_DATE.search(text):
        latest = date.today().year - _ADULT_AGE
        for m in _RX_LABEL_DATE.finditer(lowered):
            got = _iso(m)
            if (
                got
                and len(got[2]) == 10
                and 1920 <= int(got[2][:4]) <= latest
                and _LABEL_BEFORE.search(text, max(0, m.start() - 30), m.start())
            ):
                spans.append(Span(got[0], got[1], DATE_OF_BIRTH, got[2], 0.8))
    if "(" in text and ")" in text and _DIGIT_DATE.search(text):
        latest = date.today().year - _BRACKET_MIN_AGE
        for m in _RX_BRACKET_DATE.finditer(lowered):
            got = _iso(m)
            if not got or len(got[2]) != 10 or not 1920 <= int(got[2][:4]) <= latest:
                continue
            before = text[max(0, m.start() - 80) : m.start()]
            if (
                (m.group().startswith("(") and _RX_NAME_BEFORE.search(before))
                or (m.group().startswith(",") and _RX_NAMES_BRACKET.search(before))
                # "ИИН 880923452762 (23.09.1988)": the personal number begins with the date
                or _after_own_id(text, m.start() + 1, got[2])
            ):
                spans.append(Span(got[0], got[1], DATE_OF_BIRTH, got[2], 0.8))
        latest = date.today().year - _ADULT_AGE
        for m in _RX_BRACKET_YEAR.finditer(text):
            if (
                1930 <= int(m.group(1)) <= latest
                and _RX_FULL_NAME_BEFORE.search(text, max(0, m.start() - 60), m.start())
                and not _PAYMENT_BEFORE.search(lowered, max(0, m.start() - 50), m.start())
            ):
                spans.append(Span(m.start(1), m.end(1), DATE_OF_BIRTH, m.group(1), 0.8))
    if "г" in lowered or "g." in lowered:
        for m in _RX_SHORT_YEAR.finditer(lowered):
            y = _full_year(int(m.group(1)), at_least_years_ago=_ADULT_AGE)
            spans.append(Span(m.start(1), m.end(1), DATE_OF_BIRTH, str(y), 0.8))
    return resolve(_with_words_around(text, sp) for sp in spans)


# A date with its month in words takes its "года" before "рождения" ("1 сентября 1999 года
# рождения") and an ordinal day its article ("the 2nd of September 1992"): both belong to the date.
# Turkic "йил"/"жыл" (year) too where it closes the date's clause: "туғилган санам 28 май 1990 йил."
# ("... 1994 жылы туулган": "in the year", said of the birth, stays out).
_YEAR_WORD_AFTER = re.compile(
    r"\s+(?:года|goda)(?=\s+(?:рожд|rozhd))|\s+(?:йил|yil|жыл|jyl|jıl)(?=\s*(?:[.,;)]|$))"
)
_ARTICLE_BEFORE = re.compile(r"(?i)(?<!\w)the\s+$")
_ORDINAL_DAY = re.compile(r"\d{1,2}(?:st|nd|rd|th)\s")


# Tajik says the day as an ordinal, in words or digits, joined to the month by the izofa -и:
# "ҳафтуми октябри 1992", "7-уми октябри 1992". The year alone is found by its birth word after it
# ("... 1992 таваллуд шудааст"); the day and month before it belong to the same date.
_TG_ORDINALS = {
    "якум": 1, "дуюм": 2, "сеюм": 3, "чорум": 4, "панҷум": 5, "шашум": 6, "ҳафтум": 7, "ҳаштум": 8,
    "нӯҳум": 9, "даҳум": 10, "ёздаҳум": 11, "дувоздаҳум": 12, "сенздаҳум": 13, "чордаҳум": 14,
    "понздаҳум": 15, "шонздаҳум": 16, "ҳабдаҳум": 17, "ҳаждаҳум": 18, "нуздаҳум": 19, "бистум": 20,
    "сиюм": 30, "сиву якум": 31,
}  # fmt: skip
_TG_DAY_MONTH_BEFORE = re.compile(
    rf"(?<!\w)(?P<d>(?:бисту\s+)?(?:{'|'.join(sorted(_TG_ORDINALS, key=len, reverse=True))})|\d{{1,2}}-?ум)и?"
    rf"\s+(?P<m>{_MONTH_ANY})\s+$",
    re.IGNORECASE,
)


def _tajik_day_before(text: str, sp: Span) -> Span:
    m = _TG_DAY_MONTH_BEFORE.search(text, max(0, sp.start - 40), sp.start)
    if not m:
        return sp
    word = m.group("d").lower()
    day = int(word.split("-")[0].rstrip("ум")) if word[0].isdigit() else 0
    if not day:
        day = _TG_ORDINALS.get(word.removeprefix("бисту").strip(), 0) + (
            20 if word.startswith("бисту") else 0
        )
    try:
        key = date(int(sp.key), _month(m.group("m")) or 0, day).isoformat()
    except ValueError:
        return sp
    return Span(m.start(), sp.end, sp.label, key, sp.score)


def _with_words_around(text: str, sp: Span) -> Span:
    body = text[sp.start : sp.end]
    if len(body) == 4 and body.isdigit() and sp.key == body:
        return _tajik_day_before(text, sp)
    if not any(c.isalpha() for c in body):
        return sp
    start, end = sp.start, sp.end
    if body[-1].isdigit() and (m := _YEAR_WORD_AFTER.match(text, end)):
        end = m.end()
    if _ORDINAL_DAY.match(body) and (m := _ARTICLE_BEFORE.search(text, max(0, start - 8), start)):
        start = m.start()
    return sp if (start, end) == (sp.start, sp.end) else Span(start, end, sp.label, sp.key, sp.score)
