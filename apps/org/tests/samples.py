import itertools

from apps.core.tests.samples import sample
from apps.org.models import Role, Unit, User
from apps.org.tests.factories import UserFactory, make_unit

_serial = itertools.count(1)


@sample(Unit)
def make_unit_sample(unit: Unit, marker: str) -> Unit:
    return make_unit(parent=unit, name=marker, kind=Unit.Kind.DEPARTMENT, code=f"S{next(_serial):06d}")


@sample(User)
def make_person_sample(unit: Unit, marker: str) -> User:
    return UserFactory(unit=unit, name=marker, title=marker)


@sample(Role, shared=True)
def make_role_sample(unit: Unit, marker: str) -> Role:
    return Role.objects.create(code=f"sample-{next(_serial)}", name=marker)
