"""Aggregates counted by the database: each dimension, filters, multi-valued dimensions, scope.

The expected tables come from ``reference_table``: a plain Python count over the spec the reports
were made from, written independently of ``count_table``'s SQL. The PostgreSQL integration test
(tests/integration/test_evidence_aggregates_postgres.py) checks the same world the same way.
"""

from __future__ import annotations

import datetime as dt
import itertools
import uuid
from dataclasses import dataclass, field

import pytest
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext

from testimony.evidence import aggregates, disclosure
from testimony.evidence.aggregates import (
    DIMENSIONS,
    EvidenceFilters,
    count_table,
    dimension_label,
    evidence_reports,
    published_table,
)


@dataclass
class Spec:
    state: str
    kind: str
    region: str
    country: str
    nationality: str
    month: str
    perpetrators: list[str]
    tags: list[str] = field(default_factory=list)  # accepted tag slugs
    rejected_tags: list[str] = field(default_factory=list)
    caseload: str | None = "moscow"  # key in the world's caseloads; None = not routed; "partner"


OURS = [
    Spec("verified", "raid", "RU.48", "RU", "UZ", "2025-01", ["police"], ["raid_market"]),
    Spec("verified", "raid", "RU.48", "RU", "TJ", "2025-02", ["police", "fsb"], ["raid_market", "raid_home"]),
    Spec(
        "verified",
        "detention",
        "RU.47",
        "RU",
        "UZ",
        "2025-04",
        ["detention_staff"],
        [],
        ["raid_market"],
        "detention",
    ),
    Spec(
        "verified",
        "recruitment",
        "",
        "RU",
        "",
        "2025-04",
        ["military_recruiters", "police"],
        ["recruitment_in_detention"],
        caseload=None,
    ),
    Spec("verified", "raid", "UZ.13", "UZ", "UZ", "2024-12", ["unknown"], ["raid"]),
    Spec("verified", "other", "RU.48", "RU", "KG", "2025-07", [], []),
    Spec("new", "raid", "RU.48", "RU", "UZ", "2025-01", ["police"], ["raid_market"]),
    Spec("rejected", "detention", "RU.47", "RU", "KG", "2025-03", ["police"], [], caseload="detention"),
]
PARTNER = [
    Spec("verified", "raid", "RU.48", "RU", "UZ", "2025-01", ["police"], ["raid_market"], caseload="partner")
]


def stored_report(
    *,
    month: str,
    kind: str,
    country: str,
    region: str,
    nationality: str,
    perpetrators: list[str],
    state: str = "verified",
    caseload=None,
    tags=(),
    rejected_tags=(),
):
    """A processed report as the worker stores it, with every column the aggregates count and
    ``tags`` accepted, ``rejected_tags`` rejected (``Tag`` rows). Its sealed text is an empty
    object: nothing that counts reports opens it. Also used by the dashboard's unit and browser
    tests and the PostgreSQL integration test.
    """
    from testimony.crypto.atrest import seal
    from testimony.intake.models import Submission
    from testimony.review.models import Report, ReportTag

    pk = uuid.uuid4()
    received = dt.date(int(month[:4]), int(month[5:]), 15)
    Submission.objects.create(
        id=pk,
        receipt_lookup=pk.hex,
        report_ciphertext=b"age-encryption.org/v1 (test)",
        encrypted_by="browser",
        reply_recipient="age1test",
        reply_identity_salt=b"\0" * 16,
        reply_identity_wrapped=b"\0" * 48,
        received_on=received,
        status="processed",
    )
    report = Report.objects.create(
        submission_id=pk,
        language="ru",
        kind=kind,
        event_month=month,
        country=country,
        perpetrators=perpetrators,
        region=region,
        nationality=nationality,
        text_sealed=seal(b"{}", context=f"report.text:{pk}"),
        analysis_version="1",
        received_on=received,
        state=state,
        caseload=caseload,
    )
    for tag in tags:
        ReportTag.objects.create(report=report, tag=tag, status="accepted")
    for tag in rejected_tags:
        ReportTag.objects.create(report=report, tag=tag, status="rejected")
    return report


