"""The demo city's business-support policies (惠企政策兑现): a "1+N" set, enterprises' figures, portal accounts,
service officers and a few hundred fulfilment cases in every state.

The set (policy_texts.py): the main policy 《关于支持实体经济高质量发展的若干政策》 of 示范市人民政府 and its
measures (工业、科技创新、招商引资、人才、外贸、中小企业、金融、文旅, and a 数字经济 measure not yet in force), an
expired older policy, a repealed one and a draft, about fifty items with rules, nine of them 免申即享. Dates move
with the day of the build. The local enterprises get two years of AnnualFigures (three in four of them: missing
figures are unknown), so that rules match some of them; the enterprises of investment projects get their
project's officer as 企业服务官; the demo's portal users act for enterprises (``qiye`` for a manufacturer).

The cases are data, not a workflow: written with bulk_create, each with the events of a path the state machine
of services/fulfilment.py allows (submit → propose → pass → pay, returns and resubmissions, rejections by the
department or the legal office, withdrawals, 免申即享 cases opened by the matcher and confirmed or declined, and
black-listed enterprises stopped), amounts within the item's cap, working-day deadlines (``step_due``) from the
item's limits — some open cases are past them.
"""

from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from apps.enterprises.models import AnnualFigures, Enterprise, EnterpriseAccount, ServiceOfficer
from apps.investment.models import Project
from apps.org import roles
from apps.org.models import Unit, User
from apps.policies import rules
from apps.policies.facts import facts_for_many
from apps.policies.models import (
    Fulfilment,
    FulfilmentEvent,
    MatchRun,
    Policy,
    PolicyItem,
    PolicyMatch,
)
from yingshang.demo import policy_cases
from yingshang.demo.context import DemoContext
from yingshang.demo.policy_cases import at
from yingshang.demo.policy_texts import POLICIES, PolicyText

FIGURES_SHARE = 0.75


def build(ctx: DemoContext) -> None:
    rng = ctx.rng("policies")
    today = timezone.localdate()
    units = {unit.code: unit for unit in Unit.objects.filter(code__startswith="990100")}
    officer = User.objects.get(username="zhengce")
    items = _documents(today, units, officer)
    local = list(Enterprise.objects.active().filter(region_code__startswith="99").order_by("id"))
    _figures(ctx, today, local)
    accounts = _accounts(ctx, local)
    _service_officers(today)
    matched, facts = _matches(today, items, local)
    policy_cases.build_cases(ctx, rng, today, items, local, accounts, units, matched, facts)


def clear() -> None:
    FulfilmentEvent.objects.all().delete()
    Fulfilment.objects.all().delete()
    PolicyMatch.objects.all().delete()
    MatchRun.objects.all().delete()
    PolicyItem.objects.all().delete()
    Policy.objects.filter(kind=Policy.Kind.MEASURE).delete()
    Policy.objects.all().delete()
    AnnualFigures.objects.all().delete()
    EnterpriseAccount.objects.all().delete()
    ServiceOfficer.objects.all().delete()


def counts() -> dict[str, int]:
    return {
        "policies": Policy.objects.count(),
        "items": PolicyItem.objects.count(),
        "cases": Fulfilment.objects.count(),
    }


# ---- documents and items ------------------------------------------------------------------------


def _dates(text: PolicyText, today: date, index: int) -> dict:
    base = today - timedelta(days=300)
    if text.timing == "main":
        issued, effective, expires = base, base + timedelta(days=14), date(base.year + 3, 12, 31)
    elif text.timing == "measure":
        issued = base + timedelta(days=20 + 6 * index)
        issued, effective, expires = issued, issued + timedelta(days=10), date(base.year + 3, 12, 31)
    elif text.timing == "pending":
        issued, effective, expires = today - timedelta(days=10), today + timedelta(days=20), None
    elif text.timing == "expired":
        issued = date(base.year - 4, 2, 10)
        issued, effective, expires = issued, issued + timedelta(days=5), date(base.year - 2, 12, 31)
    elif text.timing == "repealed":
        issued, effective, expires = date(base.year - 3, 6, 1), date(base.year - 3, 6, 15), None
    else:  # draft
        issued, effective, expires = today - timedelta(days=5), today + timedelta(days=30), None
    return {"issued_on": issued, "effective_from": effective, "expires_on": expires}


