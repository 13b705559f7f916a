"""What Chinese enterprise names and credit codes are made of, for the demo registry and the benchmarks.

A registered name is 行政区划 + 字号 + 行业 + 组织形式 (《企业名称登记管理规定》): 示范市 + 华锐 + 电子科技 +
有限公司. A branch's name is its parent's full name and its own (比亚迪股份有限公司 + 示范市分公司).
A 统一社会信用代码 is 9 (市场监管) + 1 (企业) + the registering authority's region code + a GB 11714
organisation code with its own check character + the GB 32100 check character.

The words here are data: the demo (enterprises.py) draws one city's registry from them and
bench/synthetic.py a million names.
"""

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from functools import cache

from stdnum.cn import uscc as stdnum_uscc

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
ORG_CODE_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
#: USCCs of enterprises registered since the 2015 reform carry organisation codes beginning MA
NEW_CODES_SINCE = 2016


@dataclass(frozen=True)
class Region:
    code: str
    #: the area an address starts with (示范市东城区, 广东省深圳市)
    area: str
    #: how names registered there begin, with weights (示范市, 示范, 示范市东城区)
    prefixes: tuple[tuple[str, int], ...]
    weight: int = 1
    #: a county (县): its farmers' co-operatives are registered here
    rural: bool = False
    #: how a branch there is named after its parent (东城 → 比亚迪股份有限公司示范东城分公司)
    short: str = ""


LOCAL_REGIONS = (
    Region("990100", "示范市", (("示范市", 6), ("示范", 3)), weight=6, short="示范市"),
    Region("990101", "示范市东城区", (("示范市", 5), ("示范", 2), ("示范市东城区", 3)), weight=6, short="东城"),
    Region("990102", "示范市西城区", (("示范市", 5), ("示范", 2), ("示范市西城区", 3)), weight=5, short="西城"),
    Region("990103", "示范市南湖区", (("示范市", 5), ("示范", 2), ("示范市南湖区", 3)), weight=4, short="南湖"),
    Region("990104", "示范市北山区", (("示范市", 5), ("示范", 2), ("示范市北山区", 3)), weight=3, short="北山"),
    Region(
        "990121",
        "示范市青河县",
        (("青河县", 6), ("示范市青河县", 2), ("示范市", 2)),
        weight=3,
        rural=True,
        short="青河",
    ),
    Region(
        "990122",
        "示范市云岭县",
        (("云岭县", 6), ("示范市云岭县", 2), ("示范市", 2)),
        weight=2,
        rural=True,
        short="云岭",
    ),
    Region(
        "990171",
        "示范市示范经济技术开发区",
        (("示范市", 6), ("示范", 3), ("示范经济技术开发区", 1)),
        weight=4,
        short="经开区",
    ),
)

#: where out-of-town investors are registered (real GB/T 2260 codes)
OUT_OF_TOWN_REGIONS = (
    Region("440300", "广东省深圳市南山区", (("深圳市", 3), ("深圳", 2)), weight=5),
    Region("310115", "上海市浦东新区", (("上海", 3), ("上海市", 1)), weight=4),
    Region("320500", "江苏省苏州市", (("苏州", 2), ("江苏", 2), ("苏州市", 1)), weight=3),
    Region("320100", "江苏省南京市", (("南京", 2), ("江苏", 2)), weight=2),
    Region("330100", "浙江省杭州市", (("杭州", 3), ("浙江", 2), ("杭州市", 1)), weight=4),
    Region("330200", "浙江省宁波市", (("宁波", 2), ("浙江", 1)), weight=2),
    Region("110108", "北京市海淀区", (("北京", 4), ("北京市", 1)), weight=4),
    Region("440100", "广东省广州市", (("广州", 2), ("广州市", 1), ("广东", 1)), weight=3),
    Region("420100", "湖北省武汉市", (("武汉", 2), ("湖北", 1)), weight=2),
    Region("510100", "四川省成都市", (("成都", 2), ("四川", 1)), weight=2),
    Region("610100", "陕西省西安市", (("西安", 2), ("陕西", 1)), weight=2),
    Region("370200", "山东省青岛市", (("青岛", 2), ("山东", 1)), weight=2),
    Region("350200", "福建省厦门市", (("厦门", 2), ("福建", 1)), weight=1),
    Region("430100", "湖南省长沙市", (("长沙", 2), ("湖南", 1)), weight=1),
    Region("120000", "天津市", (("天津", 2), ("天津市", 1)), weight=1),
)


