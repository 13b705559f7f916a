"""The appeals indicators (诉求办理考核指标): the scheme that weighs them and the monthly snapshots.

Every figure is kept as a numerator and a denominator per handling unit and month, so a county's figure is
the sum of its units' and any rate can be recomputed, and a snapshot records the scheme version it used:
a ranking published for a month can be shown again exactly as it was (the formulas live in
services/statistics.py).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Indicator(models.TextChoices):
    SIGN_FOR_ON_TIME = "sign_for_on_time", _("按时签收率")
    RESPONSE = "response", _("响应率")
    RESOLVED_ON_TIME = "resolved_on_time", _("按时办结率")
    RESOLUTION = "resolution", _("解决率")
    SATISFACTION = "satisfaction", _("满意率")
    RETURN = "return", _("回退率")
    REDO = "redo", _("重办率")
    BAD_RATING_RECTIFICATION = "bad_rating_rectification", _("差评整改率")


#: indicators where a lower rate is better: the score counts 100 minus the rate
LOWER_IS_BETTER = frozenset({Indicator.RETURN, Indicator.REDO})


class SchemeQuerySet(models.QuerySet):
    def valid_on(self, day) -> "SchemeQuerySet":
        """Schemes in force on ``day`` (valid_to is the first day no longer valid)."""
        return self.filter(Q(valid_to__isnull=True) | Q(valid_to__gt=day), valid_from__lte=day)


class KpiScheme(models.Model):
    """考核口径: the weights of the indicators and the parameters of their formulas, versioned by dates."""

    name = models.CharField(_("口径名称"), max_length=100)
    valid_from = models.DateField(_("生效日期"))
    valid_to = models.DateField(_("失效日期"), null=True, blank=True, help_text=_("不再适用的第一天；空表示长期有效"))
    satisfied_min_level = models.PositiveSmallIntegerField(
        _("计为满意的最低等级"),
        choices=[(5, _("非常满意")), (4, _("满意")), (3, _("基本满意"))],
        default=3,
        help_text=_("回访满意度不低于此等级的计入满意率分子"),
    )
    partly_solved_weight = models.DecimalField(
        _("部分解决折算系数"),
        max_digits=3,
        decimal_places=2,
        default=0.5,
        help_text=_("部分解决按此比例计入解决率分子"),
    )
    note = models.TextField(_("口径说明"), blank=True)

    objects = SchemeQuerySet.as_manager()

    class Meta:
        verbose_name = _("考核口径")
        verbose_name_plural = _("考核口径")
        ordering = ["-valid_from"]
        permissions = [("manage_statistics", _("管理诉求考核口径与月度快照"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(partly_solved_weight__gte=0, partly_solved_weight__lte=1), name="appeals_scheme_partly"
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gt=models.F("valid_from")),
                name="appeals_scheme_dates",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class KpiWeight(models.Model):
    """One indicator's weight in a scheme; an indicator without a row (or with weight 0) is shown, not scored."""

    scheme = models.ForeignKey(KpiScheme, verbose_name=_("考核口径"), on_delete=models.CASCADE, related_name="weights")
    indicator = models.CharField(_("指标"), max_length=30, choices=Indicator.choices)
    weight = models.DecimalField(_("权重"), max_digits=5, decimal_places=2)

    class Meta:
        verbose_name = _("指标权重")
        verbose_name_plural = _("指标权重")
        ordering = ["scheme", "indicator"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "indicator"], name="appeals_one_weight_per_indicator"),
            models.CheckConstraint(condition=Q(weight__gte=0), name="appeals_weight_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.get_indicator_display()} {self.weight}"


class MonthlySnapshot(models.Model):
    """月度统计快照: one month's figures computed with one scheme, kept as they were computed."""

    month = models.DateField(_("月份"), help_text=_("当月第一天"))
    scheme = models.ForeignKey(KpiScheme, verbose_name=_("考核口径"), on_delete=models.PROTECT, related_name="+")
    computed_at = models.DateTimeField(_("生成时间"))
    computed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("生成人"), on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("月度统计快照")
        verbose_name_plural = _("月度统计快照")
        ordering = ["-month"]
        constraints = [models.UniqueConstraint(fields=["month"], name="appeals_one_snapshot_per_month")]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.scheme}"


class MonthlyFigure(models.Model):
    """One unit's numerator and denominator of one indicator in a snapshot."""

    snapshot = models.ForeignKey(
        MonthlySnapshot, verbose_name=_("快照"), on_delete=models.CASCADE, related_name="figures"
    )
    unit = models.ForeignKey("org.Unit", verbose_name=_("承办单位"), on_delete=models.PROTECT, related_name="+")
    indicator = models.CharField(_("指标"), max_length=30, choices=Indicator.choices)
    numerator = models.DecimalField(_("分子"), max_digits=12, decimal_places=2)
    denominator = models.PositiveIntegerField(_("分母"))

    class Meta:
        verbose_name = _("月度统计数")
        verbose_name_plural = _("月度统计数")
        ordering = ["snapshot", "unit", "indicator"]
        constraints = [
            models.UniqueConstraint(fields=["snapshot", "unit", "indicator"], name="appeals_one_figure"),
            models.CheckConstraint(condition=Q(numerator__gte=0), name="appeals_figure_numerator"),
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.get_indicator_display()} {self.numerator}/{self.denominator}"
