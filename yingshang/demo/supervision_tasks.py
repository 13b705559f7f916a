"""The demo city's supervision tasks (督办事项), commitments to investors on signed projects (政府承诺) and
typical cases (典型案例), built by yingshang/demo/supervision.py before the day's scan runs.

- About 30 tasks from standing and special meetings, leaders' instructions and the province's assignments, in
  every state; 旬报 and 月报 tasks with a report for most periods but some missing, a few overdue, a few closed
  late (so the month's overdue list has rows), some returned once before closing.
- Commitments on signed projects: one or two each, some fulfilled, some past due and not fulfilled — the scan
  then marks those 逾期未兑现 and raises their rectification problems.
- Eight cases, good and bad, most published, one draft and one withdrawn, linked to problems, commitments,
  appeal tickets and projects.
Everything is written with bulk inserts.
"""

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from apps.appeals.models import Appeal
from apps.investment.models import Project
from apps.org.models import Unit, User
from apps.supervision.models import (
    CaseEvent,
    CaseSource,
    CommitmentEvent,
    InvestorCommitment,
    Problem,
    ProgressReport,
    SupervisionTask,
    TaskEvent,
    TypicalCase,
)
from apps.supervision.services.task_periods import due_periods
from apps.supervision.services.tasks import next_codes
from yingshang.demo.context import DemoContext

TITLES = (
    "加快重点项目用地报批", "解决园区企业用电增容问题", "推进政务服务“一网通办”全覆盖", "清理拖欠民营企业账款",
    "落实惠企政策“免申即享”", "协调解决中小企业融资难题", "深化工程建设项目审批制度改革", "企业开办压缩至0.5个工作日",
    "开展涉企违规收费专项整治", "推动签约项目尽快开工", "完善工业园区污水处理配套", "落实包抓领导走访重点项目制度",
    "化解12345热线涉企诉求积案", "推进政务服务“跨省通办”", "做好重点企业用工保障", "推进低效工业用地再开发",
    "完成营商环境评价反馈问题整改", "推行水电气暖报装“一件事”", "建立政企恳谈会常态化机制", "开展“新官不理旧账”专项清理",
)  # fmt: skip
LEADERS = ("张市长", "李常务副市长", "王副市长", "赵副市长", "刘秘书长")
#: (status, count, returned once, overdue): the plan of the tasks' states
PLAN = (
    ("in_progress", 9, False, False), ("in_progress", 5, False, True), ("in_progress", 2, True, False),
    ("closing", 5, False, False), ("closed", 5, False, False), ("closed", 3, True, True),
)  # fmt: skip
CYCLES = ("ten_day", "monthly", "ten_day", "monthly", "once")
COMMITMENTS = {
    "land_price": "按协议价格出让项目建设用地，土地款分两期缴纳", "subsidy": "兑现设备投资补贴，按设备投资额的8%给予奖补",
    "infrastructure": "项目开工前完成园区道路、供水供电管网配套", "approval": "施工许可在收件后10个工作日内办结",
    "tax": "投产后三年内地方留成部分给予产业扶持", "other": "协调解决企业高管子女入学和人才公寓",
}  # fmt: skip
CASES = (
    ("positive", "“拿地即开工”助力项目当年签约当年投产", "problem"),
    ("positive", "建立承诺兑现台账，前任承诺逐项兑现", "commitment"),
    ("positive", "12345涉企诉求“接诉即办”满意率明显提升", "appeal"),
    ("positive", "包抓领导一线协调，重点项目要素保障到位", "project"),
    ("negative", "拖欠企业奖补资金被通报批评", "commitment"),
    ("negative", "窗口推诿扯皮问题被明察暗访曝光", "problem"),
    ("negative", "承诺供地时间一再推迟影响项目落地", "project"),
    ("negative", "涉企诉求超期未办结被约谈", "appeal"),
)
#: the cases' states in order: six published, one withdrawn, one draft
CASE_STATES = ("published",) * 3 + ("withdrawn",) + ("published",) * 3 + ("draft",)


