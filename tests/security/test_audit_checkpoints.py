"""Signed checkpoints: a chain rewritten or cut short by someone holding the store, but not
the signing key, is caught by `hub audit verify`, `verifyAuditChain` and the standalone
verifier, though every hash and link was recomputed and the head moved."""

from __future__ import annotations

import base64
import json
import re
import shutil
import stat
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from hub.security.audit import AuditLog
from hub.security.audit.checkpoints import (
    CHECKPOINT_FILE,
    KEY_FILE,
    audit_dir,
    public_bytes,
    public_pem,
    signing_key,
)
from hub.security.verify_export import checkpoint_bytes, ed25519_verify, key_id, record_hash
from hub.settings import Settings
from hub.store import GraphStore
from tests.security.audit_records import record
from tests.security.support import app_client, bearer, run_hub, with_test_secret

RECORDS = 6
VIA = ["cli", "graphql"]


@pytest.fixture
def settings(
    settings_for: Callable[[str, str], Settings], engine: str, graph_name: str
) -> Settings:
    return with_test_secret(settings_for(engine, graph_name))


async def signed_log(store: GraphStore, settings: Settings) -> list[dict[str, Any]]:
    """Records 1 to 6, the last signed; returns them as stored."""
    audit = AuditLog(store.audit_store(), settings)
    for n in range(RECORDS):
        await audit.append(record(n))
    await audit.close()  # signs seq 6
    return [stored async for stored in audit.export(None, None)]


async def verdict(via: str, store: GraphStore, settings: Settings, cwd: Path) -> dict[str, Any]:
    """ok, firstBadCheckpoint and reason, from the command line or the API."""
    if via == "cli":
        done = run_hub(settings, "audit", "verify", cwd=cwd)
        return {"ok": done.returncode == 0, "reason": done.stderr + done.stdout}
    async with app_client(settings, store) as client:
        answer = await client.post(
            "/graphql",
            json={"query": "{ verifyAuditChain { ok checkpoints firstBadCheckpoint reason } }"},
            headers=bearer("auditor", "auditor-1"),
        )
    result: dict[str, Any] = answer.json()["data"]["verifyAuditChain"]
    return result


async def rewrite(store: GraphStore, records: list[dict[str, Any]], seq: int) -> None:
    """Change record `seq`, recompute its hash and every later one, move the head."""
    audit = store.audit_store()
    prev_hash = records[seq - 2]["hash"] if seq > 1 else "0" * 64
    for stored in records[seq - 1 :]:
        changed = stored | {"prev_hash": prev_hash}
        if stored["seq"] == seq:
            changed["actor"] = "someone-else"
        changed["hash"] = record_hash(changed)
        await audit.write(
            "test_security_audit_rewrite",
            {k: changed[k] for k in ("seq", "actor", "prev_hash", "hash")},
        )
        prev_hash = changed["hash"]
    await audit.write(
        "test_security_audit_move_head", {"seq": records[-1]["seq"], "hash": prev_hash}
    )


async def test_an_untouched_signed_chain_verifies_with_its_checkpoints(
    store: GraphStore, settings: Settings, tmp_path: Path
) -> None:
    await signed_log(store, settings)

    result = await AuditLog(store.audit_store(), settings).verify()
    done = run_hub(settings, "audit", "verify", cwd=tmp_path)

    assert (result.ok, result.checked, result.first_bad_checkpoint) == (True, RECORDS, None)
    assert result.checkpoints >= 1
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"ok: {RECORDS} records, ")


@pytest.mark.parametrize("via", VIA)
async def test_a_rewritten_middle_with_every_hash_recomputed_is_caught(
    store: GraphStore, settings: Settings, tmp_path: Path, via: str
) -> None:
    records = await signed_log(store, settings)
    await rewrite(store, records, seq=4)
    chain_only = await AuditLog(store.audit_store()).verify()  # what verify saw before

    result = await verdict(via, store, settings, tmp_path)

    assert chain_only.ok  # every hash and link checks out
    assert not result["ok"]
    assert "checkpoint at seq 6" in result["reason"]
    assert "another hash at seq 6" in result["reason"]
    if via == "graphql":
        assert result["firstBadCheckpoint"] == 6