def build_world(organisation, caseloads: dict, partner_caseload) -> None:
    """Make a processed report for every spec of OURS and PARTNER, with its accepted/rejected tags."""
    from testimony.review.models import Tag

    tags = {tag.slug: tag for tag in Tag.objects.all()}
    for spec in OURS + PARTNER:
        stored_report(
            month=spec.month,
            kind=spec.kind,
            country=spec.country,
            region=spec.region,
            nationality=spec.nationality,
            perpetrators=spec.perpetrators,
            state=spec.state,
            caseload=partner_caseload if spec.caseload == "partner" else caseloads.get(spec.caseload),
            tags=[tags[slug] for slug in spec.tags],
            rejected_tags=[tags[slug] for slug in spec.rejected_tags],
        )


def _keys(spec: Spec, dimension: str) -> list[str]:
    month = spec.month
    return {
        "kind": [spec.kind],
        "tag": spec.tags,
        "region": [spec.region],
        "country": [spec.country],
        "month": [month],
        "quarter": [f"{month[:4]}-Q{(int(month[5:]) - 1) // 3 + 1}"],
        "year": [month[:4]],
        "perpetrator": spec.perpetrators,
        "nationality": [spec.nationality],
        "state": [spec.state],
    }[dimension]


def reference_table(specs, *, rows: str, columns: str | None = None, keep=lambda spec: True) -> dict:
    cells: dict[tuple[str, str], int] = {}
    for spec in specs:
        if not keep(spec):
            continue
        column_keys = _keys(spec, columns) if columns else [""]
        for key in itertools.product(_keys(spec, rows), column_keys):
            cells[key] = cells.get(key, 0) + 1
    return cells


def verified(spec: Spec) -> bool:
    return spec.state == "verified"


@pytest.fixture
def world(personas, organisation, caseloads):
    from testimony.accounts.models import Caseload

    partner = personas["partner_reviewer"].organisation
    build_world(organisation, caseloads, Caseload.objects.create(organisation=partner, name="Partner's"))
    return personas


def test_every_dimension_counts_verified_reports_by_default(world):
    reports = evidence_reports(world["analyst"])
    for dimension in DIMENSIONS:
        table = count_table(reports=reports, filters=EvidenceFilters(), rows=dimension)
        assert table.rows == dimension
        assert table.columns is None
        assert table.cells == reference_table(OURS, rows=dimension, keep=verified), dimension


def test_spot_checks_of_known_counts(world):
    reports = evidence_reports(world["analyst"])
    by_region = count_table(reports=reports, filters=EvidenceFilters(), rows="region").cells
    # Moscow: reports 1, 2 and 6 are verified (the new one is not; the partner's is not ours).
    assert by_region[("RU.48", "")] == 3
    assert by_region[("", "")] == 1  # no region: counted under "", not dropped
    by_perpetrator = count_table(reports=reports, filters=EvidenceFilters(), rows="perpetrator").cells
    assert by_perpetrator[("police", "")] == 3  # reports 1, 2 and 4, each once
    assert ("raid_market", "") in count_table(reports=reports, filters=EvidenceFilters(), rows="tag").cells


def test_two_dimensional_tables_for_every_pair(world):
    reports = evidence_reports(world["analyst"])
    for rows, columns in itertools.permutations(DIMENSIONS, 2):
        table = count_table(reports=reports, filters=EvidenceFilters(), rows=rows, columns=columns)
        assert table.columns == columns
        assert table.cells == reference_table(OURS, rows=rows, columns=columns, keep=verified), (
            rows,
            columns,
        )


