"""ADDRESS: street level with house and flat; cities, markets, detention centres are evidence."""

import pytest

from testimony.analysis.recognisers.address import find
from testimony.analysis.spans import ADDRESS


def found(text: str) -> list[str]:
    return [text[s.start : s.end] for s in find(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ул. Ленина, д. 5, кв. 12", "ул. Ленина, д. 5, кв. 12"),
        ("живу улица Тверская 7.", "улица Тверская 7"),
        ("проспект Мира 101к2", "проспект Мира 101к2"),
        ("пер. Садовый 3", "пер. Садовый 3"),
        ("Amir Temur ko'chasi 15-uy", "Amir Temur ko'chasi 15-uy"),
        ("Я жил Mirzo Ulug'bek ko'chasi 5", "Mirzo Ulug'bek ko'chasi 5"),
        ("кӯчаи Рӯдакӣ 45", "кӯчаи Рӯдакӣ 45"),
        ("мкр. 5, дом 12", "мкр. 5, дом 12"),
        ("дом 14 кв 88", "дом 14 кв 88"),
        ("общежитие на ул. Строителей 3", "ул. Строителей 3"),
        ("жил на улице Маршала Жукова 12, кв. 5", "улице Маршала Жукова 12, кв. 5"),
        ("ул ленина 5", "ул ленина 5"),
        ("ул.Ленина 5", "ул.Ленина 5"),
        ("В Москве Тверская улица 7", "Тверская улица 7"),
        ("Абай көшесі 15", "Абай көшесі 15"),
        ("Токтогул көчөсү 12", "Токтогул көчөсү 12"),
        ("Chilonzor 9-kvartal, 12-uy, 45-xonadon", "Chilonzor 9-kvartal, 12-uy, 45-xonadon"),
        ("ул. 8 Марта, д. 3", "ул. 8 Марта, д. 3"),
        ("мкр Юнусабад-4, дом 3", "мкр Юнусабад-4, дом 3"),
        ("lived at 15 Lenin Street", "15 Lenin Street"),
        # Russian typed in Latin letters
        ("adres: ul. Lermontova, d. 14, k. 2, kv. 57.", "ul. Lermontova, d. 14, k. 2, kv. 57"),
        ("zhivu ulitsa Gagarina 9, kv. 4", "ulitsa Gagarina 9, kv. 4"),
        ("the room at ul. Sadovaya 40, kv. 2 was cold", "ul. Sadovaya 40, kv. 2"),
        ("Kashirskoye shosse, 21-uy", "Kashirskoye shosse, 21-uy"),
        ("yotoqxona Varshavskoye shosse, 80-uy, 3-korpus", "Varshavskoye shosse, 80-uy, 3-korpus"),
        # street names of several words, shosse abbreviated
        ("жил на наб. Екатерининского канала, 27, кв. 9.", "наб. Екатерининского канала, 27, кв. 9"),
        ("наб. реки Фонтанки 40", "наб. реки Фонтанки 40"),
        ("общага ш. Космонавтов, д. 12, кв. 30", "ш. Космонавтов, д. 12, кв. 30"),
        # the street name does not swallow a pronoun or a town in a case form before it
        ("Biz Qozonda Pushkin ko'chasi 12-uy, 5-kvartirada turamiz", "Pushkin ko'chasi 12-uy, 5-kvartirada"),
        ("Men Samarqanddagi Registon ko'chasi 7-uy", "Registon ko'chasi 7-uy"),
        ("Улар Бухорода Алишер Навоий кўчаси, 15-уй, 8-хонадон", "Алишер Навоий кўчаси, 15-уй, 8-хонадон"),
        # Kazakh and Kyrgyz, Cyrillic and Latin; titles inside the name
        ("Мекенжай: Әйтеке би көшесі, 5-үй, 7-пәтер", "Әйтеке би көшесі, 5-үй, 7-пәтер"),
        ("Qazybek bi kóshesi, 12-úi", "Qazybek bi kóshesi, 12-úi"),
        ("Чүй көчөсү, 120-үй, 3-батир", "Чүй көчөсү, 120-үй, 3-батир"),
        ("uyum Jibek Jolu kochosu 44-uy", "Jibek Jolu kochosu 44-uy"),
        # a city district before the block is part of the address; the town is not
        (
            "Samarqand sh., Yunusobod tumani, 4-kvartal, 11-uy, 20-xonadon",
            "Yunusobod tumani, 4-kvartal, 11-uy, 20-xonadon",
        ),
        (
            "Almaty, Mirzo Ulugbek district, block 5, house 12, apt 40",
            "Mirzo Ulugbek district, block 5, house 12, apt 40",
        ),
        # English
        ("at Sovetsky Prospekt 12, flat 3.", "Sovetsky Prospekt 12, flat 3"),
        ("hostel at 8 Sadovaya St., bldg 3 in Lyubertsy", "8 Sadovaya St., bldg 3"),
        ("lives on Gagarina St 12-5 now", "Gagarina St 12-5"),
        ("house 7, apt 19", "house 7, apt 19"),
        # a street without a number only where someone lives
        ("я живу на улице Гагарина", "улице Гагарина"),
        # street names that start with a number or a year, or hold "лет"/"летия"
        ("прописка: ул. 40 лет Победы, д. 87, кв. 12", "ул. 40 лет Победы, д. 87, кв. 12"),
        ("ул. 60-летия Октября 5", "ул. 60-летия Октября 5"),
        ("ул. 8-го Марта, 12", "ул. 8-го Марта, 12"),
        ("ул. 1905 года, д. 3", "ул. 1905 года, д. 3"),
        ("prospekt 50 let Oktyabrya 12", "prospekt 50 let Oktyabrya 12"),
        ("ул. им. Чкалова, д. 4", "ул. им. Чкалова, д. 4"),
        # an ordinal before the street; an abbreviated street word after an adjective
        ("снимали 2-я Песчаная ул., д. 6", "2-я Песчаная ул., д. 6"),
        ("4-й Лесной переулок, 9", "4-й Лесной переулок, 9"),
        ("5-я улица Ямского Поля, дом 7", "5-я улица Ямского Поля, дом 7"),
        ("Ленинградское ш., д. 58", "Ленинградское ш., д. 58"),
        ("Мичуринский пр-т, 31", "Мичуринский пр-т, 31"),
        ("Pervomayskaya ul. 17", "Pervomayskaya ul. 17"),
        ("Ново-Переделкинская улица 14", "Ново-Переделкинская улица 14"),
        ("Дмитровско-Лобненское шоссе, 8", "Дмитровско-Лобненское шоссе, 8"),
        # a village or settlement next to the house address is part of it; a rural district is not
        ("Tverskaya obl., Kalininskiy rayon, d. Burashevo, ul. Lugovaya, 6", "d. Burashevo, ul. Lugovaya, 6"),
        ("с. Сосновка, ул. Полевая 21", "с. Сосновка, ул. Полевая 21"),
        ("деревня Мостки, улица Речная, дом 2", "деревня Мостки, улица Речная, дом 2"),
        ("жили в пос. Малаховка-3, д. 17, кв. 2", "пос. Малаховка-3, д. 17, кв. 2"),
        ("Domodedovo rayon, pos. Vostryakovo-1, d. 9", "pos. Vostryakovo-1, d. 9"),
        ("р.п. Андреевка, ул. Школьная, 3", "р.п. Андреевка, ул. Школьная, 3"),
        # rooms and dormitories
        ("we slept at ul. Stroiteley 23, room 408", "ul. Stroiteley 23, room 408"),
        ("they moved us to dorm 5, room 117 last year", "dorm 5, room 117"),
        ("dormitory No. 4, room 21", "dormitory No. 4, room 21"),
        ("общежитие №3, комната 215", "общежитие №3, комната 215"),
        ("ул. Заречная, д. 8, кв. 14, комн. 2", "ул. Заречная, д. 8, кв. 14, комн. 2"),
        ("23 Lesnaya St., room 9", "23 Lesnaya St., room 9"),
    ],
)
def test_finds_address(text, expected):
    assert found(text) == [expected]
    assert find(text)[0].label == ADDRESS


