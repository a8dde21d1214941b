"""Reading department files as a stream of records: CSV, JSON Lines and XLSX.

`open_source` checks the file before anything is read for loading (it exists, is not empty,
decodes, has a header) and computes its sha256 on the way; then `Source.records` yields one
`Record` per data row, with the line (CSV, JSON Lines) or row (XLSX) a clerk finds it on, the
header being line 1. Nothing holds more than one row at a time, so a 1 GB file streams.

CSV encodings: a UTF-8 BOM means UTF-8; otherwise UTF-8 when the whole file decodes as
UTF-8, else GB18030 (what Excel on a Chinese Windows desktop writes); `encoding` overrides.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Literal

from connectors.refused import FileRefused
from schema.limits import MAX_ROW_BYTES, row_too_long

Format = Literal["csv", "jsonl", "xlsx"]
FORMATS_BY_SUFFIX: dict[str, Format] = {
    ".csv": "csv",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".xlsx": "xlsx",
}
READ_BLOCK_BYTES = 1 << 20
FALLBACK_ENCODING = "gb18030"


@dataclass(frozen=True, slots=True)
class Record:
    """One data row: its cells by column, or the reason the line itself cannot be read."""

    line: int
    cells: dict[str, Any]
    problem: tuple[str, str] | None = None  # (中文, English)
    column: str = ""  # the column the problem is in, when it is in one


@dataclass
class Source:
    """An open file: what was found out about it, and its records (to be read once)."""

    fmt: Format
    encoding: str | None
    sha256: str
    columns: tuple[str, ...]
    records: Iterator[Record]


def format_of(path: Path, fmt: Format | None) -> Format:
    """The given format, or the one the file's suffix names."""
    if fmt is not None:
        return fmt
    found = FORMATS_BY_SUFFIX.get(path.suffix.lower())
    if found is None:
        known = ", ".join(FORMATS_BY_SUFFIX)
        raise FileRefused(
            f"无法从文件后缀“{path.suffix}”判断格式，应为 {known}",
            f"cannot tell the format from the suffix '{path.suffix}'; expected one of {known}",
        )
    return found


@contextlib.contextmanager
def open_source(path: Path, fmt: Format, encoding: str | None = None) -> Iterator[Source]:
    """Check `path` and open it for reading records; refuses it whole when unusable."""
    sha256, text_encoding = _inspect(path, fmt, encoding)
    with contextlib.ExitStack() as stack:
        if fmt == "xlsx":
            columns, records = _open_xlsx(path, stack)
        else:
            assert text_encoding is not None
            handle = stack.enter_context(path.open(encoding=text_encoding, newline=""))
            if fmt == "csv":
                columns, records = _open_csv(handle)
            else:
                columns, records = _open_jsonl(handle)
        _check_header(columns)
        yield Source(fmt, text_encoding, sha256, columns, records)


# --- checks before reading -------------------------------------------------------------------


def _inspect(path: Path, fmt: Format, encoding: str | None) -> tuple[str, str | None]:
    """The file's sha256 and, for text formats, the encoding to read it with."""
    try:
        size = path.stat().st_size
    except OSError as error:
        raise FileRefused(
            f"无法读取文件 {path.name}：{error.strerror}", f"cannot read {path.name}: {error}"
        ) from None
    if not path.is_file():
        raise FileRefused(f"{path.name} 不是文件", f"{path.name} is not a file")
    if size == 0:
        raise FileRefused(f"文件 {path.name} 是空的", f"the file {path.name} is empty")
    if fmt == "xlsx":
        return _sha256(path), None
    if encoding is not None:
        return _decoded_as(path, _known_encoding(encoding))
    with path.open("rb") as handle:
        has_bom = handle.read(len(codecs.BOM_UTF8)) == codecs.BOM_UTF8
    if has_bom:
        return _decoded_as(path, "utf-8-sig")
    with contextlib.suppress(FileRefused):
        return _decoded_as(path, "utf-8")
    try:
        return _decoded_as(path, FALLBACK_ENCODING)
    except FileRefused:
        raise FileRefused(
            "文件既不是 UTF-8 也不是 GB18030 编码；请另存为 UTF-8 或用 --encoding 指定编码",
            "the file is neither UTF-8 nor GB18030; save it as UTF-8 or name its encoding "
            "with --encoding",
        ) from None


