"""``manage.py bench_console [--reports 100000]``: seed processed reports, time the console's pages.

Seeds N processed reports straight into the configured database (bulk inserts; ~1 KB of sealed
text each, coarse places, suggested and accepted tags, search tokens, caseloads, assignees), then
times, in this process with Django's test client logged in as a verified reviewer, the queue
(first page, filtered, searched, 20 and 1000 pages deep; the first page also as a reviewer
limited to one caseload) and the report page, and a bulk job over 10,000 reports. "Server time"
here is the whole request through Django (middleware, queries, template) without a network or a
WSGI server in front. The load average is printed before and after: the figures depend on what
else the machine runs.

It refuses a database that already holds reports unless given ``--yes``: the seeded rows are
fake and would pollute a real deployment. Use a database of its own, e.g.::

    createdb -h 127.0.0.1 -U postgres testimony_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/testimony_bench manage.py migrate
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/testimony_bench manage.py createcachetable
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/testimony_bench manage.py bench_console
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import re
import statistics
import time
import uuid
from functools import cache
from unittest import mock

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.test import Client, override_settings
from django.urls import NoReverseMatch, reverse
from django.utils.http import urlencode

from testimony.crypto.atrest import seal
from testimony.intake.models import Submission
from testimony.review.models import Report, ReportTag, SearchToken, Tag
from testimony.review.search import normalise, word_tokens
from testimony.review.services.report_counts import report_counts_compact

# Real words (with case forms, so stemmed search has something to find) and a long tail of
# made-up ones, drawn with Zipf-like weights so token frequencies look like a real corpus.
_REAL = [
    "утром",
    "вечером",
    "ночью",
    "нас",
    "задержали",
    "задержал",
    "задержан",
    "полиция",
    "полиции",
    "полицейские",
    "ОМОН",
    "омоновцы",
    "рынке",
    "рынок",
    "рынка",
    "общежитии",
    "общежитие",
    "общежития",
    "мечети",
    "мечеть",
    "метро",
    "станции",
    "стройке",
    "стройка",
    "документы",
    "документов",
    "паспорт",
    "паспорта",
    "патент",
    "патента",
    "регистрации",
    "отдел",
    "отделе",
    "отдела",
    "автозак",
    "автозаке",
    "били",
    "избили",
    "кормили",
    "хлеб",
    "чай",
    "воды",
    "врача",
    "врач",
    "адвоката",
    "адвоката",
    "переводчика",
    "контракт",
    "контракта",
    "подписать",
    "подписал",
    "военкомат",
    "военкомата",
    "повестку",
    "повестка",
    "фронт",
    "фронте",
    "гражданство",
    "гражданства",
    "депортацией",
    "депортации",
    "семью",
    "семьи",
    "родственников",
    "деньги",
    "денег",
    "карту",
    "счёт",
    "заблокировали",
    "реестр",
    "контролируемых",
    "выдворение",
    "суда",
    "суд",
    "центре",
    "центра",
    "временного",
    "содержания",
    "иностранных",
    "граждан",
    "камера",
    "камере",
    "человек",
    "людей",
    "мигрантов",
    "узбеков",
    "таджиков",
    "киргизов",
    "москве",
    "москва",
    "москвы",
    "подмосковье",
    "петербурге",
    "петербург",
    "казани",
    "казань",
    "екатеринбурге",
    "новосибирске",
]
_SYLLABLES = [
    "ба",
    "ва",
    "га",
    "да",
    "жа",
    "за",
    "ка",
    "ла",
    "ма",
    "на",
    "па",
    "ра",
    "са",
    "та",
    "фа",
    "ха",
    "ча",
    "ша",
    "бо",
    "во",
    "го",
    "до",
    "ко",
    "ло",
    "мо",
    "но",
    "по",
    "ро",
    "со",
    "то",
    "ру",
    "ку",
    "ну",
    "ту",
    "ми",
    "ни",
    "ли",
    "ки",
    "ти",
    "ри",
]
_PLACES = [
    ("Moscow", "RU", "Moscow"),
    ("Saint Petersburg", "RU", "Saint Petersburg"),
    ("Kazan", "RU", "Tatarstan"),
    ("Yekaterinburg", "RU", "Sverdlovsk Oblast"),
    ("Novosibirsk", "RU", "Novosibirsk Oblast"),
    ("Krasnodar", "RU", "Krasnodar Krai"),
    ("Balashikha", "RU", "Moscow Oblast"),
    ("Tashkent", "UZ", "Tashkent"),
    ("Dushanbe", "TJ", "Dushanbe"),
    ("Bishkek", "KG", "Bishkek"),
]
_STATES = (
    ["new"] * 40
    + ["in_review"] * 20
    + ["needs_info"] * 5
    + ["verified"] * 20
    + ["rejected"] * 10
    + ["duplicate"] * 5
)
_KINDS = ["raid", "detention", "recruitment"]
_LANGUAGES = ["ru"] * 6 + ["uz", "tg", "ky", "kk"]


def _vocabulary(rng: random.Random, size: int = 4000) -> tuple[list[str], list[float]]:
    made = set()
    while len(made) < size:
        made.add("".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 5))))
    words = _REAL + sorted(made)
    weights = [1.0 / (rank + 10) for rank in range(len(words))]
    return words, weights


def _text(rng: random.Random, words, weights, chars: int = 1000) -> str:
    picked = rng.choices(words, weights, k=chars // 7)
    sentences, out = [], []
    for i, word in enumerate(picked):
        out.append(word)
        if i % 12 == 11:
            sentences.append(" ".join(out).capitalize() + ".")
            out = []
    if out:
        sentences.append(" ".join(out).capitalize() + ".")
    text = " ".join(sentences)
    if rng.random() < 0.5:
        text = "[PERSON 1] " + text
    return text[: chars + 100]


# Cached here only: the fake vocabulary is small and seeding 100,000 texts hashes each word often.
_word_tokens = cache(word_tokens)


def _tokens(text: str) -> set[bytes]:
    return {token for word in set(normalise(text)) for token in _word_tokens(word)}


def seed_reports(
    *,
    count: int,
    organisation,
    users=(),
    caseloads=(),
    tokens: bool = True,
    seed: int = 4,
    batch: int = 2000,
    log=lambda message: None,
) -> list:
    """Insert ``count`` processed reports (and their submissions, tags and tokens). Returns their ids.

    Every tenth report is of kind ``other``: the benchmark's bulk job selects those (10,000 of 100,000).
    """
    rng = random.Random(seed)  # noqa: S311  (fake data, reproducible; nothing secret)
    words, weights = _vocabulary(rng)
    tags = list(Tag.objects.filter(active=True).values_list("pk", "slug")[:40]) or []
    users, caseloads = list(users), [None, *caseloads]
    today = dt.date.today()
    ids: list = []
    for start in range(0, count, batch):
        submissions, reports, links, token_rows = [], [], [], []
        for i in range(start, min(count, start + batch)):
            pk = uuid.UUID(int=rng.getrandbits(128), version=4)
            received = today - dt.timedelta(days=int(rng.expovariate(1 / 200)) % 1500)
            submissions.append(
                Submission(
                    id=pk,
                    receipt_lookup=pk.hex,
                    report_ciphertext=b"age-encryption.org/v1 (bench)",
                    encrypted_by="browser",
                    reply_recipient="age1bench",
                    reply_identity_salt=b"\0" * 16,
                    reply_identity_wrapped=b"\0" * 48,
                    received_on=received,
                    status="processed",
                )
            )
            text = _text(rng, words, weights)
            name, country, admin1 = rng.choice(_PLACES)
            place = {
                "name": name,
                "country": country,
                "admin1": admin1,
                "lat": 0.0,
                "lon": 0.0,
                "precision": "city",
            }
            payload = {
                "account": {"redacted_text": text, "redactions": [], "places": []},
                "place_details": "",
                "when": received.strftime("%Y-%m"),
                "analysis_version": "bench",
            }
            suggested = [slug for _pk, slug in rng.sample(tags, k=min(len(tags), rng.randint(0, 2)))]
            assignee = rng.choice(users) if users and rng.random() < 0.2 else None
            reports.append(
                Report(
                    submission_id=pk,
                    language=rng.choice(_LANGUAGES),
                    kind="other" if i % 10 == 0 else rng.choice(_KINDS),
                    event_month=received.strftime("%Y-%m"),
                    country=country,
                    perpetrators=["police"],
                    text_sealed=seal(
                        json.dumps(payload, ensure_ascii=False).encode(), context=f"report.text:{pk}"
                    ),
                    places=[place],
                    suggested_tags=suggested,
                    redaction_counts={},
                    analysis_version="bench",
                    received_on=received,
                    has_attachments=rng.random() < 0.15,
                    state=rng.choice(_STATES),
                    caseload=rng.choice(caseloads),
                    assignee=assignee,
                )
            )
            if tags and rng.random() < 0.3:
                links.append(ReportTag(report_id=pk, tag_id=rng.choice(tags)[0], status="accepted"))
            if tokens:
                token_rows.extend((pk, token) for token in _tokens(text))
            ids.append(pk)
        with transaction.atomic():
            Submission.objects.bulk_create(submissions, batch_size=batch)
            Report.objects.bulk_create(reports, batch_size=batch)
            ReportTag.objects.bulk_create(links, batch_size=batch)
            _insert_tokens(token_rows)
        log(f"  seeded {min(count, start + batch)} / {count}")
    return ids


def _insert_tokens(rows: list[tuple]) -> None:
    if not rows:
        return
    if connection.vendor == "postgresql":
        with (
            connection.cursor() as cursor,
            cursor.copy("COPY review_searchtoken (report_id, token) FROM STDIN") as copy,
        ):
            for row in rows:
                copy.write_row(row)
        return
    SearchToken.objects.bulk_create(
        [SearchToken(report_id=pk, token=token) for pk, token in rows], batch_size=5000
    )


def _figures(samples: list[float]) -> str:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    p50, top = statistics.median(ordered), ordered[-1]
    return f"p50 {p50 * 1000:7.1f} ms   p95 {p95 * 1000:7.1f} ms   max {top * 1000:7.1f} ms"


def _load() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def _cursor_after(user, *, pages: int) -> str:
    """The queue's cursor ``pages`` pages down for ``user`` (read directly, not clicked through)."""
    from testimony.review.filters import QueueFilters, queue_page

    after = ""
    for _ in range(pages):
        after = queue_page(user=user, filters=QueueFilters(), after=after).next_cursor or after
    return after