@pytest.mark.parametrize(
    "text",
    [
        "в Москве",
        "на рынке Садовод",
        "в СИЗО-1",
        "ЦВСИГ в Сахарово",
        "на улице холодно",
        "улица без названия",
        "Вчера улица была пустая",
        "улыбка 5",
        "работал в Ташкенте 5 лет",
        "в доме 5 человек",
        "на улице 5 часов стояли",
        "Samarqand viloyati, Urgut tumani",
        "задержали на площади Революции",
        "патрули стояли на Проспекте Мира у метро",
        "v metro na Prospekte Veteranov stoyali",
        "my cousin in St. Petersburg",
        "Biz Moskvada yashaymiz",
        "ш. Хуҷанд, 5 нафар",
        "ul uyda 5 kishi bor edi",
        "paid per month 5000",
        "улица 5 лет как закрыта",
        "Yashnobod tumani, 2019-yil",
        "статья 18.8, часть 3",
        "Men bilmayman ul. Keyin 5 kun turdik",
        "у ул. Мира, 12 дней назад",
        "near Lenin St 40 people stood",
        # look-alikes of the new shapes: a village or a room without a house address, a count
        "нас держали в д. Сосновка",
        "в с. Ивановка было холодно",
        "пос. Малаховка ночью",
        "Tverskaya obl., Kalininskiy rayon, d. Burashevo",
        "room 5 was cold",
        "в комнате 5 человек",
        "ул. 10 лет не видел",
        "Ленинградское шоссе перекрыли",
        "Иванов пр., 5 лет",
        "Каракол ш., 12 адам",
    ],
)
def test_ignores_places_that_are_evidence(text):
    assert found(text) == []


