"""`hub audit export` and the outside auditor's checks: the standalone verifier and jq."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from hub.security.audit import AuditFilter, AuditLog
from hub.settings import Settings
from hub.store import GraphStore
from tests.security.audit_records import record
from tests.security.support import run_hub, with_test_secret

DOCS = Path(__file__).parents[2] / "docs" / "audit.md"
REASON = '查询目的：执行 "案件"\n第二行'  # quotes, a line break, non-ASCII: all must hash alike


@pytest.fixture
def settings(
    settings_for: Callable[[str, str], Settings], engine: str, graph_name: str
) -> Settings:
    return with_test_secret(settings_for(engine, graph_name))


@pytest.fixture
async def exported(store: GraphStore, settings: Settings, tmp_path: Path) -> Path:
    audit = AuditLog(store.audit_store())  # where the command line looks for it
    for n in range(5):
        await audit.append(record(n, reason=REASON, subjects=("S1", "S2")))
    await audit.append(record(99, subjects=(), case_number=None))
    out = tmp_path / "audit.jsonl"
    done = run_hub(settings, "audit", "export", "--out", str(out), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    return out


def standalone_check(path: Path) -> subprocess.CompletedProcess[str]:
    """The verifier as an outside auditor runs it: a copy of the one file, outside the repo."""
    copy = path.parent / "verify_export.py"
    shutil.copy(Path(__file__).parents[2] / "hub" / "security" / "verify_export.py", copy)
    return subprocess.run(
        [sys.executable, "-I", str(copy), str(path)],
        capture_output=True,
        text=True,
        cwd=path.parent,
        timeout=60,
    )


def lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


async def test_an_export_holds_every_record_as_stored_and_is_itself_audited(
    exported: Path, store: GraphStore
) -> None:
    records = [json.loads(line) for line in lines(exported)]

    assert [r["seq"] for r in records] == [1, 2, 3, 4, 5, 6]
    assert records[0]["reason"] == REASON
    result = await AuditLog(store.audit_store()).verify()
    assert result.ok and result.checked == 7  # the export's own record came after it
    page = await AuditLog(store.audit_store()).events(AuditFilter(), 1, None)
    own = page.events[0]
    assert (own.operation, own.role, own.result_count) == ("auditExport", "operator", 6)
    assert (own.actor or "").startswith("cli:")


def test_an_export_file_is_readable_by_its_owner_only(exported: Path) -> None:
    assert oct(exported.stat().st_mode & 0o777) == "0o600"


def test_the_standalone_verifier_accepts_a_good_export(exported: Path) -> None:
    done = standalone_check(exported)

    assert done.returncode == 0, done.stdout
    assert done.stdout.splitlines()[0] == "ok: 6 records, seq 1 to 6"


def test_the_module_runs_as_documented(exported: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "hub.security.verify_export", str(exported)],
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert done.returncode == 0 and done.stdout.startswith("ok: 6 records")


def test_the_standalone_verifier_rejects_a_changed_line(exported: Path) -> None:
    content = lines(exported)
    changed = json.loads(content[2])
    changed["actor"] = "someone-else"
    content[2] = json.dumps(changed, ensure_ascii=False)
    exported.write_text("\n".join(content) + "\n", encoding="utf-8")

    done = standalone_check(exported)

    assert done.returncode == 1
    assert done.stdout.strip() == (
        "broken: line 3 (seq 3): the content does not match its hash (the record was changed)"
    )


def test_the_standalone_verifier_rejects_a_removed_line(exported: Path) -> None:
    content = lines(exported)
    del content[3]
    exported.write_text("\n".join(content) + "\n", encoding="utf-8")

    done = standalone_check(exported)

    assert done.returncode == 1
    assert "line 4 (seq 5): expected seq 4" in done.stdout


def test_the_standalone_verifier_rejects_a_rehashed_line(exported: Path) -> None:
    """Recomputing the changed record's own hash does not help: the next record's link breaks."""
    from hub.security.verify_export import record_hash

    content = lines(exported)
    changed = json.loads(content[1])
    changed["subjects"] = []
    changed["hash"] = record_hash(changed)
    content[1] = json.dumps(changed, ensure_ascii=False)
    exported.write_text("\n".join(content) + "\n", encoding="utf-8")

    done = standalone_check(exported)

    assert done.returncode == 1
    assert "line 3 (seq 3): prev_hash is not the hash of the record before it" in done.stdout


async def test_an_export_of_a_period_is_a_checkable_stretch_of_the_chain(
    exported: Path, settings: Settings, tmp_path: Path
) -> None:
    [third] = [json.loads(line) for line in lines(exported) if json.loads(line)["seq"] == 3]
    period = tmp_path / "period.jsonl"

    done = run_hub(
        settings, "audit", "export", "--from", third["at"], "--out", str(period), cwd=tmp_path
    )
    check = standalone_check(period)

    assert done.returncode == 0, done.stderr
    assert [json.loads(line)["seq"] for line in lines(period)][:4] == [3, 4, 5, 6]
    assert check.returncode == 0
    assert f"the first record follows hash {third['prev_hash']}" in check.stdout


def test_the_documented_jq_and_sha256sum_check_agrees_with_the_hashes(exported: Path) -> None:
    missing = [tool for tool in ("jq", "sha256sum") if shutil.which(tool) is None]
    if missing:
        if os.geteuid() == 0 and Path("/etc/debian_version").exists():
            pytest.fail(f"{missing} missing: `make jq` installs jq (`make test` does)")
        pytest.skip(f"{missing} missing: sudo apt-get install --no-install-recommends jq")
    script = re.search(r"```sh\n(.*?)```", DOCS.read_text(encoding="utf-8"), re.DOTALL)
    assert script, "docs/audit.md has no ```sh block"

    good = subprocess.run(
        ["bash", "-c", script[1], "check", str(exported)],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    content = lines(exported)
    content[0] = content[0].replace('"fy0821-001"', '"fy0821-999"')
    exported.write_text("\n".join(content) + "\n", encoding="utf-8")
    bad = subprocess.run(
        ["bash", "-c", script[1], "check", str(exported)],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip

    assert good.returncode == 0, good.stdout + good.stderr
    assert bad.returncode != 0
    assert "seq 1" in bad.stdout
