"""Normalising place names as people write them, before they are looked up in the gazetteer.

Pure functions, no data files. Three keys are made from a name or a run of words:

* ``fold``: lower case, ``ё``→``е``, one apostrophe (Uzbek ``ʻ`` ``ʼ`` ``'`` ``’`` …), Latin diacritics
  dropped (``ş``→``s``), Cyrillic letters kept as they are (``й``, ``қ``, ``ҷ`` stay).
* ``ru_stem``: the fold with one Russian case ending cut off each word (``Москве``, ``Москвой`` and
  ``Москва`` all give ``москв``; ``Нижнем Новгороде`` gives ``нижн новгород``), in Cyrillic and in
  Russian typed in Latin letters (``v Moskve``, ``iz Khujanda``). Applied to names in the index and
  to words in the text alike, so that the two meet.
* ``skeleton``: a rough Latin consonant skeleton that lets Uzbek Latin, Russian Cyrillic and English
  spellings meet (``Toshkent``/``Ташкент``/``Tashkent`` → ``taskent``). Only a fallback: it conflates.

``turkic_stems`` cuts the case suffixes of Uzbek, Kyrgyz and Kazakh (``Moskvada``, ``Бишкектен``,
``Алматыға``) and the Tajik object marker ``-ро``; the remainder must then be a known name.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from functools import lru_cache

# Bump when any of the keys below change, so that a prebuilt index is rebuilt.
NORMALISATION_VERSION = 7

APOSTROPHES = "ʻʼ'’‘`´ʹ′"
_APOS_RE = re.compile(f"[{APOSTROPHES}]")

# A word: letters, with apostrophes inside (Oʻzbekiston, Farg'ona). Hyphens split words; the
# n-gram matcher joins them again (Ростов-на-Дону).
WORD_RE = re.compile(f"[^\\W\\d_](?:[^\\W\\d_]|[{APOSTROPHES}](?=[^\\W\\d_]))*")


# Letters that NFC, the apostrophe and diacritic steps of ``fold`` leave as they are.
_PLAIN_WORD_RE = re.compile("[a-zA-Zа-яА-ЯёЁ]+")


def _is_latin(ch: str) -> bool:
    return "a" <= ch <= "z" or "\u00c0" <= ch <= "\u024f" or "\u1e00" <= ch <= "\u1eff"


# Turkic Latin letters that stand for a digraph elsewhere: ş and ç as in Kazakh (2021), Turkmen and
# Azerbaijani (Şymkent, Çärjew) are the sh and ch of Uzbek and English spellings; Kazakh's 2018
# ý is у (Máskeý, Kentaý).
_TURKIC_LATIN = str.maketrans({"ş": "sh", "ç": "ch", "ý": "u"})


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Lower-case, unify apostrophes and ``ё``, drop Latin diacritics; one space between words."""
    if _PLAIN_WORD_RE.fullmatch(text):  # one word of plain letters: the steps below change only the case
        return text.lower().replace("ё", "е")
    text = unicodedata.normalize("NFC", text).lower().replace("ё", "е").replace("ı", "i")
    if "ş" in text or "ç" in text or "ý" in text:
        text = text.translate(_TURKIC_LATIN)
    text = _APOS_RE.sub("'", text)
    out = []
    for ch in text:
        if ch > "\u007f" and _is_latin(ch):
            base = unicodedata.normalize("NFKD", ch)
            ch = "".join(c for c in base if not unicodedata.combining(c))
        out.append(ch)
    return " ".join(WORD_RE.findall("".join(out)))


def words(text: str) -> list[str]:
    """The folded words of a name."""
    return fold(text).split()