def _known_encoding(name: str) -> str:
    try:
        codec = codecs.lookup(name)
    except LookupError:
        raise FileRefused(f"未知的编码“{name}”", f"unknown encoding '{name}'") from None
    # A UTF-8 file may still start with a BOM; it must not end up in the first column's name.
    return "utf-8-sig" if codec.name == "utf-8" else codec.name


def _blocks(path: Path) -> Iterator[bytes]:
    with path.open("rb") as handle:
        while block := handle.read(READ_BLOCK_BYTES):
            yield block


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    for block in _blocks(path):
        digest.update(block)
    return digest.hexdigest()


def _decoded_as(path: Path, encoding: str) -> tuple[str, str]:
    """Hash the file while checking that every byte decodes as `encoding`."""
    digest = hashlib.sha256()
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    offset = 0
    try:
        for block in _blocks(path):
            digest.update(block)
            decoder.decode(block)
            offset += len(block)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError as error:
        where = offset + error.start
        raise FileRefused(
            f"文件第 {where} 字节起无法按 {encoding} 解码",
            f"the bytes from offset {where} do not decode as {encoding}",
        ) from None
    return digest.hexdigest(), encoding


def _header(cells: Iterable[object]) -> tuple[str, ...]:
    columns = [str(cell if cell is not None else "").strip().lstrip("\ufeff") for cell in cells]
    while columns and not columns[-1]:
        columns.pop()  # spreadsheets often carry empty columns after the last one
    return tuple(columns)


def _check_header(columns: tuple[str, ...]) -> None:
    if not any(columns):
        raise FileRefused("文件没有表头行", "the file has no header row")
    seen: set[str] = set()
    for column in columns:
        if column and column in seen:
            raise FileRefused(f"表头中“{column}”列出现两次", f"column '{column}' appears twice")
        seen.add(column)


def _no_header() -> FileRefused:
    return FileRefused("文件没有表头行", "the file has no header row")


# --- lines ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Line:
    """One physical line of a text file; `text` is None for a line over `MAX_ROW_BYTES`."""

    number: int
    text: str | None
    size: int  # characters (at least, for an over-long line: it is not kept)


def _physical_lines(handle: IO[str]) -> Iterator[_Line]:
    """The file's lines, numbered from 1, none held longer than a record may be.

    A line over the limit is read on to its end in bounded pieces and handed on without
    its text, so that one endless line costs no more memory than a row.
    """
    number = 0
    while piece := handle.readline(MAX_ROW_BYTES + 1):
        number += 1
        if len(piece) <= MAX_ROW_BYTES // 4 or _row_fits(piece):
            yield _Line(number, piece, len(piece))
            continue
        size = len(piece)
        while not piece.endswith(("\n", "\r")) and (piece := handle.readline(READ_BLOCK_BYTES)):
            size += len(piece)
        yield _Line(number, None, size)


def _row_fits(text: str) -> bool:
    return (
        len(text) <= MAX_ROW_BYTES and len(text.encode("utf-8", "surrogatepass")) <= MAX_ROW_BYTES
    )


class _LineTooLong(Exception):
    """Raised into the CSV parser when the next line is over the limit."""


class _LineFeed:
    """Lines for `csv.reader`, one per call, remembering those of the record being read.

    A record the parser cannot end well (a quote left open, text after a closing quote,
    a record over the limit) is rejected at its first line, and its other lines are put
    back to be read again: every line is read as part of exactly one record.
    """

    def __init__(self, lines: Iterator[_Line]) -> None:
        self._lines = lines
        self._again: list[_Line] = []  # put back, the next one last
        self.taken: list[_Line] = []
        self.taken_size = 0

    def __iter__(self) -> _LineFeed:
        return self

    def __next__(self) -> str:
        line = self._again.pop() if self._again else next(self._lines)
        self.taken.append(line)
        self.taken_size += line.size
        if line.text is None or self.taken_size > MAX_ROW_BYTES:
            raise _LineTooLong
        return line.text

    def new_record(self) -> None:
        self.taken = []
        self.taken_size = 0

    def read_again_after_first(self) -> None:
        """Put back every line of the record but its first, to be read as new records."""
        self._again.extend(reversed(self.taken[1:]))


