"""What the app does for every request: request ids, private logs, size limits, closed CORS,
introspection turned off."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable

import pytest

from hub.settings import Settings
from hub.store import GraphStore
from tests.security.support import app_client, bearer, with_test_secret

ID_NUMBER = "22082119870228123X"
ORIGIN = "https://court-portal.example"
MEASURES = {"query": "{ measures { code } }"}


@pytest.fixture
def settings(
    settings_for: Callable[[str, str], Settings], engine: str, graph_name: str
) -> Settings:
    return with_test_secret(settings_for(engine, graph_name), max_request_bytes=1000)


async def test_each_response_carries_the_hubs_own_request_id(
    store: GraphStore, settings: Settings
) -> None:
    async with app_client(settings, store) as client:
        made = await client.get("/healthz")
        given = await client.get("/healthz", headers={"X-Request-ID": "proxy-7f3a"})
        forged = await client.get("/healthz", headers={"X-Request-ID": "bad id\nforged"})

    # A caller's id is kept apart, as the record's clientRequestId (tests/graphql).
    ids = [r.headers["X-Request-ID"] for r in (made, given, forged)]
    assert all(len(i) == 32 for i in ids) and len(set(ids)) == 3


async def test_the_request_log_names_no_query_string(
    store: GraphStore, settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="hub.requests"):
        async with app_client(settings, store) as client:
            response = await client.get(f"/healthz?idNumber={ID_NUMBER}")

    [line] = [r.getMessage() for r in caplog.records if r.name == "hub.requests"]
    assert line.startswith("GET /healthz 200 ")
    assert response.headers["X-Request-ID"] in line
    assert ID_NUMBER not in caplog.text


async def test_a_request_body_over_the_limit_is_refused_with_413(
    store: GraphStore, settings: Settings
) -> None:
    async with app_client(settings, store) as client:
        response = await client.post(
            "/graphql",
            content=b'{"query": "' + b"x" * 2000 + b'"}',
            headers={"Content-Type": "application/json"},
        )

    assert response.status_code == 413
    assert response.json() == {"error": "the request body is larger than the limit of 1000 bytes"}


async def test_cors_is_closed_by_default(store: GraphStore, settings: Settings) -> None:
    async with app_client(settings, store) as client:
        preflight = await client.options(
            "/graphql",
            headers={"Origin": ORIGIN, "Access-Control-Request-Method": "POST"},
        )
        simple = await client.get("/healthz", headers={"Origin": ORIGIN})

    assert "access-control-allow-origin" not in preflight.headers
    assert "access-control-allow-origin" not in simple.headers


async def test_cors_opens_to_the_listed_origins_only(store: GraphStore, settings: Settings) -> None:
    opened = settings.model_copy(update={"cors_origins": [ORIGIN]})
    async with app_client(opened, store) as client:
        listed = await client.get("/healthz", headers={"Origin": ORIGIN})
        other = await client.get("/healthz", headers={"Origin": "https://elsewhere.example"})

    assert listed.headers["access-control-allow-origin"] == ORIGIN
    assert "access-control-allow-origin" not in other.headers


def test_cors_origins_are_read_comma_separated(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HUB_CORS_ORIGINS", f"{ORIGIN}, https://second.example")

    assert Settings().cors_origins == [ORIGIN, "https://second.example"]


INTROSPECTION = {"query": "{ __schema { queryType { name } } }"}
TYPE_QUERY = {"query": '{ __type(name: "Query") { fields { name } } }'}


@pytest.mark.parametrize("turned_off", [False, True])
async def test_introspection_is_answered_unless_turned_off(
    monkeypatch: pytest.MonkeyPatch,
    settings_for: Callable[[str, str], Settings],
    store: GraphStore,
    engine: str,
    graph_name: str,
    turned_off: bool,
) -> None:
    if turned_off:
        monkeypatch.setenv("HUB_INTROSPECTION", "false")
    configured = with_test_secret(settings_for(engine, graph_name))
    async with app_client(configured, store) as client:
        answers = [
            (await client.post("/graphql", json=body, headers=bearer("auditor"))).json()
            for body in (INTROSPECTION, TYPE_QUERY)
        ]
        data = await client.post("/graphql", json=MEASURES, headers=bearer("officer"))

    if turned_off:
        for answer in answers:
            assert answer["data"] is None, answer
            assert answer["errors"], answer
            for error in answer["errors"]:
                assert error["extensions"]["code"] == "BAD_USER_INPUT"
                assert error["message"].startswith("GraphQL introspection has been disabled")
            assert "Query" not in str(answer)  # nothing of the schema
    else:
        assert answers[0] == {"data": {"__schema": {"queryType": {"name": "Query"}}}}
        names = {field["name"] for field in answers[1]["data"]["__type"]["fields"]}
        assert {"tracePerson", "locateAssets", "creditCheck"} <= names
    assert "errors" not in data.json()  # turned off or not, the data is served


async def test_a_streamed_request_body_over_the_limit_is_refused_with_413(
    store: GraphStore, settings: Settings
) -> None:
    async def chunks() -> AsyncIterator[bytes]:
        yield b'{"query": "'
        for _ in range(5):
            yield b"x" * 500
        yield b'"}'

    async with app_client(settings, store) as client:
        response = await client.post(
            "/graphql", content=chunks(), headers={"Content-Type": "application/json"}
        )

    assert response.status_code == 413