def test_town_before_street_stays_visible():
    assert found("г. Химки, ул. 8 Марта, д. 3") == ["ул. 8 Марта, д. 3"]
    assert found("Podolsk, 1-ya Parkovaya ul., d. 3") == ["1-ya Parkovaya ul., d. 3"]


def test_key_collapses_case_and_spaces():
    assert find("ул.  Ленина,  д. 5")[0].key == find("Ул. ЛЕНИНА, д. 5")[0].key == "ул. ленина, д. 5"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Жили в вагончике, ул. Портовая, д. 9, вагон 3, это Корсаков.", "ул. Портовая, д. 9, вагон 3"),
        ("Тұрған жатақханам: ул. Даурская, 44в, бөлме 12. ЖСН", "ул. Даурская, 44в, бөлме 12"),
        ("уйи 82-й квартал, дом 11, кв. 47. Унинг", "82-й квартал, дом 11, кв. 47"),
        ("Mening uyim 5-y kvartal, 12-uy, 4-xonadon.", "5-y kvartal, 12-uy, 4-xonadon"),
        (
            "Үйдің мекенжайы Рублёво-Успенское шоссе, пос. Горки-2, д. 14. ЖСН",
            "Рублёво-Успенское шоссе, пос. Горки-2, д. 14",
        ),
    ],
)
def test_rooms_trailers_ordinal_blocks_and_parts_found_apart(text, expected):
    assert found(text) == [expected]


@pytest.mark.parametrize(
    "text",
    [
        "Вагон 3 стоял пустой, вагоны 12 и 14 тоже.",  # a trailer number alone is no address
        "Бір бөлмеде 5 адам тұрдық.",  # "in one room five people"
        "82-й квартал года был тяжёлым.",
        "Мы работали в Химках, потом в Москве, на Садоводе.",  # places and a market stay
    ],
)
def test_their_look_alikes_are_not_addresses(text):
    assert found(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # an oblique adjective before an abbreviated street word, a building after the house
        ("долг за жильё по Ярославскому ш., д. 124, стр. 2.", "Ярославскому ш., д. 124, стр. 2"),
        ("жили на Варшавском ш., д. 15", "Варшавском ш., д. 15"),
        # floors, rooms and offices after the house
        ("manzili: Avrora kochasi, 150, 3-qavat.", "Avrora kochasi, 150, 3-qavat"),
        (
            "суроғаи кӯчаи Ленинградская, хонаи 95, ҳуҷраи 7 зиндагӣ",
            "кӯчаи Ленинградская, хонаи 95, ҳуҷраи 7",
        ),
        ("Комсомольская көчөсү, 48-үй, 9-бөлмө.", "Комсомольская көчөсү, 48-үй, 9-бөлмө"),
        (
            "office is at Oktyabrsky Prospekt 151, office 208, Lyubertsy",
            "Oktyabrsky Prospekt 151, office 208",
        ),
        ("the dormitory at Malakhova St 112, block 3 was raided", "Malakhova St 112, block 3"),
        # Kazakh Latin avenue
        ("Mekenjaiym: Vologda, Pobedy dañğyly, 54, 12-päter.", "Pobedy dañğyly, 54, 12-päter"),
    ],
)
def test_street_forms_of_each_language(text, expected):
    assert found(text) == [expected]


