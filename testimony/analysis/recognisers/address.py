"""Street-level addresses: street + house (+ building, flat); key = lower-cased, spaces collapsed.

Only the street part is redacted: "общежитие на ул. Строителей 3" keeps "общежитие на". A city,
region, market or detention centre alone is evidence and is never matched here, nor is "улица"
without a name ("на улице холодно"). A town before the street ("г. Химки, ул. ...", "Buxoro sh.,
...") stays visible; a city district right before it ("Chilonzor tumani, 9-kvartal ...") is part
of the address. Shapes, in Cyrillic and in Latin transliteration ("ul. Dybenko, d. 26, kv. 118"):
- street word then name: "ул. Ленина, д. 5, кв. 12", "наб. реки Мойки 12", "кӯчаи Рӯдакӣ 45";
- name then street word: "Тверская улица 7", "Amir Temur ko'chasi 15-uy", "Абай көшесі, 15-үй,
  3-пәтер", "Tole bi kóshesi 4-úi", "Varshavskoye shosse, 12-uy", "Lenin St 5-12";
- numbered block or bare house and flat: "мкр. 5, дом 12", "9-kvartal 12-uy", "дом 14 кв 88",
  "block 4, house 7, apt 9"; English "15 Lenin Street, bldg 2".
A lower-case street name counts only with a house number after it ("ул ленина 5"). The name is at
most three words; a pronoun or a place in a case form before it ("Biz Moskvada ...") is not part.
"""

from __future__ import annotations

import re

from testimony.analysis.recognisers._util import (
    APOSTROPHES,
    context_before,
    has_any,
    lower_keeping_offsets,
    resolve,
)
from testimony.analysis.spans import ADDRESS, Span

