"""Fulfilment cases (政策兑现件): application, the department's review, the legal check, payment.

One table of moves (``MOVES``) says from which states each action goes, to which state and who may make it;
``allowed_moves`` gives the pages their forms and ``move`` re-checks it under a row lock (two people acting at
once: the second one sees the case already moved and is told so). Every submission and every move into
法制审核, 待兑付 or 已兑付 first asks the credit lists: a black-listed enterprise's case is stopped with the
reason and nothing else changes. Each step's limit is counted in working days from the item.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import PurePath

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.core.audit import record_created, records_actor
from apps.core.errors import BusinessRuleError, required_text
from apps.core.notices import notify
from apps.core.workdays import add_working_days
from apps.enterprises.models import Enterprise
from apps.org.models import User
from apps.policies import permissions
from apps.policies.models import (
    OPEN_STATES,
    Fulfilment,
    FulfilmentEvent,
    FulfilmentMaterial,
    FulfilmentState,
    PolicyItem,
    PolicyState,
)
from apps.supervision.models import CreditPlace
from apps.supervision.services.credit import credit_block_reason

State = FulfilmentState
MATERIAL_EXTENSIONS = (".pdf", ".jpg", ".jpeg", ".png", ".docx", ".xlsx")
MATERIAL_MAX_BYTES = 20 * 1024 * 1024
NUMBER_ATTEMPTS = 5
#: rows per statement of the bulk writes (免申即享 cases opened by the matcher)
BULK_CHUNK = 2000

#: the sides of a case; each is a test of the user against the case
REVIEW, LEGAL, PAY, ENTERPRISE, WINDOW = "review", "legal", "pay", "enterprise", "window"

#: what every kind of event is called on the timeline
ACTION_LABELS = {
    "apply": gettext_lazy("提交申请"),
    "auto": gettext_lazy("系统生成（免申即享）"),
    "confirm": gettext_lazy("确认兑现"),
    "decline": gettext_lazy("不予兑现（免申即享）"),
    "propose": gettext_lazy("提出兑现意见"),
    "return": gettext_lazy("退回补正"),
    "reject": gettext_lazy("不予兑现"),
    "resubmit": gettext_lazy("补正后重新提交"),
    "withdraw": gettext_lazy("撤回申请"),
    "pass": gettext_lazy("法制审核通过"),
    "send_back": gettext_lazy("法制审核退回部门"),
    "pay": gettext_lazy("登记兑付"),
    "stop": gettext_lazy("信用限制中止"),
}


@dataclass(frozen=True)
class Move:
    action: str
    label: str
    sources: tuple[str, ...]
    target: str
    #: who may make it: one or more of REVIEW, LEGAL, PAY, ENTERPRISE, WINDOW
    by: tuple[str, ...]
    #: what the form asks: "amount", "note", "materials", "payment"
    asks: tuple[str, ...] = ()
    #: the note is required (a reason for a refusal or return)
    note_required: bool = False
    #: the credit lists are asked before the move (submissions and moves towards payment)
    credit_check: bool = False


MOVES: tuple[Move, ...] = (
    Move("confirm", gettext_lazy("确认兑现"), (State.PENDING_CONFIRMATION,), State.LEGAL_REVIEW, (REVIEW,),
         ("amount", "note"), credit_check=True),
    Move("decline", gettext_lazy("不予兑现"), (State.PENDING_CONFIRMATION,), State.REJECTED, (REVIEW,), ("note",),
         note_required=True),
    Move("propose", gettext_lazy("提出兑现意见"), (State.SUBMITTED,), State.LEGAL_REVIEW, (REVIEW,),
         ("amount", "note"), note_required=True, credit_check=True),
    Move("return", gettext_lazy("退回补正"), (State.SUBMITTED,), State.RETURNED, (REVIEW,), ("note",),
         note_required=True),
    Move("reject", gettext_lazy("不予兑现"), (State.SUBMITTED,), State.REJECTED, (REVIEW,), ("note",),
         note_required=True),
    Move("resubmit", gettext_lazy("补正后重新提交"), (State.RETURNED,), State.SUBMITTED, (ENTERPRISE, WINDOW),
         ("materials", "note"), credit_check=True),
    Move("withdraw", gettext_lazy("撤回申请"), (State.SUBMITTED, State.RETURNED), State.WITHDRAWN, (ENTERPRISE,),
         ("note",)),
    Move("pass", gettext_lazy("法制审核通过"), (State.LEGAL_REVIEW,), State.AWAITING_PAYMENT, (LEGAL,),
         ("amount", "note"), credit_check=True),
    Move("send_back", gettext_lazy("退回部门重审"), (State.LEGAL_REVIEW,), State.SUBMITTED, (LEGAL,), ("note",),
         note_required=True),
    Move("reject", gettext_lazy("不予兑现"), (State.LEGAL_REVIEW,), State.REJECTED, (LEGAL,), ("note",),
         note_required=True),
    Move("pay", gettext_lazy("登记兑付"), (State.AWAITING_PAYMENT,), State.PAID, (PAY,), ("payment",),
         credit_check=True),
)  # fmt: skip
ACTIONS = tuple(dict.fromkeys(move.action for move in MOVES))

#: which of the item's limits runs in each state
STEP_DAYS = {
    State.PENDING_CONFIRMATION: "review_days",
    State.SUBMITTED: "review_days",
    State.LEGAL_REVIEW: "legal_days",
    State.AWAITING_PAYMENT: "payment_days",
}


# ---- who may do what ------------------------------------------------------------------------


def is_own_enterprise(user, case: Fulfilment) -> bool:
    """The user is a portal user of the case's enterprise."""
    enterprise = permissions.account_enterprise(user)
    return enterprise is not None and enterprise.pk == case.enterprise_id


