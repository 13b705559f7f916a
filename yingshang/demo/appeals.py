"""The demo city's 12345 tickets (诉求工单) over the last two years, recorded by the hotline centre.

A dispatch catalogue (派单目录) sends each functional category to a city department (some with a co-unit);
community matters go to the area's county. About 2,500 tickets per scale step across channels, types and
categories: most older ones replied, followed up and resolved; a few refused at triage, merged into an
earlier ticket of the same caller (the master's reply reaches them, and most of their appellants have been
called), returned once and re-dispatched, extended, or redone after an unhappy follow-up; solved ones get the
later "is it still solved?" call (a few came back and were redone); the last weeks' tickets are still at every
stage, some overdue. Due dates come from the
time-limit policies and the working-day calendar as the services compute them; everything is inserted with
bulk_create, and the scans then record today's 催办/督办/提级, the overdue tickets owed a call (超期回访) and the
re-checks due.
"""

import random
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.utils import timezone

from apps.appeals.models import (
    Appeal,
    Assignment,
    Callback,
    Category,
    DispatchRule,
    Event,
    ExtensionRequest,
    Pause,
    ReturnRequest,
)
from apps.appeals.models.appeals import State, Triage
from apps.appeals.models.process import Action, Decision
from apps.appeals.services import clocks
from apps.appeals.services.escalation import scan_escalations
from apps.appeals.services.follow_ups import scan_expired, scan_rechecks
from apps.appeals.services.intake import QUERY_CODE_ALPHABET
from apps.core.models import Notice
from apps.core.workdays import CalendarNotCovered, WorkdayCalendar
from apps.enterprises.models import Enterprise
from apps.org import roles
from apps.org.models import Unit, User
from yingshang.demo import ratings as demo_ratings
from yingshang.demo.context import DemoContext
from yingshang.demo.fake import MOBILE_PREFIXES, SURNAMES

PER_SCALE = 2500
HOTLINE = "990100D18"
AGENT = "rexian"
VERSION = "2025版（示范）"
#: leaf category → (lead department, co-department or None); community matters (absent) go to the county
CATALOGUE = {
    "0101": ("990100D07", None), "010301": ("990100D07", None), "0201": ("990100D04", None),
    "0202": ("990100D04", None), "0203": ("990100D04", "990100D01"), "0301": ("990100D11", None),
    "0302": ("990100D11", None), "0401": ("990100D03", "990100D12"), "040201": ("990100D07", "990100D05"),
    "0403": ("990100D05", None), "0404": ("990100D03", "990100D16"),
}  # fmt: skip
TYPES = (("consultation", 20), ("help", 25), ("complaint", 35), ("report", 8), ("suggestion", 12))
CHANNELS = (
    ("hotline", 70),
    ("online", 12),
    ("window", 6),
    ("enterprise_officer", 5),
    ("cannot_do_window", 4),
    ("letter", 3),
)
TOPICS = {
    "0101": ("公租房申请进度", "申请公租房已三个月未收到审核结果，希望尽快办理。"),
    "0102": ("物业收费不合理", "小区物业擅自上调物业费，且公共区域卫生长期无人打扫。"),
    "010301": ("道路破损", "路面出现大坑，雨天积水，车辆和行人通行困难。"),
    "010302": ("路灯不亮", "小区周边路灯连续多日不亮，夜间出行不安全。"),
    "0201": ("餐馆卫生问题", "在一家餐馆就餐后出现腹泻，怀疑食材不新鲜。"),
    "0202": ("预付卡退费难", "健身房关门，预付卡余额无法退还。"),
    "0203": ("停车收费不明码标价", "商场停车场收费标准未公示，收费明显偏高。"),
    "0301": ("工程款拖欠工资", "在工地务工两个月，包工头拖欠工资未付。"),
    "0302": ("社保转移接续", "跨省社保转移手续办理缓慢，咨询办理流程。"),
    "0401": ("惠企政策资金未兑现", "企业去年申报的技改补贴至今未拨付，请协调兑现。"),
    "040201": ("施工许可审批慢", "项目施工许可材料已齐全，审批超过承诺时限仍未办结。"),
    "0403": ("用地指标保障", "项目扩建需要新增用地指标，希望协调解决。"),
    "0404": ("重复执法检查", "企业一个月内被多个部门重复检查，影响正常生产。"),
    "0501": ("邻里噪音纠纷", "楼上住户夜间装修噪音扰民，协商无果。"),
}
REPLIES = (
    "经核查，情况属实，已责成相关单位整改完毕。",
    "已现场核实并处理，诉求人表示认可。",
    "已向诉求人解释相关政策和办理流程。",
)
BASES = (
    "《城市道路管理条例》第三十五条",
    "《优化营商环境条例》第十六条",
    "《保障农民工工资支付条例》第三条",
    "本单位权责清单",
)