_A = f"[{APOSTROPHES}]?"
_UPPER = "A-ZА-ЯЁЎҚҒҲӮӢҶӘҢӨҰҮҺІ"
_CAP = (
    rf"(?:[{_UPPER}][\w{APOSTROPHES}\-]*"
    rf"|\d{{1,3}}(?:-?[а-яa-z]{{1,2}}|-?(?:летия|letiya)|\s+(?:лет|let))?\s+[{_UPPER}][\w\-]*"
    r"|(?:19|20)\d\d\s+(?:года|goda)(?!\w))"
)
_LOW = r"[a-zа-яёўқғҳӯӣҷәңөұүһі][\w\-]{2,}"
# Lower-case words inside a street name after a capitalised one: "Бобур шоҳ", "Tole bi", "Abay uly".
_TITLE = (
    r"(?:shoh|шоҳ|шох|bi|би|ota|ата|bobo|бобо|xon|хон|хан|khan|batyr|батыр|baatyr|баатыр|uly|ulı|улы"
    r"|uulu|уулу|datka|датка"
    # a dead-end or narrow street: "Muqimiy berk ko'chasi", "Шайхонтоҳур тор кўчаси"
    r"|berk|берк|tor|тор)"
)
_NAME3 = rf"{_CAP}(?:\s+(?:{_CAP}|{_TITLE})){{0,2}}"
# After a street word, two names may be joined by "и"/"va"/"and": "ул. Сакко и Ванцетти", "ул.
# Кирилла и Мефодия" (not before the street word, where "и" joins a person to a street).
_NAME3_AND = rf"{_CAP}(?:\s+(?:(?:и|va|ва|and)\s+(?=[{_UPPER}]))?(?:{_CAP}|{_TITLE})){{0,2}}"
# Uzbek, Kazakh/Kyrgyz, Uzbek Cyrillic, Kazakh Latin: "15-uy"; with a locative or dative glued on:
# "15-uyda yashaymiz", "5-үйдө", "12-уйга"
_HOUSE_WORD = r"(?:uy|үй|уй|úi|üi|ui|üy|úy)(?:da|de|ga|дa|да|де|дө|дә|га|ге|гә|та|те|тө)?"
_HOUSE = (
    r"(?:(?:д(?:ом)?|d|dom|house|uy|үй|хонаи|№|участок|уч(?=\.)|uchastok|вл(?:адение)?|vl)\.?\s*(?:№\s*)?)?\d{1,4}(?:[а-яa-zАБВГДЕЖA-H](?!\w))?"
    r"(?:\s*[/\-]\s*\d{1,4}(?!\s*-?\s*(?:xonadon|хонадон|kvartir|квартир|пәтер)))?"
    rf"(?:\s*-?\s*{_HOUSE_WORD}(?!\w))?"
    # a building and a structure: "корп. 2, стр. 1"
    r"(?:\s*,?\s*(?:(?:к(?:орп(?:ус)?)?|стр(?:оение)?|бинои|binoi|bino|k|korp(?:us)?|str|bldg|building|block|blok)\.?\s*\d{1,3}"
    r"|\d{1,3}\s*-?\s*(?:korpus|корпус|bino|бино)(?!\w))){0,2}"
)
# a flat; a room in Kyrgyz/Kazakh ("9-бөлмө"); a floor, which narrows a house down ("3-qavat")
_FLAT_WORD = (
    r"(?:xonadon|хонадон|kvartira|квартира|пәтер|патер|päter|páter|pater|батир|batir|бөлмө|бөлме|bölme|bolme"
    r"|qavat|қават|этаж|etazh"
    # a floor and an office in Kyrgyz and Kazakh ("3-кабат", "14-кеңсе"), a trailer ("3-vagon")
    r"|кабат|қабат|qabat|kabat|кеңсе|keñse|kense|ofis|офис|vagon|вагон"
    # a room in an Uzbek or Tajik dormitory: "214-xona", "45-хона"
    r"|xona|хона)"
)
_FLAT = (
    r"(?:кв(?:артира)?|kv(?:artira)?|apt|apartment|flat|xonadon|хонадон|пәтер|батир|ком(?:ната)?|комн|room|rm|kom(?:n(?:ata)?)?"
    # a room in Kazakh/Kyrgyz, a trailer on a building site: "бөлме 12", "вагон 3"
    r"|бөлме|бөлмө|bölme|bolme|вагон|vagon"
    # a room in Tajik ("ҳуҷраи 7"), an office, a floor
    r"|ҳуҷраи|хуҷраи|ҳуҷра|office|ofis|офис|оф|этаж|etazh|floor|qavat"
    # Tajik: the flat after the house ("кӯчаи Айнӣ 45, хонаи 12", "квартираи 12")
    r"|хонаи|квартираи)"
    r"\.?\s*(?:№|#|[Nn]o\.?)?\s*\d{1,4}"
    rf"|\d{{1,4}}\s*-?\s*{_FLAT_WORD}\w*"
)
# "5 лет", "5 часов", "5 kun", "5 нафар", "5 people": a count, not a house number
_NOT_A_HOUSE = (
    r"(?!\s*(?:года?|г\.|лет|дн[еяи]|недел|месяц|тыс|руб|сум|час|мин|человек|чел"
    r"|kun|kishi|yil|soat|ming|so.?m|рӯз|сол|нафар|соат|күн|адам|жыл|миң|мың|киши|кісі"
    r"|days?|people|years?|hours?|men\b|times|км\b|km\b))"
)
# A kilometre of a highway or a numbered plot, then the holding or house on it: "Киевское ш., 41-й км,
# стр. 3", "Дмитровское шоссе, 12 км, вл. 3", "ul. Gagarina 5-i uchastok, dom 17". Without the house
# after it a kilometre mark is where something happened ("на 41-м км трассы").
_KM_HOUSE = (
    r"\d{1,3}\s*-?\s*(?:[ймi]|ый|ий|ой|ом|yi|iy|yy)?\s*(?:км|km|участ\w+|uchast\w+)\.?\s*,?\s*"
    r"(?:вл(?:адение)?|д(?:ом)?|стр(?:оение)?|vl|d|dom|str|house)\.?\s*\d{1,4}(?:[а-яa-z](?!\w))?"
    r"(?:\s*,?\s*(?:к(?:орп(?:ус)?)?|стр(?:оение)?|korp(?:us)?|str)\.?\s*\d{1,3}){0,2}"
)
# A camp of trailers between the house and the trailer's number: "14, vagon-gorodok, 3-vagon"
_CAMP = r"(?i:vagon-?gorodok\w*|вагон-?городок\w*|vakhtovyi\s+gorodok|вахтовый\s+городок)\s*,?\s*"
_TAIL = (
    rf"(?P<house>\s*,?\s*(?<![\d])(?:{_KM_HOUSE}|{_HOUSE})(?!\d){_NOT_A_HOUSE})?"
    rf"(?P<flat>(?:\s*,?\s*(?:{_CAMP})?(?:{_FLAT})){{1,2}})?"
)
# After a name, at most one lower-case word more if a house number follows: "наб. Обводного канала, 118".
_LOW_BEFORE_HOUSE = (
    rf"(?:\s+{_LOW}(?=\s*,?\s*(?:(?:д|дом|d|dom)\.?\s*)?\d{{1,4}}(?:\s*[,.;]|\s*$|\s+(?:кв|kv|к\.|k\.)|-)))?"
)

