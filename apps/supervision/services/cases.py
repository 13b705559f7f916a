"""Typical cases' writes (典型案例) and how a case's sources appear to a viewer.

The supervising office (MANAGE_PROBLEM) writes a case as a draft, links it to its source records (a problem by its
code, a commitment by its number, an appeal ticket by its number, a project by its code — each looked up within
what the writer may see or link), reviews and publishes it (草稿 → 已发布, at least one source), withdraws it with a
reason (已发布 → 已撤回) and may take a withdrawn case back to a draft (重新编辑). One table of moves (``MOVES``);
every move is a CaseEvent.

On the case's page every source shows its title; it links to the record only when the viewer's own scope and
permissions let them open it (``sources_for``): one query per kind of source, whatever their number.
"""

from dataclasses import dataclass

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.core.audit import records_actor
from apps.core.errors import BusinessRuleError, required_text
from apps.org.models import Unit, User
from apps.supervision import permissions
from apps.supervision.models import CaseEvent, CaseSource, TypicalCase

Status = TypicalCase.Status
Action = CaseEvent.Action
KIND_LABELS = {
    "problem": gettext_lazy("整改问题"),
    "commitment": gettext_lazy("政府承诺"),
    "appeal": gettext_lazy("诉求工单"),
    "project": gettext_lazy("招商项目"),
}
REFERENCE_HINTS = {
    "problem": gettext_lazy("问题编号，如 ZG2026-0001"),
    "commitment": gettext_lazy("承诺事项编号（台账中的序号）"),
    "appeal": gettext_lazy("工单编号"),
    "project": gettext_lazy("项目编号"),
}


@dataclass(frozen=True)
class Move:
    action: str
    label: str
    sources: tuple[str, ...]
    target: str


PUBLISH = Move(Action.PUBLISH, gettext_lazy("审核发布"), (Status.DRAFT,), Status.PUBLISHED)
WITHDRAW = Move(Action.WITHDRAW, gettext_lazy("撤回"), (Status.PUBLISHED,), Status.WITHDRAWN)
REDRAFT = Move(Action.REDRAFT, gettext_lazy("重新编辑"), (Status.WITHDRAWN,), Status.DRAFT)
MOVES = {move.action: move for move in (PUBLISH, WITHDRAW, REDRAFT)}


def allowed_moves(case: TypicalCase, user) -> list[Move]:
    """The moves the user may make on the case now."""
    if not permissions.can_write_case(user, case):
        return []
    return [move for move in MOVES.values() if case.status in move.sources]


def can_edit(user, case: TypicalCase) -> bool:
    """A draft is edited (text and sources) by the office that wrote it."""
    return case.status == Status.DRAFT and permissions.can_write_case(user, case)


def record(case: TypicalCase, action: str, by, note: str = "") -> CaseEvent:
    return CaseEvent.objects.create(case=case, action=action, actor=by, note=note)


def check_fields(case: TypicalCase) -> None:
    case.title = required_text(case.title, "title", _("请填写标题。"))
    case.summary = required_text(case.summary, "summary", _("请填写摘要。"))
    case.body = required_text(case.body, "body", _("请填写正文。"))
    if case.kind not in TypicalCase.Kind.values:
        raise BusinessRuleError(_("请选择案例类型（正面典型或反面典型）。"), field="kind")
    if case.unit_id is None:
        raise BusinessRuleError(_("请选择涉及单位。"), field="unit")


@records_actor
@transaction.atomic
def create_case(*, title: str, kind: str, summary: str, body: str, unit: Unit, by: User) -> TypicalCase:
    """The supervising office writes a case (a draft of its unit)."""
    if not permissions.can_manage(by):
        raise BusinessRuleError(_("只有督办单位可以编写典型案例。"))
    case = TypicalCase(title=title, kind=kind, summary=summary, body=body, unit=unit, author_unit=by.unit,
                       created_by=by)  # fmt: skip
    check_fields(case)
    case.save()
    record(case, Action.CREATE, by, case.title)
    return case


@records_actor
@transaction.atomic
def update_case(*, case: TypicalCase, by: User, **values) -> TypicalCase:
    """Correct a draft."""
    if not can_edit(by, case):
        raise BusinessRuleError(_("只有编写单位可以修改草稿状态的典型案例。"))
    unknown = set(values) - {"title", "kind", "summary", "body", "unit"}
    if unknown:
        raise ValueError(f"not updatable: {sorted(unknown)}")
    for name, value in values.items():
        setattr(case, name, value)
    check_fields(case)
    case.save()
    record(case, Action.UPDATE, by)
    return case


def linkable(kind: str, by: User):
    """The records of a kind the writer may link: within their scope; the city's office reaches them all."""
    from apps.appeals.models import Appeal
    from apps.appeals.permissions import visible_appeals

    if kind == "problem":
        return permissions.visible_problems(by)
    if kind == "commitment":
        return permissions.visible_commitments(by)
    if kind == "appeal":
        return Appeal.objects.all() if permissions.sees_all(by) else visible_appeals(by)
    if kind == "project":
        return permissions.commitment_projects(by)
    raise BusinessRuleError(_("请选择来源类型。"), field="kind")


def _find(kind: str, reference: str, by: User):
    records = linkable(kind, by)
    if kind == "commitment":
        found = records.filter(pk=int(reference)).first() if reference.isdigit() else None
    else:
        found = records.filter(**{"code" if kind in ("problem", "project") else "number": reference}).first()
    if found is None:
        raise BusinessRuleError(
            _("未找到编号为“%(ref)s”的%(kind)s，或不在您的查看范围内。")
            % {"ref": reference, "kind": KIND_LABELS[kind]},
            field="reference",
        )
    return found


