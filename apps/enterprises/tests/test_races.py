"""Two people merging one pair of duplicates at the same moment, each the other way round: one merge is made."""

import pytest

from apps.core.tests.concurrency import at_the_same_moment
from apps.enterprises.merging import merge_enterprises
from apps.enterprises.models import Enterprise, Merge
from apps.enterprises.tests.factories import make_enterprise
from apps.org import roles
from apps.org.tests.factories import UserFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_two_opposite_merges_at_once_leave_one_survivor(officer_a):
    colleague = UserFactory(unit=officer_a.unit, roles=[roles.INVESTMENT_OFFICER])
    first, second = make_enterprise("示范市华锐新能源科技有限公司"), make_enterprise("示范市华锐新能源科技公司")

    def merge(survivor, merged, by):
        return lambda: merge_enterprises(survivor=survivor, merged=merged, by=by)

    results, errors = at_the_same_moment(merge(first, second, officer_a), merge(second, first, colleague))

    assert len(results) == 1
    assert len(errors) == 1
    assert "已被合并到其他记录，不能再合并" in str(errors[0])
    assert Merge.objects.count() == 1
    assert Enterprise.objects.filter(pk__in=[first.pk, second.pk], status=Enterprise.Status.ACTIVE).count() == 1