# --- CSV -------------------------------------------------------------------------------------


def _open_csv(handle: IO[str]) -> tuple[tuple[str, ...], Iterator[Record]]:
    feed = _LineFeed(_physical_lines(handle))
    # Strict: a quote must close before the next delimiter or line end, and a quote still
    # open at the end of the file is an error, not a field that swallowed the rest.
    reader = csv.reader(feed, strict=True)
    while True:
        feed.new_record()
        try:
            cells = next(reader)
        except StopIteration:
            raise _no_header() from None
        except _LineTooLong:  # it carries no message of its own
            limit = MAX_ROW_BYTES // 1024
            raise FileRefused(
                f"表头超过 {limit} KiB 的上限，无法读取",
                f"the header is over the limit of {limit} KiB",
            ) from None
        except csv.Error as error:
            raise FileRefused(
                f"无法读取表头：{error}", f"cannot read the header: {error}"
            ) from None
        if any(cells):
            columns = _header(cells)
            return columns, _csv_records(reader, feed, columns)


def _csv_records(reader: Any, feed: _LineFeed, columns: tuple[str, ...]) -> Iterator[Record]:
    width = len(columns)
    while True:
        feed.new_record()
        try:
            cells = next(reader)
        except StopIteration:
            return
        except (csv.Error, _LineTooLong) as error:
            yield _unreadable(feed, columns, error)
            continue
        first = feed.taken[0]
        if len(cells) > width and not any(cells[width:]):
            cells = cells[:width]
        if len(feed.taken) > 1 and len(cells) != width:
            # A quoted field ran over line breaks into a record that does not fit the
            # header: a quote left open, most likely. Only its first line is rejected.
            yield _unreadable(feed, columns, None)
            continue
        if not any(cells):
            continue  # a blank line, or an empty spreadsheet row (",,,")
        record = Record(first.number, dict(zip(columns, cells, strict=False)))
        if len(cells) != width:
            record = Record(
                first.number,
                record.cells,
                (
                    f"此行有 {len(cells)} 列，表头有 {width} 列",
                    f"this line has {len(cells)} cells, the header has {width}",
                ),
            )
        yield record


def _unreadable(feed: _LineFeed, columns: tuple[str, ...], error: Exception | None) -> Record:
    """The record of a first line that cannot be read; its other lines are read again."""
    first = feed.taken[0]
    feed.read_again_after_first()
    if first.text is None or (isinstance(error, _LineTooLong) and len(feed.taken) == 1):
        size = first.size if first.text is None else feed.taken_size
        return Record(first.number, {}, row_too_long(size))
    cells = dict(zip(columns, next(csv.reader([first.text])), strict=False))
    fault = quote_fault(first.text)
    if fault is None:
        detail = str(error) if error is not None else "the row does not fit the header"
        return Record(
            first.number, cells, ("无法解析此行", f"this line cannot be parsed: {detail}")
        )
    index, kind = fault
    column = columns[index] if index < len(columns) else f"第 {index + 1} 列"
    if kind == "open":
        problem = (
            "此列的引号没有在本行闭合（字段只有在引号内才能跨行），此行未读入",
            f"the quote opened in {column} is not closed on this line (a field may run "
            "over a line break only inside a closed quote); the line was not read",
        )
    else:
        problem = (
            "此列的引号闭合后还有文字，此行未读入",
            f"text follows the closing quote in {column}; the line was not read",
        )
    return Record(first.number, cells, problem, column)


