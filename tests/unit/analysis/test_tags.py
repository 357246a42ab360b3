"""Tag suggestions from the multilingual lexicon: expected sets, negatives, negation and speed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from testimony.analysis import tags as tags_module
from testimony.analysis.tags import TAGS, suggest_tags

# (text, expected tags): the suggestion must equal the expected set.
EXACT = [
    # Russian
    ("Нас избили в отделе и забрали паспорта", {"violence", "document_confiscation"}),
    ("Утром на рынке была облава, всех без регистрации увезли", {"raid"}),
    ("Сотрудники пришли с проверкой документов на склад", {"raid"}),
    ("В ЦВСИГ нас кормили только хлебом, врача не было", {"detention_conditions"}),
    ("В спецприёмнике камера переполнена, спали по очереди", {"detention_conditions"}),
    ("Предлагали подписать контракт с Минобороны и ехать на СВО", {"coercive_recruitment"}),
    ("Сыну пришла повестка из военкомата, говорят отправят на фронт", {"coercive_recruitment"}),
    ("Суд назначил выдворение, теперь у меня запрет на въезд", {"deportation_expulsion"}),
    ("Меня внесли в реестр контролируемых лиц", {"deportation_expulsion"}),
    ("Моего мужа лишили гражданства РФ в прошлом месяце", {"citizenship_revocation"}),
    ("Полицейский требовал деньги, сказал заплатить 20 тысяч", {"extortion"}),
    ("Нас называли чурками и говорили что мы понаехали", {"discrimination"}),
    ("Квартиру не сдают, пишут только славянам", {"discrimination"}),
    ("Его пытали электрошокером, требовали признаться", {"violence"}),
    ("Паспорт у работодателя, он его не отдаёт уже год", {"document_confiscation"}),
    ("Аннулировали гражданство и сразу вручили повестку", {"citizenship_revocation", "coercive_recruitment"}),
    # Russian typed in Latin letters
    ("nas bili v otdele, potom zabrali pasport", {"violence", "document_confiscation"}),
    ("trebovali dengi, inache deportaciya", {"extortion", "deportation_expulsion"}),
    ("v specpriemnike ne davali vodu dva dnya", {"detention_conditions"}),
    ("brata zastavili podpisat kontrakt i otpravili na front", {"coercive_recruitment"}),
    ("menya obzyvali churkoy na rabote", {"discrimination"}),
    # Uzbek, Latin script
    ("Politsiya bizni urishdi va pasportimni olib qo'yishdi", {"violence", "document_confiscation"}),
    (
        "Ular pul talab qilishdi, bermasang deportatsiya qilamiz deyishdi",
        {"extortion", "deportation_expulsion"},
    ),
    ("Akamni urushga jo'natishdi, shartnoma imzolatishdi", {"coercive_recruitment"}),
    ("Bozorda reyd bo'ldi, hujjatlarni tekshirishdi", {"raid"}),
    ("Ukam fuqarolikdan mahrum qilindi", {"citizenship_revocation"}),
    ("kamerada suv berishmadi, shifokor yoq edi", {"detention_conditions"}),
    ("pasportimni olib qoyishdi", {"document_confiscation"}),  # typed without the apostrophe
    ("Meni millatim uchun kamsitishdi", {"discrimination"}),
    # Uzbek, Cyrillic script
    ("Бизни калтаклашди ва паспортни олиб қўйишди", {"violence", "document_confiscation"}),
    ("Полиция пора сўради, бўлмаса депортация қиламиз деди", {"extortion", "deportation_expulsion"}),
    ("акамни урушга жунатишди", {"coercive_recruitment"}),  # typed without ў
    # Tajik
    ("Моро дар шӯъба заданд ва шиносномаро гирифтанд", {"violence", "document_confiscation"}),
    ("Онҳо пул талаб карданд ва гуфтанд ки депортатсия мекунем", {"extortion", "deportation_expulsion"}),
    ("Писарамро маҷбур карданд ки шартнома имзо кунад ва ба ҷанг фиристанд", {"coercive_recruitment"}),
    ("Ӯро аз шаҳрвандӣ маҳрум карданд", {"citizenship_revocation"}),
    ("Дар камера об надоданд", {"detention_conditions"}),
    # Kyrgyz
    ("Бизди урушту жана паспортту тартып алышты", {"violence", "document_confiscation"}),
    ("Алар акча талап кылышты, болбосо депортация дешти", {"extortion", "deportation_expulsion"}),
    ("Инимди жарандыгынан ажыратышты", {"citizenship_revocation"}),
    ("Агамды согушка жөнөтүштү, келишимге кол коюшту", {"coercive_recruitment"}),
    # Kazakh
    ("Бізді ұрды және паспортты тартып алды", {"violence", "document_confiscation"}),
    ("Олар ақша талап етті, әйтпесе депортация деді", {"extortion", "deportation_expulsion"}),
    ("Оны азаматтығынан айырды", {"citizenship_revocation"}),
    ("Мені елден шығарып жіберу туралы шешім шықты", {"deportation_expulsion"}),
    # English
    ("They beat us at the station and took our passports", {"violence", "document_confiscation"}),
    ("Police raided the dormitory at night", {"raid"}),
    ("He was forced to sign a contract with the army", {"coercive_recruitment"}),
    ("They demanded a bribe or they would deport me", {"extortion", "deportation_expulsion"}),
    ("His citizenship was revoked last year", {"citizenship_revocation"}),
    ("They called us names because of our nationality", {"discrimination"}),
    # Nothing from the taxonomy
    ("Работаю курьером, всё нормально, хочу узнать про патент", {"other"}),
    ("Salom, men Samarqanddanman, ishlar yaxshi", {"other"}),
    ("I would like to know how to renew my work permit", {"other"}),
    ("Купил билет домой, вылет в пятницу", {"other"}),  # "билет" is not "бил"
    ("Men Urganchdanman, qurilishda ishlayman", {"other"}),  # Urganch is not "urgan"
    ("", {"other"}),
]

# Negation and other traps: (text, tags that must NOT be suggested).
ABSENT = [
    ("Нас не били, но держали в отделе всю ночь", {"violence"}),
    ("Никто меня не бил и не трогал", {"violence"}),
    ("Побоев не было, просто кричали", {"violence"}),
    ("Паспорт не забирали, только переписали данные", {"document_confiscation"}),
    ("Меня не депортировали, отпустили", {"deportation_expulsion"}),
    ("Bizni urishmadi, faqat so'kishdi", {"violence"}),
    ("Meni urgani yo'q", {"violence"}),
    ("Ба бародарам занг заданд ва гап заданд", {"violence"}),
    ("They did not beat me", {"violence"}),
    ("nas ne bili", {"violence"}),
    ("У меня трудовой контракт с фирмой, работаю официально", {"coercive_recruitment"}),
    ("Камеры видеонаблюдения стоят везде", {"detention_conditions"}),
    ("Бізді ұрмады", {"violence"}),
    ("Работодатель не заплатил зарплату", {"extortion"}),
]

# Texts with several tags where only some are asserted (subset): the rest may legitimately vary.
SUBSET = [
    (
        "Ночью ОМОН ворвался в общежитие, нас положили лицом в пол, били ногами, "
        "потом в отделе требовали по 10 тысяч с каждого, у кого не было денег, тем оформили выдворение",
        {"raid", "violence", "extortion", "deportation_expulsion"},
    ),
    (
        "Meni ushlab, kamerada 3 kun ushlab turishdi, ovqat berishmadi, keyin shartnoma imzolasang "
        "qo'yib yuboramiz deyishdi, aks holda deportatsiya",
        {"detention_conditions", "coercive_recruitment", "deportation_expulsion"},
    ),
    (
        "Меня задержали у метро. Keyin bo'limda urishdi, pasportimni olib qo'yishdi va pul talab qilishdi.",
        {"violence", "document_confiscation", "extortion"},
    ),
]


@pytest.mark.parametrize(("text", "expected"), EXACT)
def test_suggested_tags_equal_the_expected_set(text: str, expected: set[str]) -> None:
    assert set(suggest_tags(text)) == expected


@pytest.mark.parametrize(("text", "absent"), ABSENT)
def test_negated_or_unrelated_mentions_do_not_suggest_the_tag(text: str, absent: set[str]) -> None:
    assert not set(suggest_tags(text)) & absent


@pytest.mark.parametrize(("text", "expected"), SUBSET)
def test_long_testimonies_get_every_tag_they_describe(text: str, expected: set[str]) -> None:
    assert expected <= set(suggest_tags(text))


def test_result_is_ordered_by_the_taxonomy_and_other_only_alone() -> None:
    for text, _ in EXACT + ABSENT + SUBSET:
        result = suggest_tags(text)
        assert result, text
        assert all(tag in TAGS for tag in result)
        assert result == sorted(result, key=TAGS.index)
        assert len(result) == len(set(result))
        assert "other" not in result or result == ["other"]


def test_language_hint_does_not_change_the_result() -> None:
    text = "Нас избили в отделе и забрали паспорта"
    assert suggest_tags(text, "ru") == suggest_tags(text) == suggest_tags(text, None)


def test_case_and_apostrophe_variants() -> None:
    for text in ("PASPORTIMNI OLIB QOʻYISHDI", "pasportimni olib qo`yishdi", "pasportimni olib qo’yishdi"):
        assert suggest_tags(text) == ["document_confiscation"]
    assert suggest_tags("ИЗБИЛИ") == ["violence"]
    assert suggest_tags("Из-за национальности не брали на работу") == ["discrimination"]


def test_lexicon_covers_the_taxonomy_and_compiles() -> None:
    data = json.loads(Path(tags_module.__file__).with_name("data").joinpath("tag_lexicon.json").read_text())
    assert set(data["tags"]) == set(TAGS) - {"other"}
    for spec in data["tags"].values():
        assert len(spec["include"]) >= 20
        for pattern in spec["include"] + spec["exclude"]:
            tags_module._compile(pattern)  # raises on a malformed pattern


def test_every_tag_is_reachable_from_each_language_in_the_samples() -> None:
    reached = {tag for _, expected in EXACT for tag in expected}
    assert reached == set(TAGS)
