"""引荐人奖励: the introducer registry, the reward rules, and a claim from filing to payment.

A claim is filed by the project's own unit once the level above has confirmed that the project
produces (投产), within the rule's claim window. Its amount is the rule in force on the signing day
applied to the actual fixed-asset investment (the months' ``FundRecord.fixed_asset``), split by
share when several introducers brought the project; otherwise only the project's registered
introducer is rewarded. Two sides confirm it, in either order: the coordinating bureau (招商部门,
``permissions.is_coordinator``) and the project's county (the owning side, ``permissions.owns``).
Either side may return it (back to 已申报, both confirmations cleared, so the unit can correct and
file again) or refuse it (不予奖励), with a reason; a jointly confirmed claim is paid with a date and
a voucher number.

What a transition decides is kept on the claim itself: who confirmed each side and when, the last
return's reason and time, the refusal's reason and time, the payment's day, voucher number and who
recorded it. Each transition also writes an audit entry (its ``additional_data`` names the
transition, the side and the reason or voucher given); the claim's timeline of who did what is read
from those entries, nothing else is.
"""

import re
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from auditlog.models import LogEntry
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from stdnum import exceptions as stdnum_errors
from stdnum.cn import ric

from apps.core.audit import records_actor
from apps.core.errors import BusinessRuleError
from apps.investment import permissions
from apps.investment.models import FundRecord, Introducer, Project, RewardClaim, RewardRule, Stage

CONFIRM_REWARD = "investment.confirm_reward"
FILE_REWARD = "investment.add_rewardclaim"
CENT = Decimal("0.01")
#: the highest rate a band may have: 1000‰ would pay the whole investment
MAX_PER_MILLE = Decimal(1000)
MOBILE = re.compile(r"1[3-9]\d{9}")
LANDLINE = re.compile(r"0\d{2,3}-\d{7,8}(-\d{1,6})?")
INTRODUCER_FIELDS = ("kind", "name", "enterprise", "phone", "id_number", "note", "registered_on")
Status = RewardClaim.Status
VOUCHER_LENGTH = RewardClaim._meta.get_field("voucher_number").max_length


def _full_clean(obj: models.Model, exclude: tuple[str, ...] = ()) -> None:
    try:
        obj.full_clean(exclude=list(exclude), validate_unique=False)
    except ValidationError as exc:
        name, messages = next(iter(exc.message_dict.items()))
        label = obj._meta.get_field(name).verbose_name if name != "__all__" else ""
        raise BusinessRuleError(f"{label}：{' '.join(messages)}" if label else " ".join(messages), field=name) from exc


# ---- introducers --------------------------------------------------------------------------


def clean_id_number(value: str) -> str:
    """A resident ID number checked by GB 11643 (length, birth date, area code, check digit); "" stays ""."""
    number = (value or "").strip().upper().replace(" ", "")
    if not number:
        return ""
    try:
        return ric.validate(number)
    except stdnum_errors.InvalidLength as error:
        raise BusinessRuleError(_("身份证号应为 18 位。"), field="id_number") from error
    except stdnum_errors.InvalidFormat as error:
        raise BusinessRuleError(_("身份证号前 17 位应为数字，最后一位为数字或 X。"), field="id_number") from error
    except stdnum_errors.InvalidChecksum as error:
        raise BusinessRuleError(_("身份证号校验位不正确，请核对。"), field="id_number") from error
    except stdnum_errors.ValidationError as error:
        raise BusinessRuleError(_("身份证号中的出生日期或地区码不正确，请核对。"), field="id_number") from error


def clean_phone(value: str) -> str:
    """A mobile number (11 digits) or a landline with its area code (0551-62345678); "" stays ""."""
    phone = (value or "").strip().replace(" ", "").replace("－", "-").replace("—", "-")
    phone = phone.removeprefix("+86").removeprefix("0086")
    if not phone:
        return ""
    digits = phone.replace("-", "")
    if MOBILE.fullmatch(digits):
        return digits
    if LANDLINE.fullmatch(phone):
        return phone
    raise BusinessRuleError(
        _("联系电话格式不正确：手机号为 1 开头的 11 位数字，固定电话须带区号，如 0551-62345678。"), field="phone"
    )