def can_act_as_window(user, case: Fulfilment) -> bool:
    """A window holding APPLY that recorded the case (or a city-level window)."""
    if getattr(user, "unit", None) is None or not user.is_active or not user.has_perm(permissions.APPLY):
        return False
    return permissions.sees_all(user) or permissions.in_unit(user, case.window_unit)


def _sides(user, case: Fulfilment) -> dict[str, bool]:
    return {
        REVIEW: permissions.can_review(user, case),
        LEGAL: permissions.can_legal_review(user, case),
        PAY: permissions.can_pay(user, case),
        ENTERPRISE: is_own_enterprise(user, case),
        WINDOW: can_act_as_window(user, case),
    }


def allowed_moves(case: Fulfilment, user) -> list[Move]:
    """The moves the user may make on the case now: the page's forms, and what ``move`` checks."""
    candidates = [move for move in MOVES if case.state in move.sources]
    if not candidates:
        return []
    sides = _sides(user, case)
    return [move for move in candidates if any(sides[side] for side in move.by)]


def find_move(action: str, state: str) -> Move | None:
    return next((move for move in MOVES if move.action == action and state in move.sources), None)


def _refusal(case: Fulfilment, action: str) -> BusinessRuleError:
    moves = [move for move in MOVES if move.action == action]
    if not moves:
        return BusinessRuleError(_("未知的操作。"))
    label = moves[0].label
    if not any(case.state in move.sources for move in moves):
        return BusinessRuleError(
            _("该兑现件当前为“%(state)s”，不能%(move)s。") % {"state": case.get_state_display(), "move": label}
        )
    return BusinessRuleError(_("您无权对该兑现件%(move)s。") % {"move": label})


# ---- checks of the fields -------------------------------------------------------------------


def check_material_file(upload: UploadedFile) -> None:
    """Application materials are PDF, Word, Excel, JPG or PNG files of at most 20 MB."""
    if PurePath(upload.name or "").suffix.lower() not in MATERIAL_EXTENSIONS:
        raise BusinessRuleError(
            _("申报材料只能是 PDF、Word（.docx）、Excel（.xlsx）、JPG 或 PNG 文件。"), field="materials"
        )
    if upload.size > MATERIAL_MAX_BYTES:
        raise BusinessRuleError(_("每个申报材料不能超过 20 MB。"), field="materials")


def _check_materials(materials: Iterable[tuple[str, UploadedFile]], *, required: bool) -> list:
    checked = []
    for name, upload in materials or ():
        if upload is None:
            continue
        check_material_file(upload)
        label = (name or "").strip() or PurePath(upload.name or "").stem
        checked.append((label[:100], upload))
    if required and not checked:
        raise BusinessRuleError(_("请上传申报材料。"), field="materials")
    return checked


