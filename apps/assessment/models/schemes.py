"""Assessment schemes (考核方案): a year's metrics with their weights and scoring methods for one group of
units (the counties, or the city's departments), each unit's targets, their time-progress plans, the
manual figures entered with evidence, and the deductions for faults.

"人人头上有指标": every assessed unit has a target for every item of its group's scheme.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.scope import ScopedQuerySet


class Metric(models.Model):
    """考核指标: what is measured; a live one is read from another app, a manual one entered with evidence."""

    class Source(models.TextChoices):
        LIVE = "live", _("系统取数")
        MANUAL = "manual", _("手工填报")

    class Kind(models.TextChoices):
        COUNT = "count", _("个数")
        AMOUNT = "amount", _("金额（万元）")
        RATE = "rate", _("比率")

    code = models.SlugField(_("代码"), max_length=40, unique=True)
    name = models.CharField(_("指标名称"), max_length=60)
    source = models.CharField(_("数据来源"), max_length=10, choices=Source.choices)
    #: the registered live source (apps.assessment.sources) a live metric is read from
    source_key = models.CharField(_("取数口径"), max_length=60, blank=True)
    kind = models.CharField(_("数值类型"), max_length=10, choices=Kind.choices)
    description = models.TextField(_("统计口径说明"), blank=True)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("考核指标")
        verbose_name_plural = _("考核指标")
        ordering = ["source", "code"]

    def __str__(self) -> str:
        return self.name


class Scheme(models.Model):
    """考核方案 of one year for one group of units; the issuing unit runs it and sees every unit's figures."""

    class Group(models.TextChoices):
        COUNTY = "county", _("县（市、区）")
        DEPARTMENT = "department", _("市直部门")

    year = models.PositiveSmallIntegerField(_("年度"))
    group = models.CharField(_("考核对象"), max_length=12, choices=Group.choices)
    name = models.CharField(_("方案名称"), max_length=100)
    unit = models.ForeignKey("org.Unit", verbose_name=_("考核单位"), on_delete=models.PROTECT, related_name="+")
    #: how many of the first units are praised (通报表扬) and of the last flagged for an admonition talk (约谈)
    praise_top = models.PositiveSmallIntegerField(_("通报表扬前几名"), default=3)
    admonish_bottom = models.PositiveSmallIntegerField(_("约谈后几名"), default=3)
    #: completion at or above this share of the time-progress reads amber rather than red
    amber_share = models.DecimalField(
        _("黄灯线（占序时进度）"), max_digits=4, decimal_places=2, default=Decimal("0.90")
    )
    #: the period kinds frozen into snapshots, e.g. ["month", "quarter", "half", "year"]
    snapshot_kinds = models.JSONField(_("快照周期"), default=list)
    bulletin_prefix = models.CharField(_("文号前缀"), max_length=20, blank=True, help_text=_("如“示招考”"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("考核方案")
        verbose_name_plural = _("考核方案")
        ordering = ["-year", "group"]
        constraints = [models.UniqueConstraint(fields=["year", "group"], name="one_scheme_per_year_and_group")]
        permissions = [
            ("manage_scheme", _("管理考核方案和目标")),
            ("take_snapshot", _("生成考核快照")),
            ("enter_manual_value", _("填报手工指标")),
            ("record_deduction", _("登记扣分")),
        ]

    def __str__(self) -> str:
        return self.name


class SchemeItem(models.Model):
    """One metric of a scheme with its weight (points) and how the points are given."""

    class Method(models.TextChoices):
        COMPLETION = "completion", _("按完成率计分")
        RANKING = "ranking", _("按排名计分")

    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="items")
    metric = models.ForeignKey(Metric, verbose_name=_("指标"), on_delete=models.PROTECT, related_name="+")
    order = models.PositiveSmallIntegerField(_("序号"), default=0)
    weight = models.DecimalField(_("分值"), max_digits=6, decimal_places=2)
    method = models.CharField(_("计分方法"), max_length=12, choices=Method.choices, default=Method.COMPLETION)
    #: completion beyond this rate earns nothing more (1.20: at most 120 % of the weight)
    cap = models.DecimalField(_("完成率封顶"), max_digits=4, decimal_places=2, default=Decimal("1.20"))

    class Meta:
        verbose_name = _("考核项目")
        verbose_name_plural = _("考核项目")
        ordering = ["scheme", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["scheme", "metric"], name="one_item_per_metric")]

    def __str__(self) -> str:
        return f"{self.metric.name}（{self.weight}分）"


