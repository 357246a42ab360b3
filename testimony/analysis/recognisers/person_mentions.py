"""Further mentions of people a report has already named.

Once a word is part of a PERSON span, its other occurrences in the same report are the same
person's, also inflected: "участковый Королёв ... Королёвго 15 миң берсең", "Полициячи Дмитров ...
Дмитровнинг шериги", "иним Эламан ... Эламанды эртең менен чыгарышты", "Vadim ... Vadimnıñ
maşinasy", "Меҳрубонро ... Меҳрубон-ро", "my brother Bekhzod ... Bekhzods phone". A writer names
someone carefully once and then refers to them loosely: at the start of a sentence, in a case the
lexicon cannot undo, in lower case, with an English possessive typed without its apostrophe.

``further_mentions`` only matches words; whether a match may be a person there (not the town of the
same name after "в", not a common word in lower case) is the caller's ``keep``.

Pure functions, no state.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterable
from itertools import product


def _words(s: str) -> list[str]:
    return s.split()


# Russian case endings of names (Холиков -> Холикова, Холиковым; Анна -> Анну, Анной).
RUSSIAN_ENDINGS = frozenset(
    _words(
        "а я у ю е ы и ой ей ом ем ым им ою ею ого его ому ему ая ую ий ый "
        "a ya u yu e y i oy ey om em ym im oyu ogo omu"
    )
)
# Turkic case and possessive endings in Cyrillic (Uzbek, Kyrgyz, Kazakh) and the Tajik izofa and
# object marker; the Latin spellings are generated from these (``latin_variants``).
TURKIC_ENDINGS_CYRILLIC = tuple(
    _words(
        "нинг ни га ка қа да та дан тан даги дек ники ники ро и ба "  # Uzbek, Tajik (spoken "-ба": to)
        "нын нин нун нүн дын дин дун дүн тын тин тун түн ны ни ну нү ды ди ду дү ты ти ту тү "  # Kyrgyz
        "га ка го ко гө кө ге ке а е о ө дан ден дон дөн тан тен тон төн нан нен нон нөн "
        "ның нің дың дің тың тің ны ні ды ді ты ті ға ғе қа ке на не нан нен дан ден тан тен "
        "мен бен пен менен менен "
        "ым им ум үм ың иң ыңыз иңиз сы си су сү ы і ын ін ыбыз ибиз "  # possessives
    )
)
# How Kazakh, Kyrgyz and Uzbek Cyrillic letters are typed in Latin letters: the official Kazakh
# alphabets of 2018 and 2021, Turkish-keyboard habits and plain ASCII.
_LATIN_LETTERS = {
    "а": ("a",), "ә": ("á", "ä", "a"), "б": ("b",), "г": ("g",), "ғ": ("ǵ", "ğ", "g", "gh", "g'"),
    "д": ("d",), "е": ("e",), "и": ("i", "ı"), "і": ("i", "ı"), "ы": ("y", "ı", "i"), "к": ("k",),
    "қ": ("q", "k"), "м": ("m",), "н": ("n",), "ң": ("ń", "ñ", "ň", "ng", "n"), "о": ("o",),
    "ө": ("ó", "ö", "o"), "п": ("p",), "р": ("r",), "с": ("s",), "т": ("t",), "у": ("u",),
    "ү": ("ú", "ü", "u"), "ұ": ("u", "ū"), "з": ("z",),
}  # fmt: skip


def latin_variants(suffix: str) -> set[str]:
    """Every Latin spelling of a Cyrillic ending: "ның" -> nyń, nıñ, nyng, nin..."""
    choices = []
    for ch in suffix:
        letters = _LATIN_LETTERS.get(ch)
        if letters is None:
            return set()
        choices.append(letters)
    return {"".join(p) for p in product(*choices)}


TURKIC_ENDINGS = frozenset(TURKIC_ENDINGS_CYRILLIC) | frozenset(
    v for suffix in TURKIC_ENDINGS_CYRILLIC for v in latin_variants(suffix)
)
ENGLISH_ENDINGS = frozenset(["s", "'s", "’s"])
ENDINGS = RUSSIAN_ENDINGS | TURKIC_ENDINGS
_MAX_ENDING = max(len(e) for e in ENDINGS)
# Stems shorter than this are not cut from a name: "Ислом" gives no "исл" that "Ислам" would match.
MIN_STEM = 4
MIN_WORD = 3

_LATIN = re.compile(r"[a-zA-Z]")


def stems(word: str) -> set[str]:
    """The lower-case word and what is left of it without one ending, when at least ``MIN_STEM``
    letters are left."""
    w = word.lower()
    out = {w}
    for n in range(1, min(_MAX_ENDING, len(w) - MIN_STEM) + 1):
        if w[-n:] in ENDINGS:
            out.add(w[:-n])
    return out


def inflection_of(token: str, stem: str, *, exact_stem: bool) -> bool:
    """Whether ``token`` (lower case) is ``stem`` or ``stem`` plus one ending. ``exact_stem``: the
    stem is the name word itself (any ending), else a stem cut from it (at least ``MIN_STEM``)."""
    if not token.startswith(stem):
        return False
    rest = token[len(stem) :]
    if not rest:
        return True
    if not exact_stem and len(stem) < MIN_STEM:
        return False
    if rest in ENDINGS:
        return True
    return rest in ENGLISH_ENDINGS and len(stem) >= MIN_STEM and _LATIN.match(stem) is not None


def further_mentions(
    tokens: Iterable[tuple[int, int, str]],
    names: Iterable[tuple[str, str | None]],
    covered: list[tuple[int, int]],
    keep: Callable[[int, int, str, str], bool],
) -> list[tuple[int, int, str | None]]:
    """(start, end, key) of each token outside ``covered`` that is a ``names`` word or its
    inflection, where ``keep(start, end, token, name_word)`` allows it.

    ``names`` are (word, key) of the words inside PERSON spans; ``tokens`` (start, end, word) of
    the text."""
    table: dict[str, list[tuple[str, bool, str, str | None]]] = {}
    for word, key in names:
        if len(word) < MIN_WORD or not word[0].isalpha():
            continue
        lower = word.lower()
        for stem in stems(word):
            table.setdefault(stem[:3], []).append((stem, stem == lower, word, key))
    if not table:
        return []
    spans = sorted(covered)
    out = []
    for start, end, token in tokens:
        if len(token) < MIN_WORD:
            continue
        lower = token.lower()
        entries = table.get(lower[:3])
        if not entries or any(a < end and start < b for a, b in spans):
            continue
        best = None
        for stem, exact, word, key in entries:
            if inflection_of(lower, stem, exact_stem=exact) and (best is None or len(stem) > len(best[0])):
                best = (stem, word, key)
        if best is not None and keep(start, end, token, best[1]):
            out.append((start, end, best[2]))
    return out


_OPEN_AFTER = re.compile(r"[ \t\u00a0]*\([ \t\u00a0]*")
_OPEN_BEFORE = re.compile(r"[ \t\u00a0]*\([ \t\u00a0]*$")


def parenthesised_neighbours(
    text: str,
    tokens: list[tuple[int, int, str]],
    spans: list[tuple[int, int, str | None]],
    naming: Collection[str] = (),
) -> list[tuple[int, int]]:
    """(token index, span index) of words that stand beside a PERSON span across an opening
    parenthesis: another name of the same person, as writers give one ("Жека (Евгений)", "nurik
    (Nurbek)", "Umid (surname Rakhimov)", "Bekhzod (Bekhzodjon at home)"). The word is the first
    inside the parenthesis after a span, or the last before a parenthesis that opens a span (or a
    ``naming`` word and then the span)."""
    starts = {tok[0]: i for i, tok in enumerate(tokens)}
    ends = {tok[1]: i for i, tok in enumerate(tokens)}
    out = []
    for k, (start, end, _key) in enumerate(spans):
        m = _OPEN_AFTER.match(text, end)
        if m is not None and m.end() in starts:
            out.append((starts[m.end()], k))
        i = starts.get(start)
        if i is None:
            continue
        if i >= 1 and tokens[i - 1][2].lower() in naming and tokens[i - 1][1] + 1 >= start - 1:
            i -= 1  # "(surname Rakhimov)"
        m = _OPEN_BEFORE.search(text, max(0, tokens[i][0] - 4), tokens[i][0])
        if m is not None and m.start() in ends:
            out.append((ends[m.start()], k))
    return out
