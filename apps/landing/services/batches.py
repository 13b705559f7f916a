"""Batch starts (集中开工): projects that start construction together on one day, and their start.

Registering the starts moves each project still at 签约 that the user's unit owns to 开工 on the
day of the event through the pipeline (``advance_project``): its gates, date rules and the level
above's confirmation apply to each project, and one project's refusal does not stop the others.
"""

from dataclasses import dataclass
from datetime import date

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.core.audit import records_actor
from apps.core.errors import BusinessRuleError
from apps.investment import permissions as pipeline
from apps.investment.models import Project, Stage, StageChange
from apps.investment.services.workflow import advance_project
from apps.landing import permissions
from apps.landing.models import BatchStart

#: the projects a batch start may list: signed, or already started (reported stage)
BATCH_STAGES = (Stage.SIGNED, Stage.STARTED)
DETAIL_FIELDS = ("name", "unit", "held_on", "venue", "note")


@dataclass(frozen=True)
class StartOutcome:
    DONE = "done"
    PENDING = "pending"
    REFUSED = "refused"
    SKIPPED = "skipped"
    LABELS = {
        DONE: gettext_lazy("已登记开工"),
        PENDING: gettext_lazy("已报送开工，待上级确认"),
        REFUSED: gettext_lazy("未能登记"),
        SKIPPED: gettext_lazy("未处理"),
    }

    project: Project
    result: str
    message: str = ""

    @property
    def label(self) -> str:
        return str(self.LABELS[self.result])


def can_change(user, batch: BatchStart | None = None) -> bool:
    """The right to keep batch starts; an existing one is kept by its organising unit's side."""
    if not user.has_perm(permissions.CHANGE_BATCH):
        return False
    return batch is None or permissions.in_unit(user, batch.unit)


def _check_details(details: dict, by) -> None:
    if not (details.get("name") or "").strip():
        raise BusinessRuleError(_("请填写活动名称。"), field="name")
    if details.get("held_on") is None:
        raise BusinessRuleError(_("请填写开工日期。"), field="held_on")
    if not permissions.in_unit(by, details.get("unit")):
        raise BusinessRuleError(_("主办单位须是本单位或下级单位。"), field="unit")


@records_actor
@transaction.atomic
def create_batch_start(
    *, name: str, unit, held_on: date, venue: str = "", note: str = "", by: AbstractBaseUser
) -> BatchStart:
    """Register a batch start organised by the user's unit or a unit below it."""
    if not can_change(by):
        raise BusinessRuleError(_("没有登记集中开工的权限。"))
    details = {"name": name, "unit": unit, "held_on": held_on, "venue": venue, "note": note}
    _check_details(details, by)
    return BatchStart.objects.create(
        name=name.strip(), unit=unit, held_on=held_on, venue=venue.strip(), note=note.strip(), created_by=by
    )


@records_actor
@transaction.atomic
def update_batch_start(*, batch: BatchStart, by: AbstractBaseUser, **details: object) -> BatchStart:
    """Change the event's name, organiser, day, venue or note."""
    if not can_change(by, batch):
        raise BusinessRuleError(_("只有主办单位可以修改该集中开工活动。"))
    for name in details:
        if name not in DETAIL_FIELDS:
            raise TypeError(name)
    merged = {name: details.get(name, getattr(batch, name)) for name in DETAIL_FIELDS}
    _check_details(merged, by)
    if merged["held_on"] != batch.held_on and starts_registered(batch):
        raise BusinessRuleError(
            _("已按原开工日期登记了项目开工，不能再修改开工日期；如日期有误，请先在项目中退回开工登记。"),
            field="held_on",
        )
    for name, value in merged.items():
        setattr(batch, name, value.strip() if isinstance(value, str) else value)
    batch.save()
    return batch


def starts_registered(batch: BatchStart) -> bool:
    """Some listed project's start was registered from the batch (on its day, naming it)."""
    reason = _("集中开工：%(name)s") % {"name": batch.name}
    return StageChange.objects.filter(
        project__in=batch.projects.all(), to_stage=Stage.STARTED, happened_on=batch.held_on, reason=reason
    ).exists()


def addable_projects(user, batch: BatchStart):
    """Signed or started, still moving projects in the user's scope that the batch does not list yet."""
    return (
        pipeline.visible_projects(user)
        .filter(stage__in=BATCH_STAGES, status=Project.Status.ACTIVE)
        .exclude(pk__in=batch.projects.values("pk"))
        .select_related("unit", "enterprise")
        .order_by("unit__path", "name")
    )


@records_actor
@transaction.atomic
def add_batch_projects(*, batch: BatchStart, projects, by: AbstractBaseUser) -> int:
    """List projects in the batch; returns how many were added."""
    if not can_change(by, batch):
        raise BusinessRuleError(_("只有主办单位可以调整开工项目。"))
    allowed = set(addable_projects(by, batch).values_list("pk", flat=True))
    chosen = list(projects)
    refused = [p for p in chosen if p.pk not in allowed]
    if refused:
        raise BusinessRuleError(
            _("只能加入本单位可见、已签约或已开工的项目：%(names)s。") % {"names": "、".join(p.name for p in refused)},
            field="projects",
        )
    batch.projects.add(*chosen)
    return len(chosen)


@records_actor
@transaction.atomic
def remove_batch_project(*, batch: BatchStart, project: Project, by: AbstractBaseUser) -> None:
    """Take a project off the batch (its stage is left as it is)."""
    if not can_change(by, batch):
        raise BusinessRuleError(_("只有主办单位可以调整开工项目。"))
    batch.projects.remove(project)


@records_actor
@transaction.atomic
def register_batch_starts(*, batch: BatchStart, by: AbstractBaseUser) -> list[StartOutcome]:
    """Move each listed project still at 签约 that the user owns to 开工 on the day of the event."""
    if not can_change(by, batch):
        raise BusinessRuleError(_("只有主办单位可以登记集中开工。"))
    if batch.held_on > timezone.localdate():
        raise BusinessRuleError(_("开工日期还未到，请在活动当天或之后登记开工。"))
    projects = batch.projects.select_related("unit").order_by("unit__path", "name")
    return [_start(project, batch, by) for project in projects]


def _start(project: Project, batch: BatchStart, by) -> StartOutcome:
    if project.stage != Stage.SIGNED:
        return StartOutcome(
            project, StartOutcome.SKIPPED, _("项目当前阶段为“%(stage)s”。") % {"stage": project.get_stage_display()}
        )
    if not (by.has_perm(pipeline.CHANGE) and pipeline.owns(by, project)):
        return StartOutcome(project, StartOutcome.SKIPPED, _("不是本单位负责的项目，由其责任单位登记。"))
    reason = _("集中开工：%(name)s") % {"name": batch.name}
    try:
        with transaction.atomic():  # a savepoint: one refusal leaves the others registered
            change = advance_project(project=project, happened_on=batch.held_on, reason=reason, by=by)
    except BusinessRuleError as error:
        project.refresh_from_db()
        return StartOutcome(project, StartOutcome.REFUSED, error.message)
    if change.approval == StageChange.Approval.PENDING:
        return StartOutcome(project, StartOutcome.PENDING)
    return StartOutcome(project, StartOutcome.DONE)