@dataclass
class Story:
    """One ticket with everything that happens to it, before the rows are written."""

    appeal: Appeal
    steps: list = field(default_factory=list)  # (action, at, actor, unit, from, to, note)
    assignments: list = field(default_factory=list)  # (Assignment, return (reason, at) or None)
    extension: tuple | None = None  # (days, requested, decided)
    pause: tuple | None = None  # (started, ended)
    merge_into_earlier: bool = False
    callbacks: list = field(default_factory=list)  # (kind, at, still_solved)


def build(ctx: DemoContext) -> None:
    rng = ctx.rng("appeals")
    world = _World.load(rng)
    count = ctx.tickets or PER_SCALE * ctx.scale
    stories = [s for s in (_story(world, rng, i) for i in range(count)) if s is not None]
    _write(stories, world)
    scan_escalations(now=world.now)
    scan_expired(now=world.now)
    scan_rechecks(now=world.now)
    demo_ratings.build(world, rng)


def clear() -> None:
    demo_ratings.clear()
    Notice.objects.filter(key__startswith="appeals.").delete()
    Callback.objects.all().delete()
    Event.objects.all().delete()
    ReturnRequest.objects.all().delete()
    ExtensionRequest.objects.all().delete()
    Pause.objects.all().delete()
    Assignment.objects.all().delete()
    Appeal.objects.exclude(merged_into=None).delete()
    Appeal.objects.all().delete()
    DispatchRule.objects.filter(version=VERSION).delete()


def counts() -> int:
    return Appeal.objects.count()


@dataclass
class _World:
    now: datetime
    calendar: WorkdayCalendar
    hotline: Unit
    agent: User
    categories: list
    areas: list
    leads: dict
    handlers: dict
    enterprises: list
    numbers: Counter = field(default_factory=Counter)
    policies: dict = field(default_factory=dict)

    @classmethod
    def load(cls, rng: random.Random) -> "_World":
        units = {u.code: u for u in Unit.objects.filter(code__in=_codes())}
        areas = list(Unit.objects.filter(depth=2, kind__in=(Unit.Kind.COUNTY, Unit.Kind.ZONE)).order_by("code"))
        categories = list(Category.objects.filter(children__isnull=True, is_active=True).order_by("code"))
        leads = _catalogue(categories, units, areas)
        handler_roles = (roles.DEPARTMENT_HANDLER, roles.COUNTY_ADMIN)
        handlers = {}
        for person in User.objects.filter(roles__code__in=handler_roles, is_active=True).order_by("username"):
            handlers.setdefault(person.unit_id, person)
        enterprises = list(Enterprise.objects.active().order_by("pk")[:400])
        return cls(
            now=timezone.now(), calendar=WorkdayCalendar.load(), hotline=units[HOTLINE],
            agent=User.objects.get(username=AGENT), categories=categories, areas=areas, leads=leads,
            handlers=handlers, enterprises=enterprises,
        )  # fmt: skip

    def policy(self, appeal_type: str, urgency: str, on: date):
        key = (appeal_type, urgency, on.year)
        if key not in self.policies:
            self.policies[key] = clocks.policy_for(unit=self.hotline, appeal_type=appeal_type, urgency=urgency, on=on)
        return self.policies[key]

    def number(self, moment: datetime) -> str:
        day = timezone.localtime(moment).strftime("%Y%m%d")
        self.numbers[day] += 1
        return f"SQ{day}{self.numbers[day]:05d}"


