"""Supervision tasks' writes (督办事项): assign and correct (the supervising office), progress reports and the
request for closure (the responsible unit), close or return (the office); and the daily scan's step.

One table of moves (``MOVES``): 在办 → 申请办结 (the unit), 申请办结 → 已办结 or → 在办 (退回, the office). Every move
re-checks the table, changes the status with a conditional UPDATE (0 rows: someone moved it first) and writes a
TaskEvent. Overdue is not a status but the light (services/task_periods.py), so a new due date clears it.

The scan (``scan_tasks``, run by services/scans.scan_supervision): 提醒 when a task turns amber, 催办 once it is
overdue (the office is told too), and 缺报提醒 for each period whose report is missing — each once (a
TaskReminder row, unique on task, level and the day it is about), so running it twice sends nothing new.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.core.audit import records_actor
from apps.core.errors import BusinessRuleError, required_text
from apps.core.notices import notify
from apps.core.workdays import WorkdayCalendar, chinese_date
from apps.org.models import Unit, User
from apps.supervision import permissions
from apps.supervision.models import ProgressReport, SupervisionTask, TaskEvent, TaskReminder
from apps.supervision.services import deadlines, task_periods
from apps.supervision.services.problems import check_evidence_file, office_people, unit_people

Status = SupervisionTask.Status
Action = TaskEvent.Action
Level = TaskReminder.Level
CODE_ATTEMPTS = 5


@dataclass(frozen=True)
class Move:
    action: str
    label: str
    sources: tuple[str, ...]
    target: str
    #: "unit": the responsible unit's people; "office": the supervising office
    by: str


REQUEST_CLOSE = Move(Action.REQUEST_CLOSE, gettext_lazy("申请办结"), (Status.IN_PROGRESS,), Status.CLOSING, "unit")
RETURN = Move(Action.RETURN, gettext_lazy("退回"), (Status.CLOSING,), Status.IN_PROGRESS, "office")
CLOSE = Move(Action.CLOSE, gettext_lazy("办结"), (Status.CLOSING,), Status.CLOSED, "office")
MOVES = {move.action: move for move in (REQUEST_CLOSE, RETURN, CLOSE)}


def allowed_moves(task: SupervisionTask, user) -> list[Move]:
    """The moves the user may make on the task now: the page's buttons, and what every move checks."""
    sides = {"unit": permissions.can_report_task(user, task), "office": permissions.can_supervise_task(user, task)}
    return [move for move in MOVES.values() if task.status in move.sources and sides[move.by]]


def _require_move(move: Move, task: SupervisionTask, user) -> None:
    if move in allowed_moves(task, user):
        return
    if task.status not in move.sources:
        raise BusinessRuleError(
            _("该事项当前为“%(status)s”，不能%(move)s。") % {"status": task.get_status_display(), "move": move.label}
        )
    who = _("责任单位") if move.by == "unit" else _("督办单位")
    raise BusinessRuleError(_("只有%(who)s可以%(move)s。") % {"who": who, "move": move.label})


# ---- helpers --------------------------------------------------------------------------------


def task_url(task: SupervisionTask) -> str:
    return reverse("supervision:task_detail", args=[task.pk])


def record(task: SupervisionTask, action: str, by, note: str = "") -> TaskEvent:
    return TaskEvent.objects.create(task=task, action=action, actor=by, note=note)


def next_codes(year: int, count: int) -> list[str]:
    """The year's next ``count`` task codes: DB2026-0001, DB2026-0002 …"""
    prefix = f"DB{year}-"
    last = (
        SupervisionTask.objects.filter(code__startswith=prefix).order_by("-code").values_list("code", flat=True).first()
    )
    start = int(last.removeprefix(prefix)) + 1 if last else 1
    return [f"{prefix}{number:04d}" for number in range(start, start + count)]


def _save_with_code(task: SupervisionTask) -> None:
    """A clash with a task saved a moment ago takes the next number."""
    for _attempt in range(CODE_ATTEMPTS):
        task.code = next_codes(timezone.localdate().year, 1)[0]
        try:
            with transaction.atomic():
                task.save()
            return
        except IntegrityError:
            continue
    raise BusinessRuleError(_("事项编号生成冲突，请稍后重试。"))


