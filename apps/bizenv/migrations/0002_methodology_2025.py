"""Methodology "2025" (draft): the national system's 18 first-level indicators and a draft second level.

The 18 names are those of 《中国营商环境报告2020》 (research/anchors-bizenv.md §1.1). The official 87
second-level indicators are not public in the sources at hand, so the second level below is a draft
(is_draft=True, "草案，待管理员核对") drawn from the research's best-effort map (§1.2) and local practice
(§1.4): an administrator checks it against the official book before publishing. Frontier best/worst
values are Doing Business 2020's (§4.2) where the research gives them, with their source in
``parameters["source"]``; the others are left for the city to set. Lead units are left empty: the city
assigns them.
"""

from django.db import migrations

CODE = "2025"
LIFE_CYCLE = "企业全生命周期指标（15项之一）"
CITY_QUALITY = "投资吸引力与城市高质量发展指标（3项之一）"
CHECK = "草案：名称与口径待对照《中国营商环境报告》核对。"
CANDIDATE = "草案：名称取自常见候选清单，未见官方文本，务必核对。"
DB_S = "世界银行DB2020表6.1（二手资料）"
DB_M = "世界银行DB2020表6.1（未核实，待核对）"

# first level: (name, group); second level: (name, kind, direction, unit of measure, best, worst, source, pillar)
L, H = "lower_better", "higher_better"
TREE = (
    ("开办企业", LIFE_CYCLE, CHECK, (
        ("开办企业环节", "steps", L, "个", 1, 18, DB_S, "efficiency"),
        ("开办企业时间", "time", L, "天", 0.5, 100, DB_S, "efficiency"),
        ("开办企业费用", "cost", L, "占人均收入%", 0, 200, DB_S, "efficiency"),
        ("开办企业便利度", "index", H, "分", None, None, "", "public_services"),
    )),
    ("劳动力市场监管", LIFE_CYCLE, "", ()),
    ("办理建筑许可", LIFE_CYCLE, CHECK, (
        ("办理建筑许可环节", "steps", L, "个", 5, 30, DB_M, "efficiency"),
        ("办理建筑许可时间", "time", L, "天", 26, 373, DB_M, "efficiency"),
        ("办理建筑许可费用", "cost", L, "占仓库价值%", 0, 20, DB_M, "efficiency"),
        ("建筑质量控制指数", "index", H, "分（0–15）", 15, 0, DB_M, "regulatory"),
    )),
    ("政府采购", LIFE_CYCLE, CANDIDATE, (
        ("电子采购平台", "index", H, "分", None, None, "", "public_services"),
        ("采购流程", "index", H, "分", None, None, "", "regulatory"),
        ("采购结果确定和合同签订", "index", H, "分", None, None, "", "regulatory"),
        ("合同管理", "index", H, "分", None, None, "", "regulatory"),
        ("支付和交付", "index", H, "分", None, None, "", "efficiency"),
    )),
    ("招标投标", LIFE_CYCLE, CANDIDATE, (
        ("互联网+招标采购", "index", H, "分", None, None, "", "public_services"),
        ("投标和履约担保", "index", H, "分", None, None, "", "regulatory"),
        ("外地企业中标率", "rate", H, "%", None, None, "", "efficiency"),
        ("建立公平有效的投诉机制", "index", H, "分", None, None, "", "regulatory"),
    )),
    ("获得电力", LIFE_CYCLE, CHECK, (
        ("获得电力环节", "steps", L, "个", 3, 9, DB_S, "efficiency"),
        ("获得电力时间", "time", L, "天", 18, 248, DB_M, "efficiency"),
        ("获得电力成本", "cost", L, "占人均收入%", 0, 8100, DB_M, "efficiency"),
        ("供电可靠性和电费透明度指数", "index", H, "分（0–8）", 8, 0, DB_M, "public_services"),
    )),
    ("获得用水用气", LIFE_CYCLE, CHECK, (
        ("获得用水环节", "steps", L, "个", None, None, "", "efficiency"),
        ("获得用水时间", "time", L, "工作日", None, None, "", "efficiency"),
        ("获得用水成本", "cost", L, "元", None, None, "", "efficiency"),
        ("获得用气环节", "steps", L, "个", None, None, "", "efficiency"),
        ("获得用气时间", "time", L, "工作日", None, None, "", "efficiency"),
        ("获得用气成本", "cost", L, "元", None, None, "", "efficiency"),
    )),
    ("登记财产", LIFE_CYCLE, CHECK, (
        ("登记财产环节", "steps", L, "个", 1, 13, DB_M, "efficiency"),
        ("登记财产时间", "time", L, "天", 1, 210, DB_M, "efficiency"),
        ("登记财产费用", "cost", L, "占财产价值%", 0, 15, DB_M, "efficiency"),
        ("土地管理质量指数", "index", H, "分（0–30）", 30, 0, DB_M, "regulatory"),
    )),
    ("获得信贷", LIFE_CYCLE, CHECK, (
        ("合法权利力度指数", "index", H, "分（0–12）", 12, 0, "指数满分与最低分", "regulatory"),
        ("信贷信息深度指数", "index", H, "分（0–8）", 8, 0, "指数满分与最低分", "public_services"),
    )),
    ("保护中小投资者", LIFE_CYCLE, CHECK, (
        ("披露程度", "index", H, "分", None, None, "", "regulatory"),
        ("董事责任程度", "index", H, "分", None, None, "", "regulatory"),
        ("股东诉讼便利度", "index", H, "分", None, None, "", "regulatory"),
        ("股东权利", "index", H, "分", None, None, "", "regulatory"),
        ("所有权和管理控制", "index", H, "分", None, None, "", "regulatory"),
        ("公司透明度", "index", H, "分", None, None, "", "regulatory"),
    )),
    ("知识产权创造、保护和运用", LIFE_CYCLE, "", ()),
    ("跨境贸易", LIFE_CYCLE, CHECK, (
        ("出口边境合规时间", "time", L, "小时", None, None, "", "efficiency"),
        ("出口单证合规时间", "time", L, "小时", None, None, "", "efficiency"),
        ("进口边境合规时间", "time", L, "小时", None, None, "", "efficiency"),
        ("进口单证合规时间", "time", L, "小时", None, None, "", "efficiency"),
        ("出口边境合规成本", "cost", L, "美元", None, None, "", "efficiency"),
        ("出口单证合规成本", "cost", L, "美元", None, None, "", "efficiency"),
        ("进口边境合规成本", "cost", L, "美元", 0, 1200, DB_S, "efficiency"),
        ("进口单证合规成本", "cost", L, "美元", None, None, "", "efficiency"),
    )),
    ("纳税", LIFE_CYCLE, CHECK, (
        ("纳税次数", "steps", L, "次/年", 3, 63, DB_M, "efficiency"),
        ("纳税时间", "time", L, "小时/年", 49, 696, DB_M, "efficiency"),
        ("总税收和社会缴纳费率", "rate", L, "%", 26.1, 84, DB_M, "regulatory"),
        ("报税后流程指数", "index", H, "分（0–100）", 100, 0, DB_M, "public_services"),
    )),
    ("执行合同", LIFE_CYCLE, CHECK, (
        ("解决商业纠纷的时间", "time", L, "天", 120, 1340, DB_S, "efficiency"),
        ("解决商业纠纷的费用", "cost", L, "占索赔额%", 0.1, 89, DB_S, "efficiency"),
        ("司法程序质量指数", "index", H, "分（0–18）", 18, 0, DB_S, "regulatory"),
    )),
    ("办理破产", LIFE_CYCLE, CHECK, (
        ("回收率", "rate", H, "美分/美元", 92.9, 0, DB_S, "efficiency"),
        ("破产框架力度指数", "index", H, "分（0–16）", 16, 0, DB_S, "regulatory"),
    )),
    ("市场监管", CITY_QUALITY, CANDIDATE, (
        ("双随机、一公开监管", "index", H, "分", None, None, "", "regulatory"),
        ("互联网+监管", "index", H, "分", None, None, "", "public_services"),
        ("信用监管", "index", H, "分", None, None, "", "regulatory"),
        ("包容审慎监管", "index", H, "分", None, None, "", "regulatory"),
    )),
    ("政务服务", CITY_QUALITY, CHECK, (
        ("网上政务服务能力", "index", H, "分", None, None, "", "public_services"),
        ("政务服务事项便利度", "index", H, "分", None, None, "", "public_services"),
        ("政务服务满意度", "satisfaction", H, "%", None, None, "", "efficiency"),
    )),
    ("包容普惠创新", CITY_QUALITY, CANDIDATE, (
        ("创新创业活跃度", "index", H, "分", None, None, "", ""),
        ("人才流动便利度", "index", H, "分", None, None, "", ""),
        ("市场开放度", "index", H, "分", None, None, "", ""),
        ("基本公共服务群众满意度", "satisfaction", H, "%", None, None, "", ""),
        ("蓝天碧水净土森林覆盖指数", "index", H, "分", None, None, "", ""),
        ("综合立体交通指数", "index", H, "分", None, None, "", ""),
    )),
)  # fmt: skip
NOTES = (
    "国家营商环境评价指标体系的18项一级指标（《中国营商环境报告2020》）。二级指标为草案，"
    "依据公开资料整理，未经官方清单核对，标注“草案，待管理员核对”；管理员核对、补充后方可发布。"
    "牵头单位由本市确定。"
)


