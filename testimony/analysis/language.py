"""Language and script identification for testimonies, offline and dependency-free.

Languages: "ru", "uz" (Latin or Cyrillic script), "tg", "ky", "kk", "en". Russian typed in Latin
letters ("menya zaderzhali v moskve") is "ru".

The model is small and hand-built. Each language has a sample corpus in ``data/lang_<code>.txt``
(written for this purpose; comment lines start with ``#`` and ``#words:`` lines list function words).
From those the loader builds character-trigram profiles per (language, script):

* ru: Cyrillic, plus two informal Latin transliterations of the same corpus;
* uz: Latin, plus a Cyrillic transliteration;
* tg, ky, kk: Cyrillic;  en: Latin.

Every non-English profile is also trained on a "keyboard" copy of its corpus, with the special letters
replaced by the Russian ones people type when they have no Kazakh/Uzbek/Tajik layout (қ→к, ў→у…).

A text is scored with the profiles of its dominant script (naive Bayes over trigrams), plus bonuses for
function words and for letters or digraphs that only some languages use (ә ұ і for Kazakh, ў for Uzbek,
ӣ ӯ ҷ for Tajik, oʻ/gʻ for Uzbek Latin...). The model loads once per process, on first use.
"""

from __future__ import annotations

import math
import re
import threading
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import numpy

from testimony.analysis.place_names import APOSTROPHES

LANGUAGES = ("ru", "uz", "tg", "ky", "kk", "en")
DEFAULT_LANGUAGE = "ru"

_DATA = Path(__file__).resolve().parent / "data"

# Apostrophes (every mark people use for the Uzbek tutuq belgisi, oʻ, gʻ) stay inside words and
# ``_normalise`` makes them all "'".
_NON_LETTER = re.compile(rf"[^\w{APOSTROPHES}]+|[\d_]+")
_CYRL = re.compile(r"[\u0400-\u04ff]")
_LATN = re.compile(r"[a-zA-Z\u00c0-\u024f]")

# Letters only some of the Cyrillic languages use: (letter, {language: bonus per occurrence}).
_LETTER_CUES: dict[str, dict[str, float]] = {
    "ә": {"kk": 5.0},
    "ұ": {"kk": 5.0},
    "і": {"kk": 4.0},
    "һ": {"kk": 2.0},
    "ў": {"uz": 5.0},
    "ӣ": {"tg": 5.0},
    "ӯ": {"tg": 5.0},
    "ҷ": {"tg": 5.0},
    "ҳ": {"tg": 2.0, "uz": 2.0},
    "қ": {"kk": 1.5, "tg": 1.0, "uz": 1.0},
    "ғ": {"kk": 1.5, "tg": 1.0, "uz": 1.0},
    "ң": {"ky": 2.0, "kk": 1.5},
    "ө": {"ky": 2.0, "kk": 1.5},
    "ү": {"ky": 2.0, "kk": 1.5},
    "щ": {"ru": 2.0},
    "ё": {"ru": 0.5, "uz": 0.5},
    # Uzbek Cyrillic typed without ў/ғ: "оʻ", "гʻ" (apostrophes are normalised first).
    "о'": {"uz": 8.0},
    "г'": {"uz": 8.0},
}
# Latin digraphs: Uzbek oʻ/gʻ (after normalisation), Russian-in-Latin zh/ya/iy/kh.
_LATIN_CUES: dict[str, dict[str, float]] = {
    "o'": {"uz": 3.0},
    "g'": {"uz": 3.0},
    "zh": {"ru": 1.5},
    "shch": {"ru": 2.0},
    "iy ": {"ru": 1.0},
    "yy ": {"ru": 1.0},
    "th": {"en": 1.0},
    "w": {"en": 1.0},
    # Kazakh's 2021 Latin alphabet (no other language here writes these)
    "ñ": {"kk": 3.0},
    "ū": {"kk": 3.0},
    "ı": {"kk": 3.0},
    "ğ": {"kk": 2.0},
    "ä": {"kk": 2.0},
}
_FUNCTION_WORD_BONUS = 2.0
_SMOOTHING = 0.5
# Paragraphs with fewer letters than this inherit the language of the previous one.
_SHORT_PARAGRAPH_LETTERS = 25
# Long texts are scored on an evenly spread sample of this many characters.
_MAX_SAMPLE = 750