@pytest.mark.parametrize("via", VIA)
@pytest.mark.parametrize("store_checkpoint_too", [False, True])
async def test_a_tail_cut_off_with_the_head_moved_back_is_caught(
    store: GraphStore, settings: Settings, tmp_path: Path, via: str, store_checkpoint_too: bool
) -> None:
    records = await signed_log(store, settings)
    audit = store.audit_store()
    for seq in (6, 5):
        await audit.write("test_security_audit_delete", {"seq": seq})
    await audit.write("test_security_audit_move_head", {"seq": 4, "hash": records[3]["hash"]})
    if store_checkpoint_too:  # the file outside the store still has it
        await audit.write("test_security_audit_checkpoint_delete", {"seq": 5})
    chain_only = await AuditLog(store.audit_store()).verify()

    result = await verdict(via, store, settings, tmp_path)

    assert chain_only.ok
    assert not result["ok"]
    assert "checkpoint at seq 6" in result["reason"]
    expected = "not in the audit store" if store_checkpoint_too else "past the head"
    assert expected in result["reason"]
    if via == "graphql":
        assert result["firstBadCheckpoint"] == 6


@pytest.mark.parametrize("via", VIA)
async def test_a_checkpoint_forged_without_the_key_is_caught(
    store: GraphStore, settings: Settings, tmp_path: Path, via: str
) -> None:
    records = await signed_log(store, settings)
    await rewrite(store, records, seq=4)
    [rewritten] = [s async for s in AuditLog(store.audit_store()).export(None, None)][-1:]
    key = signing_key(settings, create=False)
    assert key is not None
    [stored] = [
        row["checkpoint"]
        for row in await store.audit_store().read("audit_checkpoints")
        if row["checkpoint"]["seq"] == 6
    ]
    # Signed by an intruder's key, naming the hub's: only the signature can give it away.
    forged = dict(stored) | {
        "hash": rewritten["hash"],
        "key": key_id(public_bytes(key.public_key())),
    }
    signature = Ed25519PrivateKey.generate().sign(checkpoint_bytes(forged))
    await store.audit_store().write(
        "test_security_audit_checkpoint_forge",
        {"seq": 6, "hash": rewritten["hash"], "signature": base64.b64encode(signature).decode()},
    )

    result = await verdict(via, store, settings, tmp_path)

    assert not result["ok"]
    assert "checkpoint at seq 6: its signature does not verify" in result["reason"]


async def test_verify_with_another_public_key_refuses_every_checkpoint(
    store: GraphStore, settings: Settings, tmp_path: Path
) -> None:
    await signed_log(store, settings)
    other = tmp_path / "other.pem"
    other.write_text(public_pem(Ed25519PrivateKey.generate().public_key()), encoding="ascii")

    done = run_hub(settings, "audit", "verify", "--public-key", str(other), cwd=tmp_path)

    assert done.returncode == 1
    assert "not the audit signing key" in done.stderr


async def test_checkpoints_go_to_the_store_and_the_file_every_few_records(
    store: GraphStore, settings: Settings
) -> None:
    every_3 = settings.model_copy(update={"audit_checkpoint_records": 3})
    audit = AuditLog(store.audit_store(), every_3)
    for n in range(10):
        await audit.append(record(n))
    await audit.close()

    stored = [
        row["checkpoint"]["seq"] for row in await store.audit_store().read("audit_checkpoints")
    ]
    lines = (audit_dir(settings) / CHECKPOINT_FILE).read_text(encoding="utf-8").splitlines()
    filed = [c["seq"] for line in lines if (c := json.loads(line))["log"] == settings.graph_name]

    assert stored == filed
    assert stored[-1] == 10
    # One is started once 3 records are unsigned; those appended while it is written (the
    # test does not wait) go into the next.
    assert all(b - a < 2 * 3 for a, b in zip([0, *stored], stored, strict=False))
    assert len(stored) >= 3


async def test_a_head_long_past_the_newest_checkpoint_fails_the_age_bound(
    store: GraphStore, settings: Settings
) -> None:
    await signed_log(store, settings)
    unsigned = AuditLog(store.audit_store())  # a writer that never signs
    for n in range(3):
        await unsigned.append(record(n))
    strict = settings.model_copy(update={"audit_checkpoint_max_age": 1e-6})

    result = await AuditLog(store.audit_store(), strict).verify()
    lenient = await AuditLog(store.audit_store(), settings).verify()

    assert not result.ok and result.first_bad_checkpoint == 6
    assert result.reason and "the newest" in result.reason
    assert lenient.ok


