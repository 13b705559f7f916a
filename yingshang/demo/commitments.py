"""The demo city's time-limit commitment cases (承诺时限办件) over the last two years.

The three seeded commitments get the city's departments on their steps; every area handles about fifteen
cases of each a year: most on time, about one in ten late (most of those explained, as article 36 of the
regulation requires, some not yet), some with a clock stop for missing material, site visits or expert
review, and a few received in the last days still in progress — one of them already past its limit.
Durations are counted with the working-day calendar, as the services count them; everything is inserted
with bulk_create.
"""

import random
from datetime import date, timedelta

from django.db.models import Q
from django.utils import timezone

from apps.bizenv.models import Case, CaseStep, ClockStop, Commitment, CommitmentStep
from apps.bizenv.services.commitments import WorkdayCounter, net_working_days
from apps.core.workdays import CalendarNotCovered
from apps.org.models import Unit
from yingshang.demo.context import DemoContext

#: step name → code of the city department that handles it (see yingshang/demo/org.py)
DEPARTMENTS = {
    "设立登记": "990100D04", "申领发票": "990100D10", "交易审核": "990100D07", "税款征收": "990100D10",
    "登记登簿": "990100D05", "立项用地规划许可": "990100D05", "工程建设许可": "990100D07", "施工许可": "990100D07",
}  # fmt: skip
LEADS = {"kaiban": "990100D04", "budongchan": "990100D05", "gongcheng": "990100D07"}
#: per commitment: cases per area and year, the usual net working days (low, high), the late ones (low, high)
PLANS = {"kaiban": (16, (0, 3), (5, 8)), "budongchan": (14, (1, 5), (6, 10)), "gongcheng": (4, (35, 110), (125, 170))}
STOP_REASONS = ("correction", "correction", "correction", "site_visit", "expert_review", "public_notice")
EXPLANATIONS = (
    "申请人补充的股东身份材料需跨省核验，核验回函延迟，超出承诺时限{days}个工作日。已建立跨省核验快速通道。",
    "受理窗口人员临时调整，业务交接不及时，超出承诺时限{days}个工作日。已实行AB岗制度。",
    "不动产权属存在历史遗留问题，需调阅档案并实地核实，超出承诺时限{days}个工作日。",
    "银行开户需总行核查实际控制人，超出承诺时限{days}个工作日。已与银行约定限时反馈。",
    "系统升级导致业务暂停受理两天，超出承诺时限{days}个工作日。",
)


TRADE_NAMES = (
    "瑞丰",
    "恒通",
    "华信",
    "金盛",
    "宏达",
    "鑫源",
    "德润",
    "博远",
    "启明",
    "中联",
    "新锐",
    "卓越",
    "天成",
    "汇智",
    "安泰",
)
INDUSTRIES = ("科技", "建材", "商贸", "食品", "机械", "新材料", "物流", "电子", "农业发展", "文化传媒")


def counts() -> int:
    return Case.objects.count()


def build(ctx: DemoContext) -> None:
    rng = ctx.rng("commitments")
    counter = WorkdayCounter()
    today = timezone.localdate()
    last = _last_covered(counter, today)
    units = dict(Unit.objects.filter(code__in={*DEPARTMENTS.values(), *LEADS.values()}).values_list("code", "pk"))
    for step in CommitmentStep.objects.filter(name__in=DEPARTMENTS):
        CommitmentStep.objects.filter(pk=step.pk).update(department_id=units.get(DEPARTMENTS[step.name]))
    for code, lead in LEADS.items():
        Commitment.objects.filter(code=code).update(unit_id=units.get(lead))
    areas = list(Unit.objects.filter(kind__in=("county", "zone"), is_active=True).order_by("path"))
    plans = []
    for commitment in Commitment.objects.filter(code__in=PLANS).prefetch_related("steps"):
        for area in areas:
            plans += _plan_cases(commitment, area, rng, counter, last)
    _save(plans)


def _last_covered(counter: WorkdayCounter, today: date) -> date:
    """Today, or the last day of the last year the calendar knows (cases are never counted on a guess)."""
    year = today.year
    while not counter.calendar.covers(year):
        year -= 1
    return min(today, date(year, 12, 31))


