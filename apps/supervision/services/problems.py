"""The ledger's writes: open and change a problem (the supervising office), the responsible unit's progress
(milestones, evidence, report of completion), and verification (销号 or 退回).

One table of moves (``MOVES``) says from which statuses each move goes, to which, and who may make it;
``allowed_moves`` gives the page its buttons and every move re-checks it, changes the status with a
conditional UPDATE (0 rows: someone moved it first) and writes a ProblemEvent.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import PurePath

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.core.audit import records_actor
from apps.core.errors import BusinessRuleError, required_text
from apps.core.notices import notify
from apps.core.workdays import chinese_date
from apps.org.models import Unit, User
from apps.supervision import permissions
from apps.supervision.models import Evidence, Milestone, Problem, ProblemEvent

Status = Problem.Status
Action = ProblemEvent.Action
CODE_ATTEMPTS = 5
EVIDENCE_EXTENSIONS = (".pdf", ".doc", ".docx", ".xls", ".xlsx", ".jpg", ".jpeg", ".png", ".ofd", ".zip")
EVIDENCE_MAX_BYTES = 20 * 1024 * 1024


@dataclass(frozen=True)
class Move:
    action: str
    label: str
    sources: tuple[str, ...]
    target: str
    #: "unit": the responsible unit's people; "office": the supervising office
    by: str


START = Move(Action.START, gettext_lazy("开始整改"), (Status.PENDING,), Status.IN_PROGRESS, "unit")
REPORT = Move(Action.REPORT, gettext_lazy("报告整改完成"), Problem.OPEN_STATUSES, Status.REPORTED, "unit")
RETURN = Move(Action.RETURN, gettext_lazy("退回"), (Status.REPORTED,), Status.IN_PROGRESS, "office")
SIGN_OFF = Move(Action.SIGN_OFF, gettext_lazy("销号"), (Status.REPORTED,), Status.SIGNED_OFF, "office")
MOVES = {move.action: move for move in (START, REPORT, RETURN, SIGN_OFF)}


# ---- who may do what ------------------------------------------------------------------------


def allowed_moves(problem: Problem, user) -> list[Move]:
    """The moves the user may make on the problem now: the page's buttons, and what every move checks."""
    sides = {"unit": permissions.can_report(user, problem), "office": permissions.can_supervise(user, problem)}
    return [move for move in MOVES.values() if problem.status in move.sources and sides[move.by]]


def can_edit_timetable(user, problem: Problem) -> bool:
    """Milestones are added by the office or the unit while the unit works on the problem."""
    return problem.is_open and (permissions.can_supervise(user, problem) or permissions.can_report(user, problem))


def _require_move(move: Move, problem: Problem, user) -> None:
    if move in allowed_moves(problem, user):
        return
    if problem.status not in move.sources:
        raise BusinessRuleError(
            _("该问题当前为“%(status)s”，不能%(move)s。") % {"status": problem.get_status_display(), "move": move.label}
        )
    if move.by == "unit":
        raise BusinessRuleError(_("只有责任单位可以%(move)s。") % {"move": move.label})
    raise BusinessRuleError(_("只有督办单位可以%(move)s。") % {"move": move.label})


def _require_unit(problem: Problem, user) -> None:
    if not permissions.can_report(user, problem):
        raise BusinessRuleError(_("只有责任单位可以报送整改进展。"))
    if not problem.is_open:
        raise BusinessRuleError(_("该问题已报告完成或已销号，不能再报送进展。"))


# ---- helpers --------------------------------------------------------------------------------


def people_holding(permission: str, units: Q) -> QuerySet:
    """Active people of the units (a condition on User) who hold the permission through a role or directly."""
    app_label, codename = permission.split(".")
    through_role = Q(roles__permissions__codename=codename, roles__permissions__content_type__app_label=app_label)
    direct = Q(user_permissions__codename=codename, user_permissions__content_type__app_label=app_label)
    return User.objects.filter(units, through_role | direct, is_active=True).distinct()