# Street words before the name, Cyrillic and Latin apart: two short alternations scan faster than one.
_PREFIX_CYR = (
    r"ул(?:иц[аеуыи]й?)?\.?|пр(?:оспект\w*|осп|-т|\.)|пер(?:еул\w*)?\.?|б(?:ульвар\w*|-р)\.?"
    r"|шоссе|ш\.|пр(?:оезд\w*|-д)\.?|пл(?:ощад\w*)?\.?|наб(?:ережн\w*)?\.?|тупик\w*|алле[яеию]|тракт\w*"
    r"|мкр(?:н)?\.?|мк-н|микрорайон\w*|кв-л|кӯчаи|кучаи|хиёбони|гузаргоҳи"
)
# Russian typed in Latin letters; short forms only with their dot ("ul" is Uzbek "that").
_PREFIX_LAT = (
    r"street|st\.|avenue|ave\.|mikrorayon\w*|ul\.|ulits[aeuy]|ulica|prosp(?:ekt\w*|\.)|pr\.|pr-t|per\."
    r"|pereul\w*|bul'?var\w*|b-r|shosse|nab\.|naberezhn\w*|proy?ezd\w*|kuchai|ko'chai"
)
_SUFFIX_CYR = (
    r"улица|переулок|проспект|бульвар|шоссе|проезд|набережная|тупик|кўчаси|кучаси|көшесі|көчөсү|даңғылы"
    r"|көч\.|көш\."
    # typed without the Kazakh and Kyrgyz letters: "Абай кошеси", "Ош кочосу"
    r"|кошеси|кошесі|кочосу|көчөсу"
    r"|проспекти(?:си)?|ул\.|пер\.|пр-т|пр\.|б-р|пр-д|наб\.|ш\."
)
_SUFFIX_LAT = (
    rf"k[ou]{_A}chasi|street|st\.|avenue|ave\.|road|rd\.|mavzesi|massivi|mahallasi"
    r"|ko[cč]h?[oö]s[uü]|k[oóö][sş]h?es[iı]|da[nñń][gğǵ]yly|ulitsa|prospekti(?:si)?|prospekt|shosse|pereulok|bul'?var|naberezhnaya|proy?ezd|şosse"
    r"|st(?=\s*\d)|ul\.|per\.|pr-t|pr\.|prosp\."
)
_STREET_WORD = re.compile(
    r"(?i)улица|переулок|проспект|бульвар|шоссе|проезд|набережная|тупик|street|avenue|road"
)
# Abbreviated street words after the name ("1-я Парковая ул., д. 3", "Ленинский пр-т 45") only
# after an adjective and with a house number: "Каракол ш." or "Иванов пр." are something else.
_SHORT_STREET_WORD = re.compile(r"(?i)ул\.|ш\.|пер\.|пр-т|пр\.|б-р|пр-д|наб\.|ul\.|per\.|pr-t|pr\.|prosp\.")
# Nominative and oblique ("по Ярославскому ш.", "на Варшавском шоссе").
_ADJ_END = re.compile(
    r"(?i)(?:ая|яя|ий|ый|ой|ое|ее|ому|ему|ом|ем|ую|юю|ого|его|aya|yaya|iy|yy|oy|oye|oe|eye|ij|yj|omu|om)$"
)
# Feminine and "-sky" adjectives only (not "Navoiy", "Abay"): the Russian street names Turkic texts keep.
_RU_ADJ = re.compile(r"(?i)(?:aya|ая|яя|sk(?:iy|ij|oy|oye|oe)|ск(?:ий|ой|ое))$")
# An ordinal right before the street belongs to it: "3-я улица Строителей", "2-й Вольский проезд".
_ORDINAL_BEFORE = re.compile(r"(?<![\w\-])\d{1,2}\s*-?\s*(?i:я|й|ая|ый|ий|ой|ya|y|iy|yy|aya|ja|j)\s+$")
# A village, settlement or microdistrict right before the street or house is part of the address
# ("d. Kondratovo, ul. Kamskaya, 11", "пос. Горки-2, д. 14"); a town ("г. Химки, ...") is not.
# "д."/"d." is derevnya before a name, dom before a number.
_SETTLE_WORD = (
    r"(?i:(?:с|д|п|х|s|d|p|x|р\.\s?п|r\.\s?p)\.|(?:пос[её]лок|пос|пгт|рп|дер(?:евня)?|село|станица|ст-ца|хутор|аул|кишлак"
    r"|мкр|микрорайон|снт|днт|pos(?:[eyo]{1,2}lok)?|pgt|der(?:evnya)?|selo|stanitsa|khutor|aul|qishloq"
    r"|mkr|mikrorayon|snt|днт|тсн|днп|дпк|кп|dnt|tsn|деҳаи|dehai)\.?"
    # garden and dacha cooperatives, where migrants live in huts: "СНТ «Рассвет», участок 14"
    r"|(?i:садов\w*|дачн\w*|sadov\w*|dachn\w*)\s+(?:(?i:некоммерческ\w*|nekommerchesk\w*)\s+)?"
    r"(?i:товарищ\w*|кооператив\w*|партн[её]рств\w*|массив\w*|tovarishch\w*|kooperativ\w*|massiv\w*))"
)
_MICRODISTRICT = re.compile(r"(?i)мкр|микро|mkr|mikro")
_SETTLE_START = re.compile(rf"{_SETTLE_WORD}\s*[«\"„“]?[{_UPPER}]")
_SETTLE_NAME = rf"[«\"„“]?[{_UPPER}][\w{APOSTROPHES}\-]*(?:\s+[{_UPPER}][\w\-]*)?[»\"“”]?"
_SETTLEMENT_BEFORE = re.compile(
    rf"(?<![\w.]){_SETTLE_WORD}\s*{_SETTLE_NAME}\s*,\s*$"
    # Kyrgyz, Kazakh, Uzbek put the village word after a name of one word: "Ак-Суу айылы, ..."
    rf"|(?<![\w.\-])[{_UPPER}][\w{APOSTROPHES}\-]*\s+(?i:айылы|ауылы|кыштагы|кишлоғи|кишлоги|қишлоғи|aiyly|ayyly|auyly|awyly"
    rf"|qishlog{_A}i|posyolkasi|поселкаси|посёлкаси)\s*,\s*$"
)
# Words that start a sentence but not a street name: pronouns, "now", "home"; and a place in a case
# form ("Moskvada", "Андижонда", "Бишкектеги"): the street name comes after them.
_NOT_STREET = re.compile(
    r"(?i)(?:biz|men|siz|u|ular|bizning|mening|uning|hozir|endi|uy|uyim|manzil\w*|мен|биз|сиз|ал|мы|я|он"
    r"|она|они|мой|наш|we|i|my|our|his|her|they|now|home|address|ман|мо|шумо|ӯ|биздин|менин|біз|менің"
    r"|біздің|азыр|қазір|ҳозир|ҳамин|в|на|у|адрес\w*|дарек\w*|мекенжай\w*)"
    r"|(?i:\w+(?:da|dan|dagi|ga|de|den|ge|togu|dogu|daky|dagy|deki"
    r"|да|дан|даги|га|де|ден|ге|та|тан|те|тен|нан|нен|ға|дагы|деги|дегі|тағы|тегі|тагы|теги))"
)
# A street without a house number is where something happened (a metro station, a square: evidence)
# unless the writer says someone lives there: "живу на улице Ленина", "manzilim Navoiy ko'chasi".
_HOME = re.compile(
    r"(?i)жив[уёеё]|жил[аи]?\b|прожива|пропис|адрес|manzil|yasha|turaman|live[sd]?\b|living|address|home"
    r"|тура(?:м|мыз)|тұрам|жашай|зиндагӣ|истиқомат|мекенжай|дарек|yashay"
)
# A city district right before the street or block is part of the address (a town is not).
_DISTRICT = re.compile(
    rf"(?<![\w\-])(?:[{_UPPER}][\w{APOSTROPHES}\-]*\s+){{1,2}}"
    r"(?i:tumani|тумани|district|район[аеу]?|р-н|ауданы|району|rayon\w*|mavzesi|massivi"
    # a microdistrict: "Самал-2 шағын ауданы", "Жетісу ықшам ауданы", "Асанбай кичи району"
    r"|(?:шағын|ықшам|кичи|shag.?yn|yqsham|kichi)\s+(?:аудан\w*|район\w*|audan\w*|rayon\w*)|кичирайон\w*)\s*,\s*$"
    rf"|(?<!\w)(?i:район|р-н|district|ноҳияи|nohiyai)\s+[{_UPPER}][\w\-]*\s*,\s*$"
)

