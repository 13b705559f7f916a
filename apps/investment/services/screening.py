"""选商: the administrator's screening rules, run when a lead is registered and when a project signs.

A rule of kind 信用红黑名单 asks the supervision app what the investor's credit entries in force mean at
screening (its CreditEffectRule rows): a black-listed investor is flagged with the listing's reason, with the
rule's action (提示 unless the administrator makes it 不予登记); a red-listed one gets a 绿色通道 note, always a
提示. ``record_outcomes`` logs each effect it keeps for the enterprise (the supervision app's CreditEffectLog).
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.urls import reverse
from django.utils.translation import gettext as _

from apps.investment.models import Project, ScreeningResult, ScreeningRule


@dataclass(frozen=True)
class Outcome:
    rule: ScreeningRule
    action: str
    message: str
    #: the credit effect (apps.supervision.services.credit.AppliedEffect) behind a 信用红黑名单 outcome
    credit: object = field(default=None, compare=False)


def active_rules() -> list[ScreeningRule]:
    return list(ScreeningRule.objects.filter(is_active=True).prefetch_related("industries"))


def screen(project: Project, *, rules: list[ScreeningRule] | None = None) -> list[Outcome]:
    """What the active rules (or ``rules``, loaded once for many projects) say about the project as it
    stands; nothing is written."""
    outcomes = []
    for rule in active_rules() if rules is None else rules:
        if rule.kind == ScreeningRule.Kind.CREDIT:
            outcomes += _credit(rule, project)
            continue
        message = _check(rule, project)
        if message:
            outcomes.append(Outcome(rule, rule.action, message))
    return outcomes


def _credit(rule: ScreeningRule, project: Project) -> list[Outcome]:
    from apps.supervision.services.credit import screening_effects

    enterprise = project.enterprise if project.enterprise_id else None
    return [
        Outcome(rule, rule.action if effect.entry.is_black else ScreeningRule.Action.WARN, effect.message, effect)
        for effect in screening_effects(enterprise)
    ]


def _check(rule: ScreeningRule, project: Project) -> str:
    if rule.kind == ScreeningRule.Kind.MIN_PER_MU:
        return _per_mu(rule, project)
    if rule.kind == ScreeningRule.Kind.MIN_INVESTMENT:
        amount = project.contracted_investment or project.planned_investment
        if amount is not None and rule.threshold is not None and amount < rule.threshold:
            return _("%(rule)s：投资额 %(amount)s 万元低于 %(threshold)s 万元。") % {
                "rule": rule.name, "amount": amount, "threshold": rule.threshold,
            }  # fmt: skip
        return ""
    return _matches(rule, project)


def _matches(rule: ScreeningRule, project: Project) -> str:
    industries = {industry.pk for industry in rule.industries.all()}
    in_industry = project.industry_id is not None and project.industry_id in industries
    text = f"{project.name}{project.description}"
    words = [w.strip() for w in rule.keywords.replace("，", "、").split("、") if w.strip()]
    found = next((word for word in words if word in text), "")
    if not (in_industry or found):
        return ""
    what = (
        _("关键词“%(word)s”") % {"word": found} if found else _("行业“%(industry)s”") % {"industry": project.industry}
    )
    return _("%(rule)s：项目涉及%(what)s（%(basis)s）。") % {
        "rule": rule.name,
        "what": what,
        "basis": rule.basis or "—",
    }


def _per_mu(rule: ScreeningRule, project: Project) -> str:
    amount = project.contracted_investment or project.planned_investment
    if not (amount and project.land_area and rule.threshold):
        return ""
    per_mu = Decimal(amount) / Decimal(project.land_area)
    if per_mu >= rule.threshold:
        return ""
    return _("%(rule)s：亩均投资 %(per_mu)s 万元/亩，低于 %(threshold)s 万元/亩。") % {
        "rule": rule.name, "per_mu": per_mu.quantize(Decimal("0.1")), "threshold": rule.threshold,
    }  # fmt: skip


def record_outcomes(project: Project, outcomes: list[Outcome]) -> None:
    """Keep what the rules said, and take the project out of statistics where a rule says so."""
    ScreeningResult.objects.bulk_create(
        [
            ScreeningResult(project=project, rule=o.rule, action=o.action, at_stage=project.stage, message=o.message)
            for o in outcomes
        ]
    )
    credit = [o.credit for o in outcomes if o.credit is not None]
    if credit:
        from apps.supervision.services.credit import log_effects

        label = f"{project.code} {project.name}"
        log_effects(credit, key=f"investment.project:{project.pk}", label=label, url=project_url(project))
    if any(o.action == ScreeningRule.Action.EXCLUDE for o in outcomes) and not project.excluded_from_statistics:
        Project.objects.filter(pk=project.pk).update(excluded_from_statistics=True)
        project.excluded_from_statistics = True


def refusals(outcomes: list[Outcome]) -> list[Outcome]:
    return [o for o in outcomes if o.action == ScreeningRule.Action.REFUSE]


def project_url(project: Project) -> str:
    return reverse("investment:project_detail", args=[project.pk])