def build(ctx: DemoContext, *, keeper: User, office: Unit, units: list[Unit], today: date) -> None:
    _tasks(ctx, keeper, office, units, today)
    _commitments(ctx, keeper, office, today)
    _cases(ctx, keeper, office, today)


def clear() -> None:
    TypicalCase.objects.all().delete()
    SupervisionTask.objects.all().delete()
    InvestorCommitment.objects.all().delete()


def _at(day: date, hour: int = 9) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, 30)))


# ---- tasks --------------------------------------------------------------------------------------------------


def _tasks(ctx: DemoContext, keeper: User, office: Unit, units: list[Unit], today: date) -> None:
    rng = ctx.rng("supervision-tasks")
    plans = [(status, returned, overdue) for status, count, returned, overdue in PLAN for _n in range(count)]
    codes = next_codes(today.year, len(plans))
    tasks = []
    for number, (code, (status, _returned, overdue)) in enumerate(zip(codes, plans, strict=True)):
        tasks.append(_task(rng, number, code, status, overdue, keeper, office, units, today))
    SupervisionTask.objects.bulk_create(tasks)
    tasks = list(SupervisionTask.objects.filter(code__in=codes).order_by("code"))
    co_units = SupervisionTask.co_units.through
    co_units.objects.bulk_create(
        co_units(supervisiontask_id=task.pk, unit_id=helper.pk)
        for task in tasks
        if rng.random() < 0.4 and (helper := rng.choice(units)).pk != task.unit_id
    )
    reports, events = [], []
    for number, (task, (_status, returned, _overdue)) in enumerate(zip(tasks, plans, strict=True)):
        filed = _reports(rng, number, task, today)
        reports += filed
        events += _task_events(task, keeper, filed, returned, today)
    ProgressReport.objects.bulk_create(reports)
    TaskEvent.objects.bulk_create(events)


def _task(rng, number: int, code: str, status: str, overdue: bool, keeper: User, office: Unit, units, today: date):
    source = rng.choice(SupervisionTask.Source.values)
    # open tasks have run at least two full months, so every cycle has periods to report (and to miss)
    assigned = today - timedelta(days=rng.randint(70, 120) if status == "in_progress" else rng.randint(35, 120))
    leader = rng.choice(LEADERS) if source in ("instruction", "standing_meeting", "special_meeting") else ""
    title = TITLES[number % len(TITLES)]
    if status == "in_progress":
        due = today - timedelta(days=rng.randint(3, 25)) if overdue else today + timedelta(days=rng.randint(1, 90))
        fields = {}
    else:
        due = assigned + timedelta(days=rng.randint(25, 40))
        completed = min(due + timedelta(days=rng.randint(3, 12)) if overdue else due - timedelta(days=2), today)
        fields = {"completed_on": completed, "completion_report": "已按督办要求办结，相关材料已报送。"}
        if status == "closed":
            fields |= {"closed_by": keeper, "closed_at": _at(min(completed + timedelta(days=2), today), 15)}
    document = _document(source, number, assigned, leader, title)
    return SupervisionTask(
        code=code, title=title, content=f"{title}，明确时间表、路线图，按期报送进展，确保按时办结。", source=source,
        leader=leader, unit=rng.choice(units), supervising_unit=office, assigned_on=assigned, due_on=due,
        cycle=CYCLES[number % len(CYCLES)], status=status, created_by=keeper, created_at=_at(assigned), **document,
        **fields,
    )  # fmt: skip


def _document(source: str, number: int, assigned: date, leader: str, title: str) -> dict:
    year, serial = assigned.year, number + 3
    day = assigned - timedelta(days=2)
    if source == "standing_meeting":
        return {"document_title": f"市政府第{serial}次常务会议纪要", "document_number": f"示府常纪〔{year}〕{serial}号",
                "document_date": day}  # fmt: skip
    if source == "special_meeting":
        return {"document_title": f"关于{title}的专题会议纪要", "document_number": f"示府专纪〔{year}〕{serial}号",
                "document_date": day}  # fmt: skip
    if source == "instruction":
        return {"document_title": f"{leader}在《营商环境工作专报》上的批示", "document_number": f"示府批〔{year}〕{serial}号",
                "document_date": day}  # fmt: skip
    return {
        "document_title": "省政府督查室交办件",
        "document_number": f"省督交〔{year}〕{serial}号",
        "document_date": day,
    }


