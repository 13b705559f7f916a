from io import BytesIO

import pytest
from auditlog.models import LogEntry
from django.contrib.auth.models import Permission
from django.urls import reverse
from openpyxl import load_workbook

from apps.enterprises.models import Contact, DuplicateScan, DuplicateSuggestion, Enterprise, Merge, RegistryImport, Tag
from apps.enterprises.tests.factories import make_enterprise, valid_uscc
from apps.enterprises.tests.test_importing import workbook
from apps.org import roles
from apps.org.models import Role
from apps.org.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def huawei():
    return make_enterprise("华为技术有限公司", uscc=valid_uscc(), short_names=["华为"])


@pytest.fixture
def enterprise_user(county_a):
    return UserFactory(username="qiye", unit=None, roles=[roles.ENTERPRISE_USER])


@pytest.mark.parametrize(
    "name", ["enterprises:list", "enterprises:create", "enterprises:duplicate_list", "enterprises:import_list"]
)
def test_people_without_the_permission_are_refused(client_for, enterprise_user, audit_admin, name):
    for user in (enterprise_user, audit_admin):
        assert client_for(user).get(reverse(name)).status_code == 403


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get(reverse("enterprises:list"))

    assert response.status_code == 302
    assert reverse("org:login") in response["Location"]


def test_the_list_filters_and_exports_what_it_shows(client_for, officer_a, huawei):
    tag = Tag.objects.get(name="高新技术企业")
    make_enterprise("示范市东城区华兴电子有限公司", tags=[tag])
    client = client_for(officer_a)

    page = client.get(reverse("enterprises:list"), {"tag": tag.pk})
    export = client.get(reverse("enterprises:list"), {"tag": tag.pk, "export": "xlsx"})

    assert "华兴电子" in page.content.decode()
    assert "华为技术" not in page.content.decode()
    sheet = load_workbook(BytesIO(export.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:2] == ("企业名称", "统一社会信用代码")
    assert [row[0] for row in rows[1:]] == ["示范市东城区华兴电子有限公司"]
    assert LogEntry.objects.filter(action=LogEntry.Action.ACCESS, additional_data__what="导出企业名录").exists()


def test_search_as_you_type_answers_with_the_results_fragment(client_for, officer_a, huawei):
    response = client_for(officer_a).get(
        reverse("enterprises:list"), {"q": "hwjs"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="enterprise-results"
    )

    body = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in body
    assert 'data-testid="search-results"' in body
    assert "华为技术有限公司" in body
    assert "拼音首字母" in body


def test_the_list_takes_the_same_number_of_queries_whatever_its_length(client_for, officer_a, count_queries):
    client = client_for(officer_a)
    make_enterprise("示范市甲甲科技有限公司", tags=[Tag.objects.first()])
    small = count_queries(lambda: client.get(reverse("enterprises:list")))
    for n in range(15):
        make_enterprise(f"示范市第{n}号乙乙科技有限公司", tags=list(Tag.objects.all()[:2]))

    assert count_queries(lambda: client.get(reverse("enterprises:list"))) == small


def test_search_takes_the_same_number_of_queries_whatever_it_finds(client_for, officer_a, count_queries):
    client = client_for(officer_a)
    make_enterprise("示范市华兴电子有限公司", short_names=["华兴"])
    search = lambda: client.get(reverse("enterprises:list"), {"q": "华兴电子"})  # noqa: E731
    small = count_queries(search)
    for n in range(30):
        make_enterprise(f"示范市华兴{n}号电子有限公司", tags=[Tag.objects.first()])

    assert count_queries(search) == small


def test_contacts_follow_the_data_scope_and_phones_stay_masked(client_for, officer_a, officer_b, huawei):
    Contact.objects.create(enterprise=huawei, unit=officer_a.unit, name="东城联系人", phone="13812345678")
    Contact.objects.create(enterprise=huawei, unit=officer_b.unit, name="西城联系人", phone="13987654321")

    body = client_for(officer_a).get(reverse("enterprises:detail", args=[huawei.pk])).content.decode()

    assert "东城联系人" in body
    assert "138****5678" in body
    assert "13812345678" not in body
    assert "西城联系人" not in body
    assert "1398765" not in body


def test_revealing_a_phone_needs_the_permission_and_is_recorded(client_for, officer_a, huawei):
    contact = Contact.objects.create(enterprise=huawei, unit=officer_a.unit, name="张伟", phone="13812345678")
    url = reverse("enterprises:contact_reveal_phone", args=[contact.pk])
    client = client_for(officer_a)
    assert client.post(url).status_code == 403

    role = Role.objects.create(code="privacy", name="个人信息查看")
    role.permissions.add(Permission.objects.get(codename="view_personal_data"))
    officer_a.roles.add(role)
    response = client.post(url)

    assert "13812345678" in response.content.decode()
    assert LogEntry.objects.filter(object_pk=str(contact.pk), additional_data__what="查看完整联系电话").exists()


def test_another_countys_contact_cannot_be_opened(client_for, officer_a, officer_b, huawei):
    contact = Contact.objects.create(enterprise=huawei, unit=officer_b.unit, name="西城联系人")
    client = client_for(officer_a)

    assert client.get(reverse("enterprises:contact_edit", args=[contact.pk])).status_code == 404
    assert client.post(reverse("enterprises:contact_delete", args=[contact.pk])).status_code == 404
    assert Contact.objects.filter(pk=contact.pk).exists()


def test_registering_shows_likely_duplicates_and_asks_for_confirmation(client_for, officer_a, huawei):
    client = client_for(officer_a)
    form = {"name": "华为技术（深圳）有限公司", "uscc": "", "group_role": "independent"}

    check = client.get(reverse("enterprises:check"), {"name": form["name"]})
    first = client.post(reverse("enterprises:create"), form)
    second = client.post(reverse("enterprises:create"), {**form, "confirm_distinct": "on"})

    assert "可能是同一企业" in check.content.decode()
    assert "华为技术有限公司" in check.content.decode()
    assert first.status_code == 200
    assert "请先核对" in first.content.decode()
    created = Enterprise.objects.get(name="华为技术（深圳）有限公司")
    assert second.status_code == 302
    assert second["Location"] == reverse("enterprises:detail", args=[created.pk])
    assert DuplicateSuggestion.objects.filter(source="register").count() == 1


def test_a_bad_uscc_is_explained_on_the_form_and_nothing_is_saved(client_for, officer_a):
    response = client_for(officer_a).post(
        reverse("enterprises:create"),
        {"name": "示范市甲科技有限公司", "uscc": "914403001922038217", "group_role": "independent"},
    )

    assert "校验位不正确" in response.content.decode()
    assert not Enterprise.objects.exists()


def test_editing_renames_and_keeps_the_former_name(client_for, officer_a, huawei):
    data = {"name": "华为技术股份有限公司", "uscc": huawei.uscc, "group_role": "independent", "short_names": "华为"}

    response = client_for(officer_a).post(reverse("enterprises:edit", args=[huawei.pk]), data)

    assert response.status_code == 302
    assert set(huawei.names.values_list("name", "kind")) == {
        ("华为技术股份有限公司", "full"),
        ("华为技术有限公司", "former"),
        ("华为", "short"),
    }


def test_reviewing_merging_and_undoing_through_the_pages(client_for, officer_a, huawei):
    duplicate = make_enterprise("华为技术（深圳）有限公司")
    low, high = sorted((huawei.pk, duplicate.pk))
    suggestion = DuplicateSuggestion.objects.create(
        first_id=low, second_id=high, verdict="same", score=0.92, source="scan"
    )
    client = client_for(officer_a)

    listing = client.get(reverse("enterprises:duplicate_list")).content.decode()
    detail = client.get(reverse("enterprises:duplicate_detail", args=[suggestion.pk])).content.decode()
    merged = client.post(reverse("enterprises:duplicate_merge", args=[suggestion.pk]), {"survivor": huawei.pk})

    assert 'data-testid="duplicate-cluster"' in listing
    assert "华为技术（深圳）有限公司" in listing
    assert "保留这条记录" in detail
    assert merged.status_code == 302
    assert Enterprise.objects.get(pk=duplicate.pk).merged_into == huawei
    undo = client.post(reverse("enterprises:merge_undo", args=[Merge.objects.get().pk]))
    assert undo.status_code == 302
    assert Enterprise.objects.get(pk=duplicate.pk).status == Enterprise.Status.ACTIVE


def test_dismissing_a_suggestion(client_for, officer_a, huawei):
    other = make_enterprise("华为技术服务有限公司")
    low, high = sorted((huawei.pk, other.pk))
    suggestion = DuplicateSuggestion.objects.create(
        first_id=low, second_id=high, verdict="group", score=0.7, source="scan"
    )

    client_for(officer_a).post(reverse("enterprises:duplicate_dismiss", args=[suggestion.pk]))

    suggestion.refresh_from_db()
    assert suggestion.status == DuplicateSuggestion.Status.DISMISSED
    assert suggestion.decided_by == officer_a


def test_scanning_from_the_page(client_for, officer_a, huawei, django_capture_on_commit_callbacks):
    make_enterprise("华为技术（深圳）有限公司")

    with django_capture_on_commit_callbacks(execute=True):
        client_for(officer_a).post(reverse("enterprises:scan_start"))

    assert DuplicateScan.objects.get().status == DuplicateScan.Status.FINISHED
    assert DuplicateSuggestion.objects.filter(source="scan").count() == 1


def test_importing_through_the_pages(client_for, officer_a, django_capture_on_commit_callbacks):
    client = client_for(officer_a)
    template = client.get(reverse("enterprises:import_template"))
    assert load_workbook(BytesIO(template.content)).active["A1"].value == "企业名称"
    upload = BytesIO(workbook([{"企业名称": "示范市东城区华兴电子有限公司", "统一社会信用代码": valid_uscc()}]))
    upload.name = "名录.xlsx"

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("enterprises:import_list"), {"file": upload})
    registry_import = RegistryImport.objects.get()
    detail = client.get(response["Location"]).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("enterprises:import_commit", args=[registry_import.pk]))

    assert 'data-testid="import-ready"' in detail
    registry_import.refresh_from_db()
    assert registry_import.status == RegistryImport.Status.COMMITTED
    assert registry_import.created_count == 1
    assert Enterprise.objects.filter(name="示范市东城区华兴电子有限公司", created_by=officer_a).exists()