# A house or flat number just before the street, as English puts it ("house 5 apartment 12,
# Komsomolskaya street"): the street is part of that address even without a number after it.
_NUMBER_BEFORE_STREET = re.compile(
    r"(?:(?<!\w)(?i:house|apartment|apt\.?|flat|room|building|bldg\.?|block|korpus|дом|д\.|кв\.?|квартира"
    r"|корп\.?|корпус|uy|xonadon|kv\.?|d\.|dom)\s*(?:№|#|no\.?)?\s*\d{1,4}[a-zа-я]?\s*,\s*){1,3}$"
)
# A street joined to another street by "and" is a crossing, a landmark, not where someone lives.
_CROSSING_AFTER = re.compile(
    rf"\s+(?i:мен|менен|и|and|va|ва|bilan|билан|бо)\s+{_NAME3}\s+(?:{_SUFFIX_CYR}|{_SUFFIX_LAT}|(?i:улиц|көше|көчө|ko.?ch|street))"
)
_CROSSING_BEFORE = re.compile(
    rf"(?:{_SUFFIX_CYR}|{_SUFFIX_LAT}|(?i:улиц\w*|street))\s+(?i:мен|менен|и|and|va|ва|bilan|билан|бо)\s+$"
)
_PRONOUN_BEFORE_NUMBER = re.compile(r"(\w+)\s+(?=\d)")
_MARKED_HOUSE = re.compile(r"\s*,?\s*(?:д|дом|d|dom)\.?\s*\d")

