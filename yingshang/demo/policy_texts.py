"""The texts of the demo's "1+N" policy set: documents, their items and the items' eligibility rules.

A document is (key, title, number pattern, issuing unit code, kind, parent key, timing, items); the number
pattern takes the year of issue. Timing: "main" / "measure" (in force), "pending" (施行 in a few weeks),
"expired" (an old policy past its term), "repealed" (replaced by the main policy), "draft" (not published).
An item is (number, title, benefit kind, benefit, fixed amount, cap, beneficiaries, conditions, materials,
department code, 免申即享, rule). Rules use the format of apps/policies/rules.py with the registry's built-in
tags and GB/T 4754 codes (C 制造业, 39 计算机通信和其他电子设备制造业, 65 软件和信息技术服务业 …).
"""

from dataclasses import dataclass

CITY = "990100"
DRC, INVESTMENT, HR, FINANCE, INDUSTRY, COMMERCE, SCIENCE = (
    "990100D01", "990100D02", "990100D11", "990100D12", "990100D13", "990100D14", "990100D15",
)  # fmt: skip
BASIC = "申请表\n营业执照复印件\n法定代表人身份证明"


def c(field: str, op: str, value) -> dict:
    return {"field": field, "op": op, "value": value}


def every(*nodes) -> dict:
    return {"all": list(nodes)}


def anyof(*nodes) -> dict:
    return {"any": list(nodes)}


MANUFACTURING = c("industry", "in", ["C"])
NOT_BLACK = c("black_listed", "is", False)
SME = c("scale", "in", ["medium", "small", "micro"])


@dataclass(frozen=True)
class ItemText:
    number: str
    title: str
    benefit_kind: str
    benefit: str
    fixed: int | None
    cap: int | None
    beneficiaries: str
    conditions: str
    materials: str
    department: str
    auto_grant: bool
    rule: dict


@dataclass(frozen=True)
class PolicyText:
    key: str
    title: str
    number: str
    issuer: str
    kind: str
    parent: str | None
    timing: str
    items: tuple[ItemText, ...]


def item(number, title, kind, benefit, fixed, cap, who, conditions, materials, department, auto, rule) -> ItemText:
    return ItemText(number, title, kind, benefit, fixed, cap, who, conditions, f"{BASIC}\n{materials}".strip(),
                    department, auto, rule)  # fmt: skip


MAIN = PolicyText("main", "关于支持实体经济高质量发展的若干政策", "示政发〔{year}〕3号", CITY, "main", None, "main", (
    item("第三条", "规模以上工业企业首次入统奖励", "reward", "对首次纳入规模以上工业统计的企业一次性奖励10万元。", 10, 10,
         "本市工业企业", "上年度首次纳入规模以上工业企业统计（年主营业务收入2000万元以上）。", "统计部门入库证明",
         INDUSTRY, True, every(MANUFACTURING, c("revenue", "gte", 2000), c("founded_years", "lte", 5), NOT_BLACK)),
    item("第五条", "纳税贡献奖励", "reward", "上年度纳税额首次突破1000万元的企业，给予50万元奖励。", 50, 50,
         "本市企业", "上年度纳税额1000万元以上，无重大税收违法记录。", "完税证明", FINANCE, True,
         every(c("tax", "gte", 1000), NOT_BLACK)),
    item("第八条", "企业开办全程免费", "fee_waiver", "新开办企业免费刻制公章、免费邮寄证照。", None, None,
         "新开办企业", "在本市新登记设立的企业。", "", "990100D04", False, {}),
    item("第十二条", "专精特新企业奖励", "reward", "新认定的国家级专精特新“小巨人”企业奖励100万元，省级奖励30万元。",
         None, 100, "中小企业", "当年新获认定。", "认定文件", INDUSTRY, False,
         every(c("tags", "has_any", ["专精特新"]), SME)),
))  # fmt: skip

