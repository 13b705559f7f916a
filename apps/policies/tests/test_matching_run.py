"""A batch run on a fixture: matches written and kept current, notices once, auto-grant counted; starting runs."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from apps.core.errors import BusinessRuleError
from apps.core.models import Notice
from apps.enterprises.models import Enterprise, EnterpriseAccount, ServiceOfficer
from apps.org import roles
from apps.org.tests.factories import UserFactory
from apps.policies.models import Fulfilment, FulfilmentState, MatchRun, PolicyItem, PolicyMatch
from apps.policies.services.matching import run_matching, start_matching

CAPITAL_1000 = {"all": [{"field": "registered_capital", "op": "gte", "value": "1000"}]}


@pytest.fixture
def rich_item(item):
    item.rule = CAPITAL_1000
    item.save()
    return item


@pytest.fixture
def others(db, units):
    """A small enterprise (500 万元) and a larger one (2000 万元) with a portal account and a service officer."""
    small = Enterprise.objects.create(name="示范市小微商贸有限公司", registered_capital=Decimal("500"),
                                      founded_on=date(2020, 1, 1))  # fmt: skip
    large = Enterprise.objects.create(name="示范市远航新材料有限公司", registered_capital=Decimal("2000"),
                                      founded_on=date(2015, 3, 1))  # fmt: skip
    account = UserFactory(username="yuanhang", name="远航经办人", unit=None, roles=[roles.ENTERPRISE_USER])
    EnterpriseAccount.objects.create(user=account, enterprise=large)
    officer = UserFactory(username="fuwuguan", name="服务官", unit=units["industry"], roles=[roles.DEPARTMENT_HANDLER])
    ServiceOfficer.objects.create(enterprise=large, officer=officer, since=date(2026, 1, 1))
    return {"small": small, "large": large, "account": account, "officer": officer}


def _run() -> MatchRun:
    return run_matching(MatchRun.objects.create())


def _current(item) -> set[int]:
    return set(PolicyMatch.objects.filter(item=item, current=True).values_list("enterprise_id", flat=True))


def test_run_writes_matches_and_notifies_portal_accounts_and_officers(rich_item, enterprise, portal_user, others):
    run = _run()
    run.refresh_from_db()
    assert run.status == MatchRun.Status.FINISHED
    assert (run.enterprises, run.items, run.processed, run.matches, run.new_matches) == (3, 1, 1, 2, 2)
    assert _current(rich_item) == {enterprise.pk, others["large"].pk}
    key = f"policies.match.{rich_item.pk}.{others['large'].pk}"
    assert set(Notice.objects.filter(key=key).values_list("recipient_id", flat=True)) == {
        others["account"].pk, others["officer"].pk,
    }  # fmt: skip
    assert Notice.objects.filter(key=f"policies.match.{rich_item.pk}.{enterprise.pk}", recipient=portal_user).exists()
    assert run.notices == 3
    assert run.seconds is not None


def test_a_match_that_stops_matching_is_no_longer_current_and_no_notice_twice(rich_item, enterprise, others):
    _run()
    match = PolicyMatch.objects.get(item=rich_item, enterprise=enterprise)
    Enterprise.objects.filter(pk=others["large"].pk).update(registered_capital=Decimal("800"))
    second = _run()
    second.refresh_from_db()
    assert _current(rich_item) == {enterprise.pk}
    stale = PolicyMatch.objects.get(item=rich_item, enterprise=others["large"])
    assert stale.current is False
    assert stale.changed_at > stale.first_matched_at  # when it lapsed
    match.refresh_from_db()
    assert match.changed_at == match.first_matched_at  # still holding: the second run did not write it
    assert (second.new_matches, second.notices) == (0, 0)

    Enterprise.objects.filter(pk=others["large"].pk).update(registered_capital=Decimal("2500"))
    notices = Notice.objects.count()
    third = _run()
    assert _current(rich_item) == {enterprise.pk, others["large"].pk}
    assert (third.new_matches, third.notices, Notice.objects.count()) == (0, 0, notices)


def test_items_out_of_force_or_without_rule_are_not_matched(rich_item, policy, enterprise, units):
    _run()
    assert _current(rich_item) == {enterprise.pk}
    empty = PolicyItem.objects.create(policy=policy, number="第四条", title="无规则", benefit_kind="service",
                                      benefit="服务", beneficiaries="企业", conditions="无", department=units["industry"])  # fmt: skip
    policy.repealed_on = date(2026, 3, 1)
    policy.save()
    run = _run()
    assert run.items == 0
    assert _current(rich_item) == set()
    assert not PolicyMatch.objects.filter(item=empty).exists()


def test_new_matches_of_auto_grant_items_open_cases_to_confirm(rich_item, enterprise, others):
    rich_item.auto_grant = True
    rich_item.save()
    assert _run().auto_cases == 2
    cases = Fulfilment.objects.filter(item=rich_item)
    assert {case.state for case in cases} == {FulfilmentState.PENDING_CONFIRMATION}
    assert all(case.channel == Fulfilment.Channel.AUTO and case.match_reasons for case in cases)
    assert _run().auto_cases == 0
    assert cases.count() == 2


def test_merged_enterprises_are_left_out(rich_item, enterprise, others):
    Enterprise.objects.filter(pk=others["large"].pk).update(status=Enterprise.Status.MERGED)
    assert _run().enterprises == 2
    assert _current(rich_item) == {enterprise.pk}


def test_a_failing_run_records_the_error(rich_item, enterprise, monkeypatch):
    from apps.policies import batch

    def broken(*args, **kwargs):
        raise RuntimeError("磁盘已满")

    monkeypatch.setattr(batch, "registry_table", broken)
    run = MatchRun.objects.create()
    with pytest.raises(RuntimeError):
        run_matching(run)
    run.refresh_from_db()
    assert run.status == MatchRun.Status.FAILED
    assert "磁盘已满" in run.error


def test_start_matching_runs_the_task(rich_item, enterprise, policy_officer, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        run = start_matching(policy_officer)
    run.refresh_from_db()
    assert run.status == MatchRun.Status.FINISHED
    assert run.started_by == policy_officer
    assert _current(rich_item) == {enterprise.pk}


def test_start_matching_needs_the_permission(reviewer, window_officer):
    for user in (reviewer, window_officer):
        with pytest.raises(PermissionDenied):
            start_matching(user)
    assert not MatchRun.objects.exists()


def test_no_second_run_while_one_is_running(policy_officer):
    MatchRun.objects.create(status=MatchRun.Status.RUNNING)
    with pytest.raises(BusinessRuleError, match="正在进行"):
        start_matching(policy_officer)
    assert MatchRun.objects.count() == 1


def test_the_batch_table_equals_the_one_built_from_each_enterprises_facts(
    enterprise, others, units, officer_a, county_a
):
    """registry_table builds its columns straight from the rows: the same table as facts_table of the Facts."""
    from apps.enterprises.models import AnnualFigures, Industry, Tag
    from apps.investment.models import FundRecord, Project
    from apps.policies import batch
    from apps.policies.facts import facts_for_many
    from apps.policies.tests.fulfilment_helpers import black_list

    as_of = date(2026, 6, 30)
    large, small = others["large"], others["small"]
    enterprise.industry = Industry.objects.get(code="36")
    enterprise.save()
    large.tags.add(Tag.objects.get(name="专精特新"), Tag.objects.get(name="高新技术企业"))
    AnnualFigures.objects.create(enterprise=large, year=2025, scale="medium", revenue=Decimal("12345.67"), tax=None,
                                 employees=120)  # fmt: skip
    AnnualFigures.objects.create(enterprise=small, year=2024, scale="small")
    project = Project.objects.create(code="T1", name="扩产", unit=county_a, created_by=officer_a, enterprise=large,
                                     channel="professional", contracted_investment=Decimal("8000.5"))  # fmt: skip
    FundRecord.objects.create(project=project, month=date(2026, 3, 1), amount=Decimal("1200.25"), entered_by=officer_a)
    black_list(small, units["policy_office"])
    Enterprise.objects.create(name="已合并企业", status=Enterprise.Status.MERGED)

    ids = list(Enterprise.objects.active().order_by("pk").values_list("pk", flat=True))
    built = batch.facts_table(facts_for_many(ids, as_of)[pk] for pk in ids)
    assert batch.registry_table(as_of).to_pylist() == built.to_pylist()
    assert len(built) == 3
