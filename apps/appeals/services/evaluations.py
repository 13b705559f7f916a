"""企业评议部门: campaigns, their state machine, invitations, anonymous submissions and the review of comments.

State machine: ``TRANSITIONS`` gives each action its source and target state; ``change_campaign_state``
checks the move and the actor (the organising bureau: MANAGE_EVALUATION in the campaign's unit or above),
changes the state with a conditional UPDATE and writes one CampaignEvent.

Anonymity (docs/appeals.md, 企业评议部门): an enterprise answers with its one-time code. The code finds the
invitation, hence the enterprise, only for as long as the request lasts: the response is stored with
nothing that points back — no enterprise, invitation, person, address, date or time. One
response per enterprise is enforced by ``evaluation_token`` (HMAC-SHA256 under EVALUATION_TOKEN_SECRET of
the campaign and the enterprise) kept in UsedToken; the campaign's tokens are rewritten in token order at
each submission, and the responses, answers and comments in random order when the campaign closes, so
storage order is not the order of answering. The audit entry of a submission names the campaign only, with
no actor, address or correlation id, dated at the start of the day.
"""

import hashlib
import hmac
import random
import secrets
from collections.abc import Iterable, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, time

from auditlog.context import auditlog_value, set_actor
from auditlog.models import LogEntry
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.appeals import permissions
from apps.appeals.models import (
    Campaign,
    CampaignEvent,
    Dimension,
    EvaluationAnswer,
    EvaluationComment,
    EvaluationResponse,
    Invitation,
    Question,
    UsedToken,
)
from apps.appeals.models.evaluations import CampaignAction, CampaignState, CommentStatus, Score
from apps.core.audit import records_actor
from apps.core.errors import BusinessRuleError
from apps.core.workdays import chinese_date
from apps.enterprises.models import Enterprise
from apps.org.models import Unit

#: unambiguous characters for the one-time codes (no 0/O, 1/I/L)
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 10
#: at most this many enterprises are invited by one bulk invitation
INVITE_LIMIT = 5000
MAX_COMMENT = 1000

#: 工商联 万家民营企业评营商环境 dimensions, two questions each ("维度：题目", one per line)
PRESET_QUESTIONNAIRE = "\n".join(
    (
        "要素环境：用地、用水、用电、用气等要素保障及时到位",
        "要素环境：融资、用工等方面给予企业的支持有力",
        "法治环境：执法检查规范，不搞重复检查、随意检查",
        "法治环境：依法保护企业和企业家合法权益",
        "政务环境：办事流程清楚，材料和时限与承诺一致",
        "政务环境：工作人员服务态度好，廉洁守规",
        "市场环境：公平对待各类企业，无隐性门槛",
        "市场环境：惠企政策宣传到位、兑现及时",
        "创新环境：支持企业技术创新和成果转化",
        "创新环境：人才引进和培养的支持措施有效",
    )
)


# ---- the questionnaire --------------------------------------------------------------------------------------