def _fill_introducer(introducer: Introducer, fields: dict) -> None:
    for name, value in fields.items():
        if name not in INTRODUCER_FIELDS:
            raise TypeError(name)
        setattr(introducer, name, value.strip() if isinstance(value, str) else value)
    introducer.phone = clean_phone(introducer.phone)
    introducer.id_number = clean_id_number(introducer.id_number)
    if introducer.registered_on is None:
        introducer.registered_on = timezone.localdate()
    if introducer.kind == Introducer.Kind.ENTERPRISE:
        if introducer.id_number:
            raise BusinessRuleError(_("企业或机构引荐人不填身份证号。"), field="id_number")
        if not introducer.name and introducer.enterprise is not None:
            introducer.name = introducer.enterprise.name
    elif introducer.enterprise is not None:
        raise BusinessRuleError(_("个人引荐人不关联企业；企业或机构引荐时请选择“企业或机构”。"), field="enterprise")


def _check_introducer(introducer: Introducer) -> None:
    if introducer.registered_on > timezone.localdate():
        raise BusinessRuleError(_("备案日期不能晚于今天。"), field="registered_on")
    _full_clean(introducer, exclude=("unit", "enterprise"))
    if introducer.id_number:
        same = Introducer.objects.filter(unit=introducer.unit, id_number=introducer.id_number)
        other = same.exclude(pk=introducer.pk).first()
        if other is not None:
            raise BusinessRuleError(
                _("该身份证号已在本单位备案为引荐人“%(name)s”。") % {"name": other.name}, field="id_number"
            )


@records_actor
@transaction.atomic
def register_introducer(*, unit, by: AbstractBaseUser, **fields: object) -> Introducer:
    """备案 an introducer for the user's unit (a person or an enterprise), phone and ID number checked."""
    introducer = Introducer(unit=unit)
    _fill_introducer(introducer, fields)
    _check_introducer(introducer)
    introducer.save()
    return introducer


@records_actor
@transaction.atomic
def update_introducer(*, introducer: Introducer, by: AbstractBaseUser, **fields: object) -> Introducer:
    """Correct an introducer; who they are (kind, name, ID) is fixed once a reward of theirs is confirmed."""
    before = (introducer.kind, introducer.name, introducer.id_number)
    _fill_introducer(introducer, fields)
    if (introducer.kind, introducer.name, introducer.id_number) != before and _has_decided_rewards(introducer):
        raise BusinessRuleError(_("该引荐人已有确认或兑付的奖励，类别、姓名和身份证号不能再修改。"))
    _check_introducer(introducer)
    introducer.save()
    return introducer


def _has_decided_rewards(introducer: Introducer) -> bool:
    decided = Q(status=Status.PAID) | Q(bureau_confirmed_by__isnull=False) | Q(county_confirmed_by__isnull=False)
    return RewardClaim.objects.filter(introducer=introducer).exclude(status=Status.REJECTED).filter(decided).exists()


# ---- rules and the computation -----------------------------------------------------------


@dataclass(frozen=True)
class BandPart:
    """One band's slice of an investment: from ``low`` to ``high`` (万元) at ``per_mille``‰."""

    low: Decimal
    high: Decimal | None
    per_mille: Decimal
    part: Decimal
    reward: Decimal


@dataclass(frozen=True)
class Computation:
    investment: Decimal
    parts: list[BandPart]
    before_cap: Decimal
    cap: Decimal | None
    total: Decimal

    @property
    def capped(self) -> bool:
        return self.cap is not None and self.before_cap > self.cap


