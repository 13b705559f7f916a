"""The enterprise portal: eligible items with reasons, its own cases only, apply, resubmit, withdraw."""

from decimal import Decimal

import pytest
from django.urls import reverse

from apps.enterprises.models import Enterprise, EnterpriseAccount
from apps.org import roles
from apps.org.tests.factories import UserFactory
from apps.policies import rules
from apps.policies.models import Fulfilment, FulfilmentState, PolicyItem
from apps.policies.services import fulfilment as services
from apps.policies.tests.fulfilment_helpers import pdf, submit_at_window, submit_online

pytestmark = pytest.mark.django_db
State = FulfilmentState


@pytest.fixture
def ruled_item(policy, units):
    """An item for enterprises with a registered capital of 1,000 万元 or more (星火 has 3,000)."""
    return PolicyItem.objects.create(
        policy=policy, number="第七条", title="规模企业培育奖励", benefit_kind="reward", benefit="一次性奖励20万元",
        beneficiaries="规模企业", conditions="注册资本1000万元以上", department=units["industry"],
        fixed_amount=Decimal("20"), rule=rules.parse({"field": "registered_capital", "op": "gte", "value": 1000}),
    )  # fmt: skip


@pytest.fixture
def other_enterprise_user(db):
    user = UserFactory(username="other_qiye", name="他企经办人", unit=None, roles=[roles.ENTERPRISE_USER])
    EnterpriseAccount.objects.create(user=user, enterprise=Enterprise.objects.create(name="他企有限公司"))
    return user


def case_url(case) -> str:
    return reverse("policies:portal_case", args=[case.pk])


def test_a_portal_user_lands_on_the_portal_and_sees_its_link(client_for, portal_user):
    client = client_for(portal_user)

    response = client.get(reverse("core:home"))

    assert response.url == reverse("policies:portal_home")
    assert 'data-testid="portal-link"' in client.get(response.url).content.decode()


def test_staff_still_land_on_the_home_page(client_for, reviewer):
    response = client_for(reviewer).get(reverse("core:home"))

    assert response.status_code == 200
    assert 'data-testid="portal-link"' not in response.content.decode()


def test_the_portal_lists_the_eligible_items_with_the_reasons(client_for, portal_user, ruled_item, item):
    response = client_for(portal_user).get(reverse("policies:portal_home"))

    content = response.content.decode()
    assert [match["item"] for match in response.context["matches"]] == [ruled_item]
    assert "规模企业培育奖励" in content
    assert "注册资本" in content
    assert reverse("policies:portal_apply", args=[ruled_item.pk]) in content


def test_the_portal_lists_the_enterprises_own_cases(client_for, portal_user, item, ruled_item, other_enterprise_user):
    mine = submit_online(ruled_item, portal_user)
    submit_online(item, other_enterprise_user)

    response = client_for(portal_user).get(reverse("policies:portal_home"))

    assert [case.pk for case in response.context["cases"]] == [mine.pk]
    assert response.context["matches"][0]["case"] == mine


def test_the_enterprise_applies_online(client_for, portal_user, ruled_item, enterprise):
    data = {"contact_name": "张经理", "contact_phone": "13812345678", "declared_amount": "20",
            "material_name_1": "申请表", "material_file_1": pdf()}  # fmt: skip

    response = client_for(portal_user).post(reverse("policies:portal_apply", args=[ruled_item.pk]), data)

    case = Fulfilment.objects.get()
    assert response.url == case_url(case)
    assert (case.enterprise, case.channel, case.applicant, case.state) == (enterprise, "online", portal_user,
                                                                           State.SUBMITTED)  # fmt: skip


def test_an_application_without_material_is_refused(client_for, portal_user, ruled_item):
    data = {"contact_name": "张经理", "contact_phone": "13812345678"}

    response = client_for(portal_user).post(reverse("policies:portal_apply", args=[ruled_item.pk]), data)

    assert response.status_code == 200
    assert response.context["form"].errors
    assert not Fulfilment.objects.exists()