def unit_people(problem: Problem) -> QuerySet:
    """Who rectifies (or reports on a supervision task): the responsible unit's people holding REPORT_PROGRESS."""
    return people_holding(permissions.REPORT_PROGRESS, Q(unit__path__startswith=problem.unit.path))


def office_people(problem: Problem) -> QuerySet:
    """Who verifies (a problem or a task): the supervising unit's people holding MANAGE_PROBLEM."""
    return people_holding(permissions.MANAGE_PROBLEM, Q(unit__path__startswith=problem.supervising_unit.path))


def problem_url(problem: Problem) -> str:
    return reverse("supervision:problem_detail", args=[problem.pk])


def record(problem: Problem, action: str, by, note: str = "") -> ProblemEvent:
    return ProblemEvent.objects.create(problem=problem, action=action, actor=by, note=note)


def next_codes(year: int, count: int) -> list[str]:
    """The year's next ``count`` problem codes: ZG2026-0001, ZG2026-0002 …"""
    prefix = f"ZG{year}-"
    last = Problem.objects.filter(code__startswith=prefix).order_by("-code").values_list("code", flat=True).first()
    start = int(last.removeprefix(prefix)) + 1 if last else 1
    return [f"{prefix}{number:04d}" for number in range(start, start + count)]


def _save_with_code(problem: Problem) -> None:
    """A clash with a problem saved a moment ago takes the next number."""
    for _attempt in range(CODE_ATTEMPTS):
        problem.code = next_codes(timezone.localdate().year, 1)[0]
        try:
            with transaction.atomic():
                problem.save()
            return
        except IntegrityError:
            continue
    raise BusinessRuleError(_("问题编号生成冲突，请稍后重试。"))


def check_fields(problem: Problem, co_units: Iterable[Unit]) -> None:
    """The rules a problem's fields must meet, whoever enters them (form, import)."""
    problem.title = required_text(problem.title, "title", _("请填写问题。"))
    if problem.source not in Problem.Source.values:
        raise BusinessRuleError(_("请选择问题来源。"), field="source")
    if problem.source == Problem.Source.SELF_CHECK and problem.kind not in Problem.Kind.values:
        raise BusinessRuleError(_("来源为自查表的问题，请选择自查类别（不诚信、不规范、不担当）。"), field="kind")
    if problem.source != Problem.Source.SELF_CHECK:
        problem.kind = ""
    if problem.unit_id is None or not problem.unit.is_active:
        raise BusinessRuleError(_("请选择在用的责任单位。"), field="unit")
    if any(unit.pk == problem.unit_id for unit in co_units):
        raise BusinessRuleError(_("配合单位不能包括责任单位本身。"), field="co_units")


def _check_due(due_on: date | None) -> date:
    if due_on is None:
        raise BusinessRuleError(_("请填写整改时限。"), field="due_on")
    if due_on < timezone.localdate():
        raise BusinessRuleError(_("整改时限不能早于今天。"), field="due_on")
    return due_on


def _assigned(problem: Problem) -> None:
    notify(
        recipients=unit_people(problem),
        key=f"supervision.problem.{problem.pk}.assigned.{problem.unit_id}",
        title=_("整改任务：%(title)s（%(code)s）") % {"title": problem.title, "code": problem.code},
        url=problem_url(problem),
    )


# ---- the supervising office: open and change ------------------------------------------------


@records_actor
@transaction.atomic
def create_problem(
    *,
    title: str,
    source: str,
    unit: Unit,
    due_on: date,
    description: str = "",
    kind: str = "",
    source_reference: str = "",
    co_units: Iterable[Unit] = (),
    measures: str = "",
    by: User,
) -> Problem:
    """Put a problem on the ledger, supervised by the office of ``by``; the responsible unit is told."""
    if not permissions.can_manage(by):
        raise BusinessRuleError(_("只有督办单位可以登记整改问题。"))
    co_units = list(co_units)
    problem = Problem(
        title=title, description=(description or "").strip(), source=source, kind=kind or "",
        source_reference=(source_reference or "").strip(), unit=unit, supervising_unit=by.unit,
        measures=(measures or "").strip(), due_on=_check_due(due_on), created_by=by,
    )  # fmt: skip
    check_fields(problem, co_units)
    _save_with_code(problem)
    problem.co_units.set(co_units)
    record(problem, Action.CREATE, by, problem.title)
    transaction.on_commit(lambda: _assigned(problem))
    return problem


