"""`hub serve` (hence `make run`) says where the console is and how to make the first
account, and the console is there."""

from __future__ import annotations

import re
from pathlib import Path

from tests.test_serve import serve, stop, wait_for


def test_hub_serve_prints_the_console_address_and_the_first_account_command(
    tmp_path: Path,
) -> None:
    url, process = serve(tmp_path, "--demo")
    try:
        assert process.stdout is not None
        said: list[str] = []
        while not any("user add" in line for line in said) and len(said) < 30:
            said.append(process.stdout.readline())
        wait_for(f"{url}/healthz", 200)
        page = wait_for(f"{url}/", 200)
    finally:
        stop(process)
    text = "".join(said)
    assert f"Console (web console, 控制台): {url}/ " in text, text
    command = re.search(r"(\S*hub) user add --role officer --subject fy0821-001", text)
    assert command and Path(command.group(1)).name == "hub", text
    assert '<div id="app"' in page.text or "<script" in page.text  # the console's page
