"""Service ratings (好差评): recording, the bad-rating workflow (差评整改), appeals (申诉复核) and the figures.

The workflow is one table, ``TRANSITIONS``: for each action the states it may start from, who performs it
(the office keeping the rating, through its verification role, or the rated unit itself) and the permission.
Each service checks the move and the actor, changes the state with a conditional UPDATE (0 rows: someone
else moved it first) and writes exactly one RatingEvent in the same transaction::

    差评 → 待核实 ─回访核实(属实/部分属实)→ 整改中 ─整改→ 待回访 ─反馈评价人→ 已办结
                 └─回访核实(不属实)────────────────→ 待回访
    待核实/整改中/待回访 ─申诉成立→ 已办结 (excluded, kept)     ─驳回申诉→ unchanged

Limits come from the RatingRules version in force when the rating was given (stored on the rating): the
callback is due ``verify_days`` working days after the rating, the rectification ``rectify_days`` working
days after the verification, both at the end of the day as every clock of the app (clocks.due_after).
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.appeals import permissions
from apps.appeals.models import Appeal, RatingAppeal, RatingEvent, RatingRules, ServiceRating
from apps.appeals.models.appeals import State
from apps.appeals.models.policies import LimitUnit
from apps.appeals.models.process import Decision
from apps.appeals.models.ratings import (
    BAD_LEVELS,
    GROUP_OF_CHANNEL,
    OPEN_BAD_STATES,
    Finding,
    IndicatorSet,
    RatingAction,
    RatingChannel,
    RatingKind,
    RectificationState,
)
from apps.appeals.services import clocks, rating_push
from apps.appeals.services.clocks import Light
from apps.core.audit import record_access, records_actor
from apps.core.errors import BusinessRuleError, required_text
from apps.core.masking import mask_phone
from apps.core.workdays import CalendarNotCovered, WorkdayCalendar
from apps.org.models import Unit

OFFICE, UNIT = "office", "unit"
RATED_STATES = (State.AWAITING_FOLLOW_UP, State.RESOLVED)


@dataclass(frozen=True)
class Move:
    sources: tuple[str, ...]
    actor: str  # OFFICE (the verification role of the keeping office) or UNIT (the rated unit)
    permission: str


TRANSITIONS: dict[str, Move] = {
    RatingAction.VERIFY: Move((RectificationState.AWAITING_VERIFICATION,), OFFICE, permissions.VERIFY_RATING),
    RatingAction.RECTIFY: Move((RectificationState.RECTIFYING,), UNIT, permissions.RECTIFY_RATING),
    RatingAction.FEEDBACK: Move((RectificationState.AWAITING_FEEDBACK,), OFFICE, permissions.VERIFY_RATING),
    RatingAction.FILE_APPEAL: Move(OPEN_BAD_STATES, UNIT, permissions.RECTIFY_RATING),
    RatingAction.UPHOLD_APPEAL: Move(OPEN_BAD_STATES, OFFICE, permissions.VERIFY_RATING),
    RatingAction.REJECT_APPEAL: Move(OPEN_BAD_STATES, OFFICE, permissions.VERIFY_RATING),
}
_NEEDS_PENDING_APPEAL = (RatingAction.UPHOLD_APPEAL, RatingAction.REJECT_APPEAL)


def _may(user, rating: ServiceRating, move: Move) -> bool:
    if move.actor == OFFICE:
        return permissions.acts_for_rating_office(user, rating, move.permission)
    return permissions.acts_for_rated_unit(user, rating)


def allowed_actions_for(rating: ServiceRating, user) -> list[str]:
    """Actions the table lets ``user`` take on ``rating`` now (for buttons; services check the same)."""
    pending = getattr(rating, "has_pending_appeal", None)  # annotated by lists, to spare a query per row
    if pending is None:
        pending = rating.appeals.filter(decision=Decision.PENDING).exists()
    allowed = []
    for action, move in TRANSITIONS.items():
        if rating.state not in move.sources or not _may(user, rating, move):
            continue
        if (action in _NEEDS_PENDING_APPEAL and not pending) or (action == RatingAction.FILE_APPEAL and pending):
            continue
        allowed.append(action)
    return allowed


def _check(rating: ServiceRating, action: str, by) -> None:
    move, label = TRANSITIONS[action], RatingAction(action).label
    if rating.state not in move.sources:
        raise BusinessRuleError(
            _("该评价当前状态为“%(state)s”，不能%(action)s。") % {"state": rating.get_state_display(), "action": label}
        )
    if not _may(by, rating, move):
        if move.actor == UNIT:
            raise BusinessRuleError(_("只有被评价单位的工作人员可以%(action)s。") % {"action": label})
        raise BusinessRuleError(
            _("您无权对该评价执行“%(action)s”（被评价单位不得核实、复核本单位的评价）。") % {"action": label}
        )


def record_event(rating: ServiceRating, action: str, *, by, now: datetime, before: str, note: str = "") -> RatingEvent:
    """One step in the rating's history, after the state it names has been written."""
    event = RatingEvent.objects.create(
        rating=rating, actor=by, actor_unit=getattr(by, "unit", None), action=action, from_state=before,
        to_state=rating.state, note=note, at=now,
    )  # fmt: skip
    if not before or before != rating.state:  # recorded, or moved: the provincial system hears of it
        rating_push.queue_push(rating, now=now)
    return event


