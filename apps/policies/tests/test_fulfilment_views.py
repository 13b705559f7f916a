"""The staff pages of fulfilment cases, through the views: scope, list, export, the moves, the window's form."""

from decimal import Decimal
from io import BytesIO

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from apps.enterprises.models import Enterprise, EnterpriseAccount
from apps.org import roles
from apps.org.tests.factories import UserFactory
from apps.policies.models import Fulfilment, FulfilmentState, PolicyItem
from apps.policies.services import fulfilment as services
from apps.policies.tests.fulfilment_helpers import (
    black_list,
    pay_fields,
    pdf,
    submit_at_window,
    submit_online,
    to_awaiting_payment,
    to_legal_review,
)

pytestmark = pytest.mark.django_db
State = FulfilmentState


@pytest.fixture
def item_a(policy, units):
    """An item of 东城区工信局."""
    return PolicyItem.objects.create(
        policy=policy, number="第五条", title="东城区技改补助", benefit_kind="subsidy", benefit="补助",
        beneficiaries="东城区企业", conditions="无", department=units["industry_a"], cap_amount=Decimal("50"),
    )  # fmt: skip


def detail_url(case) -> str:
    return reverse("policies:fulfilment_detail", args=[case.pk])


def act_url(case, action: str) -> str:
    return reverse("policies:fulfilment_act", args=[case.pk, action])


# ---- scope ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "status"),
    [("reviewer_a", 200), ("reviewer_b", 404), ("reviewer", 404), ("legal_reviewer", 200), ("portal_user", 404)],
)
def test_a_county_departments_case_is_read_within_its_scope(request, client_for, item_a, portal_user, persona, status):
    case = submit_online(item_a, portal_user)

    response = client_for(request.getfixturevalue(persona)).get(detail_url(case))

    assert response.status_code == status


def test_a_county_b_reviewer_cannot_act_on_a_county_a_case(client_for, item_a, portal_user, reviewer_b):
    case = submit_online(item_a, portal_user)

    response = client_for(reviewer_b).post(act_url(case, "reject"), {"note": "越权"})

    assert response.status_code == 404
    assert Fulfilment.objects.get(pk=case.pk).state == State.SUBMITTED


def test_the_list_shows_only_the_scope(client_for, item, item_a, portal_user, reviewer_a):
    submit_online(item, portal_user)
    mine = submit_online(item_a, portal_user)

    response = client_for(reviewer_a).get(reverse("policies:fulfilment_list"))

    assert [case.pk for case in response.context["page"].object_list] == [mine.pk]


@pytest.mark.parametrize(
    ("name", "method"),
    [("fulfilment_list", "get"), ("fulfilment_create", "get")],
)
def test_portal_users_cannot_use_the_staff_pages(client_for, portal_user, name, method):
    response = getattr(client_for(portal_user), method)(reverse(f"policies:{name}"))

    assert response.status_code == 403


def test_a_portal_user_cannot_act_through_the_staff_url(client_for, item, portal_user):
    case = submit_online(item, portal_user)

    response = client_for(portal_user).post(act_url(case, "withdraw"))

    assert response.status_code == 404
    assert Fulfilment.objects.get(pk=case.pk).state == State.SUBMITTED


def test_only_a_window_records_an_application(client_for, reviewer):
    assert client_for(reviewer).get(reverse("policies:fulfilment_create")).status_code == 403


# ---- the list -------------------------------------------------------------------------------


@pytest.fixture
def three_cases(item, policy, units, portal_user, window_officer):
    other_item = PolicyItem.objects.create(
        policy=policy, number="第六条", title="首台套奖励", benefit_kind="reward", benefit="奖励", beneficiaries="企业",
        conditions="无", department=units["industry"],
    )  # fmt: skip
    first = submit_online(item, portal_user)
    second = submit_online(other_item, portal_user)
    third = submit_at_window(item, Enterprise.objects.create(name="示范市远航新材料有限公司", uscc="91990100MA0000009X"),
                             window_officer)  # fmt: skip
    Fulfilment.objects.filter(pk=first.pk).update(step_due=timezone.localdate().replace(year=2020))
    return first, second, third


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"q": "远航"}, [2]),
        ({"q": "91990100MA0000009X"}, [2]),
        ({"q": "000002"}, [1]),
        ({"channel": "window"}, [2]),
        ({"overdue": "on"}, [0]),
        ({"queue": "review"}, [2, 1, 0]),
        ({"state": "legal_review"}, []),
    ],
)
def test_the_list_searches_and_filters(client_for, reviewer, three_cases, query, expected):
    response = client_for(reviewer).get(reverse("policies:fulfilment_list"), query)

    assert [case.pk for case in response.context["page"].object_list] == [three_cases[i].pk for i in expected]


def test_the_list_filters_by_item_and_department(client_for, reviewer, three_cases, item, units):
    client = client_for(reviewer)

    by_item = client.get(reverse("policies:fulfilment_list"), {"item": item.pk}).context["page"].object_list
    by_unit = client.get(reverse("policies:fulfilment_list"), {"unit": units["industry"].pk}).context["page"]

    assert sorted(case.pk for case in by_item) == sorted([three_cases[0].pk, three_cases[2].pk])
    assert len(by_unit.object_list) == 3


