"""Merging a duplicate into the record that survives, and undoing it.

Every reference to the duplicate from every app is moved: the references are found through the
model graph (each foreign key pointing at Enterprise), so an app added later is covered without
registering anything. What moved is written down in the Merge row, which is what undo reads.
"""

from datetime import date
from decimal import Decimal

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.audit import records_actor
from apps.core.errors import BusinessRuleError
from apps.enterprises.index import index_enterprise
from apps.enterprises.models import DuplicateSuggestion, Enterprise, EnterpriseName, Merge, NameGram
from apps.enterprises.services import IDENTITY_FIELDS

#: relations the merge handles itself rather than by moving rows
OWN_MODELS = (EnterpriseName, NameGram, DuplicateSuggestion, Merge, Enterprise, Enterprise.tags.through)
CHILDREN_KEY = "enterprises.Enterprise.parent"


def references() -> list[tuple[type[models.Model], str]]:
    """(model, foreign key name) of every relation that points at an enterprise from outside the registry."""
    found = []
    for relation in Enterprise._meta.get_fields(include_hidden=True):
        if not (relation.auto_created and not relation.concrete and (relation.one_to_many or relation.one_to_one)):
            continue
        if relation.related_model in OWN_MODELS:
            continue
        found.append((relation.related_model, relation.field.name))
    return found


def _key(model: type[models.Model], field: str) -> str:
    return f"{model._meta.label}.{field}"


@records_actor
@transaction.atomic
def merge_enterprises(
    *, survivor: Enterprise, merged: Enterprise, by: AbstractBaseUser, suggestion: DuplicateSuggestion | None = None
) -> Merge:
    """Merge ``merged`` into ``survivor``: references, names, tags and missing identity move over."""
    survivor, merged = _lock(survivor, merged)
    _check_mergeable(survivor, merged)
    moved = _move_references(merged, survivor)
    snapshot = {
        "names": _take_names(merged, survivor),
        "tags": _take_tags(merged, survivor),
        "fields": _take_identity(merged, survivor),
        "survivor_parent": _detach_from(survivor, merged),
    }
    code = merged.uscc or ""
    take_code = bool(code) and not survivor.uscc
    merged.status, merged.merged_into = Enterprise.Status.MERGED, survivor
    if take_code:
        merged.uscc = None
    merged.save()
    if take_code:
        survivor.uscc = code
    survivor.save()
    snapshot["uscc"] = code if take_code else ""
    snapshot["closed_suggestions"] = _close_suggestions(merged, suggestion, by)
    index_enterprise(merged)
    index_enterprise(survivor)
    return Merge.objects.create(
        survivor=survivor, merged=merged, suggestion=suggestion, moved=moved, snapshot=snapshot, merged_by=by
    )


def _lock(*enterprises: Enterprise) -> list[Enterprise]:
    locked = Enterprise.objects.select_for_update().in_bulk([e.pk for e in enterprises])
    return [locked[e.pk] for e in enterprises]


def _check_mergeable(survivor: Enterprise, merged: Enterprise) -> None:
    if survivor.pk == merged.pk:
        raise BusinessRuleError(_("不能把企业合并到它自己。"))
    for enterprise in (survivor, merged):
        if enterprise.status != Enterprise.Status.ACTIVE:
            raise BusinessRuleError(_("“%(name)s”已被合并到其他记录，不能再合并。") % {"name": enterprise.name})
    if survivor.uscc and merged.uscc and survivor.uscc != merged.uscc:
        raise BusinessRuleError(
            _(
                "两家企业的统一社会信用代码不同（%(first)s / %(second)s），是不同的法人，不能合并；如属同一集团，请设置上级企业。"
            )
            % {"first": survivor.uscc, "second": merged.uscc}
        )


def _move_references(merged: Enterprise, survivor: Enterprise) -> dict[str, list]:
    moved: dict[str, list] = {}
    for model, field in references():
        rows = model._default_manager.filter(**{field: merged})
        pks = list(rows.values_list("pk", flat=True))
        if not pks:
            continue
        try:
            with transaction.atomic():
                model._default_manager.filter(pk__in=pks).update(**{field: survivor})
        except IntegrityError as error:
            raise BusinessRuleError(
                _("两家企业在“%(what)s”中都有记录且不能重复，请先在该业务中处理后再合并。")
                % {"what": model._meta.verbose_name}
            ) from error
        moved[_key(model, field)] = pks
    children = list(Enterprise.objects.filter(parent=merged).exclude(pk=survivor.pk).values_list("pk", flat=True))
    if children:
        Enterprise.objects.filter(pk__in=children).update(parent=survivor)
        moved[CHILDREN_KEY] = children
    return moved


def _detach_from(survivor: Enterprise, merged: Enterprise) -> dict | None:
    """A survivor under the duplicate moves up to the duplicate's own parent; returns what it was."""
    if survivor.parent_id != merged.pk:
        return None
    before = {"parent": survivor.parent_id, "group_role": survivor.group_role}
    survivor.parent_id = merged.parent_id
    if merged.parent_id is None:
        survivor.group_role = Enterprise.GroupRole.INDEPENDENT
    return before