def quote_fault(text: str) -> tuple[int, str] | None:
    """Where a line's quoting goes wrong: (field index, "open" or "stray"), else None.

    The rules of RFC 4180 as `csv.reader(strict=True)` applies them: a field that starts
    with a quote ends at a quote followed by a comma or the line's end ("" is a quote).
    """
    field, i, end = 0, 0, len(text.rstrip("\r\n"))
    while i <= end:
        if i < end and text[i] == '"':
            i += 1
            while True:
                j = text.find('"', i, end)
                if j < 0:
                    return field, "open"
                if j + 1 < end and text[j + 1] == '"':
                    i = j + 2
                    continue
                i = j + 1
                break
            if i < end and text[i] != ",":
                return field, "stray"
        else:
            comma = text.find(",", i, end)
            i = end if comma < 0 else comma
        if i >= end:
            return None
        field, i = field + 1, i + 1
    return None


# --- JSON Lines ------------------------------------------------------------------------------


def _parse_json_line(text: str) -> dict[str, Any] | None:
    try:
        # Numbers stay as written ("125000.50", an 18-digit id): never through a float.
        value = json.loads(text, parse_float=str, parse_int=str)
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


def _open_jsonl(handle: IO[str]) -> tuple[tuple[str, ...], Iterator[Record]]:
    lines = _physical_lines(handle)
    for line in lines:
        if line.text is None:
            raise FileRefused(
                f"第 {line.number} 行超过 {MAX_ROW_BYTES // 1024} KiB 的上限，无法确定列",
                f"line {line.number} is over the limit of {MAX_ROW_BYTES // 1024} KiB, "
                "so the columns are unknown",
            )
        if not line.text.strip():
            continue
        first = _parse_json_line(line.text.lstrip("\ufeff"))
        if first is None:
            raise FileRefused(
                f"第 {line.number} 行不是 JSON 对象，无法确定列",
                f"line {line.number} is not a JSON object, so the columns are unknown",
            )
        return _header(first), _jsonl_records(line.number, first, lines)
    raise _no_header()


def _jsonl_records(
    first_line: int, first: dict[str, Any], lines: Iterator[_Line]
) -> Iterator[Record]:
    yield _json_record(first_line, first)
    for line in lines:
        if line.text is None:
            yield Record(line.number, {}, row_too_long(line.size))
            continue
        if not line.text.strip():
            continue
        value = _parse_json_line(line.text)
        if value is None:
            yield Record(
                line.number, {}, ("此行不是有效的 JSON 对象", "this line is not a JSON object")
            )
        else:
            yield _json_record(line.number, value)


def _json_record(line: int, value: dict[str, Any]) -> Record:
    cells = {str(key).strip(): cell for key, cell in value.items()}
    for column, cell in cells.items():
        if isinstance(cell, dict | list):
            return Record(
                line,
                {},
                (f"{column} 的值不是文字或数字", f"the value of {column} is not text or a number"),
            )
        if isinstance(cell, bool):
            cells[column] = "true" if cell else "false"
    return Record(line, cells)


# --- XLSX ------------------------------------------------------------------------------------


def _open_xlsx(path: Path, stack: contextlib.ExitStack) -> tuple[tuple[str, ...], Iterator[Record]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a file that is not XLSX
        raise FileRefused(
            f"无法作为 XLSX 读取：{type(error).__name__}",
            f"cannot be read as XLSX: {type(error).__name__}: {error}",
        ) from None
    stack.callback(workbook.close)
    if not workbook.worksheets:
        raise FileRefused("工作簿中没有工作表", "the workbook has no sheet")
    rows = enumerate(workbook.worksheets[0].iter_rows(values_only=True), start=1)
    for _number, values in rows:
        if any(value is not None for value in values):
            columns = _header(values)
            return columns, _xlsx_records(columns, rows)
    raise _no_header()


def _xlsx_records(
    columns: tuple[str, ...], rows: Iterator[tuple[int, tuple[Any, ...]]]
) -> Iterator[Record]:
    for number, values in rows:
        if all(value is None or value == "" for value in values):
            continue
        size = sum(len(value) for value in values if type(value) is str)
        if size > MAX_ROW_BYTES // 4 and not _row_fits(
            "".join(v for v in values if type(v) is str)
        ):
            yield Record(number, {}, row_too_long(size))
            continue
        yield Record(number, dict(zip(columns, values, strict=False)))