UPDATABLE = ("title", "description", "source", "kind", "source_reference", "unit", "measures", "due_on")


@records_actor
@transaction.atomic
def update_problem(*, problem: Problem, by: User, co_units: Iterable[Unit] | None = None, **values) -> Problem:
    """The supervising office corrects a problem not yet signed off; a new due date may not be in the past."""
    if not permissions.can_supervise(by, problem):
        raise BusinessRuleError(_("只有督办单位可以修改整改问题。"))
    if problem.status == Status.SIGNED_OFF:
        raise BusinessRuleError(_("已销号的问题不能修改。"))
    unknown = set(values) - set(UPDATABLE)
    if unknown:
        raise ValueError(f"not updatable: {sorted(unknown)}")
    old_unit, old_due = problem.unit_id, problem.due_on
    for name, value in values.items():
        setattr(problem, name, value.strip() if isinstance(value, str) else value)
    co_units = list(problem.co_units.all() if co_units is None else co_units)
    check_fields(problem, co_units)
    if problem.due_on != old_due:
        _check_due(problem.due_on)
        if problem.milestones.filter(due_on__gt=problem.due_on).exists():
            raise BusinessRuleError(_("有整改节点晚于新的整改时限，请先调整节点。"), field="due_on")
    problem.save()
    problem.co_units.set(co_units)
    note = _("整改时限改为%(day)s") % {"day": chinese_date(problem.due_on)} if problem.due_on != old_due else ""
    record(problem, Action.UPDATE, by, note)
    if problem.unit_id != old_unit:
        transaction.on_commit(lambda: _assigned(problem))
    return problem


# ---- the timetable and the unit's progress --------------------------------------------------


@records_actor
@transaction.atomic
def add_milestone(*, problem: Problem, title: str, due_on: date, by: User) -> Milestone:
    """A step of the timetable, due inside it: from the day the problem was opened to its due date."""
    if not can_edit_timetable(by, problem):
        raise BusinessRuleError(_("只有督办单位或责任单位可以在整改期间安排节点。"))
    if due_on is None or not problem.created_on <= due_on <= problem.due_on:
        raise BusinessRuleError(
            _("节点时限须在整改时间表内（%(start)s至%(end)s）。")
            % {"start": chinese_date(problem.created_on), "end": chinese_date(problem.due_on)},
            field="due_on",
        )
    milestone = Milestone(problem=problem, title=required_text(title, "title", _("请填写节点任务。")), due_on=due_on)
    milestone.full_clean()
    milestone.save()
    return milestone


def _start_if_pending(problem: Problem, by: User) -> None:
    """Any progress means the rectification has begun."""
    if Problem.objects.filter(pk=problem.pk, status=Status.PENDING).update(status=Status.IN_PROGRESS):
        problem.status = Status.IN_PROGRESS
        record(problem, Action.START, by)


@records_actor
@transaction.atomic
def complete_milestone(*, milestone: Milestone, by: User, done_on: date | None = None) -> Milestone:
    """The responsible unit marks a step done (today unless another past day is given)."""
    problem = milestone.problem
    _require_unit(problem, by)
    if milestone.is_done:
        raise BusinessRuleError(_("该节点已完成。"))
    done_on = done_on or timezone.localdate()
    if done_on > timezone.localdate():
        raise BusinessRuleError(_("完成日期不能晚于今天。"), field="done_on")
    milestone.done_on, milestone.done_by = done_on, by
    milestone.save(update_fields=["done_on", "done_by"])
    _start_if_pending(problem, by)
    record(problem, Action.MILESTONE, by, milestone.title)
    return milestone