# Russian case endings (nominal and adjectival), longest first. Deliberately without -ов/-ев/-ин,
# which end many nominatives (Ростов, Киров, Пушкин) and would then be cut on one side only.
_RU_ENDINGS = sorted(
    [
        "ами",
        "ями",
        "ого",
        "его",
        "ому",
        "ему",
        "ыми",
        "ими",
        "ою",
        "ею",
        "ой",
        "ей",
        "ий",
        "ый",
        "ая",
        "яя",
        "ое",
        "ее",
        "ую",
        "юю",
        "ом",
        "ем",
        "ам",
        "ям",
        "ах",
        "ях",
        "ью",
        "ие",
        "ые",
        "их",
        "ых",
        "а",
        "я",
        "о",
        "е",
        "и",
        "ы",
        "у",
        "ю",
        "ь",
        "й",
    ],
    key=len,
    reverse=True,
)
_CYR_RE = re.compile("[а-яәғқңөұүһіҷҳӣӯў]")
# The same endings as Russian is typed in Latin letters (v Moskve, iz Khujanda, v Krasnom Sele,
# v Nizhnem Novgorode), longest first; a stem keeps at least two letters.
_RU_LATIN_ENDINGS = sorted(
    [
        "ogo",
        "ego",
        "omu",
        "emu",
        "ymi",
        "imi",
        "ami",
        "yami",
        "akh",
        "yakh",
        "ikh",
        "ykh",
        "oye",
        # Krasnoi, Krasnoe: -ой/-ое typed oi/oe as often as oy/oye
        "oi",
        "oe",
        "aya",
        "yaya",
        "uyu",
        "oy",
        "ey",
        "yy",
        "iy",
        "om",
        "em",
        "am",
        "ym",
        "ye",
        "yu",
        "ya",
        "a",
        "e",
        "i",
        "y",
        "u",
        "o",
    ],
    key=len,
    reverse=True,
)
_LATIN_WORD_RE = re.compile("[a-z']+")


@lru_cache(maxsize=65536)
def ru_stem_word(word: str) -> str:
    """Cut one Russian case ending off a folded word (Cyrillic, or Russian typed in Latin letters).

    Keeps at least two letters (v Ufe, iz Ufy: uf); the geocoder takes a short Latin stem only after a
    preposition.
    """
    if _CYR_RE.match(word):
        by_length, keep = _RU_BY_LENGTH, 2
    elif _LATIN_WORD_RE.fullmatch(word):
        by_length, keep = _RU_LATIN_BY_LENGTH, 2
    else:
        return word
    for n, endings in by_length:  # longest first
        if len(word) - n >= keep and word[-n:] in endings:
            return word[:-n]
    return word


def _by_length(endings: list[str]) -> tuple[tuple[int, frozenset[str]], ...]:
    lengths = sorted({len(e) for e in endings}, reverse=True)
    return tuple((n, frozenset(e for e in endings if len(e) == n)) for n in lengths)


_RU_BY_LENGTH = _by_length(_RU_ENDINGS)
_RU_LATIN_BY_LENGTH = _by_length(_RU_LATIN_ENDINGS)


def ru_stem(key: str) -> str:
    """Stem every word of a folded key."""
    return " ".join(ru_stem_word(w) for w in key.split())


# Case suffixes of Uzbek (Latin and Cyrillic), Kyrgyz, Kazakh, plus Tajik -ро; folded.
_TURKIC_SUFFIXES = frozenset(
    [
        "da",
        "dan",
        "ga",
        "ka",
        "qa",
        "ning",
        "ni",
        "dagi",
        "gacha",
        "lik",
        "liklar",
        "dagilar",
        "ta",
        "tan",
        "да",
        "дан",
        "га",
        "ка",
        "қа",
        "нинг",
        "ни",
        "даги",
        "гача",
        "лик",
        "де",
        "до",
        "дө",
        "та",
        "те",
        "то",
        "тө",
        "ден",
        "дон",
        "дөн",
        "тан",
        "тен",
        "тон",
        "төн",
        "ге",
        "го",
        "гө",
        "ке",
        "ко",
        "кө",
        "дагы",
        "деги",
        "догу",
        "дөгү",
        "тагы",
        "теги",
        "тогу",
        "төгү",
        "нын",
        "нин",
        "нун",
        "нүн",
        "дын",
        "дин",
        "дун",
        "дүн",
        "тын",
        "тин",
        "тун",
        "түн",
        "ны",
        "ну",
        "нү",
        "ды",
        "ди",
        "ду",
        "дү",
        "ты",
        "ти",
        "ту",
        "тү",
        "нан",
        "нен",
        "ға",
        "ғе",
        "қа",
        "қе",
        "ның",
        "нің",
        "дың",
        "дің",
        "тың",
        "тің",
        "ні",
        "ды",
        "ді",
        "ты",
        "ті",
        "дағы",
        "дегі",
        "тағы",
        "тегі",
        "ро",
        # Tajik "ба" (to) written onto the name, as speech runs it: Душанбеба, Khujandba
        "ба",
        "ba",
        "лар",
        "лер",
        # Kazakh and Kyrgyz in Latin letters (folded: ö→o, ü→u, ı→i, ä→a).
        "de",
        "do",
        "te",
        "to",
        "den",
        "don",
        "ten",
        "ton",
        "ge",
        "go",
        "ke",
        "ko",
        "nan",
        "nen",
        "dagy",
        "degi",
        "dogu",
        "tagy",
        "tegi",
        "togu",
        "dyn",
        "din",
        "nyn",
        "nin",
    ]
)
_MAX_SUFFIX = max(len(s) for s in _TURKIC_SUFFIXES)

