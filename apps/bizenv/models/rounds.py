"""Evaluation rounds (评价轮次): each county's raw values, the references, and the results.

A round evaluates a set of counties against one published methodology version. While it is open, the lead
unit (牵头单位) of each indicator enters every county's raw value (or imports them from Excel; values the
platform can compute are taken from its own ledgers); the business-environment bureau reviews them and
returns the doubtful ones with a comment. Publishing computes the results and freezes the round: the raw
values, the normalised scores and the parameters used are stored with each result, so that any published
score can be computed again (apps/bizenv/scoring.py, version ``scoring_version``).
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.core.scope import ScopedQuerySet


class Round(models.Model):
    """评价轮次: a year or a quarter of the evaluation."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("筹备中")
        OPEN = "open", _("填报中")
        CLOSED = "closed", _("审核中")
        PUBLISHED = "published", _("已发布")

    class Aggregation(models.TextChoices):
        ARITHMETIC = "arithmetic", _("加权算术平均")
        GEOMETRIC = "geometric", _("加权几何平均")

    class Disclosure(models.TextChoices):
        OWN = "own", _("各区县只看本地结果")
        CITY_WIDE = "city_wide", _("全市公开排名")

    methodology = models.ForeignKey(
        "bizenv.Methodology", verbose_name=_("评价方法版本"), on_delete=models.PROTECT, related_name="rounds"
    )
    name = models.CharField(_("轮次名称"), max_length=100, help_text=_("如“2025年度营商环境评价”"))
    year = models.PositiveSmallIntegerField(_("年度"))
    quarter = models.PositiveSmallIntegerField(_("季度"), null=True, blank=True, help_text=_("年度评价不填"))
    units = models.ManyToManyField("org.Unit", verbose_name=_("参评区县"), related_name="+")
    opens_on = models.DateField(_("填报开始"))
    closes_on = models.DateField(_("填报截止"))
    aggregation = models.CharField(
        _("汇总方法"), max_length=10, choices=Aggregation.choices, default=Aggregation.ARITHMETIC
    )
    threshold = models.DecimalField(
        _("数据完整度阈值"),
        max_digits=5,
        decimal_places=4,
        default=Decimal("0.6667"),
        help_text=_("有数据的下级指标权重占比低于此值时不计分（不按 0 分计）"),
    )
    disclosure = models.CharField(_("结果公开范围"), max_length=10, choices=Disclosure.choices, default=Disclosure.OWN)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    scoring_version = models.PositiveSmallIntegerField(_("计分版本"), null=True, blank=True)
    computed_at = models.DateTimeField(_("计算时间"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("创建人"), on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("发布人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("评价轮次")
        verbose_name_plural = _("评价轮次")
        ordering = ["-year", "-quarter", "-pk"]
        permissions = [
            ("manage_round", _("组织营商环境评价轮次")),
            ("enter_value", _("填报营商环境评价数据")),
            ("view_all_results", _("查看全市营商环境评价结果")),
        ]
        constraints = [
            models.UniqueConstraint(fields=["year", "quarter"], name="bizenv_round_period_unique"),
            models.UniqueConstraint(
                fields=["year"], condition=Q(quarter__isnull=True), name="bizenv_round_year_unique"
            ),
            models.CheckConstraint(
                condition=Q(quarter__isnull=True) | Q(quarter__gte=1, quarter__lte=4), name="bizenv_round_quarter"
            ),
            models.CheckConstraint(condition=Q(closes_on__gte=models.F("opens_on")), name="bizenv_round_window"),
            models.CheckConstraint(condition=Q(threshold__gte=0, threshold__lte=1), name="bizenv_round_threshold"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    @property
    def period(self) -> str:
        return f"{self.year}Q{self.quarter}" if self.quarter else str(self.year)


class EntryQuerySet(ScopedQuerySet):
    scope_owner = "unit"
    scope_participants = ("indicator__lead_unit",)


class Entry(models.Model):
    """填报值: one county's raw value of one indicator in a round, entered by the indicator's lead unit."""

    class Status(models.TextChoices):
        SAVED = "saved", _("已保存")
        SUBMITTED = "submitted", _("已报送")
        RETURNED = "returned", _("已退回")
        APPROVED = "approved", _("已审核")

    class Source(models.TextChoices):
        MANUAL = "manual", _("填报")
        IMPORT = "import", _("导入")
        PLATFORM = "platform", _("本平台计算")

    round = models.ForeignKey(Round, verbose_name=_("评价轮次"), on_delete=models.CASCADE, related_name="entries")
    unit = models.ForeignKey("org.Unit", verbose_name=_("区县"), on_delete=models.PROTECT, related_name="+")
    indicator = models.ForeignKey(
        "bizenv.Indicator", verbose_name=_("指标"), on_delete=models.PROTECT, related_name="entries"
    )
    value = models.CharField(_("原始值"), max_length=40)
    note = models.CharField(_("数据说明"), max_length=200, blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.SAVED)
    source = models.CharField(_("来源"), max_length=10, choices=Source.choices, default=Source.MANUAL)
    review_comment = models.CharField(_("审核意见"), max_length=200, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("填报人"), on_delete=models.PROTECT, null=True, related_name="+"
    )
    entered_at = models.DateTimeField(_("填报时间"), auto_now=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审核人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)

    objects = EntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("评价填报值")
        verbose_name_plural = _("评价填报值")
        ordering = ["round", "indicator__code", "unit__path"]
        constraints = [
            models.UniqueConstraint(fields=["round", "unit", "indicator"], name="bizenv_entry_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.round} {self.unit} {self.indicator.code}: {self.value}"


class Reference(models.Model):
    """参考值: the province's or the city's average of an indicator in a round, entered by the bureau."""

    class Level(models.TextChoices):
        PROVINCE = "province", _("全省平均")
        CITY = "city", _("全市平均")

    round = models.ForeignKey(Round, verbose_name=_("评价轮次"), on_delete=models.CASCADE, related_name="references")
    indicator = models.ForeignKey(
        "bizenv.Indicator", verbose_name=_("指标"), on_delete=models.PROTECT, related_name="references"
    )
    level = models.CharField(_("参考层级"), max_length=10, choices=Level.choices)
    value = models.CharField(_("参考值"), max_length=40)
    source = models.CharField(_("来源"), max_length=100, blank=True, help_text=_("如“省营商办2025年评价报告”"))

    class Meta:
        verbose_name = _("评价参考值")
        verbose_name_plural = _("评价参考值")
        ordering = ["round", "indicator__code", "level"]
        constraints = [
            models.UniqueConstraint(fields=["round", "indicator", "level"], name="bizenv_reference_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.round} {self.indicator.code} {self.get_level_display()}: {self.value}"


class ResultQuerySet(ScopedQuerySet):
    scope_owner = "unit"


class Result(models.Model):
    """评价结果: a county's overall score and rank in a round, with everything that reproduces it."""

    class Movement(models.TextChoices):
        UP = "up", "↑"
        SAME = "same", "→"
        DOWN = "down", "↓"
        NEW = "new", _("新")

    round = models.ForeignKey(Round, verbose_name=_("评价轮次"), on_delete=models.CASCADE, related_name="results")
    unit = models.ForeignKey("org.Unit", verbose_name=_("区县"), on_delete=models.PROTECT, related_name="+")
    score = models.DecimalField(_("总分"), max_digits=6, decimal_places=2, null=True, blank=True)
    rank = models.PositiveSmallIntegerField(_("名次"), null=True, blank=True)
    previous_rank = models.PositiveSmallIntegerField(_("上轮名次"), null=True, blank=True)
    movement = models.CharField(_("名次变化"), max_length=4, choices=Movement.choices, default=Movement.NEW)
    reason = models.CharField(_("未计分原因"), max_length=200, blank=True)
    #: scoring.GroupResult.as_json(): raw values, parameters, scores and weights of the whole tree
    details = models.JSONField(_("计分明细"))

    objects = ResultQuerySet.as_manager()

    class Meta:
        verbose_name = _("评价结果")
        verbose_name_plural = _("评价结果")
        ordering = ["round", "rank", "unit__path"]
        constraints = [models.UniqueConstraint(fields=["round", "unit"], name="bizenv_result_unique")]

    def __str__(self) -> str:
        return f"{self.round} {self.unit}: {self.score}"


class ScoreQuerySet(ScopedQuerySet):
    scope_owner = "unit"
    scope_participants = ("indicator__lead_unit",)


class Score(models.Model):
    """指标得分: a county's score and rank on one indicator (first level or below) in a round."""

    round = models.ForeignKey(Round, verbose_name=_("评价轮次"), on_delete=models.CASCADE, related_name="scores")
    unit = models.ForeignKey("org.Unit", verbose_name=_("区县"), on_delete=models.PROTECT, related_name="+")
    indicator = models.ForeignKey(
        "bizenv.Indicator", verbose_name=_("指标"), on_delete=models.PROTECT, related_name="scores"
    )
    raw = models.CharField(_("原始值"), max_length=40, blank=True)
    score = models.DecimalField(_("得分"), max_digits=6, decimal_places=2, null=True, blank=True)
    rank = models.PositiveSmallIntegerField(_("名次"), null=True, blank=True)
    previous_rank = models.PositiveSmallIntegerField(_("上轮名次"), null=True, blank=True)
    #: below the indicator's alert threshold: flagged against its lead unit
    flagged = models.BooleanField(_("低于预警阈值"), default=False)

    objects = ScoreQuerySet.as_manager()

    class Meta:
        verbose_name = _("指标得分")
        verbose_name_plural = _("指标得分")
        ordering = ["round", "indicator__code", "rank"]
        constraints = [models.UniqueConstraint(fields=["round", "unit", "indicator"], name="bizenv_score_unique")]
        indexes = [models.Index(fields=["round", "flagged"], name="bizenv_score_flagged")]

    def __str__(self) -> str:
        return f"{self.round} {self.unit} {self.indicator.code}: {self.score}"
