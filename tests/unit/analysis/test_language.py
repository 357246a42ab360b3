"""Language and script detection on short, informal, misspelled testimony snippets."""

from __future__ import annotations

import pytest

from testimony.analysis.language import (
    LANGUAGES,
    detect_language,
    language_scores,
    paragraphs,
    script_of,
)

RU = [
    "меня задержали возле метро и увезли в отдел, там продержали до утра",
    "нас били в отделе дубинками, потом отпустили без протокола",
    "пришли ночью в общагу, всех подняли и проверяли регистрацию",
    "короче забрали паспорт и сказали прийти завтра с деньгами",
    "я три года работал на стройке, зарплату не платили уже два месяца",
    "полицеиские остановили на улице и спрашивали откуда я приехал",
    "в спецприемнике очень грязно, кормят плохо, воду дают раз в день",
    "Мне предлагали подписать контракт и поехать на СВО, я отказался",
    "брат сейчас в Сахарово, его хотят депортировать, помогите пожалуста",
    "они сказали что я чурка и мне тут не место",
    "вчера на рынке была облава, много наших забрали",
    "Здраствуйте, хочу рассказать что случилось с моим сыном в Екатеринбурге",
]
RU_LATIN = [
    "menya zaderzhali v moskve na ulice",
    "nas bili v otdele i ne davali vodu",
    "zabrali pasport i skazali chto ya dolzhen zaplatit",
    "privet, ya rabotayu v pitere uzhe pyat let, vchera nas zabrali v policiyu",
    "oni trebovali dengi, govorili chto inache budet deportaciya",
    "menja zastavili podpisat kontrakt, ya ne hotel voevat",
    "u nas na sklade byla proverka, vseh uvezli v otdel",
    "brata deportirovali, teper u nego zapret na vezd na pyat let",
    "ochen strashno bylo, nikto nichego ne obyasnil",
    "policeyskie skazali chto my nerusskie i nas nado vygnat",
]
UZ_LATIN = [
    "meni moskvada politsiya ushlab oldi va bo'limga olib ketishdi",
    "bizni urishdi, pasportimni olib qo'yishdi",
    "akamni urushga jo'natmoqchi, shartnoma imzolatishmoqchi",
    "assalomu alaykum men toshkentdanman, rossiyada ishlayman",
    "ular pul talab qilishdi, bermasang deportatsiya qilamiz deyishdi",
    "biz bilan juda yomon gaplashishdi, hech kim yordam bermadi",
    "Ishxonaga reyd bo'ldi, hammani avtobusga solib olib ketishdi",
    "kamerada suv yoq edi, ovqat ham bermadi, shifokor kelmadi",
    "ukam fuqarolikdan mahrum qilindi, endi nima qilishini bilmaydi",
    "ogʻir boʻldi, lekin hozir uyga qaytdim",
    "men ham ishlardim u yerda, xo'jayin maoshni bermay qochib ketdi",
]
UZ_CYRILLIC = [
    "мени Москвада полиция ушлаб олди ва бўлимга олиб кетишди",
    "бизни уришди, паспортимни олиб қўйишди",
    "акамни урушга жўнатмоқчи, шартнома имзолатишмоқчи",
    "ассалому алайкум мен Тошкентданман, Россияда ишлайман",
    "улар пул талаб қилишди, бермасанг депортация қиламиз дейишди",
    "биз билан жуда ёмон гаплашишди, ҳеч ким ёрдам бермади",
    "камерада сув йук эди, овкат хам бермади",  # typed without ў, қ, ҳ
    "укам фуқароликдан маҳрум қилинди, энди нима қилишини билмайди",
    "хужжатларни текширишди ва мени олиб кетишди",
]
TG = [
    "маро дар Маскав дар кӯча доштанд ва ба шӯъба бурданд",
    "моро заданд ва шиносномаро гирифтанд",
    "бародарамро ба ҷанг фиристодан мехоҳанд, шартнома имзо кунад гуфтанд",
    "салом, ман аз Душанбе ҳастам, дар Русия кор мекунам",
    "онҳо пул талаб карданд, гуфтанд ки агар надиҳӣ депортатсия мекунем",
    "бо мо хеле бад гап заданд, ҳеҷ кас ёрӣ надод",
    "дар камера об набуд, хурок ҳам намедоданд",
    "писарамро аз шаҳрвандӣ маҳрум карданд",
    "ман дар сохтмон кор мекардам, хучаин пулро надод ва гурехт",  # typed without ҷ, ӯ
    "политсия омад ва хамаро ба автобус шинонд, хучатхоро тафтиш карданд",
    "дируз маро дар метро нигох доштанд ва телефонамро кофтанд",
]
KY = [
    "мени Москвада көчөдөн кармап алып, бөлүмгө алып кетишти",
    "бизди урушту жана паспортту тартып алышты",
    "агамды согушка жөнөткүсү келет, келишимге кол кой дешти",
    "саламатсызбы, мен Бишкектенмин, Орусияда иштейм",
    "алар акча талап кылышты, бербесең депортация кылабыз дешти",
    "биз менен абдан жаман сүйлөшүштү, эч ким жардам берген жок",
    "камерада суу жок болчу, тамак да беришкен жок",
    "инимди жарандыгынан ажыратышты, эми эмне кыларын билбейт",
    "мен курулушта иштечумун, кожоюн акчабызды бербей качып кетти",  # typed without ө, ү
    "полиция келип баарыбызды автобуска салып кетти, документтерди текширишти",
]
KK = [
    "мені Мәскеуде көшеде ұстап алып, бөлімге апарды",
    "бізді ұрды және паспортты тартып алды",
    "ағамды соғысқа жібергісі келеді, келісімшартқа қол қой деді",
    "сәлеметсіз бе, мен Алматыданмын, Ресейде жұмыс істеймін",
    "олар ақша талап етті, бермесең депортация жасаймыз деді",
    "бізбен өте жаман сөйлесті, ешкім көмектеспеді",
    "камерада су болмады, тамақ та бермеді, дәрігер келмеді",
    "інімді азаматтығынан айырды, енді не істерін білмейді",
    # typed without Kazakh letters:
    "мен курылыста жумыс истедим, кожайын акшамызды бермей кашып кетти жане телефонын оширди",
    "полиция келип бариин автобуска салды, кужаттарды тексерди, биз коп куттик",  # no kk letters
]
EN = [
    "they detained me near the metro and took me to the police station",
    "we were beaten at the station and they didnt give us water",
    "my brother was forced to sign a contract with the army",
    "hi, im from tashkent, i worked in moscow for 5 years",
    "they demanded money and said they would deport me otherwise",
    "nobody explained anything to us, it was very scary",
    "the police raided our dormitory at night and checked everyones papers",
    "my passport was taken and i still dont have it back",
    "My cousin lost his russian citizenship last year",
    "thay called us bad names becuase of where we come from",
]

