"""What `hub serve` says when it starts: where the console is and how to make the first
account (accounts are made on the server: docs/console.md, "Making an account")."""

from __future__ import annotations

import sys
from pathlib import Path

from hub.console.pages import DIST


def _hub_command() -> str:
    """The `hub` this process was started as (.venv/bin/hub under `make run`)."""
    started_as = sys.argv[0] if sys.argv else ""
    return started_as if Path(started_as).name == "hub" else "hub"


def startup_message(host: str, port: int, *, demo: bool = False) -> str:
    # Listening on every address: loopback is one of them (shown, not bound).
    shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host  # noqa: S104
    address = f"[{shown}]" if ":" in shown else shown
    console = f"http://{address}:{port}/"
    built = (DIST / "index.html").is_file()
    subject = "fy0821-001  (the demo county's officer)" if demo else "<officer id>"
    lines = [
        f"Console (web console, 控制台): {console}  — the API: {console}graphql",
        "The first account: from this directory, while the hub runs (the password is asked):",
        f"  {_hub_command()} user add --role officer --subject {subject}",
        "  (others: --role department --department <code>, --role auditor or admin; hub user list)",
    ]
    if not built:
        lines.insert(1, "The console is not built: run `make install` (the API works without it).")
    return "\n".join(lines)
