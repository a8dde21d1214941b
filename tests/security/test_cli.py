"""`hub audit verify` and `hub token issue`, run as the operator runs them: in a process."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from hub.security.audit import AuditFilter, AuditLog
from hub.security.tokens import TokenVerifier
from hub.settings import Settings
from hub.store import GraphStore
from schema.departments import default_departments
from tests.security.audit_records import record
from tests.security.support import TEST_SECRET, run_hub, with_test_secret


@pytest.fixture
def settings(
    settings_for: Callable[[str, str], Settings], engine: str, graph_name: str
) -> Settings:
    return with_test_secret(settings_for(engine, graph_name))


async def test_audit_verify_says_ok_with_the_count_of_an_intact_chain(
    store: GraphStore, settings: Settings, tmp_path: Path
) -> None:
    audit = AuditLog(store.audit_store())  # where the command line looks for it
    for n in range(4):
        await audit.append(record(n))

    done = run_hub(settings, "audit", "verify", cwd=tmp_path)

    assert (done.returncode, done.stdout.strip()) == (0, "ok: 4 records")


async def test_audit_verify_exits_1_naming_the_first_broken_record(
    store: GraphStore, settings: Settings, tmp_path: Path
) -> None:
    audit = AuditLog(store.audit_store())  # where the command line looks for it
    for n in range(4):
        await audit.append(record(n))
    await store.audit_store().write("test_security_audit_tamper", {"seq": 2, "actor": "nobody"})

    done = run_hub(settings, "audit", "verify", cwd=tmp_path)

    assert done.returncode == 1
    assert "broken at record 2: record 2 does not match its hash" in done.stderr
    assert done.stdout == ""


async def test_token_issue_prints_only_a_token_the_hub_accepts(
    settings: Settings, tmp_path: Path
) -> None:
    done = run_hub(
        settings,
        "token", "issue", "--role", "department", "--subject", "psb-sys",
        "--department", "psb", "--ttl", "30m",
        cwd=tmp_path,
    )  # fmt: skip

    assert done.returncode == 0, done.stderr
    [token] = done.stdout.splitlines()
    principal = await TokenVerifier(settings, default_departments()).verify(f"Bearer {token}")
    assert (principal.role, principal.subject, principal.department) == (
        "department",
        "psb-sys",
        "psb",
    )
    assert TEST_SECRET not in done.stdout + done.stderr


async def test_token_issue_is_audited_without_the_token(
    store: GraphStore, settings: Settings, tmp_path: Path
) -> None:
    done = run_hub(
        settings,
        "token", "issue", "--role", "department", "--subject", "bank-sys",
        "--department", "bank", "--ttl", "90d",
        cwd=tmp_path,
    )  # fmt: skip

    assert done.returncode == 0, done.stderr
    [event] = (await AuditLog(store.audit_store()).events(AuditFilter(), 10, None)).events
    assert (event.operation, event.role, event.department, event.outcome) == (
        "tokenIssue",
        "operator",
        "bank",
        "ALLOWED",
    )
    assert (event.actor or "").startswith("cli:")
    assert event.reason is not None and "department bank-sys" in event.reason
    assert done.stdout.strip() not in str(event.to_dict())


@pytest.mark.parametrize(
    ("arguments", "complaint"),
    [
        (["--role", "root", "--subject", "x"], "--role 'root'"),
        (["--role", "department", "--subject", "x"], "needs --department"),
        (["--role", "department", "--subject", "x", "--department", "nowhere"], "'nowhere'"),
        (["--role", "officer", "--subject", "x", "--ttl", "forever"], "--ttl 'forever'"),
    ],
)
def test_token_issue_refuses_what_it_cannot_issue(
    settings: Settings, tmp_path: Path, arguments: list[str], complaint: str
) -> None:
    done = run_hub(settings, "token", "issue", *arguments, cwd=tmp_path)

    assert done.returncode == 1
    assert complaint in done.stderr
    assert done.stdout == ""