def _reports(rng, number: int, task: SupervisionTask, today: date) -> list[ProgressReport]:
    """A report for every due period, except that every third open task misses the last one or two."""
    periods = due_periods(task, today)
    skip = 1 + number % 2 if task.status == "in_progress" and number % 3 == 0 else 0
    rows = []
    for index, period in enumerate(periods[: len(periods) - skip] if skip else periods):
        percent = min(100, 15 + index * 15 + rng.randint(0, 10))
        late = rng.random() < 0.15
        filed_on = min(period.end + timedelta(days=rng.randint(2, 6)) if late else period.end, today)
        rows.append(ProgressReport(
            task=task, period_start=period.start, period_end=period.end, percent=percent, filed_at=_at(filed_on, 16),
            text=f"{period.label}：已完成阶段性工作，整体进度约{percent}%，下一步继续推进。",
        ))  # fmt: skip
    return rows


def _task_events(task, keeper: User, reports, returned: bool, today: date) -> list[TaskEvent]:
    rows = [TaskEvent(task=task, action="create", actor=keeper, note=task.title, at=_at(task.assigned_on))]
    rows += [TaskEvent(task=task, action="report", note=f"{r.percent}%", at=r.filed_at) for r in reports]
    if returned and task.completed_on:
        first = max(task.completed_on - timedelta(days=8), task.assigned_on)
        rows.append(TaskEvent(task=task, action="request_close", note="申请办结。", at=_at(first, 10)))
        rows.append(TaskEvent(task=task, action="return", actor=keeper, note="办结材料不全，请补充后重新申请。",
                              at=_at(first + timedelta(days=1), 11)))  # fmt: skip
    elif returned:
        first = min(task.assigned_on + timedelta(days=20), today)
        rows.append(TaskEvent(task=task, action="request_close", note="申请办结。", at=_at(first, 10)))
        rows.append(TaskEvent(task=task, action="return", actor=keeper, note="尚未完成既定目标，退回继续办理。",
                              at=_at(first, 15)))  # fmt: skip
    if task.completed_on:
        rows.append(
            TaskEvent(task=task, action="request_close", note=task.completion_report, at=_at(task.completed_on))
        )
    if task.closed_at:
        rows.append(TaskEvent(task=task, action="close", actor=keeper, note="经核实，予以办结。", at=task.closed_at))
    return rows


# ---- commitments on signed projects -------------------------------------------------------------------------


def _commitments(ctx: DemoContext, keeper: User, office: Unit, today: date) -> None:
    rng = ctx.rng("supervision-commitments")
    signed = list(Project.objects.filter(signed_on__isnull=False).select_related("unit").order_by("code")[:60])
    chosen = rng.sample(signed, min(len(signed), 18))
    kinds = list(COMMITMENTS)
    rows = []
    for number, project in enumerate(chosen):
        for extra in range(rng.choice((1, 1, 2))):
            kind = kinds[(number + extra) % len(kinds)]
            due = project.signed_on + timedelta(days=rng.randint(60, 540))
            fulfilled = rng.random() < (0.5 if due < today else 0.15)
            fields = {}
            if fulfilled:
                day = min(due - timedelta(days=rng.randint(0, 30)), today)
                fields = {"status": "fulfilled", "fulfilled_on": max(day, project.signed_on),
                          "fulfilment_note": "已按合同约定兑现，佐证材料存档。"}  # fmt: skip
            rows.append(InvestorCommitment(
                project=project, enterprise_id=project.enterprise_id, kind=kind, content=COMMITMENTS[kind],
                unit=project.unit, supervising_unit=office, legal_basis=f"投资合同第{rng.randint(3, 12)}条",
                committed_on=project.signed_on, due_on=due, created_by=keeper, created_at=_at(project.signed_on),
                **fields,
            ))  # fmt: skip
    InvestorCommitment.objects.bulk_create(rows)
    events = []
    for commitment in InvestorCommitment.objects.all():
        events.append(CommitmentEvent(commitment=commitment, action="create", actor=keeper, note=commitment.content,
                                      at=commitment.created_at))  # fmt: skip
        if commitment.fulfilled_on:
            events.append(CommitmentEvent(commitment=commitment, action="fulfil", note=commitment.fulfilment_note,
                                          at=_at(commitment.fulfilled_on, 14)))  # fmt: skip
    CommitmentEvent.objects.bulk_create(events)


