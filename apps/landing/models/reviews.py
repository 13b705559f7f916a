"""Joint review before signing (联评联审): departments give their opinions in parallel by a deadline.

A review belongs to the project's unit; every department asked takes part in it and sees it. Once a
department has agreed, turning to an objection needs a recorded reason (OpinionChange): the promise
made to the investor is not withdrawn silently.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.scope import ScopedQuerySet


class Verdict(models.TextChoices):
    PENDING = "pending", _("待反馈")
    AGREE = "agree", _("同意")
    CONDITIONAL = "conditional", _("有条件同意")
    DISAGREE = "disagree", _("不同意")


class JointReviewQuerySet(ScopedQuerySet):
    scope_owner = "project__unit"
    scope_participants = ("opinions__department",)

    def open(self) -> "JointReviewQuerySet":
        return self.filter(status=JointReview.Status.OPEN)


class JointReview(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("审查中")
        CLOSED = "closed", _("已结束")

    class CloseReason(models.TextChoices):
        ANSWERED = "answered", _("各部门均已反馈")
        DEADLINE = "deadline", _("审查期限届满")

    project = models.ForeignKey("investment.Project", on_delete=models.CASCADE, related_name="reviews")
    subject = models.CharField(_("审查事项"), max_length=200)
    note = models.TextField(_("送审说明"), blank=True)
    opened_on = models.DateField(_("发起日期"))
    time_limit_days = models.PositiveSmallIntegerField(_("审查期限（工作日）"))
    due_on = models.DateField(_("反馈截止日期"))
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.OPEN)
    close_reason = models.CharField(_("结束原因"), max_length=10, choices=CloseReason.choices, blank=True)
    closed_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    #: the overall outcome at closing, the strictest opinion given (a department that did not answer counts as 待反馈)
    conclusion = models.CharField(_("综合意见"), max_length=12, choices=Verdict.choices, blank=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("发起人"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    objects = JointReviewQuerySet.as_manager()

    class Meta:
        verbose_name = _("联评联审")
        verbose_name_plural = _("联评联审")
        ordering = ["-opened_on", "-id"]
        permissions = [("give_opinion", _("反馈联审意见"))]
        constraints = [
            models.UniqueConstraint(fields=["project"], condition=models.Q(status="open"), name="one_open_review")
        ]
        indexes = [models.Index(fields=["status", "due_on"], name="review_open_due")]  # the deadline scan

    def __str__(self) -> str:
        return self.subject


class ReviewOpinionQuerySet(ScopedQuerySet):
    scope_owner = "review__project__unit"
    scope_participants = ("department",)


class ReviewOpinion(models.Model):
    """One department's opinion in a review."""

    review = models.ForeignKey(JointReview, on_delete=models.CASCADE, related_name="opinions")
    department = models.ForeignKey(
        "org.Unit", verbose_name=_("审查部门"), on_delete=models.PROTECT, related_name="review_opinions"
    )
    verdict = models.CharField(_("审查意见"), max_length=12, choices=Verdict.choices, default=Verdict.PENDING)
    conditions = models.TextField(_("同意的条件"), blank=True)
    reason = models.TextField(_("不同意的理由"), blank=True)
    legal_basis = models.TextField(_("法律政策依据"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("反馈人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    answered_at = models.DateTimeField(_("反馈时间"), null=True, blank=True)
    #: answered after the deadline, or not at all by the time the review closed
    late = models.BooleanField(_("逾期"), default=False)

    objects = ReviewOpinionQuerySet.as_manager()

    class Meta:
        verbose_name = _("部门审查意见")
        verbose_name_plural = _("部门审查意见")
        ordering = ["review", "department__path"]
        constraints = [models.UniqueConstraint(fields=["review", "department"], name="one_opinion_per_department")]

    def __str__(self) -> str:
        return f"{self.review_id} · {self.department_id}: {self.verdict}"


class OpinionChange(models.Model):
    """A department changing an opinion it had given; from 同意 to an objection the reason is required."""

    opinion = models.ForeignKey(ReviewOpinion, on_delete=models.CASCADE, related_name="changes")
    from_verdict = models.CharField(_("原意见"), max_length=12, choices=Verdict.choices)
    to_verdict = models.CharField(_("新意见"), max_length=12, choices=Verdict.choices)
    reason = models.TextField(_("变更理由"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("变更人"), on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("变更时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("审查意见变更")
        verbose_name_plural = _("审查意见变更")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.opinion_id}: {self.from_verdict} → {self.to_verdict}"