def check_amount(
    value, item: PolicyItem, *, field: str = "amount", required: bool = True, capped: bool = True
) -> Decimal | None:
    """An amount in 万元: more than zero and, when the item has a cap, not above it (what an enterprise declares
    may be: the department proposes within the cap)."""
    if value in (None, ""):
        if required:
            raise BusinessRuleError(_("请填写金额（万元）。"), field=field)
        return None
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        raise BusinessRuleError(_("金额应为数字（万元）。"), field=field) from None
    if not amount.is_finite() or amount <= 0:
        raise BusinessRuleError(_("金额应大于 0（万元）。"), field=field)
    if amount.quantize(Decimal("0.01")) != amount or amount >= Decimal("10000000000"):
        raise BusinessRuleError(_("金额最多两位小数、不超过 100 亿万元。"), field=field)
    if capped and item.cap_amount is not None and amount > item.cap_amount:
        raise BusinessRuleError(
            _("金额不能超过该条款的最高限额 %(cap)s 万元。") % {"cap": item.cap_amount}, field=field
        )
    return amount


def _check_phone(value: str) -> str:
    phone = required_text(value, "contact_phone", _("请填写联系电话。"))
    if not all(ch.isdigit() or ch in "-+ " for ch in phone) or not 7 <= sum(ch.isdigit() for ch in phone) <= 20:
        raise BusinessRuleError(_("联系电话格式不正确。"), field="contact_phone")
    return phone


def _check_payment(case: Fulfilment, fields: dict) -> dict:
    paid_on = fields.get("paid_on")
    if not isinstance(paid_on, date):
        raise BusinessRuleError(_("请填写兑付日期。"), field="paid_on")
    if paid_on > timezone.localdate():
        raise BusinessRuleError(_("兑付日期不能晚于今天。"), field="paid_on")
    method = fields.get("payment_method") or ""
    if method not in Fulfilment.PaymentMethod.values:
        raise BusinessRuleError(_("请选择兑付方式。"), field="payment_method")
    voucher_number = (fields.get("voucher_number") or "").strip()
    if method == Fulfilment.PaymentMethod.TRANSFER and not voucher_number:
        raise BusinessRuleError(_("银行转账须填写凭证号。"), field="voucher_number")
    amount = check_amount(fields.get("amount"), case.item)
    if amount != case.approved_amount:
        raise BusinessRuleError(
            _("兑付金额应等于核定金额 %(amount)s 万元。") % {"amount": case.approved_amount}, field="amount"
        )
    voucher = fields.get("voucher")
    if voucher is not None:
        check_material_file(voucher)
    values = {"paid_on": paid_on, "payment_method": method, "voucher_number": voucher_number[:60],
              "paid_amount": amount}  # fmt: skip
    if voucher is not None:
        values["voucher"] = voucher
    return values


def _move_values(move: Move, case: Fulfilment, fields: dict) -> tuple[dict, str, Decimal | None]:
    """What the move writes on the case, its note and its amount (the shape and the business rules)."""
    note = (fields.get("note") or "").strip()
    if move.note_required and not note:
        raise BusinessRuleError(_("请填写理由或意见。"), field="note")
    values: dict = {}
    amount = None
    if "amount" in move.asks:
        amount = check_amount(fields.get("amount"), case.item)
        values["approved_amount" if move.action == "pass" else "proposed_amount"] = amount
    if "payment" in move.asks:
        values = _check_payment(case, fields)
        amount = values["paid_amount"]
    return values, note, amount


# ---- helpers --------------------------------------------------------------------------------


def step_values(case: Fulfilment, state: str, today: date) -> dict:
    """The step dates of a case entering the state: its limit from the item, nothing for the other states."""
    limit = STEP_DAYS.get(state)
    if limit is None:
        return {"step_started_on": today if state in OPEN_STATES else case.step_started_on, "step_due": None}
    return {"step_started_on": today, "step_due": add_working_days(today, getattr(case.item, limit))}


def record(case: Fulfilment, action: str, from_state: str, by, note: str = "", amount=None) -> FulfilmentEvent:
    return FulfilmentEvent.objects.create(
        fulfilment=case, action=action, from_state=from_state, to_state=case.state, actor=by, note=note[:4000],
        amount=amount,
    )  # fmt: skip