def _codes() -> set[str]:
    codes = {HOTLINE}
    for lead, co in CATALOGUE.values():
        codes |= {lead, co} - {None}
    return codes


def _catalogue(categories, units, areas) -> dict:
    """The dispatch catalogue; returns category code → (lead unit, co-unit or None), or None for the area."""
    valid_from = date(timezone.localdate().year - 3, 1, 1)
    leads = {}
    for category in categories:
        lead, co = CATALOGUE.get(category.code, (None, None))
        if lead is None:
            for area in areas:
                DispatchRule.objects.create(
                    category=category, area=area, lead_unit=area, version=VERSION, valid_from=valid_from,
                    legal_source="属地管理原则",
                )  # fmt: skip
            leads[category.code] = None
            continue
        rule = DispatchRule.objects.create(
            category=category, lead_unit=units[lead], version=VERSION, valid_from=valid_from,
            legal_source=f"{units[lead].name}权责清单",
        )  # fmt: skip
        if co:
            rule.co_units.add(units[co])
        leads[category.code] = (units[lead], units.get(co))
    return leads


def _pick(rng: random.Random, weighted) -> str:
    values, weights = zip(*weighted, strict=True)
    return rng.choices(values, weights)[0]


def _person(rng: random.Random) -> tuple[str, str, str]:
    name = rng.choice(SURNAMES) + "".join(
        rng.choice("伟芳娜敏静强磊军洋勇艳杰涛明超秀兰霞平刚") for _ in range(rng.choice((1, 2)))
    )
    phone = rng.choice(MOBILE_PREFIXES) + "".join(rng.choice("0123456789") for _ in range(8))
    born = date(1950, 1, 1) + timedelta(days=rng.randrange(20000))
    id_number = f"990101{born:%Y%m%d}{rng.randrange(1000):03d}{rng.choice('0123456789X')}"
    return name, phone[:11], id_number


def _created(world: _World, rng: random.Random) -> datetime:
    age = rng.triangular(0, 730, 0)
    moment = world.now - timedelta(days=age)
    local = timezone.localtime(moment).replace(hour=rng.randint(8, 19), minute=rng.randrange(60))
    return min(local, world.now - timedelta(minutes=30))


def _appeal(world: _World, rng: random.Random, created: datetime) -> Appeal:
    category = rng.choice(world.categories)
    title, content = TOPICS.get(category.code, (category.name, category.name))
    appeal_type = _pick(rng, TYPES)
    urgency = "urgent" if rng.random() < 0.08 else "normal"
    enterprise = (
        rng.choice(world.enterprises) if world.enterprises and (category.is_enterprise or rng.random() < 0.05) else None
    )
    name, phone, id_number = _person(rng)
    return Appeal(
        number=world.number(created), query_code="".join(rng.choice(QUERY_CODE_ALPHABET) for _ in range(6)),
        channel="enterprise_officer" if enterprise and rng.random() < 0.3 else _pick(rng, CHANNELS),
        appeal_type=appeal_type, category=category, urgency=urgency, title=title, content=content,
        enterprise=enterprise, citizen_name=name, phone=phone, id_number=id_number if rng.random() < 0.6 else "",
        confidential=rng.random() < 0.05, unit=world.hotline, area=rng.choice(world.areas),
        policy=world.policy(appeal_type, urgency, timezone.localtime(created).date()), created_at=created,
    )  # fmt: skip


def _story(world: _World, rng: random.Random, index: int) -> Story | None:
    """One ticket's life; None when its dates reach a year the calendar does not cover yet."""
    created = _created(world, rng)
    story = Story(_appeal(world, rng, created))
    try:
        _live(story, world, rng)
    except CalendarNotCovered:
        return None
    return story


def _step(story: Story, action: str, at: datetime, actor, unit, to: str | None = None, note: str = "") -> None:
    before = story.appeal.state
    story.appeal.state = to or before
    story.steps.append((action, at, actor, unit, before, story.appeal.state, note))


