"""court.cases, court.parties, court.dishonest: cases, who is party to them, who is listed."""

from __future__ import annotations

from hub.store import GraphStore
from tests.connectors.conftest import Load
from tests.connectors.helpers import enterprise_id, person_id, snapshot

CASE = "（2024）吉0821执123号"
DEBTOR, CREDITOR = person_id(40), enterprise_id(40)
CASES = """case_number,case_type,court,filed_at,status,amount,outstanding_amount,officer_id
(2024)吉0821执123号,执行实施,镇赉县人民法院,2024-03-09,执行中,75967.07,49558.29,fy0821-006
（2024）吉0821执124号,bankruptcy,镇赉县人民法院,20240310,closed,100,,fy0821-002
"""
PARTIES = f"""case_number,party_id,party_type,party_name,role
{CASE},{CREDITOR},enterprise,某建筑公司,申请执行人
{CASE},{DEBTOR},,刘岩,respondent
"""


async def test_cases_load_with_exact_amounts(store: GraphStore, load: Load) -> None:
    report = await load("court.cases", CASES)

    assert report.created == 2
    case = (await snapshot(store)).props(CASE)  # ASCII brackets were normalised
    assert (case["case_type"], case["status"], case["officer_id"]) == (
        "enforcement",
        "open",
        "fy0821-006",
    )
    assert (case["amount"], case["outstanding_amount"]) == ("75967.07", "49558.29")
    assert case["filed_at"] == "2024-03-09"


async def test_parties_may_come_before_their_case(store: GraphStore, load: Load) -> None:
    parties = await load("court.parties", PARTIES)
    assert (parties.created, parties.parties_created) == (2, 2)
    bare = (await snapshot(store)).props(CASE)
    assert "court" not in bare and bare["source"] == "court"

    cases = await load("court.cases", CASES)

    assert cases.created == 2  # the bare case counts as created: court.cases had not published it
    graph = await snapshot(store)
    assert graph.props(CASE)["court"] == "镇赉县人民法院"
    roles = sorted((a, p["role"]) for a, b, p in graph.edges("PARTY_TO") if b == CASE)
    assert roles == sorted([(CREDITOR, "applicant"), (DEBTOR, "respondent")])
    assert graph.props(DEBTOR)["name"] == "刘岩"
    again = await load("court.parties", PARTIES)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)


async def test_the_dishonest_list_and_its_removals(store: GraphStore, load: Load) -> None:
    listed = f"""case_number,subject_id,subject_type,subject_name,listed_at,removed_at,reason
{CASE},{DEBTOR},person,刘岩,2024-04-29,,违反财产报告制度
"""
    await load("court.dishonest", listed)
    removed = listed.replace("2024-04-29,,", "2024-04-29,2024-09-17,")

    report = await load("court.dishonest", removed)

    assert (report.created, report.updated) == (0, 1)
    [(subject, case, props)] = (await snapshot(store)).edges("LISTED_DISHONEST")
    assert (subject, case) == (DEBTOR, CASE)
    assert (props["listed_at"], props["removed_at"]) == ("2024-04-29", "2024-09-17")
    assert props["reason"] == "违反财产报告制度"


async def test_a_removal_before_the_listing_is_rejected(store: GraphStore, load: Load) -> None:
    rows = f"""case_number,subject_id,listed_at,removed_at
{CASE},{DEBTOR},2024-04-29,2024-01-01
"""
    report = await load("court.dishonest", rows)

    assert report.rows_rejected == 1
    [reject] = report.rejects
    assert (reject.line, reject.column) == (2, "removed_at")
    assert "早于" in reject.reason_zh and "before" in reject.reason_en
