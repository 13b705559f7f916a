"""知识库: writing, revising, publishing and withdrawing articles, and the counts per owner department.

``TRANSITIONS`` is the one table of moves: the states each may start from, the state it leads to and who makes
it (OWNER: the owner department's MAINTAIN_KNOWLEDGE holders; OFFICE: the hotline office at city level). Every
move is a conditional UPDATE from the state the caller saw and writes one ArticleEvent. Each published version's
text is kept as an ArticleVersion row, so revising a published article (a new version, back to draft until the
office publishes it again) never changes what an earlier direct answer quoted.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.appeals import permissions
from apps.appeals.models import Article, ArticleEvent, ArticleUse, ArticleVersion, Category
from apps.appeals.models.knowledge import ArticleAction, ArticleState
from apps.core.audit import records_actor
from apps.core.errors import BusinessRuleError

OWNER, OFFICE = "owner", "office"
#: fields an owner writes (forms_knowledge.ArticleForm has the same)
TEXT_FIELDS = ("title", "questions", "answer", "legal_basis", "category", "keywords", "review_on")


@dataclass(frozen=True)
class Move:
    sources: tuple[str, ...]
    target: str
    actors: tuple[str, ...]


TRANSITIONS: dict[str, Move] = {
    ArticleAction.PUBLISH: Move((ArticleState.DRAFT,), ArticleState.PUBLISHED, (OFFICE,)),
    ArticleAction.WITHDRAW: Move((ArticleState.PUBLISHED,), ArticleState.WITHDRAWN, (OFFICE, OWNER)),
    ArticleAction.REDRAFT: Move((ArticleState.WITHDRAWN,), ArticleState.DRAFT, (OWNER,)),
}


def _acts_as(user, article: Article, actor: str) -> bool:
    if actor == OFFICE:
        return permissions.can_publish_knowledge(user)
    return permissions.can_maintain_article(user, article)


def allowed_actions_for(article: Article, user) -> list[str]:
    """The moves the table lets ``user`` make on ``article`` now (for buttons; the service checks the same)."""
    return [
        action
        for action, move in TRANSITIONS.items()
        if article.state in move.sources and any(_acts_as(user, article, actor) for actor in move.actors)
    ]


def _event(article: Article, action: str, before: str, *, by, now: datetime, note: str = "") -> ArticleEvent:
    return ArticleEvent.objects.create(
        article=article, action=action, from_state=before, to_state=article.state, version=article.version,
        actor=by, at=now, note=note,
    )  # fmt: skip


def _check_fields(fields: dict, now: datetime) -> None:
    for name in ("title", "questions", "answer"):
        if not str(fields.get(name) or "").strip():
            raise BusinessRuleError(_("请填写该项。"), field=name)
    if not isinstance(fields.get("category"), Category):
        raise BusinessRuleError(_("请选择诉求分类。"), field="category")
    if fields.get("review_on") is None or fields["review_on"] <= timezone.localtime(now).date():
        raise BusinessRuleError(_("复核日期应晚于今天。"), field="review_on")


@records_actor
@transaction.atomic
def create_article(*, fields: dict, by, now: datetime) -> Article:
    """新建: a draft kept by the author's own department."""
    if not permissions.can_maintain_article(by):
        raise BusinessRuleError(_("您无权维护知识条目。"))
    _check_fields(fields, now)
    article = Article(**{name: fields[name] for name in TEXT_FIELDS}, owner=by.unit, updated_by=by, updated_at=now)
    article.full_clean()
    article.save()
    _event(article, ArticleAction.CREATE, "", by=by, now=now)
    return article


