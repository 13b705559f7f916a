"""The demo city's industrial chains (产业链招商): the eight seed chains, business scopes, an outside target pool.

The seed chains (apps/chains/data/chains.json) are loaded as the investment bureau's officer. Every enterprise of
the registry gets a business scope (经营范围): a local firm whose industry fits a link of a chain says, half of the
time, one or two of the link's keywords in it, so that the placement suggestions find it and some links stay
empty or thin (the gaps a team works on). The target pool is about 2,300 enterprises per ``--scale`` registered
outside the city (深圳、上海、苏州 …), made for the links (their industry and scope fit one), with the tags
recommendations weigh (世界500强, 行业龙头, 专精特新 …), last year's revenue for most and a contact of the
investment bureau for about one in seven (the shares keep the whole registry's proportions of tags and contacts).

Then the placement suggestions run on every chain (apps/chains/services/placement.py), and the bureau has decided
most of them as a person would: a suggestion whose scope names the link (score ≥ CONFIRM_SCORE) is confirmed, a
fifth of those resting on the industry code alone are rejected, the rest wait in the queue; on about half of the
links the largest confirmed enterprise is marked chain leader (链主). Last, the bureau's officer has turned the
best target of four gaps of each of the first three chains into leads of the pipeline (LinkLead).
"""

from collections.abc import Iterator
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from apps.chains.models import Chain, Link, Placement
from apps.chains.seed import load_seed_chains
from apps.chains.services.placement import suggest_for_chain
from apps.chains.services.targets import open_lead, recommend_for_chain
from apps.enterprises.index import fill_enterprise_fields, fill_name_fields, rebuild_name_index
from apps.enterprises.models import AnnualFigures, Contact, Enterprise, EnterpriseName, Industry, Tag
from apps.org.models import Unit, User
from yingshang.demo import company_names as vocabulary
from yingshang.demo.context import DemoContext
from yingshang.demo.enterprises import SHORT_NAME_SHARE, WITHOUT_USCC_SHARE
from yingshang.demo.fake import Fake
from yingshang.demo.org import INVESTMENT_BUREAU

POOL_PER_LINK = 20
CONFIRM_SCORE = 70
REJECT_SHARE = 0.2
LEADER_SHARE = 0.5
LEAD_CHAINS, LEADS_PER_CHAIN = 3, 4
SCOPE_KEYWORD_SHARE = 0.5
#: tags of the outside pool and the share of its enterprises holding each
POOL_TAGS = (
    ("世界500强", 0.03),
    ("中国500强", 0.05),
    ("中国民营500强", 0.05),
    ("行业龙头", 0.08),
    ("专精特新", 0.03),
    ("高新技术企业", 0.08),
    ("瞪羚", 0.04),
    ("独角兽", 0.01),
    ("链主", 0.03),
)
POOL_FIGURES_SHARE = 0.6
POOL_CONTACT_SHARE = 0.15
SCOPE_TAIL = "技术开发、技术服务、技术咨询；货物进出口（依法须经批准的项目，经相关部门批准后方可开展经营活动）。"


def build(ctx: DemoContext) -> None:
    officer = User.objects.get(username="zhaoshang")
    chains = load_seed_chains(by=officer)
    links = list(Link.objects.filter(chain__in=chains).select_related("chain").order_by("chain__order", "order", "id"))
    _business_scopes(ctx, links)
    _outside_pool(ctx, links, Unit.objects.get(code=INVESTMENT_BUREAU))
    rebuild_name_index()
    for chain in chains:
        suggest_for_chain(chain)
    _decide(ctx, officer)
    _leads(chains[:LEAD_CHAINS], officer)


def clear() -> None:
    """The chains with their links, placements and link leads (the pool goes with the registry)."""
    Chain.objects.all().delete()


# ---- business scopes ----------------------------------------------------------------------------