def _decimal(value: object) -> Decimal:
    return Decimal(str(value))


def compute_reward(bands: list[dict], cap: Decimal | None, investment: Decimal) -> Computation:
    """The reward on ``investment`` band by band; the total is exactly what ``RewardRule.reward_for`` gives."""
    ordered = sorted(bands, key=lambda band: _decimal(band["from"]))
    parts = []
    for n, band in enumerate(ordered):
        low = _decimal(band["from"])
        high = _decimal(ordered[n + 1]["from"]) if n + 1 < len(ordered) else None
        top = investment if high is None else min(investment, high)
        part = max(top - low, Decimal(0))
        rate = _decimal(band["per_mille"])
        parts.append(BandPart(low, high, rate, part, part * rate / 1000))
    before_cap = sum((p.reward for p in parts), Decimal(0)).quantize(CENT, ROUND_HALF_UP)
    total = RewardRule(bands=bands, cap=cap).reward_for(investment)
    return Computation(investment, parts, before_cap, cap, total)


def check_bands(bands: list[dict]) -> list[dict]:
    """Bands from low to high with rates of 0‰ or more; returned as JSON numbers for ``RewardRule.bands``."""
    if not bands:
        raise BusinessRuleError(_("请至少填写一档。"), field="bands")
    checked, previous = [], None
    for n, band in enumerate(bands, start=1):
        low, rate = _decimal(band["from"]), _decimal(band["per_mille"])
        if low < 0:
            raise BusinessRuleError(_("第 %(n)s 档的起点不能为负数。") % {"n": n}, field="bands")
        if rate < 0:
            raise BusinessRuleError(_("第 %(n)s 档的比例不能为负数。") % {"n": n}, field="bands")
        if rate > MAX_PER_MILLE:
            raise BusinessRuleError(_("第 %(n)s 档的比例超过 1000‰，请核对。") % {"n": n}, field="bands")
        if previous is not None and low <= previous:
            raise BusinessRuleError(
                _("分档须从低到高：第 %(n)s 档的起点 %(low)s 万元应高于第 %(m)s 档的 %(previous)s 万元。")
                % {"n": n, "m": n - 1, "low": _plain(low), "previous": _plain(previous)},
                field="bands",
            )
        checked.append({"from": _json_number(low), "per_mille": _json_number(rate)})
        previous = low
    return checked


def _plain(value: Decimal) -> str:
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _json_number(value: Decimal) -> int | float:
    """An int when whole, else a float: ``reward_for`` reads it back through ``str()``, so nothing is lost."""
    return int(value) if value == value.to_integral_value() else float(_plain(value))


@records_actor
@transaction.atomic
def save_reward_rule(
    *,
    rule: RewardRule | None,
    name: str,
    bands: list[dict],
    cap: Decimal | None,
    claim_within_days: int,
    valid_from: date,
    valid_to: date | None = None,
    by: AbstractBaseUser,
) -> RewardRule:
    """Create or change a reward rule; bands and cap are fixed once a claim has been computed with them."""
    rule = rule or RewardRule()
    checked = check_bands(bands)
    if rule.pk and (checked != rule.bands or cap != rule.cap) and RewardClaim.objects.filter(rule=rule).exists():
        raise BusinessRuleError(
            _("该办法已用于引荐奖励申报，分档和上限不能再改；如需调整，请设定失效日期并新建办法。"), field="bands"
        )
    if cap is not None and cap <= 0:
        raise BusinessRuleError(_("单个项目上限须大于 0；不设上限时请留空。"), field="cap")
    if valid_to is not None and valid_to < valid_from:
        raise BusinessRuleError(_("失效日期不能早于生效日期。"), field="valid_to")
    _check_overlap(rule, valid_from, valid_to)
    rule.name, rule.bands, rule.cap = name.strip(), checked, cap
    rule.claim_within_days, rule.valid_from, rule.valid_to = claim_within_days, valid_from, valid_to
    _full_clean(rule)
    rule.save()
    return rule


