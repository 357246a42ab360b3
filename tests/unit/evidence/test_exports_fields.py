"""The field rules (evidence.fields) and the data dictionary generated from them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from testimony.evidence import fields as fx

DOC = Path(__file__).resolve().parents[3] / "docs" / "data-dictionary.md"
HXL = re.compile(r"#[a-z][a-z0-9_]*(\+[a-z][a-z0-9_]*)*")
# What must never reach a partner: the day, place names, precise links, people's words.
INTERNAL_ONLY = {
    "report_id",
    "received_on",
    "language",
    "places",
    "has_attachments",
    "case_ids",
    "redacted_text",
    "redacted_place_details",
    "title",
    "date_from",
    "date_to",
    "place_name",
    "units",
    "summary",
}


def test_the_data_dictionary_is_the_table():
    documented = fx.dictionary_section(DOC.read_text(encoding="utf-8"))
    assert documented == fx.data_dictionary_markdown(), (
        "docs/data-dictionary.md differs from evidence.fields.FIELDS: regenerate it "
        "(see the command at the top of the page)"
    )


def test_public_gets_aggregates_only():
    assert fx.levels_for(fx.PUBLIC) == (fx.AGGREGATE,)
    for level in (fx.REPORTS, fx.CASES):
        with pytest.raises(ValueError, match="public"):
            fx.fields_for(level=level, destination=fx.PUBLIC)
    assert not [f for f in fx.FIELDS if fx.PUBLIC in f.destinations and f.level != fx.AGGREGATE]


@pytest.mark.parametrize("level", [fx.REPORTS, fx.CASES])
def test_partner_fields_hold_no_free_text_and_nothing_internal(level):
    names = set(fx.field_names(level=level, destination=fx.PARTNER, include_text=True))
    assert not names & INTERNAL_ONLY
    assert not [f for f in fx.fields_for(level=level, destination=fx.PARTNER, include_text=True) if f.text]


def test_text_fields_are_internal_opt_in_and_need_a_permission():
    text_fields = [f for f in fx.FIELDS if f.text]
    assert {f.name for f in text_fields} == {"redacted_text", "redacted_place_details", "summary"}
    for f in text_fields:
        assert f.destinations == {fx.INTERNAL}
        assert f.permission in ("report.view", "case.view")
    without = fx.field_names(level=fx.REPORTS, destination=fx.INTERNAL)
    assert "redacted_text" not in without
    assert "redacted_text" in fx.field_names(level=fx.REPORTS, destination=fx.INTERNAL, include_text=True)


def test_internal_reports_have_the_day_and_partner_only_the_month():
    internal = fx.field_names(level=fx.REPORTS, destination=fx.INTERNAL)
    partner = fx.field_names(level=fx.REPORTS, destination=fx.PARTNER)
    assert {"received_on", "received_month"} <= set(internal)
    assert "received_month" in partner
    assert "report_ref" in partner
    assert "report_ref" not in internal


@pytest.mark.parametrize(
    ("level", "destination"), [(level, d) for d in fx.DESTINATIONS for level in fx.levels_for(d)]
)
def test_names_are_unique_in_each_output(level, destination):
    names = fx.field_names(level=level, destination=destination, include_text=True)
    assert len(names) == len(set(names))


def test_hxl_hashtags_are_well_formed():
    for f in fx.FIELDS:
        if f.hxl.startswith("#"):
            assert HXL.fullmatch(f.hxl), f.name
    for tag in fx.DIMENSION_HXL.values():
        assert HXL.fullmatch(tag)
    aggregate = fx.fields_for(level=fx.AGGREGATE, destination=fx.PUBLIC)
    row = fx.hxl_row(aggregate, dimension="region", column_dimension="month")
    assert row[[f.name for f in aggregate].index("key")] == "#adm1+code"
    assert row[[f.name for f in aggregate].index("column_key")] == "#date+month+column"
    assert all(HXL.fullmatch(tag) for tag in row)


def test_columns_named_by_fields_exist_on_the_models():
    from testimony.review.models import Case, Report

    models = {fx.REPORTS: Report, fx.CASES: Case}
    for f in fx.FIELDS:
        for column in f.columns:
            if column != "pk":
                models[f.level]._meta.get_field(column)  # raises if the column does not exist


def test_taxonomy_tags_and_huridocs_codes_are_in_both_row_levels():
    for level in (fx.REPORTS, fx.CASES):
        for destination in (fx.INTERNAL, fx.PARTNER):
            names = fx.field_names(level=level, destination=destination)
            assert {"tags", "huridocs_codes", "taxonomy_version"} <= set(names)