def check_evidence_file(upload: UploadedFile) -> None:
    """Evidence is a document, a sheet, a photo or an archive of them, at most 20 MB."""
    if PurePath(upload.name or "").suffix.lower() not in EVIDENCE_EXTENSIONS:
        raise BusinessRuleError(_("佐证材料只能是 PDF、OFD、Word、Excel、JPG、PNG 或 ZIP 文件。"), field="file")
    if upload.size > EVIDENCE_MAX_BYTES:
        raise BusinessRuleError(_("佐证材料不能超过 20 MB。"), field="file")


@records_actor
@transaction.atomic
def add_evidence(*, problem: Problem, file: UploadedFile, description: str, by: User) -> Evidence:
    """The responsible unit uploads evidence of its rectification."""
    _require_unit(problem, by)
    check_evidence_file(file)
    evidence = Evidence(
        problem=problem, file=file, description=required_text(description, "description", _("请说明佐证材料的内容。")),
        uploaded_by=by,
    )  # fmt: skip
    evidence.save()
    _start_if_pending(problem, by)
    record(problem, Action.EVIDENCE, by, evidence.description)
    return evidence


# ---- the moves ------------------------------------------------------------------------------


def _move(problem: Problem, move: Move, by: User, note: str, **values) -> Problem:
    """Check the move, change the status if nobody moved it first, record the event."""
    _require_move(move, problem, by)
    moved = Problem.objects.filter(pk=problem.pk, status=problem.status).update(status=move.target, **values)
    if not moved:
        raise BusinessRuleError(_("该问题刚被他人处理，请刷新后查看。"))
    record(problem, move.action, by, note)
    problem.refresh_from_db()
    return problem


@records_actor
@transaction.atomic
def start_problem(*, problem: Problem, by: User) -> Problem:
    """The responsible unit begins the rectification (待整改 → 整改中)."""
    return _move(problem, START, by, "")


@records_actor
@transaction.atomic
def report_completion(*, problem: Problem, report: str, by: User) -> Problem:
    """The responsible unit reports the problem rectified: every milestone done and evidence uploaded."""
    text = required_text(report, "report", _("请填写整改完成情况。"))
    _require_move(REPORT, problem, by)
    undone = problem.milestones.filter(done_on=None).count()
    if undone:
        raise BusinessRuleError(_("还有 %(n)s 个整改节点未完成，不能报告整改完成。") % {"n": undone})
    if not problem.evidence.exists():
        raise BusinessRuleError(_("请先上传佐证材料，再报告整改完成。"))
    problem = _move(problem, REPORT, by, text, report=text, reported_by=by, reported_at=timezone.now())
    transaction.on_commit(lambda: _tell(problem, office_people(problem), "reported", _("整改完成待核验：%(title)s")))
    return problem


@records_actor
@transaction.atomic
def return_problem(*, problem: Problem, reason: str, by: User) -> Problem:
    """The supervising office finds the rectification not done: back to 整改中 with the reason (required)."""
    text = required_text(reason, "reason", _("请填写退回原因。"))
    problem = _move(problem, RETURN, by, text)
    transaction.on_commit(lambda: _tell(problem, unit_people(problem), "returned", _("整改被退回：%(title)s")))
    return problem


@records_actor
@transaction.atomic
def sign_off_problem(*, problem: Problem, note: str = "", by: User) -> Problem:
    """The supervising office verifies the rectification and signs the problem off (销号)."""
    problem = _move(problem, SIGN_OFF, by, (note or "").strip(), signed_off_by=by, signed_off_at=timezone.now())
    transaction.on_commit(lambda: _tell(problem, unit_people(problem), "signed_off", _("整改问题已销号：%(title)s")))
    return problem


def _tell(problem: Problem, recipients: QuerySet, what: str, title: str) -> None:
    event = problem.events.latest("at", "id")
    notify(
        recipients=recipients,
        key=f"supervision.problem.{problem.pk}.{what}.{event.pk}",
        title=title % {"title": problem.title},
        url=problem_url(problem),
    )