def _check_overlap(rule: RewardRule, valid_from: date, valid_to: date | None) -> None:
    """Only one rule is in force on any day, so that a project's rule is never a choice."""
    others = RewardRule.objects.exclude(pk=rule.pk).filter(Q(valid_to=None) | Q(valid_to__gte=valid_from))
    if valid_to is not None:
        others = others.filter(valid_from__lte=valid_to)
    other = others.order_by("valid_from").first()
    if other is not None:
        raise BusinessRuleError(
            _("有效期与“%(name)s”（%(start)s 起）重叠：同一天只能有一个办法生效。")
            % {"name": other.name, "start": f"{other.valid_from:%Y-%m-%d}"},
            field="valid_from",
        )


def rule_in_force(on: date) -> RewardRule | None:
    """The rule in force on a day."""
    return RewardRule.objects.filter(valid_from__lte=on).filter(Q(valid_to=None) | Q(valid_to__gte=on)).first()


def rule_for(project: Project) -> RewardRule | None:
    """The rule a project's reward follows: the one in force on its signing day (when the introduction paid off)."""
    day = project.signed_on or project.producing_on
    return rule_in_force(day) if day else None


def actual_fixed_asset(project: Project) -> Decimal:
    """实际完成固定资产投资 (万元): the sum of the months' fixed-asset figures."""
    total = FundRecord.objects.filter(project=project).aggregate(total=Sum("fixed_asset"))["total"]
    return total or Decimal(0)


def split_by_share(total: Decimal, shares: list[int]) -> list[Decimal]:
    """Each share's part of ``total`` to the cent; the largest share absorbs the rounding so the parts add up."""
    parts = [(total * share / 100).quantize(CENT, ROUND_HALF_UP) for share in shares]
    if parts:
        largest = shares.index(max(shares))
        parts[largest] = total - sum(parts[:largest] + parts[largest + 1 :], Decimal(0))
    return parts


# ---- filing --------------------------------------------------------------------------------


def claim_deadline(project: Project, rule: RewardRule) -> date | None:
    """The last day to file: the rule's number of days after the confirmed production date."""
    return project.producing_on + timedelta(days=rule.claim_within_days) if project.producing_on else None


def can_file(user, project: Project) -> bool:
    """The project's own unit files its introducers' rewards."""
    return user.has_perm(FILE_REWARD) and permissions.owns(user, project)


def filing_problems(project: Project, *, today: date | None = None) -> list[str]:
    """Why the project's reward cannot be filed now, in words (empty when it can)."""
    today = today or timezone.localdate()
    problems = []
    if project.status == Project.Status.DROPPED:
        problems.append(_("已终止的项目不能申报引荐奖励。"))
    if Stage(project.counted_stage).rank < Stage.PRODUCING.rank or project.producing_on is None:
        problems.append(_("项目投产并经确认后才能申报引荐奖励。"))
    if project.introducer_id is None:
        problems.append(_("项目没有登记引荐人，请先在项目信息中登记引荐人。"))
    problems += _rule_problems(project, today)
    if actual_fixed_asset(project) <= 0:
        problems.append(_("项目还没有填报实际完成的固定资产投资（到位资金中的“当月完成固定资产投资”）。"))
    if _claims_in_progress(project).exists():
        problems.append(_("该项目的引荐奖励已在确认或兑付中，不能重新申报。"))
    return problems


def _rule_problems(project: Project, today: date) -> list[str]:
    if project.producing_on is None:
        return []
    rule = rule_for(project)
    if rule is None:
        day = project.signed_on or project.producing_on
        return [_("签约日（%(day)s）没有生效的引荐奖励办法。") % {"day": f"{day:%Y-%m-%d}"}]
    deadline = claim_deadline(project, rule)
    if deadline is not None and today > deadline:
        return [
            _("已超过申报期限：投产（%(producing)s）后 %(days)s 天内申报，截止 %(deadline)s。")
            % {
                "producing": f"{project.producing_on:%Y-%m-%d}",
                "days": rule.claim_within_days,
                "deadline": f"{deadline:%Y-%m-%d}",
            }
        ]
    return []