def _live(story: Story, world: _World, rng: random.Random) -> None:
    appeal, agent, hotline = story.appeal, world.agent, world.hotline
    _step(story, Action.RECORD, appeal.created_at, agent, hotline)
    if appeal.created_at > world.now - timedelta(days=1) and rng.random() < 0.3:
        return  # still to triage
    roll, moment = rng.random(), appeal.created_at + timedelta(minutes=rng.randint(2, 30))
    if roll < 0.03:
        _refuse(story, world, rng, moment)
        return
    _step(story, Action.ACCEPT, moment, agent, hotline, State.AWAITING_DISPATCH)
    appeal.triage = Triage.HANDLE
    if roll < 0.06 and moment < world.now - timedelta(days=2):
        _step(story, Action.MERGE, moment, agent, hotline, State.MERGED, "并入同一诉求人的前一件工单")
        appeal.closed_at, story.merge_into_earlier = moment, True
        return
    if moment > world.now - timedelta(hours=4) and rng.random() < 0.5:
        return  # waiting for dispatch
    _handle(story, world, rng, moment + timedelta(minutes=rng.randint(5, 90)))


def _refuse(story: Story, world: _World, rng: random.Random, moment: datetime) -> None:
    triage = rng.choice((Triage.TRANSFER_110, Triage.LEGAL_ROUTE, Triage.EXPLAIN_REFUSE, Triage.TRANSFER_120))
    note = {Triage.LEGAL_ROUTE: "属于劳动仲裁事项，已告知通过仲裁途径解决。"}.get(triage, "已向来电人说明并转接。")
    _step(story, Action.REFUSE, moment, world.agent, world.hotline, State.REFUSED, note)
    story.appeal.triage, story.appeal.triage_note, story.appeal.closed_at = triage, note, moment


def _units(world: _World, appeal: Appeal) -> tuple[Unit, Unit | None]:
    return world.leads.get(appeal.category.code) or (appeal.area, None)


def _dispatch(story: Story, world: _World, moment: datetime, lead: Unit, co: Unit | None) -> None:
    appeal = story.appeal
    due = clocks.deadlines(appeal.policy, moment, world.calendar)
    appeal.dispatched_at, appeal.sign_for_due, appeal.contact_due, appeal.reply_due = (
        moment, due.sign_for, due.contact, due.reply,
    )  # fmt: skip
    for unit, role in ((lead, Assignment.Role.LEAD), (co, Assignment.Role.CO)):
        if unit is not None:
            story.assignments.append([Assignment(unit=unit, role=role, created_at=moment), None])
    _step(story, Action.DISPATCH, moment, world.agent, world.hotline, State.AWAITING_SIGN_FOR)


def _at(story: Story, world: _World, moment: datetime) -> bool:  # noqa: ARG001 - reads like the story's clock
    """Whether ``moment`` has already come (the story stops at the present)."""
    return moment <= world.now


def _handle(story: Story, world: _World, rng: random.Random, moment: datetime) -> None:
    appeal = story.appeal
    lead, co = _units(world, appeal)
    returned = rng.random() < 0.05
    if returned:
        wrong = next(u for u in world.leads.values() if u and u[0] != lead)[0]
        _dispatch(story, world, moment, wrong, None)
        if not _return(story, world, rng, moment):
            return
        moment = moment + timedelta(days=rng.randint(1, 3))
        if not _at(story, world, moment):
            return
    _dispatch(story, world, moment, lead, co)
    _work(story, world, rng)


def _return(story: Story, world: _World, rng: random.Random, moment: datetime) -> bool:
    """The wrong lead asks to return the ticket and the office approves; False while the request waits."""
    entry = story.assignments[-1]
    unit, handler = entry[0].unit, world.handlers.get(entry[0].unit.pk)
    asked = moment + timedelta(hours=rng.randint(1, 20))
    if not _at(story, world, asked):
        return False
    reason = "该事项不属于本单位职责"
    _step(story, Action.REQUEST_RETURN, asked, handler, unit, State.RETURN_PENDING, reason)
    entry[0].state, entry[1] = Assignment.State.RETURN_PENDING, (reason, asked, None)
    decided = asked + timedelta(hours=rng.randint(2, 30))
    if not _at(story, world, decided) or (asked > world.now - timedelta(days=10) and rng.random() < 0.5):
        return False
    _step(story, Action.APPROVE_RETURN, decided, world.agent, world.hotline, State.AWAITING_DISPATCH, "同意退单，改派")
    entry[0].state, entry[1] = Assignment.State.RETURNED, (reason, asked, decided)
    return True


