"""Keeping commitments and their cases: the chain of steps, recording a case, the article-36 explanation,
cases made from the landing procedure checklists, and recomputing durations after a calendar change.

Rules, each refused in Chinese with a BusinessRuleError naming the field:

- only the business-environment keepers (MANAGE_COMMITMENT) change a commitment and its steps;
- a case is recorded by a holder of RECORD_CASE for an area (city, county or zone) in their own subtree, or
  by a department taking part in it (it owns one of its steps); keepers record anywhere;
- dates: received no later than today; completed on or after received; each step starts on or after the
  receipt and ends on or after its start and by the completion; each clock stop lies inside the case
  (from receipt to completion, or to today while in progress), ends on or after its start, and does not
  overlap another stop;
- the limit that applies is the commitment's when the case is first recorded (a checklist's own committed
  days for a case made from it); the working days are computed and stored on every save;
- an explanation is written for a late case only (completed over its limit, or in progress past it).
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.bizenv import permissions
from apps.bizenv.models import Case, CaseStep, ClockStop, Commitment, CommitmentStep
from apps.bizenv.services.commitments import WorkdayCounter, case_working_days, net_working_days
from apps.core.audit import records_actor
from apps.core.errors import BusinessRuleError
from apps.core.workdays import chinese_date
from apps.enterprises.uscc import is_valid_uscc
from apps.org.models import Unit


@dataclass(frozen=True)
class StepInput:
    name: str
    limit_days: int
    department: Unit | None = None
    started_on: date | None = None
    ended_on: date | None = None


@dataclass(frozen=True)
class StopInput:
    reason: str
    starts_on: date
    ends_on: date
    note: str = ""


@dataclass(frozen=True)
class ChainStep:
    name: str
    limit_days: int
    department: Unit | None = None


# ---- commitments --------------------------------------------------------------------------------------


COMMITMENT_FIELDS = ("name", "description", "legal_basis", "limit_days", "unit", "indicator_code", "is_active", "order")


@records_actor
@transaction.atomic
def save_commitment(
    *, commitment: Commitment | None, code: str, steps: Sequence[ChainStep], by: AbstractBaseUser, **fields
) -> Commitment:
    """Create (``commitment=None``) or change a commitment and replace its chain of steps."""
    permissions.require(permissions.can_manage_commitments(by))
    commitment = commitment or Commitment()
    if Commitment.objects.filter(code=code).exclude(pk=commitment.pk).exists():
        raise BusinessRuleError(_("事项代码“%(code)s”已被使用。") % {"code": code}, field="code")
    _check_chain(steps)
    commitment.code = code
    for name in COMMITMENT_FIELDS:
        if name in fields:
            setattr(commitment, name, fields[name])
    commitment.full_clean()
    commitment.save()
    commitment.steps.all().delete()
    CommitmentStep.objects.bulk_create(
        CommitmentStep(commitment=commitment, order=n, name=s.name, department=s.department, limit_days=s.limit_days)
        for n, s in enumerate(steps, start=1)
    )
    return commitment


def _check_chain(steps: Sequence[ChainStep]) -> None:
    names = [step.name.strip() for step in steps]
    if len(set(names)) != len(names):
        raise BusinessRuleError(_("环节名称不能重复。"), field="steps")
    if any(not name for name in names):
        raise BusinessRuleError(_("请填写环节名称。"), field="steps")


# ---- cases --------------------------------------------------------------------------------------------


@records_actor
@transaction.atomic
def record_case(
    *,
    commitment: Commitment,
    unit: Unit,
    number: str,
    applicant_name: str,
    received_on: date,
    by: AbstractBaseUser | None,
    applicant_uscc: str = "",
    completed_on: date | None = None,
    steps: Sequence[StepInput] | None = None,
    stops: Sequence[StopInput] = (),
    source: str = Case.Source.MANUAL,
    checklist=None,
    limit_days: int | None = None,
    counter: WorkdayCounter | None = None,
) -> Case:
    """Record a new case; without ``steps`` it gets the commitment's chain with no dates yet."""
    if by is not None:
        permissions.require(permissions.can_record_in(by, unit))
    if steps is None:
        steps = [StepInput(s.name, s.limit_days, s.department) for s in commitment.steps.all()]
    case = Case(
        commitment=commitment, unit=unit, source=source, checklist=checklist, created_by=by,
        limit_days=limit_days if limit_days is not None else commitment.limit_days,
    )  # fmt: skip
    return _save(case, number, applicant_name, applicant_uscc, received_on, completed_on, steps, stops, counter)


