"""ID_NUMBER: documents of the region, check-digit numbers, case numbers; dates and sums are not."""

import pytest

from testimony.analysis.recognisers.id_number import find
from testimony.analysis.spans import ID_NUMBER


def found(text: str) -> list[str]:
    return [text[s.start : s.end] for s in find(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("паспорт 45 12 345678", "45 12 345678"),
        ("4512 345678 выдан ОУФМС", "4512 345678"),
        ("паспорт серия 4512 номер 345678", "4512 номер 345678"),
        ("паспорт 4512345678", "4512345678"),
        ("загранпаспорт 75 1234567", "75 1234567"),
        ("pasport AA1234567", "AA1234567"),
        ("AB 1234567 raqamli pasport", "AB 1234567"),
        ("паспорт АА1234567", "АА1234567"),
        ("pasport seriyasi AA raqami 1234567", "AA raqami 1234567"),
        ("шиносномаи 400123456", "400123456"),
        ("паспорт A 1234567", "A 1234567"),
        ("паспорт КР AN1234567", "AN1234567"),
        ("ID1234567", "ID1234567"),
        ("удостоверение N12345678", "N12345678"),
        ("ИИН 900101300126", "900101300126"),
        ("850312400564", "850312400564"),
        ("ПИНФЛ 31203900123456", "31203900123456"),
        ("патент 77 № 1234567890", "77 № 1234567890"),
        ("серия 77 номер 2400123456", "77 номер 2400123456"),
        ("миграционная карта 4617 1234567", "4617 1234567"),
        ("ИНН 7707083893", "7707083893"),
        ("ИНН: 500100732259", "500100732259"),
        ("500100732259", "500100732259"),
        ("СНИЛС 112-233-445 95", "112-233-445 95"),
        ("112-233-445 95", "112-233-445 95"),
        ("военный билет АВ 1234567", "АВ 1234567"),
        ("протокол № 12345/678", "12345/678"),
        ("уголовное дело № 12401450001000123", "12401450001000123"),
        ("дело №5-123/2024.", "5-123/2024"),
        ("протокол об административном правонарушении № 1234567", "1234567"),
        # migration cards in Kyrgyz, Kazakh, English; the card shape "4 digits № 7 digits" alone
        ("миграциялык картасы 9317 № 0264519 жок", "9317 № 0264519"),
        ("көші-қон картасы 9318 № 0175428", "9318 № 0175428"),
        ("his migration card 4721 No. 3604815 was kept", "4721 No. 3604815"),
        ("отобрали 4715 № 2093846 и паспорт", "4715 № 2093846"),
        # a "№" and the issuing country before the number are not part of it
        ("шиносномаи № 402519376", "402519376"),
        ("паспорт РТ 408127634", "408127634"),
    ],
)
def test_finds_id(text, expected):
    assert found(text) == [expected]
    assert find(text)[0].label == ID_NUMBER


@pytest.mark.parametrize(
    "text",
    [
        "12.03.2024",
        "ст. 18.8 КоАП",
        "паспорт забрали 12.03.2024",
        "паспорт выдан в 2015",
        "паспорт 1990 года",
        "15 000 рублей",
        "патент за 150000 сум",
        "+7 916 123 45 67",
        "в 2023 году",
        "А123ВС77",
        "дело было в 2015 году",
        "COVID-19",
        "iPhone 13",
        "500100732258",
        "998901234567",
        "нас было 400123456",
        "migration card No. 5 was lost",
        "штраф 2000 № 5 рублей",
        "2024 № 1234",
        "card 4721 No. 36 048",
    ],
)
def test_ignores_look_alikes(text):
    assert found(text) == []


def test_key_maps_cyrillic_look_alikes_and_drops_spacing():
    assert find("АВ 1234567")[0].key == find("ab1234567 pasport")[0].key == "AB1234567"
    assert find("паспорт 45 12 345678")[0].key == find("серия 4512 номер 345678")[0].key == "4512345678"
    assert find("патент 77 № 2400123456")[0].key == find("серия 77 номер 2400123456")[0].key


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("She holds a residence permit (82 №0564137).", ["82 №0564137"]),
        ("Его ВНЖ 82 № 1047396.", ["82 № 1047396"]),
        ("residence permit number 4512345", ["4512345"]),
    ],
)
def test_residence_permits(text, expected):
    assert found(text) == expected