def _move(rating: ServiceRating, action: str, *, by, now: datetime, to: str | None = None, note: str = "", **changes):
    """Conditional UPDATE from the state the caller saw, then the event; refreshes ``rating``."""
    before = rating.state
    if not ServiceRating.objects.filter(pk=rating.pk, state=before).update(state=to or before, **changes):
        raise BusinessRuleError(_("该评价已被他人处理，请刷新后重试。"))
    rating.refresh_from_db()
    return record_event(rating, action, by=by, now=now, before=before, note=note)


# ---- recording ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RatingFields:
    kind: str
    channel: str
    level: int
    selected: tuple[str, ...] = ()
    comment: str = ""
    unit: Unit | None = None  # the rated unit of a service; a ticket's is its lead unit
    service_name: str = ""
    staff_name: str = ""
    appeal: Appeal | None = None
    rater_name: str = ""
    rater_phone: str = ""
    rater_enterprise: str = ""


def current_rules(day: date) -> RatingRules:
    """The 好差评规则 in force on ``day``."""
    rules = RatingRules.objects.current(day)
    if rules is None:
        raise BusinessRuleError(_("尚未配置好差评规则，请联系管理员。"))
    return rules


def indicator_set_for(channel: str, day: date) -> IndicatorSet:
    """The content set a rater on ``channel`` sees on ``day``."""
    found = IndicatorSet.objects.current(GROUP_OF_CHANNEL[channel], day)
    if found is None:
        raise BusinessRuleError(_("尚未配置该渠道的评价内容。"))
    return found


def rated_unit_of(appeal: Appeal) -> Unit:
    """Who answers for a ticket's handling: its lead unit (主办), or the office that answered it directly."""
    lead = appeal.lead_assignment()
    return lead.unit if lead is not None else appeal.unit


def _check_fields(fields: RatingFields) -> None:
    if fields.level not in (1, 2, 3, 4, 5):
        raise BusinessRuleError(_("请选择评价等级。"), field="level")
    if fields.channel not in RatingChannel.values:
        raise BusinessRuleError(_("请选择评价渠道。"), field="channel")
    if fields.kind == RatingKind.TICKET:
        if fields.appeal is None:
            raise BusinessRuleError(_("一事一评须指明工单。"), field="appeal_number")
        if fields.appeal.state not in RATED_STATES:
            raise BusinessRuleError(_("工单答复后才能评价。"), field="appeal_number")
    elif fields.kind == RatingKind.SERVICE:
        if fields.unit is None or not fields.service_name.strip():
            raise BusinessRuleError(_("一次一评须填写被评价单位和服务事项。"), field="service_name")
    else:
        raise BusinessRuleError(_("请选择评价对象。"), field="kind")


def _selected(fields: RatingFields, content: IndicatorSet) -> list[str]:
    allowed = content.options_for(fields.level)
    wrong = [item for item in fields.selected if item not in allowed]
    if wrong:
        raise BusinessRuleError(
            _("“%(items)s”不是该评价等级可选的评价内容。") % {"items": "、".join(wrong)}, field="selected"
        )
    return list(dict.fromkeys(fields.selected))


