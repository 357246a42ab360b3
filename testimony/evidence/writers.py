"""Streaming writers: an iterator of row dicts in, one file out, memory flat whatever the size.

Every writer takes the output as a binary stream, the column names in order, the rows (dicts
with those keys; values are str, int, float, bool, None or lists of those) and the disclosure
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
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from operator import itemgetter
from typing import BinaryIO

from testimony.evidence.fields import LIST_SEPARATOR

_TEXT_BUFFER = 1 << 16
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
XLSX_MAX_ROWS = 1_048_576  # per sheet, the header included
XLSX_MAX_CELL = 32_767  # characters in a cell


_DANGER = frozenset(_FORMULA_STARTS)


def _getter(columns: list[str]) -> Callable[[dict], tuple]:
    """A row's values in column order, as a tuple (``itemgetter`` does it in C)."""
    if len(columns) == 1:
        only = columns[0]
        return lambda row: (row[only],)
    return itemgetter(*columns)


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


def write_csv(
    out: BinaryIO,
    *,
    columns: list[str],
    rows: Iterable[dict],
    metadata: dict | None = None,
    hxl: list[str] | None = None,
    bom: bool = True,
) -> int:
    """CSV (RFC 4180, CRLF line ends); with ``hxl``, the HXL hashtag row follows the header.

    ``metadata`` is not written (no place for it in a CSV); see the module docstring.
    """
    text = _text(out, bom=bom)
    writer = csv.writer(text)
    writer.writerow(columns)
    if hxl is not None:
        if len(hxl) != len(columns):
            raise ValueError("one HXL hashtag per column")
        writer.writerow(hxl)
    count = 0
    writerow = writer.writerow
    cell = _csv_cell
    danger = _DANGER
    values = _getter(columns)
    for row in rows:
        # Text (most cells) inline, anything else through _csv_cell: the per-cell call is what
        # a million-row export pays for most.
        writerow(
            [(("'" + v) if v[:1] in danger else v) if v.__class__ is str else cell(v) for v in values(row)]
        )
        count += 1
    _finish(text)
    return count


def write_hxl(out: BinaryIO, *, columns, rows, metadata=None, hxl: list[str] | None = None, bom=True) -> int:
    if hxl is None:
        raise ValueError("an HXL file needs its hashtag row")
    return write_csv(out, columns=columns, rows=rows, metadata=metadata, hxl=hxl, bom=bom)


def _dumps() -> Callable[[object], str]:
    return json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode


def write_json(out: BinaryIO, *, columns, rows, metadata=None, hxl=None) -> int:
    """``{"metadata": {...}, "fields": [...], "rows": [ {...}, ... ]}``, one row per line."""
    dumps = _dumps()
    text = _text(out)
    text.write('{"metadata":' + dumps(metadata or {}) + ',"fields":' + dumps(list(columns)) + ',"rows":[')
    count = 0
    for row in rows:
        text.write(("\n" if count == 0 else ",\n") + dumps({name: row[name] for name in columns}))
        count += 1
    text.write("\n]}\n")
    _finish(text)
    return count


def _point(row: dict) -> dict | None:
    lat, lon = row.get("lat"), row.get("lon")
    if lat is None or lon is None:
        return None
    return {"type": "Point", "coordinates": [lon, lat]}  # GeoJSON order: longitude first


def write_geojson(out: BinaryIO, *, columns, rows, metadata=None, hxl=None) -> int:
    """A FeatureCollection; each row a Feature at its coarse point (``lat``/``lon``), else ``geometry: null``.

    ``lat`` and ``lon`` go into the geometry, every other column into ``properties``.
    """
    dumps = _dumps()
    properties = [name for name in columns if name not in ("lat", "lon")]
    text = _text(out)
    text.write('{"type":"FeatureCollection","disclosure":' + dumps(metadata or {}) + ',"features":[')
    count = 0
    for row in rows:
        feature = {
            "type": "Feature",
            "geometry": _point(row),
            "properties": {name: row[name] for name in properties},
        }
        text.write(("\n" if count == 0 else ",\n") + dumps(feature))
        count += 1
    text.write("\n]}\n")
    _finish(text)
    return count


def write_xlsx(out: BinaryIO, *, columns, rows, metadata=None, hxl=None) -> int:
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
        for name in columns:
            value = row[name]
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
