"""The console's one Chinese dictionary (console/src/labels.json), for what the hub itself
writes for the console's users (the PDF report): the same words as on screen."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

LABELS = Path(__file__).resolve().parents[2] / "console" / "src" / "labels.json"


@cache
def _dictionary() -> dict[str, dict[str, str]]:
    try:
        words: dict[str, dict[str, str]] = json.loads(LABELS.read_text(encoding="utf-8"))
    except (OSError, ValueError):  # no console source here: codes are shown as they are
        return {}
    return words


def label(dictionary: str, value: str | None) -> str:
    """The Chinese label of `value`; the value itself when unlisted, — when empty."""
    if value is None or value == "":
        return "—"
    return _dictionary().get(dictionary, {}).get(value, value)
