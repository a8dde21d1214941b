"""XLSX output: openpyxl's write-only mode, then a pass that makes the file reproducible.

openpyxl stamps the document and every zip entry with the current time, and its write-only
sheets carry no <dimension>, without which read-only readers do not pad rows whose last cells
are empty. The finishing pass copies the archive entry by entry (streaming: a million-row
sheet is hundreds of megabytes) with fixed times and the dimension added.
"""

from __future__ import annotations

import re
import shutil
import zipfile
from datetime import datetime
from pathlib import Path

from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from seed.datasets import Row

_FIXED_TIMESTAMP = datetime(2025, 1, 1)
_FIXED_ZIP_TIME = (2025, 1, 1, 0, 0, 0)
_MODIFIED_ELEMENT = re.compile(rb"<dcterms:modified([^>]*)>[^<]*</dcterms:modified>")
_CORE_PROPERTIES = "docProps/core.xml"
_SHEET = "xl/worksheets/sheet1.xml"
_SHEET_HEAD_BYTES = 4096  # the elements before <sheetData> fit in this
_ZIP64_THRESHOLD = 2**31 - 1


class XlsxRowWriter:
    """First (only) sheet named after the dataset, header in row 1, cells stored as text."""

    def __init__(self, path: Path, columns: tuple[str, ...], title: str) -> None:
        self._path = path
        self._columns = len(columns)
        self._rows = 1
        self._workbook = Workbook(write_only=True)
        self._workbook.properties.created = _FIXED_TIMESTAMP
        self._sheet = self._workbook.create_sheet(title=title)
        self._sheet.append(list(columns))

    def write(self, row: Row) -> None:
        self._sheet.append(list(row))
        self._rows += 1

    def close(self) -> None:
        unfinished = self._path.with_suffix(".unfinished.xlsx")
        self._workbook.save(unfinished)
        dimension = f"A1:{get_column_letter(self._columns)}{self._rows}"
        _finish(unfinished, self._path, dimension)
        unfinished.unlink()


def _finish(source: Path, target: Path, dimension: str) -> None:
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for entry in old.infolist():
            info = zipfile.ZipInfo(entry.filename, date_time=_FIXED_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            large = entry.file_size > _ZIP64_THRESHOLD
            with old.open(entry) as reader, new.open(info, "w", force_zip64=large) as writer:
                head = reader.read(_SHEET_HEAD_BYTES)
                if entry.filename == _CORE_PROPERTIES:
                    head = _fix_modified(head + reader.read())
                elif entry.filename == _SHEET:
                    head = _add_dimension(head, dimension)
                writer.write(head)
                shutil.copyfileobj(reader, writer)


def _fix_modified(core_xml: bytes) -> bytes:
    fixed = _FIXED_TIMESTAMP.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    element = rb"<dcterms:modified\1>" + fixed + rb"</dcterms:modified>"
    return _MODIFIED_ELEMENT.sub(element, core_xml)


def _add_dimension(sheet_head: bytes, dimension: str) -> bytes:
    # The schema orders <sheetPr>, <dimension>, <sheetViews>: slot it in before the views.
    element = f'<dimension ref="{dimension}" />'.encode()
    if b"<dimension" in sheet_head or b"<sheetViews>" not in sheet_head:
        raise ValueError("unexpected worksheet layout from openpyxl")
    return sheet_head.replace(b"<sheetViews>", element + b"<sheetViews>", 1)
