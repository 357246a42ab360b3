"""DATE_OF_BIRTH: birth dates in six languages; dates of events are evidence and stay."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from testimony.analysis.recognisers.date_of_birth import find
from testimony.analysis.spans import DATE_OF_BIRTH


def found(text: str) -> list[tuple[str, str]]:
    return [(text[s.start : s.end], s.key) for s in find(text)]


@pytest.mark.parametrize(
    ("text", "expected", "key"),
    [
        ("родился 12.03.1990", "12.03.1990", "1990-03-12"),
        ("Каримов Ф., 1990 г.р.", "1990", "1990"),
        ("д.р. 12.03.90", "12.03.90", "1990-03-12"),
        ("дата рождения: 12 марта 1990", "12 марта 1990", "1990-03-12"),
        ("tugʻilgan sana 12.03.1990", "12.03.1990", "1990-03-12"),
        ("1990 yilda tugʻilgan", "1990", "1990"),
        ("1990 yilda tug'ilgan", "1990", "1990"),
        ("tug'ilgan: 1990 yil 12 mart", "1990 yil 12 mart", "1990-03-12"),
        ("born 12 March 1990", "12 March 1990", "1990-03-12"),
        ("born on March 12, 1990", "March 12, 1990", "1990-03-12"),
        ("12.03.1990 года рождения", "12.03.1990", "1990-03-12"),
        ("туғилган сана 12.03.1990", "12.03.1990", "1990-03-12"),
        ("1990 жылы туған", "1990", "1990"),
        ("туған күні: 1990 жылғы 12 наурыз", "1990 жылғы 12 наурыз", "1990-03-12"),
        ("1990-жылы туулган", "1990", "1990"),
        ("санаи таваллуд 12.03.1990", "12.03.1990", "1990-03-12"),
        ("родилась в Ташкенте 5 мая 1985 года", "5 мая 1985", "1985-05-05"),
        ("DOB: 1990-03-12", "1990-03-12", "1990-03-12"),
        ("(12.03.1990 г.р.)", "12.03.1990", "1990-03-12"),
        ("у меня день рождения 12 марта", "12 марта", "--03-12"),
        # a case suffix glued to the date before the birth word
        ("Men 14.02.1993-da tug'ilganman", "14.02.1993", "1993-02-14"),
        # Kazakh and Kyrgyz "ж.т." (жылы туған / туулган), Tajik "т." (таваллуд) after a full date
        ("Тегім Сейітов, 1992 ж.т., поштам", "1992", "1992"),
        ("Фамилиям Асанов, 1994-ж. т., номерим", "1994", "1994"),
        ("Мен Айбек Жолдошев, 11.09.1985-ж. т. Ошто иштейм", "11.09.1985", "1985-09-11"),
        ("Қодиров Бахтиёр, 21.04.1990 т. Дар Маскав", "21.04.1990", "1990-04-21"),
        ("Раҳимов Фарҳод, 1991 с.т., дар Тула", "1991", "1991"),
        # a full date right after the name in a self-introduction
        ("I am Rustam Aliev, 17.06.1989. Email me", "17.06.1989", "1989-06-17"),
        ("Я, Каримова Нодира Алиевна, 02.12.1979, прошу помочь", "02.12.1979", "1979-12-02"),
        ("Мен Жаныл Токтосунова, 9 мая 1983 года", "9 мая 1983", "1983-05-09"),
        # Tajik
        ("Ман Назаров Сино, соли таваллудам 1994, аз Кӯлоб", "1994", "1994"),
        ("Санаи таваллуд: 23.07.1997, зодгоҳ Хуҷанд", "23.07.1997", "1997-07-23"),
        ("Додарам (таваллуди 2001) дар Маскав кор мекунад", "2001", "2001"),
        ("Ӯ 1988 таваллуд шудааст", "1988", "1988"),
        ("Ман соли 1993 дар Ғарм таваллуд шудаам", "1993", "1993"),
        ("Ман 3 марти 1991 таваллуд шудаам", "3 марти 1991", "1991-03-03"),
        ("1995-ум соли таваллуд", "1995", "1995"),
        # Uzbek, with every apostrophe
        ("tug'ilgan kunim 23.07.1997", "23.07.1997", "1997-07-23"),
        ("Tugʻilgan kunim: 5-aprel, 1998-yil", "5-aprel, 1998", "1998-04-05"),
        ("Akam 1986-yil tug‘ilgan", "1986", "1986"),
        ("Men 1992-yilda Namanganda tug’ilganman", "1992", "1992"),
        ("Туғилган йилим 1989", "1989", "1989"),
        # English
        ("DOB 23.07.1997", "23.07.1997", "1997-07-23"),
        ("my brother was born on 3 April 2004", "3 April 2004", "2004-04-03"),
        ("born on the 3rd of April 2004", "the 3rd of April 2004", "2004-04-03"),
        ("Date of birth - 23.07.1997.", "23.07.1997", "1997-07-23"),
        ("Rustam Aliev (b. 1987) was deported", "1987", "1987"),
        ("I am 1999 born", "1999", "1999"),
        # Kazakh Latin and Cyrillic, Kyrgyz
        ("tuǵan jyly 1993", "1993", "1993"),
        ("Týǵan kúni: 23.07.1997", "23.07.1997", "1997-07-23"),
        ("23.07.1997 jyly tuǵan", "23.07.1997", "1997-07-23"),
        ("Men 1990 jyly Taraz qalasynda tuǵanmyn", "1990", "1990"),
        ("Мен 1987 жылы Шымкентте туғанмын", "1987", "1987"),
        ("Мен 1996-жылы Ошто төрөлгөм", "1996", "1996"),
        # Russian, also in Latin letters
        ("Дата рожд. 23.07.1997", "23.07.1997", "1997-07-23"),
        ("1994 г. рождения", "1994", "1994"),
        ("data rozhdeniya 23.07.1997", "23.07.1997", "1997-07-23"),
        ("rodilsya v 1990 godu", "1990", "1990"),
    ],
)
def test_finds_birth_date(text, expected, key):
    assert found(text) == [(expected, key)]
    assert find(text)[0].label == DATE_OF_BIRTH


@pytest.mark.parametrize(
    "text",
    [
        "12.03.2024 меня задержали",
        "в 1990 году",
        "родился сын, 12.03.2024 мы переехали",
        "приехал 12.03.2024",
        "Дата рождения не помню. Приехал 12.03.2024",
        "родился 31.02.1990",
        "родился 12 мартышек",
        "patent 12.03.2024 da berildi",
        "суд назначен на 12 марта 2024",
        "задержали 12.03.2024 т.е. в понедельник",
        "выплатили 2019 т.р. в итоге",
        "1999 т. было тепло",
        "I am Rustam Aliev, 17.06.2024 I was detained",
        "We met Aziz, 03.05.1990 was the day",
        "In 1995 ж. he arrived",
        "ст. 18.8, 2021 г.",
        # look-alikes of the new forms: events next to birth words, birthdays, "relative", "born again"
        "23.07.2021 мы приехали",
        "23.07.2021 омадем, писарам таваллуд шуд",
        "2022 yilda Moskvada tug'ilgan kunimni nishonladik",
        "2019 жылы туған күнімде ұсталдым",
        "2022 рӯзи таваллудам",
        "Туғандарым 2019 жылы келді",
        "Tuǵandarym 2019 jyly keldi",
        "туған жерім Шымкент, 2019 жылы келдім",
        "he felt born again in 2008",
        "2008 born-in-Russia children",
        "In 2008 born children were many",
        "soli 2019 ba Maskav omadam",
    ],
)
def test_ignores_event_dates(text):
    assert found(text) == []


def test_same_date_two_spellings_same_key():
    assert find("родился 12.03.1990")[0].key == find("born 12 March 1990")[0].key == "1990-03-12"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Мой сын Жахонгир (Каримов Жахонгир Ботирович, 09.11.2001) задержан в Сургуте", "09.11.2001"),
        ("O'g'lim Azizjon Tursunov (12.01.1999) ikki oy Saxarovodan chiqolmay yotdi", "12.01.1999"),
        ("Qyzym Aqbota (09.01.2002) Mäskeude türmys qūrdy.", "09.01.2002"),
        ("Nilufar is 16 years old (08.10.2008). She travelled with her father.", "08.10.2008"),
    ],
)
def test_a_full_date_in_brackets_after_a_name_is_a_birth_date(text, expected):
    assert [text[s.start : s.end] for s in find(text)] == [expected]


@pytest.mark.parametrize(
    "text",
    [
        "Фарруха задержали (12.03.2025) в Москве.",  # a recent date: when it happened
        "Farrux (12.03.2025) ozod qilindi.",
        "Решение суда (12.03.2019) отменили.",  # no name before it
        "Мы приехали в 2019 году (март), Фаррух (2019) тоже.",  # a year alone
    ],
)
def test_other_dates_in_brackets_stay(text):
    assert find(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a date right after a personal number that begins with it
        ("Мен Динара, ЖСН 990730440683, 30.07.1999. Атыраудан.", [("30.07.1999", "1999-07-30")]),
        # "I am (of the year) ..."
        ("Мен Қазақстан азаматымын, 1987 жылғымын.", [("1987", "1987")]),
        ("Men 1990-yilman, Andijondanman", [("1990", "1990")]),
    ],
)
def test_birth_dates_without_a_birth_word(text, expected):
    assert found(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "ЖСН 990730440683, 12.03.2024 ұстады",  # the number does not begin with this date
        "2019 жылғы оқиға туралы",  # "of 2019", no "I am"
        "2022 yilmi yoki 2023?",
    ],
)
def test_their_look_alikes_stay(text):
    assert found(text) == []


# A date in words (or month first) in brackets after a name, or after an introduction's comma,
# once raised KeyError: those regexes hold only some of the date forms. A raise here fails the
# whole report in the worker.
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Азиз Турсунов (12 марта 1990) работал на рынке.", "1990-03-12"),
        ("Azizjon Tursunov (March 12, 1990) was held.", "1990-03-12"),
        ("Azizjon Tursunov (12 March 1990) was held.", "1990-03-12"),
        ("(Каримов Жахонгир, 9 ноября 2001) сказал так.", "2001-11-09"),
        ("I am Aziz Karimov, March 4, 1992, from Osh.", "1992-03-04"),
    ],
)
def test_dates_in_words_in_brackets_or_after_an_introduction(text, expected):
    assert [span.key for span in find(text)] == [expected]


_PIECES = st.lists(
    st.sampled_from(
        [
            "(",
            ")",
            ",",
            " ",
            "-",
            ".",
            "/",
            "Азиз",
            "Aziz",
            "Турсунов",
            "Я",
            "I am",
            "12",
            "1990",
            "90",
            "марта",
            "March",
            "mart",
            "yil",
            "жылы",
            "года рождения",
            "born",
            "т.",
            "туғилган",
        ]
    ),
    max_size=6,
).map("".join)


# Random words alone almost never make the shapes the date regexes read (a name, a bracket or a
# comma, a whole date in words), which is what the KeyError took: the shapes are built here, with
# random words around them.
_SHAPES = [
    "{name} ({date})",
    "({name}, {date})",
    "{name}, {date},",
    "родился {date}",
    "{date} г.р.",
    "{date} yilda tugʻilgan",
    "{name} {date} т.",
]


@settings(max_examples=300, deadline=None)
@given(
    st.builds(
        lambda before, shape, name, day, after: before + shape.format(name=name, date=day) + after,
        _PIECES,
        st.sampled_from(_SHAPES),
        st.sampled_from(["Азиз Турсунов", "Aziz", "I am Aziz Karimov", "Я, Иванов Иван", "ЖСН 900312400123"]),
        st.sampled_from(
            [
                "12 марта 1990",
                "March 12, 1990",
                "12 March 1990",
                "mart 12, 1990",
                "4th of May 1999",
                "1990 yil 12 mart",
                "12-го марта",
                "2001-11-09",
                "12.03.1990",
                "09.11.01",
                "1990",
            ]
        ),
        _PIECES,
    )
)
def test_never_raises_on_date_like_text(text):
    for span in find(text):
        assert 0 <= span.start < span.end <= len(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a name (or initials), a comma, a full date that closes the clause: a list of people
        ("Задержаны: Сафаров Ильхом, 08.04.1991, и Бобоев Шер, 30.10.1996.", ["08.04.1991", "30.10.1996"]),
        ("В автозаке был Кадыров Р.Ш., 17.09.1988; его увезли первым.", ["17.09.1988"]),
        ("Akam Dilshod, 05.06.1990. Hozir Tulada.", ["05.06.1990"]),
        ("Інім Ержан, 2 қараша 1995 жылы. Ол Омбыда.", ["2 қараша 1995"]),
        ("Qaynonam Ergasheva D., 11.11.1972.", ["11.11.1972"]),
        # a birth word the recogniser did not know: "birthday", Kazakh Latin "kün", "ДР" without a dot
        ("Her birthday is 14.06.1989, she is at the centre.", ["14.06.1989"]),
        ("my son's birth date 03.03.2003", ["03.03.2003"]),
        ("Ağamnyñ tuğan küni 09.08.1984 edi.", ["09.08.1984"]),
        ("ФИО Жураев Н., ДР 25.12.1993", ["25.12.1993"]),
    ],
)
def test_a_full_date_closing_a_clause_after_a_name_or_a_birth_word(text, expected):
    assert [text[s.start : s.end] for s in find(text)] == expected


@pytest.mark.parametrize(
    "text",
    [
        "Протокол составил лейтенант Гусев, 14.10.2024.",  # recent: the day it happened
        "Нас допрашивал Гусев, 14.10.1999 он был в отделе, говорят.",  # the clause goes on
        "Пришли Гусев и др. 14.10.2024 утром.",  # "и др." is "and others"
        "В Москве, 2019.",  # a year alone
        "Rahbar Gusev, 14.10.2023, qaror chiqardi.",
    ],
)
def test_dates_after_a_name_that_are_events_stay(text):
    assert found(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a Russian month with a Kyrgyz or Uzbek Cyrillic locative, day first or year first
        ("Иним 3-апрелде 2001-жылы Жалал-Абадда туулган", "3-апрелде 2001"),
        ("Укам 7 сентябрда 1999 йилда туғилган", "7 сентябрда 1999"),
        # "род." for родился / родилась
        ("Садыков Т. (род. 1979) задержан", "1979"),
        ("род. 21.01.1983 в Худжанде", "21.01.1983"),
    ],
)
def test_month_with_locative_and_short_birth_word(text, expected):
    assert [text[s.start : s.end] for s in find(text)] == [expected]


@pytest.mark.parametrize("text", ["Ал 3-апрелде келди, 2001-жылдан бери иштейт", "род. занятий: 2019"])
def test_locative_and_short_word_look_alikes(text):
    assert found(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Список: Юлдашев Акмал – 02.02.1992; Раджабов Фуад – 15.08.1987.", ["02.02.1992", "15.08.1987"]),
        ("his birthdate 30/01/1996", ["30/01/1996"]),
        # a year-first date with the month's locative: the whole of it
        ("Иним 1997-жылы 9-июнда туулган", ["1997-жылы 9-июнда"]),
    ],
)
def test_dash_after_a_name_birthdate_and_year_first_locative(text, expected):
    assert [text[s.start : s.end] for s in find(text)] == expected


@pytest.mark.parametrize("text", ["Смена – 02.02.2025.", "Юлдашев – 02.02.2025 пришёл"])
def test_dash_look_alikes(text):
    assert found(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "Я впервые приехал в Казань, 11.06.2009.",  # a place after a preposition
        "First I came to Kazan, 11.06.2009.",
        "Men Samarqanddan, 11.06.2009.",  # a place in the ablative
    ],
)
def test_a_place_before_the_comma_is_no_name(text):
    assert found(text) == []


def test_names_ending_like_a_case_are_still_names():
    assert found("Опросили: Саида, 17.02.1991; Ольга, 03.08.1988.") == [
        ("17.02.1991", "1991-02-17"),
        ("03.08.1988", "1988-08-03"),
    ]


@pytest.mark.parametrize(
    ("text", "expected", "key"),
    [
        ("Ukam Sardor, 1991 goda rojdeniya, iz Namangana", "1991", "1991"),
        ("Отец, 1969-го года рождения, болеет", "1969", "1969"),
        ("Иним Бакыт (1993-ж. туулган) иштечү", "1993", "1993"),
        ("Akam 1989 y. tug'ilgan, Samarqanddan", "1989", "1989"),
        ("Ya Farrukh Nazarov, DR 14/02/93, iz Jizzaxa", "14/02/93", "1993-02-14"),
        ("he was born April 2nd, 91 in Khujand", "April 2nd, 91", "1991-04-02"),
        ("born on September 21st, 1986", "September 21st, 1986", "1986-09-21"),
        ("Detained: Farhod Usmonov (1983), Ali Rahimov (1990)", "1983", "1983"),
        ("задержаны Нуралиев Ш.К. (1976) и другие", "1976", "1976"),
    ],
)
def test_birth_year_cues_and_short_years(text, expected, key):
    assert found(text)[0] == (expected, key)


@pytest.mark.parametrize(
    ("text", "expected", "key"),
    [
        (
            "дочь родилась четырнадцатого февраля две тысячи пятого года",
            "четырнадцатого февраля две тысячи пятого года",
            "2005-02-14",
        ),
        (
            "родился первого сентября тысяча девятьсот восемьдесят девятого года, в Худжанде",
            "первого сентября тысяча девятьсот восемьдесят девятого года",
            "1989-09-01",
        ),
        (
            "отец родился тридцатого марта тысяча девятьсот семидесятого года",
            "тридцатого марта тысяча девятьсот семидесятого года",
            "1970-03-30",
        ),
        ("she was born on the twenty-second of July 1994", "the twenty-second of July 1994", "1994-07-22"),
        ("born on the third of January, 1987, in Osh", "the third of January, 1987", "1987-01-03"),
        ("his birthday is the eleventh of May", "the eleventh of May", "--05-11"),
    ],
)
def test_birth_dates_in_words(text, expected, key):
    assert found(text) == [(expected, key)]


@pytest.mark.parametrize(
    "text",
    [
        "двадцать пятого мая две тысячи двадцать четвёртого года его задержали",
        "on the fourth of March 2024 they came; he was born somewhere in Sughd",
        "Moscow (2001) was where he worked",
        "Ali Rahimov (2020) got his patent",  # too recent to be a birth year
        "перевели Сергею Петрову (2000), остальное потом",  # a sum
        "we paid Igor Smirnov (1500) and then Oleg Ivanov (2000)",
        "Akam Sardor Rossiyaga 2009 yilda keldi",  # a year of arrival
        "Ali Valiyev, 35 years old, in Russia since 1998",
        "1979 г.р. брат и я 3 ноября приехали",  # the date after "г.р." of a year is an event
        "с 2015-го года работаю на стройке",
        "2021-ж. туулган күнүмдө келдим",
        "Dr 15 osmotr",
    ],
)
def test_word_dates_and_bracket_years_look_alikes(text):
    assert [k for _, k in found(text) if k != "1979"] == []


@pytest.mark.parametrize(
    ("text", "expected", "key"),
    [
        ("Шухрат, 1981 года рожд., задержан", "1981", "1981"),
        ("Shuhrat, 1981 goda rozhd., zaderjan", "1981", "1981"),
        ("Client's year of birth 1977, detained in May", "1977", "1977"),
        ("Шухрат 81 г.р. и его брат", "81", "1981"),
        ("she was born December the third, 1996 in Kulob", "December the third, 1996", "1996-12-03"),
    ],
)
def test_abbreviated_birth_words_short_years_and_month_first_words(text, expected, key):
    assert found(text)[0] == (expected, key)


@pytest.mark.parametrize(
    "text",
    [
        "в 15 г. рассказал",
        "штраф 12.84 г.р. не бывает",
        "born in March, the fifth day they came",
        "в 2015 году рожд. дочери не было",
    ],
)
def test_short_years_and_month_first_look_alikes(text):
    assert found(text) == []


# DATE_OF_BIRTH: month spellings, Turkic and Tajik number words, Latin Kazakh/Kyrgyz cues, and
# dates tied to a relative or a personal number; their look-alikes stay.


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
def test_month_spellings_number_words_and_relatives(text, expected, key):
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
def test_spellings_and_number_words_look_alikes_stay(text):
    assert found(text) == []