_KEYBOARD = {
    "uz": str.maketrans({"ў": "у", "қ": "к", "ғ": "г", "ҳ": "х"}),
    "tg": str.maketrans({"ӣ": "и", "ӯ": "у", "ҳ": "х", "ҷ": "ч", "қ": "к", "ғ": "г"}),
    "ky": str.maketrans({"ң": "н", "ө": "о", "ү": "у"}),
    "kk": str.maketrans(
        {"ә": "а", "ғ": "г", "қ": "к", "ң": "н", "ө": "о", "ұ": "у", "ү": "у", "һ": "х", "і": "и"}
    ),
}

_RU_LETTERS = "абвгдеёжзийклмнопрстуфхцчшщъыьэюя"
# Two common informal ways of typing Russian in Latin letters ("-": nothing).
_RU_TO_LATIN = tuple(
    str.maketrans({c: "" if v == "-" else v for c, v in zip(_RU_LETTERS, spelling.split(), strict=True)})
    for spelling in (
        "a b v g d e yo zh z i y k l m n o p r s t u f h ts ch sh sch - y - e yu ya",
        "a b v g d e e j z i i k l m n o p r s t u f kh c ch sh sh - i ' e ju ja",
    )
)

_UZ_DIGRAPHS = (("o'", "ў"), ("g'", "ғ"), ("sh", "ш"), ("ch", "ч"), ("yo", "ё"), ("yu", "ю"), ("ya", "я"))
_UZ_LETTERS = str.maketrans(
    {
        "a": "а", "b": "б", "d": "д", "e": "е", "f": "ф", "g": "г", "h": "ҳ", "i": "и", "j": "ж",
        "k": "к", "l": "л", "m": "м", "n": "н", "o": "о", "p": "п", "q": "қ", "r": "р", "s": "с",
        "t": "т", "u": "у", "v": "в", "x": "х", "y": "й", "z": "з", "'": "ъ",
    }
)  # fmt: skip
_UZ_INITIAL_E = re.compile(r"(?<![\w'])e")
_UZ_YE = re.compile(r"ye")


def _uz_to_cyrillic(text: str) -> str:
    text = _UZ_INITIAL_E.sub("э", _UZ_YE.sub("е", text))
    for latin, cyrillic in _UZ_DIGRAPHS:
        text = text.replace(latin, cyrillic)
    return text.translate(_UZ_LETTERS)


# Kazakh Cyrillic to the 2021 Latin alphabet, and that alphabet typed on an English keyboard.
_KK_TO_LATIN = str.maketrans(
    {
        "а": "a",
        "ә": "ä",
        "б": "b",
        "в": "v",
        "г": "g",
        "ғ": "ğ",
        "д": "d",
        "е": "e",
        "ё": "io",
        "ж": "j",
        "з": "z",
        "и": "i",
        "й": "i",
        "к": "k",
        "қ": "q",
        "л": "l",
        "м": "m",
        "н": "n",
        "ң": "ñ",
        "о": "o",
        "ө": "ö",
        "п": "p",
        "р": "r",
        "с": "s",
        "т": "t",
        "у": "u",
        "ұ": "ū",
        "ү": "ü",
        "ф": "f",
        "х": "h",
        "һ": "h",
        "ц": "ts",
        "ч": "ch",
        "ш": "ş",
        "щ": "şş",
        "ъ": "",
        "ы": "y",
        "і": "ı",
        "ь": "",
        "э": "e",
        "ю": "iu",
        "я": "ia",
    }
)
_KK_LATIN_PLAIN = str.maketrans(
    {"ä": "a", "ğ": "g", "ñ": "n", "ö": "o", "ū": "u", "ü": "u", "ş": "sh", "ı": "i"}
)


def _normalise(text: str) -> str:
    """Lower case, one kind of apostrophe, runs of anything else that is not a letter one space, padded."""
    text = _NON_LETTER.sub(" ", text.lower())
    for apostrophe in APOSTROPHES:
        if apostrophe in text:
            text = text.replace(apostrophe, "'")
    return " " + " ".join(text.split()) + " "


