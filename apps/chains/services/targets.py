"""Target recommendations (招商目标推荐): enterprises outside the city that fit a gap or weak link, ranked by an
explained score, and turning one into a lead of the investment pipeline.

The score (0–100) is the sum of four explained parts and one deduction:

- fit to the link (up to 50): the enterprise's industry is one of the link's codes (or below one), each of the
  link's keywords found in its name or business scope (经营范围), a keyword among its tags;
- tags (up to 25): 世界500强, 中国500强, 龙头 … with weights (TAG_POINTS), the best tag counts in full and each
  further one adds a little;
- scale (up to 15): registered capital and last year's revenue;
- contact with the city (up to 10): a contact recorded by a unit, a project in the pipeline;
- claims: another unit's claim on the enterprise lowers the rank (多头招商 is avoided, not forbidden), and a lead
  already opened for the same link lowers it further; both are shown, as is the user's own unit's claim.

On a registry of a million enterprises the pool is never scanned: candidates come from indexed lookups only, a
few per link — the enterprises of the link's industries carrying a weighted tag (the tag table is small), the
largest by registered capital in those industries, and those whose name holds a keyword (the name bigram index,
NameGram) — and only those few hundred are scored in Python, their tags, figures, contacts, projects and claims
read in one query each for the whole chain (bench/bench_chain_targets.py measures it).
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from apps.chains.locality import outside_condition
from apps.chains.models import Chain, Link, LinkLead
from apps.chains.services.coverage import LinkCoverage, gaps
from apps.core.audit import records_actor
from apps.core.errors import BusinessRuleError
from apps.enterprises.matching.grams import bigrams
from apps.enterprises.models import AnnualFigures, Contact, Enterprise, Industry, NameGram
from apps.investment.models import Claim, Project
from apps.investment.models.projects import Channel
from apps.investment.services.projects import Registration, register_lead

#: points of the best tag an enterprise carries; each further weighted tag adds TAG_EXTRA
TAG_POINTS = {
    "世界500强": 25, "中国500强": 20, "中国民营500强": 16, "行业龙头": 16, "链主": 16, "独角兽": 15,
    "专精特新": 12, "瞪羚": 10,
}  # fmt: skip
TAG_EXTRA, TAG_MAX = 3, 25
INDUSTRY_POINTS, KEYWORD_POINTS, KEYWORD_MAX, TAG_KEYWORD_POINTS, FIT_MAX = 25, 10, 25, 10, 50
#: (at least 万元, points): registered capital, then last year's revenue
CAPITAL_STEPS = ((100000, 8), (10000, 6), (1000, 4), (100, 2))
REVENUE_STEPS = ((1000000, 7), (100000, 5), (10000, 3), (1000, 1))
CONTACT_POINTS, PROJECT_POINTS = 5, 5
CLAIMED_PENALTY, LEAD_PENALTY = 20, 30
#: candidates read per link from each indexed source
TAGGED_CANDIDATES, LARGEST_CANDIDATES, NAME_CANDIDATES = 100, 60, 100


@dataclass
class ScorePart:
    """One part of a score; its label and reasons are kept untranslated until shown, since most candidates scored
    are never shown (a chain's recommendation scores thousands to show hundreds)."""

    label_msgid: str
    points: float
    raw_reasons: list[tuple[str, dict]] = field(default_factory=list)

    @property
    def label(self) -> str:
        return _(self.label_msgid)

    @property
    def reasons(self) -> list[str]:
        return [_(msgid) % params for msgid, params in self.raw_reasons]


@dataclass
class Target:
    enterprise: Enterprise
    link: Link
    parts: list[ScorePart] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    claim: Claim | None = None
    own_claim: bool = False
    link_leads: list[LinkLead] = field(default_factory=list)

    @property
    def score(self) -> float:
        return max(round(sum(part.points for part in self.parts), 1), 0)

    @property
    def claim_note(self) -> str:
        if self.claim is None:
            return ""
        if self.own_claim:
            return _("本单位已认领")
        return _("已由%(unit)s认领") % {"unit": self.claim.unit.name}


@dataclass
class LinkTargets:
    coverage: LinkCoverage
    targets: list[Target]


@dataclass
class _Facts:
    """What scoring reads about the candidates, one query per kind for all of them."""

    tags: dict[int, list[str]]
    revenue: dict[int, Decimal]
    contacts: set[int]
    projects: set[int]
    claims: dict[int, Claim]
    leads: dict[tuple[int, int], list[LinkLead]]


def recommend(
    link: Link, *, limit: int = 50, unit=None, tag: str = "", region: str = "", text: str = "", min_score: float = 0
) -> list[Target]:
    """The best outside-city targets for the link, best first; ``unit`` is whose claims count as one's own."""
    candidates = _load(
        _candidate_ids(link, tag=tag, region=region, text=text), _pool(tag=tag, region=region, text=text)
    )
    facts = _facts(candidates, [link])
    return _ranked(link, candidates, facts, unit=unit, limit=limit, min_score=min_score)


def score_target(link: Link, enterprise: Enterprise, *, unit=None) -> Target:
    """One enterprise scored for the link as a recommendation would score it."""
    return _target(link, enterprise, _facts({enterprise.pk: enterprise}, [link]), unit)


def recommend_for_chain(chain: Chain, *, per_link: int = 20, unit=None) -> list[LinkTargets]:
    """Targets for every gap or weak link of the chain (coverage.gaps), in map order."""
    open_links = gaps(chain)
    shared: dict = {}
    by_link = {coverage.link.pk: _candidate_ids(coverage.link, shared=shared) for coverage in open_links}
    everyone = _load(set().union(*by_link.values()), _pool())  # links sharing an industry share their candidates
    facts = _facts(everyone, [coverage.link for coverage in open_links])
    return [
        LinkTargets(coverage, _ranked(coverage.link, _of(everyone, by_link[coverage.link.pk]), facts, unit=unit,
                                      limit=per_link))
        for coverage in open_links
    ]  # fmt: skip


def _of(enterprises: dict[int, Enterprise], ids: set[int]) -> dict[int, Enterprise]:
    return {pk: enterprises[pk] for pk in ids if pk in enterprises}


def _ranked(link: Link, candidates: dict, facts: _Facts, *, unit, limit: int, min_score: float = 0) -> list[Target]:
    targets = [_target(link, enterprise, facts, unit) for enterprise in candidates.values()]
    targets = [target for target in targets if target.score >= min_score]
    targets.sort(key=lambda target: (-target.score, target.enterprise.pk))
    return targets[:limit]


# ---- candidates -------------------------------------------------------------------------------------------


def _codes(link: Link) -> tuple[str, ...]:
    return tuple(sorted({str(code).strip() for code in link.industry_codes if str(code).strip()}))


def _industry_ids(codes: tuple[str, ...]) -> list[int]:
    if not codes:
        return []
    condition = Q()
    for code in codes:
        condition |= Q(code__startswith=code) | Q(parent__code=code)
    return list(Industry.objects.filter(condition).values_list("pk", flat=True))


def _pool(*, tag: str = "", region: str = "", text: str = ""):
    pool = Enterprise.objects.active().filter(outside_condition())
    if text:
        pool = pool.filter(Q(name__contains=text) | Q(uscc=text))
    if tag:
        pool = pool.filter(tags__name=tag)
    if region:
        pool = pool.filter(region_code__startswith=region)
    return pool


def _candidate_ids(
    link: Link, *, tag: str = "", region: str = "", text: str = "", shared: dict | None = None
) -> set[int]:
    """A few hundred outside enterprises worth scoring for the link, each found through an index; ``shared``
    keeps the industry candidates of links with the same codes (a chain's links often share a division)."""
    pool = _pool(tag=tag, region=region, text=text)
    codes = _codes(link)
    shared = {} if shared is None else shared
    if codes not in shared:
        shared[codes] = _industry_candidates(pool, _industry_ids(codes))
    return shared[codes] | _name_hits(link.keywords)


def _industry_candidates(pool, industries: list[int]) -> set[int]:
    """The tagged and the largest enterprises of each industry, one industry at a time so that each query walks
    the (industry, registered capital) index in order and stops at its limit (migration 0003)."""
    found: set[int] = set()
    share = max(len(industries), 1)
    for industry in industries:
        ranked = pool.filter(industry_id=industry).order_by(F("registered_capital").desc(nulls_last=True), "pk")
        found |= set(ranked.filter(pk__in=_tagged()).values_list("pk", flat=True)[: max(TAGGED_CANDIDATES // share, 5)])
        found |= set(ranked.values_list("pk", flat=True)[: max(LARGEST_CANDIDATES // share, 5)])
    return found


def _tagged():
    return Enterprise.tags.through.objects.filter(tag__name__in=TAG_POINTS).values("enterprise_id")


def _name_hits(keywords: Iterable[str]) -> set[int]:
    """Enterprises whose name holds the most of the keywords' bigrams (the name index), in one query that reads
    the index only; the pool's conditions apply when the candidates are loaded, the fit checks the keywords."""
    terms = [bigrams(keyword.strip()) for keyword in keywords if keyword.strip()]
    if not terms:
        return set()
    holders = (
        NameGram.objects.filter(gram__in=set().union(*terms))
        .values("enterprise_id")
        .annotate(found=Count("gram"))
        .filter(found__gte=min(len(grams) for grams in terms))
        .order_by("-found", "enterprise_id")
        .values_list("enterprise_id", flat=True)[:NAME_CANDIDATES]
    )
    return set(holders)


def _load(ids: set[int], pool) -> dict[int, Enterprise]:
    """The candidates still in the pool, with what scoring reads of them."""
    return {
        enterprise.pk: enterprise
        for enterprise in pool.filter(pk__in=ids).select_related("industry__parent").only(
            "name", "region_code", "region_name", "registered_capital", "business_scope", "uscc", "industry__code",
            "industry__name", "industry__parent__code",
        )
    }  # fmt: skip


def _facts(candidates: dict[int, Enterprise], links: list[Link]) -> _Facts:
    ids = list(candidates)
    tags: dict[int, list[str]] = defaultdict(list)
    for pk, name in Enterprise.tags.through.objects.filter(enterprise_id__in=ids).values_list(
        "enterprise_id", "tag__name"
    ):
        tags[pk].append(name)
    year = timezone.localdate().year - 1
    revenue = dict(
        AnnualFigures.objects.filter(enterprise_id__in=ids, year=year, revenue__isnull=False).values_list(
            "enterprise_id", "revenue"
        )
    )
    contacts = set(Contact.objects.filter(enterprise_id__in=ids).values_list("enterprise_id", flat=True))
    projects = set(
        Project.objects.filter(enterprise_id__in=ids)
        .exclude(status=Project.Status.DROPPED)
        .values_list("enterprise_id", flat=True)
    )
    claims: dict[int, Claim] = {}
    holding = Claim.objects.holding().filter(enterprise_id__in=ids, expires_on__gte=timezone.localdate())
    for claim in holding.select_related("unit").order_by("-starts_on", "-id"):
        claims[claim.enterprise_id] = claim  # the earliest wins: it is the one that holds
    leads: dict[tuple[int, int], list[LinkLead]] = defaultdict(list)
    for lead in LinkLead.objects.filter(link__in=links, project__enterprise_id__in=ids).select_related("project__unit"):
        leads[(lead.link_id, lead.project.enterprise_id)].append(lead)
    return _Facts(tags, revenue, contacts, projects, claims, leads)


# ---- scoring ------------------------------------------------------------------------------------------------


def _target(link: Link, enterprise: Enterprise, facts: _Facts, unit) -> Target:
    tags = facts.tags.get(enterprise.pk, [])
    claim = facts.claims.get(enterprise.pk)
    own = claim is not None and unit is not None and claim.unit_id == unit.pk
    target = Target(
        enterprise=enterprise, link=link, tags=tags, claim=claim, own_claim=own,
        link_leads=facts.leads.get((link.pk, enterprise.pk), []),
    )  # fmt: skip
    target.parts = [
        link_fit(link, enterprise, tags),
        _tag_part(tags),
        _scale_part(enterprise, facts.revenue.get(enterprise.pk)),
        _contact_part(enterprise.pk in facts.contacts, enterprise.pk in facts.projects),
    ]
    deduction = _claim_part(target)
    if deduction is not None:
        target.parts.append(deduction)
    return target


def link_fit(link: Link, enterprise: Enterprise, tags: list[str]) -> ScorePart:
    """How well the enterprise fits the link: industry code, keywords in its name or scope, keyword tags."""
    reasons, points = [], 0
    industry = enterprise.industry
    if industry is not None and _industry_matches(link.industry_codes, industry):
        points += INDUSTRY_POINTS
        reasons.append(
            (gettext_noop("行业代码 %(code)s %(name)s 属于本环节"), {"code": industry.code, "name": industry.name})
        )
    keyword_points = 0
    for keyword in link.keywords:
        if keyword and keyword in enterprise.name:
            keyword_points += KEYWORD_POINTS
            reasons.append((gettext_noop("企业名称含“%(keyword)s”"), {"keyword": keyword}))
        elif keyword and keyword in enterprise.business_scope:
            keyword_points += KEYWORD_POINTS
            reasons.append((gettext_noop("经营范围含“%(keyword)s”"), {"keyword": keyword}))
    points += min(keyword_points, KEYWORD_MAX)
    for keyword in set(link.keywords) & set(tags):
        points += TAG_KEYWORD_POINTS
        reasons.append((gettext_noop("标签“%(tag)s”与本环节相符"), {"tag": keyword}))
    return ScorePart(gettext_noop("环节匹配"), min(points, FIT_MAX), reasons)


def _industry_matches(codes: list[str], industry: Industry) -> bool:
    """The industry is one of the codes, below one, or in a section the codes name."""
    section = industry.parent.code if industry.parent_id else industry.code
    return any(code and (industry.code.startswith(code) or section == code) for code in map(str, codes))


def _tag_part(tags: list[str]) -> ScorePart:
    weighted = sorted((TAG_POINTS[tag] for tag in tags if tag in TAG_POINTS), reverse=True)
    points = min(weighted[0] + TAG_EXTRA * (len(weighted) - 1), TAG_MAX) if weighted else 0
    reasons = (
        [(gettext_noop("标签：%(tags)s"), {"tags": "、".join(t for t in tags if t in TAG_POINTS)})] if weighted else []
    )
    return ScorePart(gettext_noop("企业标签"), points, reasons)


def _step(value: Decimal | None, steps: tuple[tuple[int, int], ...]) -> int:
    if value is None:
        return 0
    return next((points for floor, points in steps if value >= floor), 0)


def _scale_part(enterprise: Enterprise, revenue: Decimal | None) -> ScorePart:
    reasons = []
    capital = enterprise.registered_capital
    if capital:
        reasons.append((gettext_noop("注册资本 %(amount)s 万元"), {"amount": f"{capital:,.0f}"}))
    if revenue is not None:
        reasons.append((gettext_noop("上年营业收入 %(amount)s 万元"), {"amount": f"{revenue:,.0f}"}))
    return ScorePart(gettext_noop("企业规模"), _step(capital, CAPITAL_STEPS) + _step(revenue, REVENUE_STEPS), reasons)


def _contact_part(has_contact: bool, has_project: bool) -> ScorePart:
    reasons = []
    if has_contact:
        reasons.append((gettext_noop("已有本市单位登记的联系人"), {}))
    if has_project:
        reasons.append((gettext_noop("已有招商项目或线索"), {}))
    return ScorePart(gettext_noop("已有联系"), CONTACT_POINTS * has_contact + PROJECT_POINTS * has_project, reasons)


def _claim_part(target: Target) -> ScorePart | None:
    points, reasons = 0, []
    if target.claim is not None and not target.own_claim:
        points -= CLAIMED_PENALTY
        reasons.append((gettext_noop("已由%(unit)s认领（首报首谈）"), {"unit": target.claim.unit.name}))
    elif target.own_claim:
        reasons.append((gettext_noop("本单位已认领"), {}))
    if target.link_leads:
        points -= LEAD_PENALTY
        units = "、".join(sorted({lead.project.unit.name for lead in target.link_leads}))
        reasons.append((gettext_noop("%(units)s已就本环节转为招商线索"), {"units": units}))
    return ScorePart(gettext_noop("认领情况"), points, reasons) if reasons else None


# ---- target → lead ------------------------------------------------------------------------------------------


@records_actor
@transaction.atomic
def open_lead(*, link: Link, enterprise: Enterprise, by: AbstractBaseUser, score: float) -> Registration:
    """The target becomes a lead of the user's unit (register_lead applies the claim rules) and a LinkLead."""
    unit = getattr(by, "unit", None)
    if unit is None:
        raise BusinessRuleError(_("只有本市各单位的工作人员才能登记招商线索。"))
    if not Enterprise.objects.filter(outside_condition(), pk=enterprise.pk).exists():
        raise BusinessRuleError(_("该企业在本市注册，不是外地目标企业。"))
    existing = LinkLead.objects.filter(link=link, project__enterprise=enterprise).select_related("project__unit")
    if existing:
        lead = existing[0]
        raise BusinessRuleError(
            _("%(unit)s已于%(day)s将该企业就“%(link)s”环节转为招商线索（%(code)s），不能重复转线索。")
            % {
                "unit": lead.project.unit.name, "day": f"{timezone.localtime(lead.created_at):%Y-%m-%d}",
                "link": link.name, "code": lead.project.code,
            }
        )  # fmt: skip
    registration = register_lead(
        enterprise=enterprise, unit=unit, by=by, name=_lead_name(enterprise, link), channel=Channel.PROFESSIONAL,
        industry=enterprise.industry, description=_lead_description(link),
    )  # fmt: skip
    LinkLead.objects.create(link=link, project=registration.project, score=score, created_by=by)
    return registration


def _lead_name(enterprise: Enterprise, link: Link) -> str:
    return _("%(enterprise)s %(link)s项目") % {"enterprise": enterprise.name, "link": link.name}


def _lead_description(link: Link) -> str:
    return _("产业链招商：来自“%(chain)s”产业链“%(link)s”环节（%(segment)s）的目标企业推荐，补齐本地薄弱或缺失环节。") % {
        "chain": link.chain.name, "link": link.name, "segment": link.get_segment_display(),
    }  # fmt: skip
