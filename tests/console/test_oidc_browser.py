"""Console sign-in through the identity provider in a real browser: 通过统一身份认证登录 →
the provider's page → back at 我的案件 as that officer, whose GraphQL requests are audited
under the provider's subject; and the provider's refusal shown as the hub's page."""

from __future__ import annotations

from urllib.parse import urlsplit

from playwright.sync_api import Request, expect

from tests.console.browsing import Visit, screenshot
from tests.console.oidc_provider import OidcHub
from tests.console.oidc_provider import oidc_hub as oidc_hub
from tests.console.oidc_provider import provider as provider
from tests.console.test_oidc import records


def response_request_id(request: Request) -> str:
    response = request.response()
    assert response is not None, request.url
    request_id: str = response.headers["x-request-id"]
    return request_id


def test_an_officer_signs_in_through_the_provider_in_the_browser(
    oidc_hub: OidcHub, visit: Visit
) -> None:
    officer = oidc_hub.officer_id
    county = oidc_hub.county
    answer = county.post("{ myCases { caseNumber } }", token=county.officer)
    case_numbers = [case["caseNumber"] for case in answer["data"]["myCases"]]
    page = visit.page
    hub_origin = urlsplit(oidc_hub.url)[:2]
    from_hub_pages: list[str] = []  # what the hub's own pages fetched (not navigations)
    page.on(
        "request",
        lambda r: (
            from_hub_pages.append(r.url)
            if urlsplit(page.url)[:2] == hub_origin and not r.is_navigation_request()
            else None
        ),
    )
    page.goto(f"{oidc_hub.url}/")
    button = page.locator("[data-test=provider-sign-in]")
    expect(button).to_have_text("通过统一身份认证登录")
    expect(page.get_by_placeholder("密码")).to_be_visible()  # passwords stay offered
    screenshot(page, "sign-in-provider")

    button.click()
    page.wait_for_url(f"{oidc_hub.provider.url}/oauth2/authorize?**")
    page.get_by_role("button", name=officer, exact=True).click()  # the provider's user

    table = page.locator("[data-test=my-cases]")
    for case_number in case_numbers:
        expect(table.get_by_text(case_number, exact=True)).to_be_visible()
    expect(page.locator("[data-test=signed-in-name]")).to_have_text(officer)
    assert urlsplit(page.url)[:2] == urlsplit(oidc_hub.url)[:2]

    [callback] = [r for r in visit.requests if "/session/oidc/callback" in r.url]
    [signed_in] = [
        r for r in records(county, "signIn") if r["requestId"] == response_request_id(callback)
    ]
    assert (signed_in["actor"], signed_in["outcome"]) == (officer, "ALLOWED")
    assert "identity provider" in signed_in["reason"]
    [my_cases] = [
        r for r in visit.requests if r.url.endswith("/graphql") and "myCases" in (r.post_data or "")
    ]
    [audited] = [
        r for r in records(county, "myCases") if r["requestId"] == response_request_id(my_cases)
    ]
    assert (audited["actor"], audited["role"], audited["outcome"]) == (
        officer,
        "officer",
        "ALLOWED",
    )

    page.get_by_role("button", name="退出").click()
    expect(page.locator("[data-test=provider-sign-in]")).to_be_visible()
    assert from_hub_pages and {urlsplit(url)[:2] for url in from_hub_pages} == {hub_origin}
    assert [p for p in visit.problems if "CSP" in p] == []


def test_the_providers_refusal_is_said_in_the_browser(oidc_hub: OidcHub, visit: Visit) -> None:
    page = visit.page
    page.goto(f"{oidc_hub.url}/")
    page.locator("[data-test=provider-sign-in]").click()
    page.wait_for_url(f"{oidc_hub.provider.url}/oauth2/authorize?**")

    page.get_by_role("button", name="Deny").click()

    expect(page.locator("[data-test=reason-zh]")).to_have_text(
        "统一身份认证没有同意登录（access_denied）"
    )
    expect(page.locator("[data-test=reason-en]")).to_contain_text("access_denied")
    screenshot(page, "sign-in-provider-refused")
    page.get_by_role("link", name="返回登录页 / back to sign-in").click()
    expect(page.locator("[data-test=provider-sign-in]")).to_be_visible()
