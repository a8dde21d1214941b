"""Word pools for names, addresses and company names, built once per process.

Faker zh_CN costs microseconds per call, far too slow for a million persons, so its data is
sampled once here and the generator combines pool entries with its own seeded random.Random.
The pools do not depend on the county's seed: the seed decides how they are combined.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from functools import cache
from itertools import product

from faker import Faker
from faker.providers.company.zh_CN import Provider as CompanyProvider
from faker.providers.person.zh_CN import Provider as PersonProvider
from faker.providers.phone_number.zh_CN import Provider as PhoneProvider

from seed.values import Picker

_POOL_SEED = 8210
# Planted hub and scenario phones use this prefix, which no generated phone uses.
RESERVED_MOBILE_PREFIX = "199"

TOWNS = (
    "镇赉镇",
    "坦途镇",
    "东屏镇",
    "黑鱼泡镇",
    "五棵树镇",
    "大屯镇",
    "沿江镇",
    "莫莫格蒙古族乡",
    "哈吐气蒙古族乡",
    "建平乡",
    "嘎什根乡",
)
COUNTY_PREFIX = "吉林省白城市镇赉县"
VILLAGES_PER_TOWN = 14
_VILLAGE_CORES = (
    "榆树",
    "杨树",
    "兴隆",
    "太平",
    "保安",
    "永安",
    "长发",
    "丰收",
    "胜利",
    "红旗",
    "四方",
    "双合",
    "三合",
    "靠山",
    "永丰",
    "民主",
    "团结",
    "幸福",
    "前进",
    "新发",
    "富裕",
    "六合",
    "东升",
    "德胜",
    "育林",
    "五家子",
    "四家子",
    "八家子",
    "二龙",
    "莲花",
    "哈拉",
    "查干",
    "乌兰",
    "巴彦",
    "套海",
    "英台",
    "白音",
    "好力保",
    "喇嘛店",
    "东风",
)
_VILLAGE_PREFIXES = ("前", "后", "东", "西", "南", "北", "新", "大", "小")
_LOCAL_STREETS = (
    "人民大街",
    "幸福大街",
    "政府街",
    "兴业街",
    "振兴路",
    "团结路",
    "迎宾路",
    "建设街",
    "文化街",
    "站前街",
    "嫩江路",
    "鹤鸣路",
    "丹顶鹤大街",
    "光明路",
    "胜利路",
    "通江路",
    "民主街",
    "友谊路",
)
COMPOUNDS = (
    "阳光小区",
    "幸福家园",
    "鹤乡名苑",
    "嫩江花园",
    "金色家园",
    "锦绣华城",
    "丹顶鹤小区",
    "和谐家园",
    "世纪花园",
    "书香苑",
    "龙府花园",
    "盛世华庭",
    "康桥丽景",
    "新城嘉苑",
)
ELSEWHERE = (
    "吉林省白城市洮北区",
    "吉林省白城市洮北区",
    "吉林省长春市朝阳区",
    "吉林省长春市南关区",
    "吉林省长春市绿园区",
    "吉林省松原市宁江区",
    "吉林省洮南市",
    "吉林省大安市",
    "黑龙江省哈尔滨市南岗区",
    "辽宁省大连市甘井子区",
    "北京市朝阳区",
    "天津市滨海新区",
    "内蒙古自治区乌兰浩特市",
)
_ETHNICITIES = (("汉族", 92.0), ("蒙古族", 4.5), ("满族", 2.0), ("朝鲜族", 0.8), ("回族", 0.7))
_LOCAL_TRADE_NAMES = (
    "鑫达",
    "宏远",
    "金穗",
    "嫩江",
    "鹤乡",
    "丰源",
    "瑞祥",
    "恒通",
    "盛泰",
    "兴农",
    "福满",
    "鸿运",
    "顺发",
    "德润",
    "万隆",
    "金田",
    "沃土",
    "绿野",
    "北方",
    "天成",
    "莫莫格",
    "赉宁",
    "丹鹤",
    "黑土地",
)
_TRADE_CHARS = "鑫宏泰达源丰盛兴旺隆顺德福瑞祥康金华恒通利昌嘉禾润海天鹏嘉宇安信诚广聚益博"
_FAKER_WORDS_TO_SKIP = ("电子", "计算机", "公司", "软件", "信息", "科技", "数字", "国际")
COMPANY_INDUSTRIES = (
    "农业科技",
    "粮食贸易",
    "米业",
    "农机销售",
    "农资",
    "建材",
    "商贸",
    "物流",
    "牧业",
    "水产养殖",
    "建筑工程",
    "房地产开发",
    "餐饮管理",
    "汽车销售",
    "装饰工程",
    "劳务服务",
    "种业",
    "饲料",
    "新能源",
    "电力工程",
    "酒业",
    "医药连锁",
    "苇业",
    "旅游开发",
)
SHOP_INDUSTRIES = (
    "超市",
    "农资商店",
    "饭店",
    "五金建材商店",
    "汽车修理部",
    "理发店",
    "手机店",
    "粮食收购点",
    "烧烤店",
    "服装店",
    "药店",
    "粮油店",
)
COOPERATIVE_INDUSTRIES = (
    "水稻种植",
    "玉米种植",
    "肉牛养殖",
    "生猪养殖",
    "农机服务",
    "杂粮杂豆种植",
    "渔业",
    "蔬菜种植",
)


@dataclass(frozen=True, slots=True)
class VehicleModel:
    wmi: str  # the VIN's world manufacturer identifier
    brand_model: str
    commercial: bool


VEHICLE_MODELS = (
    VehicleModel("LFV", "一汽-大众 速腾", commercial=False),
    VehicleModel("LSV", "上汽大众 朗逸", commercial=False),
    VehicleModel("LGB", "东风日产 轩逸", commercial=False),
    VehicleModel("LVS", "长安福特 福克斯", commercial=False),
    VehicleModel("LGW", "长城 哈弗H6", commercial=False),
    VehicleModel("LZW", "上汽通用五菱 宏光", commercial=False),
    VehicleModel("LGX", "比亚迪 秦PLUS", commercial=False),
    VehicleModel("LS5", "长安 CS75", commercial=False),
    VehicleModel("LFP", "一汽奔腾 B70", commercial=False),
    VehicleModel("LHG", "广汽本田 雅阁", commercial=False),
    VehicleModel("LVG", "广汽丰田 凯美瑞", commercial=False),
    VehicleModel("LBV", "华晨宝马 3系", commercial=False),
    VehicleModel("LFW", "一汽解放 J6P 重型半挂牵引车", commercial=True),
    VehicleModel("LZZ", "中国重汽 豪沃 自卸汽车", commercial=True),
    VehicleModel("LJ1", "江淮 帅铃 轻型栏板货车", commercial=True),
    VehicleModel("LVB", "福田 欧曼 重型仓栅式货车", commercial=True),
)


@dataclass(frozen=True, slots=True, eq=False)  # compared by identity: there are six
class Bank:
    code: str
    name: str
    card_bin: str  # personal debit cards
    corporate_prefix: str  # settlement accounts of enterprises
    weight: float


# 吉林农信 (JLNX) is the county's main bank, the first entry: the hub with by far the most
# accounts.
BANKS = (
    Bank("JLNX", "吉林镇赉农村商业银行股份有限公司", "623180", "0708", 40.0),
    Bank("ABC", "中国农业银行股份有限公司镇赉县支行", "622848", "0718", 18.0),
    Bank("ICBC", "中国工商银行股份有限公司镇赉支行", "622202", "0810", 14.0),
    Bank("CCB", "中国建设银行股份有限公司镇赉支行", "621700", "2205", 13.0),
    Bank("BOC", "中国银行股份有限公司镇赉支行", "621785", "1717", 8.0),
    Bank("PSBC", "中国邮政储蓄银行股份有限公司镇赉县支行", "621799", "9220", 7.0),
)


@dataclass(frozen=True, slots=True)
class Pools:
    surnames: tuple[str, ...]
    surname: Picker[int]
    given_names: tuple[str, ...]  # male names first, then female ones
    male_given: Picker[int]
    female_given: Picker[int]
    ethnicity: Picker[str]
    villages: tuple[tuple[str, ...], ...]  # per town, same order as TOWNS
    streets: tuple[str, ...]  # streets of the county seat 镇赉镇
    other_streets: tuple[str, ...]  # streets of other cities
    trade_names: tuple[str, ...]  # 字号 of enterprise names
    mobile_prefixes: tuple[str, ...]


def _given_name_pool(
    faker_names: list[str], rng: random.Random, combos: int
) -> tuple[list[str], list[float]]:
    """Faker's common given names (weighted up) plus two-character names from their characters."""
    singles = sorted({name for name in faker_names if len(name) == 1})
    generated = sorted(
        {first + second for first, second in product(singles, singles)} - set(faker_names)
    )
    names = list(dict.fromkeys(faker_names)) + rng.sample(generated, min(combos, len(generated)))
    weights = [20.0 if index < len(faker_names) else 1.0 for index in range(len(names))]
    return names, weights