# Predicative person endings that follow a case suffix: Uzbek Samarqanddanman "I am from
# Samarkand", Biz Urgutdanmiz; Kyrgyz Оштонмун, Баткенденбиз; Kazakh Шымкенттенмін, Оралданмын.
_PERSON_ENDINGS = frozenset(
    [
        "man",
        "miz",
        "san",
        "siz",
        "myn",
        "min",
        "mun",
        "byz",
        "biz",
        "buz",
        "pyn",
        "pin",
        "pyz",
        "piz",
        # Uzbek copula "is" after a locative: Тюмендадир "(he) is in Tyumen", Samarqanddadir
        "dir",
        "dur",
        "tir",
        "ман",
        "миз",
        "сан",
        "сиз",
        "мын",
        "мин",
        "мун",
        "мүн",
        "мін",
        "быз",
        "биз",
        "буз",
        "бүз",
        "біз",
        "мыз",
        "міз",
        "пын",
        "пін",
        "пыз",
        "піз",
        "дир",
        "дур",
        "тир",
    ]
)
# Uzbek/Kazakh/Kyrgyz "of, native of" (Toshkentlikman, Алматылықпын), only before a person ending.
_ORIGIN_SUFFIXES = frozenset(["lik", "li", "лик", "лі", "лық", "лік", "лык", "лук", "лүк"])
# Kazakh and Kyrgyz put a vowel between a consonant cluster and the suffix: Красноярскіде.
_EPENTHETIC = "іыиi"  # and Latin i: Ulyanovskide
_VOWELS = frozenset("aeiouyаеёиоуыэюяәөүұіӣӯў")


def _case_bases(word: str, suffixes: frozenset[str]) -> list[str]:
    out = []
    for n in range(min(_MAX_SUFFIX, len(word) - 2), 0, -1):
        if word[-n:] in suffixes:
            base = word[:-n].rstrip("'")
            if len(base) >= 2:
                out.append(base)
                if (
                    len(base) >= 4
                    and base[-1] in _EPENTHETIC
                    and base[-2] not in _VOWELS
                    and base[-3] not in _VOWELS
                ):
                    out.append(base[:-1])
    return out


@lru_cache(maxsize=65536)
def turkic_stems(word: str) -> tuple[str, ...]:
    """Possible bases of a folded word once a Turkic case suffix (or Tajik -ро) is cut off.

    Longest suffix first; the caller keeps the first base that is a known name. An apostrophe or
    hyphen before the suffix (``Toshkent'ga``) is dropped too. A person ending after the case
    suffix (``Namangandanman``, ``Шымкенттенмін``) is cut first; a vowel that Kazakh and Kyrgyz put
    between a consonant cluster and the suffix (``Иркутскіде``) is dropped as a further base.
    """
    out = _case_bases(word, _TURKIC_SUFFIXES)
    if len(word) >= 6 and word[-3:] in _PERSON_ENDINGS:
        rest = word[:-3]
        for base in _case_bases(rest, _TURKIC_SUFFIXES | _ORIGIN_SUFFIXES):
            if base not in out:
                out.append(base)
    return tuple(out)


def is_latin_key(key: str) -> bool:
    """Is a folded key written in Latin letters only?"""
    return bool(_LATIN_KEY_RE.fullmatch(key))


_LATIN_KEY_RE = re.compile("[a-z' ]+")