def _business_scopes(ctx: DemoContext, links: list[Link]) -> None:
    """A scope for every enterprise of the registry without one; local ones fitting a link may name its keywords."""
    rng = ctx.rng("chains.scopes")
    by_division: dict[str, list[Link]] = {}
    for link in links:
        for code in link.industry_codes:
            by_division.setdefault(code, []).append(link)
    names = dict(Industry.objects.values_list("id", "name"))
    codes = dict(Industry.objects.values_list("id", "code"))
    changed = []
    for enterprise in Enterprise.objects.filter(business_scope="").only("id", "industry_id", "region_code"):
        fitting = by_division.get(codes.get(enterprise.industry_id, ""), [])
        local = enterprise.region_code.startswith(vocabulary.LOCAL_REGIONS[0].code[:4])
        if fitting and local and rng.random() < SCOPE_KEYWORD_SHARE:
            link = rng.choice(fitting)
            words = rng.sample(link.keywords, k=min(len(link.keywords), rng.choice((1, 2))))
            enterprise.business_scope = f"{'、'.join(words)}的研发、生产和销售；{SCOPE_TAIL}"
        else:
            industry = names.get(enterprise.industry_id, "")
            enterprise.business_scope = f"{industry}相关业务；{SCOPE_TAIL}" if industry else SCOPE_TAIL
        changed.append(enterprise)
    Enterprise.objects.bulk_update(changed, ["business_scope"], batch_size=1000)


# ---- decisions on the suggestions -------------------------------------------------------------------


def _decide(ctx: DemoContext, officer: User) -> None:
    rng = ctx.rng("chains.decisions")
    now = timezone.now()
    placements = list(Placement.objects.select_related("enterprise").order_by("link_id", "-score", "id"))
    for placement in placements:
        if placement.score >= CONFIRM_SCORE:
            placement.status = Placement.Status.CONFIRMED
        elif rng.random() < REJECT_SHARE:
            placement.status = Placement.Status.REJECTED
        else:
            continue
        placement.decided_by = officer
        placement.decided_at = now - timedelta(days=rng.randint(1, 120), minutes=rng.randint(0, 600))
    leaders = {}
    for placement in placements:
        if placement.status == Placement.Status.CONFIRMED:
            best = leaders.get(placement.link_id)
            capital = placement.enterprise.registered_capital or 0
            if best is None or capital > (best.enterprise.registered_capital or 0):
                leaders[placement.link_id] = placement
    for placement in leaders.values():
        placement.is_chain_leader = rng.random() < LEADER_SHARE
    Placement.objects.bulk_update(
        placements, ["status", "decided_by", "decided_at", "is_chain_leader"], batch_size=1000
    )


def _leads(chains: list[Chain], officer: User) -> None:
    """The bureau has turned the best target of a few gaps of the first chains into leads of the pipeline."""
    for chain in chains:
        for found in recommend_for_chain(chain, per_link=1, unit=officer.unit)[:LEADS_PER_CHAIN]:
            if found.targets:
                best = found.targets[0]
                open_lead(link=found.coverage.link, enterprise=best.enterprise, by=officer, score=best.score)


# ---- the outside target pool --------------------------------------------------------------------


def _outside_pool(ctx: DemoContext, links: list[Link], bureau: Unit) -> None:
    rng = ctx.rng("chains.pool")
    fake = Fake(ctx.rng("chains.pool.people"))
    divisions = dict(Industry.objects.filter(level=Industry.Level.DIVISION).values_list("code", "id"))
    taken_names = set(Enterprise.objects.values_list("name", flat=True))
    taken_usccs = set(Enterprise.objects.exclude(uscc=None).values_list("uscc", flat=True))
    trades = _trades(rng)
    planned: list[tuple[Enterprise, str, list[str]]] = []
    for link in links:
        for _index in range(POOL_PER_LINK * ctx.scale):
            trade = next(trades)
            enterprise = _pool_enterprise(rng, fake, link, trade, divisions, taken_usccs)
            if enterprise.name in taken_names:
                continue
            taken_names.add(enterprise.name)
            short = f"{trade}{_name_word(link)}" if rng.random() < SHORT_NAME_SHARE else ""
            planned.append((enterprise, short, [tag for tag, share in POOL_TAGS if rng.random() < share]))
    Enterprise.objects.bulk_create([enterprise for enterprise, _short, _tags in planned], batch_size=1000)
    _pool_records(rng, fake, planned, bureau)


