"""The registry's pages through the client: list filters and export, detail, forms, publish / repeal, rights."""

from datetime import date, timedelta
from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from apps.org import roles
from apps.org.tests.factories import UserFactory
from apps.policies.models import Policy, PolicyItem

pytestmark = pytest.mark.django_db


def make_policy(units, number: str, **fields) -> Policy:
    values = {
        "title": f"政策{number}", "document_number": number, "issuing_unit": units["policy_office"],
        "issued_on": date(2025, 1, 1), "effective_from": date(2025, 1, 1), "published_at": timezone.now(),
    }  # fmt: skip
    return Policy.objects.create(**{**values, **fields})


def make_item(policy, units, title: str, **fields) -> PolicyItem:
    values = {"number": "第一条", "benefit_kind": "subsidy", "benefit": "补助", "beneficiaries": "企业",
              "conditions": "条件", "department": units["industry"]}  # fmt: skip
    return PolicyItem.objects.create(policy=policy, title=title, **{**values, **fields})


@pytest.fixture
def registry(units, policy, item):
    today = timezone.localdate()
    expired = make_policy(units, "示政发〔2020〕1号", title="旧的人才政策", expires_on=today - timedelta(days=1))
    repealed = make_policy(
        units, "示政发〔2021〕2号", title="被废止的外贸政策", repealed_on=today, repeal_note="已整合"
    )
    draft = make_policy(units, "示政发〔2026〕99号", title="起草中的金融政策", published_at=None)
    measure = make_policy(units, "示工信发〔2026〕3号", title="工业配套细则", kind="measure", parent=policy)
    make_item(measure, units, "首台套奖励", benefit_kind="reward", auto_grant=True)
    return {"expired": expired, "repealed": repealed, "draft": draft, "measure": measure}


def titles(response) -> list[str]:
    return [policy.title for policy in response.context["policies"]]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"state": "expired"}, ["旧的人才政策"]),
        ({"state": "repealed"}, ["被废止的外贸政策"]),
        ({"state": "draft"}, ["起草中的金融政策"]),
        ({"q": "首台套"}, ["工业配套细则"]),
        ({"q": "〔2020〕"}, ["旧的人才政策"]),
        ({"benefit_kind": "reward"}, ["工业配套细则"]),
        ({"auto_grant": "yes"}, ["工业配套细则"]),
    ],
)
def test_list_filters(client_for, policy_officer, registry, params, expected):
    response = client_for(policy_officer).get(reverse("policies:policy_list"), params)

    assert response.status_code == 200
    assert titles(response) == expected


def test_list_shows_every_state_and_export_has_a_row_per_item(client_for, reviewer, registry):
    client = client_for(reviewer)
    response = client.get(reverse("policies:policy_list"))
    assert len(titles(response)) == 5
    assert "已失效" in response.content.decode()
    assert "已废止" in response.content.decode()

    export = client.get(reverse("policies:policy_list"), {"export": "xlsx", "state": "in_force"})
    sheet = load_workbook(BytesIO(export.content)).active
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert sorted((row[1], row[10]) for row in rows) == [
        ("示工信发〔2026〕3号", "首台套奖励"),
        ("示政发〔2026〕8号", "技术改造补助"),
    ]


def test_list_query_count_does_not_grow(client_for, policy_officer, units, count_queries):
    client = client_for(policy_officer)
    url = reverse("policies:policy_list")
    make_item(make_policy(units, "A1"), units, "一")
    client.get(url)
    one = count_queries(lambda: client.get(url))
    for n in range(2, 12):
        make_item(make_policy(units, f"A{n}", parent=None), units, f"条{n}")
    many = count_queries(lambda: client.get(url))
    export_one = count_queries(lambda: client.get(url, {"export": "xlsx"}))
    make_item(make_policy(units, "A99"), units, "再一")
    assert many == one
    assert count_queries(lambda: client.get(url, {"export": "xlsx"})) == export_one


def test_detail_of_a_measure_shows_its_set(client_for, reviewer, registry, policy):
    response = client_for(reviewer).get(reverse("policies:policy_detail", args=[registry["measure"].pk]))

    body = response.content.decode()
    assert response.context["set"]["main"] == policy
    assert [m.title for m in response.context["set"]["measures"]] == ["工业配套细则"]
    assert "首台套奖励" in body
    assert "免申即享" in body
    assert not response.context["can_edit"]


def test_detail_of_an_expired_policy_carries_the_notice(client_for, reviewer, registry):
    response = client_for(reviewer).get(reverse("policies:policy_detail", args=[registry["expired"].pk]))

    assert 'data-testid="not-in-force"' in response.content.decode()


