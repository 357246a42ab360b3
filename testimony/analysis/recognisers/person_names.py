"""Given names the lexicon does not list but can derive: compounds and diminutives.

* Central Asian names are compounds of name elements: "Давлатмурод" (Давлат + Мурод),
  "Абдурашид" (Абду + Рашид), "Нурсултан", "Тоҷиддин", "Алибай", "Гүлназ". A word that splits
  into a listed name (or a first element such as "абду", "нур", "гул") and a listed name (or a
  second element such as "-мурод", "-бек", "-гул", "-берди", "-иддин") is a given name.
* Diminutives: Russian short forms take "-ка", "-ик", "-ёк", "-уля", "-юша"... ("Сашка",
  "Женёк", "Юрик"), Central Asian names are clipped and take "-ик"/"-ік"/"-чик" ("Нурик" of
  Нурбек or Нурсултан, "Жасик" of Жасулан, "Рустамчик").

All comparisons are on spelling skeletons (``person._skeleton``), so one rule serves every script;
the caller passes the skeleton function and the lexicon's sorted given names.

Also here, loaded once per process: natasha's dictionary of first names and how our alphabets'
words read in its Russian spelling, and the common words of the language detector's samples.
"""

from __future__ import annotations

import re
import threading
from bisect import bisect_left
from collections.abc import Callable, Collection
from pathlib import Path


def _words(s: str) -> list[str]:
    return s.split()


# Skeletons of first and second elements of compound names (see person._skeleton: о->a, е->i,
# х->h, ж->j, double letters single). Short ones need a listed name on the other side.
FIRST_ELEMENTS = frozenset(_words("abdu abdul abdur abdi nur gul ai mir shir sar hudai alla tuhta"))
SECOND_ELEMENTS = frozenset(
    _words(
        "murad bik jan han bai gul nur ali idin udin ula ulah nazar birdi kul tash dil baht shah sha "
        "bakt sultan rasul hasan husain iar bika nisa hadja hoja"
    )
)
MIN_PART = 3  # each side of a compound has at least this many letters (of its skeleton)

# Diminutive endings: Central Asian clipped names (the stem is the start of a listed name) and
# Russian short forms (the stem plus "а"/"я" or nothing is a listed name).
CLIPPED_ENDINGS = tuple(_words("чик чік chik ик ік ik ish ош"))
RUSSIAN_ENDINGS = tuple(
    _words(
        "енька онька ечка очка юша уша уля юля уня юня ёк ек ок ка ик ян юха уха ёха ёша "
        "yenka onka echka ochka yusha usha ulya yok ok ka ik yan yukha ukha"
    )
)
_ALL_LAST = frozenset(end[-1] for end in CLIPPED_ENDINGS + RUSSIAN_ENDINGS)


def has_prefix(sorted_keys: tuple[str, ...], pre: str, *, longer_by: int = 0) -> bool:
    """Whether some key starts with ``pre`` and is at least ``longer_by`` letters longer."""
    i = bisect_left(sorted_keys, pre)
    while i < len(sorted_keys) and sorted_keys[i].startswith(pre):
        if len(sorted_keys[i]) >= len(pre) + longer_by:
            return True
        i += 1
    return False


_ends_cache: dict[tuple[int, int], frozenset[str]] = {}


def _ends_of(given: Collection[str]) -> frozenset[str]:
    """The last ``MIN_PART`` letters of every listed name and second element (cached per lexicon)."""
    key = (id(given), len(given))
    got = _ends_cache.get(key)
    if got is None:
        got = frozenset(w[-MIN_PART:] for w in (*given, *SECOND_ELEMENTS) if len(w) >= MIN_PART)
        _ends_cache.clear()  # one lexicon per process; a test's own set replaces it
        _ends_cache[key] = got
    return got


def compound(sk: str, given: Collection[str], ambiguous: Collection[str] = ()) -> tuple[str, bool] | None:
    """(the skeleton, whether it is a name for sure) when skeleton ``sk`` splits into two name
    parts, else None. A part that is also a common word (``ambiguous``) makes the whole uncertain;
    a listed name as the second part needs four letters ("азамат" + "ари" is "азаматтары", the
    citizens)."""
    if len(sk) < 2 * MIN_PART:
        return None
    ends = _ends_of(given)
    if sk[-MIN_PART:] not in ends:
        return None  # no listed name or second element ends like this word: most words stop here
    for cut in range(MIN_PART, len(sk) - MIN_PART + 1):
        a, b = sk[:cut], sk[cut:]
        a_name, b_name = a in given, b in given and len(b) > MIN_PART
        if (a_name and (b_name or b in SECOND_ELEMENTS)) or (b_name and a in FIRST_ELEMENTS):
            return sk, a not in ambiguous and b not in ambiguous
    return None


