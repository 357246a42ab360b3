"""Synthetic processed reports for the evidence benchmarks (aggregates, exports), fast enough for 1,000,000.

``seed_reports(n, organisation=...)`` writes ``n`` submissions and their processed reports, with
distributions that look like the real thing: regions from the form's places (Moscow and its
oblast first, a long tail), about five years of months growing towards today, the four kinds,
one to three perpetrators, the submitters' citizenships, mostly verified, and accepted tags on
about four reports in ten. Each report's sealed text is a short fake account sealed under its
own context, so an export that opens it works as on real data.

On PostgreSQL the rows go in with ``COPY`` (psycopg 3), a batch per transaction; elsewhere
(SQLite in unit tests) with ``bulk_create``. The rows are fake: never seed a real deployment
(the commands refuse a database that already holds reports unless told otherwise).
"""

from __future__ import annotations

import datetime as dt
import json
import random
import uuid
from collections.abc import Callable
from functools import cache

from django.db import connection, connections, transaction
from django.utils import timezone

from testimony.crypto.atrest import seal
from testimony.evidence.geography import MAP_COUNTRIES, region_ids
from testimony.intake.choices import COUNTRIES, PERPETRATORS

# Share of reports by kind, state, citizenship and number of perpetrators (rough guesses at
# what the organisations see; only the shape matters to a benchmark).
_KINDS = (("raid", 45), ("detention", 25), ("recruitment", 20), ("other", 10))
_STATES = (
    ("verified", 70),
    ("new", 10),
    ("in_review", 8),
    ("needs_info", 3),
    ("rejected", 6),
    ("duplicate", 3),
)
_NATIONALITIES = (("UZ", 42), ("TJ", 30), ("KG", 15), ("KZ", 4), ("RU", 2), ("other", 2), ("", 5))
_PERPETRATOR_WEIGHTS = {
    "police": 40,
    "migration_service": 12,
    "rosgvardia": 8,
    "fsb": 4,
    "military_recruiters": 12,
    "detention_staff": 8,
    "employer": 6,
    "other": 4,
    "unknown": 6,
}
_LANGUAGES = (("ru", 60), ("uz", 20), ("tg", 12), ("ky", 6), ("kk", 2))
# Where the events happened: most in Russia, some in the home countries; a few name no region.
_COUNTRY_SHARE = (("RU", 88), ("UZ", 4), ("TJ", 2), ("KG", 2), ("KZ", 2))
_NO_REGION = 0.07
_MONTHS = 60
# Where most migrants work: these regions come first, then the form's order (weights fall with rank).
_BUSY_REGIONS = ("RU.48", "RU.47", "RU.66", "RU.42", "RU.71", "RU.73", "RU.53", "RU.38", "RU.65", "RU.78")
_TEXTS = (
    "Утром [PERSON 1] видел, как ОМОН задержал людей на рынке.",
    "Нас держали в центре временного содержания три недели, без врача.",
    "В отделе полиции требовали подписать контракт с Министерством обороны.",
    "Проверка документов в общежитии, паспорт забрали, вернули через день.",
    "Работодатель не платил два месяца и позвонил в миграционную службу.",
)

ProgressLog = Callable[[str], None]


def _pick(rng: random.Random, choices: tuple[tuple[str, int], ...], k: int) -> list[str]:
    values, weights = zip(*choices, strict=True)
    return rng.choices(values, weights, k=k)


@cache
def _regions() -> dict[str, tuple[list[str], list[float]]]:
    """Per country: the form's regions, busiest first, and Zipf-like weights."""
    busy = {region: rank for rank, region in enumerate(_BUSY_REGIONS)}
    result = {}
    for country in MAP_COUNTRIES:
        ids = sorted(region_ids([country]), key=lambda region: busy.get(region, len(busy)))
        result[country] = (ids, [1.0 / (rank + 1.5) for rank in range(len(ids))])
    return result


def _months(today: dt.date) -> tuple[list[str], list[float]]:
    """The last five years of months, later ones more frequent (reporting grows)."""
    months = []
    year, month = today.year, today.month
    for _ in range(_MONTHS):
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    months.reverse()
    return months, [1.0 + index / 20 for index in range(len(months))]


def _received(event_month: str, rng: random.Random, today: dt.date) -> dt.date:
    first = dt.date(int(event_month[:4]), int(event_month[5:]), 1)
    return min(today, first + dt.timedelta(days=int(rng.expovariate(1 / 25))))