def test_multi_valued_dimensions_count_a_report_under_each_value(world):
    reports = evidence_reports(world["analyst"])
    filters = EvidenceFilters()
    by_perpetrator = count_table(reports=reports, filters=filters, rows="perpetrator").cells
    by_tag = count_table(reports=reports, filters=filters, rows="tag").cells
    # Report 2 has two perpetrators and two tags: counted under each.
    assert by_perpetrator[("fsb", "")] == 1
    assert by_perpetrator[("police", "")] == 3
    assert by_tag[("raid_home", "")] == 1
    assert by_tag[("raid_market", "")] == 2
    # A rejected suggestion is not a tag of the report (report 3 rejected raid_market).
    assert by_tag[("raid_market", "")] == sum(1 for s in OURS if verified(s) and "raid_market" in s.tags)
    # A report with no perpetrator appears in no row of that table.
    assert sum(by_perpetrator.values()) == sum(len(s.perpetrators) for s in OURS if verified(s))
    tag_by_perpetrator = count_table(reports=reports, filters=filters, rows="tag", columns="perpetrator")
    assert tag_by_perpetrator.cells == reference_table(OURS, rows="tag", columns="perpetrator", keep=verified)


FILTER_CASES = [
    (EvidenceFilters(kind="raid"), lambda s: s.kind == "raid"),
    (EvidenceFilters(region="RU.48"), lambda s: s.region == "RU.48"),
    (EvidenceFilters(country="UZ"), lambda s: s.country == "UZ"),
    (EvidenceFilters(nationality="UZ"), lambda s: s.nationality == "UZ"),
    (EvidenceFilters(perpetrator="police"), lambda s: "police" in s.perpetrators),
    (EvidenceFilters(tag="raid_market"), lambda s: "raid_market" in s.tags),
    # A parent tag matches its sub-tags too.
    (EvidenceFilters(tag="raid"), lambda s: any(t.startswith("raid") for t in s.tags)),
    (EvidenceFilters(month_from="2025-02"), lambda s: s.month >= "2025-02"),
    (EvidenceFilters(month_to="2025-01"), lambda s: s.month <= "2025-01"),
    (EvidenceFilters(month_from="2025-01", month_to="2025-03"), lambda s: "2025-01" <= s.month <= "2025-03"),
    (
        EvidenceFilters(kind="raid", perpetrator="police"),
        lambda s: s.kind == "raid" and "police" in s.perpetrators,
    ),
    # Perpetrators are filtered by their bit of Report.perpetrator_mask: "police" is the first
    # bit, these are further ones (and one with a tag filter, which joins the tags).
    (EvidenceFilters(perpetrator="fsb"), lambda s: "fsb" in s.perpetrators),
    (EvidenceFilters(perpetrator="unknown"), lambda s: "unknown" in s.perpetrators),
    (
        EvidenceFilters(tag="raid", perpetrator="police"),
        lambda s: "police" in s.perpetrators and any(t.startswith("raid") for t in s.tags),
    ),
]


@pytest.mark.parametrize(("filters", "keep"), FILTER_CASES)
def test_filters(world, filters, keep):
    reports = evidence_reports(world["analyst"])
    for rows in ("kind", "region", "perpetrator", "tag", "month"):
        table = count_table(reports=reports, filters=filters, rows=rows)
        expected = reference_table(OURS, rows=rows, keep=lambda s: verified(s) and keep(s))
        assert table.cells == expected, (filters, rows)
    assert table.cells, "every filter case selects at least one report"


def test_stored_reports_carry_the_mask_of_their_perpetrators(world):
    # The perpetrator filter and table count Report.perpetrator_mask, not the lists: a helper that
    # set the lists without it (a queryset .update()) would make the counts here silently wrong.
    from testimony.review.models import Report
    from testimony.review.models.reports import perpetrator_mask

    stored = Report.objects.values_list("perpetrators", "perpetrator_mask")
    assert len(stored) == len(OURS) + len(PARTNER)
    for perpetrators, mask in stored:
        assert mask == perpetrator_mask(perpetrators), perpetrators


def test_perpetrator_filter_follows_a_corrected_list(world):
    # given a verified report without "fsb", corrected in the console to include it
    from testimony.review.models import Report
    from testimony.review.services.reports import report_fields_update

    reports = evidence_reports(world["analyst"])
    filters = EvidenceFilters(perpetrator="fsb")
    before = count_table(reports=reports, filters=filters, rows="kind").cells
    report = Report.objects.get(state="verified", event_month="2025-01", caseload__name="Moscow raids")
    report_fields_update(
        actor=world["reviewer"],
        report=report,
        kind=report.kind,
        event_month=report.event_month,
        perpetrators=["police", "fsb"],
    )
    # then the filter counts it, under its kind
    after = count_table(reports=reports, filters=filters, rows="kind").cells
    assert after == {**before, ("raid", ""): before.get(("raid", ""), 0) + 1}