class _QueryCounter:
    def __init__(self):
        self.count = 0

    def __call__(self, execute, *args):
        self.count += 1
        return execute(*args)


class Command(BaseCommand):
    help = "Seed N processed reports and time the queue, the report page and a 10,000-report bulk job."

    def add_arguments(self, parser):
        parser.add_argument("--reports", type=int, default=100_000)
        parser.add_argument("--repeat", type=int, default=30, help="timed requests per page")
        parser.add_argument("--yes", action="store_true", help="seed even though the database holds reports")
        parser.add_argument("--skip-seed", action="store_true", help="time what an earlier run seeded")
        parser.add_argument("--skip-bulk", action="store_true")

    def handle(self, *args, reports, repeat, yes, skip_seed, skip_bulk, **options):
        from django_otp import DEVICE_ID_SESSION_KEY
        from django_otp.plugins.otp_totp.models import TOTPDevice

        from testimony.accounts.models import Caseload, Organisation, User
        from testimony.evidence.bench_data import prepare_bench_database

        out = self.stdout.write
        if not skip_seed:
            prepare_bench_database(database_url=None, migrate=False, may_hold_reports=yes)
        organisation = Organisation.objects.filter(
            receives_intake=True
        ).first() or Organisation.objects.create(name="Bench organisation", receives_intake=True)
        caseloads = [
            Caseload.objects.get_or_create(organisation=organisation, name=f"Bench caseload {n}")[0]
            for n in (1, 2, 3)
        ]
        people = {}
        for role in ("reviewer", "coordinator"):
            user, _created = User.objects.get_or_create(
                username=f"bench_{role}", defaults={"role": role, "organisation": organisation}
            )
            people[role] = user
            TOTPDevice.objects.get_or_create(user=user, name="bench", defaults={"confirmed": True})
        # A reviewer limited to one caseload: the queue's scope (and its counts) narrowed to it.
        limited, _created = User.objects.get_or_create(
            username="bench_reviewer_limited", defaults={"role": "reviewer", "organisation": organisation}
        )
        limited.caseloads.set([caseloads[0]])
        TOTPDevice.objects.get_or_create(user=limited, name="bench", defaults={"confirmed": True})
        if not skip_seed:
            out(f"Seeding {reports} reports into {connection.vendor} ({connection.settings_dict['NAME']})…")
            began = time.perf_counter()
            seed_reports(
                count=reports,
                organisation=organisation,
                users=list(people.values()),
                caseloads=caseloads,
                log=out if reports >= 20_000 else (lambda message: None),
            )
            # The seeding's inserts left a row of counts per batch and key (ReportCount): fold
            # them now, as the first queue page read would.
            report_counts_compact()
            if connection.vendor == "postgresql":
                # What autovacuum does after a bulk load, done now so the timings do not depend on
                # when it happens to run.
                with connection.cursor() as cursor:
                    cursor.execute("VACUUM ANALYZE")
            out(f"  seeded in {time.perf_counter() - began:.0f} s")
        total = Report.objects.count()
        out(f"Reports in the database: {total}; search tokens: {SearchToken.objects.count()}")

        def client_for(user) -> Client:
            client = Client()
            client.force_login(user)
            session = client.session
            session[DEVICE_ID_SESSION_KEY] = TOTPDevice.objects.filter(user=user).first().persistent_id
            session.save()
            return client

        with override_settings(ALLOWED_HOSTS=["testserver"], DEBUG=False):
            client = client_for(people["reviewer"])
            out(
                f"\nQueue page, as a reviewer seeing all {total} reports "
                f"({repeat} requests each, after warm-up):"
            )
            out(f"  (load average before: {_load()})")
            self._queue(client, people["reviewer"], repeat, out)
            self._queue_limited(client_for(limited), repeat, out)
            self._report_page(client, repeat, out)
            out(f"  (load average after: {_load()})")
            if not skip_bulk:
                self._bulk(people["coordinator"], out)

    def _time(self, client: Client, url: str, repeat: int) -> list[float]:
        for _ in range(3):
            response = client.get(url)
            if response.status_code != 200:
                raise CommandError(f"{url} answered {response.status_code}")
        samples = []
        for _ in range(repeat):
            began = time.perf_counter()
            client.get(url)
            samples.append(time.perf_counter() - began)
        return samples

    def _queue(self, client: Client, user, repeat: int, out) -> None:
        base = reverse("console:queue")
        deep = base
        for _ in range(20):  # follow "older" twenty pages down
            found = re.search(r'href="(\?[^"]*after=[^"]+)"', client.get(deep).content.decode())
            if not found:
                break
            deep = base + found.group(1).replace("&amp;", "&")
        cases = [
            ("first page", base),
            ("filtered: new, raid, Moscow", base + "?state=new&kind=raid&place=Moscow"),
            (
                "filtered: tag + language",
                base + "?tag=" + (Tag.objects.values_list("slug", flat=True).first() or "") + "&language=uz",
            ),
            ("filtered: unassigned, attachments", base + "?assignee=none&attachments=yes"),
            ("search: one word (stem)", base + "?q=задержали"),
            ("search: two words", base + "?q=москве+паспорт"),
            ("search: rare word + filter", base + "?q=адвоката&state=verified"),
            ("20 pages deep", deep),
            ("1000 pages deep", base + "?" + urlencode({"after": _cursor_after(user, pages=1000)})),
            ("HTMX results only (filter change)", base + "?kind=detention"),
        ]
        for label, url in cases:
            htmx = label.startswith("HTMX")
            extra = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "queue-results"} if htmx else {}
            client.defaults.update(extra)
            samples = self._time(client, url, repeat)
            counter = _QueryCounter()
            with connection.execute_wrapper(counter):
                client.get(url)
            for key in extra:
                client.defaults.pop(key)
            out(f"  {label:38s} {_figures(samples)}   {counter.count} queries")

    def _queue_limited(self, client: Client, repeat: int, out) -> None:
        out("\n  As a reviewer limited to one caseload:")
        base = reverse("console:queue")
        for label, url in [("first page", base), ("filtered: new", base + "?state=new")]:
            out(f"  {label:38s} {_figures(self._time(client, url, repeat))}")

    def _report_page(self, client: Client, repeat: int, out) -> None:
        pk = Report.objects.order_by("-received_on").values_list("pk", flat=True)[5]
        try:
            url = reverse("console:report", args=[pk])
        except NoReverseMatch:
            out("\nReport page: console:report does not exist yet; skipped.")
            return
        try:
            samples = self._time(client, url, repeat)
        except CommandError as error:
            out(f"\nReport page: {error}; skipped.")
            return
        out(f"\nReport page ({url.split('/')[2]}/…):\n  {'one report':38s} {_figures(samples)}")

    def _bulk(self, coordinator, out) -> None:
        from testimony.review.filters import QueueFilters
        from testimony.review.models import BulkJob
        from testimony.review.services import bulk
        from testimony.review.services.bulk import bulk_job_run, bulk_job_start

        filters = QueueFilters(kind="other")
        reviewer_id = type(coordinator).objects.get(username="bench_reviewer").pk
        # Started as the console starts it, then run here, in this process, as the worker would:
        # the benchmark needs no broker, so the enqueue after commit is left out.
        with mock.patch.object(bulk, "_enqueue"):
            job = bulk_job_start(
                user=coordinator, filters=filters, action="assign", params={"assignee_id": reviewer_id}
            )
        began = time.perf_counter()
        bulk_job_run(job_id=job.pk)
        elapsed = time.perf_counter() - began
        job = BulkJob.objects.get(pk=job.pk)
        out(
            f"\nBulk job (assign every report of kind 'other' to one reviewer): {job.total} reports, "
            f"{job.done} changed, {job.skipped} skipped, state {job.state}, {elapsed:.1f} s "
            f"({job.total / elapsed if elapsed else 0:.0f} reports/s)"
        )
