"""`FileRefused`: a file the hub will not load at all, so nothing of it is written."""

from __future__ import annotations


class FileRefused(Exception):
    """The whole file is refused before anything is written; the message says why.

    Raised for an unknown dataset, a department that does not own the dataset, a missing,
    empty or unreadable file, bytes that do not decode, and a header that lacks a required
    column. The CLI exits with code 2; the HTTP endpoint answers 4xx with the message.
    """

    def __init__(self, reason_zh: str, reason_en: str) -> None:
        super().__init__(f"{reason_zh} / {reason_en}")
        self.reason_zh = reason_zh
        self.reason_en = reason_en
