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
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Collection


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


def compound(sk: str, given: Collection[str], ambiguous: Collection[str] = ()) -> tuple[str, bool] | None:
    """(the skeleton, whether it is a name for sure) when skeleton ``sk`` splits into two name
    parts, else None. A part that is also a common word (``ambiguous``) makes the whole uncertain;
    a listed name as the second part needs four letters ("азамат" + "ари" is "азаматтары", the
    citizens)."""
    if len(sk) < 2 * MIN_PART:
        return None
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
