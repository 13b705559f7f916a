"""The outbox of pushes to the provincial 好差评 system: one row per (rating, state it reached).

A row is written in the same transaction as the rating's change (services/rating_push.queue_push) and
sent later by the scan ``appeals_rating_push``; a row once 已推送 is never sent again.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.core.scope import ScopedQuerySet


class PushState(models.TextChoices):
    PENDING = "pending", _("待推送")
    PUSHED = "pushed", _("已推送")
    FAILED = "failed", _("失败")


class RatingPushQuerySet(ScopedQuerySet):
    scope_owner = "rating__office"

    def due(self, now) -> "RatingPushQuerySet":
        """Rows the sender should try now: not pushed, and their next try has come."""
        return self.exclude(state=PushState.PUSHED).filter(next_try_at__lte=now)


class RatingPush(models.Model):
    """One message to the provincial 好差评 system about a rating (created, or moved in its rectification)."""

    rating = models.ForeignKey(
        "appeals.ServiceRating", verbose_name=_("评价"), on_delete=models.CASCADE, related_name="pushes"
    )
    rectification_state = models.CharField(_("整改状态"), max_length=25)
    payload = models.JSONField(_("推送内容"))
    state = models.CharField(_("推送状态"), max_length=10, choices=PushState.choices, default=PushState.PENDING)
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    last_error = models.TextField(_("最近错误"), blank=True)
    created_at = models.DateTimeField(_("生成时间"))
    next_try_at = models.DateTimeField(_("下次尝试时间"), null=True, blank=True)
    pushed_at = models.DateTimeField(_("推送时间"), null=True, blank=True)

    objects = RatingPushQuerySet.as_manager()

    class Meta:
        verbose_name = _("好差评推送")
        verbose_name_plural = _("好差评推送")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["state", "next_try_at"], name="appeals_rating_push_due"),  # the sender's pick
        ]
        constraints = [
            # idempotent: one push per state a rating reaches
            models.UniqueConstraint(fields=["rating", "rectification_state"], name="appeals_one_push_per_change"),
            models.CheckConstraint(
                condition=Q(state="pushed", pushed_at__isnull=False) | ~Q(state="pushed"),
                name="appeals_rating_push_pushed_at",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.rating_id} {self.rectification_state} {self.get_state_display()}"