def test_create_document_then_item_then_publish(client_for, policy_officer, units):
    client = client_for(policy_officer)
    data = {
        "title": "示范市文旅消费若干措施", "document_number": "示政办发〔2026〕30号", "kind": "main",
        "issuing_unit": units["policy_office"].pk, "issued_on": "2026-04-01", "effective_from": "2026-04-01",
    }  # fmt: skip
    response = client.post(reverse("policies:policy_create"), data)
    policy = Policy.objects.get(document_number="示政办发〔2026〕30号")
    assert response.url == reverse("policies:policy_detail", args=[policy.pk])

    item = {
        "number": "第二条", "title": "A级景区创建奖励", "benefit_kind": "reward", "benefit": "5A奖励300万元",
        "fixed_amount": "300", "cap_amount": "300", "beneficiaries": "景区运营企业", "conditions": "新评定",
        "materials": "申请表\n评定文件", "department": units["industry"].pk, "review_days": 10, "legal_days": 5,
        "payment_days": 10, "position": 1,
    }  # fmt: skip
    client.post(reverse("policies:item_create", args=[policy.pk]), item)
    assert policy.items.get().material_list == ["申请表", "评定文件"]

    client.post(reverse("policies:policy_act", args=[policy.pk, "publish"]))
    assert Policy.objects.get(pk=policy.pk).published_at is not None


def test_form_shows_the_rule_error_and_saves_nothing(client_for, policy_officer, units):
    data = {"title": "x", "document_number": "示1", "kind": "main", "issuing_unit": units["policy_office"].pk,
            "issued_on": "2026-04-02", "effective_from": "2026-04-01"}  # fmt: skip
    response = client_for(policy_officer).post(reverse("policies:policy_create"), data)

    assert response.status_code == 200
    assert "施行日期不能早于发文日期。" in response.content.decode()
    assert not Policy.objects.filter(document_number="示1").exists()


def test_repeal_through_the_page(client_for, policy_officer, policy):
    url = reverse("policies:policy_act", args=[policy.pk, "repeal"])
    client = client_for(policy_officer)

    refused = client.post(url, {"repealed_on": "2026-05-01", "repeal_note": ""})
    assert "请填写废止说明" in refused.content.decode()
    client.post(url, {"repealed_on": "2026-05-01", "repeal_note": "政策整合"})
    assert Policy.objects.get(pk=policy.pk).repealed_on == date(2026, 5, 1)


@pytest.fixture
def officer_b(county_b):
    return UserFactory(username="policy_b", name="西城政策", unit=county_b, roles=[roles.POLICY_OFFICER])


@pytest.mark.parametrize("persona", ["anonymous", "reviewer", "officer_b"])
def test_who_may_not_edit(request, client, persona, policy, item):
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))
    posts = [
        (reverse("policies:policy_edit", args=[policy.pk]), {"title": "改"}),
        (reverse("policies:policy_act", args=[policy.pk, "repeal"]), {"repealed_on": "2026-05-01", "repeal_note": "x"}),
        (reverse("policies:item_edit", args=[item.pk]), {"title": "改"}),
        (reverse("policies:item_create", args=[policy.pk]), {"title": "新"}),
        (reverse("policies:item_copy", args=[item.pk]), {}),
    ]
    for url, data in posts:
        response = client.post(url, data)
        assert response.status_code in (302, 403) if persona == "anonymous" else response.status_code == 403
    policy.refresh_from_db()
    assert (policy.title, policy.repealed_on, PolicyItem.objects.count()) == (
        "示范市支持制造业高质量发展的若干政策",
        None,
        1,
    )


def test_a_department_handler_reads_documents_and_items(client_for, reviewer, policy, item):
    client = client_for(reviewer)

    assert client.get(reverse("policies:policy_detail", args=[policy.pk])).status_code == 200
    page = client.get(reverse("policies:item_detail", args=[item.pk]))
    assert page.status_code == 200
    assert "设备发票" in page.content.decode()
    assert not page.context["can_edit"]


def test_copy_item_opens_the_copy(client_for, policy_officer, item):
    response = client_for(policy_officer).post(reverse("policies:item_copy", args=[item.pk]))

    copy = PolicyItem.objects.exclude(pk=item.pk).get()
    assert response.url == reverse("policies:item_edit", args=[copy.pk])


def test_item_page_shows_the_rule_in_words(client_for, reviewer, item):
    from apps.policies import rules

    rule = rules.parse({"all": [{"field": "scale", "op": "in", "value": ["small", "medium"]}]})
    PolicyItem.objects.filter(pk=item.pk).update(rule=rule)

    body = client_for(reviewer).get(reverse("policies:item_detail", args=[item.pk])).content.decode()

    assert rules.describe(rule)
    assert all(line in body for line in rules.describe(rule))