@records_actor
@transaction.atomic
def revise_article(*, article: Article, fields: dict, by, now: datetime, note: str = "") -> Article:
    """修订: a draft changes in place; a published or withdrawn text becomes a new version, back to draft."""
    if not permissions.can_maintain_article(by, article):
        raise BusinessRuleError(_("只有责任部门可以修订该知识条目。"))
    _check_fields(fields, now)
    before = article.state
    released = ArticleVersion.objects.filter(article=article, version=article.version).exists()
    version = article.version + 1 if released else article.version
    changes = {name: fields[name] for name in TEXT_FIELDS}
    updated = Article.objects.filter(pk=article.pk, state=before, version=article.version).update(
        **changes, version=version, state=ArticleState.DRAFT, updated_by=by, updated_at=now
    )
    if not updated:
        raise BusinessRuleError(_("该知识条目已被他人修改，请刷新后重试。"))
    article.refresh_from_db()
    _event(article, ArticleAction.REVISE, before, by=by, now=now, note=note)
    return article


@records_actor
@transaction.atomic
def move_article(*, article: Article, action: str, by, now: datetime, note: str = "") -> ArticleEvent:
    """Publish, withdraw or return to draft, as the table allows; publishing keeps the version's text."""
    move = TRANSITIONS.get(action)
    if move is None:
        raise BusinessRuleError(_("未知的操作。"))
    label = ArticleAction(action).label
    if article.state not in move.sources:
        raise BusinessRuleError(
            _("知识条目当前状态为“%(state)s”，不能%(action)s。")
            % {"state": article.get_state_display(), "action": label}
        )
    if not any(_acts_as(by, article, actor) for actor in move.actors):
        raise BusinessRuleError(_("您无权对该知识条目执行“%(action)s”。") % {"action": label})
    if action == ArticleAction.PUBLISH and article.review_on <= timezone.localtime(now).date():
        raise BusinessRuleError(_("复核日期已到，请责任部门复核并修订后再发布。"))
    before = article.state
    extra = {"published_at": now} if action == ArticleAction.PUBLISH else {}
    if not Article.objects.filter(pk=article.pk, state=before).update(state=move.target, **extra):
        raise BusinessRuleError(_("该知识条目已被他人处理，请刷新后重试。"))
    article.refresh_from_db()
    if action == ArticleAction.PUBLISH:
        ArticleVersion.objects.get_or_create(
            article=article, version=article.version,
            defaults={
                "title": article.title, "questions": article.questions, "answer": article.answer,
                "legal_basis": article.legal_basis, "saved_by": article.updated_by, "saved_at": article.updated_at,
            },
        )  # fmt: skip
    return _event(article, action, before, by=by, now=now, note=note)


def record_use(*, article: Article, appeal, event, by, now: datetime) -> ArticleUse:
    """A direct answer quoted ``article`` (its current, published version); called by transitions.answer_directly."""
    if article.state != ArticleState.PUBLISHED:
        raise BusinessRuleError(_("只能引用已发布的知识条目。"), field="article")
    return ArticleUse.objects.create(
        article=article, version=article.version, appeal=appeal, event=event, by=by, at=now
    )


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def knowledge_counts(units, start: date, end: date) -> dict[int, dict]:
    """知识库统计 per owner unit for the days start..end (inclusive): articles published now, of them overdue
    for review today, articles updated in the period, and direct answers that quoted the unit's articles."""
    since, until = _day_start(start), _day_start(end + timedelta(days=1))
    today = timezone.localdate()
    ids = [unit.pk for unit in units]
    counts = {pk: {"published": 0, "overdue": 0, "updated": 0, "uses": 0} for pk in ids}
    rows = (
        Article.objects.filter(owner__in=ids)
        .values("owner")
        .annotate(
            published=Count("pk", filter=Q(state=ArticleState.PUBLISHED)),
            overdue=Count("pk", filter=Q(state=ArticleState.PUBLISHED, review_on__lt=today)),
            updated=Count("pk", filter=Q(updated_at__gte=since, updated_at__lt=until)),
        )
    )
    for row in rows:
        counts[row["owner"]].update(published=row["published"], overdue=row["overdue"], updated=row["updated"])
    uses = ArticleUse.objects.filter(article__owner__in=ids, at__gte=since, at__lt=until)
    for row in uses.values("article__owner").annotate(n=Count("pk")):
        counts[row["article__owner"]]["uses"] = row["n"]
    return counts