# Большая, Малая, Средняя, Старая, Новая, Нижняя, Верхняя shortened: "ул. Б. Серпуховская"
_SHORT_ADJ = r"Б|М|Ср|Ст|Нов|Н|В|Бол|Мал|B|M|Sr|Bol|Mal"
# The street word is found in ``text.lower()`` (a literal alternation the engine skips through fast),
# the name and numbers after it in the original text, where capitals matter.
_PREFIX_RXS = (re.compile(_PREFIX_CYR), re.compile(_PREFIX_LAT))
_RX_PREFIX = re.compile(
    rf"(?:(?<=\.)|(?!\w))\s*(?P<name>(?:(?:им|im|{_SHORT_ADJ})\.\s*|(?:имени|imeni|{_LOW})\s+(?=[{_UPPER}]))?{_NAME3_AND}{_LOW_BEFORE_HOUSE}|{_LOW}|\d{{1,3}}(?!\d))"
    rf"(?!\w){_TAIL}"
)
# The street word after the name is found in ``text.lower()`` too; the name is then read backwards
# from it (the longest run of up to three name words ending right before it) and the numbers after.
_SUFFIX_RXS = (re.compile(rf"(?:{_SUFFIX_CYR})(?!\w)"), re.compile(rf"(?:{_SUFFIX_LAT})(?!\w)"))
_NAME_BEFORE = re.compile(rf"(?<!\w){_NAME3}(?=\s+$)")
_RX_TAIL = re.compile(_TAIL)
_BLOCK_WORD = (
    r"(?i:kvartal\w*|квартал\w*|мкр\.?|микрорайон\w*|mavze\w*|мавзе\w*"
    # a numbered microdistrict in Kazakh and Kyrgyz: "14-шағын аудан", "7-кичи район", "3-shaǵyn aýdan"
    r"|(?:шағын|ықшам|кичи|sha[gğǵ]\w?yn|[yı]qsham|kichi)\s+(?:аудан\w*|район\w*|a[uýw]dan\w*|rayon\w*)"
    r"|microdistrict|micro-district)"
)
_RX_BLOCK = re.compile(
    rf"(?<!\w)(?:[{_UPPER}][\w\-]+\s+)?\d{{1,3}}(?:\s*-?\s*{_BLOCK_WORD}"
    # "82-й квартал, дом 11" with a house after it; "2-й квартал" alone is a quarter of the year
    rf"|-?(?i:й|я|ый|ий|ya|y|iy|yy)\s*{_BLOCK_WORD}(?=\s*,?\s*(?i:д\.|дом|d\.|dom|house|\d)))"
    rf"(?!\w){_TAIL}"
)
_RX_HOUSE_FLAT = re.compile(
    r"(?<!\w)(?:(?i:block|blok|квартал|kvartal)\s*\d{1,3}\s*,\s*)?"
    r"(?i:д(?:ом)?\.?|uy|үй|уй|house|dom|d\.|dorm(?:itory)?|hostel|block|blok|bldg\.?|building|корпус|корп\."
    r"|общежити[еяи]|общаг[аиеу]|obshchezhitie|obshchaga|obshaga"
    # a dormitory in Uzbek, Kyrgyz, Kazakh, Tajik
    r"|yotoqxona\w*|ётоқхона\w*|жатакана\w*|жатақхана\w*|jataqhana\w*|jatakana\w*|хобгоҳ\w*|xobgoh\w*)"
    rf"\s*(?:№|#|[Nn]o\.?)?\s*\d{{1,4}}(?:[а-яa-zАБВГДЕЖA-H](?!\w)|[кk]\d{{1,2}}(?!\w))?(?:\s*[/\-]\s*\d{{1,4}})?"
    rf"\s*,?\s*(?i:{_FLAT})(?!\d)"
    rf"|(?<!\w)\d{{1,4}}\s*-?\s*{_HOUSE_WORD}\s*,?\s*\d{{1,4}}\s*-?\s*{_FLAT_WORD}\w*"
)
_RX_EN = re.compile(
    # a flat may come first: "flat 5, 12 Baker Street"
    r"(?<![\w\-])(?:(?:apt|flat|apartment|room)\.?\s*(?:#|[Nn]o\.?)?\s*\d{1,4},?\s+)?"
    r"\d{1,4}[A-Za-z]?,?\s+(?:[A-Z][\w'\-]*\s+){1,3}"
    r"(?:Street|St\.?|Avenue|Ave\.|Road|Rd\.|Lane|Boulevard|Blvd\.?|Prospekt|Prospect|Highway|Embankment)"
    r"(?!\w)(?:,?\s*(?:apt|apartment|flat|bldg|building|block|house|korpus|room|rm|dorm)\.?\s*(?:#|[Nn]o\.?)?\s*\d{1,4}){0,3}"
)


