"""Finding the places a testimony names, and coarsening them so that no pin points at a home.

``find_places(text, country_hint=..., place_hint=...)`` scans word n-grams (longest first) against
the gazetteer, through three keys (folded spelling, Russian stem, cross-script skeleton) and with
Turkic case suffixes cut (see ``place_names``). A match is kept only if it looks like a name where
it stands:

* names that are also ordinary words (Шахты, Орёл, Мирный, Луга, Mary…) need a capital letter and
  must not open a sentence; so do names of three letters or fewer (Ош, Уфа) and small towns;
* lower case is accepted for large cities, regions, countries, sites and abbreviations (мск, спб);
* a name next to a street word (``проспект Мира``, ``Московское шоссе``) is part of an address;
  "next to" means nothing but a space or a dot between (``кв. 12, Казань`` is a town);
* a town or site that reads as a person (``Иванова``, ``Сахаровой``, ``Анной``, a given name
  beside it) needs a locative preposition (``из Иванова``); an inflected small town may not open
  a sentence (``Потом`` is not Poti); Russian typed in Latin letters with a short stem needs a
  preposition too (``v Tule``).

* a name that is also a common word may open a sentence only before a designator (Ош шаары), joined
  by "and" to another name, or in a locative/ablative only Kyrgyz or Kazakh give a large city (Ошто);
* some sites are named only beside a cue word (Манас аэропортунда, Chorsu bozorida, бозори Корвон);
  metro stations need a capital, except right after "metro"; the bulk list of stations
  (sites.json "metro") needs a station word beside names that are adjectives, streets, common words
  or given names (метро Ладожская, Dinamo metro), and a station beats a person's name only where
  the text calls it a station or a place;
* a town named like a short common word (Pop) only after a preposition of place, before a
  designator or with a Turkic case of place;
* lower-case English after from/in/near takes a large city, a town before its country's name, or
  a town's full name of six letters or more that is no common word.

Ambiguous names are resolved by the form's ``place_hint`` (a GeoNames id, a region id like
``RU.47`` or a country code), then ``country_hint``, then the other places in the same text, then
population; a city ten times larger than its namesake wins unless a hint or the region of another
place in the text says otherwise (Donetsk, Ukraine, over Donetsk, Rostov Oblast).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import replace
from functools import lru_cache

from testimony.analysis.gazetteer import (
    CORE_COUNTRIES,
    HOME_COUNTRIES,
    METRO_ID_PREFIX,
    Entry,
    Gazetteer,
    data_lines,
    get_gazetteer,
)
from testimony.analysis.place_names import WORD_RE, fold, is_latin_key, ru_stem, skeleton
from testimony.analysis.spans import PRECISIONS, Place

# Written in lower case as often as not; matched in lower case despite being short.
ABBREVIATIONS = frozenset({"мск", "спб", "екб", "нск", "рф", "msk", "spb", "ekb", "хмао", "янао", "гбао"})
STREET_WORDS = frozenset(
    [
        "улица",
        "ул",
        "улице",
        "улицу",
        "улицы",
        "проспект",
        "проспекте",
        "проспекта",
        "пр",
        "просп",
        "переулок",
        "переулке",
        "пер",
        "бульвар",
        "бульваре",
        "б",
        "р",
        "шоссе",
        "площадь",
        "площади",
        "пл",
        "набережная",
        "набережной",
        "наб",
        "проезд",
        "проезде",
        "тупик",
        "аллея",
        "микрорайон",
        "мкр",
        "мкрн",
        "квартал",
        "кв",
        "станция",
        "станции",
        "ст",
        "street",
        "st",
        "avenue",
        "ave",
        "road",
        "prospekt",
        "ko'cha",
        "ko'chasi",
        "kocha",
        "kuchasi",
        "кўча",
        "кўчаси",
        "көчөсү",
        "көшесі",
        "кучаи",
        "хиёбони",
        "район",
        "районе",
        "р",
        "н",
        "rayon",
        "tumani",
        "тумани",
    ]
)
# Russian prepositions typed in Latin letters: after one, a short word with a case ending cut
# (v Tule, iz Penzy) is taken for a name; elsewhere the stem must be longer (Potom, Sergey are not).
RU_LATIN_PREPOSITIONS = frozenset(
    [
        "v",
        "vo",
        "iz",
        "na",
        "pod",
        "k",
        "ko",
        "s",
        "so",
        "ot",
        "do",
        "po",
        "u",
        "okolo",
        "bliz",
        "vozle",
        "cherez",
        "mezhdu",
        "za",
        "pered",
        "pri",
        "pro",
        "o",
        "ob",
    ]
)
LATIN_STEM_MIN = 5
# After one of these a word is a place rather than a person (из Иванова, в Анне, iz Sakharova).
LOCATIVE_PREPOSITIONS = frozenset(
    [
        "в",
        "во",
        "из",
        "на",
        "под",
        "до",
        "около",
        "возле",
        "через",
        "близ",
        "за",
        "по",
        "v",
        "vo",
        "iz",
        "na",
        "pod",
        "do",
        "okolo",
        "vozle",
        "cherez",
        "bliz",
        "za",
        "po",
        "in",
        "from",
        "near",
    ]
)
# Oblique and feminine forms of surnames in -ов/-ев/-ин (Иванова, Сахаровой, Kol'tsovoy), which
# meet towns in -ово/-ево/-ино (Ivanovo, Sakharovo, Kol'tsovo) once endings are cut.
_SURNAME_END = re.compile("(?:ов|ев|ин|ын)(?:а|ой|у|ым|ых|ыми)$|(?:ov|ev|in|yn)(?:a|oy|oi|u|ym|ykh|ymi)$")
_NAMES_FILES = ("names_given.txt", "names_given_ambiguous.txt")
_RANK = {p: i for i, p in enumerate(PRECISIONS)}
_KIND_BONUS = {"site": 6.0, "country": 8.0, "admin1": 5.0, "city": 0.0}
_SENTENCE_END = ".!?…\n\r:;"
_SKIP_BACK = " \t«»\"“”„'()—–-*"
_GAP_RE = re.compile(r"[ \t]{1,2}|-|\. ?|\.-")


# Abbreviated designators whose full stop ends no sentence: "г. Видное", "пос. Мирный", "sh. Pop"
# (but "в 2019 г." is a year, and its full stop may end one).
_DESIGNATOR_ABBREVIATIONS = frozenset(
    ["г", "гор", "пос", "пгт", "с", "дер", "ст", "ш", "қ", "g", "sh", "q", "pos"]
)


# Russian words for "town" before a name, in lower case only (not "с", which is also "with").
_TOWN_WORDS_BEFORE = frozenset(["г", "гор", "город", "пос", "пгт", "поселок", "посёлок", "дер", "деревня"])


def _sentence_initial(text: str, start: int) -> bool:
    j = start - 1
    while j >= 0 and text[j] in _SKIP_BACK:
        j -= 1
    if j < 0:
        return True
    if text[j] == "." and j > 0:
        k = j
        while k > 0 and text[k - 1].isalpha():
            k -= 1
        before = text[:k].rstrip()
        if (
            (k == 0 or not text[k - 1].isalnum())
            and text[k:j].lower() in _DESIGNATOR_ABBREVIATIONS
            and not before[-1:].isdigit()  # "в 2019 г." is a year
        ):
            return False
    return text[j] in _SENTENCE_END


class _Mention:
    __slots__ = ("cands", "end", "how", "key", "start")

    def __init__(self, start: int, end: int, cands: list[int], how: str, key: str) -> None:
        self.start, self.end, self.cands, self.how, self.key = start, end, cands, how, key


def _acceptable(
    gaz: Gazetteer, text: str, toks: list, i: int, n: int, cands: list[int], how: str, key: str
) -> bool:
    start, end = toks[i][0], toks[i + n - 1][1]
    surface = text[start:end]
    cap = surface[:1].isupper()
    entries = [gaz.entries[c] for c in cands]
    # Sites are exempt from the street-word test, except those named like streets (metro stations:
    # "Пушкинская улица" is a street; "станции Пушкинская" the station).
    any_site = any(e.kind == "site" and e.lower_ok for e in entries)
    prev_word = fold(toks[i - 1][2]) if i > 0 else ""
    next_word = fold(toks[i + n][2]) if i + n < len(toks) else ""
    if any(e.kind == "site" for e in entries) and not any_site:
        prev_word = "" if prev_word in _STATION_WORDS else prev_word
        next_word = "" if next_word in _STATION_WORDS else next_word
    if not any_site and (
        (prev_word in STREET_WORDS and _adjacent(text, toks[i - 1][1], start))
        or (next_word in STREET_WORDS and _adjacent(text, end, toks[i + n][0]))
    ):  # "ул. Ленина", "Московское шоссе"; not "кв. 37, Москва"
        return False
    if how == "plain" and (len(key.replace(" ", "")) < 4 or surface.isupper()):
        return (
            False  # Tajik or Kazakh letters written plain: only for names long enough to tell (СІМ is no Sim)
        )
    if prev_word in _NATURE_BEFORE or next_word in _NATURE_AFTER:
        return False  # "водии Зарафшон", "Chirchiq daryosi": a valley or river, not the town
    if (
        how == "latin-stem"
        and prev_word not in RU_LATIN_PREPOSITIONS
        and min(len(w) for w in key.split()) < LATIN_STEM_MIN
    ):
        return False
    case_suffix = _case_suffix(toks, i, n, how, key)
    if _person_like(text, toks, i, n, entries, prev_word, case_suffix):
        return False
    if (key in gaz.needs_context or ru_stem(key) in gaz.needs_context) and not _said_to_be_place(
        text, toks, i, n, cap, prev_word, next_word, case_suffix
    ):
        return False
    if (
        how == "skeleton"
        and n == 1
        and fold(surface) in gaz.frozen_starts
        and (not cap or _sentence_initial(text, start))
        and not any(e.kind in ("country", "admin1") for e in entries)
    ):
        return False  # a common word that only resembles a name: "с семьей" is no Semey
    small = not any(e.lower_ok for e in entries)
    if small and how != "exact" and how != "suffix" and _sentence_initial(text, start):
        return False  # an inflected small town opening a sentence: Шаби (night) is not Shabo
    common = (
        key in gaz.common
        or ru_stem(key) in gaz.common
        # Russian typed in Latin letters (na shahte, xabar); not a Turkic case form (Kotelnikida).
        or (how != "suffix" and is_latin_key(key) and skeleton(ru_stem(key)) in gaz.common_skeletons)
    )
    letters = len(key.replace(" ", ""))
    if (
        not cap
        and (prev_word.startswith(_STATION_PREFIXES) or _word_after(text, end).startswith(_STATION_AFTER))
        and any(e.kind == "site" for e in entries)
    ):
        return True  # "at metro prospekt mira", "at ozerki metro"
    if not cap and _named_after_english_preposition(gaz, prev_word, next_word, entries, how, key):
        return True  # "i am from osh", "i from gharm tajikistan": English typed all in lower case
    if common:
        if not cap:
            return False
        if _sentence_initial(text, start) and not _opens_sentence_as_name(gaz, text, toks, i, n, how, key):
            return False
        if surface.isupper() and len(surface) > 3:  # shouting, not a name
            return False
    if cap:
        if how == "skeleton" and not any(e.lower_ok for e in entries):
            return letters >= 6
        return True
    # Lower case from here on.
    if key in ABBREVIATIONS:
        return True
    if letters >= 3 and _ORIGIN_END.fullmatch(case_suffix):
        return True  # "ravshan oshlik" (Ravshan, from Osh): the ending makes a town's origin
    if letters <= 3 or (how == "skeleton" and letters < 6):
        return False
    return any(e.lower_ok for e in entries)


# Words after a name that say it is a town or region, in any case ("Ош шаарындагы", "Osh shahri",
# "Шу қаласынан"); not Russian ones, which follow an adjective as well ("Мирный город" is "a
# peaceful town"), nor Tajik шаҳрванд "citizen".
_DESIGNATOR_RE = re.compile(
    r"(?:шаар|shaar|қала|qala|облус|oblus|облыс|oblys|аудан|audan|вилоят|viloyat|ноҳия|nohiya)\w*"
    r"|(?:шаҳр|шахр|shahr)[иi]\w*|tuman\w*|туман\w+|city|town"
)
# "Котельники метросида": a common word named as a metro station is a name anywhere.
_STATION_PREFIXES = ("метро", "metro", "станци", "stantsi", "stansi", "станса")
# Valleys and rivers that share a town's name, named before it (Tajik izofa, Russian) or after it.
_NATURE_BEFORE = frozenset(
    ["водии", "дарёи", "река", "реки", "реке", "рекой", "долина", "долине", "долины", "river", "valley"]
)
_NATURE_AFTER = frozenset(
    [
        "vodiysi", "vodiy", "водийси", "водий", "daryosi", "дарёси", "дарёйи", "valley", "river",
        "өрөөнү", "дарыясы", "өзөнү", "өзені", "алқабы", "аңғары", "долина",
    ]
)  # fmt: skip
# Uzbek, Kyrgyz and Kazakh "native of" cut off a town's name, a person ending after it or not
# (nurotalik, oshlikman); chat in lower case writes "Ravshan, from Osh" so.
# The ablative with "I am" (uchqorgondanman, aiagozdenmin "I am from ...") says the same.
_ORIGIN_END = re.compile(
    r"(?:lik|liq|лик|лык|лық|лік|лук|лүк)(?:man|miz|myn|min|ман|миз|мын|мин|мін|пын|пін)?"
    r"|(?:[dt][aeo]n|[дт][аеоө]н)(?:man|miz|myn|min|mun|ман|миз|мын|мин|мін|мун|мүн)"
)
_STATION_WORDS = frozenset(["станция", "станции", "ст", "метро", "м"])
_ENGLISH_LOCATIVES = frozenset(["from", "in", "near"])
_TAJIK_OBJECT_MARKERS = ("ро", "ro")


# After a station's name: "Ладожская станциясында", "Teply Stan metro station", "Щёлковская
# автовокзал", "Shchyolkovskaya bus station".
_STATION_AFTER = (*_STATION_PREFIXES, "station", "вокзал", "автовокзал", "istasyon")


def _station_acceptable(gaz: Gazetteer, text: str, toks: list, i: int, n: int, station: tuple) -> bool:
    """A metro station of the bulk list: one named like an adjective, a street, a common word or a
    given name only beside a station word ("метро Ладожская", "Dinamo metro"); any other one only
    capitalised and not opening a sentence (Мякинино, Тёплый Стан), as the small towns are."""
    before = fold(toks[i - 1][2]) if i > 0 else ""
    if before.startswith(_STATION_PREFIXES) or before in ("м", "m", "ст"):
        return True
    after = [fold(t[2]) for t in toks[i + n : i + n + 2]]
    if after and (
        after[0].startswith(_STATION_AFTER) or (len(after) == 2 and after[1].startswith(_STATION_AFTER))
    ):
        return True
    cands, how, key = station
    if any(c in gaz.station_word_needed for c in cands) or (n == 1 and _is_given_name(toks[i][2])):
        return False
    if (
        how != "exact"
        and is_latin_key(key)
        and not (how == "suffix" and _has_place_case(toks[i + n - 1][2], key))
    ):
        # "Marine" (to Marina) is no Mar'ino: Latin endings are cut only beside "metro"; a Turkic
        # locative or ablative (Altufevoda, Myakininodan) is a place's case in any script
        return False
    return toks[i][2][:1].isupper() and not _sentence_initial(text, toks[i][0])


def _said_to_be_place(
    text: str, toks: list, i: int, n: int, cap: bool, prev_word: str, next_word: str, case_suffix: str
) -> bool:
    """Does the text itself say a capitalised word is a place: a preposition of place right
    before it ("in Pop", "из Попа"), a designator after it ("Pop tumani") or a Turkic case of
    place on it ("Popda")?"""
    if not cap:
        return False
    return (
        _after_preposition_of_place(text, toks, i, prev_word)
        or _says_town(next_word)
        or _is_place_case(case_suffix)
    )


def _opens_sentence_as_name(
    gaz: Gazetteer, text: str, toks: list, i: int, n: int, how: str, key: str
) -> bool:
    """May a name that is also a common word (Ош "food", Мирный "peaceful") open a sentence here?

    Yes when a station or designator word follows ("Ош шаарындагы", "Котельники метросида"), when
    it is joined to a capitalised name by "and" ("Ош жана Жалал-Абад"), or when it wears a
    locative or ablative ending that only Kyrgyz or Kazakh give a place: one assimilated to т after
    a voiceless consonant or one in rounded о/ө (Ошто, Оштон, Oshtogu); Uzbek writes the food
    "oshda". Not a dative, which a surname takes as well ("Королёвго" is "to Korolev").
    """
    surface = toks[i + n - 1][2]
    if not surface[:1].isupper():
        return False
    nxt = fold(toks[i + n][2]) if i + n < len(toks) else ""
    if nxt.startswith(_STATION_PREFIXES) or _DESIGNATOR_RE.fullmatch(nxt):
        return True
    if nxt in _CONJUNCTIONS and i + n + 1 < len(toks):
        after = toks[i + n + 1][2]
        if after[:1].isupper() and gaz.may_start(fold(after)):
            return True
    if how == "suffix" and _RU_PLURAL_NAME.search(key) and _has_place_case(surface, key):
        return True  # Апатитыда, Шахтыдан: Russian gives its plural no Turkic ending; a town's name it is
    if (
        how == "suffix"
        and not is_latin_key(key)
        and len(key) >= 4
        and " " not in key
        and _has_place_case(surface, key)
        and _cut_off(fold(surface), key)[:1] in "дт"
    ):
        # a Russian word that names a town, in a Kyrgyz or Kazakh locative or ablative (Клинде,
        # Асбестте, Меркеден, Октябрьскийде): the case of a place, which no Russian text gives a
        # common noun, and a town is what a testimony names in it
        return True
    if how != "suffix" or not any(e.lower_ok for e in (gaz.entries[c] for c in gaz.exact.get(key, ()))):
        return False  # only a large city: Kyrgyz and Kazakh give Russian loanwords these endings too
    suffix = _cut_off(fold(surface), key)
    if not suffix or suffix.startswith(_TAJIK_OBJECT_MARKERS):
        return False
    if not _is_place_case(suffix):  # a dative is a person's case too: Королёвго
        return False
    return suffix[0] in "тt" or any(c in suffix for c in "оөo")


_RU_PLURAL_NAME = re.compile("[бвгдзклмнпрстфхцчшщ]ы$")


def _has_place_case(surface: str, key: str) -> bool:
    return _is_place_case(_cut_off(fold(surface), key))


def _cut_off(last: str, key: str) -> str:
    """What a folded last word has after the last word of the name it met (Ошто, ош → то), or ""."""
    base = key.split(" ")[-1]
    return last[len(base) :] if last.startswith(base) else ""


def _is_place_case(suffix: str) -> bool:
    """Is a Turkic ending a locative or ablative, a place's case (see ``_LOCATIVE_ABLATIVE``)?"""
    return bool(suffix) and bool(_LOCATIVE_ABLATIVE.fullmatch(suffix))