MEASURES = (
    PolicyText("industry", "示范市支持工业企业技术改造和扩能增效实施细则", "示工信发〔{year}〕5号", INDUSTRY, "measure",
               "main", "measure", (
        item("第四条", "技术改造设备投资补助", "subsidy", "按设备投资额的10%给予补助，单个项目最高300万元。", None, 300,
             "本市规模以上工业企业", "项目已竣工投产，设备投资500万元以上。", "项目备案证明\n设备购置发票\n竣工验收材料",
             INDUSTRY, False, every(MANUFACTURING, c("revenue", "gte", 2000))),
        item("第五条", "智能化改造示范奖励", "reward", "认定为市级智能工厂的奖励100万元，数字化车间奖励50万元。", None, 100,
             "本市工业企业", "通过市级智能工厂或数字化车间评定。", "评定文件", INDUSTRY, False,
             every(MANUFACTURING, c("employees", "gte", 100))),
        item("第六条", "首台（套）重大技术装备奖励", "reward", "按首台（套）产品销售额的20%奖励，最高200万元。", None, 200,
             "装备制造企业", "产品列入省首台（套）重大技术装备目录。", "目录文件\n销售合同和发票", INDUSTRY, False,
             every(c("industry", "in", ["34", "35", "38", "39", "40"]))),
        item("第七条", "工业企业满产奖励", "reward", "上年度产值增长20%以上的规模以上工业企业奖励20万元。", 20, 20,
             "规模以上工业企业", "上年度营业收入增长20%以上。", "统计报表", INDUSTRY, True,
             every(MANUFACTURING, c("revenue", "gte", 5000), NOT_BLACK)),
        item("第九条", "工业用电价格支持", "rate_reduction", "对重点工业企业按实际用电量给予每千瓦时0.03元补贴。", None, 80,
             "重点工业企业", "年用电量100万千瓦时以上。", "电费缴纳凭证", "990100D21", False,
             every(MANUFACTURING, c("scale", "in", ["large", "medium"]))),
        item("第十条", "绿色工厂奖励", "reward", "新获评国家级绿色工厂奖励50万元。", 50, 50, "本市工业企业",
             "当年获评国家级绿色工厂。", "评定文件", INDUSTRY, False, every(MANUFACTURING)),
    )),
    PolicyText("science", "示范市促进科技创新若干措施实施细则", "示科发〔{year}〕4号", SCIENCE, "measure", "main", "measure", (
        item("第三条", "高新技术企业认定奖励", "reward", "首次认定的国家高新技术企业奖励30万元，重新认定的奖励10万元。", None,
             30, "科技型企业", "当年通过高新技术企业认定。", "高新技术企业证书", SCIENCE, True,
             every(c("tags", "has_any", ["高新技术企业"]), NOT_BLACK)),
        item("第四条", "研发费用后补助", "subsidy", "按上年度研发费用增量的10%给予补助，最高200万元。", None, 200,
             "规模以上企业", "上年度研发费用100万元以上。", "研发费用专项审计报告\n研发费用加计扣除申报表", SCIENCE, False,
             every(c("rd_expense", "gte", 100))),
        item("第五条", "科技型中小企业研发奖励", "reward", "入库科技型中小企业按研发投入的5%奖励，最高20万元。", None, 20,
             "科技型中小企业", "入库国家科技型中小企业信息库。", "入库编号", SCIENCE, False,
             every(SME, c("rd_expense", "gte", 20), c("employees", "lte", 500))),
        item("第七条", "新型研发机构建设支持", "subsidy", "认定的市级新型研发机构给予最高500万元建设补助。", None, 500,
             "企业、高校和科研院所", "通过市级新型研发机构认定。", "认定文件\n建设方案", SCIENCE, False,
             every(c("industry", "in", ["M", "73"]))),
        item("第八条", "瞪羚企业成长奖励", "reward", "新认定的瞪羚企业奖励50万元。", 50, 50, "高成长企业",
             "当年新认定为瞪羚企业。", "认定文件", SCIENCE, True, every(c("tags", "has_any", ["瞪羚", "独角兽"]))),
        item("第十条", "科技成果转化补助", "subsidy", "按技术合同成交额的3%补助，最高50万元。", None, 50, "技术吸纳企业",
             "技术合同经登记。", "技术合同登记证明\n支付凭证", SCIENCE, False, {}),
    )),
    PolicyText("investment", "示范市招商引资优惠政策实施细则", "示投促发〔{year}〕2号", INVESTMENT, "measure", "main",
               "measure", (
        item("第三条", "重大产业项目落地奖励", "reward", "协议投资10亿元以上的项目按到位资金的1%奖励，最高1000万元。", None,
             1000, "新引进企业", "项目协议投资10亿元以上，到位资金达到协议的50%。", "投资协议\n到位资金证明", INVESTMENT,
             False, every(c("contracted_investment", "gte", 100000), NOT_BLACK)),
        item("第四条", "世界500强企业落户奖励", "reward", "世界500强、中国500强企业设立区域总部的奖励500万元。", 500, 500,
             "500强企业", "在本市设立具有独立法人资格的区域总部。", "总部认定文件", INVESTMENT, False,
             every(c("tags", "has_any", ["世界500强", "中国500强", "中国民营500强"]))),
        item("第五条", "项目用地保障", "land", "重大项目优先保障用地指标，实行“标准地”出让。", None, None, "重大产业项目",
             "协议投资5亿元以上的工业项目。", "项目可行性研究报告", "990100D05", False,
             every(c("contracted_investment", "gte", 50000))),
        item("第六条", "设备投资补助", "subsidy", "新引进工业项目按设备投资的8%补助，最高500万元。", None, 500,
             "新引进工业企业", "项目竣工投产，设备投资3000万元以上。", "设备发票\n竣工投产证明", INVESTMENT, False,
             every(MANUFACTURING, c("funds_in_place", "gte", 3000))),
        item("第八条", "以商招商引荐奖励", "reward", "成功引荐项目落地的企业按实际到位资金的千分之五奖励。", None, 100,
             "引荐企业", "所引荐项目已签约落地。", "引荐确认书", INVESTMENT, False, {}),
    )),
    PolicyText("talent", "示范市引进培育高层次人才实施细则", "示人社发〔{year}〕6号", HR, "measure", "main", "measure", (
        item("第三条", "企业引进博士生活补贴", "subsidy", "企业全职引进的博士按每人每年5万元给予生活补贴，连续三年。",
             None, 15, "用人企业", "全职引进，签订三年以上劳动合同并缴纳社保。", "劳动合同\n学位证书\n社保缴纳证明", HR,
             False, every(c("employees", "gte", 10))),
        item("第五条", "技能人才培训补贴", "subsidy", "按取得职业技能等级证书人数给予每人1000至3000元培训补贴。", None, 50,
             "开展职业技能培训的企业", "培训后取得职业技能等级证书。", "培训花名册\n证书复印件", HR, False,
             every(c("employees", "gte", 50))),
        item("第六条", "稳岗返还", "subsidy", "不裁员或少裁员的企业返还上年度实际缴纳失业保险费的60%（中小微企业90%）。",
             None, 100, "参保企业", "上年度足额缴纳失业保险费，裁员率不高于规定标准。", "", HR, True,
             every(c("employees", "gte", 1), NOT_BLACK)),
        item("第七条", "人才公寓保障", "service", "为企业引进的高层次人才提供人才公寓，三年内免租金。", None, None,
             "高层次人才及其用人单位", "经认定的A、B、C类高层次人才。", "人才认定文件", "990100D07", False, {}),
        item("第九条", "吸纳高校毕业生就业补贴", "subsidy", "吸纳离校两年内高校毕业生就业的，按每人2000元给予补贴。", None, 20,
             "中小微企业", "签订一年以上劳动合同并缴纳社保。", "劳动合同\n毕业证书", HR, False, every(SME)),
    )),
    PolicyText("trade", "示范市稳外贸促发展实施细则", "示商发〔{year}〕3号", COMMERCE, "measure", "main", "measure", (
        item("第三条", "外贸进出口增量奖励", "reward", "年进出口额增长10%以上的企业，按增量每美元0.01元奖励，最高100万元。",
             None, 100, "外贸企业", "上年度进出口额500万美元以上且增长10%以上。", "海关进出口数据", COMMERCE, False,
             every(c("industry", "in", ["C", "F"]), c("revenue", "gte", 3000))),
        item("第四条", "境外展会参展补助", "subsidy", "参加境外重点展会的按展位费的70%补助，每家最高20万元。", None, 20,
             "外贸企业", "参加市商务局公布的重点展会目录内展会。", "参展合同\n展位费发票", COMMERCE, False,
             every(c("industry", "in", ["C", "F"]))),
        item("第五条", "出口信用保险保费补助", "subsidy", "按实缴出口信用保险保费的50%补助，最高30万元。", None, 30,
             "出口企业", "投保短期出口信用保险。", "保单\n保费发票", COMMERCE, True,
             every(c("industry", "in", ["C"]), c("revenue", "gte", 1000), NOT_BLACK)),
        item("第七条", "跨境电商企业落户奖励", "reward", "新落户的跨境电商企业年交易额超过1000万美元的奖励50万元。", 50, 50,
             "跨境电商企业", "在本市注册并开展跨境电商业务。", "跨境电商交易数据", COMMERCE, False,
             every(c("industry", "in", ["51", "52"]), c("founded_years", "lte", 3))),
    )),
    PolicyText("sme", "示范市支持中小企业专精特新发展实施细则", "示工信发〔{year}〕7号", INDUSTRY, "measure", "main",
               "measure", (
        item("第三条", "专精特新“小巨人”奖励", "reward", "新认定的国家级专精特新“小巨人”企业奖励100万元。", 100, 100,
             "中小企业", "当年新获认定。", "认定文件", INDUSTRY, True, every(c("tags", "has_all", ["专精特新"]), SME)),
        item("第四条", "中小企业上云用数补助", "subsidy", "按上云服务费的50%补助，最高10万元。", None, 10, "中小企业",
             "与市公布的云服务商签订服务合同。", "服务合同\n发票", INDUSTRY, False, every(SME)),
        item("第五条", "小微企业创业担保贷款贴息", "loan", "创业担保贷款按LPR的50%给予贴息，最高贷款额300万元。", None, 15,
             "小微企业", "新招用符合条件人员达到职工总数15%以上。", "贷款合同\n付息凭证", FINANCE, False,
             every(c("scale", "in", ["small", "micro"]), NOT_BLACK)),
        item("第六条", "中小企业服务券", "service", "每家中小企业每年可申领最高5万元服务券，用于购买咨询、检测服务。",
             None, 5, "中小企业", "在本市注册满一年。", "", INDUSTRY, False,
             every(SME, c("founded_years", "gte", 1))),
        item("第八条", "“专精特新”企业上市培育奖励", "reward", "完成股份制改造的奖励50万元，报辅导备案的奖励100万元。", None,
             150, "专精特新企业", "完成股改或辅导备案。", "股改文件或辅导备案材料", FINANCE, False,
             every(c("tags", "has_any", ["专精特新", "瞪羚"]))),
    )),
    PolicyText("finance", "示范市金融支持实体经济实施细则", "示财发〔{year}〕9号", FINANCE, "measure", "main", "measure", (
        item("第三条", "企业上市挂牌奖励", "reward", "在境内主板、创业板、科创板上市的企业分阶段奖励共计800万元。", None,
             800, "拟上市企业", "取得证监会注册批复或交易所上市通知。", "上市批复文件", FINANCE, False,
             every(c("registered_capital", "gte", 5000), c("revenue", "gte", 20000))),
        item("第四条", "中小企业贷款贴息", "loan", "按实际支付利息的30%贴息，每家最高50万元。", None, 50, "中小企业",
             "在本市银行机构取得一年期以上流动资金贷款。", "贷款合同\n付息凭证", FINANCE, False, every(SME, NOT_BLACK)),
        item("第五条", "政府性融资担保费补贴", "fee_waiver", "担保费率超过1%的部分由财政补贴。", None, 20, "小微企业",
             "通过市融资担保公司取得担保贷款。", "担保合同\n担保费发票", FINANCE, True,
             every(c("scale", "in", ["small", "micro"]), NOT_BLACK)),
        item("第六条", "应急转贷资金支持", "loan", "为贷款到期的企业提供应急转贷资金，费率不高于日万分之一。", None, 2000,
             "本市企业", "信用良好、贷款到期且银行同意续贷。", "续贷承诺函", FINANCE, False, every(NOT_BLACK)),
    )),
    PolicyText("tourism", "示范市促进文化旅游消费实施细则", "示商发〔{year}〕8号", COMMERCE, "measure", "main", "measure", (
        item("第三条", "A级景区创建奖励", "reward", "新评为国家5A级景区奖励300万元，4A级奖励100万元。", None, 300,
             "景区运营企业", "当年新获评定。", "评定文件", COMMERCE, False, every(c("industry", "in", ["R", "N"]))),
        item("第四条", "星级饭店评定奖励", "reward", "新评定的五星级饭店奖励100万元，四星级奖励50万元。", None, 100,
             "住宿企业", "当年新获评定。", "评定文件", COMMERCE, False, every(c("industry", "in", ["H"]))),
        item("第五条", "文旅消费季活动补助", "subsidy", "举办市级文旅消费活动的按实际投入的30%补助，最高30万元。", None, 30,
             "文旅企业", "活动列入市文旅消费季活动计划。", "活动方案\n费用凭证", COMMERCE, False,
             every(c("industry", "in", ["R", "H", "F"]))),
        item("第六条", "旅行社引客入示奖励", "reward", "组织外地游客来示范市过夜游的按每人次20元奖励。", None, 50,
             "旅行社", "组织境内外游客在本市A级景区游览并过夜。", "团队名单\n住宿凭证", COMMERCE, False,
             every(c("industry", "in", ["72", "L"]))),
    )),
    PolicyText("digital", "示范市加快数字经济发展实施细则", "示发改发〔{year}〕11号", DRC, "measure", "main", "pending", (
        item("第三条", "软件企业首版次奖励", "reward", "首版次软件产品按销售额的10%奖励，最高100万元。", None, 100,
             "软件和信息技术服务企业", "产品列入首版次软件目录。", "目录文件\n销售合同", INDUSTRY, False,
             every(c("industry", "in", ["65", "64"]))),
        item("第四条", "数字化转型贷款贴息", "loan", "数字化转型项目贷款按LPR的50%贴息。", None, 100, "本市企业",
             "项目列入市数字化转型项目库。", "贷款合同\n项目入库文件", FINANCE, False,
             every(anyof(c("industry", "in", ["39", "65"]), c("tags", "has_any", ["高新技术企业"])))),
        item("第五条", "数据中心用电支持", "rate_reduction", "新建数据中心PUE低于1.3的给予电价优惠。", None, None,
             "数据中心运营企业", "PUE值低于1.3。", "能效测评报告", "990100D21", False, every(c("industry", "in", ["65"]))),
    )),
)  # fmt: skip

