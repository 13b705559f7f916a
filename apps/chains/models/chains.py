"""Chain maps as data (产业链图谱): a chain's links from upstream to downstream, with sub-links.

A link (环节) is described by the national industry codes (GB/T 4754) and the keywords that find its enterprises:
an enterprise whose industry is one of the codes (or below one) or whose name or business scope holds a keyword is
suggested for the link (apps/chains/services/placement.py). Chains are city-wide reference information, kept by
the investment bureau.

A link is weak (强链) when its confirmed local enterprises are fewer than its threshold (``weak_below``, else the
chain's); a link with none is a gap (补链); a downstream link with none is a chance to extend the chain (延链).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Segment(models.TextChoices):
    UPSTREAM = "upstream", _("上游")
    MIDSTREAM = "midstream", _("中游")
    DOWNSTREAM = "downstream", _("下游")


class Chain(models.Model):
    name = models.CharField(_("产业链名称"), max_length=50, unique=True)
    description = models.TextField(_("简介"), blank=True)
    weak_below = models.PositiveSmallIntegerField(
        _("薄弱环节阈值（本地企业少于）"), default=3, help_text=_("环节的本地确认企业少于此数时视为薄弱环节。")
    )
    is_active = models.BooleanField(_("启用"), default=True)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("维护人"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("产业链")
        verbose_name_plural = _("产业链")
        ordering = ["order", "name"]
        permissions = [
            ("manage_chain", _("维护产业链图谱")),
            ("place_enterprise", _("确认企业所在环节")),
        ]

    def __str__(self) -> str:
        return self.name


class Link(models.Model):
    chain = models.ForeignKey(Chain, verbose_name=_("产业链"), on_delete=models.CASCADE, related_name="links")
    parent = models.ForeignKey(
        "self", verbose_name=_("上级环节"), on_delete=models.CASCADE, null=True, blank=True, related_name="children"
    )
    segment = models.CharField(_("所处位置"), max_length=10, choices=Segment.choices)
    name = models.CharField(_("环节名称"), max_length=50)
    description = models.CharField(_("说明"), max_length=200, blank=True)
    industry_codes = models.JSONField(_("行业代码"), default=list, blank=True)
    keywords = models.JSONField(_("关键词"), default=list, blank=True)
    weak_below = models.PositiveSmallIntegerField(
        _("薄弱阈值"), null=True, blank=True, help_text=_("留空则使用产业链的阈值。")
    )
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("产业链环节")
        verbose_name_plural = _("产业链环节")
        ordering = ["chain", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["chain", "name"], name="unique_link_name_per_chain")]

    def __str__(self) -> str:
        return f"{self.chain.name}·{self.name}"

    @property
    def threshold(self) -> int:
        return self.weak_below if self.weak_below is not None else self.chain.weak_below