def _claims_in_progress(project: Project):
    """Claims a confirmer has already acted on (or that are paid): a new filing would overwrite their decision."""
    started = Q(bureau_confirmed_by__isnull=False) | Q(county_confirmed_by__isnull=False) | ~Q(status=Status.SUBMITTED)
    return RewardClaim.objects.filter(project=project).exclude(status=Status.REJECTED).filter(started)


def check_shares(project: Project, shares: list[tuple[Introducer, int]]) -> None:
    """One introducer per project (the registered one), or several whose shares add up to 100%."""
    if not shares:
        raise BusinessRuleError(_("请至少填写一位引荐人。"), field="shares")
    seen = set()
    for introducer, share in shares:
        if introducer.pk in seen:
            raise BusinessRuleError(_("引荐人“%(name)s”重复填写。") % {"name": introducer.name}, field="shares")
        seen.add(introducer.pk)
        if not 1 <= share <= 100:
            raise BusinessRuleError(_("分成比例须在 1%—100% 之间。"), field="shares")
        if introducer.kind == Introducer.Kind.PERSON and not introducer.id_number:
            raise BusinessRuleError(
                _("个人引荐人“%(name)s”尚未登记身份证号，请先补充后再申报。") % {"name": introducer.name},
                field="shares",
            )
    total = sum(share for _introducer, share in shares)
    if total != 100:
        raise BusinessRuleError(
            _("各引荐人的分成比例合计须为 100%%，现为 %(total)s%%。") % {"total": total}, field="shares"
        )
    if project.introducer_id not in seen:
        raise BusinessRuleError(
            _("一个项目只奖励其登记的引荐人“%(name)s”；几位引荐人分成时，名单须包括该引荐人。")
            % {"name": project.introducer.name},
            field="shares",
        )


@records_actor
@transaction.atomic
def file_reward_claims(
    *, project: Project, shares: list[tuple[Introducer, int]], note: str = "", by: AbstractBaseUser
) -> list[RewardClaim]:
    """File the project's reward: one claim per introducer, amount by the rule and the share.

    Filing again replaces the project's claims that nobody has confirmed yet (after a return).
    """
    # the project's row serialises two filings of its reward (the introducer is an outer join: not locked)
    project = Project.objects.select_for_update(of=("self",)).select_related("introducer", "unit").get(pk=project.pk)
    if not can_file(by, project):
        raise BusinessRuleError(_("只有项目责任单位可以申报引荐奖励。"))
    problems = filing_problems(project)
    if problems:
        raise BusinessRuleError(problems[0])
    check_shares(project, shares)
    refused = RewardClaim.objects.filter(
        project=project, status=Status.REJECTED, introducer__in=[i for i, _s in shares]
    )
    if refused.exists():
        raise BusinessRuleError(
            _("引荐人“%(name)s”在本项目的奖励已决定不予奖励，不能再次申报。")
            % {"name": refused.first().introducer.name},
            field="shares",
        )
    for old in RewardClaim.objects.filter(project=project, status=Status.SUBMITTED):
        old.delete()
    rule, base = rule_for(project), actual_fixed_asset(project)
    amounts = split_by_share(rule.reward_for(base), [share for _introducer, share in shares])
    common = {"project": project, "rule": rule, "base_investment": base, "note": note.strip(), "created_by": by}
    return [
        RewardClaim.objects.create(introducer=introducer, share=share, amount=amount, **common)
        for (introducer, share), amount in zip(shares, amounts, strict=True)
    ]


# ---- confirming, returning, refusing, paying --------------------------------------------