def _trades(rng) -> Iterator[str]:
    """字号 for the pool: the three-character ones, least likely to meet a local firm's name."""
    yield from vocabulary.more_trade_names(rng)


def _pool_enterprise(rng, fake: Fake, link: Link, trade: str, divisions: dict, taken_usccs: set) -> Enterprise:
    region = vocabulary.pick_region(rng, vocabulary.OUT_OF_TOWN_REGIONS)
    capital = vocabulary.registered_capital(rng, 500, 2_000_000)
    form = "股份有限公司" if capital >= 50_000 and rng.random() < 0.6 else "有限公司"
    word = _name_word(link)
    words = rng.sample(link.keywords, k=min(len(link.keywords), rng.choice((1, 2, 3))))
    division = rng.choice([code for code in link.industry_codes if code in divisions] or list(divisions))
    founded = vocabulary.founded_on(rng)
    enterprise = Enterprise(
        name=f"{vocabulary.pick_prefix(rng, region)}{trade}{word}{form}",
        uscc=None if rng.random() < WITHOUT_USCC_SHARE else _uscc(rng, taken_usccs, region.code, founded),
        legal_form=form,
        region_code=region.code,
        region_name=region.area,
        address=fake.address(region.area),
        registered_capital=capital,
        founded_on=founded,
        industry_id=divisions[division],
        business_scope=f"{'、'.join(words)}的研发、制造和销售；{SCOPE_TAIL}",
    )
    fill_enterprise_fields(enterprise)
    return enterprise


def _uscc(rng, taken: set, region_code: str, founded) -> str:
    return vocabulary.unique_uscc(rng, taken, region_code, new_style=founded.year >= vocabulary.NEW_CODES_SINCE)


def _name_word(link: Link) -> str:
    """The 行业 word of a pool name: the link's shortest keyword (科技 after a bare noun), else 科技."""
    short = sorted((word for word in link.keywords if 2 <= len(word) <= 4 and word.isalpha()), key=len)
    if not short:
        return "科技"
    return short[0] if short[0].endswith(("科技", "材料", "能源", "电子", "装备")) else f"{short[0]}科技"


def _pool_records(rng, fake: Fake, planned: list[tuple[Enterprise, str, list[str]]], bureau: Unit) -> None:
    """Full names (and a short one for as many as in the registry), tags, last year's figures for most and a
    contact of the bureau for about one in seven."""
    names, tagged, figures, contacts = [], [], [], []
    tag_ids = dict(Tag.objects.values_list("name", "id"))
    through = Enterprise.tags.through
    year = timezone.localdate().year - 1
    for enterprise, short, tags in planned:
        for name, kind in ((enterprise.name, EnterpriseName.Kind.FULL), (short, EnterpriseName.Kind.SHORT)):
            if name:
                row = EnterpriseName(enterprise=enterprise, name=name, kind=kind)
                fill_name_fields(row)
                names.append(row)
        tagged += [through(enterprise_id=enterprise.pk, tag_id=tag_ids[tag]) for tag in tags]
        if rng.random() < POOL_FIGURES_SHARE:
            revenue = (enterprise.registered_capital * Decimal(str(round(rng.uniform(0.5, 6), 2)))).quantize(
                Decimal("0.01")
            )
            figures.append(AnnualFigures(enterprise=enterprise, year=year, revenue=revenue, source="企业年报"))
        if rng.random() < POOL_CONTACT_SHARE:
            contacts.append(
                Contact(
                    enterprise=enterprise,
                    unit=bureau,
                    name=fake.person_name(),
                    title="投资总监",
                    phone=fake.mobile(),
                    note="产业链招商对接",
                )  # fmt: skip
            )
    EnterpriseName.objects.bulk_create(names, batch_size=2000)
    through.objects.bulk_create(tagged, batch_size=2000)
    AnnualFigures.objects.bulk_create(figures, batch_size=2000)
    Contact.objects.bulk_create(contacts, batch_size=2000)