@records_actor
@transaction.atomic
def update_case(
    *,
    case: Case,
    by: AbstractBaseUser | None,
    number: str,
    applicant_name: str,
    received_on: date,
    applicant_uscc: str = "",
    completed_on: date | None = None,
    steps: Sequence[StepInput] | None = None,
    stops: Sequence[StopInput] | None = None,
    unit: Unit | None = None,
    counter: WorkdayCounter | None = None,
) -> Case:
    """Change a case's dates, steps and stops (None keeps them); its area only by someone who may record there."""
    if by is not None:
        permissions.require(permissions.can_record(by, case))
        if unit is not None and unit != case.unit:
            permissions.require(permissions.can_record_in(by, unit))
    if unit is not None:
        case.unit = unit
    if steps is None:
        steps = [StepInput(s.name, s.limit_days, s.department, s.started_on, s.ended_on) for s in case.steps.all()]
    if stops is None:
        stops = [StopInput(s.reason, s.starts_on, s.ends_on, s.note) for s in case.stops.all()]
    return _save(case, number, applicant_name, applicant_uscc, received_on, completed_on, steps, stops, counter)


def _save(case, number, applicant_name, uscc, received_on, completed_on, steps, stops, counter) -> Case:
    case.number, case.applicant_name = number.strip(), applicant_name.strip()
    case.applicant_uscc = (uscc or "").strip().upper()
    case.received_on, case.completed_on = received_on, completed_on
    check_case(case, steps, stops)
    counter = counter or WorkdayCounter()
    periods = [(stop.starts_on, stop.ends_on) for stop in stops]
    end = completed_on or timezone.localdate()
    case.stopped_days = sum(counter.between(s, min(e, end)) for s, e in periods)
    case.working_days = net_working_days(counter, received_on, completed_on, periods) if completed_on else None
    case.full_clean(exclude=["checklist", "created_by", "explained_by"])
    case.save()
    case.steps.all().delete()
    case.stops.all().delete()
    CaseStep.objects.bulk_create(_step(case, n, step, periods, counter) for n, step in enumerate(steps, start=1))
    ClockStop.objects.bulk_create(
        ClockStop(case=case, reason=s.reason, starts_on=s.starts_on, ends_on=s.ends_on, note=s.note) for s in stops
    )
    return case


def _step(case: Case, order: int, step: StepInput, periods, counter: WorkdayCounter) -> CaseStep:
    days = None
    if step.started_on is not None and step.ended_on is not None:
        days = net_working_days(counter, step.started_on, step.ended_on, periods)
    return CaseStep(
        case=case, order=order, name=step.name, department=step.department, limit_days=step.limit_days,
        started_on=step.started_on, ended_on=step.ended_on, working_days=days,
    )  # fmt: skip


def check_case(case: Case, steps: Sequence[StepInput], stops: Sequence[StopInput]) -> None:
    """The business rules on a case's fields, steps and stops (see the module docstring)."""
    if not case.number:
        raise BusinessRuleError(_("请填写办件编号。"), field="number")
    if not case.applicant_name:
        raise BusinessRuleError(_("请填写申请人。"), field="applicant_name")
    if case.applicant_uscc and not is_valid_uscc(case.applicant_uscc):
        raise BusinessRuleError(_("统一社会信用代码无效（校验位不符）。"), field="applicant_uscc")
    if Case.objects.filter(commitment=case.commitment_id, number=case.number).exclude(pk=case.pk).exists():
        raise BusinessRuleError(_("该事项已有编号为“%(number)s”的办件。") % {"number": case.number}, field="number")
    if case.unit.kind not in permissions.CASE_UNIT_KINDS:
        raise BusinessRuleError(_("办理地区应为市本级、区县或开发区。"), field="unit")
    today = timezone.localdate()
    if case.received_on > today:
        raise BusinessRuleError(_("受理日期不能晚于今天。"), field="received_on")
    if case.completed_on is not None:
        _check_completion(case, today)
    _check_steps(case, steps)
    _check_stops(case, stops, case.completed_on or today)


