"""What the demo pipeline's records are made of: project names by industry, and the words of their timelines.

A project is named as the offices name them — capacity, product and 项目 (年产10万吨新能源电池正极材料项目),
often after its investor (比亚迪年产…项目) — from an industry's templates. Each template carries the
range of its investment in 万元 and, when its name states a capacity, the investment one unit of that
capacity costs, so that a 3 亿元 battery plant is not announced at 50 GWh. The ranges make the long
tail: most projects invest 3,000–50,000 万元, some more than 1 亿元, a few more than 10 亿元.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Template:
    #: the name, with {n} for the capacity when it states one
    pattern: str
    #: investment range, 万元 (drawn evenly on a log scale)
    low: int
    high: int
    #: 万元 of investment per unit of {n}; 0 when the name states no capacity
    cost: float = 0
    #: the GB/T 4754 division (大类) of the project, when it is not the sector's first
    division: str = ""


@dataclass(frozen=True)
class Sector:
    name: str
    #: divisions whose enterprises invest in it; the first is the projects' own division
    divisions: tuple[str, ...]
    weight: int
    templates: tuple[Template, ...]
    #: 万元 invested per 亩 of land (industrial), or the land itself in 亩 when ``land`` is set
    per_mu: tuple[int, int] = (300, 900)
    land: tuple[int, int] | None = None
    #: yearly energy use, 吨标准煤 per 万元 invested (0: not worth stating)
    energy: float = 0.0
    #: what is built, for the project's description
    builds: str = "标准化厂房、研发中心及配套设施"
    #: yearly output value per 万元 invested at full capacity
    output: float = 1.5


SECTORS = (
    Sector("新能源", ("38", "44"), 12, (
        Template("年产{n}GWh锂离子动力电池项目", 100000, 600000, 25000),
        Template("年产{n}万吨新能源电池正极材料项目", 50000, 300000, 8000),
        Template("{n}GWh储能电池生产基地项目", 30000, 200000, 20000),
        Template("年产{n}万套新能源汽车电机电控项目", 10000, 80000, 2000),
        Template("光伏组件及配套材料生产项目", 20000, 150000),
        Template("年产{n}万台储能变流器项目", 5000, 30000, 1500),
    ), energy=0.03, builds="电芯及模组生产车间、仓储物流中心和研发检测中心", output=1.8),
    Sector("新材料", ("30", "26", "29", "32"), 9, (
        Template("年产{n}万吨高性能铝合金型材项目", 8000, 60000, 3000, "32"),
        Template("年产{n}万吨电子级化学品项目", 15000, 100000, 5000, "26"),
        Template("年产{n}万平方米光伏玻璃项目", 20000, 120000, 50),
        Template("年产{n}吨碳纤维复合材料项目", 10000, 80000, 20),
        Template("特种工程塑料改性生产项目", 3000, 20000, division="29"),
    ), energy=0.08, builds="生产车间、原料及成品仓库、环保处理设施", output=1.3),
    Sector("装备制造", ("35", "34", "40"), 10, (
        Template("智能装备制造基地项目", 10000, 80000),
        Template("年产{n}台（套）工程机械关键零部件项目", 5000, 50000, 5, "34"),
        Template("高端数控机床产业园项目", 20000, 100000, division="34"),
        Template("年产{n}台工业机器人及智能产线项目", 8000, 50000, 10),
        Template("智能仪器仪表生产项目", 3000, 15000, division="40"),
        Template("农机装备制造项目", 3000, 20000),
    ), energy=0.01, builds="装配车间、精加工车间、试验检测中心及配套设施"),
    Sector("汽车及零部件", ("36", "34"), 6, (
        Template("新能源汽车零部件产业园项目", 20000, 150000),
        Template("年产{n}万套汽车轻量化零部件项目", 8000, 50000, 200),
        Template("年产{n}万套汽车线束项目", 3000, 20000, 100),
    ), energy=0.015, builds="冲压、焊装及总装车间和配套仓储设施"),
    Sector("电子信息", ("39", "38"), 10, (
        Template("年产{n}亿颗集成电路封装测试项目", 20000, 200000, 5000),
        Template("智能终端生产基地项目", 10000, 100000),
        Template("年产{n}万台（套）LED显示模组项目", 5000, 30000, 50),
        Template("光电显示模组生产线项目", 20000, 150000),
        Template("电子元器件产业园项目", 10000, 60000),
        Template("年产{n}亿只片式电容器项目", 5000, 40000, 1000),
    ), energy=0.01, builds="洁净生产车间、SMT生产线、研发中心及配套设施", output=2.0),
    Sector("生物医药", ("27", "35", "73"), 6, (
        Template("生物医药产业园项目", 20000, 120000),
        Template("年产{n}吨原料药及制剂项目", 8000, 50000, 50),
        Template("医疗器械研发生产基地项目", 5000, 40000, division="35"),
        Template("中药材精深加工项目", 3000, 20000),
    ), energy=0.02, builds="GMP标准生产车间、质检中心和研发中心", output=1.6),
    Sector("食品及农产品加工", ("14", "13", "15", "01", "03"), 9, (
        Template("年产{n}万吨预制菜加工项目", 5000, 40000, 6000),
        Template("年出栏{n}万头生猪养殖及屠宰加工一体化项目", 10000, 60000, 1500, "03"),
        Template("万亩高标准茶园及茶叶精深加工项目", 3000, 20000, division="15"),
        Template("年加工{n}万吨粮油项目", 5000, 30000, 1500, "13"),
        Template("乳制品加工项目", 10000, 60000),
        Template("现代农业产业园项目", 5000, 40000, division="01"),
        Template("年产{n}万吨食用菌工厂化生产项目", 3000, 15000, 1500, "01"),
        Template("白酒酿造及文化产业园项目", 10000, 80000, division="15"),
    ), per_mu=(250, 600), energy=0.01, builds="加工车间、冷链仓储和原料基地", output=1.2),
    Sector("纺织服装", ("17", "18"), 4, (
        Template("年产{n}万锭高档纱线项目", 8000, 50000, 1000),
        Template("服装智能制造产业园项目", 5000, 40000, division="18"),
        Template("年产{n}万米功能性面料项目", 5000, 30000, 5),
    ), per_mu=(280, 600), energy=0.02, builds="纺纱及织造车间、仓储和配套用房"),
    Sector("绿色化工", ("26",), 3, (
        Template("精细化工新材料项目", 20000, 150000),
        Template("年产{n}万吨可降解塑料项目", 15000, 100000, 5000),
    ), energy=0.15, builds="生产装置、罐区、公用工程及环保设施", output=1.1),
    Sector("绿色建材", ("30", "33"), 4, (
        Template("装配式建筑构件生产基地项目", 8000, 50000),
        Template("年产{n}万立方米商品混凝土项目", 3000, 15000, 100),
        Template("绿色建材产业园项目", 10000, 80000),
    ), per_mu=(280, 600), energy=0.06, builds="生产线、堆场及配套设施", output=1.0),
    Sector("现代物流", ("58", "59", "54"), 6, (
        Template("智慧物流园项目", 10000, 80000),
        Template("冷链物流中心项目", 5000, 40000, division="59"),
        Template("区域分拨中心项目", 5000, 30000),
    ), per_mu=(250, 500), builds="高标准仓库、分拣中心和综合服务楼", output=0.4),
    Sector("数字经济", ("65", "64", "72", "73"), 8, (
        Template("数字经济产业园项目", 10000, 80000),
        Template("{n}架机柜数据中心项目", 30000, 300000, 15),
        Template("软件和信息技术服务外包基地项目", 3000, 20000),
        Template("区域总部及研发中心项目", 5000, 50000, division="73"),
        Template("电子商务产业园项目", 3000, 20000, division="64"),
    ), per_mu=(500, 1500), builds="研发办公楼、机房及配套设施", output=0.8),
    Sector("文旅康养", ("61", "70", "87", "72"), 6, (
        Template("文旅综合体项目", 20000, 150000, division="78"),
        Template("温泉康养度假区项目", 20000, 100000),
        Template("乡村旅游示范区项目", 3000, 20000, division="78"),
        Template("影视拍摄基地项目", 10000, 60000, division="87"),
        Template("高端酒店项目", 10000, 50000),
    ), land=(50, 600), builds="游客服务中心、主题街区、酒店及康养设施", output=0.3),
    Sector("商贸服务", ("70", "52", "51"), 4, (
        Template("城市商业综合体项目", 30000, 200000),
        Template("汽车商贸城项目", 10000, 50000, division="52"),
        Template("农产品批发市场项目", 5000, 40000, division="51"),
    ), per_mu=(500, 1500), builds="商业综合楼、停车场及配套设施", output=0.3),
    Sector("清洁能源", ("44",), 2, (
        Template("{n}兆瓦分布式光伏发电项目", 5000, 40000, 400),
        Template("{n}兆瓦风电场项目", 20000, 150000, 600),
        Template("生物质热电联产项目", 10000, 50000),
    ), land=(20, 800), builds="发电设施、升压站及送出线路", output=0.15),
    Sector("节能环保", ("77", "42"), 3, (
        Template("再生资源综合利用项目", 5000, 30000, division="42"),
        Template("年处理{n}万吨固废资源化利用项目", 5000, 40000, 500),
    ), per_mu=(250, 500), energy=0.03, builds="预处理车间、资源化生产线及环保设施", output=0.6),
)  # fmt: skip

#: how a project on an enterprise the city already has is named (增资扩建, 技改)
EXPANSION_SUFFIXES = ("二期项目", "扩建项目", "增资扩产项目")
UPGRADE_SUFFIXES = ("智能化技术改造项目", "数字化车间改造项目", "绿色化改造升级项目")

DROP_REASONS = (
    "企业最终选择落户{rival}，对方在用地价格和设备补贴上条件更优。",
    "企业资金链紧张，投资计划取消。",
    "拟选地块不符合国土空间规划，短期内无法调整，企业放弃。",
    "项目能耗指标无法落实，经研判终止。",
    "企业战略调整，收缩国内产能布局，项目不再推进。",
    "多次联系企业均无实质回应，线索失效。",
    "经核实企业投资意向不实，线索终止。",
    "项目亩均投资和税收低于园区准入标准，经联评联审不予引进。",
    "企业被其他地区以“飞地”方式引走，落户{rival}。",
)
#: where lost projects went (competitor cities)
RIVAL_CITIES = (
    "安徽省芜湖市", "湖北省襄阳市", "江西省赣州市", "河南省许昌市", "湖南省株洲市", "四川省宜宾市",
    "广西壮族自治区柳州市", "陕西省宝鸡市",
)  # fmt: skip
PAUSE_REASONS = (
    "企业等待母公司董事会审议投资方案，暂缓推进。",
    "项目环评报告需重新编制，待批复后继续。",
    "土地报批中，预计下季度完成组卷上报。",
    "企业因行业产能过剩调整投资节奏，暂停推进。",
    "企业对落户政策提出新诉求，待县政府研究。",
    "项目用电扩容方案待电网公司论证。",
)
BREAK_REASONS = (
    ("企业内部人事调整，项目暂缓。", "企业新任管理层确认继续推进。"),
    ("等待省级用地指标下达。", "用地指标已落实，恢复推进。"),
    ("企业融资方案调整，暂停推进。", "融资到位，恢复推进。"),
)

#: the level above's opinion when it confirms a stage, and when it sends one back
APPROVALS = {
    "signed": ("经核实，投资协议已正式签订，协议投资额与台账一致，同意确认签约。", "签约材料齐全，同意。"),
    "started": ("经现场核查，项目已进场施工，开工手续齐全，同意确认开工。", "同意确认开工。"),
    "completed": ("竣工验收材料齐全，同意确认竣工。", "同意。"),
    "producing": ("已取得试生产备案及投产证明，同意确认投产。", "同意确认投产。"),
    "at_capacity": ("经核实，项目产能已达到设计产能，同意确认达产。", "同意确认达产。"),
}
RETURNS = {
    "signed": "投资协议未见双方盖章页，请补充完整协议文本后重新上报。",
    "started": "开工照片未体现实质性施工，请补充施工许可证和现场照片后重新上报。",
    "completed": "竣工验收备案表缺少监理单位意见，请补充后重新上报。",
    "producing": "投产证明与企业纳统数据不符，请核实后重新上报。",
    "at_capacity": "达产时间早于设备安装完成时间，请核实后重新上报。",
}

# ---- negotiation rounds ---------------------------------------------------------------------

TALK_PLACES = ("{unit}会议室", "企业总部（{region}）", "示范市招商服务中心", "项目拟选址现场", "{area}政府会议室")
TALK_CONTENTS = (
    "双方就项目选址、用地规模和建设周期进行洽谈，企业初步认可{area}的产业配套和区位条件。",
    "企业介绍了在{sector}领域的市场布局和投资计划，我方介绍了{area}的产业政策、要素保障和营商环境。",
    "双方就投资协议主要条款进行磋商，对固定资产投资强度、亩均税收和投产时间基本达成一致。",
    "企业实地考察拟选地块和周边配套，就供电、供水、天然气接入及标准化厂房租赁进行了沟通。",
    "双方就项目分期建设方案和扶持政策兑现方式进行深入交流，企业提出了人才公寓和员工招聘需求。",
)
OPEN_QUESTIONS = (
    "用地指标落实时间；电力扩容方案。",
    "企业希望享受设备购置补贴，需对照现行政策研究。",
    "环评和能评审批时限。",
    "配套道路建设进度；员工公寓。",
    "首期厂房代建方式和租金标准。",
    "",
)
NEXT_STEPS = (
    "起草投资协议文本，提交政府常务会研究。",
    "安排企业高层来示范实地考察。",
    "协调自然资源部门出具用地预审意见。",
    "组织发改、自然资源、生态环境、应急等部门联评联审。",
    "就协议条款与企业法务再次对接。",
)
LEADER_TITLES = {
    "区": ("区委副书记、区长", "区委常委、副区长", "副区长"),
    "县": ("县委副书记、县长", "县委常委、副县长", "副县长"),
}
ZONE_LEADER_TITLES = ("党工委副书记、管委会主任", "管委会副主任")
THEIR_TITLES = ("董事长", "总经理", "副总裁", "投资总监", "项目总监", "战略发展部部长")

# ---- teams, trips, events, introducers -----------------------------------------------------


@dataclass(frozen=True)
class Theme:
    """What an investment team chases: where (regions, and the region codes of the enterprises it visits) and which industries."""

    name: str
    regions: str
    region_prefixes: tuple[str, ...]
    destinations: tuple[str, ...]
    divisions: tuple[str, ...]


TEAM_THEMES = (
    Theme("长三角招商小分队", "上海、江苏、浙江", ("31", "32", "33"),
          ("上海市", "江苏省苏州市", "浙江省杭州市", "江苏省南京市、苏州市", "浙江省宁波市"), ("39", "34", "36")),
    Theme("珠三角招商小分队", "广东深圳、广州、东莞", ("44",),
          ("广东省深圳市", "广东省东莞市、深圳市", "广东省广州市"), ("39", "38")),
    Theme("京津冀招商小分队", "北京、天津", ("11", "12"), ("北京市", "北京市、天津市"), ("65", "73")),
    Theme("新能源产业招商小分队", "长三角、珠三角、福建", ("32", "33", "35", "44"),
          ("江苏省常州市", "福建省宁德市", "广东省深圳市"), ("38", "44")),
    Theme("装备制造招商小分队", "江苏、山东、湖南", ("32", "37", "43"),
          ("山东省青岛市", "湖南省长沙市", "江苏省南京市"), ("34", "35")),
    Theme("电子信息招商小分队", "深圳、苏州、成都", ("44", "32", "51"),
          ("广东省深圳市", "江苏省苏州市", "四川省成都市"), ("39", "65")),
    Theme("生物医药招商小分队", "上海、江苏、北京", ("31", "32", "11"),
          ("上海市", "江苏省南京市", "北京市"), ("27", "35")),
    Theme("农副产品加工招商小分队", "山东、四川、湖北", ("37", "51", "42"),
          ("山东省青岛市", "四川省成都市", "湖北省武汉市"), ("13", "14")),
    Theme("文旅康养招商小分队", "成渝、长三角", ("51", "31", "33"),
          ("四川省成都市", "上海市", "浙江省杭州市"), ("61", "87")),
)  # fmt: skip
CITY_THEME = Theme("市重点产业链招商小分队", "长三角、珠三角、京津冀", ("31", "32", "33", "44", "11"),
                   ("上海市", "广东省深圳市", "北京市", "江苏省苏州市"), ("38", "39", "36", "27"))  # fmt: skip
MEMBER_ROLES = ("副队长", "联络员", "队员", "队员", "队员")
TRIP_RESULTS = (
    "拜访企业{visited}家，对接项目{talks}个，其中{leads}个达成初步投资意向。",
    "走访{visited}家企业总部，宣介{area}产业政策，邀请{leads}家企业来示范考察。",
    "拜访企业{visited}家，收集有效线索{leads}条，已录入线索台账。",
)

#: (name, kind, unit code or "" for the city, month, day, days, place), each year
EVENTS = (
    ("第{edition}届中国（示范）投资贸易洽谈会", "expo", "", 5, 18, 3, "示范国际会展中心"),
    ("{year}年示范市一季度重大项目集中签约仪式", "signing", "", 3, 27, 1, "示范市政务服务中心"),
    ("{year}年示范市三季度重大项目集中签约仪式", "signing", "", 9, 25, 1, "示范市政务服务中心"),
    ("{year}年示范市四季度重大项目集中签约仪式", "signing", "", 12, 18, 1, "示范市政务服务中心"),
    ("{year}示范市（深圳）粤港澳大湾区产业合作推介会", "promotion", "", 7, 10, 1, "广东省深圳市"),
    ("{year}示范市（上海）长三角产业招商推介会", "promotion", "", 11, 6, 1, "上海市"),
    ("{year}示范经开区新能源产业招商大会", "promotion", "990171", 10, 15, 1, "示范经济技术开发区管委会"),
    ("示范经开区赴苏州、无锡外出招商活动（{year}年）", "visit", "990171", 4, 8, 4, "江苏省苏州市、无锡市"),
    ("{year}青河县茶文化旅游节暨招商推介会", "expo", "990121", 4, 20, 2, "青河县茶博园"),
    ("{year}云岭县康养文旅项目签约活动", "signing", "990122", 8, 8, 1, "云岭县政务服务中心"),
    ("{year}东城区数字经济项目集中签约活动", "signing", "990101", 6, 18, 1, "东城区政务服务中心"),
    ("{year}南湖区现代服务业招商推介会", "promotion", "990103", 9, 12, 1, "南湖区会展中心"),
)
EVENT_DESCRIPTIONS = {
    "expo": "集中展示产业发展成果和投资机会，举办产业对接会和重大项目集中签约。",
    "signing": "集中签约一批重大招商引资项目，市、区县主要领导出席。",
    "promotion": "面向目标区域企业宣介产业政策和投资环境，现场对接项目、签约一批项目。",
    "visit": "赴目标区域走访企业总部，洽谈在谈项目，收集投资线索。",
}
#: the city's annual expo was first held in this year
FIRST_EXPO_YEAR = 2015

CHAMBERS = ("示范市浙江商会", "示范市福建商会", "示范市广东商会", "示范市温州商会", "示范市江苏商会", "示范市川渝商会")
INTRODUCER_NOTES = ("在外乡贤（深圳）", "在外乡贤（上海）", "企业高管", "退休干部", "商会会长", "行业协会秘书长", "")
REWARD_RULE = "示范市招商引资引荐人奖励办法（试行）"
REWARD_REJECTED = "经核实，引荐人系投资企业的股东，不属于奖励办法规定的引荐人，不予奖励。"
