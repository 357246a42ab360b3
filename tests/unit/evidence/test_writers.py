"""The streaming writers: each format opens in its standard reader and gives back the rows."""

from __future__ import annotations

import csv
import io
import json
import tracemalloc

import geojson
import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from testimony.evidence import writers

COLUMNS = ["report_id", "kind", "region", "tags", "count", "lat", "lon", "verified", "text"]
ROWS = [
    {
        "report_id": "a1",
        "kind": "raid",
        "region": "RU.48",
        "tags": ["raid", "document-check"],
        "count": 3,
        "lat": 55.75,
        "lon": 37.62,
        "verified": True,
        "text": 'Утром [PERSON 1] видел, как ОМОН задержал людей; «кавычки», запятые, "quotes"\nи строки.',
    },
    {
        "report_id": "b2",
        "kind": "detention",
        "region": "",
        "tags": [],
        "count": None,
        "lat": None,
        "lon": None,
        "verified": False,
        "text": "Oʻzbek tilida: Toshkent — ўзбекча",
    },
]
METADATA = {"destination": "partner", "k": 5, "fields": COLUMNS, "taxonomy_version": 3}


def _csv_value(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ";".join(value)
    return str(value)


TYPES = ["string", "code", "code", "list of codes", "integer", "number", "number", "boolean", "string"]


def values(row: dict) -> tuple:
    """A row as the writers take it: its values in column order."""
    return tuple(row[name] for name in COLUMNS)


def write(name: str, rows=ROWS, **kwargs) -> bytes:
    out = io.BytesIO()
    count = writers.FORMATS[name].write(
        out, columns=COLUMNS, rows=(values(row) for row in rows), metadata=METADATA, **kwargs
    )
    assert count == len(rows)
    return out.getvalue()


def test_csv_round_trips_with_a_byte_order_mark_for_excel():
    data = write("csv")
    assert data.startswith(b"\xef\xbb\xbf")  # Excel then reads UTF-8, not the ANSI code page
    read = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert [list(row) for row in read] == [COLUMNS, COLUMNS]
    for row, expected in zip(read, ROWS, strict=True):
        assert row == {name: _csv_value(expected[name]) for name in COLUMNS}


def test_csv_without_bom_when_asked():
    data = write("csv", bom=False)
    assert data.startswith(b"report_id,")


def test_hxl_has_its_hashtag_row_under_the_header():
    hashtags = [
        "#event+id",
        "#event+type+code",
        "#adm1+code",
        "#event+tag+code",
        "#affected+num",
        "#geo+lat",
        "#geo+lon",
        "#meta+verified",
        "#description",
    ]
    data = write("hxl", hxl=hashtags)
    lines = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert lines[0] == COLUMNS
    assert lines[1] == hashtags
    assert [dict(zip(COLUMNS, line, strict=True)) for line in lines[2:]] == [
        {name: _csv_value(row[name]) for name in COLUMNS} for row in ROWS
    ]


def test_hxl_needs_one_hashtag_per_column():
    with pytest.raises(ValueError, match="HXL"):
        write("hxl", hxl=["#event+id"])


def test_json_round_trips_with_metadata_first():
    data = write("json")
    parsed = json.loads(data)
    assert list(parsed) == ["metadata", "fields", "rows"]
    assert parsed["metadata"] == METADATA
    assert parsed["fields"] == COLUMNS
    assert parsed["rows"] == ROWS


def test_json_with_no_rows_is_still_valid():
    parsed = json.loads(write("json", rows=[]))
    assert parsed["rows"] == []


def test_geojson_is_a_valid_feature_collection_with_null_geometry_where_no_place():
    data = write("geojson")
    collection = geojson.loads(data.decode("utf-8"))
    assert collection.is_valid, collection.errors()
    assert collection["disclosure"] == METADATA
    first, second = collection["features"]
    assert first["geometry"]["coordinates"] == [37.62, 55.75]  # longitude, latitude
    assert second["geometry"] is None
    assert first["properties"] == {k: v for k, v in ROWS[0].items() if k not in ("lat", "lon")}


def test_geojson_empty_collection_is_valid():
    collection = geojson.loads(write("geojson", rows=[]).decode("utf-8"))
    assert collection.is_valid
    assert collection["features"] == []


def test_xlsx_round_trips_and_carries_the_disclosure_sheet():
    data = write("xlsx")
    workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    assert workbook.sheetnames == ["rows", "disclosure"]
    rows = list(workbook["rows"].iter_rows(values_only=True))
    assert list(rows[0]) == COLUMNS
    for values, expected in zip(rows[1:], ROWS, strict=True):
        got = dict(zip(COLUMNS, values, strict=True))
        for name in COLUMNS:
            want = expected[name]
            if isinstance(want, list):
                want = ";".join(want) or None
            if want == "":
                want = None  # an empty text cell reads back as no value
            assert got[name] == want, name
    info = dict(workbook["disclosure"].iter_rows(min_row=2, values_only=True))
    assert info["destination"] == "partner"
    assert info["k"] == 5
    assert json.loads(info["fields"]) == COLUMNS


HOSTILE = ['=HYPERLINK("http://x")', "+1+2", "-3+4", "@SUM(A1)", "\tx", "plain"]


@pytest.mark.parametrize("typed", [False, True], ids=["untyped", "typed"])
@pytest.mark.parametrize("name", ["csv", "hxl"])
def test_csv_cells_that_would_run_as_formulas_get_an_apostrophe(name, typed):
    rows = [{**ROWS[0], "text": value, "tags": [value]} for value in HOSTILE]
    kwargs = {"hxl": ["#x"] * len(COLUMNS)} if name == "hxl" else {}
    if typed:
        kwargs["types"] = TYPES
    data = write(name, rows=rows, **kwargs)
    read = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    if name == "hxl":
        read = read[1:]
    assert [row["text"] for row in read] == ["'" + v for v in HOSTILE[:-1]] + ["plain"]
    assert [row["tags"] for row in read] == ["'" + v for v in HOSTILE[:-1]] + ["plain"]
    # Numbers are not text: a negative longitude stays a number.
    assert writers._csv_cell(-3.5) == -3.5


def test_xlsx_keeps_formula_like_text_as_text_and_drops_illegal_characters():
    rows = [{**ROWS[0], "text": "=1+2"}, {**ROWS[0], "text": "bell\x07 here"}]
    data = write("xlsx", rows=rows)
    sheet = openpyxl.load_workbook(io.BytesIO(data))["rows"]
    assert sheet.cell(row=2, column=COLUMNS.index("text") + 1).value == "=1+2"
    assert sheet.cell(row=2, column=COLUMNS.index("text") + 1).data_type == "s"
    assert sheet.cell(row=3, column=COLUMNS.index("text") + 1).value == "bell here"
    info = dict(openpyxl.load_workbook(io.BytesIO(data))["disclosure"].iter_rows(min_row=2, values_only=True))
    assert info["xlsx_cells_altered"] == 1


def test_xlsx_continues_on_a_new_sheet_past_the_row_limit(monkeypatch):
    monkeypatch.setattr(writers, "XLSX_MAX_ROWS", 3)  # header + 2 rows per sheet
    rows = [{**ROWS[1], "report_id": str(i)} for i in range(5)]
    data = write("xlsx", rows=rows)
    workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    assert workbook.sheetnames == ["rows", "rows 2", "rows 3", "disclosure"]
    ids = []
    for name in ("rows", "rows 2", "rows 3"):
        values = list(workbook[name].iter_rows(values_only=True))
        assert list(values[0]) == COLUMNS
        ids += [row[0] for row in values[1:]]
    assert ids == ["0", "1", "2", "3", "4"]


@pytest.mark.parametrize("name", ["csv", "json", "geojson"])
def test_writers_stream_memory_does_not_grow_with_rows(name):
    """Python allocations while writing 20,000 rows stay near those of 2,000: nothing accumulates."""

    def peak(n: int) -> int:
        rows = (values({**ROWS[0], "report_id": str(i)}) for i in range(n))
        out = _Sink()
        tracemalloc.start()
        writers.FORMATS[name].write(out, columns=COLUMNS, rows=rows, metadata=METADATA)
        _, top = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        return top

    small, large = peak(2_000), peak(20_000)
    assert large < small * 1.5 + 64_000, (small, large)


class _Sink(io.RawIOBase):
    """A binary stream that forgets what it is given (so only the writer's own memory counts)."""

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        return len(data)


_TEXT = st.one_of(st.none(), st.text(max_size=12))
_BY_TYPE = {
    "string": _TEXT,
    "code": _TEXT,
    "list of codes": st.lists(st.text(max_size=6), max_size=3),
    "integer": st.one_of(st.none(), st.integers()),
    "number": st.one_of(st.none(), st.floats(allow_nan=False, allow_infinity=False)),
    "boolean": st.one_of(st.none(), st.booleans()),
}


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(*(_BY_TYPE[kind] for kind in TYPES)), max_size=5))
def test_csv_by_column_type_writes_the_same_file_as_cell_by_cell(rows):
    """The typed fast path (one expression per column) and ``_csv_cell`` on every cell agree."""
    typed, untyped = io.BytesIO(), io.BytesIO()
    writers.write_csv(typed, columns=COLUMNS, rows=iter(rows), types=TYPES)
    writers.write_csv(untyped, columns=COLUMNS, rows=iter(rows))
    assert typed.getvalue() == untyped.getvalue()


def test_every_field_type_has_a_csv_conversion():
    """A new field type must be given its CSV handling, not fall into the text path by accident."""
    from testimony.evidence import fields

    known = writers._LIST_TYPES | writers._NUMBER_TYPES | {fields.BOOLEAN}
    text = {fields.STRING, fields.CODE, fields.DATE, fields.MONTH}
    assert {f.type for f in fields.FIELDS} <= known | text


def test_csv_types_must_match_the_columns():
    with pytest.raises(ValueError, match="one type per column"):
        writers.write_csv(io.BytesIO(), columns=COLUMNS, rows=iter([]), types=TYPES[:-1])