@dataclass(frozen=True)
class IndustryWord:
    """A 行业 word of names and the GB/T 4754 divisions (大类) an enterprise so named is classified under."""

    word: str
    divisions: tuple[str, ...]
    weight: int = 2
    #: high-tech: 高新技术企业 and 专精特新 are common among them
    tech: bool = False
    #: farming: also registered as 农民专业合作社 in the counties
    farming: bool = False
    #: funds: also registered as 合伙企业（有限合伙）
    fund: bool = False


INDUSTRY_WORDS = (
    IndustryWord("科技", ("65", "75"), 8, tech=True),
    IndustryWord("信息技术", ("65",), 4, tech=True),
    IndustryWord("网络科技", ("64",), 4, tech=True),
    IndustryWord("软件", ("65",), 2, tech=True),
    IndustryWord("电子科技", ("39",), 4, tech=True),
    IndustryWord("光电科技", ("39",), 2, tech=True),
    IndustryWord("通信设备", ("39",), 1, tech=True),
    IndustryWord("智能装备", ("35",), 2, tech=True),
    IndustryWord("机械制造", ("34",), 3, tech=True),
    IndustryWord("精密机械", ("34",), 2, tech=True),
    IndustryWord("重工", ("35",), 1),
    IndustryWord("汽车零部件", ("36",), 2, tech=True),
    IndustryWord("汽车销售", ("52",), 2),
    IndustryWord("新能源科技", ("38", "44"), 3, tech=True),
    IndustryWord("电气", ("38",), 2, tech=True),
    IndustryWord("电缆", ("38",), 1),
    IndustryWord("照明", ("38",), 1),
    IndustryWord("仪器仪表", ("40",), 1, tech=True),
    IndustryWord("医疗器械", ("35",), 2, tech=True),
    IndustryWord("生物科技", ("27", "73"), 3, tech=True),
    IndustryWord("医药", ("27",), 2, tech=True),
    IndustryWord("药业", ("27",), 1, tech=True),
    IndustryWord("化工", ("26",), 2),
    IndustryWord("新材料", ("26", "30"), 3, tech=True),
    IndustryWord("塑胶", ("29",), 1),
    IndustryWord("建材", ("30",), 3),
    IndustryWord("水泥", ("30",), 1),
    IndustryWord("陶瓷", ("30",), 1),
    IndustryWord("钢铁", ("31",), 1),
    IndustryWord("铝业", ("32",), 1),
    IndustryWord("五金", ("33",), 2),
    IndustryWord("钢结构", ("33",), 1),
    IndustryWord("纺织", ("17",), 2),
    IndustryWord("服饰", ("18",), 2),
    IndustryWord("鞋业", ("19",), 1),
    IndustryWord("家具", ("21",), 2),
    IndustryWord("纸业", ("22",), 1),
    IndustryWord("包装", ("22",), 1),
    IndustryWord("印务", ("23",), 1),
    IndustryWord("食品", ("14",), 4),
    IndustryWord("粮油", ("13",), 2, farming=True),
    IndustryWord("乳业", ("14",), 1),
    IndustryWord("酒业", ("15",), 2),
    IndustryWord("茶业", ("15",), 1, farming=True),
    IndustryWord("农业发展", ("01",), 3, farming=True),
    IndustryWord("种植", ("01",), 2, farming=True),
    IndustryWord("林业", ("02",), 1, farming=True),
    IndustryWord("养殖", ("03",), 2, farming=True),
    IndustryWord("水产", ("04",), 1, farming=True),
    IndustryWord("农业科技", ("05",), 1, farming=True),
    IndustryWord("矿业", ("10",), 1),
    IndustryWord("电力", ("44",), 1),
    IndustryWord("燃气", ("45",), 1),
    IndustryWord("水务", ("46",), 1),
    IndustryWord("建筑工程", ("47",), 5),
    IndustryWord("建设工程", ("48",), 3),
    IndustryWord("路桥", ("48",), 1),
    IndustryWord("安装工程", ("49",), 1),
    IndustryWord("装饰工程", ("50",), 3),
    IndustryWord("园林绿化", ("48",), 2),
    IndustryWord("商贸", ("51",), 7),
    IndustryWord("贸易", ("51",), 4),
    IndustryWord("进出口", ("51",), 1),
    IndustryWord("超市", ("52",), 2),
    IndustryWord("物流", ("58",), 4),
    IndustryWord("供应链管理", ("58",), 2),
    IndustryWord("运输", ("54",), 2),
    IndustryWord("仓储", ("59",), 1),
    IndustryWord("酒店管理", ("61",), 2),
    IndustryWord("餐饮管理", ("62",), 3),
    IndustryWord("房地产开发", ("70",), 3),
    IndustryWord("置业", ("70",), 2),
    IndustryWord("物业管理", ("70",), 3),
    IndustryWord("融资租赁", ("71",), 1),
    IndustryWord("投资管理", ("72",), 2, fund=True),
    IndustryWord("股权投资", ("67",), 1, fund=True),
    IndustryWord("企业管理咨询", ("72",), 3),
    IndustryWord("人力资源", ("72",), 2),
    IndustryWord("广告", ("72",), 2),
    IndustryWord("检测技术", ("74",), 1, tech=True),
    IndustryWord("工程设计", ("74",), 1),
    IndustryWord("环保科技", ("77",), 2, tech=True),
    IndustryWord("家政服务", ("80",), 1),
    IndustryWord("汽车维修", ("81",), 1),
    IndustryWord("职业培训", ("83",), 1),
    IndustryWord("文化传媒", ("86", "87"), 3),
    IndustryWord("影视", ("87",), 1),
    IndustryWord("文化艺术", ("88",), 1),
    IndustryWord("体育", ("89",), 1),
)