@records_actor
@transaction.atomic
def record_rating(
    *, fields: RatingFields, office: Unit, by, now: datetime, follows: ServiceRating | None = None
) -> ServiceRating:
    """登记评价 (staff on the phone or at the window, or the portal with ``by=None``); a 差评 starts its workflow."""
    _check_fields(fields)
    day = timezone.localtime(now).date()
    rules, content = current_rules(day), indicator_set_for(fields.channel, day)
    appeal = fields.appeal
    if follows is None and appeal is not None and appeal.ratings.filter(follows__isnull=True).exists():
        raise BusinessRuleError(_("该工单已有评价（一事一评）。"), field="appeal_number")
    if follows is not None:
        _check_second(follows)
    bad = fields.level in BAD_LEVELS
    rating = ServiceRating(
        kind=fields.kind, appeal=appeal, follows=follows, office=office,
        unit=rated_unit_of(appeal) if appeal is not None else fields.unit,
        service_name=fields.service_name.strip(), staff_name=fields.staff_name.strip(), channel=fields.channel,
        level=fields.level, indicator_set=content, selected=_selected(fields, content), comment=fields.comment.strip(),
        rater_name=fields.rater_name.strip(), rater_phone=fields.rater_phone.strip(),
        rater_enterprise=fields.rater_enterprise.strip(), rules=rules, rated_at=now, recorded_by=by,
        state=RectificationState.AWAITING_VERIFICATION if bad else RectificationState.NONE,
        verify_due=clocks.due_after(now, rules.verify_days, LimitUnit.WORKING_DAYS, WorkdayCalendar.load()) if bad else None,
    )  # fmt: skip
    rating.full_clean(exclude=["evidence"])
    try:
        with transaction.atomic():
            rating.save()
    except IntegrityError as error:  # two clerks recording the same ticket at once
        raise BusinessRuleError(_("该工单已有评价（一事一评）。"), field="appeal_number") from error
    record_event(rating, RatingAction.RECORD, by=by, now=now, before="", note=rating.get_level_display())
    if follows is not None:
        RatingEvent.objects.create(
            rating=follows, actor=by, actor_unit=getattr(by, "unit", None), action=RatingAction.SECOND_RATING,
            from_state=follows.state, to_state=follows.state, note=rating.get_level_display(), at=now,
        )  # fmt: skip
    return rating


def _check_second(first: ServiceRating) -> None:
    if not (first.state == RectificationState.CLOSED and first.second_invited):
        raise BusinessRuleError(_("只有整改反馈后受邀的评价人可以二次评价。"))
    if first.second_ratings.exists():
        raise BusinessRuleError(_("该评价已有二次评价。"))


def second_rating_invitation(appeal: Appeal) -> ServiceRating | None:
    """The ticket's first rating when its rater was invited to rate again and has not done so yet."""
    first = appeal.ratings.filter(follows__isnull=True).first()
    if first is None or not first.second_invited or first.second_ratings.exists():
        return None
    return first


# ---- the bad-rating workflow ----------------------------------------------------------------------------------


@records_actor
@transaction.atomic
def verify_rating(*, rating: ServiceRating, finding: str, note: str, by, now: datetime) -> RatingEvent:
    """回访核实: the callback's finding; 属实/部分属实 go to the rated unit with the rectification limit."""
    _check(rating, RatingAction.VERIFY, by)
    if finding not in Finding.values:
        raise BusinessRuleError(_("请选择核实结论。"), field="finding")
    note = required_text(note, "note", _("请填写回访核实情况。"))
    changes = {"finding": finding, "verification_note": note, "verified_at": now}
    to = RectificationState.AWAITING_FEEDBACK
    if finding != Finding.FALSE:
        days = rating.rules.rectify_days if rating.rules_id else 15
        changes["rectify_due"] = clocks.due_after(now, days, LimitUnit.WORKING_DAYS, WorkdayCalendar.load())
        to = RectificationState.RECTIFYING
    label = Finding(finding).label
    return _move(rating, RatingAction.VERIFY, by=by, now=now, to=to, note=f"{label}：{note}", **changes)


@records_actor
@transaction.atomic
def rectify_rating(*, rating: ServiceRating, measures: str, evidence=None, by, now: datetime) -> RatingEvent:
    """整改: the rated unit's measures and evidence; the office then calls the rater back."""
    _check(rating, RatingAction.RECTIFY, by)
    measures = required_text(measures, "measures", _("请填写整改措施。"))
    event = _move(
        rating, RatingAction.RECTIFY, by=by, now=now, to=RectificationState.AWAITING_FEEDBACK, note=measures,
        measures=measures, rectified_at=now,
    )  # fmt: skip
    if evidence:
        rating.evidence = evidence
        rating.save(update_fields=["evidence"])
    return event


