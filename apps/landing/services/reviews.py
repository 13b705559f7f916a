"""Joint review before signing (联评联审): open a review, departments answer, the review closes.

A review closes when every department asked has answered (its conclusion is the strictest answer)
or when the scan finds its deadline passed (those who did not answer are marked late). A department
may still answer, or change its answer, after the review closed: the answer is marked late and the
conclusion recomputed. A department that agreed needs a recorded reason to object later — the promise
made to the investor is not withdrawn silently.

Answers are written with conditional UPDATEs from the state the person saw, and each answer first locks
its review's row (PostgreSQL; SQLite serialises writers anyway), so that the last two departments
answering at once still close the review.
"""

from collections.abc import Iterable
from datetime import date

from auditlog.models import LogEntry
from django.contrib.auth.base_user import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.audit import records_actor
from apps.core.errors import BusinessRuleError
from apps.core.notices import notify
from apps.core.workdays import CalendarNotCovered, add_working_days, chinese_date
from apps.investment.models import Project, ProjectParticipant
from apps.landing import permissions
from apps.landing.models import JointReview, OpinionChange, ReviewOpinion, Verdict
from apps.landing.selectors.reviews import (
    can_answer,
    can_open_review,
    department_groups,
    is_reviewable,
    is_stricter,
    strictest,
)
from apps.org.models import Unit, User

MIN_DAYS, MAX_DAYS = 1, 60
PARTICIPANT_ROLE = "联审部门"
ANSWERS = (Verdict.AGREE, Verdict.CONDITIONAL, Verdict.DISAGREE)


def people_with(permission: str, units: Q) -> QuerySet:
    """Active people of the units (a Q on ``unit``) holding the permission through a role or directly."""
    app_label, codename = permission.split(".")
    held = Q(roles__permissions__codename=codename, roles__permissions__content_type__app_label=app_label) | Q(
        user_permissions__codename=codename, user_permissions__content_type__app_label=app_label
    )
    return User.objects.filter(units, held, is_active=True).distinct()


# ---- opening --------------------------------------------------------------------------------


@records_actor
@transaction.atomic
def open_review(
    *,
    project: Project,
    subject: str,
    note: str = "",
    departments: Iterable[Unit],
    time_limit_days: int,
    by: AbstractBaseUser,
) -> JointReview:
    """Ask the departments for their opinions on a project in talks, by a deadline in working days."""
    _check_opening(project, by)
    departments = _check_departments(project, list(departments))
    subject = (subject or "").strip()
    if not subject:
        raise BusinessRuleError(_("请填写审查事项。"), field="subject")
    opened_on = timezone.localdate()
    review = JointReview(
        project=project,
        subject=subject[:200],
        note=(note or "").strip(),
        opened_on=opened_on,
        time_limit_days=time_limit_days,
        due_on=due_date(opened_on, time_limit_days),
        opened_by=by,
    )
    try:
        with transaction.atomic():
            review.save()
    except IntegrityError as error:  # another person opened one a moment ago
        raise BusinessRuleError(_("该项目已有正在进行的联评联审。")) from error
    for department in departments:
        ReviewOpinion.objects.create(review=review, department=department)
        _take_part(project, department)
    # notices are rows of this transaction: they go out only if the review is opened
    _notify_asked(review, departments)
    return review


def due_date(opened_on: date, time_limit_days: int) -> date:
    """The deadline: the given number of working days after the opening day."""
    if not isinstance(time_limit_days, int) or not MIN_DAYS <= time_limit_days <= MAX_DAYS:
        raise BusinessRuleError(
            _("审查期限须为 %(min)s 至 %(max)s 个工作日。") % {"min": MIN_DAYS, "max": MAX_DAYS},
            field="time_limit_days",
        )
    try:
        return add_working_days(opened_on, time_limit_days)
    except CalendarNotCovered as error:
        raise BusinessRuleError(error.message, field="time_limit_days") from error


def _check_opening(project: Project, by) -> None:
    if not can_open_review(by, project):
        raise BusinessRuleError(_("只有项目的责任单位可以发起联评联审。"))
    if not is_reviewable(project):
        raise BusinessRuleError(_("联评联审在签约前进行：只能对处于“洽谈”阶段、正在推进的项目发起。"))
    if JointReview.objects.open().filter(project=project).exists():
        raise BusinessRuleError(_("该项目已有正在进行的联评联审，请待其结束后再发起。"))