def check_fields(task: SupervisionTask, co_units: Iterable[Unit]) -> None:
    """The rules a task's fields must meet."""
    task.title = required_text(task.title, "title", _("请填写督办事项。"))
    task.content = required_text(task.content, "content", _("请填写督办内容。"))
    task.document_title = required_text(
        task.document_title, "document_title", _("请填写来源文件（如会议纪要、批示件）。")
    )
    if task.source not in SupervisionTask.Source.values:
        raise BusinessRuleError(_("请选择事项来源。"), field="source")
    if task.source == SupervisionTask.Source.INSTRUCTION and not (task.leader or "").strip():
        raise BusinessRuleError(_("来源为领导批示的事项，请填写批示领导。"), field="leader")
    if task.cycle not in SupervisionTask.Cycle.values:
        raise BusinessRuleError(_("请选择报告周期。"), field="cycle")
    if task.document_date is None or task.document_date > timezone.localdate():
        raise BusinessRuleError(_("文件日期不能晚于今天。"), field="document_date")
    if task.unit_id is None or not task.unit.is_active:
        raise BusinessRuleError(_("请选择在用的责任单位。"), field="unit")
    if any(unit.pk == task.unit_id for unit in co_units):
        raise BusinessRuleError(_("配合单位不能包括责任单位本身。"), field="co_units")
    if task.due_on is None:
        raise BusinessRuleError(_("请填写办结时限。"), field="due_on")
    if task.due_on < task.assigned_on:
        raise BusinessRuleError(_("办结时限不能早于交办日期。"), field="due_on")


def _assigned(task: SupervisionTask) -> None:
    notify(
        recipients=unit_people(task),
        key=f"supervision.task.{task.pk}.assigned.{task.unit_id}",
        title=_("督办事项：%(title)s（%(code)s）") % {"title": task.title, "code": task.code},
        url=task_url(task),
    )


# ---- the supervising office: assign and correct ---------------------------------------------


@records_actor
@transaction.atomic
def create_task(
    *, title: str, content: str, source: str, document_title: str, document_date: date, unit: Unit, due_on: date,
    cycle: str, document_number: str = "", document_file: UploadedFile | None = None, leader: str = "",
    co_units: Iterable[Unit] = (), by: User,
) -> SupervisionTask:  # fmt: skip
    """Assign a task, supervised by the office of ``by``; the responsible unit is told."""
    if not permissions.can_manage(by):
        raise BusinessRuleError(_("只有督办单位可以交办督办事项。"))
    if due_on is not None and due_on < timezone.localdate():
        raise BusinessRuleError(_("办结时限不能早于今天。"), field="due_on")
    if document_file:
        check_evidence_file(document_file)
    co_units = list(co_units)
    task = SupervisionTask(
        title=title, content=content, source=source, document_title=document_title,
        document_number=(document_number or "").strip(), document_date=document_date, leader=(leader or "").strip(),
        unit=unit, supervising_unit=by.unit, due_on=due_on, cycle=cycle, created_by=by,
    )  # fmt: skip
    if document_file:
        task.document_file = document_file
    check_fields(task, co_units)
    _save_with_code(task)
    task.co_units.set(co_units)
    record(task, Action.CREATE, by, task.title)
    transaction.on_commit(lambda: _assigned(task))
    return task


UPDATABLE = (
    "title", "content", "source", "document_title", "document_number", "document_date", "leader", "unit", "due_on",
    "cycle",
)  # fmt: skip


