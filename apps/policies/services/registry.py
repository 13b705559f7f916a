"""The policy registry's writes (惠企政策库): documents and their items, publishing, repeal, copying an item.

Who: the issuing unit's policy officers or the city's policy office (permissions.can_edit_policy). A document
is a draft until published (it needs at least one item); a published document stays editable so that mistakes
can be corrected, and every change is kept by the audit log (apps/policies/audit.py). Repeal keeps the document
with its date and note (已废止); expiry is computed from the dates, never stored.
"""

from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.core.audit import records_actor
from apps.core.errors import BusinessRuleError, required_text
from apps.org.models import User
from apps.policies import permissions
from apps.policies.models import BenefitKind, Policy, PolicyItem

#: the working-day limits an item may set for each step
MIN_DAYS, MAX_DAYS = 1, 60

POLICY_FIELDS = (
    "title", "document_number", "kind", "parent", "issuing_unit", "issued_on", "effective_from", "expires_on",
    "summary", "full_text", "attachment",
)  # fmt: skip
ITEM_FIELDS = (
    "number", "title", "benefit_kind", "benefit", "fixed_amount", "cap_amount", "beneficiaries", "conditions",
    "materials", "department", "auto_grant", "review_days", "legal_days", "payment_days", "position",
)  # fmt: skip
DAY_FIELDS = (
    ("review_days", gettext_lazy("部门审核时限")),
    ("legal_days", gettext_lazy("法制审核时限")),
    ("payment_days", gettext_lazy("兑付时限")),
)


def _require_editor(by: User, policy: Policy) -> None:
    if not permissions.can_edit_policy(by, policy):
        raise BusinessRuleError(_("只有发文单位的政策管理员或市级政策管理部门可以维护该政策。"))


def check_policy(policy: Policy) -> None:
    """The rules a document's fields must meet (raises BusinessRuleError naming the field)."""
    policy.title = required_text(policy.title, "title", _("请填写政策名称。"))
    policy.document_number = required_text(policy.document_number, "document_number", _("请填写文号。"))
    if policy.kind not in Policy.Kind.values:
        raise BusinessRuleError(_("请选择政策类别。"), field="kind")
    _check_parent(policy)
    if policy.issuing_unit_id is None or not policy.issuing_unit.is_active:
        raise BusinessRuleError(_("请选择在用的发文单位。"), field="issuing_unit")
    _check_dates(policy)
    duplicate = Policy.objects.filter(document_number=policy.document_number).exclude(pk=policy.pk)
    if duplicate.exists():
        raise BusinessRuleError(
            _("文号“%(number)s”已登记，请核对。") % {"number": policy.document_number}, field="document_number"
        )


def _check_parent(policy: Policy) -> None:
    if policy.kind == Policy.Kind.MAIN:
        policy.parent = None
        return
    if policy.parent is None:
        raise BusinessRuleError(_("配套实施细则须选择所依据的主政策。"), field="parent")
    if policy.parent.kind != Policy.Kind.MAIN or (policy.pk and policy.parent.pk == policy.pk):
        raise BusinessRuleError(_("所依据的政策须是一项主政策。"), field="parent")
    if policy.pk and policy.measures.exists():
        raise BusinessRuleError(_("该政策下已有配套实施细则，不能改为配套实施细则。"), field="kind")


def _check_dates(policy: Policy) -> None:
    if policy.issued_on is None:
        raise BusinessRuleError(_("请填写发文日期。"), field="issued_on")
    if policy.effective_from is None:
        raise BusinessRuleError(_("请填写施行日期。"), field="effective_from")
    if policy.effective_from < policy.issued_on:
        raise BusinessRuleError(_("施行日期不能早于发文日期。"), field="effective_from")
    if policy.expires_on is not None and policy.expires_on < policy.effective_from:
        raise BusinessRuleError(_("有效期截止日期不能早于施行日期。"), field="expires_on")


def _assign(obj, names: tuple[str, ...], values: dict) -> None:
    unknown = set(values) - set(names)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    for name, value in values.items():
        if name == "attachment" and value is False:  # the form's "clear" box
            value = ""
        setattr(obj, name, value.strip() if isinstance(value, str) else value)


@records_actor
@transaction.atomic
def create_policy(*, by: User, **values) -> Policy:
    """Register a policy document as a draft."""
    policy = Policy(created_by=by)
    _assign(policy, POLICY_FIELDS, values)
    if policy.issuing_unit_id is None:
        raise BusinessRuleError(_("请选择在用的发文单位。"), field="issuing_unit")
    _require_editor(by, policy)
    check_policy(policy)
    policy.full_clean()
    policy.save()
    return policy


@records_actor
@transaction.atomic
def update_policy(*, policy: Policy, by: User, **values) -> Policy:
    """Correct a document (also a published one: the audit log keeps every change)."""
    _require_editor(by, policy)
    if policy.repealed_on is not None:
        raise BusinessRuleError(_("已废止的政策不能修改。"))
    _assign(policy, POLICY_FIELDS, values)
    _require_editor(by, policy)  # the new issuing unit must be the editor's too
    check_policy(policy)
    policy.full_clean()
    policy.save()
    return policy