#: 组织形式 and how often an ordinary enterprise takes it
LEGAL_FORMS = (("有限公司", 75), ("有限责任公司", 14), ("股份有限公司", 7), ("集团有限公司", 2))
COOPERATIVE = "农民专业合作社"
#: how a form is typed by someone who does not copy it from the licence
FORM_SWAPS = {"有限公司": "有限责任公司", "有限责任公司": "有限公司", "股份有限公司": "股份公司", "集团有限公司": "集团公司"}  # fmt: skip
PARTNERSHIP = "合伙企业（有限合伙）"

# 字号 written for the demo; TRADE_FIRST × TRADE_SECOND adds two-character ones when more are needed.
_TRADE_NAMES = """
华锐 金鼎 博远 鼎盛 瑞康 嘉禾 宏图 汇通 鑫泰 众诚 诚泰 德润 润泽 中恒 恒丰 丰源 泰和 和顺 顺达 安盛 兴邦 凯盛 凯瑞 瑞祥
祥和 宏泰 宏基 远景 景泰 宇通 达美 美嘉 嘉盛 盛源 源通 安信 信达 天润 天瑞 天翔 天恒 正泰 正源 青松 翠竹 白鹭 金穗 银杏
红枫 绿洲 蓝海 碧水 金叶 丹桂 玉兰 云杉 松涛 竹韵 梅岭 荷塘 春晖 秋实 冬青 晨曦 朝晖 明辉 星辰 北辰 南风 智远 智联 云智
数联 芯源 芯动 睿思 睿驰 思创 创元 科锐 科达 科润 联创 优创 迅达 迅捷 捷安 福瑞 福源 吉运 吉泰 祥瑞 瑞丰 隆兴 裕丰 裕华
聚源 聚福 广源 广泰 益民 益康 康泰 康源 健达 仁和 仁德 德信 信和 金百合 绿源春 三江源 九鼎泰 新思维 好日子 万家福 百味佳
金太阳 东方恒信 中科智远 天地和润 金海蓝湾 一品 二月 三禾 四季 五洲 六合 七星 八方 九州 十方 百川 千禧 万象 亿联 凯旋 旭日
东曦 西岭 南翔 北斗 中和 嘉木 森泰 林海 岳峰 峰源 川宇 江源 河清 湖光 海润 溪流 泉源 瀚海 浩然 博雅 雅居 乐居 安居 宜家
悦家 欣悦 怡和 和谐 谐美 美华 华耀 耀邦 邦泰 泰昌 昌盛 盛华 华腾 腾达 达通 通和 合力 力拓 拓新 新锐 锐意 意达 德邦 邦尼
汇丰 丰华 华彩 彩虹 虹桥 桥信 信远 远洋 洋帆 帆影 金桂 银桂 银河 星河 天河 云河 云帆 云鹏 鹏程 程远 远鸿 鸿鹄 鹄翔 翔宇
宇辰 辰星 星耀 耀华 华宸 宸宇 恒瑞 恒昌 恒宇 恒远 恒辉 瑞鑫 瑞晟 瑞驰 瑞麒 麒麟 凤翔 龙腾 虎啸 鹰扬 骏马 骐骥 金狮 雄狮
白鹤 仙鹤 绿野 禾丰 稻香 麦田 谷丰 粟源 豆香 果香 茗香 茶韵 墨香 书香 琴韵 诗画 画意 匠心 匠人 工匠 巧匠 精工 精诚 诚信
信义 义和 和美 美佳 佳禾 禾润 润禾 沃土 沃野 厚德 厚朴 朴实 实诚 笃行 行远 致远 宁远 蓝鲸 海豚 锦程 锦鸿 锦华 金诺 银诺
恒诺 普惠 普瑞 普华 泓源 泓泰 澜沧 沧海 清源 清风 明月 星火 燎原 启明 启航 领航 远航 蔚蓝 晴川 鼎新 鼎元 鼎泰 鼎立 立信
"""
TRADE_NAMES = tuple(_TRADE_NAMES.split())
TRADE_FIRST = "华金恒瑞鑫宏盛泰德嘉博凯鼎富万兴远达正天海中新信安永佳众祥和汇润丰源通隆昌荣锦顺聚广益康仁智科创联优卓睿欣悦晨星明光辉航"
TRADE_SECOND = "锐鼎远盛康禾图通泰诚润泽恒丰源和顺达安邦瑞祥信华美宇翔正阳辉腾晟昊驰越峰川森林域创科联智汇泓涛澜洋舟航宸轩铭维纳思行德"

