"""The three national time-limit commitments, with their sources (research/anchors-bizenv.md §2–§3).

The limits are the national ceilings as the research found them; each region determines and publishes its
own, usually shorter (《优化营商环境条例》 arts. 19, 47), so the business-environment keeper edits them.
Departments are left empty: the city names its own. Figures marked "待核对" were not verified against the
primary text during the research.
"""

from django.db import migrations

REGULATION = "《优化营商环境条例》（国务院令第722号）"
SEED = (
    {
        "code": "kaiban",
        "name": "开办企业",
        "limit_days": 4,
        "indicator_code": "01.02",
        "order": 1,
        "description": (
            "企业设立登记、公章刻制、银行开户、申领发票（含税务登记）全流程，自受理次日起按工作日计算。"
            "各地在国家规定时限内确定并公开具体办理时间，可以更短。"
        ),
        "legal_basis": (
            f"{REGULATION}第十九条：在国家规定的企业开办时限内，各地区应当确定并公开具体办理时间。\n"
            f"{REGULATION}第二十六条：商业银行应当公开企业开户的服务标准、资费标准和办理时限。\n"
            "国办发〔2018〕32号《关于进一步压缩企业开办时间的意见》：2018年底前直辖市、副省级城市、省会城市、"
            "计划单列市压缩至8.5个工作日以内，2019年上半年全国实现；其中企业登记5个、印章刻制1个、申领发票2个"
            "工作日以内（市场监管总局发布会，中国青年报2018年5月24日）。\n"
            "国办发〔2020〕24号：全国压缩至4个工作日以内（待核对原文）。"
        ),
        "steps": (("设立登记", 2), ("公章刻制", 1), ("银行开户", 1), ("申领发票", 1)),
    },
    {
        "code": "budongchan",
        "name": "不动产登记",
        "limit_days": 5,
        "indicator_code": "08.02",
        "order": 2,
        "description": "不动产交易、缴税、登记“一窗受理、并行办理”，自受理次日起至登簿发证，按工作日计算。",
        "legal_basis": (
            f"{REGULATION}第四十七条：推行不动产登记、交易和缴税一窗受理、并行办理；在国家规定的不动产登记时限内，"
            "各地区应当确定并公开具体办理时间。\n"
            "国办发〔2019〕8号：一般登记、抵押登记业务办理时间压缩至5个工作日以内（2020年底前；待核对原文）。"
        ),
        "steps": (("交易审核", 1), ("税款征收", 1), ("登记登簿", 3)),
    },
    {
        "code": "gongcheng",
        "name": "工程建设项目审批",
        "limit_days": 120,
        "indicator_code": "03.02",
        "order": 3,
        "takes_checklists": True,
        "description": (
            "一般社会投资（非重大）工程建设项目，从立项到取得施工许可证，按工作日计算；可从项目落地的手续清单生成办件。"
            "各环节时限为示例，请按本地实施方案修改。"
        ),
        "legal_basis": (
            f"{REGULATION}第四十二条：设区的市以上地方人民政府应当按照国家有关规定，优化工程建设项目审批流程，"
            "推行并联审批、多图联审、联合竣工验收等方式。\n"
            "国办发〔2019〕11号《关于全面开展工程建设项目审批制度改革的实施意见》：2019年上半年全国工程建设项目"
            "审批时间压缩至120个工作日以内（北京大学论文及住建部发布会转引）。\n"
            "江苏“3550”改革：工业建设项目施工许可50个工作日内（名称见南通2019年改革方案，含义待核对）。"
        ),
        "steps": (("立项用地规划许可", 30), ("工程建设许可", 50), ("施工许可", 40)),
    },
)


def load(apps, schema_editor):
    Commitment = apps.get_model("bizenv", "Commitment")
    CommitmentStep = apps.get_model("bizenv", "CommitmentStep")
    for spec in SEED:
        fields = {key: value for key, value in spec.items() if key not in ("code", "steps")}
        commitment, created = Commitment.objects.get_or_create(code=spec["code"], defaults=fields)
        if created:
            CommitmentStep.objects.bulk_create(
                CommitmentStep(commitment=commitment, order=n, name=name, limit_days=days)
                for n, (name, days) in enumerate(spec["steps"], start=1)
            )


def unload(apps, schema_editor):
    Commitment = apps.get_model("bizenv", "Commitment")
    Commitment.objects.filter(code__in=[spec["code"] for spec in SEED], cases__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("bizenv", "0004_commitments")]

    operations = [migrations.RunPython(load, unload)]
