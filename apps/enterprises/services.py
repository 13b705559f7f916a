"""Writes to the registry: enterprises, their names, tags and contacts, duplicate decisions.

Every service keeps the name index in step inside its own transaction, so a search right after a
write already sees it. django-auditlog records the changes (apps/enterprises/audit.py); merges are
further recorded as Merge rows that hold what moved, which is what makes them undoable.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.audit import records_actor
from apps.core.errors import BusinessRuleError
from apps.enterprises.index import fill_enterprise_fields, fill_name_fields, index_enterprise
from apps.enterprises.matching.normalize import clean_name
from apps.enterprises.models import Contact, DuplicateSuggestion, Enterprise, EnterpriseName, Industry, Tag
from apps.enterprises.uscc import clean_uscc

IDENTITY_FIELDS = (
    "legal_form",
    "region_code",
    "region_name",
    "address",
    "registered_capital",
    "founded_on",
    "industry",
    "business_scope",
)


@dataclass
class EnterpriseData:
    """What a person (or an import row) says about an enterprise; the same for registration and editing."""

    name: str
    uscc: str = ""
    legal_form: str = ""
    region_code: str = ""
    region_name: str = ""
    address: str = ""
    registered_capital: Decimal | None = None
    founded_on: date | None = None
    industry: Industry | None = None
    business_scope: str = ""
    parent: Enterprise | None = None
    group_role: str = Enterprise.GroupRole.INDEPENDENT
    tags: Sequence[Tag] = ()
    short_names: Sequence[str] = ()
    former_names: Sequence[str] = ()
    extra: dict = field(default_factory=dict)


def _full_clean(obj: models.Model, exclude: Iterable[str] = ()) -> None:
    try:
        obj.full_clean(exclude=list(exclude), validate_unique=False)
    except ValidationError as exc:
        name, messages = next(iter(exc.message_dict.items()))
        label = obj._meta.get_field(name).verbose_name if name != "__all__" else ""
        raise BusinessRuleError(f"{label}：{' '.join(messages)}" if label else " ".join(messages), field=name) from exc


def _check_name(name: str) -> str:
    name = " ".join(name.split())
    if len(clean_name(name)) < 2:
        raise BusinessRuleError(_("请填写企业名称（至少两个字）。"), field="name")
    return name


def _check_uscc(code: str, *, enterprise: Enterprise | None = None) -> str | None:
    code = clean_uscc(code)
    if not code:
        return None
    holder = Enterprise.objects.filter(uscc=code).exclude(pk=getattr(enterprise, "pk", None)).first()
    if holder is not None:
        raise BusinessRuleError(
            _("统一社会信用代码 %(code)s 已登记为“%(name)s”，请勿重复登记；如为同一企业请直接使用该记录。")
            % {"code": code, "name": holder.name},
            field="uscc",
        )
    return code


def _check_group(data: EnterpriseData, enterprise: Enterprise | None) -> None:
    role, parent = data.group_role, data.parent
    if role == Enterprise.GroupRole.INDEPENDENT and parent is not None:
        raise BusinessRuleError(_("独立企业不填上级企业；子公司或分支机构请选择相应的集团关系。"), field="group_role")
    if role != Enterprise.GroupRole.INDEPENDENT and parent is None:
        raise BusinessRuleError(_("子公司和分支机构须选择上级企业。"), field="parent")
    if parent is None:
        return
    if parent.status != Enterprise.Status.ACTIVE:
        raise BusinessRuleError(
            _("上级企业“%(name)s”已被合并，请选择合并后的记录。") % {"name": parent.name}, field="parent"
        )
    ancestor = parent
    while enterprise is not None and ancestor is not None:
        if ancestor.pk == enterprise.pk:
            raise BusinessRuleError(_("上级企业不能是本企业或其下属企业。"), field="parent")
        ancestor = ancestor.parent


def _aliases(data: EnterpriseData) -> list[tuple[str, str]]:
    """(name, kind) of every alias, without blanks, repeats or the full name itself."""
    seen = {data.name}
    aliases = []
    for kind, names in ((EnterpriseName.Kind.SHORT, data.short_names), (EnterpriseName.Kind.FORMER, data.former_names)):
        for alias in names:
            alias = " ".join(alias.split())
            if alias and alias not in seen:
                seen.add(alias)
                aliases.append((alias, kind))
    return aliases


def _add_name(enterprise: Enterprise, name: str, kind: str) -> EnterpriseName:
    row = EnterpriseName(enterprise=enterprise, name=name, kind=kind)
    fill_name_fields(row)
    _full_clean(row, exclude=["enterprise"])
    row.save()
    return row


def _apply(enterprise: Enterprise, data: EnterpriseData) -> None:
    enterprise.name = data.name
    for name in IDENTITY_FIELDS:
        value = getattr(data, name)
        setattr(enterprise, name, value.strip() if isinstance(value, str) else value)
    enterprise.parent = data.parent
    enterprise.group_role = data.group_role
    fill_enterprise_fields(enterprise)


@records_actor
@transaction.atomic
def register_enterprise(*, data: EnterpriseData, by: AbstractBaseUser | None) -> Enterprise:
    """Add an enterprise to the registry; the caller has shown the likely duplicates to the person first."""
    data.name = _check_name(data.name)
    code = _check_uscc(data.uscc)
    _check_group(data, None)
    enterprise = Enterprise(uscc=code, created_by=by)
    _apply(enterprise, data)
    _full_clean(enterprise, exclude=["uscc", "created_by"])
    enterprise.save()
    enterprise.tags.set(data.tags)
    _add_name(enterprise, data.name, EnterpriseName.Kind.FULL)
    for alias, kind in _aliases(data):
        _add_name(enterprise, alias, kind)
    index_enterprise(enterprise)
    return enterprise


@records_actor
@transaction.atomic
def update_enterprise(*, enterprise: Enterprise, data: EnterpriseData, by: AbstractBaseUser) -> Enterprise:
    """Change an enterprise's identity; a changed full name is kept as a former name (曾用名)."""
    enterprise = Enterprise.objects.select_for_update().get(pk=enterprise.pk)
    if enterprise.status != Enterprise.Status.ACTIVE:
        raise BusinessRuleError(_("该企业已被合并，不能修改；请修改合并后的记录。"))
    data.name = _check_name(data.name)
    code = _check_uscc(data.uscc, enterprise=enterprise)
    _check_group(data, enterprise)
    old_name = enterprise.name
    enterprise.uscc = code
    _apply(enterprise, data)
    _full_clean(enterprise, exclude=["uscc", "created_by"])
    enterprise.save()
    enterprise.tags.set(data.tags)
    if old_name != data.name:
        _rename(enterprise, old_name, data.name)
    index_enterprise(enterprise)
    return enterprise


