"""Anonymous evaluation of departments by enterprises (企业评议部门): campaigns, invitations and responses.

A campaign belongs to the unit that organises it (the business-environment bureau); the departments it
evaluates take part in it (the data scope's participants), so each of them finds it in its list.

The records fall on two sides that nothing joins:
- the enterprise side — ``Invitation`` says that an enterprise was invited and holds its one-time code; it
  has no "answered" flag and no time of use;
- the response side — ``UsedToken`` (HMAC-SHA256 of the campaign and the enterprise under a secret the
  database does not hold: one response per enterprise), ``EvaluationResponse`` with its ``EvaluationAnswer``
  rows and ``EvaluationComment``. They carry no foreign key to an enterprise, an invitation or a person,
  their keys are random (UUIDs; the token itself), and they hold no date or time at all.
The used tokens are rewritten in token order at every submission, and the responses, answers and comments
rewritten in random order when the campaign closes (services/evaluations.py), so not even the order of the
rows tells who answered when. docs/appeals.md explains what remains.
"""

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.core.scope import ScopedQuerySet


class CampaignState(models.TextChoices):
    DRAFT = "draft", _("草稿")
    OPEN = "open", _("评议中")
    CLOSED = "closed", _("已结束")
    PUBLISHED = "published", _("已公布")


class Period(models.TextChoices):
    YEAR = "year", _("全年")
    FIRST_HALF = "h1", _("上半年")
    SECOND_HALF = "h2", _("下半年")
    Q1 = "q1", _("第一季度")
    Q2 = "q2", _("第二季度")
    Q3 = "q3", _("第三季度")
    Q4 = "q4", _("第四季度")


class Score(models.IntegerChoices):
    """The five-level scale of every question (a campaign's own scale, apart from 好差评's)."""

    VERY_SATISFIED = 5, _("非常满意")
    SATISFIED = 4, _("满意")
    BASICALLY = 3, _("基本满意")
    DISSATISFIED = 2, _("不满意")
    VERY_DISSATISFIED = 1, _("非常不满意")


class CampaignQuerySet(ScopedQuerySet):
    scope_owner = "unit"
    scope_participants = ("departments",)

    def search(self, text: str) -> "CampaignQuerySet":
        """Campaigns whose title contains the text."""
        text = (text or "").strip()
        return self.filter(title__icontains=text) if text else self


