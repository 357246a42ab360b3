"""DATE_OF_BIRTH: month spellings, Turkic and Tajik number words, Latin Kazakh/Kyrgyz cues, and
dates tied to a relative or a personal number; their look-alikes stay."""

import pytest

from testimony.analysis.recognisers.date_of_birth import find


def found(text: str) -> list[tuple[str, str]]:
    return [(text[s.start : s.end], s.key) for s in find(text)]


@pytest.mark.parametrize(
    ("text", "expected", "key"),
    [
        # month names: Kazakh Latin (2018 and 2021 alphabets), four-letter and Russian abbreviations,
        # Uzbek "sentyabr"
        ("Janerkeniñ tuğan küni 9 sáýir 1999.", "9 sáýir 1999", "1999-04-09"),
        ("tuǵan kúni 3 naýryz 1995", "3 naýryz 1995", "1995-03-03"),
        ("tuǵan kúni 12 qyrkúıek 1990", "12 qyrkúıek 1990", "1990-09-12"),
        ("born 9 Sept 1986 in Osh", "9 Sept 1986", "1986-09-09"),
        ("родился 5 сент. 1990", "5 сент. 1990", "1990-09-05"),
        ("дата рождения 3 авг 1991", "3 авг 1991", "1991-08-03"),
        ("tug'ilgan 5 sentyabr 1990", "5 sentyabr 1990", "1990-09-05"),
        ("tug'ilgan 7 oktyabr 1993", "7 oktyabr 1993", "1993-10-07"),
        # Kyrgyz and Kazakh Latin: the year word in the year-first order, "j.t." after a year
        ("passport AC3184520, 1999-jyly 11-iyunda tuulgam.", "1999-jyly 11-iyunda", "1999-06-11"),
        ("Anam Sáule (1971 j.t.) jazyp otyr", "1971", "1971"),
        ("Ağam 1982 j.t., Almatyda", "1982", "1982"),
        # the date said in words, after a birth word
        (
            "Tug'ilgan kunim ikkinchi avgust to'qson oltinchi yil. Tomskda",
            "ikkinchi avgust to'qson oltinchi yil",
            "1996-08-02",
        ),
        ("Рӯзи таваллудам сиюми апрели соли навад. Дар", "сиюми апрели соли навад", "1990-04-30"),
        (
            "санаи таваллуд бисту панҷуми майи соли ҳазору нӯҳсаду наваду шаш",
            "бисту панҷуми майи соли ҳазору нӯҳсаду наваду шаш",
            "1996-05-25",
        ),
        (
            "туғилган куним ўн бешинчи март минг тўққиз юз тўқсон бешинчи йил.",
            "ўн бешинчи март минг тўққиз юз тўқсон бешинчи йил",
            "1995-03-15",
        ),
        ("туған күнім он бесінші наурыз тоқсан сізге", "он бесінші наурыз тоқсан", "1990-03-15"),
        (
            "tug'ilgan kuni ikkinchi avgust ikki ming uchinchi yilda",
            "ikkinchi avgust ikki ming uchinchi",
            "2003-08-02",
        ),
        # "йил" closing the date's clause is part of it
        ("туғилган санам 28 май 1990 йил. Тверда", "28 май 1990 йил", "1990-05-28"),
        # a date in brackets right after the personal number that begins with it
        (
            "Заявитель Жаксылыкова Айгерим, ИИН 880923452762 (23.09.1988), из Актобе.",
            "23.09.1988",
            "1988-09-23",
        ),
        # a date in apposition after a word for a relative, closing the clause
        ("Sino moi dvoyurodnyi, 17.10.2001, sidit v SIZO", "17.10.2001", "2001-10-17"),
        ("Это мой брат, 12.03.1995. Его забрали", "12.03.1995", "1995-03-12"),
        # after a label, a full date followed by an identity document and its number
        ("[21:06] Абонент: 12 декабря 1996, паспорт AC 2058317, ид карта", "12 декабря 1996", "1996-12-12"),
        ("Client: 03.05.1990, ID card AN 1234567", "03.05.1990", "1990-05-03"),
    ],
)
def test_finds(text, expected, key):
    assert found(text) == [(expected, key)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # "жылы туулган" ("in the year ... born") and a locative year word stay outside the date
        ("Ал 3-июль 1994 жылы туулган", "3-июль 1994"),
        ("туғилган 28 май 1990 йилда", "28 май 1990"),
    ],
)
def test_year_word_in_the_year_or_a_locative_stays_out(text, expected):
    assert [t for t, _ in found(text)] == [expected]


@pytest.mark.parametrize(
    "text",
    [
        # event dates and numbers said in words without a birth word
        "ikkinchi avgust to'qson oltinchi yil biz Moskvaga keldik",
        "сиюми апрели соли навад ба Маскав омадам",
        # a relative and a recent date: an event
        "мой брат, 12.03.2019 приехал",
        "my brother, 12.03.2020, came to Moscow",
        # a date in brackets after a personal number it does not begin with
        "ИИН 880923452762 (23.09.2019), из Актобе.",
        # a label's date before a document: recent, a date's own label, or no document number
        "Задержан: 12.03.2019, паспорт AC 2058317",
        "Дата: 12.03.2005, паспорт AC 2058317",
        "Абонент: 12.03.2005, паспорт отобрали",
        # a year of one digit is no year
        "tug'ilgan kunimda bir mart ikki marta qo'ng'iroq qildi",
        # "j.t." only after a year
        "Ol 15 j.t. emes",
    ],
)
def test_look_alikes_stay(text):
    assert found(text) == []