FAMOUS_TAGS = ("世界500强", "中国500强", "中国民营500强")


@dataclass(frozen=True)
class GroupSpec:
    """A group whose members the city knows: the parent, its local subsidiaries and branches."""

    parent: str
    #: the 字号 its subsidiaries share (示范比亚迪汽车有限公司)
    trade: str
    #: what people call it (比亚迪, 建设银行)
    short: str
    region_code: str
    area: str
    division: str
    legal_form: str
    #: (行业 word, division) of its local subsidiaries; none for banks, which only open branches
    industries: tuple[tuple[str, str], ...] = ()
    tags: tuple[str, ...] = ()
    #: "prefix": 示范比亚迪汽车有限公司; "bracket": 格力电器（示范）有限公司
    style: str = "prefix"
    bank: bool = False
    #: registered capital of the parent, 万元
    capital: int = 100000


LOCAL_GROUPS = (
    GroupSpec("示范控股集团有限公司", "示范控股", "示范控股", "990100", "示范市", "72", "控股集团有限公司",
              (("资产管理", "72"), ("产业投资", "72"), ("融资担保", "69"), ("资本管理", "67")), ("行业龙头",), "plain", capital=500000),
    GroupSpec("示范城发投资集团有限公司", "城发", "示范城发", "990100", "示范市", "48", "集团有限公司",
              (("置业", "70"), ("水务", "46"), ("建设工程", "48"), ("物业管理", "70"), ("园林绿化", "48")), capital=300000),
    GroupSpec("示范交投集团有限公司", "交投", "示范交投", "990100", "示范市", "48", "集团有限公司",
              (("路桥建设", "48"), ("物流", "58"), ("公路养护", "48"), ("智慧交通", "65")), capital=200000),
    GroupSpec("示范文旅集团有限公司", "文旅", "示范文旅", "990103", "示范市南湖区", "72", "集团有限公司",
              (("酒店管理", "61"), ("景区运营", "78"), ("文化传媒", "86")), capital=100000),
    GroupSpec("示范市华锐控股集团有限公司", "华锐", "华锐集团", "990171", "示范市示范经济技术开发区", "39", "控股集团有限公司",
              (("新材料", "30"), ("电子科技", "39"), ("物流", "58"), ("精密机械", "34")), ("行业龙头", "链主"), capital=80000),
    GroupSpec("示范金鼎实业集团有限公司", "金鼎", "金鼎集团", "990102", "示范市西城区", "30", "集团有限公司",
              (("建材", "30"), ("矿业", "10"), ("商砼", "30"), ("房地产开发", "70")), capital=50000),
    GroupSpec("示范康泽医药集团股份有限公司", "康泽", "康泽医药", "990101", "示范市东城区", "27", "集团股份有限公司",
              (("药业", "27"), ("医疗器械", "35"), ("医药连锁", "52"), ("生物科技", "27")), ("专精特新",), capital=60000),
    GroupSpec("示范青禾农业发展集团有限公司", "青禾", "青禾农业", "990121", "示范市青河县", "01", "集团有限公司",
              (("粮油", "13"), ("茶业", "15"), ("生态养殖", "03"), ("食品", "14")), capital=20000),
)  # fmt: skip

