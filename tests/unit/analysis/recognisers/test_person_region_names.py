"""Central Asian given names in their everyday spellings and forms: Tajik typed without its own
letters, Kazakh "whose one" (-дікі), Russian "-чик" diminutives and possessives of names, Korean
surnames after a first name; and towns named like surnames that stay readable."""

from __future__ import annotations

import pytest

from testimony.analysis.recognisers import person


def texts(text: str, language: str | None = None) -> list[str]:
    return [text[s.start : s.end] for s in person.find(text, language=language)]


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        # Tajik typed on a Russian keyboard: ч for ҷ
        ("Бародарам Чамшед дар Маскав кор мекунад.", "tg", ["Чамшед"]),
        ("Духтарам Мавчуда ҳоло дар хона аст.", "tg", ["Мавчуда"]),
        # Kazakh "whose one": "Бекнұрдікі" (Бекнұр's), invariant front vowels after a back stem
        ("Менің нөмірім осы, Бекнұрдікі басқа.", "kk", ["Бекнұрдікі"]),
        ("Менің нөмірім осы, Нұрболаттікі басқа.", "kk", ["Нұрболаттікі"]),
        # a "-чик" diminutive of a whole listed name, opening a sentence
        ("Rustamchik ne prishel na rabotu.", "ru", ["Rustamchik"]),
        # a Russian possessive of a name in -а: "Зулайхин номер" (Zulaykho's)
        ("Мой номер у вас, Зулайхин номер тоже.", "ru", ["Зулайхин"]),
        # a Korean surname after a first name
        ("Бригадир Вадим Пак платил нам наличными.", "ru", ["Вадим Пак"]),
        ("Прораб Виктор Ким отправил нас в Находку.", "ru", ["Виктор Ким"]),
        # general vocabulary: Kazakh, Kyrgyz, Tajik, Turkmen names the lexicon now knows
        ("Інім Ерсайын сол күні ұсталды.", "kk", ["Ерсайын"]),
        ("Карындашым Бегайым Москвада иштейт.", "ky", ["Бегайым"]),
        ("Писарам Меҳроб дар бозор кор мекунад.", "tg", ["Меҳроб"]),
    ],
)
def test_region_names(text, language, expected):
    assert texts(text, language) == expected


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        # the same words as common words: a lower-case flower beside the capitalised name
        ("Дар ҳавлиамон бунафша гул кард, Бунафша хурсанд шуд.", "tg", ["Бунафша"]),
        ("Ерік деген сөз, еркіндік деген сөз.", "kk", []),
        ("Машины стояли у склада, хозяин машины ругался.", "ru", []),
        ("I saw an advert in a Telegram channel for work.", "en", []),
        # "ким" (who) in Kyrgyz, with no first name before it
        ("Ким келди? Эч ким билбейт.", "ky", []),
        # towns named like surnames, by the words before them
        ("Я пишу из Каримова, это наш город.", "ru", []),
        ("Мы работали в Красной Поляне и в Гусеве.", "ru", []),
        ("Шаҳри Ғафуров калон нест.", "tg", []),
        ("My zhili v Krasnoi Polyane dva goda.", "ru", []),
        # ... but the same surname with a first name is the man
        ("Открытки из Гафурова приходили, Гафуров Рустам звонил.", "ru", ["Гафуров Рустам"]),
        # an initial is no "г." (town) before a surname
        ("Карта эгаси Б. Норматова, пулни ўшанга ташланг.", "uz", ["Б. Норматова"]),
    ],
)
def test_look_alikes_stay(text, language, expected):
    assert texts(text, language) == expected


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        # my/our + a case on a name: "Эрланымды" (my Erlan, accusative)
        ("Кечээ рейд болуп, Эрланымды алып кетишти.", "ky", ["Эрланымды"]),
        # "күнү-түнү" (day and night) after a name that is no weekday
        ("Эжебиз Гүлнара күнү-түнү ыйлайт.", "ky", ["Гүлнара"]),
        # ... while a weekday that is a name too stays the day
        ("Жума күнү келди.", "ky", []),
        # a Russian surname in -ин under a Kazakh/Kyrgyz case, by Russian's dictionary (-ин is a
        # genitive there too: "Менин", "болатын")
        ("Біз Никитиннің кабинетінде отырдық.", "kk", ["Никитиннің"]),
        ("Акчаны кечээ Бородинге бердик.", "ky", ["Бородинге"]),
        ("Бул менин үйүм, биз болатын жерде.", "ky", []),
        # "бердик" (we gave) is no pet name
        ("Акчаны бердик, ал кайтарган жок.", "ky", []),
    ],
)
def test_forms_of_names(text, language, expected):
    assert texts(text, language) == expected


@pytest.mark.parametrize(
    ("text", "language"),
    [
        # towns that are surnames too stay towns where the dictionary knows the town
        ("Мы жили в Кирове, потом Киров надоел.", "ru"),
        ("Работали в Гусеве два года.", "ru"),
    ],
)
def test_towns_that_are_surnames_stay(text, language):
    assert texts(text, language) == []


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        # a given name that is also a town's, between a kinship word and a surname
        ("Менің інім Алтай Сейітов Алматыда тұрады.", "kk", ["Алтай Сейітов"]),
        # a big city there stays a city (listed as never a person)
        ("Акам Москва Каримов билан ишлайди.", "uz", ["Каримов"]),
    ],
)
def test_town_named_first_name(text, language, expected):
    assert texts(text, language) == expected