def _says_town(word: str) -> bool:
    """Does the folded word after a name say it is a town or region ("шаары", "tumani", "области")?"""
    return word in _PLACE_AFTER or bool(_DESIGNATOR_RE.fullmatch(word))


def _after_preposition_of_place(text: str, toks: list, i: int, prev_word: str) -> bool:
    """Does a preposition of place stand right before the word ("из Иванова", "in Pop")?"""
    return prev_word in LOCATIVE_PREPOSITIONS and _adjacent(text, toks[i - 1][1], toks[i][0])


def _named_after_english_preposition(
    gaz: Gazetteer, prev_word: str, next_word: str, entries: list[Entry], how: str = "exact", key: str = ""
) -> bool:
    """A lower-case place after an English preposition: a large city ("from osh"), a town whose
    country's name follows ("from gharm tajikistan"), or a town's full name of six letters or
    more that is no common word ("in baltiysk")."""
    if prev_word not in _ENGLISH_LOCATIVES:
        return False
    if any(e.lower_ok for e in entries):
        return True
    if how == "exact" and len(key) >= 6 and " " not in key and key not in gaz.common:
        return True
    country = gaz.exact.get(next_word, ())
    countries = {gaz.entries[c].country for c in country if gaz.entries[c].kind == "country"}
    return any(e.country in countries for e in entries)


