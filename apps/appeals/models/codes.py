"""Code lists behind dispatch: the appeal categories (诉求分类) and the dispatch catalogue (派单目录).

The catalogue follows 国办函〔2025〕66号 (五): each category × area names a lead unit (主办) and co-units
(协办), with the source of the duty (三定方案 / 权责清单 / 履职清单). Rules are versioned by validity dates,
so a ticket is dispatched by the rule that was valid on the day it was recorded.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Category(models.Model):
    """诉求分类: a three-level code list (GB/T 39666 style codes)."""

    code = models.CharField(_("分类代码"), max_length=20, unique=True)
    name = models.CharField(_("分类名称"), max_length=100)
    parent = models.ForeignKey(
        "self", verbose_name=_("上级分类"), on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    level = models.PositiveSmallIntegerField(_("层级"), choices=[(1, _("一级")), (2, _("二级")), (3, _("三级"))])
    is_enterprise = models.BooleanField(_("涉企诉求"), default=False)
    #: excluded from satisfaction rankings (Guangdong: 不片面追求满意率)
    is_mediation_or_enforcement = models.BooleanField(_("调解或执法类"), default=False)
    #: a matter of a functional department's duty: never dispatched to a town (66号 (五))
    is_functional = models.BooleanField(_("职能部门职责事项"), default=True)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("诉求分类")
        verbose_name_plural = _("诉求分类")
        ordering = ["code"]
        constraints = [models.CheckConstraint(condition=Q(level__gte=1, level__lte=3), name="appeals_category_level")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def clean(self) -> None:
        expected = 1 if self.parent is None else self.parent.level + 1
        if self.level != expected:
            raise ValidationError({"level": _("层级应为 %(level)s。") % {"level": expected}})


class DispatchRuleQuerySet(models.QuerySet):
    def valid_on(self, day) -> "DispatchRuleQuerySet":
        """Rules in force on ``day`` (valid_to is the first day no longer valid)."""
        return self.filter(Q(valid_to__isnull=True) | Q(valid_to__gt=day), valid_from__lte=day)


class DispatchRule(models.Model):
    """派单目录 entry: category × area (null = city-wide) → lead unit and co-units."""

    category = models.ForeignKey(Category, verbose_name=_("诉求分类"), on_delete=models.PROTECT, related_name="rules")
    area = models.ForeignKey(
        "org.Unit",
        verbose_name=_("适用地区"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("区县或开发区；留空为全市通用"),
    )
    lead_unit = models.ForeignKey("org.Unit", verbose_name=_("主办单位"), on_delete=models.PROTECT, related_name="+")
    co_units = models.ManyToManyField("org.Unit", verbose_name=_("协办单位"), blank=True, related_name="+")
    legal_source = models.TextField(_("职责依据"), blank=True, help_text=_("三定方案、权责清单或履职清单的条目"))
    version = models.CharField(_("目录版本"), max_length=30)
    valid_from = models.DateField(_("生效日期"))
    valid_to = models.DateField(_("失效日期"), null=True, blank=True, help_text=_("当日起不再适用；留空为长期有效"))

    objects = DispatchRuleQuerySet.as_manager()

    class Meta:
        verbose_name = _("派单目录")
        verbose_name_plural = _("派单目录")
        ordering = ["category__code", "-valid_from"]
        indexes = [models.Index(fields=["category", "valid_from"], name="appeals_rule_category")]  # suggest_units

    def __str__(self) -> str:
        return f"{self.category} → {self.lead_unit}"

    def clean(self) -> None:
        if self.valid_to is not None and self.valid_to <= self.valid_from:
            raise ValidationError({"valid_to": _("失效日期应晚于生效日期。")})
        if self.category_id and self.category.is_functional and self.lead_unit_id and self.lead_unit.kind == "town":
            raise ValidationError({"lead_unit": _("职能部门职责事项不得指定乡镇街道主办。")})