# Substrings one of which each pattern needs; tested first because they cost next to nothing.
_PREFIX_STEMS = (
    (
        "ул",
        "пр",
        "пер",
        "б-р",
        "бул",
        "шоссе",
        "ш.",
        "пл",
        "наб",
        "тупик",
        "алле",
        "тракт",
        "мкр",
        "мк-н",
        "микрор",
        "кв-л",
        "кӯча",
        "куча",
        "хиёбон",
        "гузаргоҳ",
    ),
    (
        "street",
        "st.",
        "avenue",
        "ave.",
        "mikror",
        "ul.",
        "ulit",
        "ulica",
        "pr",
        "per",
        "bul",
        "b-r",
        "shosse",
        "nab",
        "proezd",
        "proyezd",
        "kuchai",
        "ko'chai",
    ),
)
_SUFFIX_STEMS = (
    (
        "улица",
        "переулок",
        "проспект",
        "бульвар",
        "шоссе",
        "проезд",
        "набережная",
        "тупик",
        "кўча",
        "куча",
        "көше",
        "көчө",
        "даңғыл",
        "көч.",
        "көш.",
        "кошес",
        "кочос",
        "көчөсу",
        "ул.",
        "пер.",
        "пр",
        "б-р",
        "наб.",
        "ш.",
    ),
    (
        "ko",
        "kuchasi",
        "kö",
        "kó",
        "dañ",
        "dang",
        "dań",
        "street",
        "st",
        "avenue",
        "ave.",
        "road",
        "rd.",
        "mavze",
        "massiv",
        "mahalla",
        "ulitsa",
        "prospekt",
        "shosse",
        "şosse",
        "pereulok",
        "bul",
        "naberezhnaya",
        "proezd",
        "proyezd",
        "ul.",
        "per.",
        "pr",
    ),
)
# House + flat and numbered blocks are found from their rarer word ("кв", "xonadon", "kvartal"), and
# the pattern is then tried from a little before it: far cheaper than trying it at every digit.
_FLAT_ANCHOR = re.compile(
    r"кв|kv|apt|apartment|flat|xonadon|хонадон|пәтер|päter|páter|pater|батир|batir|ком|room|rm|komn|бөлм|bölm|bolm|вагон|vagon"
    r"|ҳуҷра|хуҷра|office|qavat|xona|хона"
)
# A house, or a plot in a garden cooperative ("участок 14", "уч. 14")
# ("уч" is also Uzbek "three": only with its dot)
_PLOT_OR_HOUSE = r"(?i:д|дом|d|dom|house|участок|уч(?=\.)|uchastok|plot)"
# A village or settlement with a house number and no street: "пос. Горки-2, д. 14", found from ", д.".
_RX_VILLAGE = re.compile(
    rf"(?<![\w.]){_SETTLE_WORD}\s*{_SETTLE_NAME}(?:-\d{{1,3}})?\s*,\s*{_PLOT_OR_HOUSE}\.?\s*№?\s*\d{{1,4}}"
    rf"(?:[а-яa-zАБВГДЕЖA-H](?!\w))?(?:\s*/\s*\d{{1,4}})?(?:\s*,?\s*(?i:{_FLAT})){{0,2}}(?!\d)"
)
_VILLAGE_ANCHOR = re.compile(rf"(?<=,)\s*{_PLOT_OR_HOUSE}\.?\s*№?\s*\d")
_BLOCK_ANCHOR = re.compile(
    r"kvartal|квартал|мкр|микрорайон|mavze|мавзе|шағын|ықшам|кичи|sha[gğǵ]|[yı]qsham|kichi|micro"
)
_WORD_START = re.compile(r"(?<!\w)\w")
# After "по адресу" or "адрес:", a capitalised name and a house number are a street without its
# street word: "адрес: Ленина, 5, кв. 12", "по адресу Южнопортовая 7". A town before it ("г. Химки,",
# "Москва,") stays visible; a year is not a house ("адрес: Бишкек, 2019").
_ADDRESS_CUE = re.compile(
    r"(?<!\w)(?:по\s+адресу|(?:адрес|address|manzil|мекенжай|дарек|суроға|adres|manzil)\w*\s*:)\s*"
)
_RX_CUED = re.compile(
    rf"(?:(?:(?i:г|гор|город|ш|sh|қ|q)\.\s*)?[{_UPPER}][\w\-]*\s*,\s*)?"
    rf"(?P<street>{_NAME3}\s*,?\s*(?:(?:д|дом|d|dom)\.?\s*)?(?!(?:19|20)\d\d(?!\d))\d{{1,4}}"
    rf"(?:[а-яa-zАБВГДЕЖA-H](?!\w))?(?:\s*[/\-]\s*\d{{1,4}})?(?!\d){_NOT_A_HOUSE}"
    rf"(?:\s*-?\s*{_HOUSE_WORD}(?!\w))?(?:\s*,?\s*(?:{_FLAT}))*)"
)
_CUE_STEMS = ("адрес", "address", "manzil", "мекенжай", "дарек", "суроға", "adres")
_EN_STEMS = (
    "street",
    "st",
    "avenue",
    "ave.",
    "road",
    "rd.",
    "lane",
    "boulevard",
    "blvd",
    "prosp",
    "highway",
    "embankment",
)