@records_actor
@transaction.atomic
def add_source(*, case: TypicalCase, kind: str, reference: str, by: User) -> CaseSource:
    """Link the draft to a source record (once each)."""
    if not can_edit(by, case):
        raise BusinessRuleError(_("只有编写单位可以为草稿状态的典型案例关联来源。"))
    if kind not in CaseSource.KINDS:
        raise BusinessRuleError(_("请选择来源类型。"), field="kind")
    target = _find(kind, required_text(reference, "reference", _("请填写来源记录的编号。")), by)
    if case.sources.filter(**{kind: target}).exists():
        raise BusinessRuleError(_("该来源已关联。"), field="reference")
    source = CaseSource.objects.create(case=case, **{kind: target})
    record(case, Action.ADD_SOURCE, by, f"{KIND_LABELS[kind]}：{label_of(kind, target)}")
    return source


@records_actor
@transaction.atomic
def remove_source(*, source: CaseSource, by: User) -> None:
    """Unlink a source from the draft."""
    case = source.case
    if not can_edit(by, case):
        raise BusinessRuleError(_("只有编写单位可以为草稿状态的典型案例移除来源。"))
    note = f"{KIND_LABELS[source.kind]}：{label_of(source.kind, source.target)}"
    source.delete()
    record(case, Action.REMOVE_SOURCE, by, note)


def _move(case: TypicalCase, move: Move, by: User, note: str, **values) -> TypicalCase:
    if move not in allowed_moves(case, by):
        if case.status not in move.sources:
            raise BusinessRuleError(_("该案例当前为“%(status)s”，不能%(move)s。")
                                    % {"status": case.get_status_display(), "move": move.label})  # fmt: skip
        raise BusinessRuleError(_("只有编写单位可以%(move)s。") % {"move": move.label})
    moved = TypicalCase.objects.filter(pk=case.pk, status=case.status).update(status=move.target, **values)
    if not moved:
        raise BusinessRuleError(_("该案例刚被他人处理，请刷新后查看。"))
    record(case, move.action, by, note)
    case.refresh_from_db()
    return case


@records_actor
@transaction.atomic
def publish_case(*, case: TypicalCase, note: str = "", by: User) -> TypicalCase:
    """Review and publish the draft internally; it needs at least one source record."""
    if case.status == Status.DRAFT and not case.sources.exists():
        raise BusinessRuleError(_("发布前请至少关联一条来源记录。"))
    return _move(case, PUBLISH, by, (note or "").strip(), published_by=by, published_at=timezone.now())


@records_actor
@transaction.atomic
def withdraw_case(*, case: TypicalCase, reason: str, by: User) -> TypicalCase:
    """Take a published case down; the reason is required."""
    return _move(case, WITHDRAW, by, required_text(reason, "reason", _("请填写撤回原因。")))


@records_actor
@transaction.atomic
def redraft_case(*, case: TypicalCase, by: User) -> TypicalCase:
    """Take a withdrawn case back to a draft to correct it."""
    return _move(case, REDRAFT, by, "")


# ---- the sources as a viewer sees them -------------------------------------------------------


@dataclass(frozen=True)
class SourceView:
    source: CaseSource
    kind_label: str
    label: str
    #: the record's page, or "" when the viewer may not open it
    url: str


def label_of(kind: str, target) -> str:
    """What a source is called on the page (a confidential ticket shows only its number)."""
    if kind == "problem":
        return f"{target.code} {target.title}"
    if kind == "commitment":
        return str(target)
    if kind == "appeal":
        return target.number if target.confidential else f"{target.number} {target.title}"
    return f"{target.code} {target.name}"


def _openable(kind: str, ids: list[int], user) -> set[int]:
    """Which of the records the viewer may open (one query)."""
    from apps.appeals.permissions import visible_appeals
    from apps.investment.permissions import visible_projects

    scoped = {
        "problem": (permissions.visible_problems, permissions.VIEW_PROBLEM),
        "commitment": (permissions.visible_commitments, permissions.VIEW_PROBLEM),
        "appeal": (visible_appeals, "appeals.view_appeal"),
        "project": (visible_projects, "investment.view_project"),
    }
    visible, permission = scoped[kind]
    if not user.has_perm(permission):
        return set()
    return set(visible(user).filter(pk__in=ids).values_list("pk", flat=True))


URL_NAMES = {
    "problem": "supervision:problem_detail",
    "commitment": "supervision:commitment_detail",
    "appeal": "appeals:detail",
    "project": "investment:project_detail",
}


def sources_for(case: TypicalCase, user) -> list[SourceView]:
    """The case's sources with a link to each one the viewer may open."""
    sources = list(case.sources.select_related("problem", "commitment", "appeal", "project"))
    ids: dict[str, list[int]] = {}
    for source in sources:
        ids.setdefault(source.kind, []).append(source.target.pk)
    openable = {kind: _openable(kind, pks, user) for kind, pks in ids.items()}
    rows = []
    for source in sources:
        kind, target = source.kind, source.target
        url = reverse(URL_NAMES[kind], args=[target.pk]) if target.pk in openable[kind] else ""
        rows.append(SourceView(source, str(KIND_LABELS[kind]), label_of(kind, target), url))
    return rows
