"""The demo city's knowledge base (知识库): about forty articles over the demo's categories, each kept by the
department the dispatch catalogue names for its category, written by that department's handler and published
by the hotline agent through the real services. A few are past their review date (red), a few close to it
(amber), two are drafts awaiting publication and one was withdrawn; some consultation tickets waiting for
dispatch are answered directly from an article, so the counts show uses."""

from datetime import timedelta

from django.utils import timezone

from apps.appeals.models import Appeal, Article, ArticleEvent, ArticleUse, ArticleVersion, Category, DispatchRule
from apps.appeals.models.appeals import State
from apps.appeals.models.knowledge import ArticleAction
from apps.appeals.services import intake, knowledge, transitions
from apps.org.models import User
from yingshang.demo.appeals import AGENT
from yingshang.demo.context import DemoContext

#: how each category's articles are asked (the category's name fills the blank)
QUESTIONS = (
    ("{name}问题向哪个部门反映？", "{name}由{owner}负责受理，可拨打 12345 或通过政务服务网提交，热线将转办{owner}。"),
    ("{name}一般多长时间处理？", "{owner}在签收后 5 个工作日内联系诉求人，15 个工作日内答复；情况复杂的可依规延期。"),
    ("{name}需要提供哪些材料？", "请提供身份证明、问题发生的地点和时间、现场照片等材料，企业诉求另需营业执照。"),
    ("{name}处理结果不满意怎么办？", "可在回访时说明不满意的原因，热线将要求{owner}重办；也可依法申请行政复议。"),
)
BASIS = "《12345 政务服务便民热线服务规范》（GB/T 44191）；国办发〔2020〕53号"
#: consultations waiting for dispatch at least, half of them answered from the knowledge base: a demo built at night
#: finds none (the day's tickets were dispatched) and takes new calls
MIN_ANSWERED = 2
CALL_CHANNEL = "hotline"


def build(ctx: DemoContext) -> None:
    rng, now = ctx.rng("knowledge"), timezone.now()
    agent = User.objects.get(username=AGENT)
    owners = {rule.category_id: rule.lead_unit for rule in DispatchRule.objects.select_related("lead_unit")}
    categories = Category.objects.filter(pk__in=owners).order_by("code")
    authors = {}
    for user in User.objects.filter(unit__in=set(owners.values()), is_active=True).order_by("pk"):
        if user.has_perm("appeals.maintain_knowledge"):
            authors.setdefault(user.unit_id, user)
    articles = []
    for category in categories:
        owner = owners[category.pk]
        author = authors.get(owner.pk)
        if author is None:
            continue
        for question, answer in QUESTIONS:
            fields = {
                "title": question.format(name=category.name), "questions": question.format(name=category.name),
                "answer": answer.format(name=category.name, owner=owner.name), "legal_basis": BASIS,
                "category": category, "keywords": category.name, "review_on": now.date() + timedelta(days=rng.randint(20, 365)),
            }  # fmt: skip
            articles.append(
                knowledge.create_article(fields=fields, by=author, now=now - timedelta(days=rng.randint(30, 200)))
            )
    _publish(articles, agent, now, rng)


def _publish(articles: list[Article], agent: User, now, rng) -> None:
    for index, article in enumerate(articles):
        if index % 19 == 5:
            continue  # a draft awaiting publication
        knowledge.move_article(article=article, action=ArticleAction.PUBLISH, by=agent, now=article.updated_at)
        if index % 23 == 7:
            knowledge.move_article(article=article, action=ArticleAction.WITHDRAW, by=agent, now=now, note="政策已废止")
    overdue = [a for a in articles if a.state == "published"][::6]
    Article.objects.filter(pk__in=[a.pk for a in overdue]).update(
        review_on=now.date() - timedelta(days=rng.randint(1, 60))
    )
    published = list(Article.objects.published().order_by("pk"))
    waiting = list(Appeal.objects.filter(appeal_type="consultation", state=State.AWAITING_DISPATCH).order_by("pk"))
    for article in published[: max(MIN_ANSWERED - len(waiting), 0)]:  # built at night, nothing waits: a new call
        waiting.append(_new_consultation(article, agent, now))
    for appeal in waiting[: (len(waiting) + 1) // 2]:
        matching = [a for a in published if a.category_id == appeal.category_id] or published
        article = rng.choice(matching)
        transitions.answer_directly(appeal=appeal, answer="", article=article, by=agent, now=now)


def _new_consultation(article: Article, agent: User, now) -> Appeal:
    """A consultation taken just now by the agent, waiting for dispatch, on the article's question."""
    fields = intake.AppealFields(
        channel=CALL_CHANNEL, appeal_type="consultation", category=article.category, title=article.title,
        content=article.questions, citizen_name="李先生", phone="13900000000",
    )  # fmt: skip
    appeal = intake.record_appeal(fields=fields, unit=agent.unit, by=agent, now=now - timedelta(minutes=10))
    transitions.accept_appeal(appeal=appeal, by=agent, now=now - timedelta(minutes=8))
    return appeal


def clear() -> None:
    ArticleUse.objects.all().delete()
    ArticleEvent.objects.all().delete()
    ArticleVersion.objects.all().delete()
    Article.objects.all().delete()