@records_actor
@transaction.atomic
def publish_policy(*, policy: Policy, by: User) -> Policy:
    """Publish a draft that has at least one item."""
    _require_editor(by, policy)
    if policy.published_at is not None:
        raise BusinessRuleError(_("该政策已发布。"))
    if not policy.items.exists():
        raise BusinessRuleError(_("请先录入至少一个政策条款再发布。"))
    if policy.parent is not None and policy.parent.published_at is None:
        raise BusinessRuleError(_("请先发布所依据的主政策。"))
    policy.published_at = timezone.now()
    policy.save(update_fields=["published_at", "updated_at"])
    return policy


@records_actor
@transaction.atomic
def repeal_policy(*, policy: Policy, repealed_on: date | None, note: str, by: User) -> Policy:
    """Repeal a published document: it stays in the registry, marked 已废止 with the date and the note."""
    _require_editor(by, policy)
    if policy.published_at is None:
        raise BusinessRuleError(_("草稿不需要废止，可直接修改。"))
    if policy.repealed_on is not None:
        raise BusinessRuleError(_("该政策已废止。"))
    if repealed_on is None:
        raise BusinessRuleError(_("请填写废止日期。"), field="repealed_on")
    if repealed_on < policy.issued_on:
        raise BusinessRuleError(_("废止日期不能早于发文日期。"), field="repealed_on")
    policy.repeal_note = required_text(note, "repeal_note", _("请填写废止说明（如依据的文件）。"))
    policy.repealed_on = repealed_on
    policy.full_clean()
    policy.save()
    return policy


def check_item(item: PolicyItem) -> None:
    """The rules an item's fields must meet (raises BusinessRuleError naming the field)."""
    item.number = required_text(item.number, "number", _("请填写条款序号。"))
    item.title = required_text(item.title, "title", _("请填写条款名称。"))
    if item.benefit_kind not in BenefitKind.values:
        raise BusinessRuleError(_("请选择支持方式。"), field="benefit_kind")
    item.benefit = required_text(item.benefit, "benefit", _("请填写支持内容。"))
    item.beneficiaries = required_text(item.beneficiaries, "beneficiaries", _("请填写支持对象。"))
    item.conditions = required_text(item.conditions, "conditions", _("请填写申报条件。"))
    if item.department_id is None or not item.department.is_active:
        raise BusinessRuleError(_("请选择在用的责任部门。"), field="department")
    _check_amounts(item)
    for name, label in DAY_FIELDS:
        days = getattr(item, name)
        if days is None or not MIN_DAYS <= days <= MAX_DAYS:
            raise BusinessRuleError(
                _("%(label)s须为 %(low)s 至 %(high)s 个工作日。") % {"label": label, "low": MIN_DAYS, "high": MAX_DAYS},
                field=name,
            )
    item.materials = "\n".join(line.strip() for line in (item.materials or "").splitlines() if line.strip())


def _check_amounts(item: PolicyItem) -> None:
    for name, label in (("fixed_amount", _("定额")), ("cap_amount", _("最高限额"))):
        amount = getattr(item, name)
        if amount is not None and amount <= Decimal(0):
            raise BusinessRuleError(_("%(label)s须大于 0。") % {"label": label}, field=name)
    if item.fixed_amount is not None and item.cap_amount is not None and item.cap_amount < item.fixed_amount:
        raise BusinessRuleError(_("最高限额不能低于定额。"), field="cap_amount")


def _save_item(item: PolicyItem) -> PolicyItem:
    check_item(item)
    item.full_clean()
    item.save()
    return item


def _require_open(policy: Policy) -> None:
    if policy.repealed_on is not None:
        raise BusinessRuleError(_("已废止的政策不能再修改条款。"))


@records_actor
@transaction.atomic
def create_item(*, policy: Policy, by: User, **values) -> PolicyItem:
    """Add an item to a document (its rule is set in the rule editor)."""
    _require_editor(by, policy)
    _require_open(policy)
    item = PolicyItem(policy=policy)
    _assign(item, ITEM_FIELDS, values)
    if "position" not in values:
        item.position = policy.items.count() + 1
    return _save_item(item)


@records_actor
@transaction.atomic
def update_item(*, item: PolicyItem, by: User, **values) -> PolicyItem:
    """Correct an item (also of a published document: the audit log keeps every change)."""
    _require_editor(by, item.policy)
    _require_open(item.policy)
    _assign(item, ITEM_FIELDS, values)
    return _save_item(item)


@records_actor
@transaction.atomic
def copy_item(*, item: PolicyItem, by: User, policy: Policy | None = None) -> PolicyItem:
    """A copy of the item with its rule, at the end of ``policy`` (default: the same document), to edit."""
    target = policy or item.policy
    _require_editor(by, target)
    _require_open(target)
    values = {name: getattr(item, name) for name in ITEM_FIELDS if name != "position"}
    copy = PolicyItem(policy=target, rule=item.rule, **values)
    if target.pk == item.policy_id:
        copy.title = _("%(title)s（副本）") % {"title": item.title}
        copy.title = copy.title[: PolicyItem._meta.get_field("title").max_length]
    copy.position = target.items.count() + 1
    return _save_item(copy)
