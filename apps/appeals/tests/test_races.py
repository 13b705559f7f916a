"""Two handlers of one unit signing for the same ticket at the same moment: one sign-for, one event."""

import pytest

from apps.appeals.models import Assignment, Event
from apps.appeals.models.process import Action
from apps.appeals.services import transitions
from apps.appeals.tests.conftest import at
from apps.core.tests.concurrency import at_the_same_moment
from apps.org import roles
from apps.org.tests.factories import UserFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def categories(transactional_db):
    """A transactional test empties the tables after it: put back the code list and time limits for the next."""
    import importlib

    from django.apps import apps

    from apps.appeals.models import Category

    if not Category.objects.exists():
        importlib.import_module("apps.appeals.migrations.0002_seed_categories_policies").seed(apps, None)


@pytest.mark.parametrize("role", [Assignment.Role.LEAD, Assignment.Role.CO])
def test_two_handlers_signing_for_one_assignment_at_once_sign_for_it_once(dispatched, housing, market, role):
    unit = housing if role == Assignment.Role.LEAD else market
    handlers = [UserFactory(unit=unit, roles=[roles.DEPARTMENT_HANDLER]) for _ in range(2)]
    assignment = dispatched.assignments.get(unit=unit)

    def sign_for(by):
        appeal, mine = type(dispatched).objects.get(pk=dispatched.pk), Assignment.objects.get(pk=assignment.pk)
        return lambda: transitions.sign_for(appeal=appeal, assignment=mine, by=by, now=at(2025, 9, 26, 11))

    results, errors = at_the_same_moment(*(sign_for(handler) for handler in handlers))

    assert len(results) == 1
    assert len(errors) == 1
    assert str(errors[0]) == "本单位已签收该工单。"
    assert Assignment.objects.get(pk=assignment.pk).state == Assignment.State.HANDLING
    assert Event.objects.filter(appeal=dispatched, action=Action.SIGN_FOR).count() == 1
