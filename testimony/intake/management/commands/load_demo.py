import datetime as dt

from django.core.management.base import BaseCommand

from testimony.intake.models import Submission
from testimony.intake.report import build_report
from testimony.intake.services import message_to_submitter_create, submission_create_from_report

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


class Command(BaseCommand):
    help = "Load a few demo reports (only into an empty database) and print their receipts."

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
            )
            created = submission_create_from_report(report=report, attachments=[])
            if kind == "detention":
                message_to_submitter_create(
                    submission_id=created.submission.id,
                    text="Спасибо, что написали. В каком городе был этот центр?",
                )
            self.stdout.write(f"Demo report ({kind}, {language}): receipt {created.receipt_display}")