def test_the_list_marks_overdue_cases_red(client_for, reviewer, three_cases):
    content = client_for(reviewer).get(reverse("policies:fulfilment_list")).content.decode()

    assert content.count('data-testid="light"') == 1
    assert "已逾期" in content


def test_an_empty_list_says_so(client_for, reviewer):
    content = client_for(reviewer).get(reverse("policies:fulfilment_list")).content.decode()

    assert "没有符合条件的兑现件" in content


def test_the_export_has_what_the_list_shows(client_for, reviewer, three_cases):
    response = client_for(reviewer).get(reverse("policies:fulfilment_list"), {"channel": "online", "export": "xlsx"})

    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = list(load_workbook(BytesIO(response.content)).active.values)
    assert rows[0][:3] == ("兑现件编号", "企业名称", "统一社会信用代码")
    assert sorted(row[0] for row in rows[1:]) == sorted([three_cases[0].number, three_cases[1].number])
    overdue = {row[0]: row[-1] for row in rows[1:]}
    assert overdue[three_cases[0].number] == "是"


def test_the_list_makes_the_same_queries_for_one_case_or_many(client_for, count_queries, reviewer, item, policy,
                                                              portal_user, units):  # fmt: skip
    client = client_for(reviewer)
    submit_online(item, portal_user)
    client.get(reverse("policies:fulfilment_list"))  # warm the session and caches
    one = count_queries(lambda: client.get(reverse("policies:fulfilment_list")))
    for n in range(6):
        other = PolicyItem.objects.create(
            policy=policy, number=f"第{n}款", title=f"条款{n}", benefit_kind="subsidy", benefit="补助",
            beneficiaries="企业", conditions="无", department=units["industry"],
        )  # fmt: skip
        Fulfilment.objects.create(
            number=f"ZC1999{n:06d}", item=other, enterprise=Enterprise.objects.create(name=f"企业{n}"),
            unit=units["industry"], channel="window", state="submitted",
        )  # fmt: skip

    assert count_queries(lambda: client.get(reverse("policies:fulfilment_list"))) == one


# ---- one case and its moves -----------------------------------------------------------------


def test_the_case_page_shows_the_reviewers_forms_and_a_masked_phone(client_for, item, portal_user, reviewer):
    case = submit_online(item, portal_user)

    response = client_for(reviewer).get(detail_url(case))

    content = response.content.decode()
    assert [move.action for move, _form in response.context["move_forms"]] == ["propose", "return", "reject"]
    assert "138****5678" in content
    assert "13812345678" not in content
    assert 'data-testid="move-propose"' in content
    assert "申请表" in content


def test_a_holder_of_personal_data_sees_the_full_phone(client_for, item, portal_user, reviewer):
    reviewer.user_permissions.add(Permission.objects.get(codename="view_personal_data"))
    case = submit_online(item, portal_user)

    assert "13812345678" in client_for(reviewer).get(detail_url(case)).content.decode()


def test_the_reviewer_proposes_an_amount_through_the_page(client_for, item, portal_user, reviewer):
    case = submit_online(item, portal_user)

    response = client_for(reviewer).post(act_url(case, "propose"), {"amount": "150", "note": "符合条件"})

    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.state, case.proposed_amount) == (State.LEGAL_REVIEW, Decimal("150"))


def test_a_refused_move_shows_the_reason_beside_the_field_and_changes_nothing(client_for, item, portal_user, reviewer):
    case = submit_online(item, portal_user)

    response = client_for(reviewer).post(act_url(case, "propose"), {"amount": "250", "note": "超限"})

    assert response.status_code == 400
    assert "最高限额" in response.content.decode()
    assert Fulfilment.objects.get(pk=case.pk).state == State.SUBMITTED


def test_a_move_the_user_may_not_make_is_forbidden(client_for, item, portal_user, legal_reviewer):
    case = submit_online(item, portal_user)

    response = client_for(legal_reviewer).post(act_url(case, "propose"), {"amount": "10", "note": "越权"})

    assert response.status_code == 403
    assert Fulfilment.objects.get(pk=case.pk).state == State.SUBMITTED


def test_a_move_of_another_state_tells_the_case_moved_on(client_for, item, portal_user, reviewer, legal_reviewer):
    case = to_legal_review(submit_online(item, portal_user), reviewer)

    response = client_for(reviewer).post(act_url(case, "propose"), {"amount": "10", "note": "再提"}, follow=True)

    assert "不能进行此操作" in response.content.decode()


@pytest.mark.parametrize("method", ["get", "post"])
def test_unknown_actions_and_gets_are_refused(client_for, item, portal_user, reviewer, method):
    case = submit_online(item, portal_user)
    client = client_for(reviewer)

    assert client.post(act_url(case, "explode")).status_code == 404
    if method == "get":
        assert client.get(act_url(case, "propose")).status_code == 405


