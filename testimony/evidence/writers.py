"""Streaming writers: an iterator of row dicts in, one file out, memory flat whatever the size.

Every writer takes the output as a binary stream, the column names in order, the rows (tuples of
values in column order; values are str, int, float, bool, None or lists of those) and the disclosure
record (``metadata``: what destination, which fields, what k and coarsening, which taxonomy
version). Each format carries the record where it has room for it:

* JSON: an object ``{"metadata": …, "fields": […], "rows": […]}``, metadata first;
* GeoJSON: a top-level member ``"disclosure"`` of the FeatureCollection (a foreign member, which
  RFC 7946 §6.1 allows);
* XLSX: a second sheet, ``disclosure``;
* CSV and HXL-tagged CSV have no place for it inside one file: the record is shown on the job's
  page and kept in ``ExportJob.disclosure``, and the audit log names the job.

Nothing is held beyond one row (XLSX: openpyxl's write-only mode streams each row to a temporary
file); nothing serialises the whole list.

CSV and HXL files are UTF-8 **with a byte-order mark**: the people who open these exports mostly
do so in Excel, which reads a CSV without one in the local ANSI code page and garbles Cyrillic and
Uzbek letters. Python reads them with ``encoding="utf-8-sig"``; most other tools skip the mark.

Spreadsheet formulas: a text cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return would run as a formula in Excel or LibreOffice when the CSV is opened (CSV injection); a
hostile submitter writes the account, so such a value gets a leading apostrophe in CSV and HXL
files (the usual defence; readers of the data dictionary are told). XLSX cells are typed as text
instead, so their value is unchanged; JSON and GeoJSON have no formulas.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from itertools import islice
from typing import BinaryIO

from testimony.evidence import fields as fx
from testimony.evidence.fields import LIST_SEPARATOR

_TEXT_BUFFER = 1 << 16
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
XLSX_MAX_ROWS = 1_048_576  # per sheet, the header included
XLSX_MAX_CELL = 32_767  # characters in a cell


_DANGER = frozenset(_FORMULA_STARTS)
_LIST_TYPES = frozenset({fx.CODES, fx.STRINGS, fx.INTEGERS})
_NUMBER_TYPES = frozenset({fx.INTEGER, fx.NUMBER})


def defuse(value: str) -> str:
    """``value`` made safe to open in a spreadsheet: a leading apostrophe before a formula start."""
    return "'" + value if value.startswith(_FORMULA_STARTS) else value


def _csv_cell(value):
    if value is None:
        return ""
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, str):
        return "'" + value if value.startswith(_FORMULA_STARTS) else value
    if isinstance(value, list):
        return defuse(LIST_SEPARATOR.join(str(item) for item in value))
    return value  # int, float: the csv module writes their repr


def _text(out: BinaryIO, *, bom: bool = False) -> io.TextIOWrapper:
    return io.TextIOWrapper(out, encoding="utf-8-sig" if bom else "utf-8", newline="", write_through=False)


def _finish(text: io.TextIOWrapper) -> None:
    """Flush and let go of the binary stream (the caller closes, syncs and hashes it)."""
    text.flush()
    text.detach()


def _csv_list(value) -> str:
    if not value:
        return ""
    try:
        joined = LIST_SEPARATOR.join(value)  # codes and names: text already
    except TypeError:  # integers (case ids)
        joined = LIST_SEPARATOR.join(map(str, value))
    return "'" + joined if joined[:1] in _DANGER else joined


def _csv_bool(value) -> str:
    return "" if value is None else ("true" if value else "false")


def _csv_row(types: Sequence[str] | None, width: int) -> Callable[[Sequence], list]:
    """A function from a row's values to the CSV cells, the same as ``_csv_cell`` on every value.

    With the columns' types (``fields.Field.type``) each column gets only the work its type needs,
    written out as one expression per column: a million-row export pays per cell, and a call per
    cell was a quarter of its time. A number is left to the csv module (which writes ``None`` as
    an empty cell); text gets the formula check inline. The source is built from fixed pieces and
    column positions only, never from data.
    """
    if types is None:
        cell = _csv_cell
        return lambda row: [cell(value) for value in row]
    if len(types) != width:
        raise ValueError("one type per column")
    cells = []
    for i, kind in enumerate(types):
        if kind in _LIST_TYPES:
            cells.append(f"_list(row[{i}])")
        elif kind == fx.BOOLEAN:
            cells.append(f"_bool(row[{i}])")
        elif kind in _NUMBER_TYPES:
            cells.append(f"row[{i}]")
        else:  # text: None or str
            cells.append(f'("\'" + v if (v := row[{i}]) and v[0] in _danger else v)')
    namespace = {"_list": _csv_list, "_bool": _csv_bool, "_danger": _DANGER}
    return eval("lambda row: [" + ", ".join(cells) + "]", namespace)  # noqa: S307 (fixed pieces only)


def write_csv(
    out: BinaryIO,
    *,
    columns: list[str],
    rows: Iterable[Sequence],
    metadata: dict | None = None,
    hxl: list[str] | None = None,
    bom: bool = True,
    types: Sequence[str] | None = None,
) -> int:
    """CSV (RFC 4180, CRLF line ends); with ``hxl``, the HXL hashtag row follows the header.

    ``types`` (one ``fields`` type per column) lets each column be converted by its type; without
    it every cell goes through ``_csv_cell``. The file is the same either way.
    ``metadata`` is not written (no place for it in a CSV); see the module docstring.
    """
    text = _text(out, bom=bom)
    writer = csv.writer(text)
    writer.writerow(columns)
    if hxl is not None:
        if len(hxl) != len(columns):
            raise ValueError("one HXL hashtag per column")
        writer.writerow(hxl)
    convert = _csv_row(types, len(columns))
    writerows = writer.writerows
    count = 0
    # A thousand rows per call: the csv module's loop is C, and the list of a thousand is small.
    while batch := [convert(row) for row in islice(rows, 1000)]:
        writerows(batch)
        count += len(batch)
    _finish(text)
    return count


def write_hxl(
    out: BinaryIO, *, columns, rows, metadata=None, hxl: list[str] | None = None, bom=True, types=None
) -> int:
    if hxl is None:
        raise ValueError("an HXL file needs its hashtag row")
    return write_csv(out, columns=columns, rows=rows, metadata=metadata, hxl=hxl, bom=bom, types=types)


def _dumps() -> Callable[[object], str]:
    return json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode


def write_json(out: BinaryIO, *, columns, rows, metadata=None, hxl=None, types=None) -> int:
    """``{"metadata": {...}, "fields": [...], "rows": [ {...}, ... ]}``, one row per line."""
    dumps = _dumps()
    text = _text(out)
    text.write('{"metadata":' + dumps(metadata or {}) + ',"fields":' + dumps(list(columns)) + ',"rows":[')
    count = 0
    for row in rows:
        text.write(("\n" if count == 0 else ",\n") + dumps(dict(zip(columns, row, strict=True))))
        count += 1
    text.write("\n]}\n")
    _finish(text)
    return count


def _point(lat, lon) -> dict | None:
    if lat is None or lon is None:
        return None
    return {"type": "Point", "coordinates": [lon, lat]}  # GeoJSON order: longitude first


def write_geojson(out: BinaryIO, *, columns, rows, metadata=None, hxl=None, types=None) -> int:
    """A FeatureCollection; each row a Feature at its coarse point (``lat``/``lon``), else ``geometry: null``.

    ``lat`` and ``lon`` go into the geometry, every other column into ``properties``.
    """
    dumps = _dumps()
    columns = list(columns)
    properties = [(i, name) for i, name in enumerate(columns) if name not in ("lat", "lon")]
    lat_at = columns.index("lat") if "lat" in columns else None
    lon_at = columns.index("lon") if "lon" in columns else None
    text = _text(out)
    text.write('{"type":"FeatureCollection","disclosure":' + dumps(metadata or {}) + ',"features":[')
    count = 0
    for row in rows:
        feature = {
            "type": "Feature",
            "geometry": _point(
                row[lat_at] if lat_at is not None else None, row[lon_at] if lon_at is not None else None
            ),
            "properties": {name: row[i] for i, name in properties},
        }
        text.write(("\n" if count == 0 else ",\n") + dumps(feature))
        count += 1
    text.write("\n]}\n")
    _finish(text)
    return count


def write_xlsx(out: BinaryIO, *, columns, rows, metadata=None, hxl=None, types=None) -> int:
    """XLSX in openpyxl's write-only mode: rows go to a temporary file as they come, not to memory.

    A sheet holds at most 1,048,576 rows: past that the rows go on in ``rows 2``, ``rows 3``, …,
    each with the header. Text cells are typed as text (a value starting with ``=`` stays text,
    not a formula); characters XML cannot hold are dropped and a cell longer than Excel's 32,767
    characters is cut there; how many cells were changed so is written on the ``disclosure`` sheet.
    """
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    workbook = Workbook(write_only=True)
    sheets = 1
    sheet = workbook.create_sheet("rows")
    sheet.append(list(columns))
    on_sheet = 1
    count = 0
    altered = 0

    def text_cell(value: str):
        nonlocal altered
        clean = ILLEGAL_CHARACTERS_RE.sub("", value)
        if len(clean) > XLSX_MAX_CELL:
            clean = clean[: XLSX_MAX_CELL - 1] + "…"
        if clean != value:
            altered += 1
        if clean.startswith("="):
            cell = WriteOnlyCell(sheet, value=clean)
            cell.data_type = "s"  # text, not a formula
            return cell
        return clean

    for row in rows:
        if on_sheet == XLSX_MAX_ROWS:
            sheets += 1
            sheet = workbook.create_sheet(f"rows {sheets}")
            sheet.append(list(columns))
            on_sheet = 1
        values = []
        for value in row:
            if isinstance(value, list):
                value = LIST_SEPARATOR.join(str(item) for item in value)
            if isinstance(value, str) and value:
                value = text_cell(value)
            values.append(value)
        sheet.append(values)
        on_sheet += 1
        count += 1

    info = workbook.create_sheet("disclosure")
    info.append(["key", "value"])
    for key, value in _flatten(metadata or {}):
        info.append([key, value])
    info.append(["xlsx_cells_altered", altered])
    # zipfile leaves a stream it was given open: the caller closes, syncs and hashes it.
    workbook.save(out)
    return count


def _flatten(data: dict, prefix: str = ""):
    """Nested metadata as ``a.b`` keys; lists as JSON text, so the sheet stays two columns."""
    for key, value in data.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            yield from _flatten(value, f"{name}.")
        elif isinstance(value, list | tuple):
            yield name, json.dumps(list(value), ensure_ascii=False)
        else:
            yield name, value


@dataclass(frozen=True)
class OutputFormat:
    name: str
    suffix: str
    content_type: str
    write: Callable[..., int]


FORMATS: dict[str, OutputFormat] = {
    "csv": OutputFormat("csv", ".csv", "text/csv; charset=utf-8", write_csv),
    "hxl": OutputFormat("hxl", ".hxl.csv", "text/csv; charset=utf-8", write_hxl),
    "json": OutputFormat("json", ".json", "application/json", write_json),
    "geojson": OutputFormat("geojson", ".geojson", "application/geo+json", write_geojson),
    "xlsx": OutputFormat(
        "xlsx", ".xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", write_xlsx
    ),
}
