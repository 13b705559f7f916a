"""The credit lists' writes (信用红黑名单) and their effects.

Entries: recorded by hand or imported (services/credit_import.py) by a holder of MANAGE_CREDIT, whose unit
becomes the recording unit; the enterprise is found by its USCC (GB 32100 check, then the registry). Repairs
(信用修复): asked for with a reason and evidence, decided by a second person (``REPAIR_MOVES``: approve or
reject, each re-checked, a conditional UPDATE, a CreditEvent); an approved repair keeps the entry and marks it
已修复移出.

Effects: ``CreditEffectRule`` says what each list means at each place. ``effects_for`` gives the effects the
entries in force have today for some enterprises at a place (one query for the entries, rules cached per
call) and logs them (``log_effects``: one CreditEffectLog per entry, place, object and day, inserted with
ignore_conflicts so repeating it adds nothing). ``credit_block_reason`` is what the policies app calls before
a fulfilment; project screening calls ``screening_effects``; the pages show ``marks_for`` (apps/enterprises/
marks.py).
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Model
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.core.audit import records_actor
from apps.core.errors import BusinessRuleError, required_text
from apps.enterprises.marks import Mark
from apps.enterprises.models import Enterprise
from apps.enterprises.uscc import normalize_uscc, uscc_problem
from apps.org.models import User
from apps.supervision import permissions
from apps.supervision.models import (
    CreditEffect,
    CreditEffectLog,
    CreditEffectRule,
    CreditEntry,
    CreditEvent,
    CreditKind,
    CreditPlace,
    CreditRepair,
    CreditState,
)
from apps.supervision.services.problems import check_evidence_file

Action = CreditEvent.Action
RepairStatus = CreditRepair.Status


# ---- entries ----------------------------------------------------------------------------------


def enterprise_by_uscc(value: str) -> Enterprise:
    """The registry's enterprise with the code (GB 32100 checked first), or a refusal saying what is wrong."""
    code = normalize_uscc(value)
    if not code:
        raise BusinessRuleError(_("请填写统一社会信用代码。"), field="uscc")
    problem = uscc_problem(code)
    if problem:
        raise BusinessRuleError(problem, field="uscc")
    enterprise = Enterprise.objects.filter(uscc=code).select_related("merged_into").first()
    if enterprise is None:
        message = _("企业库中没有统一社会信用代码为 %(code)s 的企业，请先在企业名录中登记。") % {"code": code}
        raise BusinessRuleError(message, field="uscc")
    if enterprise.status == Enterprise.Status.MERGED and enterprise.merged_into is not None:
        return enterprise.merged_into
    return enterprise


def check_entry(entry: CreditEntry) -> None:
    """The rules an entry's fields must meet."""
    if entry.kind not in CreditKind.values:
        raise BusinessRuleError(_("请选择红名单或黑名单。"), field="kind")
    if entry.source not in CreditEntry.Source.values:
        raise BusinessRuleError(_("请选择名单来源。"), field="source")
    if entry.kind not in CreditEntry.SOURCE_KINDS[entry.source]:
        message = _("“%(source)s”不会列入%(kind)s，请核对名单类别或来源。")
        raise BusinessRuleError(
            message % {"source": entry.get_source_display(), "kind": entry.get_kind_display()}, field="source"
        )
    entry.reason = required_text(entry.reason, "reason", _("请填写列入原因。"))
    entry.legal_basis = required_text(entry.legal_basis, "legal_basis", _("请填写认定依据。"))
    entry.document_number = required_text(entry.document_number, "document_number", _("请填写认定文书号。"))
    if entry.decided_on is None:
        raise BusinessRuleError(_("请填写认定日期。"), field="decided_on")
    if entry.decided_on > timezone.localdate():
        raise BusinessRuleError(_("认定日期不能晚于今天。"), field="decided_on")
    entry.effective_from = entry.effective_from or entry.decided_on
    if entry.effective_from < entry.decided_on:
        raise BusinessRuleError(_("生效日期不能早于认定日期。"), field="effective_from")
    if entry.expires_on is not None and entry.expires_on < entry.effective_from:
        raise BusinessRuleError(_("有效期至不能早于生效日期。"), field="expires_on")


def _check_not_listed(entry: CreditEntry) -> None:
    twins = CreditEntry.objects.filter(
        enterprise=entry.enterprise, kind=entry.kind, source=entry.source, document_number=entry.document_number
    ).exclude(pk=entry.pk)
    if twins.exists():
        raise BusinessRuleError(
            _("该企业已按认定文书号“%(number)s”列入此名单，不能重复登记。") % {"number": entry.document_number},
            field="document_number",
        )


