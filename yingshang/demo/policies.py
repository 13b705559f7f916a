"""The demo city's business-support policies (惠企政策兑现): a "1+N" set, enterprises' figures, portal accounts,
service officers and a few hundred fulfilment cases in every state.

The set (policy_texts.py): the main policy 《关于支持实体经济高质量发展的若干政策》 of 示范市人民政府 and its
measures (工业、科技创新、招商引资、人才、外贸、中小企业、金融、文旅, and a 数字经济 measure not yet in force), an
expired older policy, a repealed one and a draft, about fifty items with rules, nine of them 免申即享. Dates move
with the day of the build. The local enterprises get two years of AnnualFigures (three in four of them: missing
figures are unknown), so that rules match some of them; the enterprises of investment projects get their
project's officer as 企业服务官; the demo's portal users act for enterprises (``qiye`` for a manufacturer).

The cases are data, not a workflow: written with bulk_create, each with the events of a path the state machine
of services/fulfilment.py allows (submit → propose → pass → pay, returns and resubmissions, rejections by the
department or the legal office, withdrawals, 免申即享 cases opened by the matcher and confirmed or declined, and
black-listed enterprises stopped), amounts within the item's cap, working-day deadlines (``step_due``) from the
item's limits — some open cases are past them.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db.models import Q
from django.utils import timezone

from apps.core.workdays import WorkdayCalendar
from apps.enterprises.models import AnnualFigures, Enterprise, EnterpriseAccount, ServiceOfficer
from apps.investment.models import Project
from apps.org import roles
from apps.org.models import Unit, User
from apps.policies import rules
from apps.policies.facts import facts_for_many
from apps.policies.models import (
    Fulfilment,
    FulfilmentEvent,
    FulfilmentState,
    MatchRun,
    Policy,
    PolicyItem,
    PolicyMatch,
)
from apps.supervision.models import CreditEntry
from yingshang.demo.context import DemoContext
from yingshang.demo.fake import Fake
from yingshang.demo.policy_texts import POLICIES, PolicyText

S = FulfilmentState
WINDOW = "990100D17"  # 市政务服务和数据管理局: the payment window
LEGAL = "990100D16"  # 市司法局
CASES = 320
FIGURES_SHARE = 0.75
#: the share of cases that end in each state (免申即享 ones are drawn among the auto items' cases)
STATES = (
    (S.PAID, 34), (S.AWAITING_PAYMENT, 9), (S.LEGAL_REVIEW, 9), (S.SUBMITTED, 12), (S.RETURNED, 6),
    (S.PENDING_CONFIRMATION, 8), (S.REJECTED, 9), (S.WITHDRAWN, 4), (S.STOPPED, 4),
)  # fmt: skip
OPEN = {S.PENDING_CONFIRMATION, S.SUBMITTED, S.LEGAL_REVIEW, S.AWAITING_PAYMENT}
LIMIT_FIELD = {S.PENDING_CONFIRMATION: "review_days", S.SUBMITTED: "review_days", S.LEGAL_REVIEW: "legal_days",
               S.AWAITING_PAYMENT: "payment_days"}  # fmt: skip
RETURN_NOTES = ("请补充研发费用专项审计报告。", "设备发票与项目备案不一致，请补正。", "请提供近三个月社保缴纳证明。",
                "申请表未加盖公章，请重新提交。")  # fmt: skip
REJECT_NOTES = ("经核查，企业上年度营业收入未达到申报条件。", "同一事项已享受其他财政资金支持，不得重复申报。",
                "项目尚未竣工投产，不符合申报条件。")  # fmt: skip
LEGAL_NOTES = ("经合法性审查，兑现依据充分、金额核定无误。", "符合政策规定，同意兑现。")


def build(ctx: DemoContext) -> None:
    rng = ctx.rng("policies")
    today = timezone.localdate()
    units = {unit.code: unit for unit in Unit.objects.filter(code__startswith="990100")}
    officer = User.objects.get(username="zhengce")
    items = _documents(today, units, officer)
    local = list(Enterprise.objects.active().filter(region_code__startswith="99").order_by("id"))
    _figures(ctx, today, local)
    accounts = _accounts(ctx, local)
    _service_officers(today)
    matched, facts = _matches(today, items, local)
    _cases(ctx, rng, today, items, local, accounts, units, matched, facts)


def clear() -> None:
    FulfilmentEvent.objects.all().delete()
    Fulfilment.objects.all().delete()
    PolicyMatch.objects.all().delete()
    MatchRun.objects.all().delete()
    PolicyItem.objects.all().delete()
    Policy.objects.filter(kind=Policy.Kind.MEASURE).delete()
    Policy.objects.all().delete()
    AnnualFigures.objects.all().delete()
    EnterpriseAccount.objects.all().delete()
    ServiceOfficer.objects.all().delete()


def counts() -> dict[str, int]:
    return {
        "policies": Policy.objects.count(),
        "items": PolicyItem.objects.count(),
        "cases": Fulfilment.objects.count(),
    }


def _at(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


@contextmanager
def _dated(*models) -> Iterator[None]:
    """Lets bulk_create keep the generated creation times (``auto_now_add`` would stamp the build's)."""
    fields = [f for model in models for f in model._meta.concrete_fields if getattr(f, "auto_now_add", False)]
    for each in fields:
        each.auto_now_add = False
    try:
        yield
    finally:
        for each in fields:
            each.auto_now_add = True


# ---- documents and items ------------------------------------------------------------------------


def _dates(text: PolicyText, today: date, index: int) -> dict:
    base = today - timedelta(days=300)
    if text.timing == "main":
        issued, effective, expires = base, base + timedelta(days=14), date(base.year + 3, 12, 31)
    elif text.timing == "measure":
        issued = base + timedelta(days=20 + 6 * index)
        issued, effective, expires = issued, issued + timedelta(days=10), date(base.year + 3, 12, 31)
    elif text.timing == "pending":
        issued, effective, expires = today - timedelta(days=10), today + timedelta(days=20), None
    elif text.timing == "expired":
        issued = date(base.year - 4, 2, 10)
        issued, effective, expires = issued, issued + timedelta(days=5), date(base.year - 2, 12, 31)
    elif text.timing == "repealed":
        issued, effective, expires = date(base.year - 3, 6, 1), date(base.year - 3, 6, 15), None
    else:  # draft
        issued, effective, expires = today - timedelta(days=5), today + timedelta(days=30), None
    return {"issued_on": issued, "effective_from": effective, "expires_on": expires}


def _documents(today: date, units: dict, officer: User) -> list[PolicyItem]:
    """Main policies first (the measures point at them), then the measures; then every item."""
    made: dict[str, Policy] = {}
    for level in ("main", "measure"):
        batch = []
        for index, text in enumerate(POLICIES):
            if text.kind != level:
                continue
            dates = _dates(text, today, index)
            policy = Policy(
                title=text.title, document_number=text.number.format(year=dates["issued_on"].year), kind=text.kind,
                parent=made.get(text.parent), issuing_unit=units[text.issuer], created_by=officer,
                published_at=None if text.timing == "draft" else _at(dates["issued_on"] + timedelta(days=1)),
                summary=f"{text.title}共{len(text.items)}条兑现事项，由{units[text.issuer].name}负责解释。", **dates,
            )  # fmt: skip
            made[text.key] = policy
            batch.append(policy)
        Policy.objects.bulk_create(batch)
    main = made["main"]
    Policy.objects.filter(pk=made["private"].pk).update(
        repealed_on=main.effective_from, repeal_note=f"被《{main.title}》（{main.document_number}）整合替代"
    )
    items = [
        PolicyItem(
            policy=made[text.key],
            number=t.number,
            title=t.title,
            benefit_kind=t.benefit_kind,
            benefit=t.benefit,
            fixed_amount=_amount(t.fixed),
            cap_amount=_amount(t.cap),
            beneficiaries=t.beneficiaries,
            conditions=t.conditions,
            materials=t.materials,
            department=units[t.department],
            rule=rules.parse(t.rule),
            auto_grant=t.auto_grant,
            review_days=15 if t.cap and t.cap >= 500 else 10,
            legal_days=5,
            payment_days=10,
            position=position,
        )  # fmt: skip
        for text in POLICIES
        for position, t in enumerate(text.items, start=1)
    ]
    PolicyItem.objects.bulk_create(items)
    return list(PolicyItem.objects.select_related("policy").order_by("id"))


def _amount(value: int | None) -> Decimal | None:
    return None if value is None else Decimal(value)


# ---- enterprises' figures, accounts and officers -----------------------------------------------


def _scale(capital: Decimal | None, rng) -> str:
    capital = capital or Decimal(100)
    if capital >= 20000:
        return rng.choice(("large", "large", "medium"))
    if capital >= 3000:
        return rng.choice(("medium", "medium", "small"))
    return "small" if capital >= 300 else "micro"


EMPLOYEES = {"large": (1000, 5000), "medium": (300, 999), "small": (20, 299), "micro": (2, 19)}
REVENUE = {"large": (40000, 400000), "medium": (5000, 40000), "small": (500, 5000), "micro": (30, 500)}


def _figures(ctx: DemoContext, today: date, local: list[Enterprise]) -> None:
    """Two years of figures for three in four local enterprises (last year's and the year before)."""
    rng = ctx.rng("policies.figures")
    research = set(Enterprise.objects.filter(industry__code__regex=r"^(C|I|M|[1-4][0-9]|6[3-5]|7[3-5])$")
                   .values_list("id", flat=True))  # fmt: skip
    rows = []
    for enterprise in local:
        if rng.random() > FIGURES_SHARE:
            continue
        scale = _scale(enterprise.registered_capital, rng)
        revenue = Decimal(rng.randint(*REVENUE[scale]))
        employees = rng.randint(*EMPLOYEES[scale])
        growth = Decimal(str(round(rng.uniform(0.8, 1.35), 2)))
        for year, factor in ((today.year - 1, Decimal(1)), (today.year - 2, 1 / growth)):
            income = (revenue * factor).quantize(Decimal("0.01"))
            rd = (income * Decimal(str(round(rng.uniform(0.01, 0.07), 3)))).quantize(Decimal("0.01"))
            rows.append(AnnualFigures(
                enterprise=enterprise, year=year, scale=scale, revenue=income,
                tax=(income * Decimal(str(round(rng.uniform(0.02, 0.08), 3)))).quantize(Decimal("0.01")),
                employees=max(1, round(employees * float(factor))),
                rd_expense=rd if enterprise.pk in research else None, source="市统计局、市税务局共享数据",
            ))  # fmt: skip
    AnnualFigures.objects.bulk_create(rows, batch_size=1000)


def _accounts(ctx: DemoContext, local: list[Enterprise]) -> dict[int, User]:
    """The portal users act for local enterprises: ``qiye`` for a manufacturer with figures; enterprise → user."""
    rng = ctx.rng("policies.accounts")
    users = list(User.objects.filter(unit=None, roles__code=roles.ENTERPRISE_USER).order_by("username"))
    with_figures = set(AnnualFigures.objects.filter(revenue__gte=2000).values_list("enterprise_id", flat=True))
    manufacturers = set(Enterprise.objects.filter(industry__code__regex=r"^(C|1[3-9]|[2-3][0-9]|4[0-3])$")
                        .values_list("id", flat=True))  # fmt: skip
    makers = [e for e in local if e.pk in with_figures and e.pk in manufacturers and e.uscc][:1]
    others = rng.sample([e for e in local if e.uscc and e not in makers], k=len(users))
    chosen = dict(zip((u for u in users if u.username == "qiye"), makers, strict=False))
    rest = [u for u in users if u.username != "qiye"]
    chosen.update(zip(rest, others, strict=False))
    EnterpriseAccount.objects.bulk_create([EnterpriseAccount(user=u, enterprise=e) for u, e in chosen.items()])
    return {e.pk: u for u, e in chosen.items()}


def _service_officers(today: date) -> None:
    """The officer who registered an enterprise's investment project looks after it (企业服务官)."""
    seen, rows = set(), []
    projects = Project.objects.filter(enterprise__isnull=False, created_by__isnull=False).order_by("id")
    for enterprise_id, officer_id, created in projects.values_list("enterprise_id", "created_by_id", "created_at"):
        if (enterprise_id, officer_id) in seen:
            continue
        seen.add((enterprise_id, officer_id))
        rows.append(ServiceOfficer(enterprise_id=enterprise_id, officer_id=officer_id,
                                   since=min(today, timezone.localtime(created).date())))  # fmt: skip
    ServiceOfficer.objects.bulk_create(rows, batch_size=1000)


# ---- fulfilment cases -------------------------------------------------------------------------


@dataclass
class Path:
    """A case's history as it is generated: the events and the fields they leave on the case."""

    state: str
    day: date
    events: list[tuple] = field(default_factory=list)
    values: dict = field(default_factory=dict)

    def move(self, action: str, to: str, day: date, actor, note: str = "", amount=None) -> None:
        self.events.append((action, self.state, to, day, actor, note, amount))
        self.state, self.day = to, day


@dataclass
class People:
    departments: dict[int, list[User]]
    legal: list[User]
    window: list[User]
    window_unit: Unit


def _people(units: dict) -> People:
    handlers: dict[int, list[User]] = {}
    for person in User.objects.filter(roles__code=roles.DEPARTMENT_HANDLER, unit__code__startswith="990100D")\
            .order_by("id"):  # fmt: skip
        handlers.setdefault(person.unit_id, []).append(person)
    legal = list(User.objects.filter(roles__code=roles.LEGAL_REVIEWER).order_by("id"))
    window = list(User.objects.filter(roles__code=roles.SERVICE_WINDOW).order_by("id"))
    return People(handlers, legal, window, units[WINDOW])


def _black_listed(today: date) -> list[int]:
    in_force = Q(expires_on__isnull=True) | Q(expires_on__gte=today)
    entries = CreditEntry.objects.filter(in_force, kind="black", repaired_at__isnull=True, effective_from__lte=today)
    return list(dict.fromkeys(entries.order_by("id").values_list("enterprise_id", flat=True)))


def _cases(ctx, rng, today, items: list[PolicyItem], local, accounts: dict, units: dict, matched, facts) -> None:
    calendar = WorkdayCalendar.load()
    people = _people(units)
    fake = Fake(ctx.rng("policies.contacts"))
    open_items = [i for i in items if i.policy.published_at and i.policy.state_on(today) == "in_force"]
    auto_items = [i for i in open_items if i.auto_grant and matched.get(i.pk)]
    black = _black_listed(today)
    black_entries = {e.enterprise_id: e for e in CreditEntry.objects.filter(enterprise_id__in=black).order_by("-id")}
    pool = [e.pk for e in local]
    taken: set[tuple[int, int]] = set()
    cases, histories = [], []
    states = [state for state, weight in STATES for _ in range(weight)]
    for number in range(1, CASES + 1):
        state = rng.choice(states)
        item = rng.choice(auto_items if state == S.PENDING_CONFIRMATION else open_items)
        auto = item in auto_items and state != S.STOPPED and (state == S.PENDING_CONFIRMATION or rng.random() < 0.7)
        eligible = matched.get(item.pk) or []
        if state == S.STOPPED:
            choices = black
        elif auto or (eligible and rng.random() < 0.7):
            choices = eligible
        else:
            choices = pool
        enterprise_id = _enterprise(rng, item, pool, choices, taken)
        channel = "auto" if auto else rng.choice(("online", "online", "window"))
        path = _path(rng, calendar, today, item, state, channel, people, accounts.get(enterprise_id),
                     black_entries.get(enterprise_id))  # fmt: skip
        case = _case(number, today, item, enterprise_id, channel, path, people, accounts, fake, calendar)
        if auto:
            case.match_reasons = [asdict(line) for line in rules.explain(item.rule, facts[enterprise_id]).lines]
        cases.append(case)
        histories.append(path)
    with _dated(Fulfilment, FulfilmentEvent):
        Fulfilment.objects.bulk_create(cases)
        saved = list(Fulfilment.objects.order_by("id"))
        FulfilmentEvent.objects.bulk_create(
            [
                FulfilmentEvent(
                    fulfilment=case,
                    action=action,
                    from_state=source,
                    to_state=target,
                    actor=actor,
                    note=note,
                    amount=amount,
                    at=_at(day, 9 + index % 8),
                )  # fmt: skip
                for case, path in zip(saved, histories, strict=True)
                for index, (action, source, target, day, actor, note, amount) in enumerate(path.events)
            ],
            batch_size=1000,
        )


def _enterprise(rng, item, pool: list[int], choices: list[int], taken: set) -> int:
    """An enterprise of ``choices`` with no case of the item yet (any other one when they all have one)."""
    choices = choices or pool
    for _attempt in range(50):
        candidate = rng.choice(choices)
        if (item.pk, candidate) not in taken:
            taken.add((item.pk, candidate))
            return candidate
    candidate = next(e for e in pool if (item.pk, e) not in taken)
    taken.add((item.pk, candidate))
    return candidate


def _proposed(rng, item: PolicyItem) -> Decimal:
    if item.fixed_amount is not None:
        return item.fixed_amount
    cap = int(item.cap_amount or 50)
    return Decimal(rng.randint(max(1, cap // 10), cap))


def _start(rng, today: date, item: PolicyItem, target: str) -> date:
    """The first day of the case: recent for open cases, any time since the policy took effect for closed ones."""
    earliest = item.policy.effective_from
    back = rng.randint(3, 45) if target in OPEN or target == S.RETURNED else rng.randint(60, 260)
    return max(earliest, today - timedelta(days=back))


def _path(rng, calendar, today, item, target, channel, people: People, applicant, black_entry) -> Path:
    """Walk the state machine from the first day to ``target``; each step takes some working days."""
    for _attempt in range(6):
        path = _walk(rng, calendar, _start(rng, today, item, target), item, target, channel, people, applicant,
                     black_entry)  # fmt: skip
        if path.day <= today:
            return path
    path.day = today  # a path that would end in the future keeps its moves, dated no later than today
    path.events = [(*event[:3], min(event[3], today), *event[4:]) for event in path.events]
    return path


def _walk(rng, calendar, day, item, target, channel, people: People, applicant, black_entry) -> Path:
    handler = rng.choice(people.departments.get(item.department_id) or people.window)
    path = Path(state="", day=day)

    def after(limit: int) -> date:
        return calendar.add_working_days(path.day, rng.randint(1, limit))

    proposed = _proposed(rng, item)
    steps = Steps(rng, path, after, item, target, handler, black_entry)
    finished = steps.auto(proposed) if channel == "auto" else steps.applied(proposed, channel, people, applicant)
    if finished:
        return path
    path.values["proposed"] = proposed
    return _after_legal(rng, path, after, item, target, people, proposed)


@dataclass
class Steps:
    """The department's part of a path, up to the legal review; True when the path ends there."""

    rng: object
    path: Path
    after: object
    item: PolicyItem
    target: str
    handler: User
    black_entry: CreditEntry | None

    def auto(self, proposed: Decimal) -> bool:
        path, item, target = self.path, self.item, self.target
        path.move("open", S.PENDING_CONFIRMATION, path.day, None, "符合资格规则，系统生成免申即享兑现件。")
        if target == S.PENDING_CONFIRMATION:
            return True
        if target == S.REJECTED and self.rng.random() < 0.5:
            path.move(
                "decline", S.REJECTED, self.after(item.review_days), self.handler, "经核实企业已迁出本市，不予兑现。"
            )
            return True
        if target == S.STOPPED:
            _stop(path, self.after(item.review_days), self.black_entry)
            return True
        path.move("confirm", S.LEGAL_REVIEW, self.after(item.review_days), self.handler, "确认符合条件。", proposed)
        return False

    def applied(self, proposed: Decimal, channel: str, people: People, applicant) -> bool:
        path, item, target, rng = self.path, self.item, self.target, self.rng
        submitter = applicant if channel == "online" else rng.choice(people.window)
        path.values["submitted"] = path.day
        path.move("submit", S.SUBMITTED, path.day, submitter, "提交申报材料。")
        if target == S.SUBMITTED:
            return True
        if target in (S.RETURNED, S.WITHDRAWN) or rng.random() < 0.15:
            path.move("return", S.RETURNED, self.after(item.review_days), self.handler, rng.choice(RETURN_NOTES))
            if target == S.RETURNED:
                return True
            if target == S.WITHDRAWN:
                path.move("withdraw", S.WITHDRAWN, self.after(10), applicant, "企业决定暂不申报。")
                return True
            path.move("resubmit", S.SUBMITTED, self.after(5), submitter, "已补正材料。")
        if target == S.STOPPED:
            _stop(path, self.after(item.review_days), self.black_entry)
            return True
        if target == S.REJECTED and rng.random() < 0.6:
            path.move("reject", S.REJECTED, self.after(item.review_days), self.handler, rng.choice(REJECT_NOTES))
            return True
        note = "符合申报条件，拟予兑现。"
        path.move("propose", S.LEGAL_REVIEW, self.after(item.review_days + 3), self.handler, note, proposed)
        return False


def _after_legal(rng, path: Path, after, item, target, people: People, proposed: Decimal) -> Path:
    if target == S.LEGAL_REVIEW:
        return path
    legal = rng.choice(people.legal)
    if target == S.REJECTED:
        path.move("reject", S.REJECTED, after(item.legal_days), legal, "兑现依据不足，不予兑现。")
        return path
    approved = proposed if rng.random() < 0.8 else (proposed * Decimal("0.8")).quantize(Decimal("0.01"))
    path.values["approved"] = approved
    path.move("pass", S.AWAITING_PAYMENT, after(item.legal_days + 2), legal, rng.choice(LEGAL_NOTES), approved)
    if target == S.AWAITING_PAYMENT:
        return path
    paid_on = after(item.payment_days + 2)
    path.values["paid_on"] = paid_on
    path.move("pay", S.PAID, paid_on, rng.choice(people.window), "已拨付至企业对公账户。", approved)
    return path


def _stop(path: Path, day: date, entry) -> Path:
    reason = (f"该企业列入信用黑名单（{entry.reason}，{entry.document_number}），依规暂停兑现。" if entry
              else "该企业列入信用黑名单，依规暂停兑现。")  # fmt: skip
    path.values["stop_reason"] = reason
    path.move("stop", S.STOPPED, day, None, reason)
    return path


def _case(number, today, item, enterprise_id, channel, path: Path, people, accounts, fake, calendar) -> Fulfilment:
    values = path.values
    first = path.events[0][3]
    state = path.state
    limit = LIMIT_FIELD.get(state)
    closed = state in (S.PAID, S.REJECTED, S.WITHDRAWN, S.STOPPED)
    approved = values.get("approved")
    return Fulfilment(
        number=f"ZC{first:%Y}{number:05d}", item=item, enterprise_id=enterprise_id, unit=item.department,
        window_unit=people.window_unit if channel == "window" else None, channel=channel, state=state,
        applicant=accounts.get(enterprise_id) if channel == "online" else None,
        contact_name=fake.person_name(), contact_phone=fake.mobile(),
        declared_amount=values.get("proposed") if channel != "auto" else None,
        proposed_amount=values.get("proposed"), approved_amount=approved,
        paid_amount=approved if state == S.PAID else None, paid_on=values.get("paid_on"),
        payment_method="transfer" if state == S.PAID else "",
        voucher_number=f"SFCZ{values['paid_on']:%Y%m%d}{number:04d}" if state == S.PAID else "",
        stop_reason=values.get("stop_reason", ""), step_started_on=None if closed else path.day,
        step_due=calendar.add_working_days(path.day, getattr(item, limit)) if limit else None,
        submitted_at=_at(values["submitted"], 9) if "submitted" in values else None,
        closed_at=_at(path.day, 16) if closed else None, created_at=_at(first, 9),
    )  # fmt: skip


def _matches(today: date, items: list[PolicyItem], local: list[Enterprise]) -> tuple[dict, dict]:
    """What a matching run over the in-force items finds today (item id → enterprise ids), saved as current
    matches first seen when the policy took effect, and one finished MatchRun."""
    facts = {}
    ids = [e.pk for e in local]
    for start in range(0, len(ids), 500):
        facts.update(facts_for_many(ids[start : start + 500], today))
    in_force = [i for i in items if i.policy.state_on(today) == "in_force" and not rules.is_empty(i.rule)]
    matched = {item.pk: [pk for pk in ids if rules.holds(item.rule, facts[pk])] for item in in_force}
    run = MatchRun.objects.create(
        status=MatchRun.Status.FINISHED, stage="完成", enterprises=len(ids), items=len(in_force),
        processed=len(in_force), matches=sum(map(len, matched.values())), seconds=4.2, finished_at=_at(today, 2),
    )  # fmt: skip
    by_pk = {item.pk: item for item in in_force}
    rows = [
        PolicyMatch(
            item_id=item_id,
            enterprise_id=pk,
            current=True,
            run=run,
            last_matched_at=_at(today, 2),
            first_matched_at=_at(by_pk[item_id].policy.effective_from, 2),
        )  # fmt: skip
        for item_id, enterprise_ids in matched.items()
        for pk in enterprise_ids
    ]
    PolicyMatch.objects.bulk_create(rows, batch_size=2000)
    return matched, facts