@records_actor
@transaction.atomic
def update_task(
    *, task: SupervisionTask, by: User, co_units: Iterable[Unit] | None = None,
    document_file: UploadedFile | None = None, **values,
) -> SupervisionTask:  # fmt: skip
    """The supervising office corrects a task not yet closed; a new due date may not be in the past."""
    if not permissions.can_supervise_task(by, task):
        raise BusinessRuleError(_("只有督办单位可以修改督办事项。"))
    if task.status == Status.CLOSED:
        raise BusinessRuleError(_("已办结的事项不能修改。"))
    unknown = set(values) - set(UPDATABLE)
    if unknown:
        raise ValueError(f"not updatable: {sorted(unknown)}")
    old_unit, old_due, old_cycle = task.unit_id, task.due_on, task.cycle
    for name, value in values.items():
        setattr(task, name, value.strip() if isinstance(value, str) else value)
    if task.cycle != old_cycle and task.reports.exists():
        raise BusinessRuleError(_("已有进展报告的事项不能更改报告周期。"), field="cycle")
    if task.due_on != old_due and task.due_on < timezone.localdate():
        raise BusinessRuleError(_("办结时限不能早于今天。"), field="due_on")
    co_units = list(task.co_units.all() if co_units is None else co_units)
    check_fields(task, co_units)
    if document_file:
        check_evidence_file(document_file)
        task.document_file = document_file
    task.save()
    task.co_units.set(co_units)
    note = _("办结时限改为%(day)s") % {"day": chinese_date(task.due_on)} if task.due_on != old_due else ""
    record(task, Action.UPDATE, by, note)
    if task.unit_id != old_unit:
        transaction.on_commit(lambda: _assigned(task))
    return task


# ---- the unit: progress reports and the request for closure ---------------------------------


@records_actor
@transaction.atomic
def file_report(
    *, task: SupervisionTask, period_start: date, text: str, percent: int, attachment: UploadedFile | None = None,
    by: User,
) -> ProgressReport:  # fmt: skip
    """The responsible unit reports the progress of one period (once per period, late ones allowed)."""
    if not permissions.can_report_task(by, task):
        raise BusinessRuleError(_("只有责任单位可以报送进展。"))
    if task.status != Status.IN_PROGRESS:
        raise BusinessRuleError(_("该事项已申请办结或已办结，不能再报送进展。"))
    if not task.is_periodic:
        raise BusinessRuleError(_("一次性报告的事项在申请办结时报告办理情况。"))
    today = timezone.localdate()
    if period_start is None or not task_periods.is_valid_period(task, period_start):
        raise BusinessRuleError(_("请选择报告期。"), field="period_start")
    period = task_periods.period_of(period_start, task.cycle)
    if period.start > today or period.end < task.assigned_on:
        raise BusinessRuleError(_("只能报送交办以来已开始的报告期。"), field="period_start")
    if percent is None or not 0 <= percent <= 100:
        raise BusinessRuleError(_("完成进度应在 0 到 100 之间。"), field="percent")
    if attachment:
        check_evidence_file(attachment)
    report = ProgressReport(
        task=task, period_start=period.start, period_end=period.end, percent=percent, filed_by=by,
        text=required_text(text, "text", _("请填写进展情况。")),
    )  # fmt: skip
    if attachment:
        report.attachment = attachment
    try:
        with transaction.atomic():
            report.save()
    except IntegrityError:
        raise BusinessRuleError(
            _("%(period)s的进展已报送。") % {"period": period.label}, field="period_start"
        ) from None
    record(task, Action.REPORT, by, f"{period.label}：{percent}%。{report.text}")
    transaction.on_commit(lambda: _tell(task, office_people(task), "report", _("督办事项进展已报送：%(title)s")))
    return report


def _move(task: SupervisionTask, move: Move, by: User, note: str, **values) -> SupervisionTask:
    """Check the move, change the status if nobody moved it first, record the event."""
    _require_move(move, task, by)
    moved = SupervisionTask.objects.filter(pk=task.pk, status=task.status).update(status=move.target, **values)
    if not moved:
        raise BusinessRuleError(_("该事项刚被他人处理，请刷新后查看。"))
    record(task, move.action, by, note)
    task.refresh_from_db()
    return task


@records_actor
@transaction.atomic
def request_closure(*, task: SupervisionTask, report: str, by: User) -> SupervisionTask:
    """The responsible unit reports the task done and asks for closure; every period's report must be in."""
    text = required_text(report, "report", _("请填写办理情况。"))
    _require_move(REQUEST_CLOSE, task, by)
    today = timezone.localdate()
    filed = task.reports.values_list("period_start", flat=True)
    missing = task_periods.missing_periods(task, today, filed)
    if missing:
        labels = "、".join(period.label for period in missing)
        raise BusinessRuleError(_("请先补报缺报的进展报告：%(periods)s。") % {"periods": labels})
    task = _move(task, REQUEST_CLOSE, by, text, completed_on=today, completion_report=text)
    transaction.on_commit(lambda: _tell(task, office_people(task), "closing", _("督办事项申请办结：%(title)s")))
    return task


