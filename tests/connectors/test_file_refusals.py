"""Every way `connectors.readers` refuses a file whole, each with its precise reason (中文 and
English) and nothing of the file loaded. Through `ingest_file` as `hub ingest` and
POST /ingest call it; the one refusal `ingest_file` never reaches (an encoding name Python
does not know: `check_text_encoding` refuses it first) through `open_source`."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from connectors import FileRefused
from connectors.readers import open_source
from tests.connectors.conftest import Load

HEADER = "id_number,name\n"
KNOWN = ".csv, .jsonl, .ndjson, .xlsx"
NO_HEADER = ("文件没有表头行", "the file has no header row")
OVER_64_KIB = 64 * 1024 + 1  # the row limit of DATA-EXCHANGE.md, "limits every value obeys"


def written(path: Path, content: bytes) -> Path:
    path.write_bytes(content)
    return path


async def refusal(
    load: Load, path: Path, runs_dir: Path, encoding: str | None = None
) -> tuple[str, str]:
    """The reasons `ingest_file` refuses `path` with; nothing of it may have been recorded."""
    with pytest.raises(FileRefused) as refused:
        await load("psb.persons", path, encoding=encoding)
    assert not (runs_dir / "runs").exists(), "a refused file started a run"
    return refused.value.reason_zh, refused.value.reason_en


def workbook(path: Path, *rows: list[object]) -> Path:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    book.save(path)
    return path


async def test_a_suffix_that_names_no_format(load: Load, tmp_path: Path, runs_dir: Path) -> None:
    path = written(tmp_path / "persons.txt", HEADER.encode())

    assert await refusal(load, path, runs_dir) == (
        f"无法从文件后缀“.txt”判断格式，应为 {KNOWN}",
        f"cannot tell the format from the suffix '.txt'; expected one of {KNOWN}",
    )


async def test_a_missing_file(load: Load, tmp_path: Path, runs_dir: Path) -> None:
    path = tmp_path / "gone.csv"

    assert await refusal(load, path, runs_dir) == (
        "无法读取文件 gone.csv：No such file or directory",
        f"cannot read gone.csv: [Errno 2] No such file or directory: '{path}'",
    )


async def test_a_directory(load: Load, tmp_path: Path, runs_dir: Path) -> None:
    path = tmp_path / "folder.csv"
    path.mkdir()

    assert await refusal(load, path, runs_dir) == (
        "folder.csv 不是文件",
        "folder.csv is not a file",
    )


async def test_an_empty_file(load: Load, tmp_path: Path, runs_dir: Path) -> None:
    path = written(tmp_path / "empty.csv", b"")

    assert await refusal(load, path, runs_dir) == (
        "文件 empty.csv 是空的",
        "the file empty.csv is empty",
    )


async def test_bytes_neither_utf8_nor_gb18030(load: Load, tmp_path: Path, runs_dir: Path) -> None:
    # 0x81 opens a GB18030 character that the end of the file cuts off; not UTF-8 either.
    path = written(tmp_path / "cut.csv", HEADER.encode() + b"\x81")

    assert await refusal(load, path, runs_dir) == (
        "文件既不是 UTF-8 也不是 GB18030 编码；请另存为 UTF-8 或用 --encoding 指定编码",
        "the file is neither UTF-8 nor GB18030; save it as UTF-8 or name its encoding "
        "with --encoding",
    )


async def test_bytes_the_named_encoding_does_not_decode(
    load: Load, tmp_path: Path, runs_dir: Path
) -> None:
    content = f"{HEADER}110101199003070011,张三\n".encode()
    path = written(tmp_path / "ascii.csv", content)
    offset = len(HEADER) + len("110101199003070011,")  # 张's first byte

    assert await refusal(load, path, runs_dir, encoding="ascii") == (
        f"文件第 {offset} 字节起无法按 ascii 解码",
        f"the bytes from offset {offset} do not decode as ascii",
    )


def test_an_encoding_python_does_not_know(tmp_path: Path) -> None:
    path = written(tmp_path / "persons.csv", HEADER.encode())

    with pytest.raises(FileRefused) as refused, open_source(path, "csv", "no-such-codec"):
        pass

    assert (refused.value.reason_zh, refused.value.reason_en) == (
        "未知的编码“no-such-codec”",
        "unknown encoding 'no-such-codec'",
    )


async def test_a_header_of_blank_names(load: Load, tmp_path: Path, runs_dir: Path) -> None:
    path = written(tmp_path / "blank-names.csv", b" , \n110101199003070011,x\n")

    assert await refusal(load, path, runs_dir) == NO_HEADER


async def test_a_column_named_twice(load: Load, tmp_path: Path, runs_dir: Path) -> None:
    path = written(tmp_path / "twice.csv", b"id_number,name,name\n")

    assert await refusal(load, path, runs_dir) == (
        "表头中“name”列出现两次",
        "column 'name' appears twice",
    )


async def test_a_csv_of_blank_lines(load: Load, tmp_path: Path, runs_dir: Path) -> None:
    path = written(tmp_path / "blank.csv", b"\n\r\n\n")

    assert await refusal(load, path, runs_dir) == NO_HEADER


async def test_a_csv_header_whose_quote_never_closes(
    load: Load, tmp_path: Path, runs_dir: Path
) -> None:
    path = written(tmp_path / "quote.csv", b'"id_number,name\n')

    assert await refusal(load, path, runs_dir) == (
        "无法读取表头：unexpected end of data",
        "cannot read the header: unexpected end of data",
    )


async def test_a_csv_header_over_the_row_limit(load: Load, tmp_path: Path, runs_dir: Path) -> None:
    path = written(tmp_path / "wide.csv", b"c" * OVER_64_KIB + b"\n")

    assert await refusal(load, path, runs_dir) == (
        "表头超过 64 KiB 的上限，无法读取",
        "the header is over the limit of 64 KiB",
    )


async def test_a_json_lines_first_line_over_the_row_limit(
    load: Load, tmp_path: Path, runs_dir: Path
) -> None:
    path = written(tmp_path / "wide.jsonl", b'{"name": "' + b"x" * OVER_64_KIB + b'"}\n')

    assert await refusal(load, path, runs_dir) == (
        "第 1 行超过 64 KiB 的上限，无法确定列",
        "line 1 is over the limit of 64 KiB, so the columns are unknown",
    )


async def test_a_json_lines_first_line_that_is_no_object(
    load: Load, tmp_path: Path, runs_dir: Path
) -> None:
    path = written(tmp_path / "array.jsonl", b'\n["id_number", "name"]\n')

    assert await refusal(load, path, runs_dir) == (
        "第 2 行不是 JSON 对象，无法确定列",
        "line 2 is not a JSON object, so the columns are unknown",
    )


async def test_a_json_lines_file_of_blank_lines(load: Load, tmp_path: Path, runs_dir: Path) -> None:
    path = written(tmp_path / "blank.jsonl", b"\n  \n")

    assert await refusal(load, path, runs_dir) == NO_HEADER


async def test_a_file_that_is_no_xlsx(load: Load, tmp_path: Path, runs_dir: Path) -> None:
    path = written(tmp_path / "persons.xlsx", b"id_number,name\n")

    assert await refusal(load, path, runs_dir) == (
        "无法作为 XLSX 读取：BadZipFile",
        "cannot be read as XLSX: BadZipFile: File is not a zip file",
    )


async def test_a_workbook_without_a_sheet(load: Load, tmp_path: Path, runs_dir: Path) -> None:
    one = workbook(tmp_path / "one.xlsx", ["id_number", "name"])
    path = tmp_path / "none.xlsx"
    with zipfile.ZipFile(one) as source, zipfile.ZipFile(path, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/workbook.xml":
                data, found = re.subn(rb"<sheets>.*</sheets>", b"<sheets/>", data)
                assert found == 1
            target.writestr(item, data)

    assert await refusal(load, path, runs_dir) == (
        "工作簿中没有工作表",
        "the workbook has no sheet",
    )


async def test_a_workbook_whose_sheet_is_empty(load: Load, tmp_path: Path, runs_dir: Path) -> None:
    path = workbook(tmp_path / "empty.xlsx", [None, None], [])

    assert await refusal(load, path, runs_dir) == NO_HEADER