def diminutive(
    word: str, skeleton: Callable[[str], str], given: Collection[str], given_sorted: tuple[str, ...]
) -> str | None:
    """The key of the name lower-case ``word`` is a diminutive of: the listed short form's skeleton
    for a Russian one ("сашка" -> саша), the word's own for a clipped one ("нурик"), else None."""
    if len(word) < 4 or word[-1] not in _ALL_LAST:
        return None
    for end in RUSSIAN_ENDINGS:
        if word.endswith(end) and len(word) - len(end) >= 2:
            stem = word[: -len(end)]
            head = skeleton(stem)[:-1]  # (its last letter may fold with the tail's)
            if len(head) >= 2 and not has_prefix(given_sorted, head):
                continue  # no listed name starts like this stem
            for tail in ("а", "я", "") if not stem.isascii() else ("a", "ya", ""):
                sk = skeleton(stem + tail)
                if len(sk) >= MIN_PART and sk in given:
                    return sk
    for end in CLIPPED_ENDINGS:
        if word.endswith(end) and len(word) - len(end) >= MIN_PART:
            stem = skeleton(word[: -len(end)])
            if len(stem) >= MIN_PART and (stem in given or has_prefix(given_sorted, stem, longer_by=2)):
                return skeleton(word)
    return None


# Kazakh and Kyrgyz respectful short forms: the first syllable or two of a name and "-ке"/"-еке"
# ("Нұреке" of Нұрлан, "Бауке" of Бауыржан, "Дәке" of Дәурен), with "-ң" (your) or a case after.
RESPECTFUL_ENDINGS = tuple(_words("еке ке аке eke ke ake"))
_RESPECTFUL_AFTER = tuple(_words("ң ñ ń ng ни ні ге ке ға ның нің ni nı ge ke ǵa niñ nıñ ny"))
_SHORT_RESPECTFUL_VOWELS = frozenset("әä")


def respectful(word: str, skeleton: Callable[[str], str], given_sorted: tuple[str, ...]) -> str | None:
    """The key of a respectful short form ("нұрекең", "säke", "baukeni"): a stem of three letters or
    more that begins a listed name two letters longer, or of two letters ending in "ә" (Сәке, Дәке,
    Жәке); None for anything else. Callers keep out common words ("жеке", "мереке")."""
    if "ке" not in word and "ke" not in word:
        return None  # (most words: every form this reads ends in "-ке"/"-ke")
    forms = [word]
    for tail in _RESPECTFUL_AFTER:
        if word.endswith(tail) and len(word) - len(tail) >= 4:
            forms.append(word[: -len(tail)])
    for form in forms:
        for end in RESPECTFUL_ENDINGS:
            if not form.endswith(end):
                continue
            stem = form[: -len(end)]
            if len(stem) == 2 and stem[1] in _SHORT_RESPECTFUL_VOWELS:
                return skeleton(form)
            sk = skeleton(stem)
            if len(stem) >= 3 and len(sk) >= 3 and has_prefix(given_sorted, sk, longer_by=2):
                return skeleton(form)
    return None


# ---------------------------------------------------------------------------------------------
# natasha's first names, and our words in Russian spelling
# ---------------------------------------------------------------------------------------------

_lock = threading.Lock()
_first_names: frozenset[str] | None = None
_samples: dict[Path, frozenset[str]] = {}


def natasha_first_names() -> frozenset[str]:
    """The first names natasha ships (``natasha/data/dict/first.txt``, MIT licence; thousands,
    many Central Asian and Caucasian), lower-case Cyrillic with ё as е, of four letters or more.

    Matched as written, not by skeleton: folded, so many of them meet common words of some
    language ("menya", "name")."""
    global _first_names
    if _first_names is None:
        with _lock:
            if _first_names is None:
                try:
                    import natasha

                    path = Path(natasha.__file__).parent / "data" / "dict" / "first.txt"
                    lines = path.read_text(encoding="utf-8").splitlines()
                except (ImportError, OSError):  # pragma: no cover - natasha without its dictionaries
                    lines = []
                words = (line.split("#", 1)[0].strip().replace("ё", "е") for line in lines)
                _first_names = frozenset(w for w in words if len(w) >= 4)
    return _first_names


# Kazakh, Kyrgyz, Uzbek and Tajik letters as Russian spelling writes names: Нұрлыбек -> нурлыбек.
_TO_RUSSIAN_LETTERS = str.maketrans(
    {"ә": "а", "ғ": "г", "қ": "к", "ң": "н", "ө": "о", "ұ": "у", "ү": "у", "һ": "х", "і": "и", "ҳ": "х",
     "ҷ": "дж", "ӣ": "и", "ӯ": "у", "ў": "у"}
)  # fmt: skip
_NON_RUSSIAN = re.compile("[әғқңөұүһіҳҷӣӯў]")


