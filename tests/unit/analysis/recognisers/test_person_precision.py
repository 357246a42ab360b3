"""What the person recogniser leaves readable around names: eponyms (streets, libraries named after
someone), role words before a name, streets after "ул.", abbreviations with case endings, common
words that fold like names joined to a capitalised one."""

from __future__ import annotations

import pytest

from testimony.analysis.recognisers import person


def found(text: str, language: str | None = None) -> list[str]:
    return [text[s.start : s.end] for s in person.find(text, language=language)]


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Қазан айының 5-інде Абай атындағы кітапханада кеңес өтеді.", "kk"),
        ("Alisher Navoiy nomidagi kutubxonada maslahat bor.", "uz"),
        ("Дар китобхонаи ба номи Фирдавсӣ ҷаласа мешавад.", "tg"),
        ("В больнице имени Боткина нам отказали.", "ru"),
        ("Toshkentdagi Amir Temur xiyobonida markaz ochildi.", "uz"),
        ("Держали сутки в отделе на ул. Колонцова.", "ru"),
        ("Мечеть на ул. Ш. Руставели закрыли.", "ru"),
        ("Ҳозир Дилшод СУВСИГда.", "uz"),  # only the man: the centre's abbreviation stays
    ],
)
def test_eponyms_streets_and_abbreviations_stay_readable(text, language):
    got = " ".join(found(text, language))
    for word in ("Абай", "Navoiy", "Фирдавсӣ", "Боткина", "Temur", "Колонцова", "Руставели", "СУВСИГда"):
        assert word not in got


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        # "ба номи" without an institution before it: a card in someone's name, a man so named
        ("Пулро ба корте интиқол додам, он ба номи Кирилл А. буд.", "tg", ["Кирилл А."]),
        ("Ҷавоб дод марде бо номи Алишер.", "tg", ["Алишер"]),
        # the role word stays outside the name
        ("At the migration office Inspector Bykova shouted at me.", "en", ["Bykova"]),
        ("Дар Саратов Хӯҷаин Геннадий ҳуҷҷатҳоро гирифт.", "tg", ["Геннадий"]),
        # "said" folds like Саид: it does not join a capitalised surname
        ("Sergeant Lukin said next time he will send me away.", "en", ["Lukin"]),
        # a private person who shares a historical figure's given name is still redacted
        ("Men Bobur Eshmatov, Samarqanddan.", "uz", ["Bobur Eshmatov"]),
        ("Бул Кубанычбек. Сахароводо отурдум.", "ky", ["Кубанычбек"]),  # "бул" is "this", no boulevard
    ],
)
def test_names_beside_those_words_are_still_found(text, language, expected):
    assert found(text, language) == expected


def test_kazakh_latin_new_is_no_name():
    # "jaña" (new) folds like Жанна, as "жаңа" does
    assert found("Astanada Eñbek ministrligi jaña zañ jobasyn ūsyndy.", "kk") == []