@pytest.mark.parametrize("text", ["дом 82 № 5", "в 2024 году 82 человека", "82 №12345 заказ"])
def test_residence_permit_look_alikes(text):
    assert found(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # document words in the other languages, and the slang of migrants
        ("Ӯ корти муҳоҷирати маро гирифт, 4519 0082716, ва рафт", "4519 0082716"),
        ("миграционку 4612 7730581 оставили себе", "4612 7730581"),
        ("мигр. карта 4620 1175093", "4620 1175093"),
        ("Шаҳодатномаи ронандагӣ AB 774013", "AB 774013"),
        ("Жеке куәлігім 052211907 болатын", "052211907"),
        ("JSN-im 930415300218", "930415300218"),
        ("Айдоочулук күбөлүгүмдү алды: AB 557201", "AB 557201"),
        ("Haydovchilik guvohnomasi AF 3390127", "AF 3390127"),
        ("ID karta raqami 902245811", "902245811"),
        ("водительское 99 07 412233", "99 07 412233"),
        ("my driver's license 77 31 550190", "77 31 550190"),
    ],
)
def test_document_words_in_every_language(text, expected):
    assert found(text) == [expected]


@pytest.mark.parametrize(
    "text",
    [
        "Корти муҳоҷиратро 3 рӯз пеш гирифтанд",  # a count, not a number
        "Жеке куәлігі үшін 150000 теңге",  # money
        "guvohnoma uchun 250000 so'm to'ladim",
        "küä, guvohlar 2 kishi",
        "водительский стаж 12 лет",
    ],
)
def test_document_words_without_a_number_stay(text):
    assert found(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "по постановлению Правительства № 627 патент дорожает",
        "приказ МВД № 495 о порядке",
        "решение Верховного суда № 18 от 2019 года",
        "постановлением № 213-ФЗ",
    ],
)
def test_numbers_of_public_acts_stay(text):
    assert found(text) == []


def test_a_case_number_after_the_same_words_is_found():
    assert found("постановление суда № 5-3310/2025 мне не дали") == ["5-3310/2025"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a long case number right after the case word, with no "№"; "raqami", "нөмірі" as "№"
        ("номер уголовного дела 12501450077000412 мне не дали", "12501450077000412"),
        ("протокол 7740213 составили без переводчика", "7740213"),
        ("Ish raqami 5-4410/2025, sudya", "5-4410/2025"),
        ("Іс нөмірі 2-118/2025", "2-118/2025"),
        # the fine's payment code, a birth certificate with its Roman series
        ("штраф, УИН 18810577250001234567", "18810577250001234567"),
        ("свидетельство о рождении III-ЖА № 512377", "III-ЖА № 512377"),
    ],
)
def test_case_numbers_without_a_number_sign_and_other_documents(text, expected):
    assert found(text) == [expected]


@pytest.mark.parametrize(
    "text",
    [
        "дела 2019-2024 годов",
        "по делу 150000 рублей штрафа",
        "протокол 12.03.2025 составлен",
        "активно 123456 раз писали",  # "акт" inside another word
        "дело 12345 сум",
    ],
)
def test_bare_case_number_look_alikes(text):
    assert found(text) == []


def test_a_phone_after_a_case_word_and_number_word_is_not_a_case_number():
    assert found("Мен іс істеймін, нөмірім 87015550312, хабарласыңыз") == []
    assert found("По делу звоните, номер 89035550312") == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Төлқұжатымның нөмірі 045512873 болатын", "045512873"),
        ("tölqūjat 045512873", "045512873"),
        ("STIR raqamim 305512873", "305512873"),
    ],
)
def test_kazakh_passport_and_uzbek_taxpayer_number(text, expected):
    assert found(text) == [expected]