def russian_spelling(word: str) -> str:
    """A lower-case Cyrillic word with the letters Russian lacks as Russian writes them."""
    return word.translate(_TO_RUSSIAN_LETTERS) if _NON_RUSSIAN.search(word) else word


# Uzbek, Kazakh, Kyrgyz and Tajik Latin letters as Russian spelling writes them: Shuhrat -> шухрат,
# Zulayho -> зулайхо, Jamshed -> джамшед or жамшед.
_LATIN = (
    ("o'", "у"), ("oʻ", "у"), ("o’", "у"), ("g'", "г"), ("gʻ", "г"), ("g’", "г"), ("sh", "ш"),
    ("ch", "ч"), ("zh", "ж"), ("kh", "х"), ("gh", "г"), ("ts", "ц"), ("yo", "е"), ("yu", "ю"),
    ("ya", "я"), ("ye", "е"), ("a", "а"), ("b", "б"), ("d", "д"), ("e", "е"), ("f", "ф"), ("g", "г"),
    ("h", "х"), ("i", "и"), ("k", "к"), ("l", "л"), ("m", "м"), ("n", "н"), ("o", "о"), ("p", "п"),
    ("q", "к"), ("r", "р"), ("s", "с"), ("t", "т"), ("u", "у"), ("v", "в"), ("x", "х"), ("y", "й"),
    ("z", "з"), ("j", "j"), ("ı", "ы"), ("ú", "у"), ("ü", "у"), ("ó", "о"), ("ö", "о"), ("á", "а"),
    ("ä", "а"), ("ǵ", "г"), ("ğ", "г"), ("ń", "н"), ("ñ", "н"), ("ş", "ш"), ("ç", "ч"), ("ū", "у"),
    ("w", "в"),
)  # fmt: skip
_LATIN_MAP = dict(_LATIN)
_LATIN_TOKEN = re.compile("|".join(re.escape(a) for a, _b in _LATIN))


def latin_russian_spellings(word: str) -> tuple[str, ...]:
    """A lower-case Latin word in Russian spelling ("j" as "дж" and as "ж"); () when it has a
    letter none of our Latin alphabets has."""
    if "\u0307" in word:  # "İnabat".lower() keeps the dot of İ as a combining mark
        word = word.replace("\u0307", "")
    pieces = _LATIN_TOKEN.findall(word)
    if "".join(pieces) != word:
        return ()
    cyr = "".join(_LATIN_MAP[p] for p in pieces)
    forms = (cyr.replace("j", "дж"), cyr.replace("j", "ж")) if "j" in cyr else (cyr,)
    if "ı" in word:
        # Kazakh Latin writes і as ı where y stands for ы ("Jeñıs" = Жеңіс, "Temırjan" = Темiржан)
        forms += tuple(f.replace("ы", "и") for f in forms)
    return forms


_SAMPLE_WORD = re.compile(r"[^\W\d_]+(?:['ʻʼ’‘`][^\W\d_]+)*")
# What may stand between a sentence's end and its first word, and what ends a sentence.
OPENERS = frozenset(" \t\u00a0«»\"“”„'(—–-*•")
SENTENCE_END = frozenset(".!?…\n")


# Kyrgyz, Kazakh and Uzbek plural suffixes ("адамдар", "kyrgyzdar"): a name takes none.
PLURAL_SUFFIXES = "лар|лер|дар|дер|тар|тер|лор|лөр|дор|дөр|тор|төр|lar|ler|dar|der|tar|ter"


def char_before(text: str, i: int) -> str:
    """The character before the word at ``i``, past spaces, quotes, brackets and dashes ("" at
    the text's start)."""
    j = i - 1
    while j >= 0 and text[j] in OPENERS:
        j -= 1
    return text[j] if j >= 0 else ""


def sentence_start(text: str, i: int) -> bool:
    """Whether the word at ``i`` opens a sentence (or the text)."""
    before = char_before(text, i)
    return not before or before in SENTENCE_END


def sample_words(data: Path) -> frozenset[str]:
    """Lower-case words of the language detector's sample texts (``data/lang_*.txt``), written
    without personal names: common words of our six languages ("бүгін", "кеше", "потом"). Words
    capitalised inside a sentence there (places, institutions) are left out."""
    got = _samples.get(data)
    if got is None:
        with _lock:
            got = _samples.get(data)
            if got is None:
                out: set[str] = set()
                for path in sorted(data.glob("lang_*.txt")):
                    for line in path.read_text(encoding="utf-8").splitlines():
                        if line.startswith("#words"):
                            out.update(line.split(":", 1)[1].lower().split())
                        elif not line.startswith("#"):
                            for m in _SAMPLE_WORD.finditer(line):
                                word = m.group()
                                if not word[0].isupper() or sentence_start(line, m.start()):
                                    out.add(word.lower())
                got = _samples[data] = frozenset(out)
    return got