CASES = (
    [pytest.param(t, "ru", id=f"ru-{i}") for i, t in enumerate(RU)]
    + [pytest.param(t, "ru", id=f"ru_latn-{i}") for i, t in enumerate(RU_LATIN)]
    + [pytest.param(t, "uz", id=f"uz_latn-{i}") for i, t in enumerate(UZ_LATIN)]
    + [pytest.param(t, "uz", id=f"uz_cyrl-{i}") for i, t in enumerate(UZ_CYRILLIC)]
    + [pytest.param(t, "tg", id=f"tg-{i}") for i, t in enumerate(TG)]
    + [pytest.param(t, "ky", id=f"ky-{i}") for i, t in enumerate(KY)]
    + [pytest.param(t, "kk", id=f"kk-{i}") for i, t in enumerate(KK)]
    + [pytest.param(t, "en", id=f"en-{i}") for i, t in enumerate(EN)]
)


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_detect_language(text: str, expected: str) -> None:
    assert detect_language(text) == expected


def test_every_language_has_at_least_ten_samples() -> None:
    by_language: dict[str, int] = {}
    for case in CASES:
        by_language[case.values[1]] = by_language.get(case.values[1], 0) + 1
    assert set(by_language) == set(LANGUAGES)
    assert min(by_language.values()) >= 10


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Ўзбекистонга қайтдим", "uz"),
        ("Oʻzbekistonga qaytdim", "uz"),
        ("O‘zbekistonga qaytdim", "uz"),
        ("O`zbekistonga qaytdim", "uz"),
        ("Оʻзбекистон", "uz"),
        ("Қазақстанға қайттым", "kk"),
        ("Тоҷикистон", "tg"),
    ],
)
def test_letter_cues_on_short_texts(text: str, expected: str) -> None:
    assert detect_language(text) == expected