def _plan_cases(commitment, area, rng: random.Random, counter: WorkdayCounter, last: date) -> list:
    per_year, usual, late = PLANS[commitment.code]
    chain = list(commitment.steps.all())
    start = last - timedelta(days=730)
    plans = []
    for n in range(per_year * 2):
        received = start + timedelta(days=rng.randrange(0, 720))
        while not counter.calendar.is_workday(received):
            received += timedelta(days=1)
        is_late = rng.random() < 0.1
        days = rng.randint(*(late if is_late else usual))
        stop = _stop(received, rng, counter) if rng.random() < 0.15 else None
        stopped = counter.between(stop[1], stop[2]) if stop else 0
        try:
            completed = counter.calendar.add_working_days(received, days + stopped)
        except CalendarNotCovered:  # it would end in a year the calendar does not know yet: still in progress
            completed = date.max
        number = f"{commitment.code[:2].upper()}{area.code[-3:]}{received:%Y%m%d}{n:03d}"
        plans.append(_case_plan(commitment, area, number, received, completed, stop, chain, rng, counter, last))
    return plans


def _stop(received: date, rng: random.Random, counter: WorkdayCounter) -> tuple[str, date, date]:
    starts = counter.calendar.add_working_days(received, rng.randint(0, 1))
    return rng.choice(STOP_REASONS), starts, counter.calendar.add_working_days(starts, rng.randint(1, 5))


def _case_plan(commitment, area, number, received, completed, stop, chain, rng, counter, last) -> dict:
    running = completed > last
    if running and stop and stop[2] > last:
        stop = None  # a stop still open would need a resume date nobody knows yet
    stops = [(stop[1], stop[2])] if stop else []
    days = None if running else net_working_days(counter, received, completed, stops)
    case = Case(
        commitment=commitment, unit=area, number=number, applicant_name=_company(area, rng),
        received_on=received, completed_on=None if running else completed, limit_days=commitment.limit_days,
        working_days=days, stopped_days=counter.between(*stops[0]) if stops else 0,
    )  # fmt: skip
    if days is not None and days > commitment.limit_days and rng.random() < 0.7:
        case.explanation = rng.choice(EXPLANATIONS).format(days=days - commitment.limit_days)
        case.explained_at = timezone.now()
    steps = _steps(chain, received, min(completed, last), running, stops, counter)
    return {"case": case, "steps": steps, "stop": stop}


def _company(area, rng: random.Random) -> str:
    return f"示范市{area.short_name}{rng.choice(TRADE_NAMES)}{rng.choice(INDUSTRIES)}有限公司"


def _steps(chain, received: date, end: date, running: bool, stops, counter: WorkdayCounter) -> list[CaseStep]:
    """Consecutive steps sharing the case's working days in proportion to their limits."""
    total_limit = sum(step.limit_days for step in chain) or 1
    gross = counter.between(received, end)
    steps, day = [], received
    for n, step in enumerate(chain, start=1):
        share = round(gross * step.limit_days / total_limit)
        ends = end if n == len(chain) else min(counter.calendar.add_working_days(day, share), end)
        done = not (running and n == len(chain))
        steps.append(CaseStep(
            order=n, name=step.name, department_id=step.department_id, limit_days=step.limit_days, started_on=day,
            ended_on=ends if done else None, working_days=net_working_days(counter, day, ends, stops) if done else None,
        ))  # fmt: skip
        day = ends
    return steps


def _save(plans: list[dict]) -> None:
    cases = Case.objects.bulk_create([plan["case"] for plan in plans], batch_size=1000)
    steps, stops = [], []
    for case, plan in zip(cases, plans, strict=True):
        for step in plan["steps"]:
            step.case = case
            steps.append(step)
        if plan["stop"]:
            reason, starts, ends = plan["stop"]
            stops.append(ClockStop(case=case, reason=reason, starts_on=starts, ends_on=ends))
    CaseStep.objects.bulk_create(steps, batch_size=2000)
    ClockStop.objects.bulk_create(stops, batch_size=2000)


def clear() -> None:
    """Delete every case and take the demo's departments off the commitments (the units are about to go)."""
    Case.objects.all().delete()
    CommitmentStep.objects.filter(~Q(department=None)).update(department=None)
    Commitment.objects.filter(~Q(unit=None)).update(unit=None)
