"""The hub's refusals in the console, in a real browser: shown in Chinese only, the hub's
English kept as the shown element's title (console/src/refusals.ts, through api.ts, so
every screen does it): another officer's case typed into the address bar, a case number
that is none, and a file refused whole at 数据上报."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote

from playwright.sync_api import Locator, expect

from tests.console.browsing import PASSWORD, Visit, sign_in
from tests.console.test_case_page import no_trouble
from tests.console.test_clerk import signed_in_clerk
from tests.graphql.conftest import Hub

LATIN = re.compile(r"[A-Za-z]")


def opened_by_address(visit: Visit, hub: Hub, officer: str, case_number: str) -> dict[str, str]:
    """Signs the officer in and types the case's address; the hub's GraphQL error."""
    page = visit.page
    page.goto(f"{hub.url}/")
    sign_in(page, officer, PASSWORD)
    expect(page.locator("[data-test=my-cases] tbody tr").first).to_be_visible()
    with page.expect_response(lambda r: r.url.endswith("/graphql")) as answered:
        page.goto(f"{hub.url}/#/case/{quote(case_number, safe='')}")
    error: dict[str, str] = answered.value.json()["errors"][0]
    return {"code": error["extensions"]["code"], "message": error["message"]}  # type: ignore[index]


def shown(visit: Visit, test_id: str) -> Locator:
    return visit.page.locator(f"[data-test={test_id}] .el-alert__title")


def test_another_officers_case_says_no_access_in_chinese_with_the_reason_as_title(
    hub: Hub, visit: Visit, officer: str
) -> None:
    others = [o for o in hub.manifest.officers if o != hub.manifest.scenarios.officer_id]
    theirs = next(
        case["caseNumber"]
        for other in others
        for case in hub.post("{ myCases { caseNumber } }", token=hub.token("officer", other))[
            "data"
        ]["myCases"]
    )

    refusal = opened_by_address(visit, hub, officer, theirs)

    assert refusal["code"] == "FORBIDDEN"
    assert not re.search(r"[\u4e00-\u9fff]{2}", refusal["message"].replace(theirs, ""))
    error = shown(visit, "case-error")
    expect(error).to_have_text("无权访问")  # an English-only refusal: what its code means
    expect(error).to_have_attribute("title", refusal["message"])
    no_trouble(visit, hub)


def test_a_case_number_that_is_none_is_said_in_chinese_with_the_english_as_title(
    hub: Hub, visit: Visit, officer: str
) -> None:
    refusal = opened_by_address(visit, hub, officer, "2024-0821-1")

    assert refusal["code"] == "BAD_USER_INPUT"
    english, chinese = refusal["message"].split(" / ")
    error = shown(visit, "case-error")
    expect(error).to_have_text(f"输入有误：{chinese}")
    expect(error).to_have_attribute("title", english)
    assert not LATIN.search(error.inner_text())
    no_trouble(visit, hub)


def test_a_file_refused_whole_is_said_in_chinese_with_the_english_as_title(
    hub: Hub, visit: Visit, accounts: Callable[..., str], tmp_path: Path
) -> None:
    clerk = accounts("psb.clerk", "department", "psb-clerk-1", "psb")
    page = signed_in_clerk(visit, hub, clerk)
    path = tmp_path / "户籍人口.csv"
    path.write_text("姓名,电话\n张三,13800000000\n", encoding="utf-8")
    page.locator("[data-test=upload-dataset]").click()
    page.get_by_role("option", name="户籍人口（psb.persons）").click()
    page.locator("[data-test=upload-file]").set_input_files(path)
    with page.expect_response(lambda r: "/ingest/" in r.url) as answered:
        page.locator("[data-test=upload-send]").click()

    assert answered.value.status == 400
    answer = answered.value.json()
    error = shown(visit, "upload-refused")
    expect(error).to_contain_text(answer["reason_zh"])
    expect(error).to_have_attribute("title", answer["reason_en"])
    expect(error).not_to_contain_text("the header lacks")
    assert visit.elsewhere(hub.url) == []
    assert [p for p in visit.problems if "status of 400" not in p] == []  # the refusal's own
