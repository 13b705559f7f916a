"""The commitments ledger's writes (政府承诺兑现台账).

Who: the supervising office (MANAGE_PROBLEM) registers, corrects and cancels a commitment — it keeps the
ledger, as it opens problems, and its unit becomes the commitment's supervising unit; the committing unit's
people (REPORT_PROGRESS) record the fulfilment with evidence. One table (``MOVES``) gives the moves; each
re-checks it, changes the status with a conditional UPDATE and writes a CommitmentEvent.

The daily scan (``raise_overdue_commitments``, run by services/scans.scan_supervision) marks a commitment past
due and not fulfilled 逾期未兑现 and raises ONE rectification problem (source 承诺未兑现) against the committing
unit, supervised by the office that registered the commitment; ``raised_problem`` keeps it from raising twice.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.core.audit import records_actor
from apps.core.errors import BusinessRuleError, required_text
from apps.core.workdays import chinese_date
from apps.org.models import User
from apps.supervision import permissions
from apps.supervision.models import CommitmentEvent, InvestorCommitment, Problem, ProblemEvent
from apps.supervision.services import problems

Status = InvestorCommitment.Status
Action = CommitmentEvent.Action
#: calendar days the committing unit gets to rectify a commitment the scan found unfulfilled
RECTIFY_DAYS = 30


@dataclass(frozen=True)
class Move:
    action: str
    label: str
    sources: tuple[str, ...]
    target: str
    #: "unit": the committing unit's people; "office": the supervising office
    by: str


FULFIL = Move(Action.FULFIL, gettext_lazy("兑现"), InvestorCommitment.OPEN_STATUSES, Status.FULFILLED, "unit")
CANCEL = Move(Action.CANCEL, gettext_lazy("取消"), InvestorCommitment.OPEN_STATUSES, Status.CANCELLED, "office")
MOVES = {move.action: move for move in (FULFIL, CANCEL)}


def allowed_moves(commitment: InvestorCommitment, user) -> list[Move]:
    """The moves the user may make now: the page's forms, and what every move checks."""
    sides = {
        "unit": permissions.can_fulfil(user, commitment),
        "office": permissions.can_supervise_commitment(user, commitment),
    }
    return [move for move in MOVES.values() if commitment.status in move.sources and sides[move.by]]


def record(commitment: InvestorCommitment, action: str, by, note: str = "") -> CommitmentEvent:
    return CommitmentEvent.objects.create(commitment=commitment, action=action, actor=by, note=note)


def check_fields(commitment: InvestorCommitment) -> None:
    """The rules a commitment's fields must meet."""
    if commitment.project_id is None and commitment.enterprise_id is None:
        raise BusinessRuleError(_("请选择承诺所涉的招商项目或投资企业（至少一项）。"), field="project")
    if commitment.kind not in InvestorCommitment.Kind.values:
        raise BusinessRuleError(_("请选择承诺类别。"), field="kind")
    commitment.content = required_text(commitment.content, "content", _("请填写承诺内容。"))
    commitment.legal_basis = required_text(commitment.legal_basis, "legal_basis", _("请填写承诺依据（如合同条款）。"))
    if commitment.unit_id is None or not commitment.unit.is_active:
        raise BusinessRuleError(_("请选择在用的承诺单位。"), field="unit")
    if commitment.committed_on is None:
        raise BusinessRuleError(_("请填写承诺日期。"), field="committed_on")
    if commitment.due_on is None:
        raise BusinessRuleError(_("请填写兑现时限。"), field="due_on")
    if commitment.due_on < commitment.committed_on:
        raise BusinessRuleError(_("兑现时限不能早于承诺日期。"), field="due_on")


@records_actor
@transaction.atomic
def create_commitment(
    *, kind: str, content: str, unit, legal_basis: str, committed_on: date, due_on: date, project=None,
    enterprise=None, by: User,
) -> InvestorCommitment:  # fmt: skip
    """Put a commitment on the ledger, supervised by the office of ``by``."""
    if not permissions.can_manage(by):
        raise BusinessRuleError(_("只有督办单位可以登记政府承诺事项。"))
    commitment = InvestorCommitment(
        kind=kind, content=content, unit=unit, legal_basis=legal_basis, committed_on=committed_on, due_on=due_on,
        project=project, enterprise=enterprise, supervising_unit=by.unit, created_by=by,
    )  # fmt: skip
    check_fields(commitment)
    commitment.full_clean()
    commitment.save()
    record(commitment, Action.CREATE, by, commitment.content)
    return commitment


UPDATABLE = ("kind", "content", "unit", "legal_basis", "committed_on", "due_on", "project", "enterprise")