@records_actor
@transaction.atomic
def return_task(*, task: SupervisionTask, reason: str, by: User) -> SupervisionTask:
    """The office finds the task not done: back to 在办 with the reason (required)."""
    text = required_text(reason, "reason", _("请填写退回原因。"))
    task = _move(task, RETURN, by, text, completed_on=None)
    transaction.on_commit(lambda: _tell(task, unit_people(task), "returned", _("督办事项被退回：%(title)s")))
    return task


@records_actor
@transaction.atomic
def close_task(*, task: SupervisionTask, note: str = "", by: User) -> SupervisionTask:
    """The office reviews the work and closes the task (已办结)."""
    task = _move(task, CLOSE, by, (note or "").strip(), closed_by=by, closed_at=timezone.now())
    transaction.on_commit(lambda: _tell(task, unit_people(task), "closed", _("督办事项已办结：%(title)s")))
    return task


def _tell(task: SupervisionTask, recipients: QuerySet, what: str, title: str) -> None:
    event = task.events.latest("at", "id")
    notify(
        recipients=recipients,
        key=f"supervision.task.{task.pk}.{what}.{event.pk}",
        title=title % {"title": task.title},
        url=task_url(task),
    )


# ---- the daily scan step --------------------------------------------------------------------

SCAN_LABELS = {
    "task_remind": gettext_lazy("督办事项临期提醒"),
    "task_urge": gettext_lazy("督办事项逾期催办"),
    "missing_reports": gettext_lazy("缺报进展提醒"),
}


def scan_tasks(*, today: date, thresholds: deadlines.Thresholds, workdays: WorkdayCalendar) -> dict[str, int]:
    """Today's 提醒 / 催办 of tasks near or past their due date and 缺报提醒 of missing reports; how many of each."""
    sent = dict.fromkeys(SCAN_LABELS, 0)
    tasks = SupervisionTask.objects.with_unit().select_related("unit", "supervising_unit")
    near = tasks.filter(due_on__lt=thresholds.green_from)
    for task in near:
        light = task_periods.light(task, thresholds)
        level = Level.URGE if light == deadlines.RED else Level.REMIND
        days = deadlines.overdue_working_days(task.due_on, today, workdays)
        if level == Level.URGE:
            title = _("催办：督办事项已逾期 %(days)s 个工作日：%(title)s") % {"days": days, "title": task.title}
        else:
            title = _("提醒：督办事项%(day)s到期：%(title)s") % {"day": chinese_date(task.due_on), "title": task.title}
        if _send(task, level, task.due_on, title, with_office=level == Level.URGE):
            sent["task_urge" if level == Level.URGE else "task_remind"] += 1
    periodic = tasks.exclude(cycle=SupervisionTask.Cycle.ONCE).prefetch_related("reports")
    for task in periodic:
        filed = [report.period_start for report in task.reports.all()]
        for period in task_periods.missing_periods(task, today, filed):
            title = _("缺报提醒：请报送督办事项“%(title)s”%(period)s的进展") % {
                "title": task.title,
                "period": period.label,
            }
            sent["missing_reports"] += _send(task, Level.MISSING_REPORT, period.start, title, with_office=False)
    return sent


def _send(task: SupervisionTask, level: str, about: date, title: str, *, with_office: bool) -> bool:
    """Record and send the reminder once; False when it was sent before."""
    try:
        with transaction.atomic():
            TaskReminder.objects.create(task=task, level=level, about=about)
            record(task, Action(level), None, title)
            recipients = list(unit_people(task))
            if with_office:
                recipients += list(office_people(task))
            key = f"supervision.task.{task.pk}.{level}.{about:%Y%m%d}"
            notify(recipients=recipients, key=key, title=title, url=task_url(task))
    except IntegrityError:  # sent before
        return False
    return True