def _trigrams(text: str) -> Iterator[str]:
    return map("".join, zip(text, text[1:], text[2:], strict=False))


class _Model:
    def __init__(self) -> None:
        corpora: dict[str, str] = {}
        words: dict[str, set[str]] = {}
        for code in LANGUAGES:
            body, lang_words = [], set()
            for line in (_DATA / f"lang_{code}.txt").read_text(encoding="utf-8").splitlines():
                if line.startswith("#words"):
                    lang_words.update(_normalise(line.split(":", 1)[1]).split())
                elif not line.startswith("#"):
                    body.append(line)
            corpora[code] = _normalise("\n".join(body))
            words[code] = lang_words

        ru = corpora["ru"]
        uz = corpora["uz"]
        uz_cyrl = _normalise(_uz_to_cyrillic(uz))
        kk_latin = _normalise(corpora["kk"].translate(_KK_TO_LATIN))
        # (language, script) -> training text
        sources: dict[tuple[str, str], list[str]] = {
            ("ru", "Cyrl"): [ru],
            ("ru", "Latn"): [_normalise(ru.translate(table)) for table in _RU_TO_LATIN],
            ("uz", "Latn"): [uz, uz.replace("'", "")],
            ("uz", "Cyrl"): [uz_cyrl, uz_cyrl.translate(_KEYBOARD["uz"])],
            ("tg", "Cyrl"): [corpora["tg"], corpora["tg"].translate(_KEYBOARD["tg"])],
            ("ky", "Cyrl"): [corpora["ky"], corpora["ky"].translate(_KEYBOARD["ky"])],
            ("kk", "Cyrl"): [corpora["kk"], corpora["kk"].translate(_KEYBOARD["kk"])],
            ("kk", "Latn"): [kk_latin, kk_latin.translate(_KK_LATIN_PLAIN)],
            ("en", "Latn"): [corpora["en"]],
        }
        counts = {
            key: Counter(g for text in texts for g in _trigrams(text)) for key, texts in sources.items()
        }
        vocabulary = sorted(set().union(*counts.values()))
        self.index = {gram: i + 1 for i, gram in enumerate(vocabulary)}  # 0: never seen anywhere
        size = len(vocabulary) + 1
        self.tables: dict[tuple[str, str], list[float]] = {}
        for key, counter in counts.items():
            denominator = math.log(sum(counter.values()) + _SMOOTHING * size)
            unseen = math.log(_SMOOTHING) - denominator
            table = [unseen] * size
            for gram, n in counter.items():
                table[self.index[gram]] = math.log(n + _SMOOTHING) - denominator
            self.tables[key] = table
        self.profiles = {
            script: [key for key in self.tables if key[1] == script] for script in ("Cyrl", "Latn")
        }
        # The same tables as one row per trigram, a column per profile of the script: the scores of
        # a text are then one gather and one sum over the rows. The rows are added in text order,
        # as a sum over each table would, so the scores are the same to the last bit.
        self.matrices = {
            script: numpy.array([self.tables[key] for key in keys], dtype=numpy.float64).T.copy()
            for script, keys in self.profiles.items()
        }

        # Function words: Russian ones also count in their Latin spellings.
        words["ru"] |= {w.translate(table) for w in words["ru"] for table in _RU_TO_LATIN}
        words["uz"] |= {_uz_to_cyrillic(w) for w in words["uz"] if "'" not in w or w.endswith("'")}
        words["kk"] |= {w.translate(_KK_TO_LATIN) for w in words["kk"]}
        self.function_words: dict[str, tuple[tuple[str, float], ...]] = {}
        owners: dict[str, list[str]] = {}
        for code, lang_words in words.items():
            for word in lang_words:
                owners.setdefault(word, []).append(code)
        for word, codes in owners.items():
            # A word several languages share counts for each, but less.
            bonus = _FUNCTION_WORD_BONUS / len(codes)
            self.function_words[word] = tuple((code, bonus) for code in codes)
        self.function_word_set = frozenset(self.function_words)

    def scores(self, text: str) -> dict[str, float]:
        """Log-score per language (higher is better); empty when the text has no letters."""
        norm = _normalise(text)
        letters = len(norm) - norm.count(" ") - norm.count("'")
        if not letters:
            return {}
        # Cyrillic letters take two bytes in UTF-8, Latin ones one (a cheap count, close enough here).
        cyrillic = len(norm.encode()) - len(norm)
        latin = letters - cyrillic
        script = "Cyrl" if cyrillic >= latin else "Latn"
        sample = norm
        if cyrillic and latin:
            foreign = _LATN if script == "Cyrl" else _CYRL
            sample = " ".join(foreign.sub(" ", norm).split()).join("  ")
        if len(sample) > _MAX_SAMPLE:
            # Three evenly spread stretches: enough to tell the language, and bounded time.
            part = _MAX_SAMPLE // 3
            step = (len(sample) - part) // 2
            sample = "".join(sample[i : i + part] for i in range(0, 3 * step, step))
        get = self.index.get
        ids = [get(sample[i : i + 3], 0) for i in range(len(sample) - 2)]
        sums = self.matrices[script][ids].sum(axis=0).tolist() if ids else [0] * len(self.profiles[script])
        result: dict[str, float] = {}
        for key, score in zip(self.profiles[script], sums, strict=True):
            if score > result.get(key[0], -math.inf):
                result[key[0]] = score

        for char, bonuses in (_LETTER_CUES if cyrillic else {}).items():
            n = norm.count(char)
            if n:
                for code, bonus in bonuses.items():
                    if code in result:
                        result[code] += bonus * n
        if latin:
            for cue, bonuses in _LATIN_CUES.items():
                n = norm.count(cue)
                if n:
                    for code, bonus in bonuses.items():
                        if code in result:
                            result[code] += bonus * n

        tokens = Counter(norm.split())
        for word in self.function_word_set.intersection(tokens):
            n = tokens[word]
            for code, bonus in self.function_words[word]:
                if code in result:
                    result[code] += bonus * n
        return result


