"""What an administrator configures for the pipeline: stage gates, screening rules, time limits."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.investment.models.projects import Stage


class PipelineSettings(models.Model):
    """The locality's time limits (one row; defaults from 江门市招商线索管理办法)."""

    respond_days = models.PositiveSmallIntegerField(_("线索响应时限（工作日）"), default=1)
    assess_days = models.PositiveSmallIntegerField(_("线索研判时限（工作日）"), default=3)
    claim_days = models.PositiveSmallIntegerField(_("首报保护期（天）"), default=180)
    major_threshold = models.DecimalField(
        _("重大项目标准（万元）"), max_digits=14, decimal_places=2, default=100000, help_text=_("默认 10 亿元")
    )
    coordinating_unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("统筹单位"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("统筹全市招商的单位（如市投资促进局）：可查看全市项目、确认区县上报的阶段、协调多头招商"),
    )

    class Meta:
        verbose_name = _("招商参数")
        verbose_name_plural = _("招商参数")
        permissions = [("manage_pipeline", _("维护招商参数、阶段条件和选商规则"))]

    def __str__(self) -> str:
        return str(_("招商参数"))

    @classmethod
    def current(cls) -> "PipelineSettings":
        return cls.objects.order_by("pk").first() or cls()


class StageGate(models.Model):
    """What a project must carry to reach a stage, and whether the level above must confirm it."""

    stage = models.CharField(_("阶段"), max_length=12, choices=Stage.choices, unique=True)
    required_fields = models.JSONField(_("必填项"), default=list, blank=True)
    required_documents = models.JSONField(_("必备材料"), default=list, blank=True)
    needs_approval = models.BooleanField(_("须上级确认"), default=False)

    class Meta:
        verbose_name = _("阶段条件")
        verbose_name_plural = _("阶段条件")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.get_stage_display()


class ScreeningRule(models.Model):
    """选商: a rule run when a lead is registered and when a project signs."""

    class Kind(models.TextChoices):
        NEGATIVE_LIST = "negative_list", _("负面清单")
        TWO_HIGH = "two_high", _("两高项目")
        EXCLUDED = "excluded", _("不纳入招商统计")
        MIN_PER_MU = "min_per_mu", _("亩均投资下限")
        MIN_INVESTMENT = "min_investment", _("投资额下限")
        CREDIT = "credit", _("信用红黑名单")

    class Action(models.TextChoices):
        REFUSE = "refuse", _("不予登记")
        WARN = "warn", _("提示")
        EXCLUDE = "exclude", _("不纳入统计")

    name = models.CharField(_("规则名称"), max_length=100)
    kind = models.CharField(_("类别"), max_length=20, choices=Kind.choices)
    action = models.CharField(_("处理"), max_length=10, choices=Action.choices)
    industries = models.ManyToManyField("enterprises.Industry", verbose_name=_("适用行业"), blank=True)
    keywords = models.CharField(
        _("关键词"), max_length=300, blank=True, help_text=_("项目名称或内容含任一关键词即适用，多个用顿号分隔")
    )
    threshold = models.DecimalField(_("标准（万元或万元/亩）"), max_digits=14, decimal_places=2, null=True, blank=True)
    basis = models.CharField(_("依据"), max_length=200, blank=True)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("选商规则")
        verbose_name_plural = _("选商规则")
        ordering = ["kind", "id"]

    def __str__(self) -> str:
        return self.name


class ScreeningResult(models.Model):
    """What a screening rule said about a project, when."""

    project = models.ForeignKey("investment.Project", on_delete=models.CASCADE, related_name="screenings")
    rule = models.ForeignKey(ScreeningRule, on_delete=models.PROTECT, related_name="+")
    action = models.CharField(_("处理"), max_length=10, choices=ScreeningRule.Action.choices)
    at_stage = models.CharField(_("阶段"), max_length=12, choices=Stage.choices)
    message = models.CharField(_("说明"), max_length=300)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("选商结果")
        verbose_name_plural = _("选商结果")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return self.message