def test_an_import_of_another_county_cannot_be_opened(client_for, officer_a, officer_b):
    registry_import = RegistryImport.objects.create(
        unit=officer_b.unit, filename="西城.xlsx", content=b"", created_by=officer_b
    )

    assert client_for(officer_a).get(reverse("enterprises:import_detail", args=[registry_import.pk])).status_code == 404


def test_a_wrong_file_type_is_refused_on_the_form(client_for, officer_a):
    upload = BytesIO(b"a,b")
    upload.name = "名录.csv"

    response = client_for(officer_a).post(reverse("enterprises:import_list"), {"file": upload})

    assert "请上传 .xlsx" in response.content.decode()
    assert not RegistryImport.objects.exists()


def test_tags_are_kept_by_the_system_administrator(client_for, system_admin, officer_a):
    assert client_for(officer_a).get(reverse("enterprises:tag_list")).status_code == 403
    client = client_for(system_admin)

    response = client.post(reverse("enterprises:tag_create"), {"name": "总部企业", "description": "在本市设立总部"})

    assert response.status_code == 302
    assert Tag.objects.filter(name="总部企业", is_builtin=False).exists()
    assert "总部企业" in client.get(reverse("enterprises:tag_list")).content.decode()


def test_a_keeper_can_open_a_pair_found_by_hand(client_for, officer_a, huawei):
    other = make_enterprise("华为技术深圳有限公司")

    response = client_for(officer_a).post(reverse("enterprises:duplicate_mark", args=[huawei.pk]), {"other": other.pk})

    suggestion = DuplicateSuggestion.objects.get(source="manual")
    assert response["Location"] == reverse("enterprises:duplicate_detail", args=[suggestion.pk])
    assert {suggestion.first, suggestion.second} == {huawei, other}