def _villages(rng: random.Random) -> tuple[tuple[str, ...], ...]:
    pairs = product(_VILLAGE_PREFIXES, _VILLAGE_CORES)
    prefixed = sorted({prefix + core for prefix, core in pairs if not core.startswith(prefix)})
    villages: list[tuple[str, ...]] = []
    for _ in TOWNS:
        # Unprefixed names are the most common; a town never has two villages of one name.
        names = rng.sample(_VILLAGE_CORES, VILLAGES_PER_TOWN // 2)
        names += rng.sample(prefixed, VILLAGES_PER_TOWN - len(names))
        villages.append(tuple(f"{name}村" for name in names))
    return tuple(villages)


def _faker_street_names(fake: Faker, count: int) -> list[str]:
    # Faker also makes "{surname}街" (刘街), which no county would name a street; keep city names.
    names = {fake.street_name() for _ in range(count * 6)}
    return sorted(name for name in names if len(name) >= 3)[:count]


def _trade_names(rng: random.Random) -> tuple[str, ...]:
    from_faker = [
        word
        for word in CompanyProvider.company_prefixes
        if len(word) == 2 and not any(skip in word for skip in _FAKER_WORDS_TO_SKIP)
    ]
    pairs = sorted({a + b for a, b in product(_TRADE_CHARS, _TRADE_CHARS) if a != b})
    return tuple(dict.fromkeys([*_LOCAL_TRADE_NAMES, *from_faker, *rng.sample(pairs, 600)]))


@cache
def load_pools() -> Pools:
    fake = Faker("zh_CN")
    fake.seed_instance(_POOL_SEED)
    rng = random.Random(_POOL_SEED)
    surname_weights: dict[str, float] = dict(PersonProvider.last_names)
    surnames = tuple(surname_weights)
    male, male_weights = _given_name_pool(list(PersonProvider.first_names_male), rng, 900)
    female, female_weights = _given_name_pool(list(PersonProvider.first_names_female), rng, 900)
    offset = len(male)
    return Pools(
        surnames=surnames,
        surname=Picker([(index, surname_weights[name]) for index, name in enumerate(surnames)]),
        given_names=tuple(male + female),
        male_given=Picker(list(enumerate(male_weights))),
        female_given=Picker([(offset + index, w) for index, w in enumerate(female_weights)]),
        ethnicity=Picker(_ETHNICITIES),
        villages=_villages(rng),
        streets=tuple(dict.fromkeys([*_LOCAL_STREETS, *_faker_street_names(fake, 10)])),
        other_streets=tuple(_faker_street_names(fake, 60)),
        trade_names=_trade_names(rng),
        mobile_prefixes=tuple(
            prefix
            for prefix in sorted(str(p) for p in PhoneProvider.phonenumber_prefixes)
            if prefix != RESERVED_MOBILE_PREFIX
        ),
    )
