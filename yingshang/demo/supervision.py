"""The demo city's rectification ledger: a self-check round (自查) of the business environment with problems
in every state over the counties, the zone and the departments, plus a few from inspections, evaluations and
leaders' instructions. Some are overdue, so the day's scan (run at the end) sends 提醒, 催办 and 督办.

The city government office's 督查室 (demo account ``ducha``) supervises them all. Everything is written with
bulk inserts; the problems' codes are this year's ZG numbers. Supervision tasks, commitments to investors on
signed projects and typical cases come from supervision_tasks.py.
"""

from datetime import datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.models import Notice
from apps.enterprises.models import Enterprise
from apps.org.models import Unit, User
from apps.supervision.models import Clearance, Milestone, Problem, ProblemEvent
from apps.supervision.services.defaults import register_default
from apps.supervision.services.problems import next_codes
from apps.supervision.services.scans import scan_supervision
from yingshang.demo import credit, supervision_tasks
from yingshang.demo.context import DemoContext
from yingshang.demo.org import SUPERVISION_OFFICE

KEEPER = "ducha"
CENT = Decimal("0.01")
ROUND = "{year}年第一轮优化营商环境自查"
SELF_CHECK = {
    "dishonest": ("招商引资承诺的奖补资金未按期兑现", "与企业签订的供地时间一再推迟", "政策文件承诺事项未落实",
                  "拖欠中小企业账款未按期清偿", "新官不理旧账，前任签订的协议未履行"),
    "irregular": ("窗口要求企业提供非必要证明材料", "涉企检查事前未报备、多头重复检查", "行政审批超出承诺时限",
                  "涉企收费未公示", "政务服务事项办事指南与实际不一致", "“一次办不成”问题未及时回应"),
    "inaction": ("企业反映的用电报装问题推诿扯皮", "对企业诉求“踢皮球”，超期未办结", "包抓领导未按要求走访项目",
                 "重点项目要素保障问题长期未协调", "12345热线涉企工单满意度偏低"),
}  # fmt: skip
OTHER_SOURCES = (
    ("inspection", "明察暗访发现窗口工作人员脱岗", "2026年营商环境明察暗访"),
    ("third_party", "第三方评估指出“获得用水用气”环节偏多", "第三方营商环境评估报告"),
    ("bizenv_flag", "“办理建筑许可”指标得分低于70分", "营商环境评价预警"),
    ("appeal_hotspot", "工业园区道路破损企业集中反映", "12345诉求热点分析"),
    ("instruction", "市长批示：抓紧解决园区企业融资难问题", "市长批示〔2026〕3号"),
)
#: how many problems of each state: (status, count, returned once)
STATES = (("pending", 12, False), ("in_progress", 20, False), ("in_progress", 4, True), ("reported", 10, False),
          ("signed_off", 14, False))  # fmt: skip


def build(ctx: DemoContext) -> None:
    keeper = User.objects.get(username=KEEPER)
    office = Unit.objects.get(code=SUPERVISION_OFFICE)
    units = list(
        Unit.objects.filter(kind__in=(Unit.Kind.COUNTY, Unit.Kind.ZONE, Unit.Kind.DEPARTMENT), depth__lte=3)
        .exclude(pk=office.pk)
        .order_by("code")
    )
    rng = ctx.rng("supervision")
    today = timezone.localdate()
    plans = [(status, returned) for status, count, returned in STATES for _n in range(count)]
    codes = next_codes(today.year, len(plans))
    problems = [
        _problem(rng, code, keeper, office, units, status, today)
        for code, (status, _r) in zip(codes, plans, strict=True)
    ]
    Problem.objects.bulk_create(problems)
    problems = list(Problem.objects.filter(code__in=codes).order_by("code"))
    _co_units(rng, problems, units)
    milestones, events = [], []
    for problem, (_status, returned) in zip(problems, plans, strict=True):
        milestones += _milestones(rng, problem, today)
        events += _events(problem, keeper, returned, today)
    Milestone.objects.bulk_create(milestones)
    ProblemEvent.objects.bulk_create(events)
    _defaults(rng, keeper, units, today)
    supervision_tasks.build(ctx, keeper=keeper, office=office, units=units, today=today)
    scan_supervision(today=today)
    credit.build(ctx)


#: (kind, found_by, title, amount owed in 万元 or None, share cleared)
DEFAULTS = (
    ("arrears", "survey", "拖欠民营企业工程款", Decimal("386.40"), Decimal("0.5")),
    ("arrears", "complaint", "拖欠中小企业货款", Decimal("58.20"), Decimal("0")),
    ("arrears", "audit", "拖欠园区企业厂房代建款", Decimal("1260.00"), Decimal("1")),
    ("commitment", "complaint", "招商引资奖补资金承诺未兑现", Decimal("200.00"), Decimal("0")),
    ("judgment", "court", "不履行行政协议纠纷生效判决", Decimal("95.00"), Decimal("0.2")),
    ("changed_terms", "credit_platform", "单方调整已出让地块规划条件", None, Decimal("0")),
    ("other", "survey", "新官不理旧账，前任签订的入驻协议未履行", None, Decimal("0")),
)