@records_actor
@transaction.atomic
def update_commitment(*, commitment: InvestorCommitment, by: User, **values) -> InvestorCommitment:
    """The supervising office corrects a commitment still to be honoured."""
    if not permissions.can_supervise_commitment(by, commitment):
        raise BusinessRuleError(_("只有督办单位可以修改政府承诺事项。"))
    if not commitment.is_open:
        raise BusinessRuleError(_("已兑现或已取消的承诺不能修改。"))
    unknown = set(values) - set(UPDATABLE)
    if unknown:
        raise ValueError(f"not updatable: {sorted(unknown)}")
    old_due = commitment.due_on
    for name, value in values.items():
        setattr(commitment, name, value.strip() if isinstance(value, str) else value)
    check_fields(commitment)
    commitment.full_clean()
    commitment.save()
    note = _("兑现时限改为%(day)s") % {"day": chinese_date(commitment.due_on)} if commitment.due_on != old_due else ""
    record(commitment, Action.UPDATE, by, note)
    return commitment


def _move(commitment: InvestorCommitment, move: Move, by: User, note: str, **values) -> InvestorCommitment:
    """Check the move, change the status if nobody moved it first, record the event."""
    if move not in allowed_moves(commitment, by):
        if commitment.status not in move.sources:
            raise BusinessRuleError(_("该承诺当前为“%(status)s”，不能%(move)s。")
                                    % {"status": commitment.get_status_display(), "move": move.label})  # fmt: skip
        who = _("承诺单位") if move.by == "unit" else _("督办单位")
        raise BusinessRuleError(_("只有%(who)s可以%(move)s。") % {"who": who, "move": move.label})
    moved = InvestorCommitment.objects.filter(pk=commitment.pk, status=commitment.status).update(
        status=move.target, **values
    )
    if not moved:
        raise BusinessRuleError(_("该承诺刚被他人处理，请刷新后查看。"))
    record(commitment, move.action, by, note)
    commitment.refresh_from_db()
    return commitment


@records_actor
@transaction.atomic
def fulfil_commitment(
    *, commitment: InvestorCommitment, fulfilled_on: date, note: str, evidence: UploadedFile, by: User
) -> InvestorCommitment:
    """The committing unit records the commitment honoured, with evidence (a problem it raised stays open until
    the office signs it off)."""
    text = required_text(note, "note", _("请填写兑现情况。"))
    if fulfilled_on is None or fulfilled_on > timezone.localdate():
        raise BusinessRuleError(_("兑现日期不能晚于今天。"), field="fulfilled_on")
    if evidence is None:
        raise BusinessRuleError(_("请上传兑现佐证材料。"), field="evidence")
    problems.check_evidence_file(evidence)
    _move(commitment, FULFIL, by, text, fulfilled_on=fulfilled_on, fulfilment_note=text)
    commitment.evidence = evidence
    commitment.save(update_fields=["evidence"])
    return commitment


@records_actor
@transaction.atomic
def cancel_commitment(*, commitment: InvestorCommitment, reason: str, by: User) -> InvestorCommitment:
    """The supervising office cancels a commitment (e.g. the contract was terminated); the reason is required."""
    text = required_text(reason, "reason", _("请填写取消原因。"))
    return _move(commitment, CANCEL, by, text, cancel_reason=text)


# ---- the daily scan step --------------------------------------------------------------------


def raise_overdue_commitments(*, today: date) -> int:
    """Mark every commitment past due and not fulfilled 逾期未兑现 and raise its one problem; returns how many."""
    due = InvestorCommitment.objects.unfulfilled().filter(due_on__lt=today, raised_problem__isnull=True)
    raised = 0
    for commitment in due:
        try:
            raised += _raise_problem(commitment, today)
        except BusinessRuleError:  # e.g. the committing unit was closed: left for the office to reassign
            continue
    return raised


@transaction.atomic
def _raise_problem(commitment: InvestorCommitment, today: date) -> bool:
    """One problem per commitment: the row is locked and re-read, so a second scan finds it raised."""
    locked = InvestorCommitment.objects.select_for_update(of=("self",)).filter(
        pk=commitment.pk, raised_problem__isnull=True
    )
    commitment = locked.select_related("unit", "supervising_unit", "project", "enterprise").first()
    if commitment is None or not commitment.is_open:
        return False
    problem = Problem(
        title=_("政府承诺逾期未兑现：%(kind)s") % {"kind": commitment.get_kind_display()},
        description=_("承诺内容：%(content)s\n承诺对象：%(whom)s\n兑现时限：%(day)s")
        % {"content": commitment.content, "whom": _whom(commitment), "day": chinese_date(commitment.due_on)},
        source=Problem.Source.COMMITMENT, source_reference=commitment.legal_basis[:200], unit=commitment.unit,
        supervising_unit=commitment.supervising_unit, due_on=today + timedelta(days=RECTIFY_DAYS),
    )  # fmt: skip
    problems.check_fields(problem, ())
    problems._save_with_code(problem)
    problems.record(problem, ProblemEvent.Action.CREATE, None, _("每日扫描：政府承诺逾期未兑现"))
    InvestorCommitment.objects.filter(pk=commitment.pk).update(status=Status.OVERDUE, raised_problem=problem)
    record(commitment, Action.OVERDUE, None, _("已转整改问题 %(code)s") % {"code": problem.code})
    transaction.on_commit(lambda: problems._assigned(problem))
    return True


def _whom(commitment: InvestorCommitment) -> str:
    names = [item.name for item in (commitment.project, commitment.enterprise) if item is not None]
    return "／".join(names)