def record(entry: CreditEntry, action: str, by, note: str = "") -> CreditEvent:
    """A line of the entry's history."""
    return CreditEvent.objects.create(entry=entry, action=action, actor=by, note=note)


ENTRY_FIELDS = ("kind", "source", "reason", "legal_basis", "document_number", "decided_on", "effective_from",
                "expires_on")  # fmt: skip


@records_actor
@transaction.atomic
def create_entry(*, uscc: str, by: User, imported: bool = False, **values) -> CreditEntry:
    """Put an enterprise on a list (the unit of ``by`` becomes the recording unit)."""
    if not permissions.can_manage_credit(by):
        raise BusinessRuleError(_("只有督办单位可以登记信用名单。"))
    unknown = set(values) - set(ENTRY_FIELDS)
    if unknown:
        raise TypeError(f"not entry fields: {sorted(unknown)}")
    entry = CreditEntry(
        enterprise=enterprise_by_uscc(uscc), recording_unit=by.unit, recorded_by=by,
        **{name: value.strip() if isinstance(value, str) else value for name, value in values.items()},
    )  # fmt: skip
    check_entry(entry)
    _check_not_listed(entry)
    entry.full_clean()
    entry.save()
    record(entry, Action.IMPORT if imported else Action.CREATE, by, entry.reason)
    return entry


@records_actor
@transaction.atomic
def update_entry(*, entry: CreditEntry, by: User, uscc: str | None = None, **values) -> CreditEntry:
    """The recording unit (or the city's office) corrects an entry not yet repaired."""
    if not permissions.can_edit_credit(by, entry):
        raise BusinessRuleError(_("只有登记单位或市级督办单位可以修改信用名单条目。"))
    if entry.repaired_at is not None:
        raise BusinessRuleError(_("已修复移出的条目不能修改。"))
    unknown = set(values) - set(ENTRY_FIELDS)
    if unknown:
        raise TypeError(f"not entry fields: {sorted(unknown)}")
    if uscc is not None:
        entry.enterprise = enterprise_by_uscc(uscc)
    changed = [str(CreditEntry._meta.get_field(n).verbose_name) for n, v in values.items() if getattr(entry, n) != v]
    for name, value in values.items():
        setattr(entry, name, value.strip() if isinstance(value, str) else value)
    check_entry(entry)
    _check_not_listed(entry)
    entry.full_clean()
    entry.save()
    record(entry, Action.UPDATE, by, _("修改了：%(fields)s") % {"fields": "、".join(changed)} if changed else "")
    return entry


# ---- repairs (信用修复) -------------------------------------------------------------------------


@dataclass(frozen=True)
class RepairMove:
    action: str
    label: str
    sources: tuple[str, ...]
    target: str
    event: str


APPROVE = RepairMove("approve", gettext_lazy("批准修复"), (RepairStatus.REQUESTED,), RepairStatus.APPROVED,
                     Action.REPAIR_APPROVE)  # fmt: skip
REJECT = RepairMove("reject", gettext_lazy("驳回"), (RepairStatus.REQUESTED,), RepairStatus.REJECTED,
                    Action.REPAIR_REJECT)  # fmt: skip
REPAIR_MOVES = {move.action: move for move in (APPROVE, REJECT)}


def can_request_repair(user, entry: CreditEntry, today: date | None = None) -> bool:
    """A repair may be asked for an entry that still has (or will have) effect and has no open request."""
    state = entry.state_on(today or timezone.localdate())
    if state not in (CreditState.IN_FORCE, CreditState.PENDING) or not permissions.can_manage_credit(user):
        return False
    return not entry.repairs.filter(status=RepairStatus.REQUESTED).exists()


def allowed_repair_moves(repair: CreditRepair, user) -> list[RepairMove]:
    """The moves the user may make on the repair now: the page's forms, and what every move checks."""
    if not permissions.can_decide_repair(user, repair):
        return []
    return [move for move in REPAIR_MOVES.values() if repair.status in move.sources]