# Russian as it is commonly typed in Latin letters (a simplified BGN/PCGN): Ленинградская →
# leningradskaya, Нижний → nizhniy.
_RU2LAT = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ж": "zh", "з": "z", "и": "i",
    "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t",
    "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y",
    "ь": "", "э": "e", "ю": "yu", "я": "ya",
}  # fmt: skip


def ru_to_latin(key: str) -> str:
    """A folded Russian key as Russian is usually typed in Latin letters."""
    return "".join(_RU2LAT.get(ch, ch) for ch in key)


_CYR2LAT = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ж": "j", "з": "z", "и": "i", "й": "i",
    "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u",
    "ф": "f", "х": "h", "ц": "c", "ч": "c", "ш": "s", "щ": "s", "ъ": "", "ы": "i", "ь": "", "э": "e",
    "ю": "u", "я": "a", "ғ": "g", "қ": "k", "ҳ": "h", "ҷ": "j", "ӣ": "i", "ӯ": "u", "ў": "o", "ө": "o",
    "ү": "u", "ұ": "u", "ә": "a", "і": "i", "ң": "n", "һ": "h", "ї": "i", "є": "e", "ґ": "g",
}  # fmt: skip
_CYR2LAT_TABLE = str.maketrans(_CYR2LAT)
# щ is typed shch (Ploshchad) as often as sh: both meet the Cyrillic letter's "s".
_DIGRAPHS = (
    ("shch", "s"),
    ("dzh", "j"),
    ("kh", "h"),
    ("sh", "s"),
    ("ch", "c"),
    ("zh", "j"),
    ("ts", "c"),
    ("dj", "j"),
)
_SKEL_TABLE = str.maketrans({"x": "h", "q": "k", "w": "v", "y": "i", "o": "a", "'": None, " ": None})
_I_BEFORE_VOWEL = re.compile("i(?=[aeu])")
_DOUBLE = re.compile(r"(.)\1+")


@lru_cache(maxsize=65536)
def skeleton(key: str) -> str:
    """A coarse Latin skeleton of a folded key: spelling and script differences mostly vanish."""
    s = key.translate(_CYR2LAT_TABLE)
    if "h" in s or "ts" in s or "dj" in s:  # every digraph has one of these: most words skip the loop
        for a, b in _DIGRAPHS:
            if a in s:
                s = s.replace(a, b)
    s = s.translate(_SKEL_TABLE)
    s = _I_BEFORE_VOWEL.sub("", s)
    # A sub with a template calls back into Python even where nothing matches; few words have a
    # double letter, so look first.
    return s if _DOUBLE.search(s) is None else _DOUBLE.sub(r"\1", s)


_UZ_LAT2CYR = (
    ("yo'", "йў"), ("o'", "ў"), ("g'", "ғ"), ("sh", "ш"), ("ch", "ч"), ("yo", "ё"), ("yu", "ю"), ("ya", "я"),
    ("ts", "ц"), ("a", "а"), ("b", "б"), ("d", "д"), ("e", "е"), ("f", "ф"), ("g", "г"), ("h", "ҳ"),
    ("i", "и"), ("j", "ж"), ("k", "к"), ("l", "л"), ("m", "м"), ("n", "н"), ("o", "о"), ("p", "п"),
    ("q", "қ"), ("r", "р"), ("s", "с"), ("t", "т"), ("u", "у"), ("v", "в"), ("x", "х"), ("y", "й"),
    ("z", "з"), ("'", "ъ"),
)  # fmt: skip


def _transliterator(pairs: tuple[tuple[str, str], ...]) -> Callable[[str], str]:
    """Replace each letter or letter group of ``pairs`` by its counterpart, left to right. A group
    is listed before the shorter ones it begins with: the first alternative that matches wins."""
    table = dict(pairs)
    pattern = re.compile("|".join(re.escape(a) for a, _ in pairs))
    return lambda text: pattern.sub(lambda m: table[m.group()], text)


_uz_lat2cyr = _transliterator(_UZ_LAT2CYR)


def uz_latin_to_cyrillic(name: str) -> str:
    """An Uzbek Latin name in Uzbek Cyrillic (Sho‘rchi → Шўрчи, Qo‘ng‘irot → Қўнғирот), folded."""
    key = fold(name)
    if not is_latin_key(key):
        return ""
    cyr = _uz_lat2cyr(key)
    return re.sub(r"(?:^| )е", lambda m: m.group()[:-1] + "э", cyr)


