"""Typical cases (典型案例): good and bad examples the supervising office writes up and publishes internally
("对好的要进行宣传，对差的要坚决进行曝光"), each linked to the records it comes from.

A case is written by an office (``author_unit``, the scope owner while it is a draft or withdrawn); once
published every reader of the supervision ledgers sees it. Its sources are rectification problems,
commitments to investors, appeal tickets or projects — one CaseSource row each, with exactly one of four
nullable foreign keys, so the database keeps them whole and the page checks each against the viewer's scope.
Moves are in services/cases.py; every move is a CaseEvent.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.scope import ScopedQuerySet


class CaseQuerySet(ScopedQuerySet):
    scope_owner = "author_unit"

    def published(self) -> "CaseQuerySet":
        """Cases published internally."""
        return self.filter(status=TypicalCase.Status.PUBLISHED)

    def search(self, text: str) -> "CaseQuerySet":
        """Cases whose title, summary or body contain the text."""
        if not text:
            return self
        return self.filter(Q(title__icontains=text) | Q(summary__icontains=text) | Q(body__icontains=text))


class TypicalCase(models.Model):
    """典型案例."""

    class Kind(models.TextChoices):
        POSITIVE = "positive", _("正面典型")
        NEGATIVE = "negative", _("反面典型")

    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        PUBLISHED = "published", _("已发布")
        WITHDRAWN = "withdrawn", _("已撤回")

    title = models.CharField(_("标题"), max_length=200)
    kind = models.CharField(_("案例类型"), max_length=10, choices=Kind.choices)
    summary = models.TextField(_("摘要"))
    body = models.TextField(_("正文"))
    unit = models.ForeignKey("org.Unit", verbose_name=_("涉及单位"), on_delete=models.PROTECT, related_name="+")
    author_unit = models.ForeignKey("org.Unit", verbose_name=_("编写单位"), on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("审核发布人"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("编写人"), on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("编写时间"), default=timezone.now)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = CaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("典型案例")
        verbose_name_plural = _("典型案例")
        ordering = ["-published_at", "-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False),
                name="supervision_case_published_dated",
            ),
        ]
        indexes = [models.Index(fields=["status", "-published_at"], name="supervision_case_status")]  # the list

    def __str__(self) -> str:
        return self.title


class CaseSource(models.Model):
    """A record the case comes from: exactly one of problem, commitment, appeal ticket or project."""

    case = models.ForeignKey(TypicalCase, on_delete=models.CASCADE, related_name="sources")
    problem = models.ForeignKey(
        "supervision.Problem", verbose_name=_("整改问题"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    commitment = models.ForeignKey(
        "supervision.InvestorCommitment", verbose_name=_("政府承诺"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    appeal = models.ForeignKey(
        "appeals.Appeal", verbose_name=_("诉求工单"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    project = models.ForeignKey(
        "investment.Project", verbose_name=_("招商项目"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )  # fmt: skip

    KINDS = ("problem", "commitment", "appeal", "project")

    class Meta:
        verbose_name = _("案例来源")
        verbose_name_plural = _("案例来源")
        ordering = ["case", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(problem__isnull=False, commitment=None, appeal=None, project=None)
                    | Q(problem=None, commitment__isnull=False, appeal=None, project=None)
                    | Q(problem=None, commitment=None, appeal__isnull=False, project=None)
                    | Q(problem=None, commitment=None, appeal=None, project__isnull=False)
                ),
                name="supervision_case_source_one",
            ),
            *(
                models.UniqueConstraint(
                    fields=["case", kind], condition=Q(**{f"{kind}__isnull": False}), name=f"supervision_case_{kind}"
                )
                for kind in ("problem", "commitment", "appeal", "project")
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.kind}"

    @property
    def kind(self) -> str:
        return next(kind for kind in self.KINDS if getattr(self, f"{kind}_id") is not None)

    @property
    def target(self) -> models.Model:
        return getattr(self, self.kind)


class CaseEvent(models.Model):
    """One line of a case's history (append-only)."""

    class Action(models.TextChoices):
        CREATE = "create", _("编写")
        UPDATE = "update", _("修改")
        ADD_SOURCE = "add_source", _("关联来源")
        REMOVE_SOURCE = "remove_source", _("移除来源")
        PUBLISH = "publish", _("审核发布")
        WITHDRAW = "withdraw", _("撤回")
        REDRAFT = "redraft", _("重新编辑")

    case = models.ForeignKey(TypicalCase, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("动作"), max_length=16, choices=Action.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("操作人"), on_delete=models.PROTECT, null=True, related_name="+"
    )
    note = models.TextField(_("说明"), blank=True)
    at = models.DateTimeField(_("时间"), default=timezone.now)

    class Meta:
        verbose_name = _("典型案例记录")
        verbose_name_plural = _("典型案例记录")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.action}"
