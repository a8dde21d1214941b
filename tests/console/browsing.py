"""What the browser tests share: a visit that records every request and every error the
page reports (CSP violations included), signing in, same-origin checks and screenshots."""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlsplit

from playwright.sync_api import ConsoleMessage, Page, Request, expect

PASSWORD = "执行局-correct horse battery"
expect.set_options(timeout=20_000)  # each sign-in is an argon2id check, slow by design
SHOTS = os.environ.get("HUB_CONSOLE_SCREENSHOTS")

# Runs before the page's own scripts (injected by the browser, so the CSP does not apply to
# it): every violation the browser sees is logged as an error, which Visit collects.
REPORT_CSP_VIOLATIONS = """
document.addEventListener('securitypolicyviolation', e => console.error(
  `CSP violation: ${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`))
"""


def screenshot(page: Page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)


class Visit:
    """A browser page on the console, with every request it made and every console error."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.requests: list[Request] = []
        self.problems: list[str] = []
        page.add_init_script(REPORT_CSP_VIOLATIONS)
        page.on("request", lambda request: self.requests.append(request))
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.problems.append(f"page error: {error}"))

    def _console(self, message: ConsoleMessage) -> None:
        if message.type == "error" and "status of 401" not in message.text:
            self.problems.append(message.text)  # a CSP violation is reported here

    def downloaded_bytes(self) -> int:
        """What the browser received over the wire for its requests (compressed bodies)."""
        total = 0
        for request in self.requests:
            if request.response() is not None:
                sizes = request.sizes()
                total += sizes["responseBodySize"] + sizes["responseHeadersSize"]
        return total

    def elsewhere(self, hub_url: str) -> list[str]:
        """The requests that went anywhere but the hub (a blob: URL of the hub's own origin,
        as a download made in the page is, counts as the hub's)."""
        hub_origin = urlsplit(hub_url)[:2]
        return [
            r.url for r in self.requests if urlsplit(r.url.removeprefix("blob:"))[:2] != hub_origin
        ]


def sign_in(page: Page, name: str, password: str, *, click: bool = True) -> None:
    page.get_by_placeholder("用户名").fill(name)
    page.get_by_placeholder("密码").fill(password)
    if click:
        page.get_by_role("button", name="登录").click()