@pytest.mark.parametrize(
    "text",
    [
        "на 3 этаже было холодно",
        "в офис 5 раз ходили",
        "по Ярославскому шоссе ехали 40 минут",
        "Pobedy dañğyly boiymen jürdik",
        "3-qavatda ishladik",
        "Каракол ш. 12 киши",
    ],
)
def test_street_form_look_alikes(text):
    assert found(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # garden and dacha cooperatives: a plot is where people live in huts
        ("Жили в бытовке, СНТ «Ивушка», участок 47, у хозяина", "СНТ «Ивушка», участок 47"),
        ("адрес: ДНТ Лесное, уч. 9", "ДНТ Лесное, уч. 9"),
        ("в садовом товариществе Зарянка, участок № 31", "садовом товариществе Зарянка, участок № 31"),
        ("SNT Rodnik, uchastok 58 da yashadik", "SNT Rodnik, uchastok 58"),
        ("СНТ Дружба, ул. Яблоневая, уч. 12", "СНТ Дружба, ул. Яблоневая, уч. 12"),
        # a holding ("вл."), a building and a structure, then a flat
        ("склад по адресу ул. Полевая, вл. 8", "ул. Полевая, вл. 8"),
        ("живём: ул. Зелёная, д. 3, корп. 1, стр. 2, кв. 40", "ул. Зелёная, д. 3, корп. 1, стр. 2, кв. 40"),
        # Kazakh and Kyrgyz microdistricts and villages before the house, and their abbreviations
        ("Мекенжайым: Көктем-4 шағын ауданы, 9-үй, 31-пәтер", "Көктем-4 шағын ауданы, 9-үй, 31-пәтер"),
        ("Дарегим: Учкун кичи району, 3-үй, 17-батир", "Учкун кичи району, 3-үй, 17-батир"),
        ("Үйүбүз Кок-Жар айылы, Чуй көчөсү, 41-үй", "Кок-Жар айылы, Чуй көчөсү, 41-үй"),
        ("Ақтоғай ауылы, Жамбыл көшесі, 6-үй", "Ақтоғай ауылы, Жамбыл көшесі, 6-үй"),
        ("Дарек: Манас көч., 72-үй", "Манас көч., 72-үй"),
        # Tajik: a village before the street, the flat after the house
        ("Суроға: деҳаи Обшорон, кӯчаи Сино 14", "деҳаи Обшорон, кӯчаи Сино 14"),
        ("кӯчаи Фирдавсӣ 21, хонаи 6", "кӯчаи Фирдавсӣ 21, хонаи 6"),
        # English: the flat first, other street words
        ("we rent flat 14, 7 Kirov Street", "flat 14, 7 Kirov Street"),
        ("they came to 18 Mira Prospekt, apt 52", "18 Mira Prospekt, apt 52"),
        ("room at 3 Lenin Blvd", "3 Lenin Blvd"),
        # a Russian street name in a Turkic sentence starts at its adjective
        ("Ammo Yaroslavskaya ko'chasi, 15-uy oldida", "Yaroslavskaya ko'chasi, 15-uy"),
        ("Bolshaya Cherkizovskaya ko'chasi 4-uy", "Bolshaya Cherkizovskaya ko'chasi 4-uy"),
        ("Alisher Navoiy ko'chasi 22-uy", "Alisher Navoiy ko'chasi 22-uy"),
    ],
)
def test_plots_microdistricts_villages_and_more_house_words(text, expected):
    assert found(text) == [expected]


