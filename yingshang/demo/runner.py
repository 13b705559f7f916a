"""Build, clear and describe the demo city by running every domain module in order."""

from dataclasses import dataclass

from auditlog.context import disable_auditlog
from django.contrib.auth.hashers import make_password
from django.db import transaction

from apps.org.models import Role, Unit, User
from yingshang.demo import (
    appeals,
    assessment,
    bizenv,
    chains,
    cockpit,
    commitments,
    enterprises,
    evaluations,
    investment,
    knowledge,
    landing,
    notices,
    org,
    policies,
    supervision,
)
from yingshang.demo.context import DEMO_PASSWORD, DemoContext

#: build order; clear() runs them backwards so that records go before the units and people they use
MODULES = (
    org,
    commitments,
    enterprises,
    investment,
    landing,
    assessment,
    bizenv,
    appeals,
    knowledge,
    evaluations,
    supervision,
    policies,
    chains,
    notices,
    cockpit,
)


@dataclass(frozen=True)
class Summary:
    units: int
    people: int
    enterprises: int
    projects: int = 0


def demo_exists() -> bool:
    """True when the demo city has already been built."""
    return org.demo_city() is not None


def foreign_root() -> Unit | None:
    """A root unit other than the demo city: the demo must not be built beside (or over) real data."""
    return Unit.objects.filter(depth=1).exclude(code=org.CITY_CODE).first()


def build_demo(*, seed: int, scale: int, tickets: int | None = None) -> Summary:
    """Generate the whole demo city in one transaction; audit logging is off for generated data."""
    if Unit.objects.filter(depth=1).exists():
        raise RuntimeError("示范市只能在还没有单位的数据库中生成：请先 clear_demo()。")
    ctx = DemoContext(seed=seed, scale=scale, password_hash=make_password(DEMO_PASSWORD), tickets=tickets)
    with transaction.atomic(), disable_auditlog():
        for module in MODULES:
            module.build(ctx)
    return summary()


def clear_demo() -> None:
    """Delete everything the generator made, the last module's records first."""
    with transaction.atomic(), disable_auditlog():
        for module in reversed(MODULES):
            module.clear()


def summary() -> Summary:
    """How many units, people, enterprises and projects the demo city has."""
    units, people = org.counts()
    return Summary(units=units, people=people, enterprises=enterprises.counts(), projects=investment.counts())


def demo_accounts() -> list[tuple[str, str, str, str]]:
    """(role, username, password, unit) of each demo account that exists, in the order of org.DEMO_ACCOUNTS."""
    names = dict(Role.objects.values_list("code", "name"))
    people = User.objects.select_related("unit").in_bulk([a.username for a in org.DEMO_ACCOUNTS], field_name="username")
    rows = []
    for account in org.DEMO_ACCOUNTS:
        person = people.get(account.username)
        if person is not None:
            unit = person.unit.name if person.unit else "—"
            rows.append((names.get(account.role, account.role), account.username, DEMO_PASSWORD, unit))
    return rows
