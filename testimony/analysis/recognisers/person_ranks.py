"""Military and police ranks and service titles, after which a capitalised word is a surname.

"лейтенант Зима", "капитан Сорока", "Kapitan Belyh", "пограничник Фомин": whatever the word is
besides (a noun, an adjective, a number), right after a rank it names the officer. A rank is
followed by what it belongs to in the genitive ("капитан полиции", "майор юстиции"), which is
lower-case and so never taken: only a capitalised word counts, and the words listed in
``SERVICE_AFTER`` (written capitalised at times) never do.
"""

from __future__ import annotations


def _words(s: str) -> frozenset[str]:
    return frozenset(s.split())


RANKS = _words(
    # Russian, with the cases that stand before a surname ("у капитана Сороки", "лейтенанту Зиме")
    "лейтенант лейтенанта лейтенанту лейтенантом капитан капитана капитану капитаном майор майора "
    "майору майором подполковник подполковника подполковнику полковник полковника полковнику "
    "сержант сержанта сержанту сержантом прапорщик прапорщика прапорщику старшина старшины старшине "
    "ефрейтор ефрейтора генерал генерала генералу рядовой рядового младший старший "
    "инспектор инспектора инспектору следователь следователя следователю дознаватель дознавателя "
    "участковый участкового участковому оперуполномоченный опер оперативник пограничник "
    "пограничника пограничнику таможенник таможенника военком военкома "
    # typed in Latin letters
    "leytenant leitenant lieutenant kapitan kapitana mayor maior major podpolkovnik polkovnik "
    "serzhant serjant sergant praporshik praporshchik starshina efreitor general inspektor "
    "sledovatel uchastkovyy uchastkovyi uchastkovoy pogranichnik tamozhennik voenkom "
    # English
    "captain sergeant colonel officer inspector sgt lt col capt maj insp "
    # Uzbek, Kyrgyz, Kazakh, Tajik words for police, border and customs officers
    "polisiyachi полициячи politsiyachi militsioner милиционер bojxonachi божхоначи chegarachi "
    "чегарачи tergovchi терговчи тергөөчү тергеуші шекарашы чек-арачы муфаттиш милиса"
)

# Words for a police officer, a judge or a foreman that stand before a surname ("полиция Семёнов",
# "Sudia Pronin", "politseiskiy Kuzin") but also before what they belong to ("полиция Москвы",
# "судья районного суда"): after these only a word of a Russian surname's shape is taken.
ROLES = _words(
    "полиция полицей полицейский полицейского полицейскому полицейская полис полиса полисия "
    "polisiia polisiya politsiya politsiia politsia polis politsiyachi politseiskiy politseyskiy "
    "politseiskii politseyskii politsejskij politseiskogo militsiya милиция "
    "судья судьи судье судьёй sudia sudya sudiya sudyi sudye суддя sudja "
    "бригадир бригадира бригадиру brigadir brigadira "
    "police policeman policemen cop judge foreman boss officer brigadier"
)
# English: "brigadir is Kuzin", "the judge was Pronin".
ROLE_COPULA = _words("is was")

# Words a rank is followed by that say whose rank it is, sometimes capitalised.
SERVICE_AFTER = _words(
    "полиции милиции юстиции фсб мвд мчс госбезопасности внутренней медицинской запаса "
    "в отставке politsii militsii yustitsii police"
)


def is_rank(lower: str) -> bool:
    return lower in RANKS


def is_role(lower: str) -> bool:
    return lower in ROLES or lower in RANKS


def service_word(lower: str) -> bool:
    return lower in SERVICE_AFTER