def _work(story: Story, world: _World, rng: random.Random) -> None:
    """Sign for, contact, maybe pause or extend, reply, follow up (and maybe redo), as far as the present."""
    appeal, active = story.appeal, [e for e in story.assignments if e[0].state != Assignment.State.RETURNED]
    start, late = appeal.dispatched_at, rng.random() < 0.08
    signed = start + timedelta(hours=rng.uniform(0.5, 30 if late else 7))
    if not _at(story, world, signed):
        return
    for entry in active:
        entry[0].state, entry[0].signed_at = Assignment.State.HANDLING, signed
        _step(story, Action.SIGN_FOR, signed, world.handlers.get(entry[0].unit.pk), entry[0].unit, State.HANDLING)
    lead = active[0][0]
    contacted = signed + timedelta(hours=rng.uniform(0.5, 5))
    if not _at(story, world, contacted):
        return
    lead.contacted_at = contacted
    _step(story, Action.CONTACT, contacted, world.handlers.get(lead.unit.pk), lead.unit, note="已电话联系诉求人")
    _maybe_extend(story, world, rng, contacted, lead)
    share = rng.uniform(1.02, 1.6) if late else rng.uniform(0.15, 0.95)
    replied = start + (appeal.reply_due - start) * share
    if not _at(story, world, replied) or rng.random() < 0.02:
        return  # still handling (some long overdue)
    _reply(story, world, rng, replied, active)
    _follow_up(story, world, rng, replied)


def _maybe_extend(story: Story, world: _World, rng: random.Random, moment: datetime, lead: Assignment) -> None:
    appeal, roll = story.appeal, rng.random()
    handler = world.handlers.get(lead.unit.pk)
    if roll < 0.05:
        days = rng.choice((3, 5, 10))
        asked, decided = moment + timedelta(hours=2), moment + timedelta(hours=26)
        if not _at(story, world, decided):
            return
        _step(story, Action.REQUEST_EXTENSION, asked, handler, lead.unit, note="需要现场勘查和多部门会商")
        _step(story, Action.APPROVE_EXTENSION, decided, world.agent, world.hotline)
        appeal.reply_due = clocks.extended(appeal.reply_due, days, world.calendar)
        story.extension = (days, asked, decided, lead)
    elif roll < 0.08:
        started, ended = moment + timedelta(hours=1), moment + timedelta(days=rng.randint(1, 4))
        if not _at(story, world, ended):
            return
        _step(story, Action.PAUSE, started, handler, lead.unit, note="等待诉求人补充材料")
        _step(story, Action.RESUME, ended, handler, lead.unit)
        appeal.reply_due = clocks.shifted_by_pause(
            appeal.reply_due, appeal.policy.reply_unit, started, ended, world.calendar
        )
        story.pause = (started, ended)


def _reply(story: Story, world: _World, rng: random.Random, replied: datetime, active) -> None:
    for entry in reversed(active):  # the co-units first, the lead answers for the whole
        assignment = entry[0]
        assignment.state, assignment.replied_at = Assignment.State.REPLIED, replied
        assignment.reply, assignment.legal_basis = rng.choice(REPLIES), rng.choice(BASES)
        assignment.approved_by = "王科长"
        to = State.AWAITING_FOLLOW_UP if assignment.role == Assignment.Role.LEAD else None
        handler = world.handlers.get(assignment.unit.pk)
        _step(story, Action.REPLY, replied, handler, assignment.unit, to, assignment.reply)


