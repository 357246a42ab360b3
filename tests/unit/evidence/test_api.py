"""The partner API: tokens and scopes, throttling per token, cursor pagination, scope and fields of
cases, disclosure control of aggregates, and what is (not) recorded about a caller."""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from urllib.parse import urlsplit

import pytest
from django.core.cache import cache
from django.utils import timezone

from testimony.audit.models import AuditEntry
from testimony.evidence import fields
from testimony.evidence.models import PartnerToken
from testimony.evidence.services import partners as services
from testimony.review.models import Case, CaseReport, ReportTag, Tag

pytestmark = pytest.mark.django_db

BASE = "/api/partner/v1/"
ALL_SCOPES = ["aggregates:read", "cases:read"]


@pytest.fixture(autouse=True)
def _fresh_throttle_counts():
    # Token ids can repeat between tests (each test's rows are rolled back); counts must not.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def issue(personas):
    """``issue(scopes, **changes)`` → a token's plaintext, issued by the intake organisation's coordinator."""

    def make(scopes=ALL_SCOPES, *, user=None, **changes) -> str:
        token, plaintext = services.partner_token_create(
            user=user or personas["coordinator"],
            partner="Memorial",
            scopes=list(scopes),
            expires_at=timezone.now() + dt.timedelta(days=30),
        )
        if changes:
            PartnerToken.objects.filter(pk=token.pk).update(**changes)
        return plaintext

    return make


def get(client, path: str, token: str | None = None, **params):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token is not None else {}
    return client.get(path if path.startswith("http") else BASE + path, params, **headers)


def refused(response, status: int, code: str) -> None:
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"error"}
    assert body["error"]["code"] == code
    assert body["error"]["message"]
    assert "field" in body["error"]


# --- Tokens and scopes --------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["cases/", "cases/1/", "aggregates/?rows=kind"])
def test_no_token_is_401_with_a_bearer_challenge(client, path):
    response = get(client, path)
    refused(response, 401, "token_missing")
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_an_unknown_token_is_refused(client, issue):
    issue()
    refused(get(client, "cases/", services.TOKEN_PREFIX + "x" * 43), 401, "token_unknown")
    refused(get(client, "cases/", "not-even-shaped-like-one"), 401, "token_unknown")


@pytest.mark.parametrize("header", ["Basic dXNlcjpwYXNz", "Bearer", "Bearer a b", "Token abc"])
def test_a_malformed_header_is_refused(client, header):
    refused(client.get(BASE + "cases/", HTTP_AUTHORIZATION=header), 401, "token_malformed")


def test_an_expired_token_is_refused(client, issue):
    token = issue(expires_at=timezone.now() - dt.timedelta(seconds=1))
    refused(get(client, "cases/", token), 401, "token_expired")
    refused(get(client, "aggregates/", token, rows="kind"), 401, "token_expired")


def test_a_revoked_token_is_refused(client, issue, personas):
    token = issue()
    assert get(client, "cases/", token).status_code == 200
    services.partner_token_revoke(user=personas["coordinator"], token_id=PartnerToken.objects.get().pk)
    refused(get(client, "cases/", token), 401, "token_revoked")


def test_a_token_reads_only_within_its_scopes(client, issue, organisation):
    case = Case.objects.create(organisation=organisation, title="A case")
    cases_only, aggregates_only = issue(["cases:read"]), issue(["aggregates:read"])

    assert get(client, "cases/", cases_only).status_code == 200
    assert get(client, f"cases/{case.pk}/", cases_only).status_code == 200
    refused(get(client, "aggregates/", cases_only, rows="kind"), 403, "scope_missing")

    assert get(client, "aggregates/", aggregates_only, rows="kind").status_code == 200
    refused(get(client, "cases/", aggregates_only), 403, "scope_missing")
    refused(get(client, f"cases/{case.pk}/", aggregates_only), 403, "scope_missing")