def _bench_caseloads(organisation) -> list:
    from testimony.accounts.models import Caseload

    return [
        Caseload.objects.get_or_create(organisation=organisation, name=f"Evidence bench caseload {n}")[0]
        for n in (1, 2, 3)
    ]


def _constant_defaults(model, given: set[str]) -> dict[str, object]:
    """The columns the seeder does not set: their model default, prepared once for the database.

    Fails loudly when a new required column appears that the seeder knows nothing about.
    """
    values = {}
    for field in model._meta.concrete_fields:
        if field.attname in given:
            continue
        if field.has_default() or field.null:
            values[field.column] = field.get_db_prep_save(field.get_default(), connection)
        else:
            raise RuntimeError(f"bench_data does not know how to fill {model.__name__}.{field.attname}")
    return values


def seed_reports(
    n: int,
    *,
    organisation,
    seed: int = 1,
    batch: int = 50_000,
    log: ProgressLog | None = None,
) -> None:
    """Insert ``n`` processed reports (submissions, reports, accepted tags) for ``organisation``.

    They are spread over three caseloads of the organisation ("Evidence bench caseload 1–3", made
    if missing) and, if it runs the intake, some not yet routed, so that every one of them is in
    the scope of the organisation's analysts. Distributions are reproducible for a given ``seed``;
    ids are random, so seeding twice adds ``2n`` reports. The caller runs ``ANALYZE`` afterwards
    (``analyse()``) when timing queries.
    """
    from testimony.intake.models import Submission
    from testimony.review.models import Report, ReportTag, Tag
    from testimony.review.models.reports import perpetrator_mask

    rng = random.Random(seed)  # noqa: S311 - fake data, reproducible; nothing secret
    today = dt.date.today()
    now = timezone.now()
    months, month_weights = _months(today)
    regions = _regions()
    caseloads: list = list(_bench_caseloads(organisation))
    if organisation.receives_intake:
        caseloads.append(None)
    caseload_ids = [caseload.pk if caseload else None for caseload in caseloads]
    # Sub-tags are what reviewers pick; the Zipf-like weights make a few of them common.
    tag_ids = list(Tag.objects.filter(active=True, parent__isnull=False).values_list("pk", flat=True))
    tag_ids = tag_ids or list(Tag.objects.filter(active=True).values_list("pk", flat=True))
    tag_weights = [1.0 / (rank + 2) for rank in range(len(tag_ids))]
    perpetrator_codes = [code for code, _label in PERPETRATORS]
    perpetrator_weights = [_PERPETRATOR_WEIGHTS.get(code, 1) for code in perpetrator_codes]
    assert {code for code, _w in _NATIONALITIES if code} <= {code for code, _l in COUNTRIES}

    submission_columns = [
        "id",
        "receipt_lookup",
        "report_ciphertext",
        "encrypted_by",
        "reply_recipient",
        "reply_identity_salt",
        "reply_identity_wrapped",
        "received_on",
        "status",
    ]
    report_columns = [
        "submission_id",
        "language",
        "kind",
        "event_month",
        "country",
        "place",
        "perpetrators",
        "perpetrator_mask",
        "region",
        "nationality",
        "text_sealed",
        "places",
        "suggested_tags",
        "redaction_counts",
        "analysis_version",
        "received_on",
        "has_attachments",
        "state",
        "caseload_id",
        "updated_at",
    ]
    tag_columns = ["report_id", "tag_id", "status", "at"]
    json_names = ("perpetrators", "places", "suggested_tags", "redaction_counts")
    json_columns = {report_columns.index(name) for name in json_names}
    submission_rest = _constant_defaults(Submission, set(submission_columns))
    report_rest = _constant_defaults(Report, set(report_columns))
    tag_rest = _constant_defaults(ReportTag, {*tag_columns, "id"})
    postgres = connection.vendor == "postgresql"
    # JSON columns go in as JSON text, made once per distinct value (a few hundred in all).
    perpetrators_json: dict[tuple, str] = {}
    plaintexts: dict[tuple[int, str], bytes] = {}

    for start in range(0, n, batch):
        size = min(n, start + batch) - start
        kinds = _pick(rng, _KINDS, size)
        states = _pick(rng, _STATES, size)
        nationalities = _pick(rng, _NATIONALITIES, size)
        languages = _pick(rng, _LANGUAGES, size)
        countries = _pick(rng, _COUNTRY_SHARE, size)
        event_months = rng.choices(months, month_weights, k=size)
        submissions, reports, links = [], [], []
        for i in range(size):
            pk = uuid.uuid4()
            country = countries[i]
            ids, weights = regions.get(country, ([], []))
            region = "" if not ids or rng.random() < _NO_REGION else rng.choices(ids, weights)[0]
            received = _received(event_months[i], rng, today)
            count = 1 if rng.random() < 0.7 else rng.choice((2, 2, 3))
            perpetrators = tuple(sorted(set(rng.choices(perpetrator_codes, perpetrator_weights, k=count))))
            if perpetrators not in perpetrators_json:
                perpetrators_json[perpetrators] = json.dumps(list(perpetrators))
            plaintext_key = (rng.randrange(len(_TEXTS)), event_months[i])
            if plaintext_key not in plaintexts:
                plaintexts[plaintext_key] = _plaintext(_TEXTS[plaintext_key[0]], event_months[i])
            submissions.append(
                (
                    pk,
                    pk.hex,
                    b"age-encryption.org/v1 (evidence bench)",
                    "browser",
                    "age1bench",
                    b"\0" * 16,
                    b"\0" * 48,
                    received,
                    "processed",
                )
            )
            reports.append(
                (
                    pk,
                    languages[i],
                    kinds[i],
                    event_months[i],
                    country,
                    region if rng.random() < 0.6 else "",
                    perpetrators_json[perpetrators],
                    perpetrator_mask(perpetrators),
                    region,
                    nationalities[i],
                    seal(plaintexts[plaintext_key], context=f"report.text:{pk}"),
                    "[]",
                    "[]",
                    "{}",
                    "bench",
                    received,
                    False,
                    states[i],
                    rng.choice(caseload_ids),
                    now,
                )
            )
            if tag_ids and rng.random() < 0.4:
                for tag_id in set(rng.choices(tag_ids, tag_weights, k=rng.choice((1, 1, 2)))):
                    links.append((pk, tag_id, "accepted", now))
        with transaction.atomic():
            if postgres:
                _copy(Submission._meta.db_table, submission_columns, submissions, submission_rest)
                _copy(Report._meta.db_table, report_columns, reports, report_rest)
                _copy(ReportTag._meta.db_table, tag_columns, links, tag_rest)
            else:
                _bulk(Submission, submission_columns, submissions)
                _bulk(Report, report_columns, reports, json_columns=json_columns)
                _bulk(ReportTag, tag_columns, links)
        if log:
            log(f"  seeded {start + size:,} / {n:,}")