@pytest.mark.parametrize(
    "text",
    [
        "Мы жили в СНТ «Ивушка», там холодно",  # no plot number
        "работали на участке 5 часов",
        "садовое товарищество платит 300 рублей",
        "Ақтоғай ауылы, 2019 жылы",
        "uch 5 kun ishladik",  # Uzbek "three"
        "в Кок-Жар айылы, 41 киши",
    ],
)
def test_plot_and_village_look_alikes(text):
    assert found(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # after "адрес:" / "по адресу", a street without its street word; the town stays visible
        ("Мой адрес: Гагарина, 17, кв. 4. Пишите", "Гагарина, 17, кв. 4"),
        ("нас привезли по адресу Дмитровская 22, там склад", "Дмитровская 22"),
        ("Адрес: г. Люберцы, Октябрьская, д. 9", "Октябрьская, д. 9"),
        ("Manzilim: Andijon, Bobur 14-uy", "Bobur 14-uy"),
        # a shortened adjective in the name, a letter or a glued building after the house number
        ("живу: ул. М. Грузинская, д. 12", "ул. М. Грузинская, д. 12"),
        ("склад на ул. Заводская, 11Б", "ул. Заводская, 11Б"),
        ("дом 14к2 кв 31", "дом 14к2 кв 31"),
        # Kyrgyz in Latin letters, English "apartment" after the street
        ("Chüy prospekti, 41-üy, 8-batir", "Chüy prospekti, 41-üy, 8-batir"),
        ("we lived at 22 Sadovaya St, apartment 14", "22 Sadovaya St, apartment 14"),
    ],
)
def test_streets_after_an_address_word_and_house_number_forms(text, expected):
    assert found(text) == [expected]


@pytest.mark.parametrize(
    "text",
    [
        "Адрес: Москва, 2019 год, я приехал",  # a year
        "адрес: Москва, 5 человек там",  # a count
        "по адресу никто не живёт",
        "Адрес суда: Ленинский районный суд",
    ],
)
def test_address_word_look_alikes(text):
    assert found(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Uzbek Latin "kuchasi", dead-end and narrow streets ("berk", "tor"), a house word with a
        # case ending, Russian "kvartira" in Latin letters
        ("Manzil: Furqat kuchasi 31-uy", "Furqat kuchasi 31-uy"),
        ("ular Muqimiy berk ko'chasi 4-uyda turadi", "Muqimiy berk ko'chasi 4-uyda"),
        ("Шайхонтоҳур тор кўчаси 9-уй", "Шайхонтоҳур тор кўчаси 9-уй"),
        ("Токтогул көчөсү 61-үйдө жашайбыз", "Токтогул көчөсү 61-үйдө"),
        ("ulitsa Pushkina, dom 8, kvartira 41", "ulitsa Pushkina, dom 8, kvartira 41"),
    ],
)
def test_more_street_and_house_spellings(text, expected):
    assert found(text) == [expected]


@pytest.mark.parametrize("text", ["berk ko'chasi bor edi", "uyda 5 kishi edik", "kvartira 2 xonali"])
def test_more_spellings_look_alikes(text):
    assert found(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # dormitories and their rooms in Uzbek, Kyrgyz, Kazakh, Tajik
        ("Biz yotoqxona 6, 118-xonada turamiz", "yotoqxona 6, 118-xonada"),
        ("Ётоқхона №3, 27-хона", "Ётоқхона №3, 27-хона"),
        ("жатакана 2, 406-бөлмө", "жатакана 2, 406-бөлмө"),
        ("Жатақхана №7, 219-бөлме", "Жатақхана №7, 219-бөлме"),
        ("дар хобгоҳи 4, ҳуҷраи 33", "хобгоҳи 4, ҳуҷраи 33"),
    ],
)
def test_dormitories_in_every_language(text, expected):
    assert found(text) == [expected]


@pytest.mark.parametrize("text", ["yotoqxona 6 kishilik", "дар хона 4 нафар будем", "жатаканада 20 киши"])
def test_dormitory_look_alikes(text):
    assert found(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # two names joined by "и" after the street word
        ("жили на ул. Кирилла и Мефодия, 14, кв. 3 до весны", "ул. Кирилла и Мефодия, 14, кв. 3"),
        ("общага на улице Маркса и Энгельса 9 сгорела", "улице Маркса и Энгельса 9"),
        # a room in transliterated Russian
        ("Manzil: ul. Lenina, d. 40, kom. 512.", "ul. Lenina, d. 40, kom. 512"),
        # a numbered microdistrict first, in Kazakh and Kyrgyz
        ("Біз 6-шағын аудан, 12-үй, 44-пәтер. Жазыңыз", "6-шағын аудан, 12-үй, 44-пәтер"),
        ("3-кичи район, 15-үй, 7-батир", "3-кичи район, 15-үй, 7-батир"),
        # English order: house and flat first, then the street
        ("they live at house 17 apartment 4, Sadovaya street, near", "house 17 apartment 4, Sadovaya street"),
        ("flat 12, Pervomayskaya street", "flat 12, Pervomayskaya street"),
    ],
)
def test_streets_with_and_rooms_microdistricts_and_english_order(text, expected):
    assert found(text) == [expected]