@lru_cache(maxsize=1)
def _given_names() -> frozenset[str]:
    """Stems of given names (the person recogniser's lists), to tell Анна the woman from Anna."""
    return frozenset(ru_stem(fold(line)) for name in _NAMES_FILES for line in data_lines(name))


def _is_given_name(word: str) -> bool:
    return len(word) >= 3 and ru_stem(fold(word)) in _given_names()


def _case_suffix(toks: list, i: int, n: int, how: str, key: str) -> str:
    """The Turkic case ending cut off the last word to meet the name (Ошто → то), or ""."""
    if how != "suffix":
        return ""
    suffix = _cut_off(fold(toks[i + n - 1][2]), key)
    # the vowel Kazakh and Kyrgyz put after a consonant cluster belongs to no case (Иркутскіде)
    return suffix[1:] if len(suffix) > 2 and suffix[0] in "іыиi" else suffix


# Locative and ablative endings (with a person ending after them or not): a place's cases, which
# a person's name beside a given name does not take ("Чынара Нарында" is Chynara in Naryn; the
# dative, "Асан Токтогулга", is also "to Asan Toktogul").
_LOCATIVE_ABLATIVE = re.compile(
    r"(?:[дтdt][аеоөaeo][нn]?|[нn][аеa][нn]|[нn][дтdt][аеa]|[дтdt][аеоөaeo][гg][ыиуүіiyu]|даги|дағы|дегі|тағы|тегі)"
    r"(?:мын|мин|мін|мун|мүн|ман|man|min|myn|mun|дир|тир|dir|tir)?$"
)


