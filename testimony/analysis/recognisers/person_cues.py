"""Words around a name that make it one, beyond a fixed list of cue words.

* Kinship and role words carry Turkic possessive and case endings and the Tajik izofa ("иним",
  "анасы" her mother, "прорабыбыз" our foreman, "ҷӯраам" my friend, "сардори" the chief of,
  "akasi", "brigadirimiz"): ``KinWords`` takes such an ending off before the look-up.
* Russian kinship and role words are typed in Latin letters ("bratishka", "sestrenka",
  "uchastkovyi"): ``KinWords`` also reads a Latin word as Russian.
* Turkic and Tajik name a person with a verb or participle after the name: "Alsu degan ayol",
  "Жасик деп атайды", "Маро Қодир меноманд", "Нұрік дейміз": ``named_before`` says whether the
  words after a token are such a phrase.

Pure functions over lower-case words; the person recogniser decides what to do with the answers.
"""

from __future__ import annotations

from collections.abc import Callable, Collection


def _words(s: str) -> list[str]:
    return s.split()


# Kinship and role nouns in their bare form, to which Turkic and Tajik endings are added.
KIN_STEMS = frozenset(
    _words(
        # Kyrgyz and Kazakh
        "ага аға ини іні эже әпке апа ата эне ана аял әйел күйөө күйеу дос жолдош жолдас уул ұл кыз қыз "
        "карындаш қарындас сіңлі синди бажа жезде жээн жиен таеже тайаке бала балдар кошуна көрші "
        "кожоюн қожайын прораб бригадир мастер начальник участковый полициячи полицей кызматкер "
        "қызметкер башчы бастық жетекчи жетекші курбу дугана досы тууган туыс жумушчу жұмысшы "
        # Uzbek, Cyrillic and Latin
        "ака ука опа сингил ота она хотин эр дўст ўғил қиз жиян амаки тоға холa ошна ҳамкасб қўшни "
        "хўжайин бригадир aka uka opa singil ota ona xotin er do'st doʻst o'g'il oʻgʻil qiz jiyan amaki "
        "tog'a xola oshna hamkasb qo'shni xo'jayin brigadir prorab master nachalnik uchastkovoy "
        "politsiyachi militsioner "
        # Tajik
        "бародар хоҳар хохар писар духтар падар модар зан шавҳар шавхар дӯст дуст ҷӯра чура ҳамсоя "
        "хӯҷаин хуҷаин хозяин сардор раҳбар амак тағо хола ҳамкор "
        "barodar xohar khohar pisar duxtar dukhtar padar modar shavhar shavkhar do'st jo'ra jura "
        "hamsoya xo'jain xojain sardor hamkor "
        # friends and in-laws: "рафиқам", "қайнонам", "qaynonam", "kuyoom", "äielım"
        "рафиқ рафиқа rafiq rafiqa қайнона қайнота qaynona qaynota қайнаға қайынаға қайынаға "
        "kuyoo küyöö kuieu kúieu äiel aiel áiel"
    )
)
# Possessive and case endings a kinship word takes: my, your, his/her, our; the Tajik izofa and
# "-ам" (my), "-аш" (his). Longest first.
KIN_ENDINGS = tuple(
    sorted(
        set(
            _words(
                "ым им ум үм м ың иң ң ы и сы си су сү сі і ыбыз ибиз убуз үбүз ымыз іміз мыз міз "
                "ымдын имдин ынын инин сынын синин сының сінің ына ине сына сине ын ін сын сін "
                "ам ат аш амон атон ашон и ро ям яш "
                "im m ing ng i si imiz miz imizning imni ining ini ga am ash ro amro ashro amon ashon "
                "ım ı sı ımyz"
            )
        ),
        key=len,
        reverse=True,
    )
)
# Verbs and participles of naming that follow the name.
NAMED_AFTER = frozenset(
    _words(
        "degan деган деген дегән дэгэн дегон ismli исмли номли nomli атты аттуу есімді "
        "меноманд меноманду меномем дейміз дейбиз deymiz deyishadi дейишади"
    )
)
# "деп"/"deb" name only with a verb of calling after it ("Жасик деп атайды"); alone it closes a
# quotation ('"жасалма" деп айрып салды').
NAMING_QUOTE = frozenset(_words("деп деб deb dep dep"))
CALLING = frozenset(
    _words(
        "атайды атайт атаймыз аташат атайбыз аташат атайсыз чакырат чакырышат чакырабыз чакырышчу "
        "atashadi ataydi ataymiz chaqirishadi chaqiramiz chaqiradi chaqirishardi chaqirardi "
        "чақиришади чақирамиз чақиради атайди аташади айтышат атайтын атаушы"
    )
)
# Things named the same way: "Migrant Servis degan firma", "Жаңы Жол деген компания".
NAMED_THINGS = frozenset(
    _words(
        "firma фирма kompaniya компания компаниясы joy жер жай shahar шаар қала qishloq айыл ауыл "
        "ko'cha koʻcha көчө көше kafe кафе restoran ресторан magazin магазин дүкөн дүкен do'kon "
        "bozor базар sayt сайт kanal канал guruh топ группа dastur бағдарлама программа tashkilot "
        "уюм ұйым ташкилот ширкат корхона korxona mahalla маҳалла район rayon tuman туман кенти "
        "жатакана yotoqxona хобгоҳ мактаб maktab мектеп завод zavod склад sklad "
        # words: "Ерік деген сөз" (the word 'will'), "Umid degan so'z"
        "сөз сөзі сөзү söz sözı so'z soʻz сўз калима kalima ном"
    )
)

