"""The text a PDF shows, for the tests of the reportlab report: its content streams
(ASCII85 and Flate, as reportlab writes them) decoded, and each string shown (`Tj`) read as
the UTF-16BE of its CID font (UniGB-UCS2-H), in the order drawn."""

from __future__ import annotations

import base64
import re
import zlib

STREAM = re.compile(rb"stream\r?\n(.*?)endstream", re.S)
SHOWN = re.compile(rb"\(((?:\\.|[^\\)])*)\)\s*Tj", re.S)
ESCAPE = re.compile(rb"\\([0-7]{1,3}|.)", re.S)
SIMPLE = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}


def _unescaped(literal: bytes) -> bytes:
    def one(match: re.Match[bytes]) -> bytes:
        code = match.group(1)
        if code[:1].isdigit():
            return bytes([int(code, 8)])
        return SIMPLE.get(code, code)

    return ESCAPE.sub(one, literal)


def _decoded(stream: bytes) -> bytes:
    data = stream.strip()
    if data.endswith(b"~>"):
        data = base64.a85decode(data.removesuffix(b"~>"))
    try:
        return zlib.decompress(data)
    except zlib.error:
        return data  # not compressed


def pdf_strings(pdf: bytes) -> list[str]:
    """Every string the pages show, in order (only UTF-16BE ones: the Chinese font's)."""
    shown = []
    for stream in STREAM.finditer(pdf):
        for literal in SHOWN.finditer(_decoded(stream.group(1))):
            raw = _unescaped(literal.group(1))
            if len(raw) % 2 == 0:
                shown.append(raw.decode("utf-16-be", errors="replace"))
    return shown
