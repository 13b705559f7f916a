import threading
from datetime import timedelta

import pytest
from django.db import close_old_connections, connection
from django.urls import reverse
from django.utils import timezone

from apps.core.errors import BusinessRuleError
from apps.enterprises.models import Enterprise
from apps.enterprises.tests.factories import make_enterprise
from apps.investment.models import Claim, ClaimConflict
from apps.investment.services.claims import decide_conflict, expire_claims, group_claims
from apps.investment.services.projects import who_holds
from apps.investment.tests.factories import lead

pytestmark = pytest.mark.django_db


@pytest.fixture
def enterprise():
    return make_enterprise("深圳市华锐新能源科技有限公司")


def test_the_first_unit_to_register_holds_the_enterprise(officer_a, officer_b, enterprise):
    first = lead(officer_a, enterprise=enterprise)
    assert who_holds(enterprise, officer_b.unit).project == first

    second = lead(officer_b, enterprise=enterprise)

    assert Claim.objects.get(project=first).status == Claim.Status.ACTIVE
    waiting = Claim.objects.get(project=second)
    assert waiting.status == Claim.Status.WAITING
    conflict = ClaimConflict.objects.get()
    assert (conflict.holder.project, conflict.challenger, conflict.status) == (first, waiting, "open")


def test_the_same_unit_registering_again_shares_its_claim(officer_a, enterprise):
    lead(officer_a, enterprise=enterprise)
    lead(officer_a, enterprise=enterprise)

    assert Claim.objects.count() == 1
    assert not ClaimConflict.objects.exists()


@pytest.mark.parametrize(
    ("decision", "share", "holder_status", "challenger_status"),
    [("keep", None, "active", "refused"), ("transfer", None, "transferred", "active"), ("joint", 60, "joint", "joint")],
)
def test_the_coordinating_bureau_decides(
    officer_a, officer_b, coordinator, enterprise, decision, share, holder_status, challenger_status
):
    lead(officer_a, enterprise=enterprise)
    lead(officer_b, enterprise=enterprise)
    conflict = ClaimConflict.objects.get()

    decide_conflict(conflict=conflict, decision=decision, holder_share=share, note="按首报首谈规则协调", by=coordinator)

    conflict.refresh_from_db()
    assert (conflict.holder.status, conflict.challenger.status) == (holder_status, challenger_status)
    if decision == "joint":
        assert (conflict.holder.share, conflict.challenger.share) == (60, 40)
    with pytest.raises(BusinessRuleError, match="已协调"):
        decide_conflict(conflict=conflict, decision="keep", note="再次", by=coordinator)


def test_a_decision_needs_a_note_and_a_joint_one_a_share(officer_a, officer_b, coordinator, enterprise):
    lead(officer_a, enterprise=enterprise)
    lead(officer_b, enterprise=enterprise)
    conflict = ClaimConflict.objects.get()

    with pytest.raises(BusinessRuleError, match="协调意见"):
        decide_conflict(conflict=conflict, decision="keep", note="", by=coordinator)
    with pytest.raises(BusinessRuleError, match="分成比例"):
        decide_conflict(conflict=conflict, decision="joint", holder_share=100, note="联合", by=coordinator)


def test_an_expired_claim_no_longer_holds(officer_a, officer_b, enterprise):
    first = lead(officer_a, enterprise=enterprise)
    Claim.objects.filter(project=first).update(expires_on=timezone.localdate() - timedelta(days=1))

    second = lead(officer_b, enterprise=enterprise)

    assert Claim.objects.get(project=first).status == Claim.Status.EXPIRED
    assert Claim.objects.get(project=second).status == Claim.Status.ACTIVE
    assert expire_claims() == 0


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_registrations_leave_exactly_one_holder(county_a, county_b, city):
    """Several units register one enterprise at the same moment: one claim wins, the others wait."""
    from apps.org import roles
    from apps.org.models import Unit
    from apps.org.tests.factories import UserFactory, make_unit

    enterprise = make_enterprise("深圳市华锐新能源科技有限公司")
    units = [county_a, county_b] + [
        make_unit(parent=city, name=f"测试区{n}", kind=Unit.Kind.COUNTY, code=f"99019{n}") for n in range(4)
    ]
    officers = [UserFactory(unit=u, roles=[roles.INVESTMENT_OFFICER]) for u in units]
    barrier = threading.Barrier(len(officers))
    errors = []

    def register(officer):
        try:
            barrier.wait()
            lead(officer, enterprise=enterprise)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=register, args=(o,)) for o in officers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert Claim.objects.filter(enterprise=enterprise, status="active").count() == 1
    assert Claim.objects.filter(enterprise=enterprise, status="waiting").count() == len(officers) - 1
    assert ClaimConflict.objects.filter(enterprise=enterprise, status="open").count() == len(officers) - 1


def test_a_group_member_held_elsewhere_warns_without_blocking(client_for, officer_a, officer_b):
    parent = make_enterprise("比亚迪股份有限公司")
    subsidiary = make_enterprise("示范市比亚迪汽车有限公司")
    Enterprise.objects.filter(pk=subsidiary.pk).update(parent=parent)
    lead(officer_a, enterprise=parent)
    subsidiary.refresh_from_db()

    assert [claim.unit for claim in group_claims(subsidiary, excluding_unit=officer_b.unit)] == [officer_a.unit]
    fragment = client_for(officer_b).get(reverse("investment:lead_check"), {"enterprise": subsidiary.pk})
    second = lead(officer_b, enterprise=subsidiary)

    assert "同一集团" in fragment.content.decode()
    assert 'data-testid="claim-holder"' not in fragment.content.decode()
    assert Claim.objects.get(project=second).status == Claim.Status.ACTIVE
    assert not ClaimConflict.objects.exists()