@records_actor
@transaction.atomic
def request_repair(*, entry: CreditEntry, reason: str, evidence: UploadedFile, by: User) -> CreditRepair:
    """Ask for the entry to be repaired (信用修复) with the reason and the evidence (e.g. 履行完毕证明)."""
    text = required_text(reason, "reason", _("请填写修复理由。"))
    if evidence is None:
        raise BusinessRuleError(_("请上传修复佐证材料。"), field="evidence")
    check_evidence_file(evidence)
    if not can_request_repair(by, entry):
        if not permissions.can_manage_credit(by):
            raise BusinessRuleError(_("只有督办单位可以申请信用修复。"))
        raise BusinessRuleError(_("该条目已失效或已有待审核的修复申请。"))
    repair = CreditRepair(entry=entry, reason=text, evidence=evidence, requested_by=by)
    try:
        with transaction.atomic():
            repair.save()
    except IntegrityError as error:  # another request was saved a moment ago
        raise BusinessRuleError(_("该条目已有待审核的修复申请。")) from error
    record(entry, Action.REPAIR_REQUEST, by, text)
    return repair


@records_actor
@transaction.atomic
def decide_repair(*, repair: CreditRepair, action: str, note: str, by: User) -> CreditRepair:
    """Approve (the entry is marked 已修复移出 and its effects stop) or reject (the note says why) a repair."""
    move = REPAIR_MOVES[action]
    if move not in allowed_repair_moves(repair, by):
        if repair.requested_by_id == by.pk:
            raise BusinessRuleError(_("信用修复须由申请人以外的审核人审核。"))
        if repair.status not in move.sources:
            raise BusinessRuleError(_("该修复申请已审核。"))
        raise BusinessRuleError(_("只有具有信用修复审核权限的人员可以审核。"))
    text = (note or "").strip()
    if move is REJECT and not text:
        raise BusinessRuleError(_("请填写驳回理由。"), field="note")
    now = timezone.now()
    moved = CreditRepair.objects.filter(pk=repair.pk, status=repair.status).update(
        status=move.target, decided_by=by, decided_at=now, decision_note=text
    )
    if not moved:
        raise BusinessRuleError(_("该修复申请刚被他人审核，请刷新后查看。"))
    if move is APPROVE:
        CreditEntry.objects.filter(pk=repair.entry_id, repaired_at__isnull=True).update(repaired_at=now)
    record(repair.entry, move.event, by, text)
    repair.refresh_from_db()
    return repair


# ---- effect rules -----------------------------------------------------------------------------


@records_actor
@transaction.atomic
def update_effect_rule(*, rule: CreditEffectRule, effect: str, basis: str, by: User) -> CreditEffectRule:
    """The city's supervising office changes what a list means at a place."""
    if not permissions.can_edit_credit_rules(by):
        raise BusinessRuleError(_("只有市级督办单位可以修改信用联合奖惩规则。"))
    allowed = CreditEffectRule.ALLOWED[(rule.kind, rule.place)]
    if effect not in allowed:
        labels = "、".join(str(CreditEffect(value).label) for value in allowed)
        raise BusinessRuleError(_("该名单在此场景可选的措施为：%(labels)s。") % {"labels": labels}, field="effect")
    rule.effect, rule.basis, rule.updated_by = effect, (basis or "").strip(), by
    rule.full_clean()
    rule.save()
    return rule


# ---- effects ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class AppliedEffect:
    """What an entry in force means at a place today."""

    entry: CreditEntry
    place: str
    effect: str

    @property
    def label(self) -> str:
        return str(CreditEffect(self.effect).label)

    @property
    def description(self) -> str:
        """The listing in one sentence: the enterprise, the source, the document and (black) the reason."""
        entry = self.entry
        values = {
            "name": entry.enterprise.name, "source": entry.get_source_display(), "reason": entry.reason[:120],
            "number": entry.document_number,
        }  # fmt: skip
        if entry.is_black:
            return _("%(name)s 列入%(source)s（%(number)s），原因：%(reason)s") % values
        return _("%(name)s 为守信激励对象（%(source)s，%(number)s）") % values

    @property
    def message(self) -> str:
        """The description after the list's measure: 失信惩戒：… or 绿色通道：…"""
        prefix = _("失信惩戒") if self.entry.is_black else _("绿色通道")
        return f"{prefix}：{self.description}"


def rules_by_key() -> dict[tuple[str, str], str]:
    """(list, place) → effect."""
    return {(r.kind, r.place): r.effect for r in CreditEffectRule.objects.all()}