def _follow_up(story: Story, world: _World, rng: random.Random, replied: datetime) -> None:
    appeal = story.appeal
    called = replied + timedelta(hours=rng.uniform(4, 60))
    if not _at(story, world, called):
        return
    if rng.random() < 0.05 and appeal.redo_count == 0:
        appeal.solved, appeal.satisfaction, appeal.redo_count = "unsolved", 2, 1
        _step(story, Action.REDO, called, world.agent, world.hotline, State.HANDLING, "诉求人反映问题未解决，转重办")
        appeal.dispatched_at = called
        appeal.reply_due = clocks.deadlines(appeal.policy, called, world.calendar).reply
        active = [e for e in story.assignments if e[0].state == Assignment.State.REPLIED]
        redone = called + (appeal.reply_due - called) * rng.uniform(0.2, 0.9)
        if not _at(story, world, redone):
            for entry in active:
                entry[0].state, entry[0].replied_at = Assignment.State.HANDLING, None
            return
        _reply(story, world, rng, redone, active)
        _follow_up(story, world, rng, redone)
        return
    solved = _pick(rng, (("solved", 82), ("partly", 12), ("unsolved", 6)))
    satisfaction = _pick(rng, ((5, 60), (4, 25), (3, 9), (2, 4), (1, 2)))
    appeal.solved, appeal.satisfaction, appeal.closed_at = solved, satisfaction, called
    _step(story, Action.FOLLOW_UP, called, world.agent, world.hotline, State.RESOLVED, "电话回访")
    if solved == "solved":
        _recheck(story, world, rng, called)


def _recheck(story: Story, world: _World, rng: random.Random, called: datetime) -> None:
    """The later "is it still solved?" call: answered for older tickets (a few came back), due or coming for newer."""
    appeal = story.appeal
    if not appeal.policy.recheck_days:
        return
    try:
        appeal.recheck_due = clocks.due_after(called, appeal.policy.recheck_days, "working_days", world.calendar)
    except CalendarNotCovered:  # next year's holidays not yet known: the real follow-up counts Monday to Friday
        return
    listed, answered = appeal.recheck_due + timedelta(hours=9), appeal.recheck_due + timedelta(days=rng.randint(1, 5))
    if answered > world.now - timedelta(days=3):
        return  # the scan lists it when its day comes
    appeal.recheck_listed_at, appeal.rechecked_at = listed, answered
    _step(story, Action.RECHECK_DUE, listed, None, None, note="办结后已满复查期限，请回访诉求人问题是否仍已解决。")
    came_back = rng.random() < 0.03 and appeal.redo_count == 0
    try:
        due = clocks.deadlines(appeal.policy, answered, world.calendar).reply if came_back else None
    except CalendarNotCovered:
        came_back = False
    story.callbacks.append((Callback.Kind.RECHECK, answered, not came_back))
    if not came_back:
        _step(story, Action.RECHECK, answered, world.agent, world.hotline, note="诉求人表示问题没有再出现")
        return
    appeal.redo_count, appeal.closed_at, appeal.dispatched_at, appeal.reply_due = 1, None, answered, due
    _step(story, Action.REOPEN, answered, world.agent, world.hotline, State.HANDLING, "诉求人反映问题又出现了")
    redone = answered + (appeal.reply_due - answered) * rng.uniform(0.2, 0.9)
    active = [e for e in story.assignments if e[0].state == Assignment.State.REPLIED]
    if not _at(story, world, redone):
        for entry in active:
            entry[0].state, entry[0].replied_at = Assignment.State.HANDLING, None
        return
    _reply(story, world, rng, redone, active)
    _follow_up(story, world, rng, redone)


