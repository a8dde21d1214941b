"""bank.accounts, and the stub-then-complete rule for parties banks report before psb does."""

from __future__ import annotations

from hub.store import GraphStore
from schema.departments import Department
from tests.connectors.conftest import Load
from tests.connectors.helpers import csv_text, enterprise_id, person_id, snapshot

HOLDER, COMPANY = person_id(20, "F"), enterprise_id(20)
ACCOUNTS = csv_text(
    "bank_code,bank_name,account_number,holder_id,holder_type,holder_name,account_type,"
    "balance,currency,balance_as_of,status,opened_at",
    f"ICBC,中国工商银行镇赉支行,6222 0214 8005 7666,{HOLDER},,杨小红,借记卡,"
    '"4,017.7",,2024-12-31,正常,2023-04-14',
    f"ICBC,中国工商银行镇赉支行,6222021480057667,{COMPANY},enterprise,某公司,基本户,"
    "0,CNY,20241231,冻结,",
    f"ABC,,6228481500021666,{HOLDER},person,杨某,,125000.50,cny,2024-12-31,closed,",
)


async def test_accounts_load_at_their_bank_with_exact_balances(
    store: GraphStore, load: Load
) -> None:
    report = await load("bank.accounts", ACCOUNTS)

    assert (report.rows_accepted, report.created, report.parties_created) == (3, 3, 2)
    graph = await snapshot(store)
    account = graph.props("ICBC:6222021480057666")
    assert account["balance"] == "4017.70"
    assert (account["currency"], account["status"]) == ("CNY", "normal")
    assert account["balance_as_of"] == "2024-12-31"
    assert graph.props("ABC:6228481500021666")["balance"] == "125000.50"
    assert graph.props("ICBC:6222021480057667")["status"] == "frozen"
    assert graph.props("ICBC")["name"] == "中国工商银行镇赉支行"
    assert "name" not in graph.props("ABC")
    assert sorted(b for _, b, _ in graph.edges("AT_BANK")) == ["ABC", "ICBC", "ICBC"]
    holders = sorted((a, b) for a, b, _ in graph.edges("HOLDS_ACCOUNT"))
    assert holders == sorted(
        [
            (HOLDER, "ICBC:6222021480057666"),
            (COMPANY, "ICBC:6222021480057667"),
            (HOLDER, "ABC:6228481500021666"),
        ]
    )
    again = await load("bank.accounts", ACCOUNTS)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)


async def test_a_bank_holder_is_an_unverified_stub_until_psb_completes_it(
    store: GraphStore, load: Load
) -> None:
    await load("bank.accounts", ACCOUNTS)
    stub = (await snapshot(store)).props(HOLDER)
    assert (stub["name"], stub["verified"]) == ("杨小红", False)  # the first name given
    assert stub["source"] == "bank"

    await load("psb.persons", f"id_number,name,gender\n{HOLDER},杨晓红,女\n")

    graph = await snapshot(store)
    person = graph.props(HOLDER)
    assert (person["name"], person["gender"], person["verified"]) == ("杨晓红", "F", True)
    assert person["source"] == "psb"
    assert len([key for key in graph.with_label("Party") if key == HOLDER]) == 1
    assert len(graph.edges("HOLDS_ACCOUNT")) == 3  # the accounts hang on the completed node

    # Banks never overwrite what psb published, whatever name they send.
    renamed = (
        ACCOUNTS.replace("杨小红", "错名字").replace("杨某", "错名字").replace("4,017.7", "1.00")
    )
    report = await load("bank.accounts", renamed)
    assert report.updated == 1  # the balance; holder names are not account data
    assert (await snapshot(store)).props(HOLDER)["name"] == "杨晓红"


async def test_a_new_holder_replaces_the_old_one(store: GraphStore, load: Load) -> None:
    await load("bank.accounts", ACCOUNTS)
    moved = csv_text(
        "bank_code,account_number,holder_id,balance,balance_as_of",
        f"ABC,6228481500021666,{COMPANY},1,2025-01-31",
    )

    await load("bank.accounts", moved)

    graph = await snapshot(store)
    holders = {a for a, b, _ in graph.edges("HOLDS_ACCOUNT") if b == "ABC:6228481500021666"}
    assert holders == {COMPANY}
    assert graph.props("ABC:6228481500021666")["balance_as_of"] == "2025-01-31"


async def test_each_bank_is_its_own_department(store: GraphStore, load: Load) -> None:
    icbc = Department("icbc-zhenlai", "bank", "工商银行镇赉支行")

    report = await load("bank.accounts", ACCOUNTS, department=icbc)

    assert report.department == "icbc-zhenlai"
    assert (await snapshot(store)).props("ICBC:6222021480057666")["source"] == "icbc-zhenlai"


async def test_a_stub_takes_the_first_name_any_row_gives_it(store: GraphStore, load: Load) -> None:
    stranger = person_id(21)
    header = "bank_code,account_number,holder_id,holder_name,balance,balance_as_of"
    nameless_first = csv_text(
        header, f"ICBC,1,{stranger},,1,2024-01-01", f"ICBC,2,{stranger},周某,1,2024-01-01"
    )
    await load("bank.accounts", nameless_first)
    assert (await snapshot(store)).props(stranger)["name"] == "周某"

    await load("bank.accounts", csv_text(header, f"ABC,3,{stranger},吴某,1,2024-01-01"))

    stub = (await snapshot(store)).props(stranger)
    assert (stub["name"], stub["verified"]) == ("周某", False)
