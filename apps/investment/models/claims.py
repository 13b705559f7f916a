"""Claims against 多头招商: the unit that first registers an enterprise holds it for a while (首报首谈).

At most one active claim per enterprise is a database constraint, so two units registering the
same enterprise at the same moment cannot both win; the loser's lead waits in a conflict that the
coordinating bureau decides (keep, transfer, or joint with shares of credit). A claim lapses after
the protection period (PipelineSettings.claim_days), renewed each time its project moves on.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.scope import ScopedQuerySet


class ClaimQuerySet(ScopedQuerySet):
    scope_owner = "unit"

    def holding(self) -> "ClaimQuerySet":
        """Claims that hold their enterprise now (alone or jointly)."""
        return self.filter(status__in=[Claim.Status.ACTIVE, Claim.Status.JOINT])


class Claim(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", _("有效")
        JOINT = "joint", _("联合招商")
        WAITING = "waiting", _("待协调")
        RELEASED = "released", _("已放弃")
        TRANSFERRED = "transferred", _("已移交")
        EXPIRED = "expired", _("已过期")
        REFUSED = "refused", _("协调未获准")

    enterprise = models.ForeignKey(
        "enterprises.Enterprise", verbose_name=_("企业"), on_delete=models.PROTECT, related_name="claims"
    )
    unit = models.ForeignKey("org.Unit", verbose_name=_("招商单位"), on_delete=models.PROTECT, related_name="+")
    #: the project whose registration made the claim; the unit's later projects on the enterprise share it
    project = models.ForeignKey(
        "investment.Project", verbose_name=_("首报项目"), on_delete=models.CASCADE, related_name="claims"
    )
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices)
    #: credit share in a joint claim, in per cent
    share = models.PositiveSmallIntegerField(_("分成比例（%）"), default=100)
    starts_on = models.DateField(_("首报日期"))
    expires_on = models.DateField(_("保护期至"))
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ClaimQuerySet.as_manager()

    class Meta:
        verbose_name = _("首报首谈")
        verbose_name_plural = _("首报首谈")
        ordering = ["-created_at", "-id"]
        permissions = [("decide_claim", _("协调多头招商"))]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise"], condition=models.Q(status="active"), name="one_active_claim_per_enterprise"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise_id} · {self.unit_id} ({self.status})"


class ClaimConflict(models.Model):
    """Another unit registered an enterprise someone holds: the coordinating bureau decides."""

    class Status(models.TextChoices):
        OPEN = "open", _("待协调")
        DECIDED = "decided", _("已协调")

    class Decision(models.TextChoices):
        KEEP = "keep", _("维持原首报单位")
        TRANSFER = "transfer", _("移交新登记单位")
        JOINT = "joint", _("联合招商，按比例计绩")

    enterprise = models.ForeignKey("enterprises.Enterprise", on_delete=models.PROTECT, related_name="+")
    holder = models.ForeignKey(Claim, verbose_name=_("首报"), on_delete=models.PROTECT, related_name="+")
    challenger = models.ForeignKey(Claim, verbose_name=_("后报"), on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.OPEN)
    decision = models.CharField(_("协调结果"), max_length=10, choices=Decision.choices, blank=True)
    holder_share = models.PositiveSmallIntegerField(_("首报单位分成（%）"), null=True, blank=True)
    note = models.TextField(_("协调意见"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("多头招商协调")
        verbose_name_plural = _("多头招商协调")
        ordering = ["status", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["challenger"], condition=models.Q(status="open"), name="one_open_conflict_per_claim"
            )
        ]

    def __str__(self) -> str:
        return f"{self.enterprise_id}: {self.holder_id} / {self.challenger_id}"
