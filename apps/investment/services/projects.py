"""Registering leads and keeping a project's record: details, participants, documents, talks, funds."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from uuid import uuid4

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.audit import records_actor
from apps.core.errors import BusinessRuleError
from apps.enterprises.models import Enterprise
from apps.investment.models import (
    Claim,
    FundRecord,
    NegotiationRound,
    PipelineSettings,
    Project,
    ProjectDocument,
    ProjectParticipant,
    Stage,
    StageChange,
)
from apps.investment.services.claims import claim_for, holder_of
from apps.investment.services.kpi_rollup import refresh_for, refresh_units
from apps.investment.services.screening import Outcome, record_outcomes, refusals, screen

#: the fields a person edits on a project's record (stage, status and dates move through the workflow)
DETAIL_FIELDS = (
    "name", "industry", "channel", "kind", "description", "introducer", "team", "event", "planned_investment",
    "contracted_investment", "counted_before", "fixed_asset_investment", "investor_out_of_province",
    "investor_foreign", "expected_tax", "expected_jobs", "energy_use", "land_area",
)  # fmt: skip


@dataclass
class Registration:
    project: Project
    claim: Claim
    screening: list[Outcome] = field(default_factory=list)

    @property
    def in_conflict(self) -> bool:
        return self.claim.status == Claim.Status.WAITING


def _full_clean(obj: models.Model, exclude: tuple[str, ...] = ()) -> None:
    try:
        obj.full_clean(exclude=list(exclude), validate_unique=False)
    except ValidationError as exc:
        name, messages = next(iter(exc.message_dict.items()))
        label = obj._meta.get_field(name).verbose_name if name != "__all__" else ""
        raise BusinessRuleError(f"{label}：{' '.join(messages)}" if label else " ".join(messages), field=name) from exc


def project_code(project: Project) -> str:
    """XM2026-000123: the year of registration and the record's number (unique without a counter to race on)."""
    return f"XM{timezone.localdate().year}-{project.pk:06d}"


def screen_lead(project: Project) -> list[Outcome]:
    """What the screening rules say about a lead before it is saved (refusals raise)."""
    outcomes = screen(project)
    refused = refusals(outcomes)
    if refused:
        raise BusinessRuleError(" ".join(o.message for o in refused))
    return outcomes


@records_actor
@transaction.atomic
def register_lead(
    *, enterprise: Enterprise, unit, by: AbstractBaseUser, responded: bool = False, **details: object
) -> Registration:
    """Record a lead (全员招商): screened, claimed for its unit or routed to coordination, on the timeline."""
    if enterprise.status != Enterprise.Status.ACTIVE:
        raise BusinessRuleError(_("该企业记录已被合并，请选择合并后的企业。"), field="enterprise")
    project = Project(enterprise=enterprise, unit=unit, created_by=by, stage=Stage.LEAD, counted_stage=Stage.LEAD)
    for name, value in details.items():
        if name not in DETAIL_FIELDS:
            raise TypeError(name)
        setattr(project, name, value.strip() if isinstance(value, str) else value)
    project.code = f"new-{uuid4().hex[:16]}"
    _full_clean(project, exclude=("code", "created_by", "unit", "enterprise"))
    outcomes = screen_lead(project)
    if responded:
        project.responded_at = timezone.now()
    project.save()
    project.code = project_code(project)
    Project.objects.filter(pk=project.pk).update(code=project.code)
    StageChange.objects.create(
        project=project, kind=StageChange.Kind.REGISTER, to_stage=Stage.LEAD, happened_on=timezone.localdate(), by=by
    )
    record_outcomes(project, outcomes)
    _add_participants(project, by)
    return Registration(project=project, claim=claim_for(project), screening=outcomes)


def _add_participants(project: Project, by) -> None:
    """The coordinating bureau oversees every project; the recorder's unit keeps sight of the lead it gave."""
    coordinating = PipelineSettings.current().coordinating_unit
    if coordinating is not None and not project.unit.path.startswith(coordinating.path):
        ProjectParticipant.objects.get_or_create(
            project=project, unit=coordinating, defaults={"role": str(_("统筹协调"))}
        )
    recorder = getattr(by, "unit", None)
    if recorder is not None and not project.unit.path.startswith(recorder.path):
        ProjectParticipant.objects.get_or_create(project=project, unit=recorder, defaults={"role": str(_("线索提供"))})


