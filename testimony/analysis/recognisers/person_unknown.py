"""The last guess of the person recogniser in Uzbek, Tajik, Kyrgyz and Kazakh: a capitalised word
inside a sentence that no list knows.

These languages capitalise little inside a sentence besides names, places and the words of
official titles, and the names people bring from everywhere (Мельник, Сабо, Ван, Gogiya) are in
no lexicon. What else is capitalised there is told by its shape and its neighbours: the words of
a title stand before "ministry", "code" or "bank"; a brand stands beside a card; a group or a
firm is quoted; a place takes "in" or "from"; a nation takes the plural. Places the gazetteer
finds win over these guesses in the pipeline, whatever their size (``SCORE``). Russian and
English capitalise far more (and Russian has its NER model), so they are left out.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from testimony.analysis.recognisers.person_names import PLURAL_SUFFIXES, char_before, sentence_start

LANGUAGES = frozenset({"uz", "tg", "ky", "kk"})
# A guess's score: it yields to any place the gazetteer finds under it (see pipeline).
SCORE = 0.5
_MIN_LENGTH = 3

# The nouns that end an official title or a name of an institution, a firm, a market, a group
# or a holiday: the capitalised words before them are that title's ("Tashqi ishlar vazirligi",
# "Қылмыстық кодекс", "Оптима банк", "Ишонч линияси").
_TITLE_NOUN = re.compile(
    r"(?:vazir|вазир|vazorat|вазорат|республика|respublika|ministr|министр|kodeks|кодекс|prokurat|"
    r"прокурат|bank|банк|agentl|агентл|kyzmat|кызмат|xizmat|хизмат|қызмет|komitet|комитет|qo.mita|"
    r"кумита|комиссия|komissiya|universitet|университет|институт|institut|maktab|мактаб|мектеп|"
    r"bozor|бозор|базар|рынок|рынк|liniya|линия|markaz|марказ|firma|фирма|kompaniya|компания|"
    r"shirkat|ширкат|zavod|завод|майрам|bayram|байрам|мейрам|vodiy|водӣ|водии|daryo|дарё|дарьё|"
    r"аянт|майдон|maydon|кабинет|kabinet|палата|guruh|гурух|гуруҳ|karta|карта|"
    r"(?:айт|иди|idi|суд|sud|tobu|тобу|тобы|kart|корт)$)",
    re.IGNORECASE,
)
# Before a card number or after "card": a bank or a payment system ("Humo kartamdan", "корти Милли").
_CARD_BEFORE = re.compile(
    r"(?:(?:karta|карта|kart|корти|korti|картасы|kartasy)\w*|\d{4})\W{0,3}$", re.IGNORECASE
)
_CARD_AFTER = re.compile(r"^[\s:(),]*(?:\d{4}[\s-]?\d{4}|kart|карт|корт|gold|голд)", re.IGNORECASE)
# A place's case: locative and ablative ("Tamchydan", "Арстанбапта", "Tihoresktegı").
_PLACE_CASE = re.compile(
    r"(?:да|де|та|те|дан|ден|тан|тен|нан|нен|даги|дагы|тағы|дегі|тегі|da|de|ta|te|dan|den|tan|"
    r"ten|nan|nen|dagi|dagy|tegi|tegı|degi|degı|до|дө|то|тө|дон|дөн|тон|төн|нон|нөн|do|dö|to|tö|don|dön|"
    r"ton|tön|non|nön)(?:man|men|min|myn|miz|мын|мин|ман|мен|мыз|миз)?$"
)
# Russian towns end so ("Коледино", "Сабурово", "Боровск"); few names do.
_RUSSIAN_TOWN = re.compile(r"(?:ово|ево|ёво|ино|ыно|ское|цкое|ск|ovo|evo|ino|yno|skoye|sk)$")
# "native of": "Германиялык", "Toshkentlik"
_ORIGIN = re.compile(r"^\w{4,}(?:лык|лик|лук|лүк|лық|лік|lik|lyk|liq|lıq)$")
# A place stands after these: Tajik izofa nouns ("водии Зарафшон") and Russian prepositions.
_PLACE_BEFORE = frozenset(
    " ".join(
        (
            "водии ноҳияи нохияи вилояти шаҳри шахри деҳаи дехаи қишлоқи кишлоки дарёи кӯли кӯҳи",
            "vodii nohiyai viloyati shahri dehai qishloqi daryoi",
            "уроженец уроженка родом из в во на под около возле iz v vo pod",
        )
    ).split()
)
_PLURAL = re.compile(rf"^\w{{3,}}(?:{PLURAL_SUFFIXES})\w{{0,4}}$")  # "Кыргыздар", "Kyrgyzdarga"
# Russian adjectives typed in Latin letters start the names of places and firms ("Naberejniye
# Chelni", "Grajdanskoye sodeystviye"); in Cyrillic, pymorphy knows them (``common_word``).
# Other Russian nouns stay candidates: many are surnames too (Мельник, Соловей, Сабо, Ван).
_RUSSIAN_ADJECTIVE = re.compile(r"(?:ый|ий|ой|ое|ее|ая|яя|ые|ие|ого|его|ых|их)$")
_LATIN_RUSSIAN_ADJECTIVE = re.compile(r"(?:iye|yye|oye|aya|skiy|skaya|skoye)$")
# A chat's time stamp opens a line as a full stop does ("[10:44] Оперативник", "21:16 Волонтёр").
_TIME_STAMP = re.compile(r"\d{1,2}:\d{2}\]?\s*$")


def capitalised_unknown(
    text: str,
    tokens: list[tuple[int, int, str]],
    taken: list[tuple[int, int]],
    known: Callable[[str], bool],
    common_word: Callable[[str], bool],
    cue_word: Callable[[str], bool],
) -> list[tuple[int, int, str]]:
    """(start, end, word) of the words written like a name ("Сабо", not "КоАП" or "ЦВСИГге")
    that do not open a sentence, lie outside ``taken``, are not ``known`` (anything the caller's
    lexicon knows: a name the rules passed over, a common word, an institution, a place, an
    official), and that nothing around says are something else. ``common_word`` tells a common
    word or place of any source, pymorphy's Russian words among them; ``cue_word`` a word that
    stands before names (kin, roles, ranks: "Бригадир Сабо" is a man, not a title)."""
    out = []
    for index, (start, end, word) in enumerate(tokens):
        if len(word) < _MIN_LENGTH or not word[0].isupper() or any(c.isupper() for c in word[1:]):
            continue
        if _opens_something(text, start) or any(start < b and a < end for a, b in taken):
            continue
        lower = word.lower()
        if _PLACE_CASE.search(lower) or _RUSSIAN_TOWN.search(lower) or _ORIGIN.match(lower):
            continue
        if _PLURAL.match(lower) or known(word):
            continue
        if _RUSSIAN_ADJECTIVE.search(lower) and common_word(word):
            continue  # "Большой рынок", «Гражданское содействие»: not "Мельник", "Соловей", "Сабо"
        if _LATIN_RUSSIAN_ADJECTIVE.search(lower) or _after_capitalised_word(
            text, tokens, index, common_word, cue_word
        ):
            continue
        if _in_title(text, tokens, index) or _beside_card(text, start, end) or _quoted(text, start):
            continue
        if index and tokens[index - 1][2].lower() in _PLACE_BEFORE:
            continue
        out.append((start, end, word))
    return out


def _opens_something(text: str, start: int) -> bool:
    """A sentence, a list, a line of a chat, a quotation after a colon, or the second half of a
    hyphenated name ("Ала-Тоо")."""
    if sentence_start(text, start) or _TIME_STAMP.search(text, max(0, start - 12), start):
        return True
    if start > 1 and text[start - 1] == "-" and text[start - 2].isalpha():
        return True
    return char_before(text, start) in (":", "/", "]")


def _after_capitalised_word(
    text: str,
    tokens: list[tuple[int, int, str]],
    index: int,
    common_word: Callable[[str], bool],
    cue_word: Callable[[str], bool],
) -> bool:
    """The second word of a name whose first is a common word: a place or a title ("Старый Оскол",
    "Ала Тоо", "Красное Село")."""
    if not index:
        return False
    _start, end, word = tokens[index - 1]
    if not word[0].isupper() or text[end : tokens[index][0]].strip():
        return False
    if cue_word(word.lower()):
        return False
    return bool(_LATIN_RUSSIAN_ADJECTIVE.search(word.lower())) or common_word(word)


def _in_title(text: str, tokens: list[tuple[int, int, str]], index: int) -> bool:
    """Whether one of the next two words is the noun that ends a title, the words between being
    capitalised too ("Ташқи меҳнат миграцияси агентлиги" is not: only its first word is)."""
    if _TITLE_NOUN.match(tokens[index][2]):  # Tajik puts it first: "Вазорати мудофиа", "Иди Қурбон"
        return True
    for k in (index + 1, index + 2):
        if k >= len(tokens):
            return False
        start, _end, word = tokens[k]
        if re.search(r"[.!?\n]", text[tokens[k - 1][1] : start]):
            return False
        if _TITLE_NOUN.match(word):
            return True
    return False


def _beside_card(text: str, start: int, end: int) -> bool:
    return bool(
        _CARD_BEFORE.search(text, max(0, start - 20), start) or _CARD_AFTER.match(text[end : end + 20])
    )


def _quoted(text: str, start: int) -> bool:
    """Inside a quotation opened on the same line: a firm, a group, a book, a car model."""
    line = text[text.rfind("\n", 0, start) + 1 : start]
    if line.count("«") > line.count("»") or line.count('"') % 2 == 1:
        return True
    if "„" in line:
        return line.count("„") > line.count("“")
    return line.count("“") > line.count("”")
