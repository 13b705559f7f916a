"""Admonition talks planned by a snapshot, recorded and followed up; the daily scan takes due snapshots once."""

from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command

from apps.assessment.models import Admonition, Snapshot
from apps.assessment.services.admonitions import record_follow_up, record_talk
from apps.assessment.services.periods import period_of
from apps.assessment.services.scans import take_due_snapshots
from apps.assessment.services.snapshots import take_snapshot
from apps.core.errors import BusinessRuleError

pytestmark = pytest.mark.django_db

SEPTEMBER = period_of("month", date(2026, 9, 1))


def _talk(admonition, by, **changes):
    values = {
        "admonition": admonition, "held_on": date(2026, 10, 12), "leader": "市政府副市长 李明",
        "attendees": "南湖区分管副区长、区投促局局长", "issues": "签约项目开工率低，重大项目储备不足",
        "commitments": "年底前新开工亿元以上项目3个", "by": by, **changes,
    }  # fmt: skip
    return record_talk(**values)


def test_the_bottom_unit_gets_a_planned_talk_that_is_recorded_and_followed_up(clock, scheme, ranked, county_c, keeper):
    ranked()
    snapshot = take_snapshot(scheme=scheme, period=SEPTEMBER)
    (admonition,) = Admonition.objects.filter(snapshot=snapshot)
    assert (admonition.unit, admonition.status) == (county_c, Admonition.Status.PLANNED)

    _talk(admonition, keeper)
    assert admonition.status == Admonition.Status.RECTIFYING
    record_follow_up(admonition=admonition, follow_up="已新开工2个项目", followed_on=None, by=keeper)
    assert admonition.status == Admonition.Status.RECTIFYING
    record_follow_up(admonition=admonition, follow_up="已新开工3个项目", followed_on=date(2026, 11, 6), by=keeper)

    admonition.refresh_from_db()
    assert (admonition.status, admonition.leader, admonition.followed_on) == (
        Admonition.Status.DONE, "市政府副市长 李明", date(2026, 11, 6),
    )  # fmt: skip


def test_a_talk_needs_its_facts_and_the_keeper(clock, scheme, ranked, keeper, county_keeper_a):
    ranked()
    admonition = Admonition.objects.get(snapshot=take_snapshot(scheme=scheme, period=SEPTEMBER))

    with pytest.raises(BusinessRuleError, match="约谈日期"):
        _talk(admonition, keeper, held_on=date(2026, 9, 20))
    with pytest.raises(BusinessRuleError, match="整改承诺"):
        _talk(admonition, keeper, commitments=" ")
    with pytest.raises(BusinessRuleError, match="只有考核单位"):
        _talk(admonition, county_keeper_a)
    with pytest.raises(BusinessRuleError, match="请先登记约谈情况"):
        record_follow_up(admonition=admonition, follow_up="x", followed_on=None, by=keeper)


def test_the_scan_takes_each_ended_period_once(clock, scheme, ranked):
    ranked(date(2026, 1, 31))
    scheme.snapshot_kinds = ["month", "quarter"]
    scheme.save()

    assert take_due_snapshots(today=date(2026, 11, 10)) == 13  # January–October, and three quarters
    assert take_due_snapshots(today=date(2026, 11, 10)) == 0
    out = StringIO()
    call_command("scan_assessment", stdout=out)
    assert out.getvalue().strip() == "考核快照 0"
    assert list(Snapshot.objects.filter(kind="quarter").values_list("label", flat=True).order_by("ends_on")) == [
        "2026年第一季度", "2026年第二季度", "2026年第三季度",
    ]  # fmt: skip
    assert Admonition.objects.count() == 13  # one bottom unit in each