def _save_materials(case: Fulfilment, materials: Sequence, by) -> None:
    for name, upload in materials:
        FulfilmentMaterial.objects.create(fulfilment=case, name=name, file=upload, uploaded_by=by)


def _stop(case: Fulfilment, reason: str, by, from_state: str) -> Fulfilment:
    """A black-listed enterprise: the case ends with the reason, nothing else changes."""
    case.state = State.STOPPED
    case.stop_reason = reason[:500]
    case.step_due = None
    case.closed_at = timezone.now()
    case.save(update_fields=["state", "stop_reason", "step_due", "closed_at"])
    event = record(case, "stop", from_state, by, reason)
    transaction.on_commit(lambda: tell_enterprise(case, event))
    return case


def _blocked(case: Fulfilment) -> str | None:
    return credit_block_reason(case.enterprise, CreditPlace.FULFILMENT, obj=case, label=case.number)


def next_number(year: int) -> str:
    """The year's next case number: ZC2026000001 …"""
    prefix = f"ZC{year}"
    last = (
        Fulfilment.objects.filter(number__startswith=prefix, number__regex=rf"^{prefix}\d{{6}}$")
        .order_by("-number")
        .values_list("number", flat=True)
        .first()
    )
    return f"{prefix}{int(last.removeprefix(prefix)) + 1 if last else 1:06d}"


def _save_with_number(case: Fulfilment) -> None:
    """A clash with a case saved a moment ago takes the next number."""
    for _attempt in range(NUMBER_ATTEMPTS):
        case.number = next_number(timezone.localdate().year)
        try:
            with transaction.atomic():
                case.save()
            return
        except IntegrityError:
            if blocking_case(case.item, case.enterprise) is not None:  # the constraint, should the locks miss
                raise BusinessRuleError(_("该企业已有此条款正在办理或已兑现的兑现件。"), field="item") from None
            case.pk = None
            continue
    raise BusinessRuleError(_("兑现件编号生成冲突，请稍后重试。"))


def _lock_enterprise(enterprise: Enterprise) -> None:
    """Applications of one enterprise are made one after the other (one open case per item and enterprise)."""
    Enterprise.objects.select_for_update().filter(pk=enterprise.pk).values_list("pk", flat=True).first()


def blocking_case(item: PolicyItem, enterprise: Enterprise) -> Fulfilment | None:
    """An open or paid case of the enterprise for the item: it stops a new one."""
    return (
        Fulfilment.objects.filter(item=item, enterprise=enterprise, state__in=(*OPEN_STATES, State.PAID))
        .order_by("-id")
        .first()
    )


# ---- creation -------------------------------------------------------------------------------


def _require_applicant(by, enterprise: Enterprise, channel: str) -> None:
    if channel == Fulfilment.Channel.ONLINE:
        own = permissions.account_enterprise(by)
        if own is None or own.pk != enterprise.pk:
            raise BusinessRuleError(_("只能为本企业网上申报。"))
    elif channel == Fulfilment.Channel.WINDOW:
        if getattr(by, "unit", None) is None or not by.has_perm(permissions.APPLY):
            raise BusinessRuleError(_("只有政务服务窗口可以受理窗口申报。"))
    else:
        raise BusinessRuleError(_("请选择申报渠道。"), field="channel")


def _require_open_to_apply(item: PolicyItem, enterprise: Enterprise) -> None:
    if item.policy.state_on(timezone.localdate()) != PolicyState.IN_FORCE:
        raise BusinessRuleError(_("该政策不在有效期内，不能申报。"), field="item")
    existing = blocking_case(item, enterprise)
    if existing is not None and existing.state == State.PAID:
        raise BusinessRuleError(
            _("该企业已兑现过此条款（%(number)s），不能重复申报。") % {"number": existing.number}, field="item"
        )
    if existing is not None:
        raise BusinessRuleError(
            _("该企业已有此条款正在办理的兑现件（%(number)s）。") % {"number": existing.number}, field="item"
        )