@pytest.mark.parametrize("text", ["", "   ", "123 456", "!!! ???", "📞 +7 999"])
def test_no_letters_gives_the_default(text: str) -> None:
    assert detect_language(text) == "ru"
    assert language_scores(text) == {}


def test_result_is_always_a_known_code() -> None:
    for text in ["a", "ы", "ok", "Hello Привет", "x" * 10, "ҳ"]:
        assert detect_language(text) in LANGUAGES


def test_mixed_text_goes_with_the_majority() -> None:
    text = "Меня задержали на улице и увезли в отдел, держали сутки. Potom skazali: davay dengi."
    assert detect_language(text) == "ru"
    text = "мени ушлаб олишди, bizni urishdi va pasportni olib qo'yishdi, keyin pul talab qilishdi"
    assert detect_language(text) == "uz"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("меня задержали", "Cyrl"),
        ("menya zaderzhali", "Latn"),
        ("Oʻzbekiston", "Latn"),
        ("меня задержали in Moscow police", "mixed"),
        ("Москва, Moscow", "mixed"),
        ("Меня задержали в Москве, ОМОН, СВО, ЦВСИГ, MVD", "Cyrl"),
        ("", "Cyrl"),
        ("12345", "Cyrl"),
    ],
)
def test_script_of(text: str, expected: str) -> None:
    assert script_of(text) == expected


MIXED = (
    "Меня задержали в Москве 12 марта, когда я выходил из метро.\n"
    "Полицейские сказали что патент поддельный и увезли в отдел.\n"
    "\n"
    "Keyin meni sudga olib borishdi, tarjimon yo'q edi, hech narsa tushunmadim.\n"
    "Ok.\n"
    "  Потом дали выдворение и штраф, паспорт так и не вернули.  \n"
    "\n"
    "Hozir uydaman, lekin akam hali ham o'sha yerda qolgan, unga yordam kerak.\n"
)


def test_paragraphs_of_mixed_russian_and_uzbek() -> None:
    result = paragraphs(MIXED)
    assert [language for _, _, language in result] == ["ru", "ru", "uz", "uz", "ru", "uz"]
    texts = [MIXED[start:end] for start, end, _ in result]
    assert texts[0].startswith("Меня задержали")
    assert texts[0].endswith("из метро.")
    assert texts[3] == "Ok."  # too short: inherits the previous paragraph's language
    assert texts[4] == "Потом дали выдворение и штраф, паспорт так и не вернули."  # stripped
    for start, end, _ in result:
        assert MIXED[start:end] == MIXED[start:end].strip()
        assert "\n" not in MIXED[start:end]


def test_paragraphs_windows_line_endings_and_offsets() -> None:
    text = "Нас били в отделе и не давали воды.\r\n\r\nBizni bo'limda urishdi va suv berishmadi.\r\n"
    result = paragraphs(text)
    assert [language for _, _, language in result] == ["ru", "uz"]
    assert text[result[1][0] : result[1][1]] == "Bizni bo'limda urishdi va suv berishmadi."


def test_short_first_paragraph_takes_the_language_of_the_whole_text() -> None:
    text = "Salom!\nMeni politsiya ushlab oldi va bo'limga olib ketishdi, u yerda urishdi."
    assert [language for _, _, language in paragraphs(text)] == ["uz", "uz"]


def test_paragraphs_of_empty_text() -> None:
    assert paragraphs("") == []
    assert paragraphs("\n\n  \n") == []


@pytest.mark.parametrize(
    "text",
    [
        # Kazakh in its 2021 Latin alphabet, and typed without its letters
        "Bizdı bazarda polisia ūstap aldy, ağamnyñ qūjattaryn tartyp aldy.",
        "Men Qostanaidan keldım, mında üş jyl jūmys ıstedım.",
        "Bizdi bazarda polisia ustap aldy, agamnyn qujattaryn tartyp aldy, sodan keiin sotqa aparady.",
    ],
)
def test_kazakh_in_latin_letters(text: str) -> None:
    assert detect_language(text) == "kk"