def _documents(today: date, units: dict, officer: User) -> list[PolicyItem]:
    """Main policies first (the measures point at them), then the measures; then every item."""
    made: dict[str, Policy] = {}
    for level in ("main", "measure"):
        batch = []
        for index, text in enumerate(POLICIES):
            if text.kind != level:
                continue
            dates = _dates(text, today, index)
            policy = Policy(
                title=text.title, document_number=text.number.format(year=dates["issued_on"].year), kind=text.kind,
                parent=made.get(text.parent), issuing_unit=units[text.issuer], created_by=officer,
                published_at=None if text.timing == "draft" else at(dates["issued_on"] + timedelta(days=1)),
                summary=f"{text.title}共{len(text.items)}条兑现事项，由{units[text.issuer].name}负责解释。", **dates,
            )  # fmt: skip
            made[text.key] = policy
            batch.append(policy)
        Policy.objects.bulk_create(batch)
    main = made["main"]
    Policy.objects.filter(pk=made["private"].pk).update(
        repealed_on=main.effective_from, repeal_note=f"被《{main.title}》（{main.document_number}）整合替代"
    )
    items = [
        PolicyItem(
            policy=made[text.key],
            number=t.number,
            title=t.title,
            benefit_kind=t.benefit_kind,
            benefit=t.benefit,
            fixed_amount=_amount(t.fixed),
            cap_amount=_amount(t.cap),
            beneficiaries=t.beneficiaries,
            conditions=t.conditions,
            materials=t.materials,
            department=units[t.department],
            rule=rules.parse(t.rule),
            auto_grant=t.auto_grant,
            review_days=15 if t.cap and t.cap >= 500 else 10,
            legal_days=5,
            payment_days=10,
            position=position,
        )  # fmt: skip
        for text in POLICIES
        for position, t in enumerate(text.items, start=1)
    ]
    PolicyItem.objects.bulk_create(items)
    return list(PolicyItem.objects.select_related("policy").order_by("id"))


def _amount(value: int | None) -> Decimal | None:
    return None if value is None else Decimal(value)


# ---- enterprises' figures, accounts and officers -----------------------------------------------


def _scale(capital: Decimal | None, rng) -> str:
    capital = capital or Decimal(100)
    if capital >= 20000:
        return rng.choice(("large", "large", "medium"))
    if capital >= 3000:
        return rng.choice(("medium", "medium", "small"))
    return "small" if capital >= 300 else "micro"


EMPLOYEES = {"large": (1000, 5000), "medium": (300, 999), "small": (20, 299), "micro": (2, 19)}
REVENUE = {"large": (40000, 400000), "medium": (5000, 40000), "small": (500, 5000), "micro": (30, 500)}


def _figures(ctx: DemoContext, today: date, local: list[Enterprise]) -> None:
    """Two years of figures for three in four local enterprises (last year's and the year before)."""
    rng = ctx.rng("policies.figures")
    research = set(Enterprise.objects.filter(industry__code__regex=r"^(C|I|M|[1-4][0-9]|6[3-5]|7[3-5])$")
                   .values_list("id", flat=True))  # fmt: skip
    rows = []
    for enterprise in local:
        if rng.random() > FIGURES_SHARE:
            continue
        scale = _scale(enterprise.registered_capital, rng)
        revenue = Decimal(rng.randint(*REVENUE[scale]))
        employees = rng.randint(*EMPLOYEES[scale])
        growth = Decimal(str(round(rng.uniform(0.8, 1.35), 2)))
        for year, factor in ((today.year - 1, Decimal(1)), (today.year - 2, 1 / growth)):
            income = (revenue * factor).quantize(Decimal("0.01"))
            rd = (income * Decimal(str(round(rng.uniform(0.01, 0.07), 3)))).quantize(Decimal("0.01"))
            rows.append(AnnualFigures(
                enterprise=enterprise, year=year, scale=scale, revenue=income,
                tax=(income * Decimal(str(round(rng.uniform(0.02, 0.08), 3)))).quantize(Decimal("0.01")),
                employees=max(1, round(employees * float(factor))),
                rd_expense=rd if enterprise.pk in research else None, source="市统计局、市税务局共享数据",
            ))  # fmt: skip
    AnnualFigures.objects.bulk_create(rows, batch_size=1000)