@records_actor
@transaction.atomic
def apply(
    item: PolicyItem,
    enterprise: Enterprise,
    *,
    by: User,
    channel: str,
    contact_name: str,
    contact_phone: str,
    declared_amount=None,
    materials: Iterable[tuple[str, UploadedFile]] = (),
) -> Fulfilment:
    """An application, online by the enterprise's portal user or at the window; a black-listed enterprise's one
    is stopped at once with the reason."""
    _require_applicant(by, enterprise, channel)
    contact_name = required_text(contact_name, "contact_name", _("请填写联系人。"))[:50]
    contact_phone = _check_phone(contact_phone)[:20]
    declared = check_amount(declared_amount, item, field="declared_amount", required=False, capped=False)
    checked = _check_materials(materials, required=True)
    _lock_enterprise(enterprise)
    _require_open_to_apply(item, enterprise)
    today, now = timezone.localdate(), timezone.now()
    case = Fulfilment(
        item=item, enterprise=enterprise, unit=item.department, channel=channel, state=State.SUBMITTED,
        window_unit=by.unit if channel == Fulfilment.Channel.WINDOW else None,
        applicant=by if channel == Fulfilment.Channel.ONLINE else None, contact_name=contact_name,
        contact_phone=contact_phone, declared_amount=declared, submitted_at=now,
    )  # fmt: skip
    for name, value in step_values(case, State.SUBMITTED, today).items():
        setattr(case, name, value)
    _save_with_number(case)
    _save_materials(case, checked, by)
    record(case, "apply", "", by, "", declared)
    reason = _blocked(case)
    if reason:
        _stop(case, reason, by, State.SUBMITTED)
    return case


@dataclass(frozen=True)
class AutoOpening:
    """A new match of a 免申即享 item: the case to open, with the lines of the rule's explanation."""

    item: PolicyItem
    enterprise_id: int
    reasons: Sequence


def open_auto_case(item: PolicyItem, enterprise: Enterprise, reasons: Iterable, *, run=None) -> Fulfilment | None:
    """A 免申即享 case for the department to confirm; None when the enterprise has an open or paid one already."""
    opened = open_auto_cases([AutoOpening(item, enterprise.pk, list(reasons))], run=run)
    return opened[0] if opened else None


@transaction.atomic
def open_auto_cases(openings: Sequence[AutoOpening], *, run=None) -> list[Fulfilment]:
    """The cases of many new matches at once (the matcher's first run may open tens of thousands): the
    enterprises are locked as one application locks its enterprise, a pair with an open or paid case gets none,
    the numbers follow the year's last one, and the cases, their first events and their audit entries are written
    in bulk, so the cost does not grow with the number of cases already on file."""
    enterprise_ids = sorted({opening.enterprise_id for opening in openings})
    item_ids = {opening.item.pk for opening in openings}
    taken: set[tuple[int, int]] = set()
    for start in range(0, len(enterprise_ids), BULK_CHUNK):
        chunk = enterprise_ids[start : start + BULK_CHUNK]
        list(Enterprise.objects.select_for_update().filter(pk__in=chunk).values_list("pk", flat=True))
        taken |= set(
            Fulfilment.objects.filter(
                enterprise_id__in=chunk, item_id__in=item_ids, state__in=(*OPEN_STATES, State.PAID)
            ).values_list("item_id", "enterprise_id")
        )
    today, now = timezone.localdate(), timezone.now()
    steps: dict[int, dict] = {}
    cases = []
    for opening in openings:
        pair = (opening.item.pk, opening.enterprise_id)
        if pair in taken:
            continue
        taken.add(pair)
        case = Fulfilment(
            item=opening.item, enterprise_id=opening.enterprise_id, unit=opening.item.department,
            channel=Fulfilment.Channel.AUTO, state=State.PENDING_CONFIRMATION,
            match_reasons=[_reason_line(line) for line in opening.reasons], submitted_at=now,
        )  # fmt: skip
        if opening.item.pk not in steps:
            steps[opening.item.pk] = step_values(case, State.PENDING_CONFIRMATION, today)
        for name, value in steps[opening.item.pk].items():
            setattr(case, name, value)
        cases.append(case)
    if not cases:
        return []
    _bulk_save_with_numbers(cases, today.year)
    note = _("政策匹配第 %(run)s 次运行") % {"run": run.pk} if run is not None else ""
    events = FulfilmentEvent.objects.bulk_create(
        [FulfilmentEvent(fulfilment=case, action="auto", to_state=case.state, note=note) for case in cases],
        batch_size=BULK_CHUNK,
    )
    record_created(cases)
    record_created(events)
    return cases


