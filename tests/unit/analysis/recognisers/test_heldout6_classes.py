"""The kinds of miss studied on the sixth held-out set, with new examples and their look-alikes.

Dates of birth after abbreviated or undotted birth words, Kazakh Latin months, a word date's
"года" and an ordinal's "the"; driving licences and lettered case numbers; phone numbers dictated
in transliterated Russian or undotted Kazakh; a handle after a network's name that is no e-mail;
street words typed without Kazakh and Kyrgyz letters, and a Tajik building.
"""

import pytest

from testimony.analysis.recognisers import address, date_of_birth, email, handle, id_number, phone


def found(module, text: str) -> list[str]:
    return [text[s.start : s.end] for s in module.find(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Акаам Шодмон Раҳимов, с.т. 11.08.1994, аз Кӯлоб", "11.08.1994"),
        ("Патенташ дар дасташ, с.т. 1987. Баъд", "1987"),
        ("Дилшод Тошев, 1993 й.т., Қаршидан", "1993"),
        ("ЖСН бар, туган куни 03.11.1990. Ертеӊ", "03.11.1990"),
        ("Мен Ерлан, туылган куним 21.06.1985, Тараздан", "21.06.1985"),
        ("tuğan künım 4 mamyr 1998, Taraz", "4 mamyr 1998"),
        ("tuğan künı 9 jeltoqsan 2001 edı", "9 jeltoqsan 2001"),
        ("Клиент: Нуржан Әлиев, 05/11/94, Шымкенттен.", "05/11/94"),
        ("Саидов Азиз Каримович, 7 марта 1991 года рождения, гражданин", "7 марта 1991 года"),
        ("Her son was born on the 3rd of March 1995 in Osh.", "the 3rd of March 1995"),
    ],
)
def test_birth_dates_found(text, expected):
    assert found(date_of_birth, text) == [expected]


@pytest.mark.parametrize(
    "text",
    [
        "Нас задержали 7 марта 2024 года у метро.",  # an event date with its "года"
        "ст. 18.8, с.т. лейтенант Сидоров",  # an abbreviation without a number
        "туган жерим алыс, 2019 жылы келдим",  # "native land", then a year of arrival
        "We came on the 3rd of March 2023 to Kazan.",  # an event, no birth word
        "Осы 2 qazan kunı bızdı ūstady",  # a day without a birth word
        "Мы работали 05/11/24, 06/11/24 без выходных.",  # work days
    ],
)
def test_birth_date_look_alikes_stay(text):
    assert found(date_of_birth, text) == []


def test_word_date_takes_its_year_word_only_when_a_birth_date():
    text = "Исмоилов Бахтиёр, 14 апреля 1989 года рождения."
    assert found(date_of_birth, text) == ["14 апреля 1989 года"]
    assert found(date_of_birth, "Исмоилов Бахтиёр, 14.04.1989 года рождения.") == ["14.04.1989"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("инспектор забрал права KM 730215 и ушёл", "KM 730215"),
        ("менин правам ТР 602184, патент бар", "ТР 602184"),
        ("составили протокол № МСК 5520391 на месте", "МСК 5520391"),
        ("sot şeşımı, ıs nömırı 2-4417/2023, jazylğan", "2-4417/2023"),
    ],
)
def test_id_numbers_found(text, expected):
    assert expected in found(id_number, text)


@pytest.mark.parametrize(
    "text",
    [
        "права человека нарушили 12 раз",  # rights, a count
        "вернули права за 150000 рублей",  # an amount
        "у меня права 2019 года",  # a year
        "по статье 18.8 протокол № АБ 123 составили",  # too short for a lettered series
        "ıs boiynşa 2023 jyly sot boldy",  # a year after "case"
    ],
)
def test_id_look_alikes_stay(text):
    assert found(id_number, text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("zvonite: vosem devyatsot sem 455 12 90, ja na svyazi", "vosem devyatsot sem 455 12 90"),
        ("nomer vosem devyat shestnadcat 204 77 13", "vosem devyat shestnadcat 204 77 13"),
        (
            "yangi nomer: plyus yetti to'qqiz yuz o'n bir 630 22 84",
            "plyus yetti to'qqiz yuz o'n bir 630 22 84",
        ),
        ("номерим сегиз жети жуз бир 318 44 02, ватсап", "сегиз жети жуз бир 318 44 02"),
    ],
)
def test_spoken_phones_found(text, expected):
    assert found(phone, text) == [expected]


@pytest.mark.parametrize(
    "text",
    [
        "dva goda nazad, pyat chelovek, sorok tysyach rubley",
        "tri dnya rabotali, sto dvadcat 500 rub zaplatili",
        "жуз мын тенге, сегиз адам",
    ],
)
def test_spoken_number_look_alikes_stay(text):
    assert found(phone, text) == []


def test_handle_after_a_network_word_is_no_email():
    text = "pishite, tiktok @dilya.uz.spb. Spasibo"
    assert found(email, text) == []
    assert found(handle, text) == ["@dilya.uz.spb"]
    assert found(email, "pochta kamol @ mail.ru") == ["kamol @ mail.ru"]
    assert found(email, "pochta kamol@mail.ru.") == ["kamol@mail.ru"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Уйим Теміртау каласы, Абай кошеси, 4-уй, 17-патер. Ертең", "Абай кошеси, 4-уй, 17-патер"),
        ("Дарегибиз Ноокат айылы, Манас кочосу, 21-уй. Апам", "Ноокат айылы, Манас кочосу, 21-уй"),
        ("mekenjaiy Kashirskoe şosse, 40-üi, 3-bölme. Keşe", "Kashirskoe şosse, 40-üi, 3-bölme"),
        ("jataqhanamyz Klin, Gagarin köşesı, 6-üi, 11-päter. Men", "Gagarin köşesı, 6-üi, 11-päter"),
        (
            "хобгоҳаш кӯчаи Шевченко, хонаи 9, бинои 4, ҳуҷраи 210. Ӯ",
            "кӯчаи Шевченко, хонаи 9, бинои 4, ҳуҷраи 210",
        ),
    ],
)
def test_addresses_found(text, expected):
    assert found(address, text) == [expected]


@pytest.mark.parametrize(
    "text",
    [
        "Абай кошеси туралы кітап оқыдым",  # a street named, no house
        "5 патер бар, 3 кошеси бар",  # counts
        "бинои 2 қабата дида шуд",  # a building in general
    ],
)
def test_address_look_alikes_stay(text):
    assert found(address, text) == []


@pytest.mark.parametrize(
    ("text", "expected", "key"),
    [
        ("Шавҳарам Бахтиёр ҳаштуми ноябри 1989 таваллуд шудааст.", "ҳаштуми ноябри 1989", "1989-11-08"),
        ("Писарам бисту сеюми марти 2001 таваллуд шуд.", "бисту сеюми марти 2001", "2001-03-23"),
        ("Ӯ 12-уми майи 1999 таваллуд шудааст.", "12-уми майи 1999", "1999-05-12"),
    ],
)
def test_tajik_ordinal_day_joins_the_birth_year(text, expected, key):
    assert [(text[s.start : s.end], s.key) for s in date_of_birth.find(text)] == [(expected, key)]


def test_tajik_event_day_stays():
    text = "Ҳафтуми октябри 2023 моро доштанд, ӯ 1990 таваллуд шуда."
    assert found(date_of_birth, text) == ["1990"]