def _person_like(
    text: str, toks: list, i: int, n: int, entries: list[Entry], prev_word: str, case_suffix: str = ""
) -> bool:
    """Is a small place's name here more likely a person's (Анной, Сахаровой, Марина Пушкина)?

    Only towns and sites: large cities, regions and countries are left alone, and so is any
    name right after a locative preposition (в Анне, из Иванова).
    """
    if any(e.kind in ("country", "admin1") for e in entries):
        return False
    if _after_preposition_of_place(text, toks, i, prev_word):
        return False
    if i > 0 and toks[i - 1][2] in _TOWN_WORDS_BEFORE and not text[toks[i - 1][1] : toks[i][0]].strip(". "):
        return False  # "по г. Кирову": a town in the dative; a capital "Г. Кирову" is an initial
    if _SURNAME_END.search(fold(toks[i + n - 1][2])):  # even Иванова is Ivanovo only after "из"
        return True
    if any(e.kind == "city" and e.lower_ok for e in entries):
        return False
    if n == 1 and _is_given_name(toks[i][2]):
        return True
    if _is_place_case(case_suffix):
        return False
    after = fold(toks[i + n][2]) if i + n < len(toks) else ""
    if _says_town(after):  # "Дастан Шу қаласынан"
        return False
    if n > 1:  # a name of two words is no one's surname (Новый Уренгой, Горно-Алтайск)
        return False
    for j in (i - 1, i + n):  # a given name beside it: Марина Пушкина, Жукова Анна
        if 0 <= j < len(toks) and toks[j][2][:1].isupper() and _is_given_name(toks[j][2]):
            a, b = (toks[j][1], toks[i][0]) if j < i else (toks[i + n - 1][1], toks[j][0])
            if not text[a:b].strip():
                return True
    return False