@pytest.mark.parametrize(
    "text",
    [
        "Ахмед и Иван пошли на улицу",  # no street word before the names
        "Мен 3 кичи бала менен жашайм",  # "кичи" is "small": three small children
        "we paid 5, then Komsomolskaya street was closed",  # a sum, not a house
        "kom 5 yil ishladim",
        "на ул. Ленина и Петров стоял",  # a street without a number and nobody lives there
    ],
)
def test_their_look_alikes(text):
    assert found(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "Мекенжай кейін, бағдар – Төле би көшесі мен Сейфуллин көшесінің қиылысы.",
        "адрес потом, ориентир: Садовая улица и Лесная улица, угол",
        "address later, meet at Gagarin street and Lenin street corner",
    ],
)
def test_a_crossing_of_two_streets_is_a_landmark(text):
    assert found(text) == []


def test_a_street_with_a_number_before_a_conjunction_is_still_an_address():
    assert found("живём: Садовая улица 5 и Лесная улица 7") == ["Садовая улица 5", "Лесная улица 7"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Biz 9-shağyn audan, 31-úi, 8-páter mekenjaiynda", "9-shağyn audan, 31-úi, 8-páter"),
        ("they lived in 3 microdistrict, house 41, apt 17 in Aktau", "3 microdistrict, house 41, apt 17"),
        ("apt 8, house 23, Pushkin street", "apt 8, house 23, Pushkin street"),
        ("room 412, building 3, Zavodskaya street", "room 412, building 3, Zavodskaya street"),
    ],
)
def test_numbered_microdistricts_in_latin_and_english_and_chains_of_numbers_before_a_street(text, expected):
    assert found(text) == [expected]


@pytest.mark.parametrize(
    "text",
    [
        "we waited 5, 6, Lenin street was empty",
        "in 2 micro loans he paid",
        "page 5, chapter 2, Lenin street is mentioned",
    ],
)
def test_numbers_that_are_no_house_before_a_street(text):
    assert found(text) == []


# ADDRESS: highway kilometres and plots with a house on them, trailer camps, Kyrgyz and Kazakh floors
# and offices, Russian streets named by their adjective alone; their look-alikes stay.


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Задержана на складе по Киевскому ш., 41-й км, стр. 3. Вместе", "Киевскому ш., 41-й км, стр. 3"),
        ("Адрес теплица: Дмитровское шоссе, 12 км, вл. 3.", "Дмитровское шоссе, 12 км, вл. 3"),
        ("Bizdin bolmo: ul. Gagarina 5-i uchastok, dom 17. Emil", "ul. Gagarina 5-i uchastok, dom 17"),
        (
            "Adresi: ul. Taezhnaia 14, vagon-gorodok, 3-vagon. Dosy",
            "ul. Taezhnaia 14, vagon-gorodok, 3-vagon",
        ),
        ("офис: Бишкек, Токтогул көчөсү 115, 3-кабат.", "Токтогул көчөсү 115, 3-кабат"),
        ("Кеңсе: Астана, Сарыарқа даңғылы 8, 14-кеңсе.", "Сарыарқа даңғылы 8, 14-кеңсе"),
        # a street named by its adjective alone: with a building after the house, or where someone lives
        ("v Kupchino na Bukharestskoi 72 korp 1, tam zhivut", "Bukharestskoi 72 korp 1"),
        ("We slept in a barrack at Sadovaya 5/2. In May", "Sadovaya 5/2"),
        ("We live at Sadovaya 5/2. In May", "Sadovaya 5/2"),
        ("живу на Садовой 12, рядом рынок", "Садовой 12"),
    ],
)
def test_highway_plots_trailers_floors_and_adjective_streets(text, expected):
    assert found(text) == [expected]


@pytest.mark.parametrize(
    "text",
    [
        # a kilometre without a house on it is where something happened
        "авария на Киевском шоссе, 41 км, водитель не пострадал",
        "нас остановили на 41-м км трассы М-4",
        # an adjective and a number without a building or a word for living: not an address
        "On Sadovaya 32 police stopped me",
        "I live in Moscow. Tverskaya 7 is where they stopped me",
        "живу у Петровой 2 недели",
        "живу на Садовой 2019 года",
    ],
)
def test_highway_plot_and_adjective_street_look_alikes(text):
    assert found(text) == []