# ---- typical cases ------------------------------------------------------------------------------------------


def _cases(ctx: DemoContext, keeper: User, office: Unit, today: date) -> None:
    rng = ctx.rng("supervision-cases")
    pools = {
        "problem": {
            "positive": list(Problem.objects.filter(status="signed_off").order_by("code")[:20]),
            "negative": list(Problem.objects.filter(status="in_progress", due_on__lt=today).order_by("code")[:20]),
        },
        "commitment": {
            "positive": list(InvestorCommitment.objects.filter(status="fulfilled").order_by("id")[:20]),
            "negative": list(InvestorCommitment.objects.filter(status="pending", due_on__lt=today).order_by("id")[:20]),
        },
        "appeal": {"positive": list(Appeal.objects.filter(state="resolved").order_by("number")[:20])},
        "project": {"positive": list(Project.objects.filter(signed_on__isnull=False).order_by("code")[:20])},
    }
    pools["appeal"]["negative"] = list(Appeal.objects.exclude(state="resolved").order_by("number")[:20])
    pools["project"]["negative"] = pools["project"]["positive"]
    for number, ((kind, title, source_kind), status) in enumerate(zip(CASES, CASE_STATES, strict=True)):
        pool = pools[source_kind][kind] or pools["problem"]["positive"]
        if not pool:
            continue
        target = rng.choice(pool)
        source_kind = source_kind if pools[source_kind][kind] else "problem"
        _case(number, kind, title, status, source_kind, target, keeper, office, today)


def _case(number, kind, title, status, source_kind, target, keeper: User, office: Unit, today: date) -> None:
    unit_id = target.unit_id
    unit = Unit.objects.get(pk=unit_id)
    written = today - timedelta(days=40 - number * 4)
    published = _at(written + timedelta(days=2), 15) if status != "draft" else None
    body = (f"一、基本情况\n{unit.name}{title}。\n\n二、主要做法（问题）\n" + ("1. 建立台账，逐项销号；2. 领导包抓，限时办结；"
            "3. 建立长效机制。" if kind == "positive" else "1. 承诺事项未按期落实；2. 推诿扯皮、敷衍应付；3. 整改不到位。")
            + "\n\n三、" + ("经验启示" if kind == "positive" else "处理情况") + "\n请各地各部门引以为鉴。")  # fmt: skip
    case = TypicalCase.objects.create(
        title=f"{unit.short_name or unit.name}{title}", kind=kind, summary=f"{unit.name}{title}。", body=body,
        unit=unit, author_unit=office, status=status, published_by=keeper if published else None,
        published_at=published, created_by=keeper, created_at=_at(written),
    )  # fmt: skip
    CaseSource.objects.create(case=case, **{source_kind: target})
    events = [CaseEvent(case=case, action="create", actor=keeper, note=case.title, at=_at(written)),
              CaseEvent(case=case, action="add_source", actor=keeper, at=_at(written, 10))]  # fmt: skip
    if published:
        events.append(CaseEvent(case=case, action="publish", actor=keeper, note="同意内部发布。", at=published))
    if status == "withdrawn":
        events.append(CaseEvent(case=case, action="withdraw", actor=keeper, note="涉及单位已完成整改，撤回。",
                                at=published + timedelta(days=5)))  # fmt: skip
    CaseEvent.objects.bulk_create(events)
