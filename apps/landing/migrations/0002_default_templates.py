"""The default procedure checklist templates (手续清单模板), which the city's administrator edits.

Templates are city-wide: a step names its department by a keyword (自然资源, 生态环境 …) and each
project's checklist finds the department of the project's own area (or the city's) when it is made.
Time limits are statutory or committed limits in working days; steps without prerequisites run in
parallel (并联审批).
"""

from django.db import migrations

# (code, name, department hint, working days, prerequisites, document kind, is permit, materials)
APPROVAL = (
    "approval",
    "立项备案/核准",
    "发展和改革",
    5,
    [],
    "",
    False,
    "项目备案（核准）申请表、企业营业执照、项目建设方案",
)
LAND_PRE = ("land_pre", "用地预审与选址意见", "自然资源", 10, [], "", False, "建设项目用地预审与选址申请表、勘测定界图")
LAND_TRANSFER = (
    "land_transfer",
    "土地出让/划拨",
    "自然资源",
    20,
    ["land_pre"],
    "land",
    False,
    "竞得（中标）通知书、出让合同、出让金缴纳凭证",
)
LAND_PLANNING = (
    "land_planning",
    "建设用地规划许可证",
    "自然资源",
    5,
    ["land_transfer"],
    "land",
    False,
    "国有建设用地使用权出让合同、规划条件",
)
WORKS_PLANNING = (
    "works_planning",
    "建设工程规划许可证",
    "自然资源",
    7,
    ["land_planning"],
    "",
    False,
    "建设工程设计方案、总平面图、不动产权证书",
)
WORKS_PLANNING_OWN = (
    "works_planning",
    "建设工程规划许可证",
    "自然资源",
    7,
    [],
    "",
    False,
    "建设工程设计方案、总平面图、不动产权证书",
)
EIA = ("eia", "环评批复", "生态环境", 20, [], "", False, "环境影响报告书（表）及技术评估意见")
ENERGY = ("energy", "节能审查", "发展和改革", 10, [], "", False, "节能报告")
SAFETY = ("safety", "安全评价/安全条件审查", "应急管理", 15, [], "", False, "安全预评价报告、安全条件审查申请书")
DRAWINGS = ("drawings", "施工图审查", "住房和城乡建设", 10, [], "", False, "施工图设计文件、勘察报告")
FIRE = ("fire", "消防设计审查", "住房和城乡建设", 10, [], "", False, "消防设计文件、消防设计审查申请表")
PERMIT = (
    "permit",
    "施工许可证",
    "住房和城乡建设",
    3,
    ["works_planning", "drawings", "fire"],
    "permit",
    True,
    "建设工程规划许可证、施工图审查合格书、施工合同、质量安全监督手续",
)
PERMIT_LEASED = (
    "permit",
    "施工许可证",
    "住房和城乡建设",
    3,
    ["drawings", "fire"],
    "permit",
    True,
    "租赁合同、施工图审查合格书、施工合同、质量安全监督手续",
)
POWER = ("power", "供电报装", "供电", 15, [], "", False, "用电报装申请、用电负荷清单")
WATER = ("water", "供水报装", "水务", 10, [], "", False, "用水报装申请、给排水设计图")

#: (code, name, description, project kind, commitment days, commitment note, steps)
TEMPLATES = (
    ("new-land", "新建项目（新供地）", "新取得国有建设用地的新建工业项目。", "new", 50,
     "参照工业项目“拿地即开工”承诺，可由管理员修改",
     [APPROVAL, LAND_PRE, LAND_TRANSFER, LAND_PLANNING, WORKS_PLANNING, EIA, ENERGY, SAFETY, DRAWINGS, FIRE,
      PERMIT, POWER, WATER]),
    ("expansion", "增资扩建（自有用地）", "在企业已有用地上扩建，不新增用地。", "expansion", None, "",
     [APPROVAL, WORKS_PLANNING_OWN, EIA, ENERGY, SAFETY, DRAWINGS, FIRE, PERMIT, POWER, WATER]),
    ("leased-factory", "租赁厂房", "租赁标准厂房或闲置厂房，只做装修改造和设备安装。", "", None, "",
     [APPROVAL, EIA, SAFETY, DRAWINGS, FIRE, PERMIT_LEASED, POWER]),
    ("upgrade", "技术改造（不新增用地）", "在现有厂区内的技术改造、设备更新，不新增用地。", "upgrade", None, "",
     [APPROVAL, ENERGY, EIA, SAFETY, DRAWINGS, FIRE, PERMIT_LEASED, POWER]),
)  # fmt: skip


def load(apps, schema_editor):
    ChecklistTemplate = apps.get_model("landing", "ChecklistTemplate")
    TemplateStep = apps.get_model("landing", "TemplateStep")
    for code, name, description, kind, days, note, steps in TEMPLATES:
        template, created = ChecklistTemplate.objects.get_or_create(
            code=code,
            defaults={
                "name": name, "description": description, "project_kind": kind,
                "commitment_days": days, "commitment_note": note,
            },
        )  # fmt: skip
        if not created:
            continue
        made = {}
        for order, (step_code, step_name, hint, limit, _prerequisites, kind_, permit, materials) in enumerate(steps, 1):
            made[step_code] = TemplateStep.objects.create(
                template=template, order=order, code=step_code, name=step_name, department_hint=hint,
                time_limit_days=limit, document_kind=kind_, is_permit=permit, materials=materials,
            )  # fmt: skip
        for step_code, _name, _hint, _limit, prerequisites, *_rest in steps:
            made[step_code].prerequisites.set([made[p] for p in prerequisites])


def unload(apps, schema_editor):
    apps.get_model("landing", "ChecklistTemplate").objects.filter(code__in=[t[0] for t in TEMPLATES]).delete()


class Migration(migrations.Migration):
    dependencies = [("landing", "0001_landing")]

    operations = [migrations.RunPython(load, unload)]