def test_the_key_file_is_the_owners_only_and_public_key_prints_its_half(
    settings: Settings, tmp_path: Path
) -> None:
    own = settings.model_copy(update={"data_dir": tmp_path / "var"})
    (tmp_path / "var").mkdir()

    first = run_hub(own, "audit", "public-key", cwd=tmp_path)
    second = run_hub(own, "audit", "public-key", cwd=tmp_path)

    key_file = tmp_path / "var" / "audit" / KEY_FILE
    assert first.returncode == 0, first.stderr
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert first.stdout == second.stdout
    assert first.stdout.startswith("-----BEGIN PUBLIC KEY-----")
    key = signing_key(own, create=False)
    assert key is not None and public_pem(key.public_key()) == first.stdout


async def test_the_standalone_verifier_checks_an_export_against_the_checkpoints(
    store: GraphStore, settings: Settings, tmp_path: Path
) -> None:
    records = await signed_log(store, settings)
    key = signing_key(settings, create=False)
    assert key is not None
    pem = tmp_path / "hub.pem"
    pem.write_text(public_pem(key.public_key()), encoding="ascii")
    checkpoints = audit_dir(settings) / CHECKPOINT_FILE
    export = tmp_path / "audit.jsonl"

    def standalone() -> subprocess.CompletedProcess[str]:
        command = [
            sys.executable, "hub/security/verify_export.py", str(export),
            "--checkpoints", str(checkpoints), "--public-key", str(pem),
            "--log", settings.graph_name,
        ]  # fmt: skip
        root = Path(__file__).parents[2]
        return subprocess.run(command, cwd=root, capture_output=True, text=True, timeout=60)

    export.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    intact = standalone()
    await rewrite(store, records, seq=4)
    rewritten = [s async for s in AuditLog(store.audit_store()).export(None, None)]
    export.write_text("".join(json.dumps(r) + "\n" for r in rewritten), encoding="utf-8")
    caught = standalone()

    assert intact.returncode == 0, intact.stdout
    assert "signed checkpoints check out, the last at seq 6" in intact.stdout
    assert caught.returncode == 1
    assert "(seq 6): the checkpoint signed at" in caught.stdout


def test_the_standalone_ed25519_check_agrees_with_the_library() -> None:
    key = Ed25519PrivateKey.generate()
    public = key.public_key().public_bytes_raw()
    message = "审计 checkpoint".encode()
    signature = key.sign(message)

    assert ed25519_verify(public, message, signature)
    assert not ed25519_verify(public, message + b"!", signature)
    assert not ed25519_verify(public, message, signature[:-1] + bytes([signature[-1] ^ 1]))
    other = Ed25519PrivateKey.generate().public_key().public_bytes_raw()
    assert not ed25519_verify(other, message, signature)


async def test_the_documented_openssl_check_verifies_a_checkpoint_and_refuses_a_forgery(
    store: GraphStore, settings: Settings, tmp_path: Path
) -> None:
    if not (shutil.which("jq") and shutil.which("openssl")):
        pytest.skip("the documented check needs jq and openssl")
    docs = (Path(__file__).parents[2] / "docs" / "audit.md").read_text(encoding="utf-8")
    found = re.search(r"The same check with standard tools.*?```bash\n(.*?)```", docs, re.DOTALL)
    assert found, "docs/audit.md has no openssl check"
    script = found[1]
    await signed_log(store, settings)
    key = signing_key(settings, create=False)
    assert key is not None
    (tmp_path / "hub-audit.pem").write_text(public_pem(key.public_key()), encoding="ascii")
    lines = (audit_dir(settings) / CHECKPOINT_FILE).read_text(encoding="utf-8").splitlines()
    mine = [line for line in lines if json.loads(line)["log"] == settings.graph_name]

    def check(line: str) -> subprocess.CompletedProcess[str]:
        (tmp_path / "checkpoints.jsonl").write_text(line + "\n", encoding="utf-8")
        return subprocess.run(
            ["bash", "-c", script], cwd=tmp_path, capture_output=True, text=True, timeout=60
        )

    genuine = check(mine[-1])
    forged = check(mine[-1].replace('"seq":6', '"seq":7'))

    assert genuine.returncode == 0 and "Signature Verified Successfully" in genuine.stdout
    assert forged.returncode != 0