def test_a_perpetrator_code_without_a_bit_counts_nothing(world):
    # Filters built by hand skip the cleaning that drops unknown codes: no report has such a bit.
    reports = evidence_reports(world["analyst"])
    for rows in ("kind", "tag"):
        table = count_table(reports=reports, filters=EvidenceFilters(perpetrator="aliens"), rows=rows)
        assert table.cells == {}, rows


def test_states_filter_replaces_the_verified_default(world):
    reports = evidence_reports(world["analyst"])
    filters = EvidenceFilters.from_query(QueryDict("state=new&state=rejected"))
    assert filters.states == ("new", "rejected")
    table = count_table(reports=reports, filters=filters, rows="state")
    assert table.cells == {("new", ""): 1, ("rejected", ""): 1}


def test_partner_organisation_user_sees_nothing_of_ours(world):
    from testimony.accounts.models import User

    partner_analyst = User.objects.create(
        username="partner_analyst", role="analyst", organisation=world["partner_reviewer"].organisation
    )
    reports = evidence_reports(partner_analyst)
    table = count_table(reports=reports, filters=EvidenceFilters(), rows="region")
    assert table.cells == reference_table(PARTNER, rows="region", keep=verified)
    perpetrators = count_table(reports=reports, filters=EvidenceFilters(), rows="perpetrator", columns="tag")
    assert perpetrators.cells == reference_table(PARTNER, rows="perpetrator", columns="tag", keep=verified)
    # And ours do not include the partner's report.
    ours = count_table(reports=evidence_reports(world["analyst"]), filters=EvidenceFilters(), rows="kind")
    assert sum(ours.cells.values()) == sum(1 for s in OURS if verified(s))


def test_roles_without_evidence_view_count_nothing(world):
    for role, rows in itertools.product(
        ("reviewer", "custodian", "partner_reviewer"), ("kind", "tag", "perpetrator")
    ):
        table = count_table(reports=evidence_reports(world[role]), filters=EvidenceFilters(), rows=rows)
        assert table.cells == {}, (role, rows)


def test_counting_is_one_query_whatever_the_number_of_reports(world):
    reports = evidence_reports(world["analyst"])
    for rows, columns in (("region", "month"), ("perpetrator", "month"), ("tag", None)):
        with CaptureQueriesContext(connection) as queries:
            count_table(reports=reports, filters=EvidenceFilters(), rows=rows, columns=columns)
        assert len(queries) == 1, (rows, columns)
        assert "GROUP BY" in queries[0]["sql"]


@pytest.mark.parametrize(
    "query",
    [
        "kind=fraud&region=Moscow&country=XX&nationality=mars&perpetrator=aliens",
        "month_from=2025-13&month_to=yesterday&state=deleted&tag=no-such-tag",
        "tag=%27%3B%20DROP%20TABLE&region=RU.48%27--&kind=raid%00",
        "state=&kind=&month_from=",
    ],
)
def test_invalid_filters_are_dropped(world, query):
    filters = EvidenceFilters.from_query(QueryDict(query))
    assert filters == EvidenceFilters()
    assert EvidenceFilters.from_json(filters.to_json()) == filters


def test_valid_filters_round_trip_through_json_and_query(world):
    filters = EvidenceFilters.from_query(
        QueryDict(
            "kind=raid&tag=raid&region=RU.48&country=RU&nationality=UZ&perpetrator=police"
            "&month_from=2025-04&month_to=2025-01&state=verified&state=new"
        )
    )
    # The months come back in order; the states sorted.
    assert filters == EvidenceFilters(
        kind="raid",
        tag="raid",
        region="RU.48",
        country="RU",
        nationality="UZ",
        perpetrator="police",
        month_from="2025-01",
        month_to="2025-04",
        states=("new", "verified"),
    )
    assert EvidenceFilters.from_json(filters.to_json()) == filters
    assert EvidenceFilters.from_query(_query(filters)) == filters
    assert EvidenceFilters.from_json({"states": "verified", "kind": 3, "tag": None}) == EvidenceFilters()
    assert EvidenceFilters.from_json(None) == EvidenceFilters()