def _adjacent(text: str, a: int, b: int) -> bool:
    """Do two words stand side by side, with nothing but a space or an abbreviation's dot between?"""
    return bool(_ADJACENT_RE.fullmatch(text[a:b]))


_ADJACENT_RE = re.compile(r"[ \t]*\.?[ \t]*|-")


def _scan(gaz: Gazetteer, text: str) -> list[_Mention]:
    toks = [(m.start(), m.end(), m.group()) for m in WORD_RE.finditer(text)]
    folded = [fold(t[2]) for t in toks]
    out: list[_Mention] = []
    i, n_toks = 0, len(toks)
    while i < n_toks:
        cued = _cued_site(gaz, text, toks, folded, i) if folded[i] in gaz.cued_first else None
        if cued is not None:
            out.append(cued)
            i += cued.key.count(" ") + 1
            continue
        if not gaz.may_start(folded[i]):
            i += 1
            continue
        # How many words may follow without crossing punctuation?
        span = 1
        while span < gaz.max_words and i + span < n_toks:
            gap = text[toks[i + span - 1][1] : toks[i + span][0]]
            if not _GAP_RE.fullmatch(gap):
                break
            if gap.startswith(".") and len(toks[i + span - 1][2]) > 3:  # only "г." "м." "St." join
                break
            if not gaz.may_extend(folded[i : i + span]):
                break
            span += 1
        found = None
        for n in range(span, 0, -1):
            hit = gaz.match(tuple(folded[i : i + n]))
            station = gaz.match_station(tuple(folded[i : i + n]))
            if station and _station_acceptable(gaz, text, toks, i, n, station):
                hit = (hit[0] + station[0], hit[1], hit[2]) if hit else station
            if hit and _acceptable(gaz, text, toks, i, n, *hit):
                found = (n, hit)
                break
        if found is None:
            i += 1
            continue
        n, (cands, how, key) = found
        if how == "stem" and len(cands) > 1:
            cands = _adjective_reading(gaz, toks, folded, i, n, cands, key)
        out.append(_Mention(toks[i][0], toks[i + n - 1][1], list(cands), how, key))
        i += n
    return out


