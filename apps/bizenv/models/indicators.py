"""The business-environment indicator system (营商环境评价指标体系) as versioned data.

A methodology version (评价方法版本, e.g. "2025") holds a tree of indicators: first-level indicators
(一级指标), second-level indicators (二级指标) and optional observation points (观测点). A draft
version is edited freely by the business-environment bureau; a published one is frozen, and a new
year's rules start as a copy of it. Indicators are city-wide reference data: they belong to no unit,
so they carry no data scope (the lead unit says who answers for a score, not who may read it).
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Methodology(models.Model):
    """评价方法版本: one version of the indicator tree; published = frozen."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        PUBLISHED = "published", _("已发布")

    code = models.CharField(_("版本号"), max_length=20, unique=True, help_text=_("如“2025”"))
    name = models.CharField(_("版本名称"), max_length=100)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    based_on = models.ForeignKey(
        "self", verbose_name=_("复制自"), on_delete=models.SET_NULL, null=True, blank=True, related_name="copies"
    )
    notes = models.TextField(_("说明"), blank=True)
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
        verbose_name = _("评价方法版本")
        verbose_name_plural = _("评价方法版本")
        ordering = ["-code"]
        permissions = [("manage_methodology", _("维护营商环境评价指标体系"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="draft") | Q(published_at__isnull=False), name="bizenv_published_has_date"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED


class Indicator(models.Model):
    """评价指标: one node of a version's tree (level 1, 2, or 3 = observation point)."""

    class Level(models.IntegerChoices):
        FIRST = 1, _("一级指标")
        SECOND = 2, _("二级指标")
        POINT = 3, _("观测点")

    class Direction(models.TextChoices):
        LOWER_BETTER = "lower_better", _("越低越好")
        HIGHER_BETTER = "higher_better", _("越高越好")

    class Kind(models.TextChoices):
        STEPS = "steps", _("环节")
        TIME = "time", _("时间")
        COST = "cost", _("费用")
        INDEX = "index", _("指数")
        RATE = "rate", _("比率")
        SATISFACTION = "satisfaction", _("满意度")
        YES_NO = "yes_no", _("是否")

    class Method(models.TextChoices):
        FRONTIER = "frontier", _("前沿距离法")
        EFFICACY = "efficacy", _("功效系数法")
        STANDARD = "standard", _("标准值扣分法")
        YES_NO = "yes_no", _("是否")

    class Source(models.TextChoices):
        MANUAL = "manual", _("填报")
        PLATFORM = "platform", _("本平台计算")
        SURVEY = "survey", _("问卷调查")
        THIRD_PARTY = "third_party", _("第三方")

    class Pillar(models.TextChoices):
        """B-READY's three pillars: rules on paper, services that support them, how the two work in practice."""

        REGULATORY = "regulatory", _("监管框架")
        PUBLIC_SERVICES = "public_services", _("公共服务")
        EFFICIENCY = "efficiency", _("运行效率")

    MAX_LEVEL = 3

    methodology = models.ForeignKey(
        Methodology, verbose_name=_("评价方法版本"), on_delete=models.CASCADE, related_name="indicators"
    )
    parent = models.ForeignKey(
        "self", verbose_name=_("上级指标"), on_delete=models.CASCADE, null=True, blank=True, related_name="children"
    )
    level = models.PositiveSmallIntegerField(_("层级"), choices=Level.choices)
    code = models.CharField(_("指标代码"), max_length=30, help_text=_("如“01”“01.02”，下级代码以上级代码开头"))
    name = models.CharField(_("指标名称"), max_length=100)
    description = models.TextField(_("指标说明"), blank=True)
    unit_of_measure = models.CharField(_("计量单位"), max_length=30, blank=True)
    direction = models.CharField(
        _("指标方向"), max_length=14, choices=Direction.choices, default=Direction.HIGHER_BETTER
    )
    kind = models.CharField(_("指标类型"), max_length=12, choices=Kind.choices, default=Kind.INDEX)
    method = models.CharField(_("计分方法"), max_length=10, choices=Method.choices, default=Method.FRONTIER)
    #: the method's parameters, e.g. {"best": 0.5, "worst": 100}; apps/bizenv/methods.py names them
    parameters = models.JSONField(_("计分参数"), default=dict, blank=True)
    weight = models.DecimalField(_("权重"), max_digits=7, decimal_places=3, default=Decimal(1))
    lead_unit = models.ForeignKey(
        "org.Unit", verbose_name=_("牵头单位"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    co_units = models.ManyToManyField("org.Unit", verbose_name=_("配合单位"), blank=True, related_name="+")
    data_source = models.CharField(_("数据来源"), max_length=12, choices=Source.choices, default=Source.MANUAL)
    alert_threshold = models.DecimalField(
        _("预警阈值"), max_digits=5, decimal_places=2, default=Decimal(70), help_text=_("得分低于此值时提示牵头单位")
    )
    excellence_threshold = models.DecimalField(_("优秀阈值"), max_digits=5, decimal_places=2, null=True, blank=True)
    pillar = models.CharField(_("B-READY支柱"), max_length=16, choices=Pillar.choices, blank=True)
    #: False for a local addition (省市自设指标) next to the national system
    is_national = models.BooleanField(_("国家指标"), default=True)
    is_draft = models.BooleanField(_("草案，待管理员核对"), default=False)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("评价指标")
        verbose_name_plural = _("评价指标")
        ordering = ["methodology", "code"]
        constraints = [
            models.UniqueConstraint(fields=["methodology", "code"], name="bizenv_indicator_code_unique"),
            models.CheckConstraint(condition=Q(level__gte=1, level__lte=3), name="bizenv_indicator_level_1_to_3"),
            models.CheckConstraint(condition=Q(weight__gte=0), name="bizenv_indicator_weight_not_negative"),
            models.CheckConstraint(
                condition=Q(level=1, parent__isnull=True) | Q(level__gt=1, parent__isnull=False),
                name="bizenv_indicator_parent_matches_level",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"
