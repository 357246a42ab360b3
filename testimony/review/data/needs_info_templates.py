"""Questions a reviewer can send when a report needs more information, in the submitter's language.

Each template has an English label for the console (translated like any console string) and the
question itself in every submitter-side language (analysis.language.LANGUAGES). The questions
are short, plain and polite: readers are tired, often on a small phone, sometimes afraid, and
read in their second or third language. They never ask for a name, a phone number or an address
of the submitter, and they say that not answering is fine where it matters.

To add a template: a new key with a label and all six languages; tests check that none is
missing. To add a language: a text for every key.

NATIVE REVIEW NEEDED: the Tajik (tg), Kyrgyz (ky) and Kazakh (kk) texts were written without
a native speaker and must be checked by one before they are relied on. Russian (ru), Uzbek in
Latin script (uz) and English (en) were written more carefully but a second reading does no harm.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

FALLBACK_LANGUAGE = "ru"

TEMPLATES: dict[str, dict] = {
    "when_where": {
        "label": _("When and where did it happen?"),
        "text": {
            "ru": "Спасибо за ваше сообщение. Подскажите, пожалуйста, когда это произошло (дата или "
            "хотя бы месяц) и где (город и место, например рынок или общежитие)?",
            "uz": "Xabaringiz uchun rahmat. Iltimos, bu qachon sodir bo'lganini (sana yoki hech "
            "bo'lmaganda oy) va qayerda bo'lganini (shahar va joy, masalan, bozor yoki yotoqxona) "
            "ayting.",
            # tg: needs native review
            "tg": "Ташаккур барои хабаратон. Лутфан гӯед, ин кай рух дод (сана ё ақаллан моҳ) ва дар "
            "куҷо (шаҳр ва ҷой, масалан бозор ё хобгоҳ)?",
            # ky: needs native review
            "ky": "Билдирүүңүз үчүн рахмат. Сураныч, бул качан болгонун (күнү же жок дегенде айы) "
            "жана кайда болгонун (шаар жана жер, мисалы, базар же жатакана) айтып бериңизчи.",
            # kk: needs native review
            "kk": "Хабарламаңыз үшін рахмет. Өтінеміз, бұл қашан болғанын (күні немесе кем дегенде "
            "айы) және қай жерде болғанын (қала және орын, мысалы, базар немесе жатақхана) айтып "
            "беріңізші.",
            "en": "Thank you for your report. Could you please tell us when this happened (the date, "
            "or at least the month) and where (the city and the place, for example a market or a "
            "dormitory)?",
        },
    },
    "which_place": {
        "label": _("Which city and which place exactly?"),
        "text": {
            "ru": "Спасибо за ваше сообщение. Подскажите, пожалуйста, в каком городе и в каком месте "
            "это произошло? Например, название рынка или станции метро, адрес центра временного "
            "содержания или отдела полиции.",
            "uz": "Xabaringiz uchun rahmat. Iltimos, bu qaysi shaharda va qaysi joyda sodir bo'lganini "
            "ayting. Masalan, bozor yoki metro bekatining nomi, saqlash markazi yoki politsiya "
            "bo'limining manzili.",
            # tg: needs native review
            "tg": "Ташаккур барои хабаратон. Лутфан гӯед, ин дар кадом шаҳр ва дар кадом ҷой рух дод? "
            "Масалан, номи бозор ё истгоҳи метро, суроғаи маркази нигоҳдорӣ ё шӯъбаи полис.",
            # ky: needs native review
            "ky": "Билдирүүңүз үчүн рахмат. Сураныч, бул кайсы шаарда жана кайсы жерде болгонун айтып "
            "бериңизчи. Мисалы, базардын же метро бекетинин аты, кармоо борборунун же полиция "
            "бөлүмүнүн дареги.",
            # kk: needs native review
            "kk": "Хабарламаңыз үшін рахмет. Өтінеміз, бұл қай қалада және қай жерде болғанын айтып "
            "беріңізші. Мысалы, базардың немесе метро бекетінің атауы, ұстау орталығының немесе "
            "полиция бөлімінің мекенжайы.",
            "en": "Thank you for your report. Could you please tell us in which city and at which "
            "place this happened? For example, the name of the market or the metro station, or the "
            "address of the detention centre or the police station.",
        },
    },
    "documents": {
        "label": _("Are there any documents?"),
        "text": {
            "ru": "Спасибо за ваше сообщение. Есть ли у вас какие-нибудь документы о том, что "
            "произошло, например решение суда, протокол задержания, повестка или контракт? "
            "Напишите, пожалуйста, какие документы у вас есть. Не отправляйте их, если это для вас "
            "небезопасно.",
            "uz": "Xabaringiz uchun rahmat. Sodir bo'lgan voqea haqida biror hujjatingiz bormi, "
            "masalan, sud qarori, ushlab turish bayonnomasi, chaqiruv qog'ozi yoki shartnoma? "
            "Iltimos, qanday hujjatlaringiz borligini yozing. Agar bu siz uchun xavfli bo'lsa, "
            "ularni yubormang.",
            # tg: needs native review
            "tg": "Ташаккур барои хабаратон. Оё шумо дар бораи он чи рух дод ягон ҳуҷҷат доред, "
            "масалан қарори суд, протоколи боздошт, даъватнома ё шартнома? Лутфан нависед, ки "
            "шумо кадом ҳуҷҷатҳо доред. Агар ин барои шумо бехатар набошад, онҳоро нафиристед.",
            # ky: needs native review
            "ky": "Билдирүүңүз үчүн рахмат. Болгон окуя тууралуу кандайдыр бир документтериңиз барбы, "
            "мисалы, соттун чечими, кармоо протоколу, чакыруу кагазы же келишим? Сураныч, кандай "
            "документтериңиз бар экенин жазыңыз. Эгер бул сиз үчүн коопсуз болбосо, аларды "
            "жөнөтпөңүз.",
            # kk: needs native review
            "kk": "Хабарламаңыз үшін рахмет. Болған оқиға туралы қандай да бір құжаттарыңыз бар ма, "
            "мысалы, сот шешімі, ұстау хаттамасы, шақыру қағазы немесе келісімшарт? Өтінеміз, "
            "қандай құжаттарыңыз бар екенін жазыңыз. Егер бұл сіз үшін қауіпсіз болмаса, оларды "
            "жібермеңіз.",
            "en": "Thank you for your report. Do you have any papers about what happened, for example "
            "a court decision, a record of detention, a summons or a contract? Please tell us which "
            "papers you have. Do not send them if it is not safe for you.",
        },
    },
    "contact_safe": {
        "label": _("Is it safe to keep writing?"),
        "text": {
            "ru": "Спасибо за ваше сообщение. Безопасно ли для вас продолжать переписку с нами на этой "
            "странице? Если кто-то может проверить ваш телефон, вы можете остановиться в любой "
            "момент; отвечать не обязательно. Пожалуйста, не присылайте номер телефона или адрес, "
            "если это небезопасно.",
            "uz": "Xabaringiz uchun rahmat. Bu sahifada biz bilan yozishishni davom ettirish siz uchun "
            "xavfsizmi? Agar kimdir telefoningizni tekshirishi mumkin bo'lsa, istalgan vaqtda "
            "to'xtashingiz mumkin; javob berishingiz shart emas. Iltimos, agar xavfli bo'lsa, "
            "telefon raqamingiz yoki manzilingizni yubormang.",
            # tg: needs native review
            "tg": "Ташаккур барои хабаратон. Оё барои шумо идома додани мукотиба бо мо дар ин саҳифа "
            "бехатар аст? Агар касе телефони шуморо тафтиш карда тавонад, шумо метавонед ҳар вақт "
            "қатъ кунед; ҷавоб додан ҳатмӣ нест. Лутфан, агар бехатар набошад, рақами телефон ё "
            "суроғаи худро нафиристед.",
            # ky: needs native review
            "ky": "Билдирүүңүз үчүн рахмат. Бул баракта биз менен жазышууну улантуу сиз үчүн "
            "коопсузбу? Эгер кимдир бирөө телефонуңузду текшериши мүмкүн болсо, каалаган убакта "
            "токтото аласыз; жооп берүү милдеттүү эмес. Сураныч, коопсуз болбосо, телефон "
            "номериңизди же дарегиңизди жөнөтпөңүз.",
            # kk: needs native review
            "kk": "Хабарламаңыз үшін рахмет. Осы бетте бізбен хат алмасуды жалғастыру сіз үшін "
            "қауіпсіз бе? Егер біреу телефоныңызды тексеруі мүмкін болса, кез келген уақытта "
            "тоқтай аласыз; жауап беру міндетті емес. Өтінеміз, қауіпсіз болмаса, телефон "
            "нөміріңізді немесе мекенжайыңызды жібермеңіз.",
            "en": "Thank you for your report. Is it safe for you to keep writing to us on this page? "
            "If someone may check your phone, you can stop at any time; you do not have to answer. "
            "Please do not send your phone number or address if that is not safe.",
        },
    },
    "more_detail": {
        "label": _("Please tell us more"),
        "text": {
            "ru": "Спасибо за ваше сообщение. Расскажите, пожалуйста, немного подробнее, что "
            "произошло: кто это сделал, что именно делали и что было потом? Пишите только то, чем "
            "вам безопасно поделиться.",
            "uz": "Xabaringiz uchun rahmat. Iltimos, nima bo'lgani haqida biroz batafsilroq aytib "
            "bering: buni kim qildi, aynan nima qilishdi va keyin nima bo'ldi? Faqat siz uchun "
            "xavfsiz bo'lgan narsalarni yozing.",
            # tg: needs native review
            "tg": "Ташаккур барои хабаратон. Лутфан каме муфассалтар нақл кунед, ки чӣ рух дод: инро "
            "кӣ кард, маҳз чӣ карданд ва баъд чӣ шуд? Танҳо он чиро нависед, ки гуфтанаш барои шумо "
            "бехатар аст.",
            # ky: needs native review
            "ky": "Билдирүүңүз үчүн рахмат. Сураныч, эмне болгонун бир аз кененирээк айтып "
            "бериңизчи: муну ким кылды, так эмне кылышты жана андан кийин эмне болду? Сиз үчүн "
            "коопсуз болгон нерселерди гана жазыңыз.",
            # kk: needs native review
            "kk": "Хабарламаңыз үшін рахмет. Өтінеміз, не болғанын сәл толығырақ айтып беріңізші: "
            "мұны кім жасады, нақты не істеді және одан кейін не болды? Сіз үшін бөлісу қауіпсіз "
            "болған нәрселерді ғана жазыңыз.",
            "en": "Thank you for your report. Could you please tell us a little more about what "
            "happened: who did it, what they did, and what happened after? Write only what you feel "
            "safe to share.",
        },
    },
}


def template_language(language: str | None) -> str:
    """The language to write in: the report's, when a text exists in it; otherwise Russian."""
    return language if language in TEMPLATES["when_where"]["text"] else FALLBACK_LANGUAGE


def template_text(key: str, language: str | None) -> str:
    """The question ``key`` in ``language`` (or the fallback). KeyError for an unknown key."""
    return TEMPLATES[key]["text"][template_language(language)]
