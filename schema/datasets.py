"""The eleven datasets of DATA-EXCHANGE.md, each declared once: names, columns, keys.

Everything else about a dataset is derived from its spec here (schema/columns.py says
what and where). To add a column, add its `Column` to the dataset below, in the spec's
order; a property (`stored`, the default) reaches the graph through the query's
`row.props` with no other change.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

from schema.columns import Column, DatasetSpec
from schema.fields import Choice

PSB_PERSONS: Final = "psb.persons"
PSB_RELATIONS: Final = "psb.relations"
PSB_VEHICLES: Final = "psb.vehicles"
AMR_ENTERPRISES: Final = "amr.enterprises"
AMR_SHAREHOLDERS: Final = "amr.shareholders"
AMR_EXECUTIVES: Final = "amr.executives"
BANK_ACCOUNTS: Final = "bank.accounts"
NRB_PROPERTIES: Final = "nrb.properties"
COURT_CASES: Final = "court.cases"
COURT_PARTIES: Final = "court.parties"
COURT_DISHONEST: Final = "court.dishonest"

# Parties and other references before the data that points at them, so a load in this order
# creates as few unverified stubs as possible.
DATASETS_IN_LOAD_ORDER: Final[tuple[str, ...]] = (
    PSB_PERSONS,
    PSB_RELATIONS,
    PSB_VEHICLES,
    AMR_ENTERPRISES,
    AMR_SHAREHOLDERS,
    AMR_EXECUTIVES,
    BANK_ACCOUNTS,
    NRB_PROPERTIES,
    COURT_CASES,
    COURT_PARTIES,
    COURT_DISHONEST,
)

# --- enumerations: stored as the English code ------------------------------------------------

GENDER = Choice(M="男", F="女")
PERSON_STATUS = Choice(normal="正常", deceased="死亡", moved_out="迁出")
RELATION = Choice(spouse="配偶", parent="父母", child="子女", sibling="兄弟姐妹", other="其他")
VEHICLE_STATUS = Choice(normal="正常", mortgaged="抵押", sealed="查封", cancelled="注销")
ENTERPRISE_STATUS = Choice(active="存续", revoked="吊销", cancelled="注销")
TITLE = Choice(
    chairman="董事长",
    director="董事",
    supervisor="监事",
    manager="经理",
    cfo="财务负责人",
    actual_controller="实际控制人",
)
ACCOUNT_STATUS = Choice(normal="正常", frozen="冻结", closed="销户")
# Wage accounts must be known whichever form a bank writes (保障农民工工资支付条例 art. 33).
ACCOUNT_TYPE = Choice(
    open_ended=True,
    ordinary="普通",
    wage_special="农民工工资专用账户",
    wage_deposit="工资保证金",
)
USE = Choice(residential="住宅", commercial="商业", industrial="工业", other="其他")
PROPERTY_STATUS = Choice(normal="正常", mortgaged="抵押", sealed="查封")
CASE_TYPE = Choice(enforcement="执行实施", bankruptcy="破产", administrative="行政")
CASE_STATUS = Choice(open="执行中", suspended="终结本次执行", closed="执行完毕")
ROLE = Choice(applicant="申请执行人", respondent="被执行人")

# --- 公安 psb --------------------------------------------------------------------------------

PERSONS = DatasetSpec(
    PSB_PERSONS,
    "户籍人口",
    "psb",
    (
        Column("id_number", "id_number", "公民身份号码", required=True, stored=False),
        Column("name", "text", "姓名", required=True),
        Column("gender", "choice", "性别", choice=GENDER),
        Column("birth_date", "date", "出生日期"),
        Column("ethnicity", "text", "民族"),
        Column("household_address", "address", "户籍地址"),
        Column("residence_address", "address", "居住地址"),
        Column("phone", "phone", "联系电话", stored=False),  # a Phone node, not a property
        Column("status", "choice", "人口状态", choice=PERSON_STATUS),
        Column("updated_at", "timestamp", "更新时间"),
    ),
    key=("id_number",),
    record="Person",
)

RELATIONS = DatasetSpec(
    PSB_RELATIONS,
    "家庭关系",
    "psb",
    (
        Column("id_number", "id_number", "公民身份号码", required=True, stored=False),
        Column("relative_id_number", "id_number", "亲属公民身份号码", required=True, stored=False),
        Column("relation", "choice", "关系", required=True, stored=False, choice=RELATION),
    ),
    key=("id_number", "relative_id_number", "relation"),
    record="RELATIVE",
)

VEHICLES = DatasetSpec(
    PSB_VEHICLES,
    "机动车登记",
    "psb",
    (
        Column("plate_number", "text", "号牌号码", required=True),
        Column("vin", "text", "车辆识别代号", required=True, stored=False),
        Column(
            "owner_id",
            "party",
            "所有人证件号码",
            required=True,
            stored=False,
            party_type="owner_type",
        ),
        Column("owner_type", "party_type", "所有人类型", stored=False, listed=False),
        Column("owner_name", "text", "所有人名称", stored=False),
        Column("brand_model", "text", "品牌型号"),
        Column("registered_at", "date", "登记日期"),
        Column("status", "choice", "车辆状态", choice=VEHICLE_STATUS),
    ),
    key=("vin",),
    record="Vehicle",
)

# --- 市场监管 amr ----------------------------------------------------------------------------

ENTERPRISES = DatasetSpec(
    AMR_ENTERPRISES,
    "企业登记",
    "amr",
    (
        Column("uscc", "uscc", "统一社会信用代码", required=True, stored=False),
        Column("name", "text", "企业名称", required=True),
        Column("enterprise_type", "text", "企业类型"),
        Column("status", "choice", "登记状态", choice=ENTERPRISE_STATUS),
        Column("registered_capital", "money", "注册资本", unit="万元"),
        Column("established_date", "date", "成立日期"),
        Column("address", "address", "住所"),
        Column("legal_rep_id", "id_number", "法定代表人身份号码", required=True, stored=False),
        Column("legal_rep_name", "text", "法定代表人姓名", stored=False),
        Column("updated_at", "timestamp", "更新时间"),
    ),
    key=("uscc",),
    record="Enterprise",
)

SHAREHOLDERS = DatasetSpec(
    AMR_SHAREHOLDERS,
    "股东",
    "amr",
    (
        Column("uscc", "uscc", "统一社会信用代码", required=True, stored=False),
        Column(
            "holder_id",
            "party",
            "股东证件号码",
            required=True,
            stored=False,
            party_type="holder_type",
        ),
        Column("holder_type", "party_type", "股东类型", stored=False),
        Column("holder_name", "text", "股东名称", stored=False),
        Column("share_pct", "percent", "持股比例", required=True),
        Column("subscribed_capital", "money", "认缴出资额", unit="万元"),
        Column("paid_capital", "money", "实缴出资额", unit="万元"),
    ),
    key=("uscc", "holder_id"),
    record="SHAREHOLDER_OF",
)

EXECUTIVES = DatasetSpec(
    AMR_EXECUTIVES,
    "主要人员",
    "amr",
    (
        Column("uscc", "uscc", "统一社会信用代码", required=True, stored=False),
        Column("id_number", "id_number", "公民身份号码", required=True, stored=False),
        Column("name", "text", "姓名", stored=False),
        Column("title", "choice", "职务", stored=False, choice=TITLE),
    ),
    key=("uscc", "id_number", "title"),
    record="EXECUTIVE_OF",
)

# --- 银行 bank -------------------------------------------------------------------------------

ACCOUNTS = DatasetSpec(
    BANK_ACCOUNTS,
    "账户与余额",
    "bank",
    (
        Column("bank_code", "text", "银行代码", required=True),
        Column("bank_name", "text", "银行名称", stored=False),  # the Bank node's name
        Column("account_number", "compact", "账号", required=True),
        Column(
            "holder_id",
            "party",
            "开户人证件号码",
            required=True,
            stored=False,
            party_type="holder_type",
        ),
        Column("holder_type", "party_type", "开户人类型", stored=False),
        Column("holder_name", "text", "开户人名称", stored=False),
        Column("account_type", "choice", "账户类型", choice=ACCOUNT_TYPE),
        Column("balance", "money", "余额", required=True),
        Column("currency", "currency", "币种", default="CNY"),
        Column("balance_as_of", "date", "余额日期", required=True),
        Column("status", "choice", "账户状态", choice=ACCOUNT_STATUS),
        Column("opened_at", "date", "开户日期"),
    ),
    key=("bank_code", "account_number"),
    record="Account",
)

# --- 自然资源 nrb ----------------------------------------------------------------------------

PROPERTIES = DatasetSpec(
    NRB_PROPERTIES,
    "不动产登记",
    "nrb",
    (
        Column("cert_number", "text", "不动产权证号", required=True, stored=False),
        Column(
            "owner_id",
            "party",
            "权利人证件号码",
            required=True,
            stored=False,
            party_type="owner_type",
        ),
        Column("owner_type", "party_type", "权利人类型", stored=False),
        Column("owner_name", "text", "权利人名称", stored=False),
        # Each owner's share is on its OWNS_PROPERTY edge; an empty cell means the whole.
        Column("share_pct", "percent", "份额比例", stored=False, default="100"),
        Column("address", "address", "坐落", required=True),
        Column("area_m2", "area", "面积（平方米）"),
        Column("use", "choice", "用途", choice=USE),
        Column("estimated_value", "money", "评估价值"),
        Column("registered_at", "date", "登记日期"),
        Column("status", "choice", "权利状态", choice=PROPERTY_STATUS),
    ),
    key=("cert_number", "owner_id"),
    record="Property",
)

# --- 法院 court ------------------------------------------------------------------------------

CASES = DatasetSpec(
    COURT_CASES,
    "执行案件",
    "court",
    (
        Column("case_number", "case_number", "案号", required=True, stored=False),
        Column("case_type", "choice", "案件类型", choice=CASE_TYPE),
        Column("court", "text", "执行法院", required=True),
        Column("filed_at", "date", "立案日期", required=True),
        Column("status", "choice", "案件状态", choice=CASE_STATUS),
        Column("amount", "money", "执行标的金额", required=True),
        Column("outstanding_amount", "money", "未履行金额"),
        Column("officer_id", "text", "承办人编号", required=True),
    ),
    key=("case_number",),
    record="Case",
)

CASE_PARTIES = DatasetSpec(
    COURT_PARTIES,
    "当事人",
    "court",
    (
        Column("case_number", "case_number", "案号", required=True, stored=False),
        Column(
            "party_id",
            "party",
            "当事人证件号码",
            required=True,
            stored=False,
            party_type="party_type",
        ),
        Column("party_type", "party_type", "当事人类型", stored=False),
        Column("party_name", "text", "当事人名称", stored=False),
        Column("role", "choice", "诉讼地位", required=True, stored=False, choice=ROLE),
    ),
    key=("case_number", "party_id", "role"),
    record="PARTY_TO",
)

DISHONEST = DatasetSpec(
    COURT_DISHONEST,
    "失信被执行人",
    "court",
    (
        Column("case_number", "case_number", "案号", required=True, stored=False),
        Column(
            "subject_id",
            "party",
            "被执行人证件号码",
            required=True,
            stored=False,
            party_type="subject_type",
        ),
        Column("subject_type", "party_type", "被执行人类型", stored=False),
        Column("subject_name", "text", "被执行人名称", stored=False),
        Column("listed_at", "date", "列入日期", required=True),
        Column("removed_at", "date", "移出日期"),
        Column("reason", "text", "失信情形"),
    ),
    key=("case_number", "subject_id"),
    record="LISTED_DISHONEST",
)

SPECS: Mapping[str, DatasetSpec] = MappingProxyType(
    {
        spec.name: spec
        for spec in (
            PERSONS,
            RELATIONS,
            VEHICLES,
            ENTERPRISES,
            SHAREHOLDERS,
            EXECUTIVES,
            ACCOUNTS,
            PROPERTIES,
            CASES,
            CASE_PARTIES,
            DISHONEST,
        )
    }
)