def _plaintext(text: str, month: str) -> bytes:
    """What the worker seals as a report's text (the shape ``review.sealed`` opens)."""
    payload = {
        "account": {"redacted_text": text, "redactions": [], "places": []},
        "place_details": "",
        "when": month,
        "analysis_version": "bench",
    }
    return json.dumps(payload, ensure_ascii=False).encode()


def _copy(table: str, columns: list[str], rows: list[tuple], rest: dict) -> None:
    names = ", ".join(f'"{name}"' for name in [*columns, *rest])
    tail = tuple(rest.values())
    with connection.cursor() as cursor, cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row + tail)


def _bulk(model, columns: list[str], rows: list[tuple], json_columns=frozenset()) -> None:
    """The ORM path (SQLite): JSON columns back from text to values, as the model expects them."""
    objects = []
    for row in rows:
        values = [json.loads(value) if i in json_columns else value for i, value in enumerate(row)]
        objects.append(model(**dict(zip(columns, values, strict=True))))
    model.objects.bulk_create(objects, batch_size=2000)


def analyse() -> None:
    """``VACUUM ANALYZE`` as autovacuum would after a bulk load, so timings do not depend on when it runs."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")


def use_database_url(url: str) -> None:
    """Point the default connection at ``url`` for the rest of this process (the bench commands' option)."""
    import dj_database_url

    connections["default"].close()
    configured = connections.configure_settings({"default": dj_database_url.parse(url)})
    connections.settings["default"] = configured["default"]
    del connections["default"]


def prepare_bench_database(*, database_url: str | None, migrate: bool, may_hold_reports: bool) -> None:
    """The benchmark commands' database: switch to ``database_url``, migrate if asked, and refuse
    one that already holds reports (the benchmarks add fake ones) unless ``may_hold_reports``."""
    from django.core.management import call_command
    from django.core.management.base import CommandError

    from testimony.review.models import Report

    if database_url:
        use_database_url(database_url)
    if migrate:
        call_command("migrate", verbosity=0)
    if Report.objects.exists() and not may_hold_reports:
        raise CommandError(
            "This database already holds reports; the benchmark would add fake ones. "
            "Use a database of its own, or --yes if this one is a scratch copy."
        )
