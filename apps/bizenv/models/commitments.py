"""Time-limit commitments (承诺时限) and the case records (办件) they are measured on.

《优化营商环境条例》 arts. 19, 28 and 47 make every region determine and publish concrete handling times
within the national limits (开办企业, 获得水电气, 不动产登记), and art. 36 makes the handling unit publicly
explain every case that exceeds them. A commitment (承诺事项) is the published time with its chain of
steps, each with its department and limit; a case is one real application, received (受理) and completed
(办结) on given dates, with its steps' dates and the clock stops the rules allow (暂停计时: 补正材料 …).

A case's working days are computed by apps/bizenv/services/commitments.py and stored on it
(``working_days``), so that statistics over a million cases are one grouped query. The limit that
applied when the case was received is stored with it too (``limit_days``): a later change to the
commitment does not turn old cases late or on time.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from apps.core.scope import ScopedQuerySet


class Commitment(models.Model):
    """承诺事项: a published time limit, e.g. 开办企业 within 3 working days."""

    code = models.SlugField(_("事项代码"), max_length=20, unique=True, help_text=_("如“kaiban”，导入办件时用"))
    name = models.CharField(_("事项名称"), max_length=100)
    description = models.TextField(_("说明"), blank=True)
    legal_basis = models.TextField(_("依据"), blank=True, help_text=_("政策文件、条例条款及其出处"))
    limit_days = models.PositiveSmallIntegerField(_("承诺时限（工作日）"), help_text=_("自受理次日起至办结，全流程"))
    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("牵头部门"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    #: the evaluation indicator this commitment's median feeds, e.g. "01.02" 开办企业时间
    indicator_code = models.CharField(_("对应评价指标代码"), max_length=30, blank=True, help_text=_("如“01.02”"))
    #: the 工程建设项目审批 commitment: its cases can be made from the landing procedure checklists
    takes_checklists = models.BooleanField(_("可从手续清单生成办件"), default=False)
    is_active = models.BooleanField(_("启用"), default=True)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("承诺事项")
        verbose_name_plural = _("承诺事项")
        ordering = ["order", "code"]
        permissions = [("manage_commitment", _("维护承诺时限事项"))]

    def __str__(self) -> str:
        return self.name


class CommitmentStep(models.Model):
    """One step of a commitment's chain (设立登记 → 公章刻制 → 银行开户 → 申领发票)."""

    commitment = models.ForeignKey(Commitment, on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveSmallIntegerField(_("序号"))
    name = models.CharField(_("环节名称"), max_length=100)
    department = models.ForeignKey(
        "org.Unit", verbose_name=_("责任部门"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    limit_days = models.PositiveSmallIntegerField(_("环节时限（工作日）"))

    class Meta:
        verbose_name = _("承诺环节")
        verbose_name_plural = _("承诺环节")
        ordering = ["commitment", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["commitment", "name"], name="bizenv_commitment_step_name")]

    def __str__(self) -> str:
        return self.name


class CaseQuerySet(ScopedQuerySet):
    scope_owner = "unit"
    scope_participants = ("steps__department",)

    def completed(self) -> "CaseQuerySet":
        """Cases with a completion date (办结)."""
        return self.filter(completed_on__isnull=False)

    def in_progress(self) -> "CaseQuerySet":
        """Cases received and not yet completed (在办)."""
        return self.filter(completed_on__isnull=True)

    def completed_between(self, starts_on, ends_on) -> "CaseQuerySet":
        """Cases completed within the period, both days included: the period statistics count these."""
        return self.filter(completed_on__gte=starts_on, completed_on__lte=ends_on)

    def late(self) -> "CaseQuerySet":
        """Completed cases that took more working days than their limit."""
        return self.filter(working_days__gt=F("limit_days"))

    def search(self, text: str) -> "CaseQuerySet":
        """Cases whose number, applicant or credit code contains the text."""
        if not text:
            return self
        return self.filter(
            Q(number__icontains=text) | Q(applicant_name__icontains=text) | Q(applicant_uscc__icontains=text)
        )


class Case(models.Model):
    """办件: one application handled under a commitment in a county."""

    class Source(models.TextChoices):
        MANUAL = "manual", _("手工登记")
        IMPORT = "import", _("Excel导入")
        CHECKLIST = "checklist", _("手续清单")

    commitment = models.ForeignKey(
        Commitment, verbose_name=_("承诺事项"), on_delete=models.PROTECT, related_name="cases"
    )
    unit = models.ForeignKey("org.Unit", verbose_name=_("办理地区"), on_delete=models.PROTECT, related_name="+")
    number = models.CharField(_("办件编号"), max_length=40)
    applicant_name = models.CharField(_("申请人"), max_length=200)
    applicant_uscc = models.CharField(_("统一社会信用代码"), max_length=18, blank=True)
    received_on = models.DateField(_("受理日期"))
    completed_on = models.DateField(_("办结日期"), null=True, blank=True)
    limit_days = models.PositiveSmallIntegerField(_("承诺时限（工作日）"))
    #: net working days from receipt to completion, clock stops taken out; None while in progress
    working_days = models.PositiveSmallIntegerField(_("用时（工作日）"), null=True, blank=True)
    stopped_days = models.PositiveSmallIntegerField(_("暂停计时（工作日）"), default=0)
    explanation = models.TextField(_("超时情况说明"), blank=True)
    explained_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("说明人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    explained_at = models.DateTimeField(_("说明时间"), null=True, blank=True)
    source = models.CharField(_("来源"), max_length=10, choices=Source.choices, default=Source.MANUAL)
    checklist = models.ForeignKey(
        "landing.Checklist",
        verbose_name=_("手续清单"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("登记人"), on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = CaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("办件")
        verbose_name_plural = _("办件")
        ordering = ["-received_on", "-pk"]
        permissions = [("record_case", _("登记承诺时限办件"))]
        constraints = [
            models.UniqueConstraint(fields=["commitment", "number"], name="bizenv_case_number_unique"),
            models.UniqueConstraint(
                fields=["checklist"], condition=Q(checklist__isnull=False), name="bizenv_case_one_per_checklist"
            ),
            models.CheckConstraint(
                condition=Q(completed_on__isnull=True) | Q(completed_on__gte=F("received_on")),
                name="bizenv_case_completed_after_received",
            ),
            models.CheckConstraint(
                condition=Q(completed_on__isnull=True, working_days__isnull=True)
                | Q(completed_on__isnull=False, working_days__isnull=False),
                name="bizenv_case_days_when_completed",
            ),
        ]
        indexes = [
            # the statistics: one commitment's cases completed in a period, grouped by county and days
            models.Index(fields=["commitment", "completed_on", "unit", "working_days"], name="bizenv_case_stats"),
            models.Index(fields=["unit", "received_on"], name="bizenv_case_unit_received"),  # a county's ledger
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.applicant_name}"

    @property
    def is_completed(self) -> bool:
        return self.completed_on is not None

    @property
    def is_late(self) -> bool:
        """Completed over its limit (an in-progress case's lateness depends on today: see the services)."""
        return self.working_days is not None and self.working_days > self.limit_days

    @property
    def is_explained(self) -> bool:
        return bool(self.explanation.strip())


class CaseStep(models.Model):
    """One step of a case, with the dates it started and ended."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveSmallIntegerField(_("序号"))
    name = models.CharField(_("环节名称"), max_length=100)
    department = models.ForeignKey(
        "org.Unit", verbose_name=_("责任部门"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    limit_days = models.PositiveSmallIntegerField(_("环节时限（工作日）"))
    started_on = models.DateField(_("开始日期"), null=True, blank=True)
    ended_on = models.DateField(_("完成日期"), null=True, blank=True)
    working_days = models.PositiveSmallIntegerField(_("用时（工作日）"), null=True, blank=True)

    class Meta:
        verbose_name = _("办件环节")
        verbose_name_plural = _("办件环节")
        ordering = ["case", "order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(started_on__isnull=False, ended_on__gte=F("started_on")),
                name="bizenv_case_step_dates",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_late(self) -> bool:
        return self.working_days is not None and self.working_days > self.limit_days


class ClockStop(models.Model):
    """暂停计时: a period the rules take out of the clock (补正材料, 现场踏勘, 听证 …)."""

    class Reason(models.TextChoices):
        CORRECTION = "correction", _("补正材料")
        SITE_VISIT = "site_visit", _("现场踏勘")
        HEARING = "hearing", _("听证")
        EXPERT_REVIEW = "expert_review", _("专家评审")
        PUBLIC_NOTICE = "public_notice", _("公示")
        OTHER = "other", _("其他法定情形")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="stops")
    reason = models.CharField(_("暂停原因"), max_length=14, choices=Reason.choices)
    starts_on = models.DateField(_("暂停日期"))
    ends_on = models.DateField(_("恢复日期"))
    note = models.CharField(_("备注"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("暂停计时")
        verbose_name_plural = _("暂停计时")
        ordering = ["case", "starts_on", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="bizenv_clock_stop_dates"),
        ]

    def __str__(self) -> str:
        return self.get_reason_display()