# Adjectival case endings no Russian noun in -ск takes: в Дзержинском (prepositional) is in
# Dzerzhinsky, not Dzerzhinsk (в Дзержинске); -ом only after a preposition that takes the
# prepositional (под Дзержинском is the noun's instrumental).
_ADJECTIVE_CASE = ("ого", "ому", "ым", "им", "ой")
_PREPOSITIONAL_BEFORE = frozenset(["в", "во", "на", "о", "об", "при"])


def _adjective_reading(
    gaz: Gazetteer, toks: list, folded: list[str], i: int, n: int, cands: list[int], key: str
) -> list[int]:
    """Of the towns a declined name may be, those named by an adjective, where its ending is an
    adjective's (Дзержинском after в, Октябрьского): otherwise all of them."""
    last = folded[i + n - 1]
    prev = folded[i - 1] if i > 0 else ""
    if not (last.endswith(_ADJECTIVE_CASE) or (last.endswith("ом") and prev in _PREPOSITIONAL_BEFORE)):
        return cands
    return gaz.adjective_towns(cands, key) or cands


def _cued_site(gaz: Gazetteer, text: str, toks: list, folded: list[str], i: int) -> _Mention | None:
    """A site named by a word that needs its cue beside it: "Манас аэропортунда", "Chorsu bozorida",
    "бозори Корвон"."""
    for n in (2, 1):
        if i + n > len(toks):
            continue
        key = " ".join(folded[i : i + n])
        sites = gaz.cued.get(key)
        if not sites or not toks[i][2][:1].isupper():
            continue
        gap = text[toks[i + n - 1][1] : toks[i + n][0]] if i + n < len(toks) else "."
        nxt = "" if any(c in _SENTENCE_END for c in gap) else folded[i + n]
        prev = folded[i - 1] if i > 0 and _adjacent(text, toks[i - 1][1], toks[i][0]) else ""
        cands = [idx for idx, cues, before in sites if (nxt and nxt.startswith(cues)) or prev in before]
        if cands:
            return _Mention(toks[i][0], toks[i + n - 1][1], cands, "cue", key)
    return None


def _parse_hint(gaz: Gazetteer, place_hint: str | None) -> tuple[str, str, str]:
    """(entry id, admin1 id, country) named by the form's place hint."""
    if not place_hint:
        return "", "", ""
    hint = place_hint.strip()
    entry = gaz.get(hint)
    if entry is not None:
        return entry.id, entry.admin1_id, entry.country
    if "." in hint:
        return "", hint, hint.split(".", 1)[0].upper()
    if len(hint) == 2 and hint.isalpha():
        return "", "", hint.upper()
    return "", "", ""


# A city this many times larger than a namesake is meant unless a hint or the region says otherwise:
# Donetsk (Ukraine, 900 000) over Donetsk (Rostov Oblast, 50 000), whatever country the text is about.
DOMINANT_RATIO = 10


# GeoNames lists many district seats of the home countries without a population (0): they are
# towns of some thousands, not hamlets, and should not lose to a foreign namesake for that
# (Fayzobod, Tajikistan, against Fayzabad, Afghanistan).
UNKNOWN_HOME_TOWN_POPULATION = 5000


def _population(e: Entry) -> int:
    if e.kind == "city" and not e.population and e.country in HOME_COUNTRIES:
        return UNKNOWN_HOME_TOWN_POPULATION
    return e.population


def _score(
    e: Entry,
    hint: tuple[str, str, str],
    country_hint: str,
    ctx_countries: set,
    ctx_admin1: set,
    dominated: bool = False,
) -> float:
    hint_id, hint_admin1, hint_country = hint
    s = math.log10(_population(e) + 10) + _KIND_BONUS[e.kind]
    if hint_id and e.id == hint_id:
        s += 100
    if hint_admin1 and e.admin1_id == hint_admin1:
        s += 40
    if hint_country and e.country == hint_country:
        s += 15
    if country_hint and e.country == country_hint:
        s += 20
    if e.admin1_id and e.admin1_id in ctx_admin1:
        s += 6
    if dominated:
        return s
    if e.country in ctx_countries:
        s += 8
    if e.country in CORE_COUNTRIES:
        s += 3
    return s


def _to_place(gaz: Gazetteer, text: str, m: _Mention, e: Entry) -> Place:
    return Place(
        start=m.start,
        end=m.end,
        text=text[m.start : m.end],
        name=e.name,
        country=e.country,
        admin1=gaz.admin1_names.get(e.admin1_id, ""),
        lat=e.lat,
        lon=e.lon,
        precision=e.kind,
        geonameid=e.id,
    )


