"""知识库 (the 12345 hotline's knowledge base, GB/T 44191; 国办发〔2020〕53号): articles that answer a
consultation directly, each kept by the department answering for its content, reviewed by a date, published by
the hotline office, versioned (a published text is never overwritten: the old version stays readable), and
counted per department when an agent uses one to answer a ticket."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.scope import ScopedQuerySet

#: days before the review date when an article turns amber
REVIEW_WARNING_DAYS = 30


class ArticleState(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PUBLISHED = "published", _("已发布")
    WITHDRAWN = "withdrawn", _("已下架")


class ArticleAction(models.TextChoices):
    CREATE = "create", _("新建")
    REVISE = "revise", _("修订")
    PUBLISH = "publish", _("发布")
    WITHDRAW = "withdraw", _("下架")
    REDRAFT = "redraft", _("退回草稿")


class ArticleQuerySet(ScopedQuerySet):
    scope_owner = "owner"

    def published(self) -> "ArticleQuerySet":
        """Articles agents may answer from."""
        return self.filter(state=ArticleState.PUBLISHED)

    def review_overdue(self, day=None) -> "ArticleQuerySet":
        """Published articles whose review date has passed."""
        return self.published().filter(review_on__lt=day or timezone.localdate())


class Article(models.Model):
    """知识条目: one question (with its variants) and the answer agents read out or send."""

    title = models.CharField(_("标题"), max_length=200)
    questions = models.TextField(_("问题"), help_text=_("一行一个常见问法"))
    answer = models.TextField(_("答复口径"))
    legal_basis = models.TextField(_("政策依据"), blank=True, help_text=_("法规、政策文件或其他来源文件"))
    category = models.ForeignKey(
        "appeals.Category", verbose_name=_("诉求分类"), on_delete=models.PROTECT, related_name="articles"
    )
    owner = models.ForeignKey(
        "org.Unit", verbose_name=_("责任部门"), on_delete=models.PROTECT, related_name="knowledge_articles"
    )
    keywords = models.CharField(_("关键词"), max_length=200, blank=True, help_text=_("以空格或逗号分隔"))
    version = models.PositiveIntegerField(_("版本号"), default=1)
    state = models.CharField(_("状态"), max_length=20, choices=ArticleState.choices, default=ArticleState.DRAFT)
    review_on = models.DateField(_("复核日期"), help_text=_("到期前由责任部门复核内容"))
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("更新人"), on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(_("更新时间"))
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        verbose_name = _("知识条目")
        verbose_name_plural = _("知识条目")
        ordering = ["-updated_at", "-id"]
        permissions = [("maintain_knowledge", _("维护本部门知识条目"))]
        indexes = [models.Index(fields=["state", "review_on"], name="appeals_article_review")]  # overdue lists

    def __str__(self) -> str:
        return self.title

    def review_light(self, day=None) -> str:
        """'red' past the review date, 'amber' within REVIEW_WARNING_DAYS of it, '' otherwise."""
        day = day or timezone.localdate()
        if self.review_on < day:
            return "red"
        return "amber" if (self.review_on - day).days <= REVIEW_WARNING_DAYS else ""


class ArticleVersion(models.Model):
    """A published text as it stood before a revision replaced it (readable for the tickets answered from it)."""

    article = models.ForeignKey(Article, verbose_name=_("知识条目"), on_delete=models.CASCADE, related_name="versions")
    version = models.PositiveIntegerField(_("版本号"))
    title = models.CharField(_("标题"), max_length=200)
    questions = models.TextField(_("问题"))
    answer = models.TextField(_("答复口径"))
    legal_basis = models.TextField(_("政策依据"), blank=True)
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("更新人"), on_delete=models.PROTECT, related_name="+"
    )
    saved_at = models.DateTimeField(_("更新时间"))

    class Meta:
        verbose_name = _("知识条目历史版本")
        verbose_name_plural = _("知识条目历史版本")
        ordering = ["article", "-version"]
        constraints = [models.UniqueConstraint(fields=["article", "version"], name="appeals_article_version_once")]

    def __str__(self) -> str:
        return f"{self.title} v{self.version}"


class ArticleEvent(models.Model):
    """One step in an article's life, never changed afterwards."""

    article = models.ForeignKey(Article, verbose_name=_("知识条目"), on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("操作"), max_length=20, choices=ArticleAction.choices)
    from_state = models.CharField(_("原状态"), max_length=20, choices=ArticleState.choices, blank=True)
    to_state = models.CharField(_("新状态"), max_length=20, choices=ArticleState.choices)
    version = models.PositiveIntegerField(_("版本号"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("操作人"), on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("时间"))
    note = models.TextField(_("说明"), blank=True)

    class Meta:
        verbose_name = _("知识条目流水")
        verbose_name_plural = _("知识条目流水")
        ordering = ["article", "at", "id"]

    def __str__(self) -> str:
        return f"{self.article} {self.get_action_display()}"


class ArticleUse(models.Model):
    """An agent answered a consultation ticket directly from an article (the version read out)."""

    article = models.ForeignKey(Article, verbose_name=_("知识条目"), on_delete=models.PROTECT, related_name="uses")
    version = models.PositiveIntegerField(_("版本号"))
    appeal = models.ForeignKey(
        "appeals.Appeal", verbose_name=_("工单"), on_delete=models.CASCADE, related_name="article_uses"
    )
    event = models.OneToOneField(
        "appeals.Event", verbose_name=_("工单流水"), on_delete=models.CASCADE, related_name="article_use"
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("操作人"), on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("时间"))

    class Meta:
        verbose_name = _("知识条目使用记录")
        verbose_name_plural = _("知识条目使用记录")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["article", "at"], name="appeals_articleuse_at")]  # knowledge_counts

    def __str__(self) -> str:
        return f"{self.article} v{self.version} → {self.appeal_id}"