_model: _Model | None = None
_lock = threading.Lock()


def _get_model() -> _Model:
    global _model
    if _model is None:
        with _lock:
            if _model is None:
                _model = _Model()
    return _model


def language_scores(text: str) -> dict[str, float]:
    """Log-scores per language for ``text`` (higher is better); for diagnostics and tie-breaking."""
    return _get_model().scores(text)


def detect_language(text: str) -> str:
    """The language of ``text``: one of LANGUAGES; DEFAULT_LANGUAGE when there is nothing to go on."""
    scores = _get_model().scores(text)
    if not scores:
        return DEFAULT_LANGUAGE
    return max(scores, key=scores.__getitem__)


def script_of(text: str) -> str:
    """The script of ``text``: "Cyrl", "Latn" or "mixed" (each has a fifth of the letters or more).

    "Cyrl" when there are no letters at all.
    """
    cyrillic = len(_CYRL.findall(text))
    latin = len(_LATN.findall(text))
    total = cyrillic + latin
    if not total:
        return "Cyrl"
    if min(cyrillic, latin) * 5 >= total:
        return "mixed"
    return "Cyrl" if cyrillic > latin else "Latn"


_LINE = re.compile(r"[^\r\n]+")


def _letters(text: str) -> int:
    return sum(1 for c in text if c.isalpha())


def paragraphs(text: str) -> list[tuple[int, int, str]]:
    """``(start, end, language)`` for each paragraph: each non-blank line, surrounding spaces excluded.

    A paragraph too short to judge on its own takes the language of the previous one, or of the
    whole text when it comes first.
    """
    result: list[tuple[int, int, str]] = []
    overall: str | None = None
    for match in _LINE.finditer(text):
        line = match.group()
        stripped = line.strip()
        if not stripped:
            continue
        start = match.start() + (len(line) - len(line.lstrip()))
        end = start + len(stripped)
        if _letters(stripped) >= _SHORT_PARAGRAPH_LETTERS:
            language = detect_language(stripped)
        elif result:
            language = result[-1][2]
        else:
            if overall is None:
                overall = detect_language(text)
            language = overall
        result.append((start, end, language))
    return result
