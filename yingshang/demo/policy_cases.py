"""The demo's fulfilment cases (政策兑现件), written as data with bulk_create: each with the events of a path the
state machine of services/fulfilment.py allows (submit → propose → pass → pay, returns and resubmissions,
rejections by the department or the legal office, withdrawals, 免申即享 cases opened by the matcher and confirmed
or declined, black-listed enterprises stopped), amounts within the item's cap and working-day deadlines
(``step_due``) from the item's limits — some open cases are past them. Called by yingshang/demo/policies.py.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db.models import Q
from django.utils import timezone

from apps.core.workdays import WorkdayCalendar
from apps.org import roles
from apps.org.models import Unit, User
from apps.policies import rules
from apps.policies.models import Fulfilment, FulfilmentEvent, FulfilmentState, PolicyItem
from apps.supervision.models import CreditEntry
from yingshang.demo.fake import Fake

S = FulfilmentState
WINDOW = "990100D17"  # 市政务服务和数据管理局: the payment window
CASES = 320
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


def at(day: date, hour: int = 10) -> datetime:
    """The day at the hour, in the local time zone."""
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


def build_cases(ctx, rng, today, items: list[PolicyItem], local, accounts: dict, units: dict, matched, facts) -> None:
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
                    at=at(day, 9 + index % 8),
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
        submitted_at=at(values["submitted"], 9) if "submitted" in values else None,
        closed_at=at(path.day, 16) if closed else None, created_at=at(first, 9),
    )  # fmt: skip