def _query(filters: EvidenceFilters) -> QueryDict:
    query = QueryDict(mutable=True)
    for key, value in filters.to_query():
        query.appendlist(key, value)
    return query


def test_unknown_dimension_is_refused(world):
    reports = evidence_reports(world["analyst"])
    with pytest.raises(ValueError, match="unknown dimension"):
        count_table(reports=reports, filters=EvidenceFilters(), rows="place")
    with pytest.raises(ValueError, match="two different"):
        count_table(reports=reports, filters=EvidenceFilters(), rows="kind", columns="kind")


def test_published_table_passes_disclosure_control(world, settings):
    settings.EVIDENCE_K_PARTNER = 2
    reports = evidence_reports(world["analyst"])
    protected = published_table(
        reports=reports, filters=EvidenceFilters(), rows="region", destination="partner"
    )
    assert isinstance(protected, disclosure.ProtectedTable)
    assert protected.policy.k == 2
    raw = reference_table(OURS, rows="region", keep=verified)
    for key, value in protected.cells.items():
        assert value is None or (value >= 2 and value == raw[key])
    assert protected.cells[("RU.48", "")] == 3
    # Internal: nothing suppressed, the raw counts.
    internal = published_table(
        reports=reports, filters=EvidenceFilters(), rows="region", destination="internal"
    )
    assert internal.cells == raw


def test_published_table_counts_at_the_policy_units(world, monkeypatch):
    policy = disclosure.Policy(destination="public", k=2, place="country", time="year")
    monkeypatch.setattr(disclosure, "policy_for", lambda destination: policy)
    reports = evidence_reports(world["analyst"])
    # A region filter becomes its country, a month range whole years: the table says no more.
    filters = EvidenceFilters(region="RU.48", month_from="2025-02", month_to="2025-02")
    protected = published_table(
        reports=reports, filters=filters, rows="region", columns="month", destination="public"
    )
    assert (protected.rows, protected.columns) == ("country", "year")
    expected = reference_table(
        OURS,
        rows="country",
        columns="year",
        keep=lambda s: verified(s) and s.country == "RU" and s.month[:4] == "2025",
    )
    assert {key: value for key, value in protected.cells.items() if value is not None} == {
        key: value for key, value in expected.items() if value >= 2
    }
    # Region and country are one dimension at this policy's units: no table of one against the other.
    with pytest.raises(ValueError, match="same dimension"):
        published_table(
            reports=reports, filters=filters, rows="region", columns="country", destination="public"
        )


def test_coarsen_filters():
    policy = disclosure.Policy(destination="public", k=10, place="country", time="quarter")
    coarse = aggregates.coarsen_filters(
        EvidenceFilters(region="KZ.ALA", month_from="2025-02", month_to="2025-05"), policy
    )
    assert (coarse.region, coarse.country, coarse.month_from, coarse.month_to) == (
        "",
        "KZ",
        "2025-01",
        "2025-06",
    )
    keep = disclosure.Policy(destination="public", k=10)
    assert aggregates.coarsen_filters(EvidenceFilters(region="RU.48"), keep).region == "RU.48"