def test_an_item_out_of_force_cannot_be_applied_for(client_for, portal_user, ruled_item):
    ruled_item.policy.repealed_on = ruled_item.policy.effective_from
    ruled_item.policy.save()

    assert client_for(portal_user).get(reverse("policies:portal_apply", args=[ruled_item.pk])).status_code == 404


def test_another_enterprises_case_is_a_404(client_for, item, portal_user, other_enterprise_user):
    theirs = submit_online(item, other_enterprise_user)

    assert client_for(portal_user).get(case_url(theirs)).status_code == 404
    assert client_for(portal_user).post(case_url(theirs), {"action": "withdraw"}).status_code == 404
    assert Fulfilment.objects.get(pk=theirs.pk).state == State.SUBMITTED


@pytest.mark.parametrize("name", ["portal_home", "portal_apply", "portal_case"])
def test_staff_cannot_use_the_portal(client_for, item, portal_user, reviewer, name):
    case = submit_online(item, portal_user)
    args = {"portal_home": [], "portal_apply": [item.pk], "portal_case": [case.pk]}[name]

    assert client_for(reviewer).get(reverse(f"policies:{name}", args=args)).status_code == 403


def test_a_returned_case_is_resubmitted_on_the_portal(client_for, item, portal_user, reviewer):
    case = services.move(submit_online(item, portal_user), "return", by=reviewer, note="请补充设备发票")
    client = client_for(portal_user)

    page = client.get(case_url(case))
    assert "请补充设备发票" in page.content.decode()
    assert [move.action for move, _form in page.context["move_forms"]] == ["resubmit", "withdraw"]
    refused = client.post(case_url(case), {"action": "resubmit", "note": "补了"})
    assert refused.status_code == 400
    response = client.post(case_url(case), {"action": "resubmit", "material_name_1": "设备发票",
                                            "material_file_1": pdf("发票.pdf")})  # fmt: skip

    assert response.url == case_url(case)
    case.refresh_from_db()
    assert case.state == State.SUBMITTED
    assert case.materials.count() == 2


def test_the_enterprise_withdraws_on_the_portal(client_for, item, portal_user):
    case = submit_online(item, portal_user)

    client_for(portal_user).post(case_url(case), {"action": "withdraw", "note": "不再申请"})

    assert Fulfilment.objects.get(pk=case.pk).state == State.WITHDRAWN


def test_the_portal_cannot_make_a_staff_move(client_for, item, portal_user):
    case = submit_online(item, portal_user)

    response = client_for(portal_user).post(case_url(case), {"action": "propose", "amount": "100", "note": "自批"},
                                            follow=True)  # fmt: skip

    assert "不能进行此操作" in response.content.decode()
    assert Fulfilment.objects.get(pk=case.pk).state == State.SUBMITTED


def test_a_window_case_shows_on_the_enterprises_portal(client_for, item, enterprise, portal_user, window_officer):
    case = submit_at_window(item, enterprise, window_officer)

    response = client_for(portal_user).get(case_url(case))

    assert response.status_code == 200
    assert "兑现窗口" not in response.content.decode()  # staff names stay off the portal


def test_the_portal_home_makes_the_same_queries_for_one_case_or_many(client_for, count_queries, portal_user, policy,
                                                                     units, ruled_item):  # fmt: skip
    client = client_for(portal_user)
    submit_online(ruled_item, portal_user)
    client.get(reverse("policies:portal_home"))
    one = count_queries(lambda: client.get(reverse("policies:portal_home")))
    for n in range(4):
        other = PolicyItem.objects.create(
            policy=policy, number=f"第{n}款", title=f"条款{n}", benefit_kind="subsidy", benefit="补助",
            beneficiaries="企业", conditions="无", department=units["industry"],
        )  # fmt: skip
        submit_online(other, portal_user)

    assert count_queries(lambda: client.get(reverse("policies:portal_home"))) == one