# A Russian street named by its adjective alone, without a street word ("na Bukharestskoi 72 korp 1",
# "живу на Садовой 12"): only with a building or flat after the house, or right after a word for
# living or an address ("We live at Sadovaya 5/2"). A year is no house.
_RX_BARE_STREET = re.compile(
    rf"(?<![\w\-])[{_UPPER}][a-zа-яё]*(?:sk|ov|ev|in|n|zh|ch|sh|ск|ов|ев|ин|н|ж|ч|ш)(?:aya|aia|oi|oy|oj|ая|ой)"
    r"\s+(?!(?:19|20)\d\d(?!\d))\d{1,4}(?:[а-яa-z](?!\w))?(?:\s*/\s*\d{1,4})?(?![\w/])"
    r"(?P<bldg>(?:\s*,?\s*(?:korp(?:us)?|k\.|корп(?:ус)?|к\.|kv\.?|кв\.?|str\.|стр\.|kvartira|квартира)"
    r"\s*\d{1,4}(?!\d)){1,2})?"
)
_BARE_STREET_CUE = re.compile(
    r"(?i)(?:жив[уёеё]\w*|прожива\w*|адрес\w*|zhiv[uyoe]\w*|prozhiva\w*|adres\w*|address\w*|li?ves?|living"
    r"|lived|stay(?:ed|ing)?"
    # where people sleep: "a barrack at Sadovaya 5/2", "v obshage na Bukharestskoi 72"
    r"|barracks?|hostel|dorm\w*|obsh(?:ch)?ag\w*|общаг\w*|общежити\w*)(?:\s+\w+){0,2}\s+(?:на|в|по|at|on|in|na|v|po)?\s*:?\s*$"
)
_COUNT_AFTER = re.compile(_NOT_A_HOUSE.replace("(?!", "(?=", 1))


# Found from the adjective's ending before a number (cheap), then read from the word's start.
_BARE_ANCHOR = re.compile(r"(?:ya|ia|o[iyj]|ая|ой)\s+\d")
_WORD_BACK = re.compile(r"\w+$")


def _bare_streets(text: str) -> list[Span]:
    out: list[Span] = []
    for a in _BARE_ANCHOR.finditer(text):
        w = _WORD_BACK.search(text, max(0, a.start() - 30), a.start() + 2)
        m = w and _RX_BARE_STREET.match(text, w.start())
        if not m:
            continue
        if not m.group("bldg") and (
            _COUNT_AFTER.match(text, m.end())
            or not _BARE_STREET_CUE.search(text, max(0, m.start() - 40), m.start())
        ):
            continue
        out.append(_span(text, m.start(), m.end(), 0.8))
    return out


def _span(text: str, start: int, end: int, score: float) -> Span:
    while end > start and text[end - 1] in " ,.":
        end -= 1
    lead = _PRONOUN_BEFORE_NUMBER.match(text, start, end)
    if lead and _NOT_STREET.fullmatch(lead.group(1)):
        start = lead.end()  # "Біз 6-шағын аудан": "we" is not part of the microdistrict
    o = _ORDINAL_BEFORE.search(text, max(0, start - 8), start)
    if o:
        start = o.start()
    v = _SETTLEMENT_BEFORE.search(text, max(0, start - 50), start)
    if v:
        start = v.start()
    # A city district before the street is part of it; a rural one before a village is not.
    village = _SETTLE_START.match(text, start) and not _MICRODISTRICT.match(text, start)
    d = None if village else _DISTRICT.search(text, max(0, start - 60), start)
    if d:
        start = d.start()
    return Span(start, end, ADDRESS, " ".join(text[start:end].lower().split()), score)


def _anchored(text: str, lowered: str, anchor: re.Pattern[str], rx: re.Pattern[str], back: int) -> list[Span]:
    out: list[Span] = []
    lo = 0  # word starts before ``lo`` were tried for an earlier anchor: their match ends before this one
    for a in anchor.finditer(lowered):
        if a.start() < lo or (a.start() and lowered[a.start() - 1].isalpha()):
            continue  # inside a word: "Москве", "декабря"
        for w in _WORD_START.finditer(text, max(lo, a.start() - back), a.start() + 1):
            m = rx.match(text, w.start())
            if m and m.end() >= a.end():
                out.append(_span(text, m.start(), m.end(), 0.9))
                lo = m.end()
                break
        else:
            lo = a.start() + 1
    return out


def find(text: str) -> list[Span]:
    lowered = lower_keeping_offsets(text)
    spans: list[Span] = []
    for rx, stems in zip(_PREFIX_RXS, _PREFIX_STEMS, strict=True):
        for k in rx.finditer(lowered) if has_any(lowered, stems) else ():
            spans.extend(_after_prefix(text, lowered, k))
    for rx, stems in zip(_SUFFIX_RXS, _SUFFIX_STEMS, strict=True):
        for k in rx.finditer(lowered) if has_any(lowered, stems) else ():
            spans.extend(_before_suffix(text, lowered, k))
    spans += _anchored(text, lowered, _BLOCK_ANCHOR, _RX_BLOCK, 40)
    spans += _anchored(text, lowered, _FLAT_ANCHOR, _RX_HOUSE_FLAT, 50)
    spans += _anchored(text, lowered, _VILLAGE_ANCHOR, _RX_VILLAGE, 45)
    if has_any(lowered, _CUE_STEMS):
        for c in _ADDRESS_CUE.finditer(lowered):
            m = _RX_CUED.match(text, c.end())
            if m:
                spans.append(_span(text, m.start("street"), m.end("street"), 0.9))
    if any(c.isdigit() for c in text):
        spans += _bare_streets(text)
    if has_any(lowered, _EN_STEMS):
        spans.extend(_span(text, m.start(), m.end(), 0.9) for m in _RX_EN.finditer(text))
    return _merged(text, resolve(spans))