# "Апам мени Айбегим дейт", "menı Nūreke deidı", "Русҳо маро Дилка мегӯянд", "hama uro Siyo
# meguyand", "онҳо Гуля мегуфтанд": a word between a pronoun and a verb of saying is what the
# person is called. Either alone says little ("мени Бишкекке жиберет", "Азамат дейт" = says).
CALLED_PRONOUNS = frozenset(
    _words(
        "мени мене мені meni menı мына маро maro мара уро uro ӯро аны ону оны ony onı uni уни ани "
        "бизни bizni бізді bizdi бизди моро moro шуморо онҳо onho онхо улар ular алар олар olar"
    )
)
SAYING_AFTER = frozenset(
    _words(
        "дейт дейт дешет дейшет дейди дейді дейтін дейді дейдi деген дейишади деб deb deyt deishet "
        "deidı deidi deydi deyishadi deishadi мегӯянд мегуянд мегуфтанд мегуфт meguyand megūyand "
        "meguftand megüyand мегӯем мегуем meguem"
    )
)
# English: "friends call me Bekbo", "we call him Yerke", "the guards called me Gulya".
ENGLISH_CALLING = frozenset(_words("call calls called calling"))
ENGLISH_OBJECTS = frozenset(_words("me him her them us"))


def called_between(before: str, after: str) -> bool:
    """Whether a word between ``before`` and ``after`` (lower-case) is what someone is called:
    "мени _ дейт", "маро _ мегӯянд"."""
    return before in CALLED_PRONOUNS and after in SAYING_AFTER


def called_english(two_before: str, before: str) -> bool:
    """Whether the word after "call me", "called him"... is what someone is called."""
    return two_before in ENGLISH_CALLING and before in ENGLISH_OBJECTS


# "Бакыт деген эмне?" (what is happiness?): a word defined, not a person named.
WHAT = frozenset(_words("эмне emne не ne нима nima нимә что chto what чӣ chi"))

_ENDINGS_BY_LEN = {n: frozenset(e for e in KIN_ENDINGS if len(e) == n) for n in {len(e) for e in KIN_ENDINGS}}


class KinWords:
    """Kinship and role words: ``triggers``, a ``KIN_STEMS`` or trigger word with a possessive or
    case ending, or a trigger typed in Latin letters (``latin_to_cyrillic`` reads a lower-case
    Latin word as Russian, None when it cannot). ``word in kin_words`` for lower-case words."""

    def __init__(self, triggers: Collection[str], latin_to_cyrillic: Callable[[str], str | None]) -> None:
        self.triggers = frozenset(triggers)
        self.stems = KIN_STEMS | self.triggers
        # cheap rejections: most words share no first letters with any of these
        self.prefixes = frozenset(w[:3] for w in self.stems)
        self.cyrillic_prefixes = frozenset(w[:2] for w in self.triggers if not w.isascii())
        self.latin_to_cyrillic = latin_to_cyrillic

    def __contains__(self, word: object) -> bool:
        if not isinstance(word, str):
            return False
        if word in self.triggers or (len(word) >= 5 and word in KIN_STEMS):
            return True  # (a short bare stem is not enough: Kyrgyz "ага" is also "to him", "бала" a child)
        if word[:3] in self.prefixes:
            for n, endings in _ENDINGS_BY_LEN.items():
                if len(word) - n >= 3 and word[-n:] in endings and word[:-n] in self.stems:
                    return True
        if word.isascii() and word.isalpha():
            head = self.latin_to_cyrillic(word[:4])
            if head is None or head[:2] not in self.cyrillic_prefixes:
                return False
            return self.latin_to_cyrillic(word) in self.triggers
        return False


def named_before(following: list[str]) -> bool:
    """Whether ``following`` (the lower-case words after a token, at most three) says the token is
    what someone is called: "degan ayol", "деп атайды", "меноманд"."""
    if not following:
        return False
    first = following[0]
    if first in NAMED_AFTER:
        return not (len(following) > 1 and (following[1] in NAMED_THINGS or following[1] in WHAT))
    if first in NAMING_QUOTE and len(following) > 1:
        return following[1] in CALLING or (len(following) > 2 and following[2] in CALLING)
    return False
