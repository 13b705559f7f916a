"""The commitments to investors ledger (政府承诺兑现台账): what a unit promised an investor in a contract or a
negotiation, by when, and whether it was honoured.

A commitment belongs to its committing unit (the scope owner) and survives changes of officials: it is tied to
the unit, the project and the enterprise, not to the person who made it. The supervising office that registered
it takes part in it. One past due and not fulfilled is marked 逾期未兑现 by the daily scan, which raises one
rectification problem for it (``raised_problem``). Moves are in services/commitments.py; every move is a
CommitmentEvent, which nothing edits.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.scope import ScopedQuerySet


class CommitmentQuerySet(ScopedQuerySet):
    scope_owner = "unit"
    scope_participants = ("supervising_unit",)

    def unfulfilled(self) -> "CommitmentQuerySet":
        """Commitments still to be honoured (待兑现, 逾期未兑现)."""
        return self.filter(status__in=InvestorCommitment.OPEN_STATUSES)

    def search(self, text: str) -> "CommitmentQuerySet":
        """Commitments whose content, legal basis, project or enterprise name contain the text."""
        if not text:
            return self
        return self.filter(
            Q(content__icontains=text)
            | Q(legal_basis__icontains=text)
            | Q(project__name__icontains=text)
            | Q(enterprise__name__icontains=text)
        )


class InvestorCommitment(models.Model):
    """承诺事项: one commitment made to an investor."""

    class Kind(models.TextChoices):
        LAND_PRICE = "land_price", _("土地价格")
        SUBSIDY = "subsidy", _("财政补贴")
        INFRASTRUCTURE = "infrastructure", _("基础设施配套")
        APPROVAL = "approval", _("审批时限")
        TAX = "tax", _("税收优惠")
        OTHER = "other", _("其他")

    class Status(models.TextChoices):
        PENDING = "pending", _("待兑现")
        FULFILLED = "fulfilled", _("已兑现")
        OVERDUE = "overdue", _("逾期未兑现")
        CANCELLED = "cancelled", _("已取消")

    OPEN_STATUSES = (Status.PENDING, Status.OVERDUE)

    project = models.ForeignKey(
        "investment.Project", verbose_name=_("招商项目"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="commitments",
    )  # fmt: skip
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", verbose_name=_("投资企业"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="commitments",
    )  # fmt: skip
    kind = models.CharField(_("承诺类别"), max_length=16, choices=Kind.choices)
    content = models.TextField(_("承诺内容"))
    unit = models.ForeignKey("org.Unit", verbose_name=_("承诺单位"), on_delete=models.PROTECT, related_name="+")
    supervising_unit = models.ForeignKey(
        "org.Unit", verbose_name=_("督办单位"), on_delete=models.PROTECT, related_name="+"
    )
    legal_basis = models.CharField(
        _("承诺依据"), max_length=200, help_text=_("如：投资合同第八条第二款、2026年3月洽谈会议纪要")
    )
    committed_on = models.DateField(_("承诺日期"))
    due_on = models.DateField(_("兑现时限"))
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.PENDING)
    fulfilled_on = models.DateField(_("兑现日期"), null=True, blank=True)
    fulfilment_note = models.TextField(_("兑现情况"), blank=True)
    evidence = models.FileField(_("兑现佐证材料"), upload_to="supervision/commitments/%Y/%m/", blank=True)
    cancel_reason = models.TextField(_("取消原因"), blank=True)
    raised_problem = models.ForeignKey(
        "supervision.Problem", verbose_name=_("转整改问题"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("登记人"), on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("登记时间"), default=timezone.now)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = CommitmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("政府承诺事项")
        verbose_name_plural = _("政府承诺事项")
        ordering = ["due_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(project__isnull=False) | Q(enterprise__isnull=False), name="supervision_commitment_to_whom"
            ),
            models.CheckConstraint(
                condition=~Q(status="fulfilled") | Q(fulfilled_on__isnull=False),
                name="supervision_commitment_fulfilled_dated",
            ),
            models.CheckConstraint(
                condition=~Q(status="cancelled") | ~Q(cancel_reason=""), name="supervision_commitment_cancel_reason"
            ),
            models.UniqueConstraint(
                fields=["raised_problem"],
                condition=Q(raised_problem__isnull=False),
                name="supervision_one_commitment_per_problem",
            ),  # fmt: skip
        ]
        indexes = [
            models.Index(fields=["status", "due_on"], name="supervision_commit_status_due"),  # the daily scan
            models.Index(fields=["unit", "status"], name="supervision_commit_unit"),  # a unit's own ledger
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.content[:30]}"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    @property
    def evidence_filename(self) -> str:
        return self.evidence.name.rsplit("/", 1)[-1] if self.evidence else ""


class CommitmentEvent(models.Model):
    """One line of a commitment's history (append-only)."""

    class Action(models.TextChoices):
        CREATE = "create", _("登记")
        UPDATE = "update", _("修改")
        FULFIL = "fulfil", _("兑现")
        OVERDUE = "overdue", _("逾期未兑现")
        CANCEL = "cancel", _("取消")

    commitment = models.ForeignKey(InvestorCommitment, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("动作"), max_length=10, choices=Action.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("操作人"), on_delete=models.PROTECT, null=True, related_name="+"
    )
    note = models.TextField(_("说明"), blank=True)
    at = models.DateTimeField(_("时间"), default=timezone.now)

    class Meta:
        verbose_name = _("承诺兑现记录")
        verbose_name_plural = _("承诺兑现记录")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.commitment_id}: {self.action}"