def find_places(text: str, *, country_hint: str | None = None, place_hint: str | None = None) -> list[Place]:
    """Places named in ``text``, resolved, in order of appearance (coordinates not coarsened)."""
    if not text:
        return []
    gaz = get_gazetteer()
    mentions = _scan(gaz, text)
    if not mentions:
        return []
    hint = _parse_hint(gaz, place_hint)
    country_hint = (country_hint or "").upper()
    # Context: what the unambiguous mentions say about country and region (counted once, then
    # each mention's own contribution left out).
    own: list[tuple[str, str]] = []
    c_count: Counter[str] = Counter()
    a_count: Counter[str] = Counter()
    for m in mentions:
        entries = [gaz.entries[c] for c in m.cands]
        countries = {e.country for e in entries}
        admin1s = {e.admin1_id for e in entries}
        cc = next(iter(countries)) if len(countries) == 1 else ""
        a1 = next(iter(admin1s)) if len(admin1s) == 1 else ""
        own.append((cc, a1))
        c_count[cc] += 1
        a_count[a1] += 1
    places = []
    for m, (cc, a1) in zip(mentions, own, strict=True):
        if len(m.cands) == 1:
            best = gaz.entries[m.cands[0]]
        else:
            ctx_c = {k for k, v in c_count.items() if k and v - (k == cc) > 0}
            ctx_a = {k for k, v in a_count.items() if k and v - (k == a1) > 0}
            entries = [gaz.entries[c] for c in m.cands]
            biggest = max((_population(e) for e in entries if e.kind == "city"), default=0)
            best = max(
                entries,
                key=lambda e: (
                    _score(
                        e,
                        hint,
                        country_hint,
                        ctx_c,
                        ctx_a,
                        dominated=e.kind == "city" and _population(e) * DOMINANT_RATIO < biggest,
                    ),
                    e.population,
                    e.id,
                ),
            )
        places.append(_to_place(gaz, text, m, best))
    return places


def coarsen(place: Place, precision: str = "city") -> Place:
    """The place with coordinates no finer than ``precision`` (site < city < admin1 < country).

    A site coarsened to "city" takes its city's centre; "admin1" the region's point (its largest
    city), "country" the country's centre. Name, precision and id follow the coarser unit; the
    span (start, end, text) stays. Coordinates are always rounded to 2 decimals (about 1 km).
    """
    if precision not in _RANK:
        raise ValueError(f"unknown precision {precision!r}; expected one of {PRECISIONS}")
    gaz = get_gazetteer()
    target = max(_RANK.get(place.precision, _RANK["country"]), _RANK[precision])
    unit = _unit_at(gaz, place, PRECISIONS[target])
    if unit is None:
        return replace(place, lat=round(place.lat, 2), lon=round(place.lon, 2))
    return replace(
        place,
        name=unit.name,
        country=unit.country,
        admin1=gaz.admin1_names.get(unit.admin1_id, "") if unit.kind != "country" else "",
        lat=round(unit.lat, 2),
        lon=round(unit.lon, 2),
        precision=unit.kind,
        geonameid=unit.id,
    )


def _unit_at(gaz: Gazetteer, place: Place, precision: str) -> Entry | None:
    """The gazetteer unit containing ``place`` at ``precision`` (or the next coarser one found)."""
    entry = gaz.get(place.geonameid) if place.geonameid else None
    if entry is None:  # a Place built elsewhere: go by its fields
        admin1_id = next((k for k, v in gaz.admin1_names.items() if v and v == place.admin1), "")
        entry = Entry(
            place.geonameid, place.precision, place.name, place.country, admin1_id, place.lat, place.lon
        )
    if precision == entry.kind:
        return entry if entry.id else None
    if precision == "city":
        city = gaz.get(entry.city_id) if entry.city_id else None
        if city is not None:
            return city
        precision = "admin1"
    if precision == "admin1":
        region = gaz.get(entry.admin1_id) if entry.admin1_id else None
        if region is not None and region.kind == "admin1":
            return region
    return gaz.get(entry.country) or Entry(
        entry.country, "country", entry.country, entry.country, "", place.lat, place.lon
    )