def test_labels(world):
    assert dimension_label("region", "RU.48", "en").startswith("Moscow")
    assert dimension_label("region", "RU.48", "ru") != dimension_label("region", "RU.48", "en")
    assert dimension_label("region", "", "en") == "Unknown"
    assert dimension_label("nationality", "", "en") == "Unknown"
    assert dimension_label("kind", "raid", "en") == "A police raid or document check"
    assert dimension_label("perpetrator", "fsb", "en") == "FSB"
    assert dimension_label("nationality", "UZ", "en") == "Uzbekistan"
    assert dimension_label("country", "RU", "ru") == "Россия"
    assert dimension_label("state", "verified", "en") == "Verified"
    assert dimension_label("month", "2025-03", "en") == "March 2025"
    assert dimension_label("quarter", "2025-Q1", "en") == "Q1 2025"
    assert dimension_label("year", "2025", "en") == "2025"
    from testimony.review.models import Tag

    tag = Tag.objects.get(slug="raid_market")
    assert dimension_label("tag", "raid_market", "en") == tag.label("en")
    assert dimension_label("tag", "raid_market", "ru") == tag.label("ru")
    labels = aggregates.dimension_labels("kind", ["raid", "no_such_kind"], "en")
    assert labels["no_such_kind"] == "no_such_kind"


def test_month_range_lists_every_month_so_a_trend_shows_empty_ones():
    assert aggregates.month_range("2024-11", "2025-02") == ["2024-11", "2024-12", "2025-01", "2025-02"]
    assert aggregates.month_range("2025-03", "2025-03") == ["2025-03"]
    assert aggregates.month_range("2025-02", "2024-11") == []
    assert aggregates.month_range("2025-13", "2026-01") == []


def test_bench_seeder_makes_reports_in_the_organisations_scope(personas, organisation):
    from testimony.evidence.bench_data import seed_reports
    from testimony.review.models import Report, ReportTag

    seed_reports(300, organisation=organisation, seed=3, batch=120)
    assert Report.objects.count() == 300
    assert ReportTag.objects.filter(status="accepted").exists()
    reports = evidence_reports(personas["analyst"])
    assert reports.count() == 300
    table = count_table(reports=reports, filters=EvidenceFilters(), rows="state")
    assert 150 < table.cells[("verified", "")] < 270
    by_region = count_table(reports=reports, filters=EvidenceFilters(), rows="region").cells
    assert max(by_region, key=by_region.get) == ("RU.48", "")
    # Each report's text is sealed under its own context and opens as the console opens it.
    from testimony.review.sealed import report_text_open

    report = Report.objects.order_by("?").first()
    assert report_text_open(report)["when"] == report.event_month
    assert isinstance(report.perpetrators, list)
    assert report.perpetrators


def test_count_tables_gives_each_table_as_count_table_does(world):
    reports = evidence_reports(world["analyst"])
    filters = EvidenceFilters(kind="raid")
    tables = aggregates.count_tables(reports=reports, filters=filters, dimensions=DIMENSIONS)
    assert list(tables) == list(DIMENSIONS)
    for dimension in DIMENSIONS:
        expected = reference_table(OURS, rows=dimension, keep=lambda s: verified(s) and s.kind == "raid")
        assert tables[dimension].cells == expected, dimension
        assert tables[dimension].rows == dimension


def test_published_tables_match_published_table(world, settings):
    settings.EVIDENCE_K_PARTNER = 2
    reports = evidence_reports(world["analyst"])
    dimensions = ("kind", "tag", "region", "month", "perpetrator", "nationality")
    together = aggregates.published_tables(
        reports=reports, filters=EvidenceFilters(), dimensions=dimensions, destination="partner"
    )
    for dimension in dimensions:
        alone = published_table(
            reports=reports, filters=EvidenceFilters(), rows=dimension, destination="partner"
        )
        assert together[dimension] == alone, dimension


def test_bench_times_only_the_tables_asked_for(world):
    from io import StringIO

    from django.core.management import CommandError, call_command

    out = StringIO()
    call_command("bench_evidence_aggregates", repeat=1, only="tag=", stdout=out)
    timed = [line.split("p50")[0].strip() for line in out.getvalue().splitlines() if "p50" in line]
    assert timed == ["region, tag=raid (and sub-tags)"]
    out = StringIO()
    call_command("bench_evidence_aggregates", repeat=1, only="protect", stdout=out)
    timed = [line.split("p50")[0].strip() for line in out.getvalue().splitlines() if "p50" in line]
    assert timed == ["protect only: 200 x 120, public k"]
    with pytest.raises(CommandError):
        call_command("bench_evidence_aggregates", repeat=1, only="no such table", stdout=StringIO())