def test_marking_a_duplicate_needs_the_other_record(client_for, officer_a, huawei):
    response = client_for(officer_a).post(reverse("enterprises:duplicate_mark", args=[huawei.pk]), {"other": "x"})

    assert response["Location"] == reverse("enterprises:detail", args=[huawei.pk])
    assert not DuplicateSuggestion.objects.exists()


def test_the_merge_ledger_exports_what_it_lists(client_for, officer_a, huawei):
    from apps.enterprises.merging import merge_enterprises

    merge_enterprises(survivor=huawei, merged=make_enterprise("华为技术（深圳）有限公司"), by=officer_a)

    export = client_for(officer_a).get(reverse("enterprises:merge_list"), {"export": "xlsx"})

    rows = list(load_workbook(BytesIO(export.content)).active.iter_rows(values_only=True))
    assert rows[0][:2] == ("保留企业", "被合并企业")
    assert rows[1][:3] == ("华为技术有限公司", "华为技术（深圳）有限公司", officer_a.name)


def test_the_business_scope_is_edited_and_shown(client_for, officer_a, huawei):
    client = client_for(officer_a)
    form = client.get(reverse("enterprises:edit", args=[huawei.pk])).context["form"]
    assert "business_scope" in form.fields
    data = {
        "name": huawei.name,
        "uscc": huawei.uscc,
        "group_role": "independent",
        "business_scope": "通信设备制造；软件开发",
    }

    assert client.post(reverse("enterprises:edit", args=[huawei.pk]), data).status_code == 302

    huawei.refresh_from_db()
    assert huawei.business_scope == "通信设备制造；软件开发"
    page = client.get(reverse("enterprises:detail", args=[huawei.pk])).content.decode()
    assert "通信设备制造；软件开发" in page
    assert client.get(reverse("enterprises:edit", args=[huawei.pk])).context["form"].initial["business_scope"] == (
        "通信设备制造；软件开发"
    )