def _accounts(ctx: DemoContext, local: list[Enterprise]) -> dict[int, User]:
    """The portal users act for local enterprises: ``qiye`` for a manufacturer with figures; enterprise → user."""
    rng = ctx.rng("policies.accounts")
    users = list(User.objects.filter(unit=None, roles__code=roles.ENTERPRISE_USER).order_by("username"))
    with_figures = set(AnnualFigures.objects.filter(revenue__gte=2000).values_list("enterprise_id", flat=True))
    manufacturers = set(Enterprise.objects.filter(industry__code__regex=r"^(C|1[3-9]|[2-3][0-9]|4[0-3])$")
                        .values_list("id", flat=True))  # fmt: skip
    makers = [e for e in local if e.pk in with_figures and e.pk in manufacturers and e.uscc][:1]
    others = rng.sample([e for e in local if e.uscc and e not in makers], k=len(users))
    chosen = dict(zip((u for u in users if u.username == "qiye"), makers, strict=False))
    rest = [u for u in users if u.username != "qiye"]
    chosen.update(zip(rest, others, strict=False))
    EnterpriseAccount.objects.bulk_create([EnterpriseAccount(user=u, enterprise=e) for u, e in chosen.items()])
    return {e.pk: u for u, e in chosen.items()}


def _service_officers(today: date) -> None:
    """The officer who registered an enterprise's investment project looks after it (企业服务官)."""
    seen, rows = set(), []
    projects = Project.objects.filter(enterprise__isnull=False, created_by__isnull=False).order_by("id")
    for enterprise_id, officer_id, created in projects.values_list("enterprise_id", "created_by_id", "created_at"):
        if (enterprise_id, officer_id) in seen:
            continue
        seen.add((enterprise_id, officer_id))
        rows.append(ServiceOfficer(enterprise_id=enterprise_id, officer_id=officer_id,
                                   since=min(today, timezone.localtime(created).date())))  # fmt: skip
    ServiceOfficer.objects.bulk_create(rows, batch_size=1000)


def _matches(today: date, items: list[PolicyItem], local: list[Enterprise]) -> tuple[dict, dict]:
    """What a matching run over the in-force items finds today (item id → enterprise ids), saved as current
    matches first seen when the policy took effect, and one finished MatchRun."""
    facts = {}
    ids = [e.pk for e in local]
    for start in range(0, len(ids), 500):
        facts.update(facts_for_many(ids[start : start + 500], today))
    in_force = [i for i in items if i.policy.state_on(today) == "in_force" and not rules.is_empty(i.rule)]
    matched = {item.pk: [pk for pk in ids if rules.holds(item.rule, facts[pk])] for item in in_force}
    MatchRun.objects.create(
        status=MatchRun.Status.FINISHED, stage="完成", enterprises=len(ids), items=len(in_force),
        processed=len(in_force), matches=sum(map(len, matched.values())), seconds=4.2, finished_at=at(today, 2),
    )  # fmt: skip
    by_pk = {item.pk: item for item in in_force}
    rows = [
        PolicyMatch(
            item_id=item_id,
            enterprise_id=pk,
            current=True,
            changed_at=at(by_pk[item_id].policy.effective_from, 2),
            first_matched_at=at(by_pk[item_id].policy.effective_from, 2),
        )  # fmt: skip
        for item_id, enterprise_ids in matched.items()
        for pk in enterprise_ids
    ]
    PolicyMatch.objects.bulk_create(rows, batch_size=2000)
    return matched, facts