@dataclass(frozen=True)
class Action:
    kind: str
    label: str


CONFIRM = Action("confirm", gettext_lazy("确认"))
RETURN = Action("return", gettext_lazy("退回"))
REJECT = Action("reject", gettext_lazy("不予奖励"))
PAY = Action("pay", gettext_lazy("登记兑付"))
ACTIONS = {action.kind: action for action in (CONFIRM, RETURN, REJECT, PAY)}
#: the statuses each action starts from: the one table the buttons and the services read
TRANSITIONS = {
    CONFIRM: {Status.SUBMITTED, Status.BUREAU_CONFIRMED},
    RETURN: {Status.SUBMITTED, Status.BUREAU_CONFIRMED, Status.CONFIRMED},
    REJECT: {Status.SUBMITTED, Status.BUREAU_CONFIRMED, Status.CONFIRMED},
    PAY: {Status.CONFIRMED},
}
BUREAU, COUNTY = "bureau", "county"
SIDE_FIELDS = {BUREAU: "bureau_confirmed_by", COUNTY: "county_confirmed_by"}
#: when each side confirmed, set and cleared together with ``SIDE_FIELDS``
SIDE_TIMES = {BUREAU: "bureau_confirmed_at", COUNTY: "county_confirmed_at"}


def speaks_for_county(user, project: Project) -> bool:
    """A user of the owning side: the project's unit or a unit above it, short of the city itself."""
    unit = getattr(user, "unit", None)
    return permissions.owns(user, project) and (unit.depth > 1 or unit.pk == project.unit_id)


def sides_of(user, claim: RewardClaim) -> list[str]:
    """The confirming sides the user speaks for on this claim: the bureau, the county, both or neither."""
    if getattr(user, "unit", None) is None or not user.has_perm(CONFIRM_REWARD):
        return []
    sides = [BUREAU] if permissions.is_coordinator(user) else []
    if speaks_for_county(user, claim.project):
        sides.append(COUNTY)
    return sides


def side_to_confirm(claim: RewardClaim, user) -> str | None:
    """The side the user would confirm now: one still open, never both sides by one person, never one's own filing."""
    if claim.created_by_id == user.pk:
        return None
    confirmers = {getattr(claim, f"{field}_id") for field in SIDE_FIELDS.values()}
    if user.pk in confirmers:
        return None
    open_sides = [side for side in sides_of(user, claim) if getattr(claim, f"{SIDE_FIELDS[side]}_id") is None]
    return open_sides[0] if open_sides else None


def allowed_actions(claim: RewardClaim, user) -> list[Action]:
    """What the user may do with the claim now: the buttons, and what the services check."""
    if not sides_of(user, claim):
        return []
    own_filing = claim.created_by_id == user.pk
    actions = []
    for action, starts in TRANSITIONS.items():
        if claim.status not in starts:
            continue
        if action == CONFIRM and side_to_confirm(claim, user) is None:
            continue
        if own_filing and action in (RETURN, REJECT):
            continue  # the unit's applicant does not decide on its own filing
        actions.append(action)
    return actions


def _require(action: Action, claim: RewardClaim, user) -> None:
    if action not in allowed_actions(claim, user):
        raise BusinessRuleError(_("当前不能对该奖励申报执行“%(action)s”。") % {"action": action.label})


def _move(claim: RewardClaim, action: Action, by, *, values: dict, **details: object) -> RewardClaim:
    """Conditional UPDATE from the state the user saw, then the audit entry that the timeline shows."""
    expected = {
        "status": claim.status,
        "bureau_confirmed_by": claim.bureau_confirmed_by_id,
        "county_confirmed_by": claim.county_confirmed_by_id,
    }
    if not RewardClaim.objects.filter(pk=claim.pk, **expected).update(**values):
        raise BusinessRuleError(_("该奖励申报刚被其他人处理，请刷新页面后重试。"))
    changes = {}
    for name, value in values.items():
        old = getattr(claim, name)
        setattr(claim, name, value)
        if old != value:
            changes[name] = [_audit_text(old), _audit_text(value)]
    LogEntry.objects.log_create(
        claim,
        force_log=True,
        action=LogEntry.Action.UPDATE,
        actor=by,
        changes=changes,
        additional_data={"transition": action.kind, **details},
    )
    return claim