OUT_OF_TOWN_GROUPS = (
    GroupSpec("比亚迪股份有限公司", "比亚迪", "比亚迪", "440310", "广东省深圳市坪山区", "36", "股份有限公司",
              (("汽车", "36"), ("汽车零部件", "36"), ("电子", "39"), ("锂电", "38")), FAMOUS_TAGS, capital=291114),
    GroupSpec("宁德时代新能源科技股份有限公司", "时代", "宁德时代", "350902", "福建省宁德市蕉城区", "38", "股份有限公司",
              (("新能源科技", "38"), ("电池", "38"), ("储能", "38")), FAMOUS_TAGS, capital=440000),
    GroupSpec("华为技术有限公司", "华为", "华为", "440307", "广东省深圳市龙岗区", "39", "有限公司",
              (("云计算技术", "65"), ("数字能源技术", "38"), ("终端", "39")), FAMOUS_TAGS, capital=4104113),
    GroupSpec("美的集团股份有限公司", "美的", "美的集团", "440606", "广东省佛山市顺德区", "38", "集团股份有限公司",
              (("制冷设备", "38"), ("暖通设备", "34"), ("电器", "38")), FAMOUS_TAGS, capital=700000),
    GroupSpec("中国建设银行股份有限公司", "建设银行", "建设银行", "110102", "北京市西城区", "66", "股份有限公司",
              tags=FAMOUS_TAGS[:2], bank=True, capital=25001098),
    GroupSpec("中国工商银行股份有限公司", "工商银行", "工商银行", "110102", "北京市西城区", "66", "股份有限公司",
              tags=FAMOUS_TAGS[:2], bank=True, capital=35640626),
    GroupSpec("中国石油化工股份有限公司", "石化", "中国石化", "110105", "北京市朝阳区", "25", "股份有限公司",
              tags=FAMOUS_TAGS[:2], capital=12107400),
    GroupSpec("中国平安财产保险股份有限公司", "平安", "平安产险", "440304", "广东省深圳市福田区", "68", "股份有限公司",
              tags=FAMOUS_TAGS[:2], capital=2104000),
    GroupSpec("海尔集团公司", "海尔", "海尔", "370212", "山东省青岛市崂山区", "38", "集团公司",
              (("智能家电", "38"), ("电器", "38")), FAMOUS_TAGS[1:], capital=31118),
    GroupSpec("珠海格力电器股份有限公司", "格力", "格力电器", "440400", "广东省珠海市", "38", "股份有限公司",
              (("电器", "38"), ("精密模具", "35")), FAMOUS_TAGS[1:2], "bracket", capital=563000),
    GroupSpec("隆基绿能科技股份有限公司", "隆基", "隆基绿能", "610116", "陕西省西安市长安区", "38", "股份有限公司",
              (("光伏科技", "38"), ("绿能", "44")), FAMOUS_TAGS[1:], capital=757800),
    GroupSpec("三一重工股份有限公司", "三一", "三一重工", "110114", "北京市昌平区", "35", "股份有限公司",
              (("重机", "35"), ("智能装备", "35")), FAMOUS_TAGS[1:], capital=848000),
    GroupSpec("万华化学集团股份有限公司", "万华", "万华化学", "370602", "山东省烟台市芝罘区", "26", "集团股份有限公司",
              (("化学", "26"), ("新材料", "26")), FAMOUS_TAGS[1:2], "bracket", capital=313979),
    GroupSpec("顺丰控股股份有限公司", "顺丰", "顺丰控股", "440300", "广东省深圳市", "60", "股份有限公司",
              (("速运", "60"), ("供应链管理", "58")), FAMOUS_TAGS[1:], capital=489000),
    GroupSpec("京东方科技集团股份有限公司", "京东方", "京东方", "110105", "北京市朝阳区", "39", "集团股份有限公司",
              (("光电科技", "39"), ("显示技术", "39")), FAMOUS_TAGS[1:2], capital=3765000),
    GroupSpec("立讯精密工业股份有限公司", "立讯", "立讯精密", "441900", "广东省东莞市", "39", "股份有限公司",
              (("精密工业", "39"), ("电子科技", "39")), FAMOUS_TAGS[1:], "bracket", capital=720000),
    GroupSpec("内蒙古伊利实业集团股份有限公司", "伊利", "伊利股份", "150100", "内蒙古自治区呼和浩特市", "14", "集团股份有限公司",
              (("乳业", "14"), ("牧业", "03")), FAMOUS_TAGS[1:], capital=636000),
)  # fmt: skip
GROUPS = LOCAL_GROUPS + OUT_OF_TOWN_GROUPS


