"""A small example code list of appeal categories and the Guangdong-style time limits.

Categories follow the first levels of the provincial 12345 code lists (DB44/T 2479 style), cut down to a
realistic sample the hotline office extends. Time limits (research/anchors-appeals.md §1.4): 《广东省12345
政务服务便民热线管理办法》 — 咨询 2, 求助·建议 10, 投诉·举报 15 working days to reply; sign-for within 1
working day (a city standard). Urgent limits follow the quick-response rules (contact within 2 hours).
"""

from datetime import date

from django.db import migrations

#: (code, name, parent code, is_enterprise, is_mediation_or_enforcement, is_functional)
CATEGORIES = (
    ("01", "城乡建设", None, False, False, True),
    ("0101", "住房保障", "01", False, False, True),
    ("0102", "物业管理", "01", False, True, False),
    ("0103", "市政设施", "01", False, False, True),
    ("010301", "道路破损", "0103", False, False, True),
    ("010302", "路灯照明", "0103", False, False, False),
    ("02", "市场监管", None, False, False, True),
    ("0201", "食品安全", "02", False, True, True),
    ("0202", "消费维权", "02", False, True, True),
    ("0203", "价格收费", "02", False, False, True),
    ("03", "劳动保障", None, False, False, True),
    ("0301", "欠薪讨薪", "03", False, True, True),
    ("0302", "社会保险", "03", False, False, True),
    ("04", "企业诉求", None, True, False, True),
    ("0401", "政策兑现", "04", True, False, True),
    ("0402", "审批服务", "04", True, False, True),
    ("040201", "工程建设项目审批", "0402", True, False, True),
    ("0403", "要素保障", "04", True, False, True),
    ("0404", "涉企执法检查", "04", True, True, True),
    ("05", "社区治理", None, False, False, False),
    ("0501", "邻里纠纷", "05", False, True, False),
)

SOURCE = "《广东省12345政务服务便民热线管理办法》（2022年9月1日起施行）；签收时限参照地方标准（1个工作日）。"
#: appeal type → reply limit in working days (一般)
REPLY_DAYS = {"consultation": 2, "help": 10, "suggestion": 10, "complaint": 15, "report": 15}


def seed(apps, schema_editor):
    Category = apps.get_model("appeals", "Category")
    TimeLimitPolicy = apps.get_model("appeals", "TimeLimitPolicy")
    made = {}
    for code, name, parent, enterprise, mediation, functional in CATEGORIES:
        made[code] = Category.objects.create(
            code=code, name=name, parent=made.get(parent), level=len(code) // 2, is_enterprise=enterprise,
            is_mediation_or_enforcement=mediation, is_functional=functional,
        )  # fmt: skip
    for appeal_type, days in REPLY_DAYS.items():
        common = {"appeal_type": appeal_type, "version": "粤2022", "valid_from": date(2022, 9, 1), "source": SOURCE}
        TimeLimitPolicy.objects.create(
            **common, urgency="normal", sign_for_amount=1, sign_for_unit="working_days",
            first_contact_amount=1, first_contact_unit="working_days", reply_amount=days, reply_unit="working_days",
        )  # fmt: skip
        TimeLimitPolicy.objects.create(
            **common, urgency="urgent", sign_for_amount=1, sign_for_unit="hours", first_contact_amount=2,
            first_contact_unit="hours", reply_amount=1, reply_unit="working_days", max_extension_days=0,
        )  # fmt: skip


def unseed(apps, schema_editor):
    apps.get_model("appeals", "TimeLimitPolicy").objects.filter(version="粤2022").delete()
    Category = apps.get_model("appeals", "Category")
    for level in (3, 2, 1):
        Category.objects.filter(level=level, code__in=[row[0] for row in CATEGORIES]).delete()


class Migration(migrations.Migration):
    dependencies = [("appeals", "0001_tickets")]

    operations = [migrations.RunPython(seed, unseed)]