def _rename(enterprise: Enterprise, old: str, new: str) -> None:
    enterprise.names.filter(name=new).delete()
    full = enterprise.names.filter(kind=EnterpriseName.Kind.FULL).first()
    if full is not None:
        full.kind = EnterpriseName.Kind.FORMER
        full.save(update_fields=["kind"])
    elif not enterprise.names.filter(name=old).exists():
        _add_name(enterprise, old, EnterpriseName.Kind.FORMER)
    _add_name(enterprise, new, EnterpriseName.Kind.FULL)


@records_actor
@transaction.atomic
def add_enterprise_name(*, enterprise: Enterprise, name: str, kind: str, by: AbstractBaseUser) -> EnterpriseName:
    """Record another name the enterprise is known by (简称, 曾用名, 英文名称 …)."""
    name = _check_name(name)
    if kind == EnterpriseName.Kind.FULL:
        raise BusinessRuleError(_("全称请在企业信息中修改。"), field="kind")
    if enterprise.names.filter(name=name).exists():
        raise BusinessRuleError(_("“%(name)s”已在该企业的名称中。") % {"name": name}, field="name")
    row = _add_name(enterprise, name, kind)
    index_enterprise(enterprise)
    return row


@records_actor
@transaction.atomic
def remove_enterprise_name(*, name: EnterpriseName, by: AbstractBaseUser) -> None:
    """Forget an alias; the full name cannot be removed."""
    if name.kind == EnterpriseName.Kind.FULL:
        raise BusinessRuleError(_("不能删除企业全称。"))
    enterprise = name.enterprise
    name.delete()
    index_enterprise(enterprise)