# A surname or given name that is also a town's ("капитан Фролов": Frolovo; "Artyom blocked us")
# names a person unless the text treats it as a place: after a locative preposition, before a word
# like "город"/"shahri", in a Turkic case of place (Фроловода, Toktogulдан), beside a place that
# reads as one ("Toktogul jana Kara-Kuldan"), or as the name of a city this large or larger.
PERSON_OVER_TOWN_MAX_POPULATION = 500_000
_PLACE_BEFORE = LOCATIVE_PREPOSITIONS | frozenset(
    [
        "г",
        "гор",
        "город",
        "города",
        "городе",
        "городу",
        "пос",
        "поселок",
        "село",
        "деревня",
        "пгт",
        "дар",
        "аз",
        "ба",
        # Tajik and Uzbek name the town after the word "city" (izofa): шаҳри Ғафуров, shahri Nurota
        "шаҳри",
        "шахри",
        "shahri",
        "shakhri",
        "то",
        "gorod",
        "goroda",
        "city",
        "town",
        "village",
        "of",
        # "native of": уроженец Қалъаи Хумб, родом Шопоков
        "уроженец",
        "уроженка",
        "уроженцы",
        "уроженцем",
        "уроженкой",
        "родом",
        "urozhenets",
        "urozhenka",
        "rodom",
    ]
)
# Words after a name that say "town" or "region", besides those ``_DESIGNATOR_RE`` matches (always
# tested together, in ``_says_town``).
_PLACE_AFTER = frozenset(["shahar", "шаҳар", "району", "области", "область", "oblast", "обл", "village"])
# Case endings of places (locative, ablative, dative, locative-attributive), with a person ending
# after them or not: Фроловода, Toktoguldan, Артёмдан, Серікке is a person's dative too, so only
# these.
_PLACE_CASE_END = re.compile(
    r"(?:[дт][аеоө]н?|[дт][аеоө]г[ыиуү]|даги|дағы|дегі|тағы|тегі|[нн][аеоө]н|[гкғқ][аеоө]|"
    r"[dt][aeoö]n?|dagi|dagy|tagi|n[ae]n|[gkqǵ][aeoö]|"
    # "native of" (Хўжаободлик, Ошлык, nurotalik): a demonym, which no person's name forms
    r"л[иіы][кқ]|л[уү]к|li[kq]|lı[kq])"
    r"(?:мын|мин|мін|ман|мен|man|men|min|myn|мыз|миз|міз|miz|mız|дир|тир|dir|tir)?$"
)
# Ranks, roles and "surname": the capitalised word after one is a person even if a city has it.
_PERSON_BEFORE = frozenset(
    [
        "майор", "капитан", "лейтенант", "сержант", "полковник", "подполковник", "участковый",
        "инспектор", "следователь", "охранник", "посбон", "полициячи", "военком", "serjant",
        "serzhant", "kapitan", "mayor", "leytenant", "voenkom", "officer", "sergeant", "captain",
        "lieutenant", "guard", "фамилии", "фамилия", "фамилией", "фамилиясы", "фамилияси", "surname",
    ]
)  # fmt: skip
_CONJUNCTIONS = frozenset(
    ["и", "va", "ва", "жана", "jana", "және", "jáne", "zhane", "мен", "men", "and", "hamda", "ham"]
)


def _word_before(text: str, start: int) -> str:
    m = re.search(r"([^\W\d_]+)[ \t.]*$", text[max(0, start - 30) : start])
    return fold(m.group(1)) if m else ""


def _word_after(text: str, end: int) -> str:
    m = re.match(r"[ \t,]*([^\W\d_]+)", text[end : end + 30])
    return fold(m.group(1)) if m else ""


def place_reading_wins(
    text: str, place: Place, others: list[Place] = (), *, named_as_person_elsewhere: bool = False
) -> bool:
    """Whether ``place`` is a place where a person recogniser also saw a name there.

    Countries, regions, sites and cities of ``PERSON_OVER_TOWN_MAX_POPULATION`` or more are always
    places; a smaller town only where the text treats it as one (see above). ``others`` are the
    other places found in the text, for "X and Y" where Y reads as a place.
    ``named_as_person_elsewhere``: the text names this word as a person where no place reading
    competes ("капитан Сафонов ... Сафоновга"); then only a word around it that says "town" makes
    it one, not a case ending that a person's name takes too, nor a place beside it."""
    if place.geonameid.startswith(METRO_ID_PREFIX):
        # a station of the bulk list is named after people and streets: a place where called one
        before, after = _word_before(text, place.start), _word_after(text, place.end)
        return (
            before.startswith(_STATION_PREFIXES)
            or before in _PLACE_BEFORE
            or before in ("м", "m")
            or after.startswith(_STATION_AFTER)
        )
    if place.precision != "city":
        return True
    entry = get_gazetteer().get(place.geonameid) if place.geonameid else None
    hit = get_gazetteer().match(tuple(fold(place.text).split()))
    fuzzy = hit is not None and hit[1] == "skeleton"  # a spelling that only resembles the name
    if _word_before(text, place.start) in _PERSON_BEFORE:
        return False  # "майор Киров", "фамилиясы: Королёв", "officer Chekhov": a man's surname
    if entry is None or (entry.population >= PERSON_OVER_TOWN_MAX_POPULATION and not fuzzy):
        return True
    if _word_before(text, place.start) in _PLACE_BEFORE or _says_town(_word_after(text, place.end)):
        return True
    ws = place.text.replace("-", " ").split()
    if len(ws) > 1 and hit and not fuzzy and not any(_is_given_name(w) for w in ws):
        return True  # a town's name of two words, neither a given name: Павловский Посад, Stariy Oskol
    last = fold(place.text).split()[-1] if fold(place.text) else ""
    if hit and hit[1] == "suffix" and _ORIGIN_END.fullmatch(_cut_off(last, hit[2])):
        return True  # "Шерали (Хўжаободлик)": a person's name takes no "native of" ending
    if named_as_person_elsewhere:
        return False
    if hit and hit[1] != "exact" and _PLACE_CASE_END.search(last):
        return True
    for other in others:
        if other is place:
            continue
        if other.end <= place.start:
            gap = text[other.end : place.start]
        elif other.start >= place.end:
            gap = text[place.end : other.start]
        else:
            continue
        words = [fold(w) for w in re.findall(r"[^\W\d_]+", gap)]
        if len(words) == 1 and words[0] in _CONJUNCTIONS and place_reading_wins(text, other):
            return True
    return False