def forget_words() -> None:
    """Empty the per-word memos (see ``pipeline.forget_words``)."""
    for memo in (fold, ru_stem_word, turkic_stems, skeleton):
        memo.cache_clear()


_RU_LATIN_PASSPORT = str.maketrans(
    {
        "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "yo", "ж": "zh", "з": "z",
        "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r",
        "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh",
        "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu", "я": "ya",
    }
)  # fmt: skip
_RU_LATIN_LOOSE = str.maketrans({"ё": "e", "х": "h", "щ": "sch", "й": "i", "ь": "'", "ю": "iu", "я": "ia"})


def ru_latin_spellings(name: str, *, short_adjectives: bool = True) -> list[str]:
    """How a Russian name is commonly typed in Latin letters: passport style (Щёлковская →
    shchyolkovskaya, Тёплый Стан → tyoplyy stan / teply stan) and a looser one (schelkovskaia).
    The skeleton key covers the spellings between. ``short_adjectives=False`` leaves out the
    shortened adjective (teply, for tyoplyy)."""
    key = " ".join(re.findall("[а-яё]+", name.lower()))  # before folding, which makes ё an е
    out = []
    for yo in (key, key.replace("ё", "е")):
        out.append(yo.translate(_RU_LATIN_PASSPORT))
        if short_adjectives:
            out.append(yo.replace("ый", "ы").replace("ий", "и").translate(_RU_LATIN_PASSPORT))
    out.append(key.translate(_RU_LATIN_LOOSE).translate(_RU_LATIN_PASSPORT))
    return list(dict.fromkeys(o for o in out if o != key))


# Russian-style romanisations back into Russian Cyrillic (Gizhduvan → гиждуван, Denau → денау,
# Nookat → ноокат), longest first. Names with letters this style does not use (q, w, x, c, j,
# an apostrophe inside a word as Uzbek o‘ g‘ write it) are left alone.
_LAT2RU = (
    ("shch", "щ"), ("iya", "ия"), ("iye", "ие"), ("iyu", "ию"), ("dzh", "дж"), ("zh", "ж"), ("kh", "х"),
    ("ch", "ч"), ("sh", "ш"), ("ts", "ц"),
    ("yu", "ю"), ("ya", "я"), ("yo", "ё"), ("ye", "е"), ("yy", "ый"), ("iy", "ий"),
    ("a", "а"), ("b", "б"), ("v", "в"), ("g", "г"), ("d", "д"), ("e", "е"), ("z", "з"), ("i", "и"),
    ("k", "к"), ("l", "л"), ("m", "м"), ("n", "н"), ("o", "о"), ("p", "п"), ("r", "р"), ("s", "с"),
    ("t", "т"), ("u", "у"), ("f", "ф"), ("h", "х"), ("y", "ы"), ("'", "ь"),
)  # fmt: skip
_lat2ru = _transliterator(_LAT2RU)
_RU_ROMANISED_RE = re.compile("[abcdefghiklmnoprstuvyz']+(?: [abcdefghiklmnoprstuvyz']+)*")
_UZ_APOSTROPHE_LETTER = re.compile("[og]'")
# ы after a vowel or opening a word is the glide й (Bayan → Баян is caught as ya; Kyzyl-Kiya keeps ы)
_GLIDE_Y = re.compile("(?:(?<=[аеиоуыэ])|(?<=^)|(?<= ))ы")


def ru_cyrillic_of_latin(name: str) -> str:
    """A name romanised in the Russian manner, back in Russian Cyrillic (folded), or "".

    Gizhduvan → гиждуван, Denau → денау, Nookat → ноокат, Tamchy → тамчы, Yegor'yevsk →
    егорьевск. A soft sign the romanisation dropped stays dropped (Yegorevsk → егоревск)."""
    key = fold(name)
    if len(key) < 4 or not _RU_ROMANISED_RE.fullmatch(key) or _UZ_APOSTROPHE_LETTER.search(key):
        return ""
    cyr = _lat2ru(key)
    if "c" in cyr:  # a c outside ch and ts: English or Turkish spelling
        return ""
    return _GLIDE_Y.sub("й", cyr)