def test_the_legal_office_passes_and_the_window_pays_through_the_pages(
    client_for, item, portal_user, reviewer, legal_reviewer, window_officer
):
    case = to_legal_review(submit_online(item, portal_user), reviewer)
    client_for(legal_reviewer).post(act_url(case, "pass"), {"amount": "150", "note": "同意"})
    today = timezone.localdate().isoformat()

    response = client_for(window_officer).post(
        act_url(case, "pay"),
        {
            "amount": "150",
            "paid_on": today,
            "payment_method": "transfer",
            "voucher_number": "",
            "voucher": pdf("凭证.pdf"),
        },
    )
    assert response.status_code == 400
    assert "须填写凭证号" in response.content.decode()
    response = client_for(window_officer).post(
        act_url(case, "pay"), {"amount": "150", "paid_on": today, "payment_method": "transfer", "voucher_number": "V9"}
    )

    assert response.status_code == 302
    assert Fulfilment.objects.get(pk=case.pk).state == State.PAID


def test_a_stopped_case_shows_the_reason(client_for, item, portal_user, reviewer, enterprise, units):
    case = submit_online(item, portal_user)
    black_list(enterprise, units["policy_office"])

    response = client_for(reviewer).post(act_url(case, "propose"), {"amount": "100", "note": "同意"}, follow=True)

    content = response.content.decode()
    assert "已中止" in content
    assert 'data-testid="stop-reason"' in content


# ---- the window's form and the materials ----------------------------------------------------


def test_the_window_records_an_application_by_credit_code(client_for, item, enterprise, window_officer):
    data = {"item": item.pk, "uscc": " 91990100ma0000001x ", "contact_name": "王会计", "contact_phone": "0755-12345678",
            "declared_amount": "80", "material_name_1": "申请表", "material_file_1": pdf()}  # fmt: skip

    response = client_for(window_officer).post(reverse("policies:fulfilment_create"), data)

    case = Fulfilment.objects.get()
    assert response.url == detail_url(case)
    assert (case.enterprise, case.channel, case.window_unit) == (enterprise, "window", window_officer.unit)


def test_the_window_form_refuses_an_unknown_enterprise(client_for, item, window_officer):
    data = {"item": item.pk, "uscc": "91990100MA0000077X", "contact_name": "王", "contact_phone": "13800000000",
            "material_file_1": pdf()}  # fmt: skip

    response = client_for(window_officer).post(reverse("policies:fulfilment_create"), data)

    assert "没有该统一社会信用代码的企业" in response.content.decode()
    assert not Fulfilment.objects.exists()


@pytest.mark.parametrize(
    ("persona", "status"), [("reviewer", 200), ("reviewer_b", 404), ("portal_user", 200), ("other_portal", 404)]
)
def test_materials_are_served_only_to_who_sees_the_case(request, client_for, item, portal_user, persona, status):
    case = submit_online(item, portal_user)
    material = case.materials.get()

    response = client_for(request.getfixturevalue(persona)).get(
        reverse("policies:fulfilment_material", args=[material.pk])
    )

    assert response.status_code == status
    if status == 200:
        assert b"".join(response.streaming_content).startswith(b"%PDF")


@pytest.fixture
def other_portal(db):
    user = UserFactory(username="other_portal", name="他企", unit=None, roles=[roles.ENTERPRISE_USER])
    EnterpriseAccount.objects.create(user=user, enterprise=Enterprise.objects.create(name="他企有限公司"))
    return user


# ---- the payment voucher --------------------------------------------------------------------


@pytest.fixture
def paid_case(item, portal_user, reviewer, legal_reviewer, window_officer):
    case = to_awaiting_payment(submit_online(item, portal_user), reviewer, legal_reviewer)
    return services.move(case, "pay", by=window_officer, **pay_fields(voucher=pdf("回单.pdf")))


def test_the_voucher_is_downloaded_by_the_window_and_the_enterprise(client_for, paid_case, window_officer, portal_user):
    url = reverse("policies:fulfilment_voucher", args=[paid_case.pk])
    for user in (window_officer, portal_user):
        response = client_for(user).get(url)
        assert response.status_code == 200
        assert b"".join(response.streaming_content).startswith(b"%PDF-1.4")
        assert paid_case.number in response["Content-Disposition"] or "filename*" in response["Content-Disposition"]
    page = client_for(portal_user).get(reverse("policies:portal_case", args=[paid_case.pk])).content.decode()
    assert 'data-testid="voucher"' in page


def test_the_voucher_is_hidden_from_another_enterprise_and_another_county(client_for, paid_case, reviewer_b):
    stranger = UserFactory(username="other", name="别家经办人", unit=None, roles=[roles.ENTERPRISE_USER])
    EnterpriseAccount.objects.create(user=stranger, enterprise=Enterprise.objects.create(name="别家有限公司"))
    url = reverse("policies:fulfilment_voucher", args=[paid_case.pk])
    assert client_for(stranger).get(url).status_code == 404
    assert client_for(reviewer_b).get(url).status_code == 404


def test_a_case_without_voucher_has_no_download(client_for, item, portal_user, window_officer):
    case = submit_online(item, portal_user)
    assert client_for(window_officer).get(reverse("policies:fulfilment_voucher", args=[case.pk])).status_code == 404