def load(apps, schema_editor):
    Methodology = apps.get_model("bizenv", "Methodology")
    Indicator = apps.get_model("bizenv", "Indicator")
    if Methodology.objects.filter(code=CODE).exists():
        return
    methodology = Methodology.objects.create(code=CODE, name="2025年营商环境评价指标体系", notes=NOTES)
    for number, (name, group, note, children) in enumerate(TREE, start=1):
        first = Indicator.objects.create(
            methodology=methodology, level=1, code=f"{number:02d}", name=name, description=group, unit_of_measure="分",
            direction=H, kind="index", order=number,
        )  # fmt: skip
        rows = []
        for index, (child, kind, direction, measure, best, worst, source, pillar) in enumerate(children, start=1):
            parameters = {"best": best, "worst": worst, "source": source} if best is not None else {}
            rows.append(Indicator(
                methodology=methodology, parent=first, level=2, code=f"{first.code}.{index:02d}", name=child,
                description=note, unit_of_measure=measure, direction=direction, kind=kind, parameters=parameters,
                data_source="survey" if kind == "satisfaction" else "manual", pillar=pillar, is_draft=True,
                order=index,
            ))  # fmt: skip
        Indicator.objects.bulk_create(rows)


def unload(apps, schema_editor):
    apps.get_model("bizenv", "Methodology").objects.filter(code=CODE, status="draft").delete()


class Migration(migrations.Migration):
    dependencies = [("bizenv", "0001_indicator_system")]

    operations = [migrations.RunPython(load, unload)]