def test_a_verb_that_starts_like_the_tax_word_is_not_it():
    assert found("стирала 245512 раз") == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a migration card's series and number without "№", after the card word in several spellings
        ("migratsionnaya karta 4618 2093741 u nego", "4618 2093741"),
        ("миграциондук картасы 4620 3318095 жок", "4620 3318095"),
        ("migrasiyalyq kartasynyñ nömırı 4521 7702164 edı", "4521 7702164"),
        # ... and alone, after a name in a list
        ("Сайдуллаев Бахтиёр, 4617 0285143, задержан", "4617 0285143"),
    ],
)
def test_migration_card_series_and_number(text, expected):
    assert found(text) == [expected]


@pytest.mark.parametrize(
    "text",
    [
        "звони на 8926 4410392 вечером",  # a Russian mobile typed in two groups
        "номерим 8777 3019245 ватсап",  # a Kazakh one
        "перевёл 5000 1234567,00",
    ],
)
def test_four_and_seven_digit_look_alikes(text):
    assert found(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("протокол об административном правонарушении 50 АБ 216734", "50 АБ 216734"),
        ("Bayonnoma 16 РТ 0274419 yozildi", "16 РТ 0274419"),
        ("права 78 ТК 501273 отобрали", "78 ТК 501273"),
    ],
)
def test_region_code_two_letters_and_a_number(text, expected):
    assert found(text) == [expected]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("қарор № 517/23-К дар бораи ихроҷ", "517/23-К"),
        ("sud qarori № 3-1190/2024-A", "3-1190/2024-A"),
        ("решение № 1042/25-М о нежелательности", "1042/25-М"),
    ],
)
def test_case_numbers_with_a_letter_suffix(text, expected):
    assert found(text) == [expected]


@pytest.mark.parametrize(
    "text",
    [
        "решение по закону № 109-ФЗ о миграционном учёте",
        "бо қарори суд 3 сол манъ",
    ],
)
def test_letter_suffix_look_alikes(text):
    assert found(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("protokol № 6120/24 yozildi", "6120/24"),
        ("хаттама № 903/2025 толтырылды", "903/2025"),
        ("сот шешімі № 2-3310/2024 бойынша", "2-3310/2024"),
        ("соттун токтому № 5-902/25 менен", "5-902/25"),
        ("sud ajrimi № 3-41/2025", "3-41/2025"),
    ],
)
def test_protocols_and_decisions_in_the_other_languages(text, expected):
    assert found(text) == [expected]


@pytest.mark.parametrize(
    "text",
    [
        "Үкімет қаулысы № 327 бойынша квота",
        "Өкмөттүн токтому № 61 менен",
        "Vazirlar Mahkamasining qarori № 19 bo'yicha",
        "шешім қабылдадым, нөмірім 87015550312",
    ],
)
def test_acts_of_an_authority_named_before_them_are_public(text):
    assert found(text) == []


def test_a_word_ending_in_n_is_no_number_sign():
    assert found("protokol deshti. men 4 min berdim") == []
    assert found("protokol tuzdi, keyin 12 soat o'tdi") == []
    assert found("protokol N 4471 tuzildi") == ["4471"]


# ID_NUMBER: protocol numbers with a letter series after the Latin "protokol", and a numbered
# decision of the police about one person; public acts stay.


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("napisali protokol po st. 18.8, nomer protokola MS-0417734. Nurlan", "MS-0417734"),
        ("protokol nomer 7712345 berdi", "7712345"),
        ("протокол № АБ-0734152 составили", "АБ-0734152"),
        ("Хушбахтро бо қарори МВД № 3316/24 бе суд берун карданд", "3316/24"),
    ],
)
def test_protocol_series_and_police_decisions(text, expected):
    assert found(text) == [expected]


@pytest.mark.parametrize(
    "text",
    [
        "постановление Правительства № 186 от 2014 года",
        "приказ МВД № 851 от 2020",
        "решение МВД № 851 о порядке",
        "protokol po st. 18.8 KoAP",
    ],
)
def test_public_acts_and_articles_stay(text):
    assert found(text) == []
