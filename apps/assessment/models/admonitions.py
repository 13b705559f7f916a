"""Admonition talks (约谈): "排名靠后的三位…约谈", "通报必约谈、约谈必问责"."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.scope import ScopedQuerySet


class AdmonitionQuerySet(ScopedQuerySet):
    scope_participants = ("snapshot__scheme__unit",)


class Admonition(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", _("待约谈")
        RECTIFYING = "rectifying", _("整改中")
        DONE = "done", _("已整改")

    snapshot = models.ForeignKey(
        "assessment.Snapshot", verbose_name=_("依据排名"), on_delete=models.PROTECT, related_name="admonitions"
    )
    unit = models.ForeignKey("org.Unit", verbose_name=_("被约谈单位"), on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices, default=Status.PLANNED)
    held_on = models.DateField(_("约谈日期"), null=True, blank=True)
    leader = models.CharField(_("约谈领导"), max_length=50, blank=True)
    attendees = models.CharField(_("被约谈人"), max_length=100, blank=True)
    issues = models.TextField(_("指出问题"), blank=True)
    commitments = models.TextField(_("整改承诺"), blank=True)
    follow_up = models.TextField(_("整改情况"), blank=True)
    followed_on = models.DateField(_("整改完成日期"), null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = AdmonitionQuerySet.as_manager()

    class Meta:
        verbose_name = _("约谈")
        verbose_name_plural = _("约谈")
        ordering = ["-snapshot__ends_on", "unit__path"]
        constraints = [models.UniqueConstraint(fields=["snapshot", "unit"], name="one_admonition_per_ranking")]
        permissions = [("record_admonition", _("登记约谈和整改"))]

    def __str__(self) -> str:
        return f"{self.unit} · {self.snapshot.label}"
