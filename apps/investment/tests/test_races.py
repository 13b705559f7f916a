"""Two people moving one project at the same moment: exactly one move is made, the other person is told."""

from datetime import timedelta

import pytest
from django.utils import timezone

from apps.core.tests.concurrency import at_the_same_moment
from apps.investment.models import Project, Stage, StageChange
from apps.investment.services.workflow import advance_project
from apps.investment.tests.factories import lead
from apps.org import roles
from apps.org.tests.factories import UserFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_two_officers_advancing_one_lead_at_once_make_one_stage_change(officer_a):
    colleague = UserFactory(unit=officer_a.unit, roles=[roles.INVESTMENT_OFFICER])
    project = lead(officer_a)
    yesterday = timezone.localdate() - timedelta(days=1)

    def advance(by):
        stale = Project.objects.get(pk=project.pk)  # both opened the page before either pressed the button
        return lambda: advance_project(project=stale, happened_on=yesterday, reason="企业来函表达投资意向", by=by)

    results, errors = at_the_same_moment(advance(officer_a), advance(colleague))

    assert len(results) == 1
    assert [str(error) for error in errors] == ["该项目刚被其他人更新，请刷新页面后重试。"]
    assert Project.objects.get(pk=project.pk).stage == Stage.INTENTION
    assert StageChange.objects.filter(project=project, to_stage=Stage.INTENTION).count() == 1
