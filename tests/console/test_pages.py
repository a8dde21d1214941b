"""The console's pages: the built files with the security headers, and a plain 503 when the
console was not built."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from starlette.applications import Starlette

from hub.console import pages

SCRIPT = "console.log('hub');\n" * 200  # big enough to be gzipped


def client(dist: Path) -> httpx.AsyncClient:
    app = Starlette(routes=pages.routes(dist))
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://hub")


@pytest.fixture
def dist(tmp_path: Path) -> Path:
    (tmp_path / "assets").mkdir()
    (tmp_path / "index.html").write_text(
        '<!doctype html><script type="module" src="/assets/index-abc.js"></script>'
    )
    (tmp_path / "assets" / "index-abc.js").write_text(SCRIPT)
    return tmp_path


def assert_console_headers(response: httpx.Response) -> None:
    assert response.headers["content-security-policy"] == pages.CONTENT_SECURITY_POLICY
    assert "default-src 'self'" in response.headers["content-security-policy"]
    assert "script-src 'self';" in response.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "no-referrer"
    assert response.headers["x-frame-options"] == "DENY"


async def test_the_page_and_its_assets_come_with_the_console_headers(dist: Path) -> None:
    async with client(dist) as http:
        page = await http.get("/")
        script = await http.get("/assets/index-abc.js")
        missing = await http.get("/assets/nothing.js")

    assert page.status_code == 200 and page.text.startswith("<!doctype html>")
    assert page.headers["content-type"] == "text/html; charset=utf-8"
    assert page.headers["cache-control"] == "no-cache"
    assert script.status_code == 200 and script.text == SCRIPT
    assert script.headers["content-type"].startswith("text/javascript")
    assert "immutable" in script.headers["cache-control"]
    assert missing.status_code == 404 and missing.headers["cache-control"] == "no-store"
    for response in (page, script, missing):
        assert_console_headers(response)


async def test_assets_are_gzipped_for_a_browser_that_accepts_it(dist: Path) -> None:
    async with client(dist) as http:
        script = await http.get("/assets/index-abc.js", headers={"Accept-Encoding": "gzip"})

    assert script.headers["content-encoding"] == "gzip"
    assert int(script.headers["content-length"]) < len(SCRIPT) / 10
    assert script.text == SCRIPT  # httpx decoded it
    assert_console_headers(script)


async def test_an_unbuilt_console_answers_503_saying_to_run_make_install(tmp_path: Path) -> None:
    async with client(tmp_path / "dist") as http:
        page = await http.get("/")
        script = await http.get("/assets/index-abc.js")

    assert page.status_code == 503
    assert page.headers["content-type"].startswith("text/plain")
    assert "make install" in page.text
    assert script.status_code == 404
    assert_console_headers(page)


async def test_only_get_and_head_reach_the_page(dist: Path) -> None:
    async with client(dist) as http:
        assert (await http.head("/")).status_code == 200
        assert (await http.post("/")).status_code == 405