def _check_departments(project: Project, departments: list[Unit]) -> list[Unit]:
    if not departments:
        raise BusinessRuleError(_("请至少选择一个审查部门。"), field="departments")
    if len({d.pk for d in departments}) != len(departments):
        raise BusinessRuleError(_("审查部门不能重复选择。"), field="departments")
    allowed = {d.pk for group in department_groups(project) for d in group.departments}
    for department in departments:
        if department.kind != Unit.Kind.DEPARTMENT or department.pk not in allowed:
            raise BusinessRuleError(
                _("“%(unit)s”不是可征求意见的部门：请选择市直部门或项目所在区县的部门。") % {"unit": department.name},
                field="departments",
            )
    return departments


def _take_part(project: Project, department: Unit) -> None:
    """The department takes part in the project, so that it can open it (the owner's units see it anyway)."""
    if department.path.startswith(project.unit.path):
        return
    ProjectParticipant.objects.get_or_create(project=project, unit=department, defaults={"role": PARTICIPANT_ROLE})


def _notify_asked(review: JointReview, departments: list[Unit]) -> None:
    url = reverse("landing:review_detail", args=[review.pk])
    title = _("请反馈联评联审意见：%(project)s") % {"project": review.project.name}
    body = _("%(subject)s，请于 %(due)s 前反馈。") % {"subject": review.subject, "due": chinese_date(review.due_on)}
    for department in departments:
        notify(
            recipients=people_with(permissions.GIVE_OPINION, Q(unit__path__startswith=department.path)),
            key=f"landing.review.{review.pk}.asked.{department.pk}",
            title=title,
            url=url,
            body=body,
        )


# ---- answering ----------------------------------------------------------------------------------


@records_actor
@transaction.atomic
def give_opinion(
    *,
    opinion: ReviewOpinion,
    verdict: str,
    conditions: str = "",
    reason: str = "",
    legal_basis: str = "",
    change_reason: str = "",
    by: AbstractBaseUser,
) -> ReviewOpinion:
    """The department's answer (同意 / 有条件同意 / 不同意), or a change of the answer it gave."""
    if not can_answer(by, opinion):
        raise BusinessRuleError(_("只有被征求意见部门的经办人可以反馈该意见。"))
    review = JointReview.objects.select_for_update().get(pk=opinion.review_id)
    values = _answer_values(verdict, conditions, reason, legal_basis)
    changing = opinion.verdict != Verdict.PENDING
    if changing:
        change_reason = _check_change(opinion, values, change_reason)
    now = timezone.now()
    # a first answer after the deadline (or after the review closed) is late; a change keeps the first's flag
    late = opinion.late or (
        not changing and (timezone.localdate() > review.due_on or review.status == JointReview.Status.CLOSED)
    )
    values.update(answered_by=by, answered_at=now, late=late)
    old = {name: getattr(opinion, name) for name in values}
    _conditional_update(opinion, values, by)
    if changing:
        OpinionChange.objects.create(
            opinion=opinion, from_verdict=old["verdict"], to_verdict=opinion.verdict, reason=change_reason, by=by
        )
    _after_answer(review, by)
    return opinion


def _answer_values(verdict: str, conditions: str, reason: str, legal_basis: str) -> dict:
    if verdict not in ANSWERS:
        raise BusinessRuleError(_("请选择审查意见：同意、有条件同意或不同意。"), field="verdict")
    conditions, reason, legal_basis = ((text or "").strip() for text in (conditions, reason, legal_basis))
    if verdict == Verdict.CONDITIONAL and not conditions:
        raise BusinessRuleError(_("有条件同意须写明同意的条件。"), field="conditions")
    if verdict == Verdict.DISAGREE and not reason:
        raise BusinessRuleError(_("不同意须写明理由。"), field="reason")
    if verdict == Verdict.DISAGREE and not legal_basis:
        raise BusinessRuleError(_("不同意须写明法律政策依据。"), field="legal_basis")
    return {
        "verdict": verdict,
        "conditions": conditions if verdict == Verdict.CONDITIONAL else "",
        "reason": reason if verdict == Verdict.DISAGREE else "",
        "legal_basis": legal_basis if verdict == Verdict.DISAGREE else "",
    }


