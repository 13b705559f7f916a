"""回访记录 beyond the closing follow-up: the call when a limit expired without a reply (超期回访) and the later
"is it still solved?" check (复查回访). The closing follow-up itself stays on the ticket (solved, satisfaction)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.appeals.models.appeals import Satisfaction, Solved


class Callback(models.Model):
    """One call by the hotline to the appellant, with what they said."""

    class Kind(models.TextChoices):
        EXPIRY = "expiry", _("超期回访")
        RECHECK = "recheck", _("复查回访")

    appeal = models.ForeignKey(
        "appeals.Appeal", verbose_name=_("工单"), on_delete=models.CASCADE, related_name="callbacks"
    )
    kind = models.CharField(_("回访类型"), max_length=10, choices=Kind.choices)
    solved = models.CharField(_("解决情况"), max_length=10, choices=Solved.choices, blank=True)
    satisfaction = models.PositiveSmallIntegerField(_("满意度"), choices=Satisfaction.choices, null=True, blank=True)
    #: the re-check's answer: True still solved, False the problem came back
    still_solved = models.BooleanField(_("仍已解决"), null=True, blank=True)
    note = models.TextField(_("回访记录"), blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("回访人"), on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("回访时间"))

    class Meta:
        verbose_name = _("回访记录")
        verbose_name_plural = _("回访记录")
        ordering = ["appeal", "at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(satisfaction__isnull=True) | Q(satisfaction__gte=1, satisfaction__lte=5),
                name="appeals_callback_satisfaction",
            ),
            models.CheckConstraint(
                condition=~Q(kind="recheck") | Q(still_solved__isnull=False), name="appeals_callback_recheck_answer"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.appeal_id} {self.get_kind_display()}"
