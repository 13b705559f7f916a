"""The administrator's configuration of the pipeline: time limits, stage gates, screening rules."""

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.utils.translation import gettext as _

from apps.core.audit import records_actor
from apps.core.errors import BusinessRuleError
from apps.investment.models import PipelineSettings, Project, ProjectDocument, ScreeningRule, Stage, StageGate

#: the project fields a gate may require, in the order the form shows them
GATE_FIELDS = (
    "industry", "planned_investment", "contracted_investment", "fixed_asset_investment", "expected_tax",
    "expected_jobs", "energy_use", "land_area", "description", "introducer",
)  # fmt: skip
#: rules that compare an amount need a threshold; the others need industries or keywords
THRESHOLD_KINDS = {ScreeningRule.Kind.MIN_PER_MU, ScreeningRule.Kind.MIN_INVESTMENT}


def gate_field_choices() -> list[tuple[str, str]]:
    return [(name, str(Project._meta.get_field(name).verbose_name)) for name in GATE_FIELDS]


@records_actor
@transaction.atomic
def save_settings(*, by: AbstractBaseUser, **values: object) -> PipelineSettings:
    settings = PipelineSettings.current()
    for name, value in values.items():
        setattr(settings, name, value)
    if settings.assess_days < settings.respond_days:
        raise BusinessRuleError(_("研判时限不能短于响应时限。"), field="assess_days")
    settings.save()
    return settings


@records_actor
@transaction.atomic
def save_gate(
    *, stage: Stage, required_fields: list[str], required_documents: list[str], needs_approval: bool,
    by: AbstractBaseUser,
) -> StageGate:  # fmt: skip
    """Set what a project needs to reach ``stage``; a lead needs nothing, it is where projects start."""
    if stage == Stage.LEAD:
        raise BusinessRuleError(_("线索阶段没有准入条件。"))
    unknown = set(required_fields) - set(GATE_FIELDS) or set(required_documents) - set(ProjectDocument.Kind.values)
    if unknown:
        raise BusinessRuleError(_("未知的条件：%(names)s。") % {"names": "、".join(sorted(unknown))})
    gate, _created = StageGate.objects.get_or_create(stage=stage)
    gate.required_fields = [name for name in GATE_FIELDS if name in required_fields]
    gate.required_documents = [kind for kind in ProjectDocument.Kind.values if kind in required_documents]
    gate.needs_approval = needs_approval
    gate.save()
    return gate


@records_actor
@transaction.atomic
def save_screening_rule(*, rule: ScreeningRule, industries, by: AbstractBaseUser) -> ScreeningRule:
    """Check that the rule can say something, then keep it (industries are set after the first save)."""
    if rule.kind in THRESHOLD_KINDS and rule.threshold is None:
        raise BusinessRuleError(_("该类规则须填写标准。"), field="threshold")
    if rule.kind not in THRESHOLD_KINDS and not industries and not rule.keywords.strip():
        raise BusinessRuleError(_("请选择适用行业或填写关键词。"), field="keywords")
    rule.save()
    rule.industries.set(industries)
    return rule