def _check_completion(case: Case, today: date) -> None:
    if case.completed_on < case.received_on:
        raise BusinessRuleError(
            _("办结日期不能早于受理日期（%(day)s）。") % {"day": chinese_date(case.received_on)}, field="completed_on"
        )
    if case.completed_on > today:
        raise BusinessRuleError(_("办结日期不能晚于今天。"), field="completed_on")


def _check_steps(case: Case, steps: Sequence[StepInput]) -> None:
    for step in steps:
        if step.ended_on is not None and step.started_on is None:
            raise BusinessRuleError(_("环节“%(step)s”有完成日期却没有开始日期。") % {"step": step.name}, field="steps")
        if step.started_on is not None and step.started_on < case.received_on:
            raise BusinessRuleError(
                _("环节“%(step)s”的开始日期不能早于受理日期（%(day)s）。")
                % {"step": step.name, "day": chinese_date(case.received_on)},
                field="steps",
            )
        if step.ended_on is not None and step.ended_on < step.started_on:
            raise BusinessRuleError(
                _("环节“%(step)s”的完成日期不能早于开始日期。") % {"step": step.name}, field="steps"
            )
        if step.ended_on is not None and case.completed_on is not None and step.ended_on > case.completed_on:
            raise BusinessRuleError(
                _("环节“%(step)s”的完成日期不能晚于办结日期（%(day)s）。")
                % {"step": step.name, "day": chinese_date(case.completed_on)},
                field="steps",
            )


def _check_stops(case: Case, stops: Sequence[StopInput], last: date) -> None:
    reasons = set(ClockStop.Reason.values)
    previous = None
    for stop in sorted(stops, key=lambda s: (s.starts_on, s.ends_on)):
        if stop.reason not in reasons:
            raise BusinessRuleError(_("暂停原因不在规定的情形之内。"), field="stops")
        if stop.ends_on < stop.starts_on:
            raise BusinessRuleError(_("暂停计时的恢复日期不能早于暂停日期。"), field="stops")
        if stop.starts_on < case.received_on or stop.ends_on > last:
            raise BusinessRuleError(
                _("暂停计时（%(start)s至%(end)s）应在受理日期与%(last)s之间。")
                % {
                    "start": chinese_date(stop.starts_on),
                    "end": chinese_date(stop.ends_on),
                    "last": _("办结日期") if case.completed_on else _("今天"),
                },
                field="stops",
            )
        if previous is not None and stop.starts_on < previous.ends_on:
            raise BusinessRuleError(
                _("暂停计时（%(start)s起）与前一段（至%(end)s）重叠。")
                % {"start": chinese_date(stop.starts_on), "end": chinese_date(previous.ends_on)},
                field="stops",
            )
        previous = stop


@records_actor
@transaction.atomic
def explain_delay(*, case: Case, explanation: str, by: AbstractBaseUser) -> Case:
    """Record the public explanation of a late case (《优化营商环境条例》 art. 36)."""
    permissions.require(permissions.can_record(by, case))
    if not is_late_now(case):
        raise BusinessRuleError(_("该办件未超过承诺时限，无需说明。"), field="explanation")
    text = explanation.strip()
    if len(text) < 10:
        raise BusinessRuleError(_("请写明超时原因（至少10个字），该说明将向社会公开。"), field="explanation")
    case.explanation, case.explained_by, case.explained_at = text, by, timezone.now()
    case.save(update_fields=["explanation", "explained_by", "explained_at", "updated_at"])
    return case


def is_late_now(case: Case, *, today: date | None = None) -> bool:
    """Completed over its limit, or still in progress past it today."""
    if case.completed_on is not None:
        return case.is_late
    return case_working_days(case, WorkdayCounter(), today=today) > case.limit_days