@records_actor
@transaction.atomic
def feed_back_rating(*, rating: ServiceRating, note: str, invite_second: bool, by, now: datetime) -> RatingEvent:
    """反馈评价人 (回访): the outcome told to the rater, with an invitation to a second rating if wished; closes it."""
    _check(rating, RatingAction.FEEDBACK, by)
    note = required_text(note, "note", _("请填写反馈情况。"))
    return _move(
        rating, RatingAction.FEEDBACK, by=by, now=now, to=RectificationState.CLOSED, note=note, feedback_note=note,
        feedback_at=now, second_invited=invite_second, closed_at=now,
    )  # fmt: skip


# ---- appeals against a rating (申诉复核) -------------------------------------------------------------------


@records_actor
@transaction.atomic
def file_rating_appeal(*, rating: ServiceRating, reason: str, evidence=None, by, now: datetime) -> RatingAppeal:
    """申诉: the rated unit contests a mistaken or malicious bad rating, with its reason and evidence."""
    _check(rating, RatingAction.FILE_APPEAL, by)
    reason = required_text(reason, "reason", _("请填写申诉理由。"))
    if rating.appeals.filter(decision=Decision.PENDING).exists():
        raise BusinessRuleError(_("该评价已有待复核的申诉。"))
    appeal = RatingAppeal.objects.create(
        rating=rating, reason=reason, evidence=evidence or "", filed_by=by, filed_at=now
    )
    _move(rating, RatingAction.FILE_APPEAL, by=by, now=now, note=reason)
    return appeal


@records_actor
@transaction.atomic
def decide_rating_appeal(*, rating: ServiceRating, uphold: bool, note: str, by, now: datetime) -> RatingEvent:
    """复核: an upheld appeal excludes the rating from the statistics (kept, flagged, reason recorded)."""
    action = RatingAction.UPHOLD_APPEAL if uphold else RatingAction.REJECT_APPEAL
    _check(rating, action, by)
    note = required_text(note, "note", _("请填写复核意见。"))
    pending = rating.appeals.filter(decision=Decision.PENDING).first()
    if pending is None:
        raise BusinessRuleError(_("该评价没有待复核的申诉。"))
    decision = Decision.APPROVED if uphold else Decision.REJECTED
    RatingAppeal.objects.filter(pk=pending.pk).update(
        decision=decision, decided_by=by, decided_at=now, decision_note=note
    )
    if not uphold:
        return _move(rating, action, by=by, now=now, note=note)
    return _move(
        rating, action, by=by, now=now, to=RectificationState.CLOSED, note=note, excluded=True,
        exclusion_reason=note, closed_at=now,
    )  # fmt: skip


# ---- lights, identity -----------------------------------------------------------------------------------------


def running_due(rating: ServiceRating) -> datetime | None:
    """The due date of the stage the rating is in (callback, or rectification)."""
    if rating.state == RectificationState.AWAITING_VERIFICATION:
        return rating.verify_due
    if rating.state == RectificationState.RECTIFYING:
        return rating.rectify_due
    return None


def rating_light(rating: ServiceRating, now: datetime, calendar: WorkdayCalendar) -> Light:
    """Red when the running stage is overdue, amber when it is due today or on the next working day."""
    due = running_due(rating)
    if due is None:
        return Light.NONE
    if now > due:
        return Light.RED
    try:
        left = calendar.working_days_between(timezone.localtime(now).date(), timezone.localtime(due).date())
    except CalendarNotCovered:
        return Light.GREEN
    return Light.AMBER if left <= 1 else Light.GREEN


@dataclass(frozen=True)
class RaterIdentity:
    name: str
    phone: str
    enterprise: str
    masked: bool


def mask_name(name: str) -> str:
    """张三丰 → 张**."""
    return name[:1] + "*" * (len(name) - 1) if name else ""


def masked_identity(rating: ServiceRating) -> RaterIdentity:
    """The rater as anyone may see them: name and phone masked, the enterprise hidden."""
    enterprise = _("（已隐藏）") if rating.rater_enterprise else ""
    return RaterIdentity(mask_name(rating.rater_name), mask_phone(rating.rater_phone), enterprise, masked=True)


def rater_identity(user, rating: ServiceRating) -> RaterIdentity:
    """The rater as this user may see them; an unmasked read is recorded in the audit log."""
    if not permissions.may_see_rater(user, rating):
        return masked_identity(rating)
    if rating.rater_name or rating.rater_phone or rating.rater_enterprise:
        record_access(rating, by=user, what="rater_identity")
    return RaterIdentity(rating.rater_name, rating.rater_phone, rating.rater_enterprise, masked=False)