OLD = (
    PolicyText("covid", "示范市支持企业应对疫情稳定发展若干措施", "示政发〔{year}〕5号", CITY, "main", None, "expired", (
        item("第二条", "中小企业房租减免", "fee_waiver", "承租国有资产类经营用房的中小微企业减免三个月租金。", None, 30,
             "中小微企业", "承租国有经营用房。", "租赁合同", FINANCE, False, every(SME)),
        item("第四条", "稳岗补贴", "subsidy", "对不裁员或少裁员的企业返还失业保险费的50%。", None, 50, "参保企业",
             "上年度足额缴纳失业保险费。", "", HR, False, every(c("employees", "gte", 1))),
        item("第六条", "贷款延期还本付息", "loan", "对受疫情影响的中小企业贷款延期还本付息。", None, None, "中小企业",
             "受疫情影响暂时经营困难。", "贷款合同", FINANCE, False, every(SME)),
    )),
    PolicyText("private", "示范市促进民营经济发展若干措施", "示政发〔{year}〕9号", CITY, "main", None, "repealed", (
        item("第三条", "民营企业技术改造补助", "subsidy", "按设备投资额的8%补助，最高200万元。", None, 200, "民营工业企业",
             "设备投资300万元以上。", "设备发票", INDUSTRY, False, every(MANUFACTURING)),
        item("第五条", "民营企业贷款贴息", "loan", "按实际支付利息的20%贴息。", None, 30, "民营企业",
             "在本市银行机构取得贷款。", "贷款合同\n付息凭证", FINANCE, False, every(SME)),
    )),
    PolicyText("lowalt", "示范市支持低空经济发展若干措施（征求意见稿）", "示政办发〔{year}〕21号", CITY, "main", None, "draft",
               (
        item("第三条", "低空飞行器研发奖励", "reward", "取得型号合格证的无人机产品奖励200万元。", 200, 200,
             "低空经济企业", "取得民航部门型号合格证。", "型号合格证", INDUSTRY, False, every(c("industry", "in", ["37"]))),
    )),
)  # fmt: skip

POLICIES = (MAIN, *MEASURES, *OLD)
