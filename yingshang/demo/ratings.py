"""The demo city's service ratings (好差评), made after its tickets (yingshang/demo/appeals.py calls this).

About two in five resolved tickets are rated by their appellant (一事一评, by phone or on the portal), and
the departments' windows get about 600 ratings a year (一次一评). Bad ratings are in every state of the
rectification workflow: older ones called back, rectified and closed (a few appealed, some of those upheld
and excluded), recent ones waiting for the callback, being rectified or waiting for the feedback — some past
their limit. The demo city's local rule counts a ticket not rated within 5 working days as 满意 (默认好评),
from three months ago, so the default scan records some defaulted ratings. Limits come from the rules and
the working-day calendar as the services compute them; rows are inserted with bulk_create.
"""

import contextlib
import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.utils import timezone

from apps.appeals.models import (
    Appeal,
    IndicatorSet,
    RatingAppeal,
    RatingEvent,
    RatingPush,
    RatingRules,
    ServiceRating,
)
from apps.appeals.models.appeals import State
from apps.appeals.models.policies import LimitUnit
from apps.appeals.models.process import Decision
from apps.appeals.models.rating_push import PushState
from apps.appeals.models.ratings import GROUP_OF_CHANNEL, RatingAction, RectificationState
from apps.appeals.services import clocks
from apps.appeals.services.rating_defaults import record_defaulted_ratings
from apps.appeals.services.rating_push import build_payload
from apps.appeals.services.ratings import rated_unit_of
from apps.core.workdays import CalendarNotCovered

LOCAL_RULES = "示范市本地规则（默认好评）"
LEVELS = ((5, 55), (4, 25), (3, 10), (2, 6), (1, 4))
SERVICES = ("企业开办", "不动产登记", "施工许可", "社保参保登记", "公积金提取", "食品经营许可", "税务登记")
STAFF = ("窗口1号", "窗口2号", "窗口5号", "窗口8号", "综合窗口")
COMMENTS = {
    5: "办事效率很高，工作人员热情。",
    4: "总体满意。",
    3: "等候时间稍长。",
    2: "材料要求说明不清，跑了两次。",
    1: "工作人员态度差，问题没有解决。",
}
PER_YEAR_SERVICES = 600


@dataclass
class _Made:
    ratings: list = field(default_factory=list)
    events: list = field(default_factory=list)  # (rating, action, at, actor, unit, from, to, note)
    appeals: list = field(default_factory=list)  # (rating, RatingAppeal without rating)


#: bad ratings of the last weeks are more often appealed, and their appeals still wait for the review
RECENT_DAYS = 60


def build(world, rng: random.Random) -> None:
    """Ratings of the demo's tickets and windows, then the default scan under the city's local rule."""
    rules = RatingRules.objects.current(timezone.localdate())
    content = {group: IndicatorSet.objects.current(group, timezone.localdate()) for group in ("online", "offline")}
    made = _Made()
    for appeal in Appeal.objects.filter(state=State.RESOLVED).select_related("unit", "enterprise").order_by("pk"):
        if rng.random() < 0.4:
            _ticket_rating(made, world, rng, appeal, rules, content)
    _service_ratings(made, world, rng, rules, content)
    _write(made)
    _pushes(world.now, rng)
    start = timezone.localdate() - timedelta(days=90)
    RatingRules.objects.create(
        version=LOCAL_RULES, valid_from=start, default_enabled=True, default_after_days=5,
        source="示范市政务服务好差评实施细则（示范）：评价主体5个工作日内未评价的，默认为满意",
    )  # fmt: skip
    record_defaulted_ratings(now=world.now)


def clear() -> None:
    RatingPush.objects.all().delete()
    RatingEvent.objects.all().delete()
    RatingAppeal.objects.all().delete()
    ServiceRating.objects.exclude(follows=None).delete()
    ServiceRating.objects.all().delete()
    RatingRules.objects.filter(version=LOCAL_RULES).delete()


def _pushes(now: datetime, rng: random.Random) -> None:
    """The outbox to the provincial 好差评 system: older pushes sent, a few failed (the endpoint was down), the
    newest still waiting for the sender."""
    recent = ServiceRating.objects.select_related("unit", "office", "appeal").order_by("-rated_at")[:80]
    rows = []
    for index, rating in enumerate(recent):
        state = PushState.PENDING if index < 10 else PushState.FAILED if rng.random() < 0.1 else PushState.PUSHED
        failed, pushed = state == PushState.FAILED, state == PushState.PUSHED
        rows.append(
            RatingPush(
                rating=rating, rectification_state=rating.state, payload=build_payload(rating), state=state,
                created_at=rating.rated_at, attempts=3 if failed else int(pushed),
                last_error="HTTP Error 503: Service Unavailable" if failed else "",
                next_try_at=None if pushed else now + timedelta(hours=1 if failed else 0),
                pushed_at=min(rating.rated_at + timedelta(minutes=10), now) if pushed else None,
            )
        )  # fmt: skip
    RatingPush.objects.bulk_create(rows, ignore_conflicts=True)


