"""The demo city's anonymous evaluations of departments by enterprises (企业评议部门), organised by 市营商局.

Last year's campaign is closed and published: 15 city departments, 300 local enterprises invited, about two in
three answered. Each answer rates the departments the enterprise dealt with; a few departments are rarely
dealt with and stay below the publication threshold (样本不足). Comments were reviewed, most approved, two
rejected because they named an enterprise. This year's campaign is open with its first answers in and comments
waiting in the review queue. Every answer goes through services/evaluations.submit_response, as the public
page's would, so the demo's data is what the real flow stores (and nothing more).
"""

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from apps.appeals.models import Campaign, CampaignEvent, Invitation, Question
from apps.appeals.models.evaluations import CampaignAction, CommentStatus
from apps.appeals.services import evaluations as services
from apps.enterprises.models import Enterprise
from apps.org.models import Unit, User
from yingshang.demo.context import DemoContext

KEEPER = "yingshang"
#: department (code) → how likely an answering enterprise dealt with it; the last three stay below k
DEPARTMENTS = {
    "990100D04": 0.55, "990100D05": 0.25, "990100D06": 0.2, "990100D07": 0.3, "990100D08": 0.15,
    "990100D09": 0.2, "990100D10": 0.6, "990100D11": 0.35, "990100D12": 0.15, "990100D13": 0.2,
    "990100D14": 0.15, "990100D01": 0.1, "990100D15": 0.012, "990100D16": 0.012, "990100D20": 0.008,
}  # fmt: skip
COMMENTS = (
    "办事窗口指引清楚，一次就办成了。",
    "希望进一步压缩审批时限，减少纸质材料。",
    "执法检查较多，建议推行“综合查一次”。",
    "惠企政策兑现速度快，点赞。",
    "线上系统偶尔卡顿，希望优化。",
    "工作人员主动上门服务，解决了用电难题。",
    "政策宣讲可以再细一些，中小企业不太清楚申报条件。",
)
#: departments dealt with less often than this are kept below the threshold k (so they show 样本不足)
RARE = 0.05
NAMING_COMMENT = "我们示范市某某科技有限公司的项目审批被拖了三个月。"  # rejected: it identifies its writer


def build(ctx: DemoContext) -> None:
    keeper = User.objects.get(username=KEEPER)
    departments = list(Unit.objects.filter(code__in=DEPARTMENTS).order_by("path"))
    enterprises = list(Enterprise.objects.active().filter(region_code__startswith="9901").order_by("pk"))
    rng = ctx.rng("evaluations")
    today = timezone.localdate()
    last = _campaign(keeper, departments, f"{today.year - 1}年度企业评议部门", today.year - 1,
                     date(today.year - 1, 11, 1), date(today.year - 1, 11, 30))  # fmt: skip
    chosen = rng.sample(enterprises, min(300, len(enterprises)))
    _answer(last, keeper, chosen, share=0.65, rng=rng, days=(last.opens_on, last.closes_on))
    _finish(last, keeper, rng, published_on=date(today.year - 1, 12, 15))
    this = _campaign(keeper, departments, f"{today.year}年度企业评议部门", today.year,
                     today - timedelta(days=10), today + timedelta(days=20))  # fmt: skip
    _answer(this, keeper, rng.sample(enterprises, min(200, len(enterprises))), share=0.25, rng=rng,
            days=(this.opens_on, today))  # fmt: skip


def clear() -> None:
    Campaign.objects.all().delete()


def _campaign(keeper: User, departments: list[Unit], title: str, year: int, opens: date, closes: date) -> Campaign:
    fields = services.CampaignFields(
        title=title, year=year, period="year", opens_on=opens, closes_on=closes, departments=departments,
        k_threshold=5, allow_comments=True, questionnaire=services.PRESET_QUESTIONNAIRE,
        intro="为了解企业对各部门服务的真实感受，请贵企业对本年度打过交道的部门匿名评议。答卷不与企业关联。",
    )  # fmt: skip
    campaign = services.create_campaign(fields=fields, by=keeper)
    return services.change_campaign_state(campaign=campaign, action="open", by=keeper, today=opens)


def _answer(campaign: Campaign, keeper: User, enterprises, *, share: float, rng, days: tuple[date, date]) -> None:
    services.invite_enterprises(campaign=campaign, enterprises=enterprises, by=keeper, today=days[0])
    invitations = list(Invitation.objects.filter(campaign=campaign).order_by("pk"))
    questions = list(Question.objects.filter(dimension__campaign=campaign).order_by("dimension__position", "position"))
    departments = {unit.code: unit for unit in campaign.departments.all()}
    quality = {code: rng.uniform(3.2, 4.6) for code in departments}
    span, rare = (days[1] - days[0]).days, dict.fromkeys((c for c, p in DEPARTMENTS.items() if p < RARE), 0)
    for invitation in rng.sample(invitations, round(len(invitations) * share)):
        rated = [c for c, p in DEPARTMENTS.items() if rng.random() < p and rare.get(c, 0) < campaign.k_threshold - 2]
        for code in set(rated) & set(rare):
            rare[code] += 1
        rated = [departments[code] for code in rated] or [departments["990100D10"]]
        scores = {
            (unit.pk, q.pk): max(1, min(5, round(rng.gauss(quality[unit.code], 0.8))))
            for unit in rated
            for q in questions
        }
        comments = {rated[0].pk: rng.choice(COMMENTS)} if rng.random() < 0.25 else {}
        if rng.random() < 0.01:
            comments = {rated[0].pk: NAMING_COMMENT}
        submission = services.Submission(scores=scores, comments=comments)
        day = days[0] + timedelta(days=rng.randint(0, span))
        services.submit_response(code=invitation.code, submission=submission, today=day)


def _finish(campaign: Campaign, keeper: User, rng, *, published_on: date) -> None:
    """Review every comment (those naming an enterprise are rejected), close, publish; events dated then."""
    for comment in campaign.comments.all():
        approve = comment.text != NAMING_COMMENT and rng.random() < 0.9
        note = "" if approve else "含可识别企业的信息或与评议无关"
        services.review_comment(comment=comment, approve=approve, note=note, by=keeper)
    services.change_campaign_state(campaign=campaign, action="close", by=keeper, today=campaign.closes_on)
    services.change_campaign_state(campaign=campaign, action="publish", by=keeper, today=published_on)
    moments = {
        CampaignAction.CREATE: campaign.opens_on - timedelta(days=7), CampaignAction.INVITE: campaign.opens_on,
        CampaignAction.OPEN: campaign.opens_on, CampaignAction.CLOSE: campaign.closes_on + timedelta(days=1),
        CampaignAction.PUBLISH: published_on,
    }  # fmt: skip
    for action, day in moments.items():
        at = timezone.make_aware(datetime.combine(day, time.min)) + timedelta(hours=10)
        CampaignEvent.objects.filter(campaign=campaign, action=action).update(at=at)
    reviewed = timezone.make_aware(datetime.combine(published_on - timedelta(days=3), time.min))
    campaign.comments.exclude(status=CommentStatus.PENDING).update(reviewed_at=reviewed + timedelta(hours=15))
