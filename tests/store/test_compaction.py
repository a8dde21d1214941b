"""A command that started the embedded store rewrites its append-only file on stopping it
after a large load, so that the next start reads a snapshot instead of replaying every
write (`EmbeddedServer.compact`); after a small one it leaves the file be."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from hub.cli import app
from hub.settings import get_settings
from hub.store import embedded
from tests.connectors.helpers import person_id

PERSONS = "id_number,name\n" + "".join(f"{person_id(n)},张{n}\n" for n in range(1, 201))


@pytest.fixture
def own_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A data directory no server runs for: `hub` starts and stops its own store."""
    data_dir = tmp_path / "var"
    monkeypatch.setenv("HUB_GRAPH_URI", "embedded")
    monkeypatch.setenv("HUB_DATA_DIR", str(data_dir))
    monkeypatch.delenv("HUB_GRAPH_DATABASE", raising=False)
    monkeypatch.delenv("HUB_DEPARTMENTS_FILE", raising=False)
    get_settings.cache_clear()
    yield data_dir
    get_settings.cache_clear()


def hub(*args: str) -> Result:
    return CliRunner().invoke(app, list(args))


def base_files(data_dir: Path) -> list[int]:
    """The sequence numbers of the append-only file's bases (1 until a rewrite)."""
    folder = data_dir / "graph" / "appendonlydir"
    return [int(m.group(1)) for p in folder.iterdir() if (m := re.search(r"\.(\d+)\.base", p.name))]


def ingest(data_dir: Path, tmp_path: Path) -> None:
    persons = tmp_path / "persons.csv"
    persons.write_text(PERSONS, encoding="utf-8")
    result = hub("ingest", "--init", "psb.persons", str(persons))
    assert result.exit_code == 0, result.output


def test_a_large_load_is_rewritten_into_the_base_when_the_store_stops(
    own_data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(embedded, "AOF_COMPACT_MIN_BYTES", 1)  # this load counts as large

    ingest(own_data_dir, tmp_path)

    assert base_files(own_data_dir) == [2]
    runs = hub("runs", "--json")  # a start from the rewritten base: the run is there
    assert runs.exit_code == 0, runs.output
    [run] = json.loads(runs.stdout)
    assert (run["dataset"], run["rows_accepted"], run["created"]) == ("psb.persons", 200, 200)


def test_a_small_load_leaves_the_append_only_file_as_it_is(
    own_data_dir: Path, tmp_path: Path
) -> None:
    ingest(own_data_dir, tmp_path)

    assert base_files(own_data_dir) == [1]
