"""Names that the words around them make names or towns: a pronoun and a verb of calling around a
nickname, ranks and in-law words before a name, a settlement word or a town adjective around a
town, and the wider list of the region's given names."""

from __future__ import annotations

import pytest

from testimony.analysis.recognisers import person, person_cues


def found(text: str, language: str | None = None) -> list[str]:
    return [text[s.start : s.end] for s in person.find(text, language=language)]


@pytest.mark.parametrize(
    ("text", "language", "name"),
    [
        # a pronoun, the nickname, a verb of saying (Kyrgyz, Kazakh, Tajik, Uzbek)
        ("Жумушта баары мени Тоха дешет, атым Тохтасын.", "ky", "Тоха"),
        ("Үйде мені Ерке дейді, бірақ құжатта басқа.", "kk", "Ерке"),
        ("Dalada menı Jäke deidı, bıraq atym basqa.", "kk", "Jäke"),
        ("Дар бозор маро Шарик мегӯянд, ман хафа намешавам.", "tg", "Шарик"),
        ("Hamkorон uro Tolib meguyand, vale nomash digar.", "tg", "Tolib"),
        ("Ишхонада мени Шуҳрат дейишади, лекин бу лақаб.", "uz", "Шуҳрат"),
        # English: call/called/calls + me/him/her, or a quoted nickname after "calls"
        ("At the warehouse they called me Tolya for two years.", "en", "Tolya"),
        ("My cousin Anvar (we call him Anvik) lost his passport.", "en", "Anvik"),
        ("in moscow everyone call me farruh, it is short", "en", "farruh"),
        ('The owner, a man the workers call "Boxer", took our passports.', "en", "Boxer"),
    ],
)
def test_a_nickname_between_a_pronoun_and_a_verb_of_calling(text, language, name):
    assert name in found(text, language)


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Ал мени Ташкентке жиберет дейт.", "ky"),  # a town with a case ending, not a nickname
        ("Бригадир мени жалкоо дейт.", "ky"),  # lower-case common word
        ("Please call me back, or call him Friday after work.", "en"),  # common words
        ("They called me lazy and stupid every day.", "en"),
    ],
)
def test_calling_frames_leave_common_words_and_towns(text, language):
    assert found(text, language) == []


def test_calling_frame_words_are_data():
    assert person_cues.called_between("мени", "дейт")
    assert not person_cues.called_between("мага", "дейт")  # "to me", not "me"
    assert person_cues.called_english("call", "me")
    assert not person_cues.called_english("phone", "me")


@pytest.mark.parametrize(
    ("text", "language", "name"),
    [
        ("Потом пришёл подполковник зуев и всех построил.", "ru", "зуев"),
        ("Ba mo polkovnik Gromyko guft, ki kontrakt imzo kunem.", "tg", "Gromyko"),
        ("tam praporshchik Yudin otobral telefony", "ru", "Yudin"),
        ("Рафиқам Шаҳром ба Қазон рафт.", "tg", "Шаҳром"),
        ("Qaynonam Gulbahor Samarqandda yashaydi.", "uz", "Gulbahor"),
        ("Kuyoom Nurlanbek skladda ishteit.", "ky", "Nurlanbek"),
    ],
)
def test_ranks_friends_and_in_laws_are_cue_words(text, language, name):
    assert name in found(text, language)


@pytest.mark.parametrize(
    ("text", "language", "kept"),
    [
        ("Біз Арал қаласынан келдік, Серік те бірге.", "kk", "Арал"),
        ("Men Kemin shaarynan kelgem.", "ky", "Kemin"),
        ("Мен Талас шаарчасында төрөлгөм.", "ky", "Талас"),
        ("Мы жили в Верхняя Пышма, работали на заводе.", "ru", "Пышма"),
        ("Ман дар Старый Оскол кор мекардам.", "tg", "Оскол"),
        ("Мен Ак-Суудан келдим, агам Бакай менен.", "ky", "Ак-Суудан"),
    ],
)
def test_a_town_by_its_neighbours_is_no_name(text, language, kept):
    assert all(kept not in name for name in found(text, language))


def test_a_settlement_word_without_a_possessive_leaves_the_name():
    # "шаарга" (to the city) says nothing about the word before it
    assert found("Кечээ Бакытбек шаарга кетти.", "ky") == ["Бакытбек"]


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Пулро ба корти «Мир» фиристодам, вале нарасид.", "tg"),
        ("Вале ӯ ҷавоб надод.", "tg"),  # Tajik "but" opening a sentence
        ("Пулни Алиф орқали юбордим.", "uz"),  # a bank
        ("Биз Дордойдо иштейбиз.", "ky"),  # a market
    ],
)
def test_cards_banks_markets_and_conjunctions_are_no_names(text, language):
    assert found(text, language) == []


@pytest.mark.parametrize(
    ("text", "language", "name"),
    [
        ("Кошунабыз Каныбекти полиция алып кетти.", "ky", "Каныбекти"),
        ("Опам Мастура Бухорода яшайди.", "uz", "Мастура"),
        ("Хоҳарам Гулрухсор дар Хуҷанд аст.", "tg", "Гулрухсор"),
        ("Апай Бүбүсара бізге көмектесті.", "kk", "Бүбүсара"),
        ("Цехта Люба деген әйел бар.", "kk", "Люба"),
    ],
)
def test_wider_given_names_of_the_region(text, language, name):
    assert name in found(text, language)


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Дар бозор зиёда аз сад нафар буданд.", "tg"),  # "more than"
        ("no holiday for us, only work", "en"),
        ("Нархи нон се сомон шуд.", "tg"),  # the currency
    ],
)
def test_names_that_are_words_need_a_capital_or_a_cue(text, language):
    assert found(text, language) == []