# ---- figures ---------------------------------------------------------------------------------------------------


def day_start(day: date) -> datetime:
    """The first moment of a local day."""
    return timezone.make_aware(datetime.combine(day, time.min))


def in_period(ratings: QuerySet, start: date, end: date) -> QuerySet:
    """Ratings given from ``start`` to ``end`` (both days included, local time)."""
    return ratings.filter(rated_at__gte=day_start(start), rated_at__lt=day_start(end + timedelta(days=1)))


_NAMED = ~Q(rater_name="") | ~Q(rater_phone="")
_CLOSED_AFTER_FEEDBACK = Q(state=RectificationState.CLOSED, feedback_at__isnull=False)


def bad_rating_rectification(units, start: date, end: date, *, as_of: datetime | None = None) -> tuple[int, int]:
    """实名差评回访整改率 of a unit (or a queryset of units) for ratings given from ``start`` to ``end``.

    Denominator: real (not defaulted), not excluded, named (实名) bad ratings of the units in the period.
    Numerator: those of them closed by ``as_of`` (default now) after the rater was called back — 属实 and
    部分属实 ones only after their rectification, 不属实 ones after the explanation.
    """
    ratings = ServiceRating.objects.filter(**{"unit__in" if isinstance(units, QuerySet) else "unit": units})
    named, closed = _named_bad(ratings, start, end, as_of)
    counts = named.aggregate(denominator=Count("pk"), numerator=Count("pk", filter=closed))
    return counts["numerator"], counts["denominator"]


def bad_rating_rectification_by_unit(start: date, end: date, *, as_of: datetime | None = None) -> dict[int, tuple]:
    """``bad_rating_rectification`` of every rated unit at once (the statistics' monthly figures): unit id →
    (numerator, denominator)."""
    named, closed = _named_bad(ServiceRating.objects.all(), start, end, as_of)
    rows = named.order_by().values("unit").annotate(denominator=Count("pk"), numerator=Count("pk", filter=closed))
    return {row["unit"]: (row["numerator"], row["denominator"]) for row in rows}


def _named_bad(ratings, start: date, end: date, as_of: datetime | None):
    named = in_period(ratings.real().bad(), start, end).filter(_NAMED)
    return named, _CLOSED_AFTER_FEEDBACK & Q(closed_at__lte=as_of or timezone.now())


@dataclass(frozen=True)
class UnitSummary:
    unit_id: int
    unit_name: str
    real: int  # given by a rater and not excluded: the denominator of 好评率 and 差评率
    good: int  # 非常满意、满意、基本满意 among them
    bad: int  # 不满意、非常不满意 among them
    defaulted: int
    excluded: int
    open_bad: int
    named_bad: int  # 实名差评: the denominator of 实名差评回访整改率
    named_bad_closed: int  # of them called back and closed: its numerator

    @property
    def rectification_rate(self) -> tuple[int, int]:
        return self.named_bad_closed, self.named_bad

    @property
    def good_rate(self) -> tuple[int, int]:
        return self.good, self.real

    @property
    def bad_rate(self) -> tuple[int, int]:
        return self.bad, self.real


def summary_by_unit(ratings: QuerySet) -> list[UnitSummary]:
    """Counts per rated unit in one query: real ratings apart from defaulted and excluded ones."""
    real = Q(defaulted=False, excluded=False)
    named_bad = real & Q(level__in=BAD_LEVELS) & _NAMED
    rows = (
        ratings.order_by()
        .values("unit", "unit__name", "unit__path")
        .annotate(
            n_real=Count("pk", filter=real),
            n_good=Count("pk", filter=real & ~Q(level__in=BAD_LEVELS)),
            n_bad=Count("pk", filter=real & Q(level__in=BAD_LEVELS)),
            n_defaulted=Count("pk", filter=Q(defaulted=True)),
            n_excluded=Count("pk", filter=Q(excluded=True)),
            n_open_bad=Count("pk", filter=Q(state__in=OPEN_BAD_STATES)),
            n_named_bad=Count("pk", filter=named_bad),
            n_named_bad_closed=Count("pk", filter=named_bad & _CLOSED_AFTER_FEEDBACK),
        )
        .order_by("unit__path")
    )
    fields = ("real", "good", "bad", "defaulted", "excluded", "open_bad", "named_bad", "named_bad_closed")
    return [UnitSummary(r["unit"], r["unit__name"], *(r[f"n_{name}"] for name in fields)) for r in rows]