def who_holds(enterprise: Enterprise, unit) -> Claim | None:
    """Before registering: another unit's claim on the enterprise, to warn the person."""
    return holder_of(enterprise, excluding_unit=unit)


@records_actor
@transaction.atomic
def respond_to_lead(*, project: Project, by: AbstractBaseUser) -> Project:
    """The owning unit takes the lead up (响应): the first of the lead's time limits is met."""
    if project.stage != Stage.LEAD or project.responded_at is not None:
        raise BusinessRuleError(_("该线索已响应。"))
    Project.objects.filter(pk=project.pk, responded_at=None).update(responded_at=timezone.now())
    project.refresh_from_db(fields=["responded_at"])
    return project


@records_actor
@transaction.atomic
def update_project(*, project: Project, by: AbstractBaseUser, **details: object) -> Project:
    """Change a project's details; the stage moves only through the workflow."""
    for name, value in details.items():
        if name not in DETAIL_FIELDS:
            raise TypeError(name)
        setattr(project, name, value.strip() if isinstance(value, str) else value)
    if project.counted_before and project.kind == Project.Kind.NEW:
        raise BusinessRuleError(_("新建项目没有此前已统计的投资；增资扩建或升格项目才填写。"), field="counted_before")
    _full_clean(project, exclude=("created_by", "unit", "enterprise"))
    project.save()
    # kind, contracted and counted-before investment decide whether its signing counts (不重复统计)
    refresh_for(project)
    return project


@records_actor
@transaction.atomic
def add_document(*, project: Project, kind: str, upload, title: str = "", by: AbstractBaseUser) -> ProjectDocument:
    """Attach evidence to a project (a signed contract, a construction permit, a photo …)."""
    document = ProjectDocument(project=project, kind=kind, title=title.strip(), file=upload, uploaded_by=by)
    _full_clean(document, exclude=("project", "uploaded_by"))
    document.save()
    return document


@records_actor
@transaction.atomic
def record_negotiation(*, project: Project, by: AbstractBaseUser, **fields: object) -> NegotiationRound:
    """Add a round of talks (洽谈记录)."""
    talks = NegotiationRound(project=project, recorded_by=by, **fields)
    if talks.held_on and talks.held_on > timezone.localdate():
        raise BusinessRuleError(_("洽谈日期不能晚于今天。"), field="held_on")
    if talks.next_on and talks.held_on and talks.next_on < talks.held_on:
        raise BusinessRuleError(_("下次洽谈日期不能早于本次。"), field="next_on")
    _full_clean(talks, exclude=("project", "recorded_by"))
    talks.save()
    return talks


@records_actor
@transaction.atomic
def record_funds(
    *,
    project: Project,
    month: date,
    amount: Decimal,
    out_of_province: Decimal = Decimal(0),
    foreign: Decimal = Decimal(0),
    fixed_asset: Decimal = Decimal(0),
    note: str = "",
    by: AbstractBaseUser,
) -> FundRecord:
    """Enter (or correct) the funds in place in one month; only a signed project has funds in place."""
    if Stage(project.counted_stage).rank < Stage.SIGNED.rank and Stage(project.stage).rank < Stage.SIGNED.rank:
        raise BusinessRuleError(_("项目签约后才能填报到位资金。"))
    month = month.replace(day=1)
    if month > timezone.localdate().replace(day=1):
        raise BusinessRuleError(_("不能填报未来月份的到位资金。"), field="month")
    if out_of_province > amount or foreign > amount:
        raise BusinessRuleError(_("省外资金和外资都不能超过当月到位资金。"), field="out_of_province")
    record, _created = FundRecord.objects.update_or_create(
        project=project,
        month=month,
        defaults={
            "amount": amount,
            "out_of_province": out_of_province,
            "foreign": foreign,
            "fixed_asset": fixed_asset,
            "note": note.strip(),
            "entered_by": by,
        },
    )
    refresh_units({project.unit_id}, months={month})
    return record


@records_actor
@transaction.atomic
def add_participant(*, project: Project, unit, role: str = "", by: AbstractBaseUser) -> ProjectParticipant:
    """A unit that takes part in the project (协办) and therefore sees it."""
    if unit.pk == project.unit_id:
        raise BusinessRuleError(_("责任单位不必再添加为参与单位。"), field="unit")
    participant, created = ProjectParticipant.objects.get_or_create(project=project, unit=unit, defaults={"role": role})
    if not created:
        raise BusinessRuleError(_("“%(unit)s”已是参与单位。") % {"unit": unit.name}, field="unit")
    return participant