def _merged(text: str, spans: list[Span]) -> list[Span]:
    """Parts of one address found apart, with only a comma between, are one address: "Рублёво-
    Успенское шоссе, пос. Горки-2, д. 14" (a highway, then a village and house on it)."""
    out: list[Span] = []
    for span in spans:
        if out and _COMMA_GAP.fullmatch(text, out[-1].end, span.start):
            start = out[-1].start
            out[-1] = Span(
                start, span.end, ADDRESS, " ".join(text[start : span.end].lower().split()), span.score
            )
        else:
            out.append(span)
    return out


_COMMA_GAP = re.compile(r"\s*,\s*")


def _after_prefix(text: str, lowered: str, k: re.Match[str]) -> list[Span]:
    m = _RX_PREFIX.match(text, k.end())
    if not m or (k.start() and lowered[k.start() - 1].isalnum()):
        return []
    name, numbered = m.group("name"), bool(m.group("house") or m.group("flat"))
    if (name[0].islower() or name.isdigit()) and not numbered and not k.group().startswith("мкр"):
        return []
    if k.group().startswith("пл") and not numbered:
        return []  # "на площади Революции" is where things happened: evidence, not a home address
    if k.group() == "ш." and not (m.group("flat") or _MARKED_HOUSE.match(m.group("house") or "")):
        return []  # "ш. Душанбе" is a town (шаҳри); "ш. Энтузиастов, д. 7" is a highway (шоссе)
    if not numbered and not context_before(text, k.start(), _HOME, 40):
        return []
    return [_span(text, k.start(), m.end(), 1.0 if numbered else 0.8)]


def _before_suffix(text: str, lowered: str, k: re.Match[str]) -> list[Span]:
    kind = text[k.start() : k.end()]
    if not k.start() or not lowered[k.start() - 1].isspace() or kind in ("st", "ST"):
        return []  # "Lenin St 5" with a capital only
    n = _NAME_BEFORE.search(text, max(0, k.start() - 80), k.start())
    if not n:
        return []
    m = _RX_TAIL.match(text, k.end())
    numbered = bool(m.group("house") or m.group("flat"))
    words = list(re.finditer(r"\S+", n.group()))
    if _SHORT_STREET_WORD.fullmatch(kind) and not (numbered and _ADJ_END.search(n.group())):
        return []
    number_before = (
        None if numbered else _NUMBER_BEFORE_STREET.search(text, max(0, n.start() - 30), n.start())
    )
    if _STREET_WORD.fullmatch(kind) or _SHORT_STREET_WORD.fullmatch(kind):
        if not numbered and not number_before and not _ADJ_END.search(n.group()):
            return []  # "Вчера улица была пустая"
        keep = [w for w in words if _ADJ_END.search(w.group())] or words[-1:]
        first = keep[0]  # "В Москве Тверская улица" → "Тверская улица"
    elif _RU_ADJ.search(words[-1].group()):
        # A Russian street name in a Turkic sentence is its adjectives: "Vaholanki Budapeshtskaya
        # ko'chasi" → "Budapeshtskaya ko'chasi", "Malaya Gruzinskaya" keeps both.
        first = next(w for w in words if _RU_ADJ.search(w.group()))
    else:
        # "Biz Moskvada Lyublinskaya ko'chasi" → "Lyublinskaya ko'chasi"; the last word always stays
        first = next(
            (w for w in words[:-1] if len(w.group()) > 2 and not _NOT_STREET.fullmatch(w.group())),
            words[-1],
        )
    if (
        not numbered
        and not number_before
        and (
            _CROSSING_AFTER.match(text, m.end())
            or _CROSSING_BEFORE.search(text, max(0, n.start() - 30), n.start())
        )
    ):
        return []  # "Абай көшесі мен Құрманғазы көшесінің қиылысы": a crossing, a landmark
    if number_before and first is words[0]:
        # Apart, so that a house-and-flat match over the number wins and ``_merged`` joins them.
        return [
            _span(text, number_before.start(), number_before.end(), 1.0),
            _span(text, n.start(), m.end(), 1.0),
        ]
    if not numbered and not context_before(text, n.start() + first.start(), _HOME, 40):
        return []
    return [_span(text, n.start() + first.start(), m.end(), 1.0 if numbered else 0.8)]
