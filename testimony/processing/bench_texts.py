"""Synthetic testimonies for benchmarks: about N characters each, in every language we receive.

Made from sentence templates and word lists (names, phones, handles, places, sums, dates), so a
run is deterministic for a seed and no real testimony is ever needed to measure the pipeline.
The texts read like what submitters write (raids, detention, coercion into military service) and
carry what the recognisers look for, so the measured work is the real work. Nothing here is
about any real person: the names are common ones and the phone numbers are made up.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass


@dataclass(frozen=True)
class Variant:
    code: str  # pipeline language code
    script: str
    sentences: tuple[str, ...]
    names: tuple[str, ...]
    cities: tuple[str, ...]  # already in the form the sentences need ("в Москве", "Moskvadagi")
    sites: tuple[str, ...]
    homes: tuple[str, ...]
    officers: tuple[str, ...]
    months: tuple[str, ...]
    day: str  # how a day and a month are written: "{d} {m}"


@dataclass(frozen=True)
class Sample:
    language: str
    variant: str  # "uz-Cyrl", "ru-Cyrl"...
    text: str


_CYRILLIC_NAMES = (
    "Рустам Каримов",
    "Шерзод Ахмедов",
    "Фаррух Рахимов",
    "Дилшод Юсупов",
    "Азамат Токтогулов",
    "Нурлан Серикбаев",
    "Бахтиёр Назаров",
    "Жамшид Исмоилов",
    "Санжар Абдуллаев",
    "Умед Саидов",
    "Эркин Мамытов",
    "Гулнора Ташпулатова",
)
_LATIN_NAMES = (
    "Rustam Karimov",
    "Sherzod Axmedov",
    "Farrux Rahimov",
    "Dilshod Yusupov",
    "Jasur Toshpo'latov",
    "Bahodir Nazarov",
    "Jamshid Ismoilov",
    "Sanjar Abdullayev",
    "Gulnora Tashpulatova",
)
_CYRILLIC_OFFICERS = ("Лейтенант Смирнов", "Капитан Кузнецов")
_RU_MONTHS = ("января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября")
_EN_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September")
_UZ_MONTHS = ("yanvar", "fevral", "mart", "aprel", "may", "iyun", "iyul", "avgust", "sentabr")
_UZ_CYRL_MONTHS = ("январь", "феврал", "март", "апрел", "май", "июн", "июл", "август", "сентябр")
_KK_MONTHS = ("қаңтар", "ақпан", "наурыз", "сәуір", "мамыр", "маусым", "шілде", "тамыз", "қыркүйек")

VARIANTS: tuple[Variant, ...] = (
    Variant(
        "ru",
        "Cyrl",
        (
            "Утром {day} полицейские пришли {site}, проверяли патенты у всех подряд.",
            "Моего брата {name} забрали в отдел {city}, его телефон {phone}, но он не отвечает.",
            "Нас держали в Сахарово три недели, кормили только хлебом и чаем, в камере было сорок человек.",
            "{officer} бил его дубинкой и требовал {sum} рублей, иначе обещал депортацию.",
            "В спецприёмник пришёл человек из военкомата и сказал: подпиши контракт, и тебя отпустят.",
            "Обещали паспорт через полгода, если он поедет воевать, а семью грозили выслать.",
            "Врача не было, у {name} поднялась температура, никто не помогал.",
            "Сына {name} задержали у метро, когда он возвращался со стройки {city}.",
            "Мне звонили с номера {phone} и говорили, что семью депортируют, если я не подпишу.",
            "Я приехал {home} в 2019 году, работал на стройке {city}.",
            "Суда не было, просто выдворили, паспорт забрали и не вернули.",
            "Счёт в банке заморозили, когда внесли в реестр контролируемых лиц.",
            "Мой номер для связи {phone}, в телеграме {handle}.",
            "Рядом был {name}, он видел, как его избивали.",
        ),
        _CYRILLIC_NAMES,
        ("в Москве", "в Санкт-Петербурге", "в Екатеринбурге", "в Новосибирске", "в Казани"),
        ("на рынок Садовод", "к метро Выхино", "в общежитие на Дубровке", "на рынок Фуд Сити"),
        ("из Ташкента", "из Самарканда", "из Душанбе", "из Худжанда", "из Оша", "из Шымкента"),
        ("Лейтенант Смирнов", "Капитан Кузнецов", "Участковый Петров"),
        _RU_MONTHS,
        "{d} {m}",
    ),
    Variant(
        "uz",
        "Latn",
        (
            "{day} kuni ertalab politsiyachilar {site} kelib, hammaning patentini tekshirishdi.",
            "Akam {name}ni {city} bo'limga olib ketishdi, telefoni {phone}, lekin javob bermayapti.",
            "Bizni Saxarovoda uch hafta ushlab turishdi, faqat non va choy berishdi.",
            "{officer} uni kaltakladi va {sum} rubl so'radi, aks holda deportatsiya qilamiz dedi.",
            "Harbiy komissariatdan odam kelib, kontraktga imzo cheksang seni qo'yib yuboramiz dedi.",
            "Agar urushga borsa, olti oyda pasport berishni va'da qilishdi.",
            "Shifokor yo'q edi, {name}ning isitmasi ko'tarildi, hech kim yordam bermadi.",
            "Men {home} 2019 yilda kelganman, {city} qurilishda ishlaganman.",
            "Sud bo'lmadi, shunchaki chiqarib yuborishdi, pasportni olib qo'yishdi.",
            "Bog'lanish uchun raqamim {phone}, telegramda {handle}.",
            "Yonimda {name} bor edi, u hammasini ko'rdi.",
            "Bank hisobimni muzlatib qo'yishdi, nazoratdagi shaxslar ro'yxatiga kiritishdi.",
        ),
        _LATIN_NAMES,
        ("Moskvadagi", "Sankt-Peterburgdagi", "Yekaterinburgdagi", "Novosibirskdagi"),
        ("Sadovod bozoriga", "Vixino metrosiga", "yotoqxonamizga", "Food City bozoriga"),
        ("Toshkentdan", "Samarqanddan", "Andijondan", "Farg'onadan"),
        ("Leytenant Smirnov", "Kapitan Kuznetsov"),
        _UZ_MONTHS,
        "{d}-{m}",
    ),
    Variant(
        "uz",
        "Cyrl",
        (
            "{day} куни эрталаб полициячилар {site} келиб, ҳамманинг патентини текширишди.",
            "Акам {name}ни {city} бўлимга олиб кетишди, телефони {phone}, лекин жавоб бермаяпти.",
            "Бизни Сахаровода уч ҳафта ушлаб туришди, фақат нон ва чой беришди.",
            "{officer} уни калтаклади ва {sum} рубл сўради, акс ҳолда депортация қиламиз деди.",
            "Ҳарбий комиссариатдан одам келиб, контрактга имзо чексанг сени қўйиб юборамиз деди.",
            "Шифокор йўқ эди, {name}нинг иситмаси кўтарилди, ҳеч ким ёрдам бермади.",
            "Мен {home} 2019 йилда келганман, {city} қурилишда ишлаганман.",
            "Суд бўлмади, шунчаки чиқариб юборишди, паспортни олиб қўйишди.",
            "Боғланиш учун рақамим {phone}, телеграмда {handle}.",
            "Ёнимда {name} бор эди, у ҳаммасини кўрди.",
            "Банк ҳисобимни музлатиб қўйишди, назоратдаги шахслар рўйхатига киритишди.",
        ),
        _CYRILLIC_NAMES,
        ("Москвадаги", "Санкт-Петербургдаги", "Екатеринбургдаги", "Новосибирскдаги"),
        ("Садовод бозорига", "Выхино метросига", "ётоқхонамизга"),
        ("Тошкентдан", "Самарқанддан", "Андижондан", "Фарғонадан"),
        _CYRILLIC_OFFICERS,
        _UZ_CYRL_MONTHS,
        "{d}-{m}",
    ),
    Variant(
        "tg",
        "Cyrl",
        (
            "Субҳи {day} милиса ба {site} омада, патенти ҳамаро тафтиш кард.",
            "Бародарам {name}-ро ба шӯъбаи полиси шаҳри {city} бурданд, телефонаш {phone}, "
            "вале ҷавоб намедиҳад.",
            "Моро дар Сахарово се ҳафта нигоҳ доштанд, танҳо нон ва чой медоданд.",
            "{officer} ӯро зад ва {sum} рубл талаб кард, вагарна депортатсия мекунем гуфт.",
            "Аз комиссариати ҳарбӣ одам омада гуфт: шартномаро имзо кун, туро озод мекунем.",
            "Духтур набуд, {name} таб дошт, ҳеҷ кас ёрӣ надод.",
            "Ман {home} соли 2019 омадаам, дар шаҳри {city} дар сохтмон кор мекардам.",
            "Суд набуд, моро аз кишвар бароварданд, шиносномаро гирифтанд.",
            "Рақами ман барои тамос {phone}, дар телеграм {handle}.",
            "Дар паҳлӯям {name} буд, ӯ ҳамаашро дид.",
            "Ваъда доданд, ки агар ба ҷанг равад, дар шаш моҳ шаҳрвандӣ медиҳанд.",
        ),
        _CYRILLIC_NAMES,
        ("Маскав", "Санкт-Петербург", "Екатеринбург", "Новосибирск"),
        ("бозори Садовод", "метрои Выхино", "хобгоҳи мо"),
        ("аз Хуҷанд", "аз Кӯлоб", "аз Душанбе", "аз Бохтар"),
        _CYRILLIC_OFFICERS,
        _UZ_CYRL_MONTHS,
        "{d} {m}",
    ),
    Variant(
        "ky",
        "Cyrl",
        (
            "{day} күнү эртең менен полиция {site} келип, баарынын патентин текшерди.",
            "Агам {name} {city} полиция бөлүмүнө алып кетишти, телефону {phone}, бирок жооп бербейт.",
            "Бизди Сахарово борборунда үч жума кармашты, нан менен чай гана беришти.",
            "{officer} аны уруп, {sum} рубль талап кылды, болбосо депортация кылабыз деди.",
            "Аскер комиссариатынан киши келип, келишимге кол койсоң бошотобуз деди.",
            "Дарыгер жок болчу, {name} ысытмасы көтөрүлдү, эч ким жардам берген жок.",
            "Мен {home} 2019-жылы келгем, {city} курулушта иштечүмүн.",
            "Сот болгон жок, жөн эле чыгарып жиберишти, паспортту алып коюшту.",
            "Байланыш үчүн номерим {phone}, телеграмда {handle}.",
            "Жанымда {name} бар эле, ал баарын көрдү.",
            "Согушка барса алты айда паспорт беребиз деп убада кылышты.",
        ),
        _CYRILLIC_NAMES,
        ("Москвадагы", "Санкт-Петербургдагы", "Екатеринбургдагы", "Новосибирсктеги"),
        ("Садовод базарына", "Выхино метросуна", "жатаканабызга"),
        ("Оштон", "Бишкектен", "Жалал-Абаддан", "Баткенден"),
        _CYRILLIC_OFFICERS,
        _UZ_CYRL_MONTHS,
        "{d}-{m}",
    ),
    Variant(
        "kk",
        "Cyrl",
        (
            "{day} күні таңертең полиция {site} келіп, бәрінің патентін тексерді.",
            "Ағам {name} {city} полиция бөліміне алып кетті, телефоны {phone}, бірақ жауап бермейді.",
            "Бізді Сахарово орталығында үш апта ұстады, тек нан мен шай берді.",
            "{officer} оны ұрып, {sum} рубль талап етті, әйтпесе депортация жасаймыз деді.",
            "Әскери комиссариаттан адам келіп, келісімшартқа қол қойсаң босатамыз деді.",
            "Дәрігер болмады, {name} қызуы көтерілді, ешкім көмектеспеді.",
            "Мен {home} 2019 жылы келдім, {city} құрылыста жұмыс істедім.",
            "Сот болмады, жай ғана елден шығарып жіберді, төлқұжатты алып қойды.",
            "Байланыс үшін нөмірім {phone}, телеграмда {handle}.",
            "Қасымда {name} болды, ол бәрін көрді.",
            "Соғысқа барса, алты айда төлқұжат береміз деп уәде берді.",
        ),
        _CYRILLIC_NAMES,
        ("Мәскеудегі", "Санкт-Петербургтегі", "Екатеринбургтегі", "Новосібірдегі"),
        ("Садовод базарына", "Выхино метросына", "жатақханамызға"),
        ("Шымкенттен", "Алматыдан", "Түркістаннан", "Таразадан"),
        _CYRILLIC_OFFICERS,
        _KK_MONTHS,
        "{d} {m}",
    ),
    Variant(
        "en",
        "Latn",
        (
            "On the morning of {day} police came {site} and checked everyone's work patents.",
            "They took my brother {name} to a police station {city}; his phone is {phone} "
            "but he does not answer.",
            "We were held in Sakharovo for three weeks and given only bread and tea.",
            "{officer} beat him with a baton and demanded {sum} roubles, or he would be deported.",
            "A recruiter from the military enlistment office said: sign the contract "
            "and you will be released.",
            "They promised him a passport in six months if he went to the front.",
            "There was no doctor; {name} had a fever and nobody helped.",
            "I came {home} in 2019 and worked on a building site {city}.",
            "There was no court, they simply expelled him and kept his passport.",
            "You can reach me on {phone} or on Telegram as {handle}.",
            "{name} was next to me and saw everything.",
        ),
        _LATIN_NAMES,
        ("in Moscow", "in St Petersburg", "in Yekaterinburg", "in Novosibirsk"),
        ("to Sadovod market", "to Vykhino metro station", "to our dormitory", "to Food City market"),
        ("from Tashkent", "from Khujand", "from Osh", "from Shymkent"),
        ("Lieutenant Smirnov", "Captain Kuznetsov"),
        _EN_MONTHS,
        "{d} {m}",
    ),
)

_HANDLE_STEMS = ("rustam", "sherzod", "farrukh", "dilshod", "azamat", "nurlan", "umed", "gulnora")


def _phone(rng: random.Random) -> str:
    """A made-up number in one of the forms submitters type (Russian, Uzbek, Tajik, Kyrgyz, Kazakh)."""
    n = [rng.randrange(10) for _ in range(7)]
    a, b, c = "".join(map(str, n[:3])), "".join(map(str, n[3:5])), "".join(map(str, n[5:]))
    return rng.choice(
        (
            f"+7 9{rng.randrange(10, 100)} {a}-{b}-{c}",
            f"8 (9{rng.randrange(10, 100)}) {a}-{b}-{c}",
            f"89{rng.randrange(10, 100)}{a}{b}{c}",
            f"+998 9{rng.randrange(10)} {a} {b} {c}",
            f"+992 9{rng.randrange(10)} {a} {b}{c}",
            f"+996 55{rng.randrange(10)} {a} {b}{c[0]}",
            f"+7 70{rng.randrange(10)} {a} {b}{c}",
        )
    )


def _fill(template: str, variant: Variant, rng: random.Random) -> str:
    return template.format(
        name=rng.choice(variant.names),
        phone=_phone(rng),
        handle=f"@{rng.choice(_HANDLE_STEMS)}_{rng.randrange(10, 100)}",
        city=rng.choice(variant.cities),
        site=rng.choice(variant.sites),
        home=rng.choice(variant.homes),
        officer=rng.choice(variant.officers),
        sum=rng.choice(("5000", "10 000", "15 000", "30000", "50 000")),
        day=variant.day.format(d=rng.randrange(1, 29), m=rng.choice(variant.months)),
    )


def testimony_text(rng: random.Random, variant: Variant, size: int) -> str:
    """One text of at least ``size`` characters (and at most one sentence more)."""
    sentences: list[str] = []
    length = 0
    pool: list[str] = []
    while length < size:
        if not pool:
            pool = list(variant.sentences)
            rng.shuffle(pool)
        sentence = _fill(pool.pop(), variant, rng)
        sentences.append(sentence)
        length += len(sentence) + 1
    return " ".join(sentences)


def samples(count: int, *, size: int = 1024, seed: int = 1) -> Iterator[Sample]:
    """``count`` texts, cycling through the language variants, the same for the same seed."""
    rng = random.Random(seed)  # noqa: S311 - reproducible test data, not a secret
    for n in range(count):
        variant = VARIANTS[n % len(VARIANTS)]
        yield Sample(variant.code, f"{variant.code}-{variant.script}", testimony_text(rng, variant, size))