def parse_questionnaire(text: str) -> list[tuple[str, list[str]]]:
    """ "维度：题目" lines → [(dimension, [questions])] in the order written; refuses malformed lines."""
    dimensions: dict[str, list[str]] = {}
    for number, raw in enumerate((text or "").splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        name, separator, question = line.replace(":", "：").partition("：")
        if not separator or not name.strip() or not question.strip():
            raise BusinessRuleError(_("第 %(line)d 行应写作“维度：题目”。") % {"line": number}, field="questionnaire")
        if len(name.strip()) > 50 or len(question.strip()) > 200:
            raise BusinessRuleError(
                _("第 %(line)d 行过长：维度不超过 50 字，题目不超过 200 字。") % {"line": number}, field="questionnaire"
            )
        questions = dimensions.setdefault(name.strip(), [])
        if question.strip() in questions:
            raise BusinessRuleError(_("第 %(line)d 行的题目重复。") % {"line": number}, field="questionnaire")
        questions.append(question.strip())
    if not dimensions:
        raise BusinessRuleError(_("请至少填写一个维度和一道题目。"), field="questionnaire")
    return list(dimensions.items())


def questionnaire_text(campaign: Campaign) -> str:
    """The campaign's questionnaire written back as "维度：题目" lines (for the edit form)."""
    return "\n".join(
        f"{dimension.name}：{question.text}"
        for dimension in campaign.dimensions.prefetch_related("questions")
        for question in dimension.questions.all()
    )


def _write_questionnaire(campaign: Campaign, parsed: list[tuple[str, list[str]]]) -> None:
    campaign.dimensions.all().delete()
    for position, (name, questions) in enumerate(parsed, start=1):
        dimension = Dimension.objects.create(campaign=campaign, name=name, position=position)
        Question.objects.bulk_create(
            Question(dimension=dimension, text=text, position=index) for index, text in enumerate(questions, 1)
        )


# ---- campaigns ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CampaignFields:
    title: str
    year: int
    period: str
    opens_on: date
    closes_on: date
    departments: list[Unit]
    k_threshold: int
    allow_comments: bool
    intro: str
    questionnaire: str


def _check_fields(fields: CampaignFields, organiser: Unit) -> list[tuple[str, list[str]]]:
    if not fields.title.strip():
        raise BusinessRuleError(_("请填写活动名称。"), field="title")
    if fields.closes_on < fields.opens_on:
        raise BusinessRuleError(_("截止日期不能早于开始日期。"), field="closes_on")
    if fields.k_threshold < 2:
        raise BusinessRuleError(_("公布门槛不能少于 2 份，否则单个企业的评分可被识别。"), field="k_threshold")
    allowed = set(evaluable_departments(organiser).values_list("pk", flat=True))
    if any(unit.pk not in allowed for unit in fields.departments):
        raise BusinessRuleError(_("只能评议本级政府所属的在用部门。"), field="departments")
    return parse_questionnaire(fields.questionnaire)


def evaluable_departments(organiser: Unit):
    """Departments a campaign of ``organiser`` may evaluate: the active departments of its government's area."""
    area = government_of(organiser)
    return Unit.objects.active().filter(kind=Unit.Kind.DEPARTMENT, path__startswith=area.path).order_by("path")


def government_of(unit: Unit) -> Unit:
    """The city, county or zone a department works for (a unit that is no department is its own)."""
    if unit.kind != Unit.Kind.DEPARTMENT:
        return unit
    governments = Unit.objects.get_ancestors(unit).exclude(kind=Unit.Kind.DEPARTMENT)
    return governments.order_by("-depth").first() or unit


def _event(campaign: Campaign, action: str, by, *, before: str = "", after: str = "", note: str = "") -> None:
    CampaignEvent.objects.create(
        campaign=campaign, action=action, from_state=before, to_state=after, actor=by, note=note, at=timezone.now()
    )


@records_actor
@transaction.atomic
def create_campaign(*, fields: CampaignFields, by) -> Campaign:
    """A draft campaign organised by the user's unit, with its questionnaire."""
    if not permissions.can_organise_evaluations(by):
        raise BusinessRuleError(_("只有营商环境主管部门可以组织企业评议。"))
    parsed = _check_fields(fields, by.unit)
    campaign = Campaign(
        title=fields.title.strip(), year=fields.year, period=fields.period, opens_on=fields.opens_on,
        closes_on=fields.closes_on, k_threshold=fields.k_threshold, allow_comments=fields.allow_comments,
        intro=fields.intro.strip(), unit=by.unit, created_by=by, created_at=timezone.now(),
    )  # fmt: skip
    campaign.full_clean()
    campaign.save()
    campaign.departments.set(fields.departments)
    _write_questionnaire(campaign, parsed)
    _event(campaign, CampaignAction.CREATE, by, after=CampaignState.DRAFT)
    return campaign


@records_actor
@transaction.atomic
def update_campaign(*, campaign: Campaign, fields: CampaignFields, by) -> Campaign:
    """Change a draft; once open the questionnaire and the departments are fixed (only dates may move)."""
    if not permissions.can_manage_campaign(by, campaign):
        raise BusinessRuleError(_("只有组织单位可以修改评议活动。"))
    if campaign.state not in (CampaignState.DRAFT, CampaignState.OPEN):
        raise BusinessRuleError(_("评议已结束，不能再修改。"))
    if campaign.state == CampaignState.OPEN:
        return _move_dates(campaign, fields, by)
    parsed = _check_fields(fields, campaign.unit)
    for name in ("year", "period", "opens_on", "closes_on", "k_threshold", "allow_comments"):
        setattr(campaign, name, getattr(fields, name))
    campaign.title, campaign.intro = fields.title.strip(), fields.intro.strip()
    campaign.full_clean()
    campaign.save()
    campaign.departments.set(fields.departments)
    _write_questionnaire(campaign, parsed)
    _event(campaign, CampaignAction.UPDATE, by)
    return campaign


def _move_dates(campaign: Campaign, fields: CampaignFields, by) -> Campaign:
    if fields.closes_on < campaign.opens_on:
        raise BusinessRuleError(_("截止日期不能早于开始日期。"), field="closes_on")
    campaign.closes_on = fields.closes_on
    campaign.save(update_fields=["closes_on"])
    _event(campaign, CampaignAction.UPDATE, by, note=_("截止日期改为%(day)s") % {"day": chinese_date(fields.closes_on)})
    return campaign


@dataclass(frozen=True)
class Move:
    source: str
    target: str
    label: str


TRANSITIONS: dict[str, Move] = {
    CampaignAction.OPEN: Move(CampaignState.DRAFT, CampaignState.OPEN, gettext_lazy("开始评议")),
    CampaignAction.CLOSE: Move(CampaignState.OPEN, CampaignState.CLOSED, gettext_lazy("结束评议")),
    CampaignAction.PUBLISH: Move(CampaignState.CLOSED, CampaignState.PUBLISHED, gettext_lazy("公布结果")),
}


def allowed_transitions_for(campaign: Campaign, user) -> list[str]:
    """Actions the table lets ``user`` take on the campaign now (the page's buttons)."""
    if not permissions.can_manage_campaign(user, campaign):
        return []
    return [action for action, move in TRANSITIONS.items() if move.source == campaign.state]


def _check_can_open(campaign: Campaign, today: date) -> None:
    if not campaign.departments.exists():
        raise BusinessRuleError(_("请先选择被评议部门。"))
    if not Question.objects.filter(dimension__campaign=campaign).exists():
        raise BusinessRuleError(_("请先设置评议题目。"))
    if campaign.closes_on < today:
        raise BusinessRuleError(_("截止日期已过，请先修改截止日期。"))


@records_actor
@transaction.atomic
def change_campaign_state(
    *, campaign: Campaign, action: str, by, today: date | None = None, note: str = ""
) -> Campaign:
    """Open, close or publish a campaign: checks the move and the actor, one event per move."""
    move = TRANSITIONS.get(action)
    if move is None:
        raise BusinessRuleError(_("未知的操作。"))
    if not permissions.can_manage_campaign(by, campaign):
        raise BusinessRuleError(_("只有组织单位可以%(action)s。") % {"action": move.label})
    if campaign.state != move.source:
        raise BusinessRuleError(
            _("评议活动当前为“%(state)s”，不能%(action)s。")
            % {"state": campaign.get_state_display(), "action": move.label}
        )
    today = today or timezone.localdate()
    if action == CampaignAction.OPEN:
        _check_can_open(campaign, today)
    changes = {"published_on": today} if action == CampaignAction.PUBLISH else {}
    if not Campaign.objects.filter(pk=campaign.pk, state=move.source).update(state=move.target, **changes):
        raise BusinessRuleError(_("评议活动已被他人处理，请刷新后重试。"))
    if action == CampaignAction.CLOSE:
        mix_responses(campaign)
    _event(campaign, action, by, before=move.source, after=move.target, note=note)
    campaign.refresh_from_db()
    return campaign


# ---- invitations --------------------------------------------------------------------------------------------


def new_code() -> str:
    """A random one-time code (about 49 bits)."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


@records_actor
@transaction.atomic
def invite_enterprises(*, campaign: Campaign, enterprises: Iterable[Enterprise], by, today: date | None = None) -> int:
    """Invite the enterprises not yet invited, each with its own code; returns how many were added."""
    if not permissions.can_manage_campaign(by, campaign):
        raise BusinessRuleError(_("只有组织单位可以邀请企业。"))
    if campaign.state not in (CampaignState.DRAFT, CampaignState.OPEN):
        raise BusinessRuleError(_("评议已结束，不能再邀请企业。"))
    invited = set(campaign.invitations.values_list("enterprise_id", flat=True))
    ids = [pk for pk in dict.fromkeys(e.pk for e in enterprises) if pk not in invited]
    if len(ids) > INVITE_LIMIT:
        raise BusinessRuleError(_("一次最多邀请 %(limit)d 家企业，请缩小筛选范围。") % {"limit": INVITE_LIMIT})
    day = today or timezone.localdate()
    codes = _unused_codes(len(ids))
    Invitation.objects.bulk_create(
        Invitation(campaign=campaign, enterprise_id=pk, code=code, invited_by=by, invited_on=day)
        for pk, code in zip(ids, codes, strict=True)
    )
    if ids:
        _event(campaign, CampaignAction.INVITE, by, note=_("邀请企业 %(count)d 家") % {"count": len(ids)})
    return len(ids)


def _unused_codes(count: int) -> list[str]:
    codes: set[str] = set()
    while len(codes) < count:
        batch = {new_code() for _ in range(count - len(codes))} - codes
        codes |= batch - set(Invitation.objects.filter(code__in=batch).values_list("code", flat=True))
    return list(codes)


# ---- anonymous submission -----------------------------------------------------------------------------------


def token_secret() -> bytes:
    """EVALUATION_TOKEN_SECRET, or a key derived from SECRET_KEY when it is not set."""
    configured = getattr(settings, "EVALUATION_TOKEN_SECRET", "")
    if configured:
        return configured.encode()
    return hmac.new(settings.SECRET_KEY.encode(), b"yingshang.appeals.evaluation-token", hashlib.sha256).digest()


def canonical_enterprise_id(enterprise: Enterprise) -> int:
    """The registry record the enterprise was merged into, if any: a merged duplicate must not answer twice."""
    seen = set()
    while enterprise.merged_into_id and enterprise.pk not in seen:
        seen.add(enterprise.pk)
        enterprise = enterprise.merged_into
    return enterprise.pk


def evaluation_token(campaign_id: int, enterprise_id: int) -> str:
    """HMAC-SHA256(secret, campaign id + enterprise id): the same enterprise always gives the same token."""
    message = f"{campaign_id}:{enterprise_id}".encode()
    return hmac.new(token_secret(), message, hashlib.sha256).hexdigest()


def find_invitation(code: str) -> Invitation | None:
    """The invitation of a one-time code (case and spaces ignored)."""
    cleaned = "".join((code or "").split()).upper()
    if len(cleaned) != CODE_LENGTH:
        return None
    return Invitation.objects.select_related("campaign", "enterprise").filter(code=cleaned).first()


def has_answered(invitation: Invitation) -> bool:
    """The invited enterprise has already answered this campaign."""
    token = evaluation_token(invitation.campaign_id, canonical_enterprise_id(invitation.enterprise))
    return UsedToken.objects.filter(token=token).exists()


def check_open_for_answers(campaign: Campaign, today: date) -> None:
    """Answers are taken while the campaign is open, from its first to its last day."""
    if campaign.state != CampaignState.OPEN or not campaign.opens_on <= today <= campaign.closes_on:
        raise BusinessRuleError(
            _("本次评议的填写时间为%(start)s至%(end)s，当前不在填写期内。")
            % {"start": chinese_date(campaign.opens_on), "end": chinese_date(campaign.closes_on)}
        )


WRONG_CODE = gettext_lazy("评议码不正确，请核对邀请函上的评议码。")
ALREADY_ANSWERED = gettext_lazy("贵企业已提交过本次评议，每家企业只能提交一次，不能重复提交或修改。")


@dataclass(frozen=True)
class Submission:
    """What the public form collected: {(department id, question id): score} and {department id: text}."""

    scores: Mapping[tuple[int, int], int]
    comments: Mapping[int, str]


@transaction.atomic
def submit_response(*, code: str, submission: Submission, today: date | None = None) -> EvaluationResponse:
    """Record one enterprise's answers with nothing that links them to it; a second submission is refused."""
    today = today or timezone.localdate()
    invitation = find_invitation(code)
    if invitation is None:
        raise BusinessRuleError(str(WRONG_CODE), field="code")
    campaign = Campaign.objects.select_for_update().get(pk=invitation.campaign_id)  # one submission at a time
    check_open_for_answers(campaign, today)
    scores, comments = _checked(campaign, submission)
    token = evaluation_token(campaign.pk, canonical_enterprise_id(invitation.enterprise))
    del invitation  # nothing below may know the enterprise
    _use_token(campaign, token)
    response = EvaluationResponse.objects.create(campaign=campaign)
    answers = [
        EvaluationAnswer(response=response, department_id=department, question_id=question, score=score)
        for (department, question), score in scores.items()
    ]
    random.SystemRandom().shuffle(answers)
    EvaluationAnswer.objects.bulk_create(answers)
    EvaluationComment.objects.bulk_create(
        EvaluationComment(campaign=campaign, department_id=department, text=text)
        for department, text in comments.items()
    )
    _record_submission(campaign, today)
    return response


def _use_token(campaign: Campaign, token: str) -> None:
    """Add the token, then rewrite the campaign's tokens in token order, so storage order says nothing."""
    if UsedToken.objects.filter(token=token).exists():
        raise BusinessRuleError(str(ALREADY_ANSWERED))
    tokens = sorted([token, *UsedToken.objects.filter(campaign=campaign).values_list("token", flat=True)])
    UsedToken.objects.filter(campaign=campaign).delete()
    try:
        with transaction.atomic():
            UsedToken.objects.bulk_create(UsedToken(token=value, campaign=campaign) for value in tokens)
    except IntegrityError as error:  # the same enterprise submitting twice at the same moment
        raise BusinessRuleError(str(ALREADY_ANSWERED)) from error


def _shuffled(rows: list, rng: random.Random) -> list:
    """A random order of the rows that is never the order they came in (when there are two or more)."""
    mixed = rows[:]
    while len(rows) > 1 and mixed == rows:
        rng.shuffle(mixed)
    return mixed


def mix_responses(campaign: Campaign, rng: random.Random | None = None) -> None:
    """Rewrite the campaign's responses, answers and comments in random order, keys and reviews kept.

    Rows are stored in the order they were inserted (rowid, ctid), which is the order of submission; once
    rewritten, that order says nothing. Run when the campaign closes, before anyone reads its results.
    """
    rng = rng or random.SystemRandom()
    responses = list(EvaluationResponse.objects.filter(campaign=campaign).order_by("pk"))
    answers = list(EvaluationAnswer.objects.filter(response__campaign=campaign).order_by("pk"))
    comments = list(EvaluationComment.objects.filter(campaign=campaign).order_by("pk"))
    EvaluationAnswer.objects.filter(response__campaign=campaign).delete()
    EvaluationResponse.objects.filter(campaign=campaign).delete()
    EvaluationComment.objects.filter(campaign=campaign).delete()
    EvaluationResponse.objects.bulk_create(_shuffled(responses, rng))
    EvaluationAnswer.objects.bulk_create(_shuffled(answers, rng))
    EvaluationComment.objects.bulk_create(_shuffled(comments, rng))


def _checked(campaign: Campaign, submission: Submission) -> tuple[dict, dict]:
    """Scores on the scale for the campaign's own departments and questions; each department all or nothing."""
    departments = set(campaign.departments.values_list("pk", flat=True))
    questions = set(Question.objects.filter(dimension__campaign=campaign).values_list("pk", flat=True))
    scores = {key: int(value) for key, value in submission.scores.items() if value not in (None, "")}
    if any(d not in departments or q not in questions or s not in Score.values for (d, q), s in scores.items()):
        raise BusinessRuleError(_("答卷内容不完整或已过期，请重新打开评议页面。"))
    rated = {department for department, _question in scores}
    if not rated:
        raise BusinessRuleError(_("请至少评议一个部门。"))
    for department in rated:
        if sum(1 for d, _q in scores if d == department) != len(questions):
            name = Unit.objects.get(pk=department).name
            raise BusinessRuleError(_("请完成对“%(name)s”的全部题目，或选择“未打交道，不评议”。") % {"name": name})
    comments = {}
    if campaign.allow_comments:
        for department, text in submission.comments.items():
            text = (text or "").strip()
            if text and department in rated:
                comments[department] = text[:MAX_COMMENT]
    return scores, comments


@contextmanager
def _without_client():
    """Audit entries written inside carry no actor, address or port of the current request."""
    current = auditlog_value.get(None)
    try:
        with set_actor(None, remote_addr=None, remote_port=None):
            yield
    finally:
        if current is not None:
            auditlog_value.set(current)


def _record_submission(campaign: Campaign, today: date) -> None:
    start_of_day = timezone.make_aware(datetime.combine(today, time.min))
    with _without_client():
        LogEntry.objects.log_create(
            campaign,
            force_log=True,
            action=LogEntry.Action.CREATE,
            changes={"评议答卷": ["", "收到一份匿名答卷"]},
            serialized_data=None,
            cid=None,
            timestamp=start_of_day,
        )


# ---- the review of comments ---------------------------------------------------------------------------------


@records_actor
@transaction.atomic
def review_comment(*, comment: EvaluationComment, approve: bool, note: str = "", by) -> EvaluationComment:
    """Approve a comment for release with the results, or reject it (e.g. it would identify its writer)."""
    if not permissions.can_review_comment(by, comment):
        raise BusinessRuleError(_("只有组织单位的审核人员可以审核企业意见。"))
    target = CommentStatus.APPROVED if approve else CommentStatus.REJECTED
    if not approve and not note.strip():
        raise BusinessRuleError(_("请填写不予通过的理由。"), field="note")
    updated = EvaluationComment.objects.filter(pk=comment.pk, status=CommentStatus.PENDING).update(
        status=target, reviewed_by=by, reviewed_at=timezone.now(), review_note=note.strip()[:200]
    )
    if not updated:
        raise BusinessRuleError(_("该意见已审核过。"))
    comment.refresh_from_db()
    LogEntry.objects.log_create(
        comment,
        force_log=True,
        action=LogEntry.Action.UPDATE,
        actor=by,
        changes={"审核状态": [str(CommentStatus.PENDING.label), comment.get_status_display()]},
        serialized_data=None,
    )
    return comment