def _pick(rng: random.Random, weighted) -> int:
    values, weights = zip(*weighted, strict=True)
    return rng.choices(values, weights)[0]


def _selected(rng: random.Random, content: IndicatorSet, level: int) -> list[str]:
    options = content.options_for(level)
    return rng.sample(options, k=rng.randint(0, min(2, len(options))))


def _ticket_rating(made: _Made, world, rng: random.Random, appeal: Appeal, rules, content) -> None:
    rated = appeal.closed_at + timedelta(hours=rng.uniform(1, 48))
    if rated > world.now:
        return
    channel = rng.choice(("phone", "portal"))
    level = _pick(rng, LEVELS)
    rating = ServiceRating(
        kind="ticket", appeal=appeal, office=appeal.unit, unit=rated_unit_of(appeal), channel=channel, level=level,
        indicator_set=content[GROUP_OF_CHANNEL[channel]], selected=_selected(rng, content[GROUP_OF_CHANNEL[channel]], level),
        comment=COMMENTS[level] if rng.random() < 0.5 else "", rater_name=appeal.citizen_name, rater_phone=appeal.phone,
        rater_enterprise=appeal.enterprise.name if appeal.enterprise_id else "", rules=rules, rated_at=rated,
        recorded_by=world.agent if channel == "phone" else None,
    )  # fmt: skip
    _add(made, world, rng, rating)


def _service_ratings(made: _Made, world, rng: random.Random, rules, content) -> None:
    units = sorted({lead for lead, _co in (v for v in world.leads.values() if v)}, key=lambda u: u.code)
    for _index in range(PER_YEAR_SERVICES):
        rated = world.now - timedelta(days=rng.triangular(0, 365, 0), hours=rng.uniform(0, 8))
        channel = rng.choice(("offline", "offline", "online"))
        level = _pick(rng, LEVELS)
        group = content[GROUP_OF_CHANNEL[channel]]
        rating = ServiceRating(
            kind="service", office=world.hotline, unit=rng.choice(units), service_name=rng.choice(SERVICES),
            staff_name=rng.choice(STAFF) if channel == "offline" else "", channel=channel, level=level,
            indicator_set=group, selected=_selected(rng, group, level), comment=COMMENTS[level] if rng.random() < 0.4 else "",
            rater_name=_name(rng) if rng.random() < 0.8 else "", rater_phone=_phone(rng), rules=rules, rated_at=rated,
            recorded_by=world.agent,
        )  # fmt: skip
        _add(made, world, rng, rating)


def _name(rng: random.Random) -> str:
    return rng.choice("王李张刘陈杨赵黄周吴") + rng.choice(("先生", "女士"))


def _phone(rng: random.Random) -> str:
    return rng.choice(("138", "139", "186", "137")) + "".join(rng.choice("0123456789") for _ in range(8))


def _add(made: _Made, world, rng: random.Random, rating: ServiceRating) -> None:
    made.ratings.append(rating)
    actor = world.agent if rating.recorded_by_id else None
    unit = world.hotline if actor else None
    if rating.level > 2:
        made.events.append((rating, RatingAction.RECORD, rating.rated_at, actor, unit, "", "none", ""))
        return
    due = clocks.due_after(rating.rated_at, rating.rules.verify_days, LimitUnit.WORKING_DAYS, world.calendar)
    rating.state, rating.verify_due = RectificationState.AWAITING_VERIFICATION, due
    made.events.append((rating, RatingAction.RECORD, rating.rated_at, actor, unit, "", rating.state, ""))
    with contextlib.suppress(CalendarNotCovered):  # a limit in a year not covered yet: the story stops there
        _workflow(made, world, rng, rating)


def _step(made: _Made, rating, action, at: datetime, actor, unit, to: str | None = None, note: str = "") -> None:
    before = rating.state
    rating.state = to or before
    made.events.append((rating, action, at, actor, unit, before, rating.state, note))