def test_use_is_noted_as_a_day(client, issue):
    token = issue()
    assert PartnerToken.objects.get().last_used_on is None
    get(client, "cases/", token)
    assert PartnerToken.objects.get().last_used_on == timezone.localdate()


def test_the_api_has_no_write_method(client, issue):
    token = issue()
    for method in ("post", "put", "patch", "delete"):
        response = getattr(client, method)(BASE + "cases/", HTTP_AUTHORIZATION=f"Bearer {token}")
        assert response.status_code == 405, method


# --- Throttling ---------------------------------------------------------------------------------


@pytest.fixture
def rate(settings):
    """``rate("3/minute")``: that limit, counted in a cache no other test has used."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": f"throttle-{uuid.uuid4().hex}",
        }
    }

    def set_rate(value: str) -> None:
        settings.EVIDENCE_API_RATE = value

    return set_rate


def test_requests_are_limited_per_token(client, issue, rate):
    rate("3/minute")
    first, second = issue(), issue()

    statuses = [get(client, "cases/", first).status_code for _ in range(4)]

    assert statuses == [200, 200, 200, 429]
    response = get(client, "aggregates/", first, rows="kind")  # one count per token, every endpoint
    refused(response, 429, "throttled")
    assert int(response["Retry-After"]) > 0
    # Another token, from the same client (same address, same everything), is not held back.
    assert get(client, "cases/", second).status_code == 200


def test_the_limit_is_kept_in_the_shared_cache(client, issue, rate):
    rate("2/minute")
    token = issue()
    get(client, "cases/", token)
    token_id = PartnerToken.objects.get().pk
    assert len(cache.get(f"partner-api:throttle:{token_id}")) == 1
    cache.clear()  # the count lives in the cache (Redis in production, shared by every process)
    assert [get(client, "cases/", token).status_code for _ in range(3)] == [200, 200, 429]


def test_refused_tokens_do_not_use_up_a_valid_tokens_requests(client, issue, rate):
    rate("1/minute")
    token = issue()
    for _ in range(5):
        get(client, "cases/", services.TOKEN_PREFIX + "y" * 43)
    assert get(client, "cases/", token).status_code == 200


# --- Cases --------------------------------------------------------------------------------------


def _case(organisation, *, reports=(), **values) -> Case:
    case = Case.objects.create(organisation=organisation, title=values.pop("title", "Raid"), **values)
    for report in reports:
        CaseReport.objects.create(case=case, report=report)
    return case


def _walk(client, token, **params) -> list[dict]:
    pages, response = [], get(client, "cases/", token, **params)
    while True:
        assert response.status_code == 200, response.content
        body = response.json()
        pages.append(body["results"])
        if not body["next"]:
            return pages
        next_url = urlsplit(body["next"])
        response = client.get(f"{next_url.path}?{next_url.query}", HTTP_AUTHORIZATION=f"Bearer {token}")


def test_cursor_pagination_walks_every_case_exactly_once(client, issue, organisation):
    ids = [_case(organisation, title=f"Case {n}").pk for n in range(23)]
    token = issue(["cases:read"])

    pages = _walk(client, token, page_size=5)

    seen = [row["case_id"] for page in pages for row in page]
    assert len(pages) == 5
    assert [len(page) for page in pages] == [5, 5, 5, 5, 3]
    assert seen == sorted(ids, reverse=True)  # newest first, each once


def test_cases_added_while_walking_do_not_shift_the_pages(client, issue, organisation):
    ids = [_case(organisation).pk for _ in range(6)]
    token = issue(["cases:read"])
    first = get(client, "cases/", token, page_size=3).json()
    _case(organisation)  # newer than every case seen: it belongs before the first page
    next_url = urlsplit(first["next"])
    second = client.get(f"{next_url.path}?{next_url.query}", HTTP_AUTHORIZATION=f"Bearer {token}").json()
    seen = [row["case_id"] for row in first["results"] + second["results"]]
    assert seen == sorted(ids, reverse=True)


@pytest.mark.parametrize("params", [{"page_size": "0"}, {"page_size": "201"}, {"page_size": "x"}])
def test_a_bad_page_size_is_refused(client, issue, params):
    refused(get(client, "cases/", issue(), **params), 400, "invalid")


@pytest.mark.parametrize("cursor", ["garbage", "cD1hYmM=", "bz0xJnA9eA=="])  # "p=abc", "o=1&p=x"
def test_a_bad_cursor_is_not_found(client, issue, organisation, cursor):
    _case(organisation)
    refused(get(client, "cases/", issue(), cursor=cursor), 404, "not_found")


def test_a_partner_sees_only_its_issuing_organisations_cases(client, issue, organisation, personas):
    ours = _case(organisation, title="Ours")
    theirs = _case(personas["partner_reviewer"].organisation, title="Theirs")
    token = issue(["cases:read"])

    listed = [row["case_id"] for page in _walk(client, token) for row in page]

    assert listed == [ours.pk]
    assert get(client, f"cases/{ours.pk}/", token).status_code == 200
    refused(get(client, f"cases/{theirs.pk}/", token), 404, "not_found")
    refused(get(client, "cases/999999/", token), 404, "not_found")


def test_a_case_carries_only_the_partner_fields(client, issue, organisation, report_factory):
    tag = Tag.objects.create(slug="beating", labels={"en": "Beating"}, huridocs_code="03.01")
    report = report_factory(state="verified")
    case = _case(
        organisation,
        reports=[report],
        title="Beating of Farhod Karimov at the Sadovod market",
        date_from=dt.date(2025, 3, 14),
        date_to=dt.date(2025, 3, 15),
        place={
            "name": "Lyublino",
            "country": "RU",
            "admin1": "Moscow",
            "lat": 55.68,
            "lon": 37.76,
            "precision": "city",
        },
        units="ОМОН, УВМ ГУ МВД",
        perpetrator_types=["police"],
        people_affected=12,
    )
    case.kinds.add(tag)
    token = issue(["cases:read"])

    row = get(client, f"cases/{case.pk}/", token).json()
    listed = get(client, "cases/", token).json()["results"][0]

    allowed = fields.field_names(level=fields.CASES, destination=fields.PARTNER)
    assert list(row) == allowed
    assert listed == row
    assert row["case_id"] == case.pk
    assert row["month_from"] == "2025-03"
    assert row["month_to"] == "2025-03"
    assert row["country"] == "RU"
    assert row["tags"] == ["beating"]
    assert row["huridocs_codes"] == ["03.01"]
    assert row["report_count"] == 1
    assert row["people_affected"] == 12
    text = str(row)
    for secret in ("Farhod", "Sadovod", "ОМОН", "Lyublino", "2025-03-14", "55.68", "37.76"):
        assert secret not in text


def test_case_filters(client, issue, organisation, report_factory):
    raid = report_factory(kind="raid", state="verified")
    detention = report_factory(kind="detention", state="verified")
    type(raid).objects.filter(pk=raid.pk).update(region="RU.48")
    type(detention).objects.filter(pk=detention.pk).update(region="RU.47", country="RU")
    conditions = Tag.objects.create(slug="conditions", labels={"en": "Conditions"})
    tag = Tag.objects.create(slug="hunger", labels={"en": "Hunger"}, parent=conditions)
    ReportTag.objects.create(report=detention, tag=tag, status=ReportTag.Status.ACCEPTED)
    march = _case(organisation, reports=[raid], date_from=dt.date(2025, 3, 1), date_to=dt.date(2025, 3, 31))
    summer = _case(
        organisation, reports=[detention], date_from=dt.date(2025, 6, 2), date_to=dt.date(2025, 8, 1)
    )
    undated = _case(organisation, place={"country": "KG", "admin1": "", "precision": "country"})
    token = issue(["cases:read"])

    def ids(**params):
        response = get(client, "cases/", token, **params)
        assert response.status_code == 200, response.content
        return {row["case_id"] for row in response.json()["results"]}

    assert ids() == {march.pk, summer.pk, undated.pk}
    assert ids(month_from="2025-04") == {summer.pk}
    assert ids(month_to="2025-03") == {march.pk}
    assert ids(month_from="2025-03", month_to="2025-06") == {march.pk, summer.pk}
    assert ids(month_from="2025-07", month_to="2025-07") == {summer.pk}  # inside the period
    assert ids(kind="detention") == {summer.pk}
    assert ids(region="RU.48") == {march.pk}
    assert ids(tag="hunger") == {summer.pk}
    assert ids(tag="conditions") == {summer.pk}  # a sub-tag counts, as in the aggregates
    assert ids(country="KG") == {undated.pk}
    assert ids(kind="detention", region="RU.48") == set()


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"month_from": "2025-13"}, "month_from"),
        ({"month_from": "0000-05"}, "month_from"),
        ({"region": ""}, "region"),
        ({"regoin": "RU.48"}, "regoin"),
        ({"kind": "picnic"}, "kind"),
        ({"region": "Moscow"}, "region"),
        ({"country": "FR"}, "country"),
        ({"tag": "not a slug"}, "tag"),
    ],
)
def test_a_bad_case_filter_is_refused_by_name(client, issue, params, field):
    response = get(client, "cases/", issue(), **params)
    refused(response, 400, "invalid")
    assert response.json()["error"]["field"] == field


# --- Aggregates ---------------------------------------------------------------------------------

# Verified reports of the issuing organisation by region: 7, 5, 2 and 1; plus reports a partner
# must never see counted (not verified, or another organisation's).
REGIONS = {"RU.48": 7, "RU.47": 5, "RU.66": 2, "RU.73": 1}


@pytest.fixture
def counted_world(report_factory, caseloads, personas):
    from testimony.accounts.models import Caseload
    from testimony.review.models import Report

    made = []
    kinds = ["raid", "detention", "recruitment"]
    n = 0
    for region, count in REGIONS.items():
        for _ in range(count):
            report = report_factory(state="verified", kind=kinds[n % 3], caseload=caseloads["moscow"])
            made.append((report.pk, region))
            n += 1
    for state in ("new", "rejected"):
        for _ in range(6):
            report = report_factory(state=state, caseload=caseloads["moscow"])
            made.append((report.pk, "RU.48"))
    partner_caseload = Caseload.objects.create(
        organisation=personas["partner_reviewer"].organisation, name="X"
    )
    for _ in range(6):
        report = report_factory(state="verified", caseload=partner_caseload)
        made.append((report.pk, "RU.48"))
    for pk, region in made:
        Report.objects.filter(pk=pk).update(region=region, country="RU")


def _published_counts(body) -> list[int]:
    counts = [cell["count"] for cell in body["cells"]]
    counts += [total["count"] for total in body["row_totals"] + body["column_totals"]]
    counts.append(body["total"])
    return [count for count in counts if count is not None]


def test_aggregates_count_only_the_organisations_verified_reports(client, issue, counted_world, settings):
    settings.EVIDENCE_K_PARTNER = 2
    body = get(client, "aggregates/", issue(["aggregates:read"]), rows="region").json()
    counts = {cell["row"]: cell["count"] for cell in body["cells"]}
    # 15 verified reports of ours (not the 12 unverified, not the partner's 6). RU.73 (1) is under
    # k; RU.66 (2) is hidden too, or RU.73 would be the total minus the published cells.
    assert counts == {"RU.48": 7, "RU.47": 5, "RU.66": None, "RU.73": None}
    assert body["total"] == 15
    assert sorted(body["suppressed_cells"]) == [["RU.66", None], ["RU.73", None]]
    assert body["disclosure"]["primary_suppressed"] == 1
    assert body["disclosure"]["secondary_suppressed"] >= 1
    assert body["filters"]["states"] == ["verified"]


@pytest.mark.parametrize("k", [2, 3, 5, 6])
@pytest.mark.parametrize(
    "query", [{"rows": "region"}, {"rows": "region", "columns": "kind"}, {"rows": "kind"}]
)
def test_aggregates_never_publish_a_count_below_k(client, issue, counted_world, settings, k, query):
    settings.EVIDENCE_K_PARTNER = k
    response = get(client, "aggregates/", issue(["aggregates:read"]), **query)
    assert response.status_code == 200, response.content
    body = response.json()

    assert all(count >= k for count in _published_counts(body)), body
    assert body["disclosure"]["k"] == k
    assert body["disclosure"]["destination"] == "partner"
    assert body["disclosure"]["place"] == "region"
    assert body["disclosure"]["time"] == "month"
    suppressed = [[cell["row"], cell["column"]] for cell in body["cells"] if cell["count"] is None]
    assert body["suppressed_cells"] == suppressed
    assert all(cell["suppressed"] == (cell["count"] is None) for cell in body["cells"])
    assert body["disclosure"]["primary_suppressed"] + body["disclosure"]["secondary_suppressed"] >= len(
        suppressed
    )


def test_aggregates_with_a_small_cell_suppress_it_and_say_so(client, issue, counted_world, settings):
    settings.EVIDENCE_K_PARTNER = 5
    body = get(client, "aggregates/", issue(["aggregates:read"]), rows="region").json()
    hidden = {row for row, _column in body["suppressed_cells"]}
    assert {"RU.66", "RU.73"} <= hidden  # 2 and 1 are under 5
    assert body["disclosure"]["primary_suppressed"] >= 2
    assert body["total"] is None or body["total"] >= 5


def test_aggregates_are_filtered_like_the_dashboard(client, issue, counted_world, settings):
    settings.EVIDENCE_K_PARTNER = 2
    body = get(client, "aggregates/", issue(["aggregates:read"]), rows="kind", region="RU.48").json()
    assert sum(cell["count"] or 0 for cell in body["cells"]) <= 7
    assert body["filters"]["region"] == "RU.48"
    assert body["cells"][0]["row_label"]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({}, "rows"),
        ({"rows": "city"}, "rows"),
        ({"rows": "state"}, "rows"),  # partners count verified reports only
        ({"rows": "kind", "month_to": "2025-1"}, "month_to"),
        ({"rows": "kind", "tag": ""}, "tag"),
        ({"rows": "kind", "month_from": "0000-01"}, "month_from"),
        ({"rows": "kind", "cursor": "x"}, "cursor"),
        ({"rows": "kind", "perpetrator": "aliens"}, "perpetrator"),
    ],
)
def test_a_bad_aggregate_query_is_refused_by_name(client, issue, params, field):
    response = get(client, "aggregates/", issue(["aggregates:read"]), **params)
    refused(response, 400, "invalid")
    assert response.json()["error"]["field"] == field


# --- What is recorded -----------------------------------------------------------------------------


def test_every_read_is_audited_as_the_token(client, issue, organisation, counted_world):
    case = _case(organisation)
    token = issue()
    token_id = PartnerToken.objects.get().pk
    get(client, "cases/", token)
    get(client, f"cases/{case.pk}/", token)
    get(client, "aggregates/", token, rows="region")

    entries = list(AuditEntry.objects.filter(action__startswith="partner_api.").order_by("seq"))
    assert [entry.action for entry in entries] == [
        "partner_api.cases",
        "partner_api.case",
        "partner_api.aggregates",
    ]
    for entry in entries:
        assert entry.actor == f"partner-token:{token_id}"
        assert entry.actor_id is None
        assert entry.details["token"] == token_id
    assert entries[0].details["cases"] == [case.pk]
    assert entries[1].object_id == str(case.pk)
    assert entries[2].details["disclosure"]["destination"] == "partner"


def test_refused_reads_are_not_audited_as_reads(client, issue):
    token = issue(["aggregates:read"])
    get(client, "cases/", token)
    get(client, "cases/")
    assert not AuditEntry.objects.filter(action__startswith="partner_api.").exists()


def test_no_address_or_user_agent_is_kept_or_logged(client, issue, organisation, caplog):
    case = _case(organisation)
    token = issue()
    marker_ip, marker_agent = "203.0.113.77", "PartnerHarvester/9.9 marker"
    caplog.set_level(logging.DEBUG)
    extra = {
        "REMOTE_ADDR": marker_ip,
        "HTTP_X_FORWARDED_FOR": marker_ip,
        "HTTP_USER_AGENT": marker_agent,
        "HTTP_AUTHORIZATION": f"Bearer {token}",
    }
    client.get(BASE + "cases/", **extra)
    client.get(BASE + f"cases/{case.pk}/", **extra)
    client.get(BASE + "aggregates/?rows=kind", **extra)
    client.get(BASE + "cases/", **{**extra, "HTTP_AUTHORIZATION": "Bearer tpk_unknown"})

    stored = [str(entry.details) + entry.actor + entry.object_id for entry in AuditEntry.objects.all()]
    stored += [str(row) for row in PartnerToken.objects.values()]
    for text in stored + [record.getMessage() for record in caplog.records]:
        assert marker_ip not in text
        assert "PartnerHarvester" not in text
        assert token not in text


def test_an_unknown_tag_counts_nothing_rather_than_everything(client, issue, counted_world, settings):
    settings.EVIDENCE_K_PARTNER = 2
    token = issue(["aggregates:read"])
    # Every way of counting: a column, the tags joined in SQL, perpetrators by mask.
    for table in ({"rows": "region"}, {"rows": "tag", "columns": "perpetrator"}):
        response = get(client, "aggregates/", token, tag="no_such_tag", **table)
        assert response.status_code == 200
        body = response.json()
        assert body["cells"] == [], table
        assert body["filters"]["tag"] == "no_such_tag"


def test_a_reversed_month_range_is_read_the_other_way_round(client, issue, organisation):
    case = _case(organisation, date_from=dt.date(2025, 3, 1))
    token = issue()
    cases = get(client, "cases/", token, month_from="2025-06", month_to="2025-01").json()["results"]
    assert [row["case_id"] for row in cases] == [case.pk]
    body = get(client, "aggregates/", token, rows="kind", month_from="2025-06", month_to="2025-01").json()
    assert (body["filters"]["month_from"], body["filters"]["month_to"]) == ("2025-01", "2025-06")


def test_the_same_dimension_twice_is_a_one_way_table(client, issue, counted_world):
    body = get(client, "aggregates/", issue(["aggregates:read"]), rows="kind", columns="kind").json()
    assert body["columns"] is None
    assert all(cell["column"] is None for cell in body["cells"])


def test_two_dimensions_that_coarsen_to_one_are_refused_by_name(client, issue, counted_world, monkeypatch):
    from testimony.evidence import disclosure

    # given partners who get quarters only: month and quarter both become quarters
    monkeypatch.setattr(
        disclosure, "policy_for", lambda destination: disclosure.Policy(destination, k=2, time="quarter")
    )
    response = get(client, "aggregates/", issue(["aggregates:read"]), rows="month", columns="quarter")
    refused(response, 400, "invalid")
    assert response.json()["error"]["field"] == "columns"
    # named in the message, whatever language it is in (the partner's Accept-Language)
    message = response.json()["error"]["message"]
    assert "month" in message
    assert "quarter" in message


@pytest.mark.parametrize("case_id", ["abc", "null", "-1", "1" * 30])
def test_a_malformed_case_id_is_the_apis_own_not_found(client, issue, case_id):
    response = get(client, f"cases/{case_id}/", issue(["cases:read"]))
    refused(response, 404, "not_found")
    assert response["Content-Type"] == "application/json"