class Campaign(models.Model):
    """评议活动: enterprises rate departments on the campaign's dimensions between two dates."""

    title = models.CharField(_("活动名称"), max_length=200)
    year = models.PositiveSmallIntegerField(_("年度"), validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    period = models.CharField(_("评议期间"), max_length=4, choices=Period.choices, default=Period.YEAR)
    unit = models.ForeignKey("org.Unit", verbose_name=_("组织单位"), on_delete=models.PROTECT, related_name="+")
    departments = models.ManyToManyField("org.Unit", verbose_name=_("被评议部门"), related_name="+", blank=True)
    opens_on = models.DateField(_("开始日期"))
    closes_on = models.DateField(_("截止日期"))
    intro = models.TextField(_("致企业的说明"), blank=True)
    allow_comments = models.BooleanField(_("允许填写意见建议"), default=True)
    k_threshold = models.PositiveSmallIntegerField(
        _("公布门槛（份）"),
        default=5,
        validators=[MinValueValidator(2), MaxValueValidator(100)],
        help_text=_("某部门收到的答卷少于该数时，不公布其结果。"),
    )
    state = models.CharField(_("状态"), max_length=10, choices=CampaignState.choices, default=CampaignState.DRAFT)
    published_on = models.DateField(_("公布日期"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("创建人"), on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"))

    objects = CampaignQuerySet.as_manager()

    class Meta:
        verbose_name = _("评议活动")
        verbose_name_plural = _("评议活动")
        ordering = ["-year", "-opens_on", "-id"]
        permissions = [
            ("manage_evaluation", _("组织企业评议部门")),
            ("review_evaluation_comment", _("审核企业评议意见")),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(closes_on__gte=models.F("opens_on")), name="appeals_campaign_dates"),
            models.CheckConstraint(condition=Q(k_threshold__gte=2), name="appeals_campaign_k"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def shows_results(self) -> bool:
        """Results exist once the campaign is closed (the bureau's preview) or published."""
        return self.state in (CampaignState.CLOSED, CampaignState.PUBLISHED)


class Dimension(models.Model):
    """评议维度 of a campaign (要素环境, 法治环境 …), in the questionnaire's order."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="dimensions")
    name = models.CharField(_("维度"), max_length=50)
    position = models.PositiveSmallIntegerField(_("顺序"))

    class Meta:
        verbose_name = _("评议维度")
        verbose_name_plural = _("评议维度")
        ordering = ["campaign_id", "position"]
        constraints = [models.UniqueConstraint(fields=["campaign", "name"], name="appeals_dimension_unique_name")]

    def __str__(self) -> str:
        return self.name


class Question(models.Model):
    """One question of a dimension, answered on the five-level scale for each department."""

    dimension = models.ForeignKey(Dimension, on_delete=models.CASCADE, related_name="questions")
    text = models.CharField(_("题目"), max_length=200)
    position = models.PositiveSmallIntegerField(_("顺序"))

    class Meta:
        verbose_name = _("评议题目")
        verbose_name_plural = _("评议题目")
        ordering = ["dimension_id", "position"]

    def __str__(self) -> str:
        return self.text


class CampaignAction(models.TextChoices):
    CREATE = "create", _("创建")
    UPDATE = "update", _("修改")
    OPEN = "open", _("开始评议")
    CLOSE = "close", _("结束评议")
    PUBLISH = "publish", _("公布结果")
    INVITE = "invite", _("邀请企业")


class CampaignEvent(models.Model):
    """One step in a campaign's life (append-only); submissions are never events."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("操作"), max_length=10, choices=CampaignAction.choices)
    from_state = models.CharField(_("原状态"), max_length=10, blank=True)
    to_state = models.CharField(_("新状态"), max_length=10, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("操作人"), on_delete=models.PROTECT, null=True, related_name="+"
    )
    note = models.TextField(_("说明"), blank=True)
    at = models.DateTimeField(_("时间"))

    class Meta:
        verbose_name = _("评议活动记录")
        verbose_name_plural = _("评议活动记录")
        ordering = ["campaign_id", "at", "id"]

    def __str__(self) -> str:
        return f"{self.campaign_id} {self.get_action_display()}"

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise ValueError("campaign events are append-only")
        super().save(*args, **kwargs)


class Invitation(models.Model):
    """邀请: an enterprise is asked to take part and given a one-time code.

    Deliberately without an "answered" flag, a time of use or anything the response side holds.
    """

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="invitations")
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", verbose_name=_("企业"), on_delete=models.PROTECT, related_name="+"
    )
    code = models.CharField(_("评议码"), max_length=12, unique=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("邀请人"), on_delete=models.PROTECT, null=True, related_name="+"
    )
    invited_on = models.DateField(_("邀请日期"))

    class Meta:
        verbose_name = _("评议邀请")
        verbose_name_plural = _("评议邀请")
        ordering = ["campaign_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "enterprise"], name="appeals_invitation_once_per_enterprise")
        ]

    def __str__(self) -> str:
        return f"{self.campaign_id} {self.enterprise_id}"


class UsedToken(models.Model):
    """已用评议凭据: HMAC-SHA256(secret, campaign + enterprise) of an enterprise that has answered.

    The token is the key (no sequence) and the campaign the only other column: no time, no enterprise.
    """

    token = models.CharField(_("凭据"), max_length=64, primary_key=True)
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="used_tokens")

    class Meta:
        verbose_name = _("已用评议凭据")
        verbose_name_plural = _("已用评议凭据")

    def __str__(self) -> str:
        return self.token[:8]


class EvaluationResponse(models.Model):
    """评议答卷: one enterprise's answers, with a random key and no date (the audit log counts them per day)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="responses")

    class Meta:
        verbose_name = _("评议答卷")
        verbose_name_plural = _("评议答卷")

    def __str__(self) -> str:
        return str(self.id)


class EvaluationAnswer(models.Model):
    """One score: a question answered for a department."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    response = models.ForeignKey(EvaluationResponse, on_delete=models.CASCADE, related_name="answers")
    department = models.ForeignKey("org.Unit", verbose_name=_("部门"), on_delete=models.PROTECT, related_name="+")
    question = models.ForeignKey(Question, verbose_name=_("题目"), on_delete=models.RESTRICT, related_name="+")
    score = models.PositiveSmallIntegerField(_("评分"), choices=Score.choices)

    class Meta:
        verbose_name = _("评议得分")
        verbose_name_plural = _("评议得分")
        constraints = [
            models.UniqueConstraint(
                fields=["response", "department", "question"], name="appeals_answer_once_per_question"
            ),
            models.CheckConstraint(condition=Q(score__gte=1, score__lte=5), name="appeals_answer_score"),
        ]
        indexes = [
            models.Index(fields=["department", "question"], name="appeals_answer_results"),  # results by department
        ]

    def __str__(self) -> str:
        return f"{self.department_id} {self.question_id}: {self.score}"


class CommentStatus(models.TextChoices):
    PENDING = "pending", _("待审核")
    APPROVED = "approved", _("已通过")
    REJECTED = "rejected", _("未通过")


class CommentQuerySet(ScopedQuerySet):
    scope_owner = "campaign__unit"

    def pending(self) -> "CommentQuerySet":
        """Comments waiting for the bureau's review."""
        return self.filter(status=CommentStatus.PENDING)


class EvaluationComment(models.Model):
    """An enterprise's free text about a department: shown only once approved, and never with its response."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="comments")
    department = models.ForeignKey("org.Unit", verbose_name=_("部门"), on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("意见建议"))
    status = models.CharField(
        _("审核状态"), max_length=10, choices=CommentStatus.choices, default=CommentStatus.PENDING
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("审核人"), on_delete=models.PROTECT, null=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    review_note = models.CharField(_("审核说明"), max_length=200, blank=True)

    objects = CommentQuerySet.as_manager()

    class Meta:
        verbose_name = _("企业评议意见")
        verbose_name_plural = _("企业评议意见")
        ordering = ["campaign_id", "department_id", "id"]  # by random key: never the order of submission
        indexes = [
            models.Index(fields=["campaign", "status"], name="appeals_comment_queue"),  # the review queue
        ]

    def __str__(self) -> str:
        return self.text[:30]
