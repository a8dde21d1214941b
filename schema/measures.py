"""The joint credit-punishment measure catalogue (联合惩戒措施目录).

`creditCheck` answers which measures of which department apply to a dishonest judgment
debtor (失信被执行人) or to a responsible person of a listed enterprise. The catalogue is
data, `schema/measures.toml`, explained in `schema/MEASURES.md`; this module loads it
with the standard library only and validates every entry, so a deployment that edits or
replaces the file learns, entry and field named, what is wrong as soon as it is loaded.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final, Literal, cast, get_args

from schema.departments import KINDS

AppliesTo = Literal["PERSON", "ENTERPRISE", "RESPONSIBLE_PERSON"]

APPLIES_TO: Final[tuple[AppliesTo, ...]] = get_args(AppliesTo)
"""PERSON: a listed natural person. ENTERPRISE: a listed entity. RESPONSIBLE_PERSON: the
法定代表人、主要负责人、影响债务履行的直接责任人员 or 实际控制人 of a listed entity."""

DEPARTMENT_KINDS: Final[tuple[str, ...]] = KINDS
"""Department kinds of API.md (`schema.departments.KINDS`): 公安, 市场监管, 银行, 自然资源, 法院,
and `other` for departments that only check credit (财政, 公共资源交易, ...)."""

CATALOGUE_FILE: Final = "measures.toml"

_CODE = re.compile(r"^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*$")
_REQUIRED_TEXT: Final = ("code", "name", "department", "department_name", "legal_basis")
_OPTIONAL_TEXT: Final = ("name_en",)
_KNOWN_FIELDS: Final = frozenset((*_REQUIRED_TEXT, *_OPTIONAL_TEXT, "applies_to"))


@dataclass(frozen=True)
class Measure:
    """One joint-punishment measure and the department that carries it out."""

    code: str
    name: str
    name_en: str
    department: str
    department_name: str
    legal_basis: str
    applies_to: tuple[AppliesTo, ...]


class MeasureCatalogueError(ValueError):
    """The catalogue cannot be used; the message names the file, entry and field."""

    def __init__(self, message: str, *, entry: str | None = None, field: str | None = None):
        super().__init__(message)
        self.entry = entry
        self.field = field


def default_catalogue_path() -> Path:
    """`schema/measures.toml`, located through the installed `schema` package."""
    import schema

    return Path(schema.__file__).parent / CATALOGUE_FILE


def load_measures(path: Path | None = None) -> tuple[Measure, ...]:
    """Read and validate the catalogue at `path` (default: the shipped one).

    Raises MeasureCatalogueError when the file cannot be read or parsed, or when any
    entry lacks a required field, has an unknown field, an empty or non-text value, a
    code that is not UPPER_SNAKE_CASE ASCII or repeats an earlier one, a department that
    is not a department kind, or an `applies_to` that is empty, repeats a value or holds
    an unknown one. Entries are returned in file order.
    """
    source = path if path is not None else default_catalogue_path()
    try:
        with source.open("rb") as handle:
            document = tomllib.load(handle)
    except OSError as exc:
        raise MeasureCatalogueError(f"{source}: cannot read the catalogue: {exc}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise MeasureCatalogueError(f"{source}: not valid TOML: {exc}") from exc

    unexpected = sorted(set(document) - {"measure"})
    if unexpected:
        raise MeasureCatalogueError(
            f"{source}: unknown top-level key(s) {', '.join(unexpected)}; "
            "entries are [[measure]] tables",
            field=unexpected[0],
        )
    entries = document.get("measure")
    if not isinstance(entries, list) or not entries:
        raise MeasureCatalogueError(f"{source}: no [[measure]] entries", field="measure")

    measures: list[Measure] = []
    first_seen: dict[str, str] = {}
    for index, raw in enumerate(entries, start=1):
        if not isinstance(raw, dict):
            raise MeasureCatalogueError(
                f"{source}: measure #{index} is not a table", entry=f"measure #{index}"
            )
        measure = _parse_entry(source, index, cast(Mapping[str, object], raw))
        label = _label(index, measure.code)
        if measure.code in first_seen:
            raise MeasureCatalogueError(
                f"{source}: {label}: field 'code': duplicate code, "
                f"already used by {first_seen[measure.code]}",
                entry=label,
                field="code",
            )
        first_seen[measure.code] = label
        measures.append(measure)
    return tuple(measures)


def measures_for(catalogue: Sequence[Measure], applies_to: AppliesTo) -> tuple[Measure, ...]:
    """The measures of `catalogue` that apply to a subject of kind `applies_to`."""
    if applies_to not in APPLIES_TO:
        raise ValueError(
            f"unknown applies_to {applies_to!r}; expected one of {', '.join(APPLIES_TO)}"
        )
    return tuple(m for m in catalogue if applies_to in m.applies_to)


_Fail = Callable[[str, str], MeasureCatalogueError]
"""Builds the error for one entry from a field name and the problem with it."""


def _label(index: int, code: object) -> str:
    if isinstance(code, str) and code.strip():
        return f"measure #{index} ({code.strip()})"
    return f"measure #{index}"


def _parse_entry(source: Path, index: int, raw: Mapping[str, object]) -> Measure:
    label = _label(index, raw.get("code"))

    def fail(field: str, problem: str) -> MeasureCatalogueError:
        return MeasureCatalogueError(
            f"{source}: {label}: field '{field}': {problem}", entry=label, field=field
        )

    unknown = sorted(set(raw) - _KNOWN_FIELDS)
    if unknown:
        raise fail(unknown[0], f"unknown field (known: {', '.join(sorted(_KNOWN_FIELDS))})")

    text: dict[str, str] = {}
    for field in (*_REQUIRED_TEXT, *_OPTIONAL_TEXT):
        value = raw.get(field)
        if value is None:
            if field in _REQUIRED_TEXT:
                raise fail(field, "missing")
            text[field] = ""
            continue
        if not isinstance(value, str):
            raise fail(field, f"must be text, not {type(value).__name__}")
        if not value.strip():
            raise fail(field, "empty")
        text[field] = value.strip()

    if not _CODE.match(text["code"]):
        raise fail("code", f"{text['code']!r} is not UPPER_SNAKE_CASE ASCII")
    if text["department"] not in DEPARTMENT_KINDS:
        raise fail(
            "department",
            f"unknown department kind {text['department']!r}; "
            f"expected one of {', '.join(DEPARTMENT_KINDS)}",
        )

    return Measure(
        code=text["code"],
        name=text["name"],
        name_en=text["name_en"],
        department=text["department"],
        department_name=text["department_name"],
        legal_basis=text["legal_basis"],
        applies_to=_parse_applies_to(raw.get("applies_to"), fail),
    )


def _parse_applies_to(value: object, fail: _Fail) -> tuple[AppliesTo, ...]:
    if value is None:
        raise fail("applies_to", "missing")
    if not isinstance(value, list) or not value:
        raise fail("applies_to", f"must be a non-empty list drawn from {', '.join(APPLIES_TO)}")
    result: list[AppliesTo] = []
    for item in value:
        if item not in APPLIES_TO:
            raise fail(
                "applies_to",
                f"unknown value {item!r}; expected one of {', '.join(APPLIES_TO)}",
            )
        kind = cast(AppliesTo, item)
        if kind in result:
            raise fail("applies_to", f"{kind} listed twice")
        result.append(kind)
    return tuple(result)