def _audit_text(value: object) -> str:
    if value is None:
        return "None"
    return str(getattr(value, "pk", value))


def _reason(reason: str, message: str) -> str:
    text = (reason or "").strip()
    if not text:
        raise BusinessRuleError(message, field="reason")
    return text


@records_actor
@transaction.atomic
def confirm_reward_claim(*, claim: RewardClaim, by: AbstractBaseUser) -> RewardClaim:
    """One side confirms; the claim is jointly confirmed once the bureau and the county both have."""
    _require(CONFIRM, claim, by)
    side = side_to_confirm(claim, by)
    bureau = by if side == BUREAU else claim.bureau_confirmed_by
    county = by if side == COUNTY else claim.county_confirmed_by
    if bureau is not None and county is not None:
        status = Status.CONFIRMED
    else:
        status = Status.BUREAU_CONFIRMED if bureau is not None else Status.SUBMITTED
    values = {"status": status, SIDE_FIELDS[side]: by, SIDE_TIMES[side]: timezone.now()}
    return _move(claim, CONFIRM, by, values=values, side=side)


@records_actor
@transaction.atomic
def return_reward_claim(*, claim: RewardClaim, reason: str, by: AbstractBaseUser) -> RewardClaim:
    """Either side sends the claim back to the unit: both confirmations are cleared, the reason and time kept."""
    _require(RETURN, claim, by)
    text = _reason(reason, _("退回须写明理由。"))
    cleared = {name: None for side in (BUREAU, COUNTY) for name in (SIDE_FIELDS[side], SIDE_TIMES[side])}
    values = {"status": Status.SUBMITTED, **cleared, "returned_reason": text, "returned_at": timezone.now()}
    return _move(claim, RETURN, by, values=values, reason=text, side=sides_of(by, claim)[0])


@records_actor
@transaction.atomic
def reject_reward_claim(*, claim: RewardClaim, reason: str, by: AbstractBaseUser) -> RewardClaim:
    """Either side decides that no reward is due (不予奖励); final."""
    _require(REJECT, claim, by)
    text = _reason(reason, _("不予奖励须写明理由。"))
    values = {"status": Status.REJECTED, "rejected_reason": text, "rejected_at": timezone.now()}
    return _move(claim, REJECT, by, values=values, reason=text, side=sides_of(by, claim)[0])


@records_actor
@transaction.atomic
def pay_reward_claim(*, claim: RewardClaim, paid_on: date, voucher: str, by: AbstractBaseUser) -> RewardClaim:
    """Record the payment of a jointly confirmed reward: the day and the voucher number (兑付凭证号)."""
    _require(PAY, claim, by)
    voucher = (voucher or "").strip()
    if not voucher:
        raise BusinessRuleError(_("请填写兑付凭证号。"), field="voucher")
    if len(voucher) > VOUCHER_LENGTH:
        raise BusinessRuleError(_("兑付凭证号不能超过 %(n)s 个字符。") % {"n": VOUCHER_LENGTH}, field="voucher")
    if paid_on > timezone.localdate():
        raise BusinessRuleError(_("兑付日期不能晚于今天。"), field="paid_on")
    if paid_on < timezone.localtime(claim.created_at).date():
        raise BusinessRuleError(_("兑付日期不能早于申报日期。"), field="paid_on")
    values = {"status": Status.PAID, "paid_on": paid_on, "voucher_number": voucher, "paid_by": by}
    return _move(claim, PAY, by, values=values, voucher=voucher)