def _check_change(opinion: ReviewOpinion, values: dict, change_reason: str) -> str:
    if all(getattr(opinion, name) == value for name, value in values.items()):
        raise BusinessRuleError(_("意见没有变化。"), field="verdict")
    change_reason = (change_reason or "").strip()
    if is_stricter(values["verdict"], opinion.verdict) and not change_reason:
        raise BusinessRuleError(_("已同意的部门不得无理由新增否定意见：请写明变更理由。"), field="change_reason")
    return change_reason or _("修改意见内容")


def _conditional_update(opinion: ReviewOpinion, values: dict, by) -> None:
    """UPDATE from the answer the person saw (0 rows: someone else answered first), then the audit entry."""
    expected = {"verdict": opinion.verdict, "answered_at": opinion.answered_at}
    if not ReviewOpinion.objects.filter(pk=opinion.pk, **expected).update(**values):
        raise BusinessRuleError(_("该意见刚被其他人反馈或修改，请刷新页面后重试。"))
    _log_update(opinion, values, by)


def _log_update(obj, values: dict, by) -> None:
    """Apply what an UPDATE wrote to the instance and record it in the audit trail (UPDATE sends no signal)."""
    changes = {}
    for name, value in values.items():
        old = getattr(obj, name)
        setattr(obj, name, value)
        if old != value:
            changes[name] = [_audit_text(old), _audit_text(value)]
    LogEntry.objects.log_create(obj, force_log=True, action=LogEntry.Action.UPDATE, actor=by, changes=changes)


def _audit_text(value: object) -> str:
    if value is None:
        return "None"
    return str(getattr(value, "pk", value))


def _after_answer(review: JointReview, by) -> None:
    """Close the review once everyone has answered; a closed review's conclusion follows late answers."""
    verdicts = list(review.opinions.values_list("verdict", flat=True))
    if review.status == JointReview.Status.CLOSED:
        conclusion = strictest(verdicts)
        if conclusion != review.conclusion:
            JointReview.objects.filter(pk=review.pk).update(conclusion=conclusion)
            _log_update(review, {"conclusion": conclusion}, by)
    elif Verdict.PENDING not in verdicts:
        _close(review, JointReview.CloseReason.ANSWERED, verdicts, by)


def _close(review: JointReview, reason: str, verdicts: list[str], by=None) -> bool:
    """Close an open review with its conclusion (False when it was closed meanwhile), and tell its owners."""
    answered = [v for v in verdicts if v != Verdict.PENDING]
    values = {
        "status": JointReview.Status.CLOSED,
        "close_reason": reason,
        "closed_at": timezone.now(),
        "conclusion": strictest(answered),
    }
    closed = JointReview.objects.filter(pk=review.pk, status=JointReview.Status.OPEN).update(**values)
    if closed:
        _log_update(review, values, by)
        _notify_closed(review, missing=len(verdicts) - len(answered))
    return bool(closed)


def _notify_closed(review: JointReview, *, missing: int) -> None:
    project = review.project
    body = _("综合意见：%(conclusion)s。") % {"conclusion": review.get_conclusion_display()}
    if missing:
        body += _("%(count)s 个部门逾期未反馈。") % {"count": missing}
    notify(
        recipients=people_with(permissions.OPEN_REVIEW, Q(unit=project.unit)),
        key=f"landing.review.{review.pk}.closed",
        title=_("联评联审已结束：%(project)s") % {"project": project.name},
        url=reverse("landing:review_detail", args=[review.pk]),
        body=body,
    )


# ---- the deadline scan --------------------------------------------------------------------------


def close_expired_reviews(*, today: date) -> int:
    """Close the open reviews whose deadline has passed; departments that did not answer are marked late."""
    closed = 0
    expired = JointReview.objects.open().filter(due_on__lt=today).select_related("project__unit")
    for review in expired.order_by("id"):
        with transaction.atomic():
            review = JointReview.objects.select_for_update().select_related("project__unit").get(pk=review.pk)
            if review.status != JointReview.Status.OPEN:
                continue
            review.opinions.filter(verdict=Verdict.PENDING).update(late=True)
            verdicts = list(review.opinions.values_list("verdict", flat=True))
            closed += _close(review, JointReview.CloseReason.DEADLINE, verdicts)
    return closed
