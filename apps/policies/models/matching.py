"""Matches between enterprises and policy items, kept by the batch matcher (apps/policies/services/matching.py).

A PolicyMatch says an enterprise met an item's rule at the last run (``current``), when it first did and when
``current`` last changed (``changed_at``: first seen, lapsed, or holding again); a run touches only the rows whose
state changes, so a run over a registry whose matches stay put writes almost nothing. A match first seen by a run
is new, and its enterprise's portal accounts and service officers get a notice once.
A MatchRun is one batch over the whole registry, run by the task worker, with its progress for the page.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class PolicyMatch(models.Model):
    item = models.ForeignKey("policies.PolicyItem", on_delete=models.CASCADE, related_name="matches")
    enterprise = models.ForeignKey("enterprises.Enterprise", on_delete=models.CASCADE, related_name="policy_matches")
    current = models.BooleanField(_("当前符合"), default=True)
    first_matched_at = models.DateTimeField(_("首次匹配时间"))
    changed_at = models.DateTimeField(_("状态变化时间"))

    class Meta:
        verbose_name = _("政策匹配结果")
        verbose_name_plural = _("政策匹配结果")
        ordering = ["item", "enterprise"]
        constraints = [models.UniqueConstraint(fields=["item", "enterprise"], name="unique_policy_match")]
        indexes = [models.Index(fields=["enterprise", "current"], name="policy_match_enterprise")]

    def __str__(self) -> str:
        return f"{self.item_id} ~ {self.enterprise_id}"


class MatchRun(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("排队中")
        RUNNING = "running", _("匹配中")
        FINISHED = "finished", _("已完成")
        FAILED = "failed", _("失败")

    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    stage = models.CharField(_("阶段"), max_length=50, blank=True)
    enterprises = models.PositiveIntegerField(_("企业数"), default=0)
    items = models.PositiveIntegerField(_("条款数"), default=0)
    processed = models.PositiveIntegerField(_("已匹配条款数"), default=0)
    matches = models.PositiveIntegerField(_("符合条件的企业条款对"), default=0)
    new_matches = models.PositiveIntegerField(_("新增匹配"), default=0)
    auto_cases = models.PositiveIntegerField(_("生成免申即享兑现件"), default=0)
    notices = models.PositiveIntegerField(_("发出通知"), default=0)
    seconds = models.FloatField(_("用时（秒）"), null=True, blank=True)
    error = models.TextField(_("错误"), blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("发起人"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("发起时间"), auto_now_add=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("政策匹配批次")
        verbose_name_plural = _("政策匹配批次")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M}"

    @property
    def progress_percent(self) -> int:
        return round(100 * self.processed / self.items) if self.items else 0

    @property
    def is_running(self) -> bool:
        return self.status in {self.Status.QUEUED, self.Status.RUNNING}