def _defaults(rng, keeper: User, units: list[Unit], today) -> None:
    """Government defaults found by surveys, complaints, courts and audits, some partly or wholly cleared."""
    enterprises = list(Enterprise.objects.exclude(uscc=None).order_by("pk")[:200])
    for kind, found_by, title, owed, share in DEFAULTS:
        unit = rng.choice(units)
        found_on = today - timedelta(days=rng.randint(20, 120))
        default = register_default(
            title=title, unit=unit, due_on=today + timedelta(days=rng.randint(5, 45)), enterprise=rng.choice(enterprises),
            kind=kind, found_by=found_by, found_on=found_on, amount_owed=owed, by=keeper,
            description=_("%(title)s，企业多次反映。") % {"title": title},
        )  # fmt: skip
        if owed and share:
            handler = User.objects.filter(unit=unit, is_active=True).order_by("pk").first()
            if handler is not None:
                Clearance.objects.create(
                    default=default, cleared_on=found_on + timedelta(days=15), amount=(owed * share).quantize(CENT),
                    note=_("按还款计划支付"), recorded_by=handler,
                )  # fmt: skip


def clear() -> None:
    credit.clear()
    Notice.objects.filter(key__startswith="supervision.").delete()
    supervision_tasks.clear()
    Problem.objects.all().delete()


def _problem(rng, code: str, keeper: User, office: Unit, units: list[Unit], status: str, today) -> Problem:
    if rng.random() < 0.8:
        kind = rng.choice(sorted(SELF_CHECK))
        source, title, reference = "self_check", rng.choice(SELF_CHECK[kind]), ROUND.format(year=today.year)
    else:
        kind = ""
        source, title, reference = rng.choice(OTHER_SOURCES)
    opened = today - timedelta(days=rng.randint(20, 75))
    due_on = _due_on(rng, status, today, opened)
    unit = rng.choice(units)
    done = status in ("reported", "signed_off")
    fields = {"report": "已按整改措施完成整改，佐证材料已上传。"} if done else {}
    if status == "signed_off":
        fields |= {"signed_off_by": keeper, "signed_off_at": _at(due_on - timedelta(days=2))}
    if done:
        fields["reported_at"] = _at(due_on - timedelta(days=5))
    return Problem(
        code=code, title=title, description=f"{unit.name}：{title}。", source=source, kind=kind,
        source_reference=reference, unit=unit, supervising_unit=office, status=status, due_on=due_on,
        measures="1. 制定整改方案，明确责任人；2. 建立长效机制；3. 举一反三开展排查。",
        created_by=keeper, created_at=_at(opened), **fields,
    )  # fmt: skip


def _due_on(rng, status: str, today, opened):
    if status in ("reported", "signed_off"):
        return today - timedelta(days=rng.randint(-10, 15)) if status == "reported" else opened + timedelta(days=15)
    return today + timedelta(days=rng.choice((-25, -12, -6, -3, -1, 1, 2, 3, 8, 15, 25, 40)))


def _at(day) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(9, 30)))


def _co_units(rng, problems: list[Problem], units: list[Unit]) -> None:
    through = Problem.co_units.through
    links = []
    for problem in problems:
        if rng.random() < 0.3:
            helper = rng.choice(units)
            if helper.pk != problem.unit_id:
                links.append(through(problem_id=problem.pk, unit_id=helper.pk))
    through.objects.bulk_create(links)


def _milestones(rng, problem: Problem, today) -> list[Milestone]:
    opened, due = problem.created_on, problem.due_on
    span = max((due - opened).days, 2)
    steps = ("制定整改方案", "完成集中整改", "建立长效机制")[: rng.randint(2, 3)]
    rows = []
    for number, title in enumerate(steps, start=1):
        step_due = opened + timedelta(days=span * number // len(steps))
        done = problem.status in ("reported", "signed_off") or (
            problem.status == "in_progress" and step_due <= today and rng.random() < 0.7
        )
        done_on = min(step_due, today) if done else None
        rows.append(Milestone(problem=problem, title=title, due_on=step_due, done_on=done_on))
    return rows


def _events(problem: Problem, keeper: User, returned: bool, today) -> list[ProblemEvent]:
    opened = problem.created_on
    rows = [ProblemEvent(problem=problem, action="create", actor=keeper, note=problem.title, at=_at(opened))]
    if problem.status != "pending":
        rows.append(ProblemEvent(problem=problem, action="start", at=_at(opened + timedelta(days=3))))
    if returned:
        reported = min(opened + timedelta(days=10), today)
        rows.append(ProblemEvent(problem=problem, action="report", note="已完成整改。", at=_at(reported)))
        rows.append(ProblemEvent(problem=problem, action="return", actor=keeper, note="佐证材料不足，整改不到位，请补充后重新报告。", at=_at(reported + timedelta(days=1))))  # fmt: skip
    if problem.reported_at:
        rows.append(ProblemEvent(problem=problem, action="report", note=problem.report, at=problem.reported_at))
    if problem.signed_off_at:
        rows.append(ProblemEvent(problem=problem, action="sign_off", actor=keeper, note="经核验，整改到位，予以销号。", at=problem.signed_off_at))  # fmt: skip
    return rows
