"""A background run of placement suggestions for one chain (apps/chains/services/placement.py), with its progress
for the page: queued by a keeper, run by the task worker, one run per chain at a time."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class PlacementRun(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("排队中")
        RUNNING = "running", _("定位中")
        FINISHED = "finished", _("已完成")
        FAILED = "failed", _("失败")

    chain = models.ForeignKey("chains.Chain", verbose_name=_("产业链"), on_delete=models.CASCADE, related_name="runs")
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    stage = models.CharField(_("阶段"), max_length=50, blank=True)
    total = models.PositiveIntegerField(_("环节数"), default=0)
    processed = models.PositiveIntegerField(_("已处理环节数"), default=0)
    created = models.PositiveIntegerField(_("新增建议"), default=0)
    error = models.TextField(_("错误"), blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("发起人"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("发起时间"), auto_now_add=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("企业定位批次")
        verbose_name_plural = _("企业定位批次")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.chain_id} {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def progress_percent(self) -> int:
        return round(100 * self.processed / self.total) if self.total else 0

    @property
    def is_running(self) -> bool:
        return self.status in {self.Status.QUEUED, self.Status.RUNNING}