def _workflow(made: _Made, world, rng: random.Random, rating: ServiceRating) -> None:
    """The bad rating's life as far as the present: appeal, callback, rectification, feedback."""
    handler, start = world.handlers.get(rating.unit_id), rating.rated_at
    recent = rating.rated_at > world.now - timedelta(days=RECENT_DAYS)
    if handler is not None and rng.random() < (0.6 if recent else 0.12):  # the last weeks' appeals wait for review
        start = _appeal(made, world, rng, rating, handler)
        if start is None:
            return
    late = rng.random() < 0.15
    stuck = rating.rated_at > world.now - timedelta(days=60) and rng.random() < 0.4  # some of the last weeks' stay open
    verified = start + timedelta(hours=rng.uniform(30, 80) if late else rng.uniform(2, 30))
    if verified > world.now or (stuck and rng.random() < 0.5):
        return  # waiting for the callback (overdue when the limit has passed)
    finding = rng.choices(("true", "partly", "false"), (50, 25, 25))[0]
    rating.finding, rating.verified_at = finding, verified
    rating.verification_note = {"false": "经核查，窗口服务符合规范，已向评价人解释。"}.get(
        finding, "电话回访评价人，反映问题属实。"
    )
    if finding == "false":
        _step(
            made,
            rating,
            RatingAction.VERIFY,
            verified,
            world.agent,
            world.hotline,
            RectificationState.AWAITING_FEEDBACK,
            "不属实",
        )
    else:
        rating.rectify_due = clocks.due_after(
            verified, rating.rules.rectify_days, LimitUnit.WORKING_DAYS, world.calendar
        )
        _step(
            made,
            rating,
            RatingAction.VERIFY,
            verified,
            world.agent,
            world.hotline,
            RectificationState.RECTIFYING,
            "属实",
        )
        rectified = verified + timedelta(days=rng.uniform(25, 40) if late else rng.uniform(2, 18))
        if rectified > world.now or stuck:
            return  # being rectified (overdue when late)
        rating.measures, rating.rectified_at = "约谈相关工作人员，完善一次性告知清单，开展服务规范培训。", rectified
        _step(
            made,
            rating,
            RatingAction.RECTIFY,
            rectified,
            handler,
            rating.unit,
            RectificationState.AWAITING_FEEDBACK,
            rating.measures,
        )
    fed_back = (rating.rectified_at or verified) + timedelta(hours=rng.uniform(4, 72))
    if fed_back > world.now or stuck:
        return  # waiting for the feedback
    rating.feedback_note, rating.feedback_at, rating.closed_at = (
        "已电话向评价人反馈核实和整改情况。",
        fed_back,
        fed_back,
    )
    rating.second_invited = rng.random() < 0.5
    _step(
        made,
        rating,
        RatingAction.FEEDBACK,
        fed_back,
        world.agent,
        world.hotline,
        RectificationState.CLOSED,
        rating.feedback_note,
    )


def _appeal(made: _Made, world, rng: random.Random, rating: ServiceRating, handler) -> datetime | None:
    """The rated unit appeals; None when that ends the story (pending, or upheld), else when it goes on."""
    filed = rating.rated_at + timedelta(hours=rng.uniform(2, 20))
    if filed > world.now:
        return rating.rated_at
    reason = (
        "评价人当日未在本窗口办理业务，系误评。"
        if rng.random() < 0.5
        else "同一号码短时间内连续作出差评，疑似恶意差评。"
    )
    appeal = RatingAppeal(reason=reason, filed_by=handler, filed_at=filed)
    made.appeals.append((rating, appeal))
    _step(made, rating, RatingAction.FILE_APPEAL, filed, handler, rating.unit, note=reason)
    decided = filed + timedelta(hours=rng.uniform(20, 60))
    if decided > world.now or rating.rated_at > world.now - timedelta(days=RECENT_DAYS):
        return None  # waiting for the review
    upheld = rng.random() < 0.6
    appeal.decision = Decision.APPROVED if upheld else Decision.REJECTED
    appeal.decided_by, appeal.decided_at = world.agent, decided
    appeal.decision_note = "经调取通话记录核实，申诉成立。" if upheld else "申诉证据不足，维持原评价。"
    if not upheld:
        _step(made, rating, RatingAction.REJECT_APPEAL, decided, world.agent, world.hotline, note=appeal.decision_note)
        return decided
    rating.excluded, rating.exclusion_reason, rating.closed_at = True, appeal.decision_note, decided
    _step(
        made,
        rating,
        RatingAction.UPHOLD_APPEAL,
        decided,
        world.agent,
        world.hotline,
        RectificationState.CLOSED,
        appeal.decision_note,
    )
    return None


def _write(made: _Made) -> None:
    ServiceRating.objects.bulk_create(made.ratings, batch_size=500)
    appeals = []
    for rating, appeal in made.appeals:
        appeal.rating = rating
        appeals.append(appeal)
    RatingAppeal.objects.bulk_create(appeals, batch_size=500)
    RatingEvent.objects.bulk_create(
        [
            RatingEvent(rating=r, action=a, at=at, actor=actor, actor_unit=unit, from_state=f, to_state=t, note=note)
            for r, a, at, actor, unit, f, t, note in made.events
        ],
        batch_size=1000,
    )
