"""Snapshots (考核快照): at the end of each period the figures are frozen with the inputs they came from.

A snapshot never changes. Its rows can be computed again from its stored inputs with the scoring version
it records; a later correction of the source data shows in the next snapshot as a Correction with its
reason, never by rewriting a published ranking.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.scope import ScopedQuerySet


class PeriodKind(models.TextChoices):
    DEKAD = "dekad", _("旬")
    MONTH = "month", _("月")
    QUARTER = "quarter", _("季")
    HALF = "half", _("半年")
    YEAR = "year", _("年")


class SnapshotQuerySet(ScopedQuerySet):
    """Every assessed unit reads its scheme's published rankings; the issuing unit sees them all."""

    scope_owner = "scheme__unit"
    scope_participants = ("rows__unit",)


class Snapshot(models.Model):
    scheme = models.ForeignKey("assessment.Scheme", on_delete=models.PROTECT, related_name="snapshots")
    kind = models.CharField(_("周期"), max_length=10, choices=PeriodKind.choices)
    #: the period itself (e.g. 1–31 October); the figures are cumulative from the year's start to ``ends_on``
    starts_on = models.DateField(_("周期起"))
    ends_on = models.DateField(_("周期止"))
    label = models.CharField(_("周期名称"), max_length=40)
    scoring_version = models.PositiveSmallIntegerField(_("计分版本"))
    #: everything the rows were computed from: units, items, targets, values, time-progress, deductions
    inputs = models.JSONField(_("计分依据"))
    taken_at = models.DateTimeField(_("生成时间"), auto_now_add=True)
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = SnapshotQuerySet.as_manager()

    class Meta:
        verbose_name = _("考核快照")
        verbose_name_plural = _("考核快照")
        ordering = ["scheme", "-ends_on", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "kind", "ends_on"], name="one_snapshot_per_period"),
        ]

    def __str__(self) -> str:
        return f"{self.scheme.name} · {self.label}"


class SnapshotRow(models.Model):
    """One unit's score and place in a snapshot, with its flags."""

    class Change(models.TextChoices):
        UP = "up", "↑"
        SAME = "same", "→"
        DOWN = "down", "↓"
        NEW = "new", _("新")

    snapshot = models.ForeignKey(Snapshot, on_delete=models.CASCADE, related_name="rows")
    unit = models.ForeignKey("org.Unit", verbose_name=_("单位"), on_delete=models.PROTECT, related_name="+")
    score = models.DecimalField(_("得分"), max_digits=8, decimal_places=2)
    deducted = models.DecimalField(_("扣分"), max_digits=8, decimal_places=2, default=0)
    rank = models.PositiveSmallIntegerField(_("名次"))
    previous_rank = models.PositiveSmallIntegerField(_("上期名次"), null=True, blank=True)
    change = models.CharField(_("名次变化"), max_length=4, choices=Change.choices, default=Change.NEW)
    praised = models.BooleanField(_("通报表扬"), default=False)
    admonish = models.BooleanField(_("约谈"), default=False)
    #: flagged for an admonition talk in this and the previous snapshot of the same kind: 问责 review
    accountability = models.BooleanField(_("问责审查"), default=False)
    #: per item: actual, target, expected (time-progress), completion, light, points
    items = models.JSONField(_("分项"))

    class Meta:
        verbose_name = _("考核排名")
        verbose_name_plural = _("考核排名")
        ordering = ["snapshot", "rank", "unit__path"]
        constraints = [models.UniqueConstraint(fields=["snapshot", "unit"], name="one_row_per_unit")]

    def __str__(self) -> str:
        return f"{self.snapshot} · {self.unit}"


class Correction(models.Model):
    """A figure of an earlier snapshot that the source data now give differently, shown in a later one."""

    snapshot = models.ForeignKey(Snapshot, on_delete=models.CASCADE, related_name="corrections")
    corrects = models.ForeignKey(Snapshot, on_delete=models.CASCADE, related_name="corrected_by")
    unit = models.ForeignKey("org.Unit", verbose_name=_("单位"), on_delete=models.PROTECT, related_name="+")
    metric = models.ForeignKey("assessment.Metric", verbose_name=_("指标"), on_delete=models.PROTECT, related_name="+")
    published = models.DecimalField(_("原通报数"), max_digits=16, decimal_places=2)
    corrected = models.DecimalField(_("更正数"), max_digits=16, decimal_places=2)
    reason = models.TextField(_("更正理由"), blank=True)
    explained_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    explained_at = models.DateTimeField(_("说明时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("数据更正")
        verbose_name_plural = _("数据更正")
        ordering = ["snapshot", "unit__path", "metric"]

    def __str__(self) -> str:
        return f"{self.unit} · {self.metric}"