def effects_for(
    enterprises: Iterable[Enterprise], place: str, *, today: date | None = None, rules: dict | None = None
) -> dict[int, list[AppliedEffect]]:
    """Enterprise id → the effects its entries in force have at the place (black ones first); two queries."""
    ids = {enterprise.pk for enterprise in enterprises}
    if not ids:
        return {}
    today = today or timezone.localdate()
    rules = rules_by_key() if rules is None else rules
    kinds = [kind for kind in CreditKind.values if rules.get((kind, place), CreditEffect.NONE) != CreditEffect.NONE]
    if not kinds:
        return {}
    entries = (
        CreditEntry.objects.in_force(today)
        .filter(enterprise_id__in=ids, kind__in=kinds)
        .select_related("enterprise")
        .order_by("kind", "-decided_on", "id")  # "black" sorts before "red"
    )
    found: dict[int, list[AppliedEffect]] = defaultdict(list)
    for entry in entries:
        found[entry.enterprise_id].append(AppliedEffect(entry, place, rules[(entry.kind, place)]))
    return dict(found)


def object_key(obj: Model | None, fallback: str = "") -> str:
    """How the effect log names an object: "investment.project:12"."""
    return f"{obj._meta.label_lower}:{obj.pk}" if obj is not None else fallback


def log_effects(
    effects: Iterable[AppliedEffect], *, key: str = "", label: str = "", url: str = "", today: date | None = None
) -> None:
    """Log each effect applied to the object (``key``; without one, the effect's enterprise): once a day per
    entry, place and object, in one insert."""
    today = today or timezone.localdate()
    rows = []
    for e in effects:
        target_key = key or object_key(e.entry.enterprise)
        target_label = label or e.entry.enterprise.name
        rows.append(
            CreditEffectLog(
                entry=e.entry,
                place=e.place,
                effect=e.effect,
                object_key=target_key[:100],
                object_label=target_label[:200],
                object_url=url[:200],
                on=today,
            )  # fmt: skip
        )
    if rows:
        CreditEffectLog.objects.bulk_create(rows, ignore_conflicts=True)


def credit_block_reason(enterprise: Enterprise, place: str, *, obj: Model | None = None, label: str = "") -> str | None:
    """Why the enterprise may not have a benefit at the place (e.g. CreditPlace.FULFILMENT), or None.

    A black-list entry in force whose rule there is 限制 blocks; the block is logged against ``obj`` (the
    fulfilment, when the caller has one) or the enterprise.
    """
    effects = effects_for([enterprise], place).get(enterprise.pk, [])
    blocking = [effect for effect in effects if effect.effect == CreditEffect.BLOCK]
    if not blocking:
        return None
    target = obj if obj is not None else enterprise
    log_effects(blocking, key=object_key(target), label=label or str(target))
    return "；".join(effect.message for effect in blocking)


def screening_effects(enterprise: Enterprise | None) -> list[AppliedEffect]:
    """What the enterprise's entries in force mean at project screening (nothing is logged: see log_effects)."""
    if enterprise is None or enterprise.pk is None:
        return []
    return effects_for([enterprise], CreditPlace.SCREENING).get(enterprise.pk, [])


# ---- marks on the pages (apps/enterprises/marks.py) -----------------------------------------


def marks_for(enterprises: list[Enterprise], user, *, shown_on: Model | None = None, url: str = ""):
    """The warning and fast-lane marks of the enterprises as shown on a page (logged as display effects)."""
    effects = effects_for(enterprises, CreditPlace.DISPLAY)
    may_read = user.has_perm(permissions.VIEW_CREDIT)
    marks: dict[int, list[Mark]] = {}
    for pk, applied in effects.items():
        marks[pk] = [_mark(effect, may_read) for effect in applied]
    if effects:
        _log_display(effects, shown_on, url)
    return marks


def _mark(effect: AppliedEffect, may_read: bool) -> Mark:
    entry = effect.entry
    url = reverse("supervision:credit_detail", args=[entry.pk]) if may_read else ""
    if effect.effect == CreditEffect.FLAG:
        return Mark(_("失信惩戒"), effect.description, Mark.DANGER, url)
    return Mark(_("绿色通道"), effect.description, Mark.SUCCESS, url)


def _log_display(effects: dict[int, list[AppliedEffect]], shown_on, url: str) -> None:
    """On a project's page the object is the project; on the enterprise's page or the registry list, the
    enterprise itself."""
    everything = [effect for applied in effects.values() for effect in applied]
    if shown_on is None:
        log_effects(everything)
        return
    log_effects(everything, key=object_key(shown_on), label=str(shown_on), url=url)
