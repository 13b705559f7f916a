"""Enterprises placed on links (企业图谱定位) and the leads a team opened for a link.

A placement is suggested by the placement service with its score and reasons, then confirmed or rejected by a
person; only confirmed placements of local enterprises count towards a link's strength. A chain leader (链主) is
a confirmed placement marked by a person. A LinkLead records that a target recommended for a link was turned into
a lead of the investment pipeline, so a team sees who already works the link.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Placement(models.Model):
    class Status(models.TextChoices):
        SUGGESTED = "suggested", _("待确认")
        CONFIRMED = "confirmed", _("已确认")
        REJECTED = "rejected", _("已否定")

    link = models.ForeignKey(
        "chains.Link", verbose_name=pgettext_lazy("chain", "环节"), on_delete=models.CASCADE, related_name="placements"
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", verbose_name=_("企业"), on_delete=models.CASCADE, related_name="chain_placements"
    )
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.SUGGESTED)
    is_chain_leader = models.BooleanField(_("链主企业"), default=False)
    score = models.FloatField(_("匹配得分"), default=0)
    reasons = models.JSONField(_("匹配理由"), default=list, blank=True)
    suggested_at = models.DateTimeField(_("建议时间"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("确认人"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("确认时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("企业环节定位")
        verbose_name_plural = _("企业环节定位")
        ordering = ["link", "-score", "id"]
        constraints = [models.UniqueConstraint(fields=["link", "enterprise"], name="unique_placement")]
        indexes = [models.Index(fields=["link", "status"], name="placement_link_status")]

    def __str__(self) -> str:
        return f"{self.link_id} ~ {self.enterprise_id}"


class LinkLead(models.Model):
    link = models.ForeignKey(
        "chains.Link", verbose_name=pgettext_lazy("chain", "环节"), on_delete=models.CASCADE, related_name="leads"
    )
    project = models.ForeignKey(
        "investment.Project", verbose_name=_("招商线索"), on_delete=models.CASCADE, related_name="chain_links"
    )
    score = models.FloatField(_("推荐得分"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("转线索人"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("转线索时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("环节招商线索")
        verbose_name_plural = _("环节招商线索")
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["link", "project"], name="unique_link_lead")]

    def __str__(self) -> str:
        return f"{self.link_id} → {self.project_id}"