def _take_names(merged: Enterprise, survivor: Enterprise) -> list[int]:
    present = set(survivor.names.values_list("name", flat=True))
    added = []
    for alias in merged.names.order_by("id"):
        if alias.name in present:
            continue
        kind = EnterpriseName.Kind.FORMER if alias.kind == EnterpriseName.Kind.FULL else alias.kind
        copy = EnterpriseName.objects.create(
            enterprise=survivor,
            name=alias.name,
            kind=kind,
            name_clean=alias.name_clean,
            pinyin_initials=alias.pinyin_initials,
        )
        present.add(alias.name)
        added.append(copy.pk)
    return added


def _take_tags(merged: Enterprise, survivor: Enterprise) -> list[int]:
    added = list(merged.tags.exclude(pk__in=survivor.tags.all()).values_list("pk", flat=True))
    survivor.tags.add(*added)
    return added


def _take_identity(merged: Enterprise, survivor: Enterprise) -> dict[str, object]:
    """Fill the survivor's empty identity fields from the duplicate; returns what was filled (as JSON)."""
    taken = {}
    for name in IDENTITY_FIELDS:
        field = Enterprise._meta.get_field(name)
        mine, theirs = getattr(survivor, field.attname), getattr(merged, field.attname)
        if mine in (None, "") and theirs not in (None, ""):
            setattr(survivor, field.attname, theirs)
            taken[field.attname] = _json(theirs)
    return taken


def _json(value: object) -> object:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


def _close_suggestions(merged: Enterprise, suggestion: DuplicateSuggestion | None, by) -> list[int]:
    involving = DuplicateSuggestion.objects.filter(
        models.Q(first=merged) | models.Q(second=merged), status=DuplicateSuggestion.Status.OPEN
    )
    closed = list(involving.values_list("pk", flat=True))
    involving.update(status=DuplicateSuggestion.Status.MERGED, decided_by=by, decided_at=timezone.now())
    if suggestion is not None and suggestion.pk not in closed:
        DuplicateSuggestion.objects.filter(pk=suggestion.pk).update(
            status=DuplicateSuggestion.Status.MERGED, decided_by=by, decided_at=timezone.now()
        )
    return closed


# ---- undo ----------------------------------------------------------------------------------


@records_actor
@transaction.atomic
def undo_merge(*, merge: Merge, by: AbstractBaseUser) -> Merge:
    """Put the merged record back as it was, with its references, names and tags."""
    merge = Merge.objects.select_for_update().get(pk=merge.pk)
    survivor, merged = _lock(merge.survivor, merge.merged)
    if merge.undone_at is not None:
        raise BusinessRuleError(_("该合并已撤销。"))
    if merged.merged_into_id != survivor.pk or survivor.status != Enterprise.Status.ACTIVE:
        raise BusinessRuleError(_("保留的企业此后又被合并到其他记录，请先撤销那次合并。"))
    _restore_references(merge.moved, survivor, merged)
    snapshot = merge.snapshot
    EnterpriseName.objects.filter(pk__in=snapshot.get("names", []), enterprise=survivor).delete()
    survivor.tags.remove(*snapshot.get("tags", []))
    _restore_identity(survivor, snapshot.get("fields", {}))
    before = snapshot.get("survivor_parent")
    if before:
        survivor.parent_id, survivor.group_role = before["parent"], before["group_role"]
    code = snapshot.get("uscc") or ""
    if code and survivor.uscc == code:
        survivor.uscc = None
    survivor.save()
    merged.status, merged.merged_into = Enterprise.Status.ACTIVE, None
    if code:
        merged.uscc = code
    merged.save()
    _reopen_suggestions(merge, snapshot.get("closed_suggestions", []))
    index_enterprise(survivor)
    index_enterprise(merged)
    merge.undone_by, merge.undone_at = by, timezone.now()
    merge.save(update_fields=["undone_by", "undone_at"])
    return merge


def _restore_references(moved: dict[str, list], survivor: Enterprise, merged: Enterprise) -> None:
    models_by_key = {_key(model, field): (model, field) for model, field in references()}
    models_by_key[CHILDREN_KEY] = (Enterprise, "parent")
    for key, pks in moved.items():
        if key not in models_by_key:
            continue  # the app holding those references has been removed since
        model, field = models_by_key[key]
        model._default_manager.filter(pk__in=pks, **{field: survivor}).update(**{field: merged})


def _restore_identity(survivor: Enterprise, taken: dict[str, object]) -> None:
    for attname, value in taken.items():
        field = next(f for f in Enterprise._meta.concrete_fields if f.attname == attname)
        if _json(getattr(survivor, attname)) == value:
            setattr(survivor, attname, None if field.null else "")


def _reopen_suggestions(merge: Merge, closed: list[int]) -> None:
    pks = set(closed) | ({merge.suggestion_id} if merge.suggestion_id else set())
    DuplicateSuggestion.objects.filter(pk__in=pks, status=DuplicateSuggestion.Status.MERGED).update(
        status=DuplicateSuggestion.Status.OPEN, decided_by=None, decided_at=None
    )