# ---- tags ----------------------------------------------------------------------------------


@records_actor
@transaction.atomic
def save_tag(*, tag: Tag | None, name: str, description: str, by: AbstractBaseUser) -> Tag:
    """Create a tag, or rename a tag an administrator added (built-in tags keep their names)."""
    name = name.strip()
    if Tag.objects.filter(name=name).exclude(pk=getattr(tag, "pk", None)).exists():
        raise BusinessRuleError(_("已有名为“%(name)s”的标签。") % {"name": name}, field="name")
    if tag is not None and tag.is_builtin and tag.name != name:
        raise BusinessRuleError(_("内置标签不能改名。"), field="name")
    tag = tag or Tag()
    tag.name, tag.description = name, description.strip()
    _full_clean(tag)
    tag.save()
    return tag


@records_actor
@transaction.atomic
def delete_tag(*, tag: Tag, by: AbstractBaseUser) -> None:
    """Remove a tag an administrator added and no enterprise carries."""
    if tag.is_builtin:
        raise BusinessRuleError(_("内置标签不能删除。"))
    carried = tag.enterprises.count()
    if carried:
        raise BusinessRuleError(_("有 %(count)s 家企业带有该标签，请先取消后再删除。") % {"count": carried})
    tag.delete()


# ---- contacts ------------------------------------------------------------------------------


@records_actor
@transaction.atomic
def save_contact(*, contact: Contact | None, enterprise: Enterprise, by: AbstractBaseUser, **fields: str) -> Contact:
    """Create a contact owned by the recorder's unit, or change one."""
    if by.unit is None:
        raise BusinessRuleError(_("您的账号不属于任何单位，不能登记联系人。"))
    contact = contact or Contact(enterprise=enterprise, unit=by.unit)
    for name, value in fields.items():
        setattr(contact, name, value.strip())
    _full_clean(contact, exclude=["enterprise", "unit"])
    contact.save()
    return contact


@records_actor
@transaction.atomic
def delete_contact(*, contact: Contact, by: AbstractBaseUser) -> None:
    """Remove a contact."""
    contact.delete()


# ---- duplicate suggestions -----------------------------------------------------------------


def suggest_duplicate(
    *, first: Enterprise, second: Enterprise, verdict: str, score: float, reasons: list, source: str
) -> DuplicateSuggestion | None:
    """Open a suggestion for the pair unless one exists (a dismissed pair is not suggested again)."""
    if first.pk == second.pk:
        return None
    low, high = sorted((first.pk, second.pk))
    suggestion, created = DuplicateSuggestion.objects.get_or_create(
        first_id=low,
        second_id=high,
        defaults={"verdict": verdict, "score": score, "reasons": reasons, "source": source},
    )
    return suggestion if created else None


@records_actor
@transaction.atomic
def dismiss_suggestion(*, suggestion: DuplicateSuggestion, by: AbstractBaseUser) -> DuplicateSuggestion:
    """Decide that the pair are different enterprises; later scans will not suggest them again."""
    if suggestion.status != DuplicateSuggestion.Status.OPEN:
        raise BusinessRuleError(_("该疑似重复已处理。"))
    suggestion.status = DuplicateSuggestion.Status.DISMISSED
    suggestion.decided_by, suggestion.decided_at = by, timezone.now()
    suggestion.save()
    return suggestion