def _write(stories: list[Story], world: _World) -> None:
    for story in stories:
        story.appeal.warn_at = clocks.warn_moment(story.appeal, world.calendar)
    Appeal.objects.bulk_create([s.appeal for s in stories], batch_size=500)
    _merge(stories, world, random.Random(len(stories)))
    assignments = []
    for story in stories:
        for entry in story.assignments:
            entry[0].appeal = story.appeal
            assignments.append(entry[0])
    Assignment.objects.bulk_create(assignments, batch_size=500)
    _requests(stories, world)
    events = [
        Event(appeal=s.appeal, action=a, at=at, actor=actor, actor_unit=unit, from_state=f, to_state=t, note=note)
        for s in stories
        for a, at, actor, unit, f, t, note in s.steps
    ]
    Event.objects.bulk_create(events, batch_size=1000)
    callbacks = [
        Callback(appeal=s.appeal, kind=kind, still_solved=still, note="复查回访", by=world.agent, at=at)
        for s in stories
        for kind, at, still in s.callbacks
    ]
    Callback.objects.bulk_create(callbacks, batch_size=1000)


def _merge(stories: list[Story], world: _World, rng: random.Random) -> None:
    """Each merged ticket points to the previous open-or-resolved ticket of the same category."""
    by_category, merged = {}, []
    for story in sorted(stories, key=lambda s: s.appeal.created_at):
        appeal = story.appeal
        master = by_category.get(appeal.category_id)
        if story.merge_into_earlier and master is not None:
            appeal.merged_into = master.appeal
            _share_reply(story, master, world, rng)
            merged.append(appeal)
        elif appeal.state not in (State.MERGED, State.REFUSED):
            by_category[appeal.category_id] = story
        elif story.merge_into_earlier:  # nothing earlier to merge into: it stays waiting for dispatch
            appeal.state, appeal.closed_at = State.AWAITING_DISPATCH, None
            story.steps.pop()
            merged.append(appeal)
    Appeal.objects.bulk_update(merged, ["merged_into", "state", "closed_at", "solved", "satisfaction"], batch_size=500)


def _share_reply(story: Story, master: Story, world: _World, rng: random.Random) -> None:
    """The master's reply reaches the merged ticket, and most of their appellants have been called since."""
    replied = next(
        (step[1] for step in master.steps if step[0] == Action.REPLY and step[5] == State.AWAITING_FOLLOW_UP), None
    )
    if replied is None:
        return
    moment = max(replied, story.appeal.closed_at)
    note = f"主工单 {master.appeal.number} 已答复，答复同样适用于本工单。"
    _step(story, Action.MASTER_REPLIED, moment, None, None, note=note)
    called = moment + timedelta(hours=rng.uniform(4, 48))
    if called < world.now - timedelta(days=2) and rng.random() < 0.8:
        story.appeal.solved = _pick(rng, (("solved", 85), ("partly", 10), ("unsolved", 5)))
        story.appeal.satisfaction = _pick(rng, ((5, 60), (4, 28), (3, 8), (2, 3), (1, 1)))
        _step(story, Action.FOLLOW_UP_MERGED, called, world.agent, world.hotline, note="并单回访")


def _requests(stories: list[Story], world: _World) -> None:
    returns, extensions, pauses = [], [], []
    for story in stories:
        for assignment, request in story.assignments:
            if request is not None:
                reason, asked, decided = request
                returns.append(ReturnRequest(
                    assignment=assignment, reason=reason, legal_basis="本单位三定方案", requested_at=asked,
                    requested_by=world.handlers.get(assignment.unit_id) or world.agent,
                    decision=Decision.APPROVED if decided else Decision.PENDING,
                    decided_by=world.agent if decided else None, decided_at=decided,
                ))  # fmt: skip
        if story.extension is not None:
            days, asked, decided, lead = story.extension
            extensions.append(ExtensionRequest(
                assignment=lead, days=days, reason="需要现场勘查和多部门会商", requested_at=asked,
                requested_by=world.handlers.get(lead.unit_id) or world.agent, decision=Decision.APPROVED,
                decided_by=world.agent, decided_at=decided,
            ))  # fmt: skip
        if story.pause is not None:
            pauses.append(
                Pause(
                    appeal=story.appeal, reason="等待诉求人补充材料", started_at=story.pause[0], ended_at=story.pause[1]
                )
            )
    ReturnRequest.objects.bulk_create(returns, batch_size=500)
    ExtensionRequest.objects.bulk_create(extensions, batch_size=500)
    Pause.objects.bulk_create(pauses, batch_size=500)
