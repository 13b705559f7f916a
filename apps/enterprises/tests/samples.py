import itertools

from apps.core.tests.samples import sample
from apps.enterprises.models import (
    Contact,
    DuplicateSuggestion,
    Enterprise,
    EnterpriseName,
    Merge,
    RegistryImport,
    Tag,
)
from apps.enterprises.tests.factories import make_enterprise
from apps.org.models import Unit, User

_serial = itertools.count(1)


def _enterprise(marker: str) -> Enterprise:
    return make_enterprise(f"{marker}{next(_serial)}号科技有限公司")


@sample(Enterprise, shared=True)
def make_enterprise_sample(unit: Unit, marker: str) -> Enterprise:
    """Enterprise identity is city-wide: every staff user may see it."""
    return _enterprise(marker)


@sample(EnterpriseName, shared=True)
def make_name_sample(unit: Unit, marker: str) -> EnterpriseName:
    enterprise = _enterprise("别名样本")
    return EnterpriseName.objects.create(enterprise=enterprise, name=marker, kind=EnterpriseName.Kind.SHORT)


@sample(Contact)
def make_contact_sample(unit: Unit, marker: str) -> Contact:
    enterprise = _enterprise("联系人样本")
    return Contact.objects.create(enterprise=enterprise, unit=unit, name=marker, title=marker, phone="13800001234")


@sample(Tag, shared=True)
def make_tag_sample(unit: Unit, marker: str) -> Tag:
    return Tag.objects.create(name=f"标签{next(_serial)}", description=marker)


@sample(DuplicateSuggestion, shared=True)
def make_suggestion_sample(unit: Unit, marker: str) -> DuplicateSuggestion:
    first, second = sorted((_enterprise(marker), _enterprise(marker)), key=lambda e: e.pk)
    return DuplicateSuggestion.objects.create(first=first, second=second, verdict="same", score=0.9, source="scan")


@sample(Merge, shared=True)
def make_merge_sample(unit: Unit, marker: str) -> Merge:
    from apps.enterprises.merging import merge_enterprises

    user = User.objects.filter(unit=unit).first() or User.objects.create(username=f"merger{next(_serial)}", unit=unit)
    return merge_enterprises(survivor=_enterprise(marker), merged=_enterprise(marker), by=user)


@sample(RegistryImport)
def make_import_sample(unit: Unit, marker: str) -> RegistryImport:
    user = User.objects.create(username=f"importer{next(_serial)}", unit=unit, name=marker)
    return RegistryImport.objects.create(
        unit=unit, filename=f"{marker}.xlsx", content=b"", created_by=user, status=RegistryImport.Status.CHECKED
    )