def is_trade_name(trade: str) -> bool:
    """Whether the name parser reads ``trade`` as a 字号 (永康, 泰安 are cities; 通信 is an industry word)
    and no group uses it, so that generated names parse as they are meant to."""
    from apps.enterprises.matching.normalize import parse_name

    return trade not in {group.trade for group in GROUPS} and parse_name(f"{trade}科技有限公司").trade_name == trade


@cache
def trade_names() -> tuple[str, ...]:
    """Every 字号 the generators may use: the written ones, then the two-character combinations."""
    combined = (a + b for a in TRADE_FIRST for b in TRADE_SECOND if a != b)
    return tuple(trade for trade in dict.fromkeys((*TRADE_NAMES, *combined)) if is_trade_name(trade))


def more_trade_names(rng: random.Random) -> Iterator[str]:
    """Three-character 字号 (华锐达 …) in an order drawn from ``rng``, for when trade_names() runs out."""
    combined = [a + b + c for a in TRADE_FIRST for b in TRADE_SECOND for c in TRADE_SECOND if len({a, b, c}) == 3]
    rng.shuffle(combined)
    return (trade for trade in combined if is_trade_name(trade))


def weighted(rng: random.Random, items, weights):
    """One item drawn by weight."""
    return rng.choices(items, weights=weights)[0]


def pick_region(rng: random.Random, regions: tuple[Region, ...]) -> Region:
    """A region drawn by its weight."""
    return weighted(rng, regions, [r.weight for r in regions])


def pick_prefix(rng: random.Random, region: Region) -> str:
    """How a name registered in ``region`` begins."""
    return weighted(rng, [p for p, _w in region.prefixes], [w for _p, w in region.prefixes])


def pick_industry(rng: random.Random) -> IndustryWord:
    """A 行业 word drawn by how common it is in names."""
    return weighted(rng, INDUSTRY_WORDS, [i.weight for i in INDUSTRY_WORDS])


def pick_legal_form(rng: random.Random) -> str:
    """An ordinary enterprise's 组织形式."""
    return weighted(rng, [f for f, _w in LEGAL_FORMS], [w for _f, w in LEGAL_FORMS])


def org_code_check(body: str) -> str:
    """The GB 11714 check character of an 8-character organisation code body."""
    total = sum(int(ch, 36) * weight for ch, weight in zip(body, ORG_CODE_WEIGHTS, strict=True))
    check = 11 - total % 11
    return "X" if check == 10 else "0" if check == 11 else str(check)


def make_uscc(rng: random.Random, region_code: str, *, category: str = "1", new_style: bool = True) -> str:
    """A valid 统一社会信用代码 registered by 市场监管 in ``region_code`` (category 1 企业, 3 合作社)."""
    body = "MA" + "".join(rng.choices(USCC_ALPHABET, k=6)) if new_style else f"{rng.randrange(10**8):08d}"
    first17 = f"9{category}{region_code}{body}{org_code_check(body)}"
    return first17 + stdnum_uscc.calc_check_digit(first17)


def unique_uscc(rng: random.Random, taken: set[str], region_code: str, **kwargs) -> str:
    """make_uscc until one not in ``taken`` comes up; it is added to ``taken``."""
    while True:
        code = make_uscc(rng, region_code, **kwargs)
        if code not in taken:
            taken.add(code)
            return code


def founded_on(rng: random.Random, *, after: date | None = None) -> date:
    """A founding date in 1990–2025, more of them recent (as in any registry), never before ``after``."""
    start = max(after or date(1990, 1, 1), date(1990, 1, 1))
    span = (date(2025, 12, 31) - start).days
    return start + timedelta(days=int(span * rng.random() ** 0.6))


def registered_capital(rng: random.Random, low: float = 10, high: float = 500000) -> Decimal:
    """万元, spread evenly on a log scale and rounded to two significant figures as people register it."""
    value = low * (high / low) ** rng.random()
    digits = len(str(int(value))) - 2
    return Decimal(round(value, -digits) if digits > 0 else round(value)).quantize(Decimal("0.01"))
