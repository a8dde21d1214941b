"""The GraphQL IDE works with no internet access: the page and everything it loads come
from the hub itself, and it opens with the example queries."""

from __future__ import annotations

import re

import httpx

from hub.graphql.examples import EXAMPLES
from tests.graphql.conftest import Hub

CDN = re.compile(r"//(?:unpkg\.com|cdn\.jsdelivr\.net|cdnjs\.cloudflare\.com)")
REFERENCE = re.compile(r"""(?:src|href)\s*=\s*["']([^"']+)["']""", re.IGNORECASE)


def test_ide_page_and_all_its_assets_come_from_the_hub(hub: Hub) -> None:
    page = httpx.get(f"{hub.url}/graphql", headers={"Accept": "text/html"}, timeout=10)
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    references = REFERENCE.findall(page.text)
    assert len(references) >= 4  # stylesheet, react, react-dom, graphiql
    for reference in references:
        assert reference.startswith("/") and not reference.startswith("//"), reference
        asset = httpx.get(f"{hub.url}{reference}", timeout=10)
        assert asset.status_code == 200, reference
        assert len(asset.content) > 1_000, reference
        kind = "text/css" if reference.endswith(".css") else "text/javascript"
        assert asset.headers["content-type"].startswith(kind)
        assert not CDN.search(asset.text), reference
    assert not CDN.search(page.text)
    for example in EXAMPLES:
        operation = example.query.split("{", 1)[0].split()[-1]
        assert operation in page.text


def test_only_the_ides_own_files_are_served(hub: Hub) -> None:
    for name in ("..%2F..%2Fsettings.py", "views.py", "__init__.py"):
        assert httpx.get(f"{hub.url}/graphql/ide/{name}", timeout=10).status_code == 404


def test_queries_are_not_accepted_over_get(hub: Hub) -> None:
    response = httpx.get(f"{hub.url}/graphql", params={"query": "{ measures { code } }"})
    assert response.status_code != 200 or "data" not in response.text