@records_actor
@transaction.atomic
def delete_case(*, case: Case, by: AbstractBaseUser) -> None:
    """Delete a case recorded by mistake (keepers only: the records are the evidence of the statistics)."""
    permissions.require(permissions.can_manage_commitments(by))
    case.delete()


def recompute_durations(cases=None) -> int:
    """Recompute the stored working days (after a change to the working-day calendar); returns cases changed."""
    counter, changed = WorkdayCounter(), 0
    cases = (cases if cases is not None else Case.objects.all()).prefetch_related("stops", "steps")
    for case in cases.iterator(chunk_size=2000):
        periods = [(stop.starts_on, stop.ends_on) for stop in case.stops.all()]
        days = net_working_days(counter, case.received_on, case.completed_on, periods) if case.completed_on else None
        if days != case.working_days:
            Case.objects.filter(pk=case.pk).update(working_days=days)
            changed += 1
        for step in case.steps.all():
            if step.started_on and step.ended_on:
                step_days = net_working_days(counter, step.started_on, step.ended_on, periods)
                if step_days != step.working_days:
                    CaseStep.objects.filter(pk=step.pk).update(working_days=step_days)
    return changed


# ---- cases from the landing procedure checklists --------------------------------------------------------


def checklist_area(unit: Unit) -> Unit:
    """The city, county or zone a project's unit belongs to (a county's department → the county)."""
    if unit.kind in permissions.CASE_UNIT_KINDS:
        return unit
    areas = Unit.objects.filter(kind__in=permissions.CASE_UNIT_KINDS, path__in=_ancestor_paths(unit.path))
    return areas.order_by("-depth").first() or unit


def _ancestor_paths(path: str) -> list[str]:
    steplen = Unit.steplen
    return [path[:n] for n in range(steplen, len(path), steplen)]


@records_actor
@transaction.atomic
def sync_checklist_cases(*, commitment: Commitment, by: AbstractBaseUser) -> tuple[int, int, int]:
    """Make or refresh a case for every procedure checklist: received on its start date, completed when its
    construction-permit step is done, one step per procedure. Returns (created, updated, skipped): a
    checklist whose dates break the rules (a step started before the checklist) is skipped."""
    from apps.landing.models import Checklist

    permissions.require(permissions.can_manage_commitments(by))
    if not commitment.takes_checklists:
        raise BusinessRuleError(_("该事项不从手续清单生成办件。"))
    existing = {case.checklist_id: case for case in commitment.cases.filter(checklist__isnull=False)}
    checklists = Checklist.objects.select_related("project__unit", "project__enterprise").prefetch_related(
        "steps__department"
    )
    counter, counts = WorkdayCounter(), [0, 0, 0]
    for checklist in checklists:
        try:
            with transaction.atomic():
                counts[_sync_one(commitment, checklist, existing.get(checklist.pk), counter)] += 1
        except BusinessRuleError:
            counts[2] += 1
    return counts[0], counts[1], counts[2]


def _sync_one(commitment: Commitment, checklist, case: Case | None, counter: WorkdayCounter) -> int:
    """Record (0) or update (1) the case of one checklist."""
    from apps.landing.models import StepStatus

    steps = [s for s in checklist.steps.all() if s.status != StepStatus.NOT_NEEDED]
    permit = next((s for s in steps if s.is_permit), None)
    enterprise = checklist.project.enterprise
    fields = {
        "number": checklist.project.code, "applicant_name": enterprise.name,
        "applicant_uscc": enterprise.uscc if enterprise.uscc and is_valid_uscc(enterprise.uscc) else "",
        "received_on": checklist.started_on,
        "completed_on": permit.done_on if permit and permit.status == StepStatus.DONE else None,
        "steps": [StepInput(s.name, s.time_limit_days, s.department, s.started_on, s.done_on) for s in steps],
        "counter": counter,
    }  # fmt: skip
    if case is None:
        record_case(
            commitment=commitment, unit=checklist_area(checklist.project.unit), by=None,
            source=Case.Source.CHECKLIST, checklist=checklist,
            limit_days=checklist.commitment_days or commitment.limit_days, **fields,
        )  # fmt: skip
        return 0
    update_case(case=case, by=None, **fields)
    return 1