class TargetQuerySet(ScopedQuerySet):
    scope_participants = ("item__scheme__unit",)


class Target(models.Model):
    """A unit's annual target for one item, and how its time-progress is spread over the year."""

    class Plan(models.TextChoices):
        EVEN = "even", _("按日均匀")
        DEKAD = "dekad", _("分旬计划")
        MONTH = "month", _("分月计划")
        QUARTER = "quarter", _("分季计划")

    item = models.ForeignKey(SchemeItem, verbose_name=_("考核项目"), on_delete=models.CASCADE, related_name="targets")
    unit = models.ForeignKey("org.Unit", verbose_name=_("单位"), on_delete=models.PROTECT, related_name="+")
    value = models.DecimalField(_("年度目标"), max_digits=16, decimal_places=2)
    plan = models.CharField(_("序时进度"), max_length=10, choices=Plan.choices, default=Plan.EVEN)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = TargetQuerySet.as_manager()

    class Meta:
        verbose_name = _("考核目标")
        verbose_name_plural = _("考核目标")
        ordering = ["item", "unit__path"]
        constraints = [models.UniqueConstraint(fields=["item", "unit"], name="one_target_per_item_and_unit")]

    def __str__(self) -> str:
        return f"{self.unit} · {self.item.metric.name}"


class PlanPoint(models.Model):
    """The cumulative figure a unit plans to reach by the end of a 旬, month or quarter (以旬保月、以月保季、以季保年)."""

    target = models.ForeignKey(Target, on_delete=models.CASCADE, related_name="plan_points")
    ends_on = models.DateField(_("期末"))
    value = models.DecimalField(_("累计计划"), max_digits=16, decimal_places=2)

    class Meta:
        verbose_name = _("序时计划")
        verbose_name_plural = _("序时计划")
        ordering = ["target", "ends_on"]
        constraints = [models.UniqueConstraint(fields=["target", "ends_on"], name="one_plan_point_per_period")]

    def __str__(self) -> str:
        return f"{self.target} · {self.ends_on}"


class ManualValueQuerySet(ScopedQuerySet):
    scope_owner = "target__unit"
    scope_participants = ("target__item__scheme__unit",)


class ManualValue(models.Model):
    """A manual metric's cumulative figure as of a day, entered with its evidence; the latest one counts."""

    target = models.ForeignKey(Target, on_delete=models.CASCADE, related_name="manual_values")
    as_of = models.DateField(_("截至日期"))
    value = models.DecimalField(_("累计完成"), max_digits=16, decimal_places=2)
    evidence = models.FileField(_("佐证材料"), upload_to="assessment/evidence/%Y/%m/")
    note = models.CharField(_("说明"), max_length=200, blank=True)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    entered_at = models.DateTimeField(_("填报时间"), auto_now_add=True)

    objects = ManualValueQuerySet.as_manager()

    class Meta:
        verbose_name = _("手工指标填报")
        verbose_name_plural = _("手工指标填报")
        ordering = ["target", "-as_of", "-id"]

    def __str__(self) -> str:
        return f"{self.target} · {self.as_of}"


class DeductionQuerySet(ScopedQuerySet):
    scope_participants = ("scheme__unit",)


class Deduction(models.Model):
    """Points taken off a unit for a fault, with the reason and (for a project's fault) the project."""

    class Kind(models.TextChoices):
        LATE_START = "late_start", _("签约超期未开工")
        FAKE = "fake", _("弄虚作假")
        LATE_REPORT = "late_report", _("报送不及时")
        OTHER = "other", _("其他")

    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="deductions")
    unit = models.ForeignKey("org.Unit", verbose_name=_("单位"), on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("扣分事项"), max_length=12, choices=Kind.choices)
    points = models.DecimalField(_("扣分"), max_digits=6, decimal_places=2)
    happened_on = models.DateField(_("认定日期"))
    reason = models.TextField(_("扣分理由"))
    project = models.ForeignKey(
        "investment.Project", verbose_name=_("涉及项目"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    evidence = models.FileField(_("佐证材料"), upload_to="assessment/evidence/%Y/%m/", blank=True)
    revoked_reason = models.CharField(_("撤销理由"), max_length=200, blank=True)
    revoked_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    objects = DeductionQuerySet.as_manager()

    class Meta:
        verbose_name = _("考核扣分")
        verbose_name_plural = _("考核扣分")
        ordering = ["-happened_on", "-id"]

    def __str__(self) -> str:
        return f"{self.unit} · {self.get_kind_display()} {self.points}"