def _bulk_save_with_numbers(cases: list[Fulfilment], year: int) -> None:
    """Consecutive numbers after the year's last one; a clash with a case saved a moment ago starts again."""
    prefix = f"ZC{year}"
    for _attempt in range(NUMBER_ATTEMPTS):
        first = int(next_number(year).removeprefix(prefix))
        for offset, case in enumerate(cases):
            case.number = f"{prefix}{first + offset:06d}"
        try:
            with transaction.atomic():
                Fulfilment.objects.bulk_create(cases, batch_size=BULK_CHUNK)
            return
        except IntegrityError:
            for case in cases:
                case.pk = None
                case._state.adding = True
    raise BusinessRuleError(_("兑现件编号生成冲突，请稍后重试。"))


def _reason_line(line) -> dict:
    """A line of rules.explain (or its text) as stored on the case."""
    if isinstance(line, dict):
        return {"text": str(line.get("text", "")), "passed": bool(line.get("passed", True)),
                "depth": int(line.get("depth", 0))}  # fmt: skip
    if isinstance(line, str):
        return {"text": line, "passed": True, "depth": 0}
    return {"text": str(line.text), "passed": bool(line.passed), "depth": int(getattr(line, "depth", 0))}


# ---- the moves ------------------------------------------------------------------------------


@records_actor
@transaction.atomic
def move(case: Fulfilment, action: str, *, by, **fields) -> Fulfilment:
    """Make a move of the table on the case (see the module's docstring); returns the case as it now is.

    ``fields``: ``note`` (opinion or reason), ``amount`` (万元), ``materials`` [(name, file)], and for payment
    ``paid_on``, ``payment_method``, ``voucher_number``, ``voucher``.
    """
    seen_state = case.state
    locked = Fulfilment.objects.select_for_update().get(pk=case.pk)
    if locked.state != seen_state:
        raise BusinessRuleError(
            _("该兑现件刚被他人处理（现为“%(state)s”），请刷新后查看。") % {"state": locked.get_state_display()}
        )
    chosen = find_move(action, locked.state)
    if chosen is None or chosen not in allowed_moves(locked, by):
        raise _refusal(locked, action)
    values, note, amount = _move_values(chosen, locked, fields)
    materials = _check_materials(fields.get("materials"), required=True) if "materials" in chosen.asks else []
    if chosen.credit_check:
        reason = _blocked(locked)
        if reason:
            return _stop(locked, reason, by, seen_state)
    today = timezone.localdate()
    values |= step_values(locked, chosen.target, today)
    if chosen.target not in OPEN_STATES:
        values["closed_at"] = timezone.now()
    if chosen.action == "resubmit":
        values["submitted_at"] = timezone.now()
    for name, value in values.items():
        setattr(locked, name, value)
    locked.state = chosen.target
    locked.save(update_fields=[*values, "state"])
    _save_materials(locked, materials, by)
    event = record(locked, chosen.action, seen_state, by, note, amount)
    if chosen.action in ENTERPRISE_TOLD:
        transaction.on_commit(lambda: tell_enterprise(locked, event))
    return locked


#: the moves the enterprise's portal users are told of (the others show on its portal page)
ENTERPRISE_TOLD = {
    "return": gettext_lazy("兑现申请需补正：%(title)s（%(number)s）"),
    "reject": gettext_lazy("兑现申请不予兑现：%(title)s（%(number)s）"),
    "decline": gettext_lazy("兑现申请不予兑现：%(title)s（%(number)s）"),
    "pay": gettext_lazy("政策资金已兑付：%(title)s（%(number)s）"),
    "stop": gettext_lazy("兑现申请因信用限制中止：%(title)s（%(number)s）"),
}


def tell_enterprise(case: Fulfilment, event: FulfilmentEvent) -> None:
    """A notice to the enterprise's portal users about the event (once each)."""
    title = str(ENTERPRISE_TOLD[event.action]) % {"title": case.item.title, "number": case.number}
    notify(
        recipients=User.objects.filter(enterprise_account__enterprise_id=case.enterprise_id, is_active=True),
        key=f"policies.fulfilment.{case.pk}.{event.action}.{event.pk}",
        title=title,
        url=reverse("policies:portal_case", args=[case.pk]),
        body=event.note,
    )


def is_overdue(case: Fulfilment, today: date) -> bool:
    return case.state in OPEN_STATES and case.step_due is not None and case.step_due < today
