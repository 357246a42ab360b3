"""Demo data for ``make run``: LOCAL DEMONSTRATION ONLY, into an empty database.

Two parts. A few reports go through intake as a submitter's would (each prints its receipt, and
the worker processes them when it starts). Then, so that the evidence side (dashboard, map,
exports) has something to show, a few hundred made-up reports are written as the worker would
have stored them, already reviewed: spread over regions, months, kinds, perpetrators and
citizenships, most verified. They are invented from templates: no real person, place of work or
event; names and phone numbers in the sealed originals are obviously fake. Their originals are
real age ciphertexts of the made-up report (so a custodian can open one), but no receipt
belongs to them: the submitter side cannot reach them.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import re
import uuid

import pyrage
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from testimony.crypto import age, padding
from testimony.crypto.atrest import seal
from testimony.intake import places as form_places
from testimony.intake.models import Submission
from testimony.intake.report import build_report, facts_of
from testimony.intake.services import message_to_submitter_create, submission_create_from_report
from testimony.processing.reports import ANALYSIS_VERSION, coarse_fields, report_region

_DEMO = [
    (
        "raid",
        "RU",
        "524901",
        "рынок «Садовод»",
        ["police", "migration_service"],
        "ru",
        "Утром на рынок пришли полицейские и сотрудники миграционной службы. Проверяли патенты, "
        "троих парней увезли в отдел, хотя документы у них были в порядке.",
    ),
    (
        "detention",
        "RU",
        "RU.47",
        "ЦВСИГ",
        ["detention_staff"],
        "ru",
        "В центре временного содержания нас было двадцать человек в комнате на восемь. "
        "Кормили хлебом и чаем, врача не было неделю.",
    ),
    (
        "recruitment",
        "RU",
        "498817",
        "",
        ["military_recruiters", "police"],
        "uz",
        "Meni spetspriyomnikda ushlab turishdi. Harbiy komissariatdan odamlar kelib, shartnomaga "
        "imzo cheksang, deportatsiya qilinmaysan, pasport ham beramiz, deyishdi.",
    ),
]
_DEMO_CITIZENSHIP = {"raid": "TJ", "detention": "", "recruitment": "UZ"}

EVIDENCE_REPORTS = 240
_SEED = 5  # the same demo every time

# Where the made-up events happen: GeoNames city id, the Russian phrase used in the text, and the
# coarse place the worker would store (coordinates to two decimals, as ``coarsen`` leaves them).
# Weights follow where most migrants work: Moscow and its oblast, then Saint Petersburg.
_PLACES = [
    ("524901", "в Москве", "Moscow", "RU", "Moscow (federal city)", 55.75, 37.62, 30),
    ("498817", "в Петербурге", "Saint Petersburg", "RU", "Saint Petersburg (federal city)", 59.94, 30.31, 14),
    ("579464", "в Балашихе", "Balashikha", "RU", "Moscow Oblast", 55.79, 37.95, 5),
    ("508101", "в Подольске", "Podolsk", "RU", "Moscow Oblast", 55.42, 37.55, 4),
    ("550280", "в Химках", "Khimki", "RU", "Moscow Oblast", 55.90, 37.43, 4),
    ("532615", "в Люберцах", "Lyubertsy", "RU", "Moscow Oblast", 55.68, 37.89, 3),
    ("561887", "в Гатчине", "Gatchina", "RU", "Leningrad Oblast", 59.58, 30.13, 3),
    ("1486209", "в Екатеринбурге", "Yekaterinburg", "RU", "Sverdlovsk Oblast", 56.86, 60.62, 6),
    ("551487", "в Казани", "Kazan", "RU", "Republic of Tatarstan", 55.79, 49.12, 5),
    ("1496747", "в Новосибирске", "Novosibirsk", "RU", "Novosibirsk Oblast", 55.02, 82.93, 5),
    ("542420", "в Краснодаре", "Krasnodar", "RU", "Krasnodar Krai", 45.05, 38.98, 4),
    ("499099", "в Самаре", "Samara", "RU", "Samara Oblast", 53.21, 50.14, 3),
    ("520555", "в Нижнем Новгороде", "Nizhniy Novgorod", "RU", "Nizhny Novgorod Oblast", 56.33, 44.00, 3),
    ("1488754", "в Тюмени", "Tyumen", "RU", "Tyumen Oblast", 57.15, 65.53, 2),
    ("1490624", "в Сургуте", "Surgut", "RU", "Khanty-Mansi Autonomous Okrug – Yugra", 61.26, 73.42, 2),
    ("554234", "в Калининграде", "Kaliningrad", "RU", "Kaliningrad Oblast", 54.71, 20.51, 1),
    ("2013348", "во Владивостоке", "Vladivostok", "RU", "Primorsky Krai", 43.11, 131.87, 1),
    # Some events happen at home: summonses after naturalisation, pressure on families, returns.
    ("1512569", "в Ташкенте", "Tashkent", "UZ", "Tashkent City", 41.26, 69.22, 3),
    ("1221874", "в Душанбе", "Dushanbe", "TJ", "Dushanbe City", 38.54, 68.78, 2),
    ("1528675", "в Бишкеке", "Bishkek", "KG", "Bishkek City", 42.87, 74.59, 1),
    ("1526384", "в Алматы", "Almaty", "KZ", "Almaty City", 43.25, 76.91, 1),
]

# Per kind: the perpetrators that go with it, the taxonomy tags a reviewer would accept, and
# templates of the redacted account ({place} optional; placeholders as the worker writes them).
_KINDS = {
    "raid": (
        ["police", "migration_service", "rosgvardia"],
        ["raid_market", "raid_dormitory", "raid_workplace", "raid_street_metro"],
        [
            "Рано утром {place} на рынок пришли полицейские и сотрудники миграционной службы. "
            "Проверяли патенты, {n} человек увезли в отдел, среди них [PERSON 1].",
            "Ночью {place} в общежитие ворвались люди в форме. Всех положили на пол, у [PERSON 1] "
            "забрали телефон. Отпустили только через {n} часов.",
            "На стройке {place} была проверка. Бригадира [PERSON 1] и ещё {n} рабочих задержали, "
            "хотя у всех были документы.",
            "У выхода из метро {place} остановили, проверили паспорт и регистрацию, "
            "держали в автобусе {n} часов.",
        ],
    ),
    "detention": (
        ["detention_staff", "police"],
        ["detention_overcrowding", "detention_food", "detention_no_medical_care", "detention_no_lawyer"],
        [
            "В центре временного содержания {place} нас было {n} человек в комнате на восемь. "
            "Кормили хлебом и чаем.",
            "Мой брат [PERSON 1] уже {n} дней в спецприёмнике {place}. Врача не дают, адвоката тоже, "
            "звонить родным не разрешают. Мой номер [PHONE 1].",
            "В изоляторе {place} били тех, кто просил переводчика. Держали {n} суток без суда.",
        ],
    ),
    "recruitment": (
        ["military_recruiters", "police", "fsb"],
        ["recruitment_in_detention", "recruitment_threat_deportation", "recruitment_promise_citizenship"],
        [
            "В отделе полиции {place} пришли люди из военкомата и сказали: подпишешь контракт, "
            "не будет депортации. Со мной было ещё {n} ребят.",
            "После получения гражданства [PERSON 1] пришла повестка. В военкомате {place} сказали, "
            "что иначе гражданство отберут.",
            "В спецприёмнике {place} каждый день приходил вербовщик, обещал паспорт за контракт. "
            "Из нашей камеры согласились {n} человек.",
        ],
    ),
    "other": (
        ["employer", "other", "unknown"],
        ["document_confiscation", "extortion", "discrimination"],
        [
            "Работодатель {place} забрал паспорта у {n} рабочих и не отдаёт, пока не отработаем долг.",
            "Участковый {place} требовал деньги за то, чтобы не писать рапорт. Телефон [PHONE 1].",
            "Сказали, что я в реестре контролируемых лиц, банк заблокировал карту. Звонил [PERSON 1], "
            "объяснить ничего не смог.",
        ],
    ),
}
_KIND_WEIGHTS = {"raid": 45, "detention": 25, "recruitment": 20, "other": 10}
_CITIZENSHIPS = (("UZ", 40), ("TJ", 30), ("KG", 15), ("KZ", 4), ("RU", 2), ("other", 2), ("", 7))
# Rejected and duplicate need a reviewer's note; the demo leaves them to the reviewers.
_STATES = (("verified", 86), ("new", 8), ("in_review", 6))
_MONTHS = 24
# Made-up words behind the placeholders, for the sealed originals only.
_FAKE = {"PERSON": ["Демо Демоев", "Тест Тестов", "Пример Примеров"], "PHONE": ["+7 900 000-00-00"]}
_PLACEHOLDER = re.compile(r"\[(PERSON|PHONE) (\d+)\]")


class Command(BaseCommand):
    help = (
        "Load demo reports (only into an empty database): a few through intake, "
        "and reviewed ones for the evidence side."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--evidence-reports",
            type=int,
            default=EVIDENCE_REPORTS,
            metavar="N",
            help=f"made-up reviewed reports for the evidence side (default {EVIDENCE_REPORTS}; 0 for none)",
        )

    def handle(self, *args, **options) -> None:
        if Submission.objects.exists():
            self.stdout.write("Demo data: the database already has submissions; nothing loaded.")
            return
        month = (dt.date.today().replace(day=1) - dt.timedelta(days=1)).strftime("%Y-%m")
        for kind, country, place, details, who, language, account in _DEMO:
            report = build_report(
                kind=kind,
                when=month,
                country=country,
                place=place,
                place_details=details,
                who=who,
                account=account,
                language=language,
                keep_location=False,
                consent=True,
                citizenship=_DEMO_CITIZENSHIP[kind],
            )
            created = submission_create_from_report(report=report, attachments=[])
            if kind == "detention":
                message_to_submitter_create(
                    submission_id=created.submission.id,
                    text="Спасибо, что написали. В каком городе был этот центр?",
                )
            self.stdout.write(f"Demo report ({kind}, {language}): receipt {created.receipt_display}")
        count = options["evidence_reports"]
        if count > 0:
            evidence_reports_create(count=count)
            self.stdout.write(f"Demo evidence: {count} made-up reviewed reports (no receipts).")


def _weighted(rng: random.Random, pairs) -> str:
    values, weights = zip(*pairs, strict=True)
    return rng.choices(values, weights)[0]


def _months(today: dt.date) -> list[str]:
    year, month, out = today.year, today.month, []
    for _ in range(_MONTHS):
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
        out.append(f"{year:04d}-{month:02d}")
    return out[::-1]


def demo_account(
    rng: random.Random, kind: str, place: tuple | None
) -> tuple[str, str, list[dict], list[dict]]:
    """(redacted text, original text, redactions, places with offsets into the redacted text)."""
    template = rng.choice(_KINDS[kind][2])
    redacted = template.replace("{n}", str(rng.randint(2, 30)))
    if place and "{place}" in redacted:
        _gid, phrase, name, country, admin1, lat, lon, _weight = place
        head, tail = redacted.split("{place}", 1)
        redacted = head + phrase + tail
        located = [
            {"start": len(head), "end": len(head) + len(phrase), "text": phrase, "name": name,
             "country": country, "admin1": admin1, "lat": lat, "lon": lon, "precision": "city"}
        ]  # fmt: skip
    else:
        redacted = re.sub(r"\s*\{place\}", "", redacted)
        located = []
    redactions = [
        {"start": m.start(), "end": m.end(), "label": m[1], "placeholder": m[0]}
        for m in _PLACEHOLDER.finditer(redacted)
    ]
    original = _PLACEHOLDER.sub(lambda m: _FAKE[m[1]][(int(m[2]) - 1) % len(_FAKE[m[1]])], redacted)
    # Place offsets stay right in the redacted text; only the sealed original has the fake words.
    return redacted, original, redactions, located


def evidence_reports_create(*, count: int, seed: int = _SEED, today: dt.date | None = None) -> list:
    """Write ``count`` made-up, reviewed reports as the worker and reviewers would have left them.

    Local demo only (``load_demo``). Reproducible for a seed. Returns the reports.
    """
    from testimony.review.models import Report, ReportTag, SearchToken, Tag
    from testimony.review.search import indexed_text, tokens_for_text
    from testimony.review.similar import text_fingerprint

    rng = random.Random(seed)  # noqa: S311 - made-up demo data, nothing secret
    today = today or dt.date.today()
    months = _months(today)
    month_weights = [1.0 + index / 6 for index in range(len(months))]  # reporting grows
    place_weights = [entry[-1] for entry in _PLACES]
    tags = {tag.slug: tag for tag in Tag.objects.filter(active=True)}
    # No receipt opens these: replies to them are encrypted to a key nobody keeps.
    nobody = str(pyrage.x25519.Identity.generate().to_public())
    now = timezone.now()
    submissions, reports, links, tokens = [], [], [], []
    for _ in range(count):
        kind = _weighted(rng, _KIND_WEIGHTS.items())
        perpetrator_choices, tag_choices, _templates = _KINDS[kind]
        place = rng.choices(_PLACES, place_weights)[0]
        redacted, original, redactions, located = demo_account(rng, kind, place)
        country = place[3]
        # As submitters do: some pick the city, some its region, some only name it in the text,
        # and a few say nowhere where it was (no region: the dashboard's "unknown").
        pick = rng.random()
        if not located:
            pick = 0.5 if pick < 0.7 else 1.0
        form_place = ""
        if pick < 0.45:
            form_place = place[0]
        elif pick < 0.6:
            form_place = report_region(country=country, place_id=place[0], places=[])
        if form_place and not form_places.is_known_place(country, form_place):
            form_place = ""
        event_month = rng.choices(months, month_weights)[0]
        first = dt.date(int(event_month[:4]), int(event_month[5:]), 1)
        received = min(today, first + dt.timedelta(days=int(rng.expovariate(1 / 20))))
        who = sorted(set(rng.sample(perpetrator_choices, rng.choice((1, 1, 2)))))
        citizenship = _weighted(rng, _CITIZENSHIPS)
        report = build_report(
            kind=kind, when=event_month, country=country, place=form_place, place_details="",
            who=who, account=original, language="ru", keep_location=False, consent=True,
            citizenship=citizenship,
        )  # fmt: skip
        pk = uuid.uuid4()
        submissions.append(
            Submission(
                id=pk,
                receipt_lookup="demo-" + pk.hex,  # not a receipt's hash: no receipt finds it
                report_ciphertext=age.encrypt_to_intake(padding.pad_report(report)),
                encrypted_by=Submission.EncryptedBy.SERVER,
                reply_recipient=nobody,
                reply_identity_salt=os.urandom(16),
                reply_identity_wrapped=os.urandom(48),
                received_on=received,
                status=Submission.Status.PROCESSED,
                facts_sealed=seal(
                    json.dumps(facts_of(report) | {"attachments": 0}, separators=(",", ":")).encode(),
                    context=f"submission.facts:{pk}",
                ),
            )
        )
        payload = {
            "account": {"redacted_text": redacted, "redactions": redactions, "places": located},
            "place_details": "",
            "when": event_month,
            "analysis_version": ANALYSIS_VERSION,
        }
        # Search and the exact-duplicate fingerprint read the text the worker indexes.
        text = indexed_text(payload)
        coarse = [coarse_fields(p) for p in located]
        counts: dict[str, int] = {}
        for item in redactions:
            counts[item["label"]] = counts.get(item["label"], 0) + 1
        reports.append(
            Report(
                submission_id=pk,
                language="ru",
                kind=kind,
                event_month=event_month,
                country=country,
                place=form_place,
                perpetrators=who,
                region=report_region(country=country, place_id=form_place, places=coarse),
                nationality=citizenship,
                text_sealed=seal(
                    json.dumps(payload, ensure_ascii=False).encode(), context=f"report.text:{pk}"
                ),
                places=coarse,
                suggested_tags=[slug for slug in tag_choices[:1] if slug in tags],
                redaction_counts=dict(sorted(counts.items())),
                analysis_version=ANALYSIS_VERSION,
                received_on=received,
                state=_weighted(rng, _STATES),
                text_fingerprint=text_fingerprint(text),
            )
        )
        for slug in sorted({rng.choice(tag_choices) for _ in range(rng.choice((1, 1, 2)))}):
            if slug in tags:
                links.append(
                    ReportTag(report_id=pk, tag=tags[slug], status=ReportTag.Status.ACCEPTED, at=now)
                )
        tokens.extend(SearchToken(report_id=pk, token=token) for token in sorted(tokens_for_text(text)))
    with transaction.atomic():
        Submission.objects.bulk_create(submissions, batch_size=500)
        Report.objects.bulk_create(reports, batch_size=500)
        ReportTag.objects.bulk_create(links, batch_size=500)
        SearchToken.objects.bulk_create(tokens, batch_size=2000)
    return reports
