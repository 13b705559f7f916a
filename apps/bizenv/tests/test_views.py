"""The indicator-system pages: who may open and change what, and what each page shows."""

from io import BytesIO

import pytest
from auditlog.models import LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from apps.bizenv.models import Indicator, Methodology
from apps.bizenv.services import methodologies as services
from apps.org import roles
from apps.org.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _xlsx(*rows, header=("代码", "指标名称")) -> SimpleUploadedFile:
    workbook = Workbook()
    workbook.active.append(list(header))
    for row in rows:
        workbook.active.append(list(row))
    buffer = BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile("指标.xlsx", buffer.getvalue())


def _indicator_post(**fields) -> dict:
    data = {
        "code": "01.03", "name": "开办企业费用", "unit_of_measure": "占人均收入%", "direction": "lower_better",
        "kind": "cost", "method": "frontier", "best": "0", "worst": "200", "weight": "1", "data_source": "manual",
        "alert_threshold": "70", "order": "3", "is_national": "on",
    }  # fmt: skip
    return {**data, **fields}


@pytest.fixture
def hotline(city):
    return UserFactory(username="hotline", name="热线坐席", unit=city, roles=[roles.HOTLINE_AGENT])


# ---- reading --------------------------------------------------------------------------------


def test_the_list_shows_every_version_with_its_drafts(client, reader, seeded, draft):
    client.force_login(reader)

    response = client.get(reverse("bizenv:methodology_list"))

    text = response.content.decode()
    assert response.status_code == 200
    assert "2025年营商环境评价指标体系" in text
    assert "测试版本" in text
    assert 'href="/bizenv/versions/new/"' not in text  # a reader creates nothing


def test_the_list_filters_and_says_when_nothing_matches(client, reader, seeded):
    client.force_login(reader)

    published = client.get(reverse("bizenv:methodology_list"), {"status": "published"}).content.decode()
    searched = client.get(reverse("bizenv:methodology_list"), {"q": "2025"}).content.decode()

    assert "没有符合条件的评价方法版本" in published
    assert "2025年营商环境评价指标体系" in searched


def test_people_without_the_read_permission_get_403_and_anonymous_the_login(client, hotline, seeded):
    url = reverse("bizenv:methodology_detail", args=[seeded.pk])

    assert client.get(url).status_code == 302
    client.force_login(hotline)
    assert client.get(url).status_code == 403
    assert client.get(reverse("bizenv:methodology_list")).status_code == 403


def test_the_tree_marks_every_draft_indicator(client, reader, seeded):
    client.force_login(reader)

    response = client.get(reverse("bizenv:methodology_detail", args=[seeded.pk]))

    text = response.content.decode()
    drafts = seeded.indicators.filter(is_draft=True).count()
    assert text.count('data-testid="draft-mark"') == drafts
    assert "不是正式指标体系" in text
    assert "知识产权创造、保护和运用" in text
    assert reverse("bizenv:indicator_edit", args=[seeded.indicators.first().pk]) not in text


def test_the_tree_takes_the_same_queries_whatever_its_size(client, reader, seeded, draft):
    client.force_login(reader)
    client.get(reverse("bizenv:methodology_detail", args=[draft.pk]))  # session and menu warmed up

    with CaptureQueriesContext(connection) as small:
        client.get(reverse("bizenv:methodology_detail", args=[draft.pk]))
    with CaptureQueriesContext(connection) as large:
        client.get(reverse("bizenv:methodology_detail", args=[seeded.pk]))

    assert len(large.captured_queries) == len(small.captured_queries)
    assert seeded.indicators.count() > 20 * draft.indicators.count()


def test_the_export_is_the_tree_and_is_audited(client, reader, draft):
    client.force_login(reader)

    response = client.get(reverse("bizenv:methodology_detail", args=[draft.pk]), {"export": "xlsx"})

    rows = list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))
    assert [row[0] for row in rows] == ["代码", "01", "01.01", "01.02"]
    assert LogEntry.objects.filter(action=LogEntry.Action.ACCESS, actor=reader).exists()


# ---- who may change what --------------------------------------------------------------------

CHANGES = [
    ("bizenv:methodology_edit", "methodology", {"name": "改名", "notes": ""}),
    ("bizenv:methodology_delete", "methodology", {}),
    ("bizenv:methodology_publish", "methodology", {"confirm_drafts": "on"}),
    ("bizenv:methodology_copy", "methodology", {"code": "T9", "name": "副本"}),
    ("bizenv:indicator_create", "methodology", _indicator_post()),
    ("bizenv:indicator_edit", "indicator", _indicator_post(code="01.01", name="改名")),
    ("bizenv:indicator_delete", "indicator", {}),
]


def _snapshot():
    return (
        list(Methodology.objects.order_by("pk").values_list("code", "name", "status")),
        list(Indicator.objects.order_by("pk").values_list("code", "name", "is_draft")),
    )


@pytest.mark.parametrize(("name", "target", "data"), CHANGES)
@pytest.mark.parametrize("who", ["anonymous", "reader", "city_leader"])
def test_only_the_keeper_changes_anything(client, request, draft, name, target, data, who):
    if who != "anonymous":
        client.force_login(request.getfixturevalue(who))
    record = draft if target == "methodology" else draft.indicators.get(code="01.02")
    before = _snapshot()

    response = client.post(reverse(name, args=[record.pk]), data)

    assert response.status_code == (302 if who == "anonymous" else 403)
    if who == "anonymous":
        assert response["Location"].startswith(reverse("org:login"))
    assert _snapshot() == before


def test_the_import_page_is_the_keepers_only(client, reader, draft):
    client.force_login(reader)

    response = client.post(reverse("bizenv:tree_import", args=[draft.pk]), {"file": _xlsx(["01", "改名"])})

    assert response.status_code == 403
    assert draft.indicators.get(code="01").name == "开办企业"


def test_creating_a_version_needs_the_keeper(client, reader, bizenv_keeper):
    client.force_login(reader)
    assert client.post(reverse("bizenv:methodology_create"), {"code": "X", "name": "x"}).status_code == 403

    client.force_login(bizenv_keeper)
    response = client.post(reverse("bizenv:methodology_create"), {"code": "2026", "name": "2026年指标体系"})

    methodology = Methodology.objects.get(code="2026")
    assert response["Location"] == reverse("bizenv:methodology_detail", args=[methodology.pk])
    assert not Methodology.objects.filter(code="X").exists()


# ---- the keeper's pages ---------------------------------------------------------------------


def test_the_keeper_adds_a_sub_indicator_with_its_parameters(client, bizenv_keeper, draft, bureau):
    client.force_login(bizenv_keeper)
    parent = draft.indicators.get(code="01")
    url = reverse("bizenv:indicator_create", args=[draft.pk]) + f"?parent={parent.pk}"

    assert 'value="01."' in client.get(url).content.decode()
    response = client.post(url, _indicator_post(lead_unit=bureau.pk, satisfactory="5"))

    assert response.status_code == 302
    added = draft.indicators.get(code="01.03")
    assert (added.parent, added.level, added.parameters, added.lead_unit) == (
        parent, 2, {"best": 0, "worst": 200}, bureau)  # fmt: skip


def test_a_rule_broken_in_the_form_is_shown_beside_its_field(client, bizenv_keeper, draft):
    client.force_login(bizenv_keeper)
    url = reverse("bizenv:indicator_create", args=[draft.pk]) + f"?parent={draft.indicators.get(code='01').pk}"

    response = client.post(url, _indicator_post(code="01.01"))

    assert response.status_code == 200
    assert "本版本已有代码为“01.01”的指标。" in response.content.decode()


def test_editing_keeps_the_parameters_source_and_confirms_the_draft(client, bizenv_keeper, seeded):
    client.force_login(bizenv_keeper)
    time = seeded.indicators.get(name="开办企业时间")
    page = client.get(reverse("bizenv:indicator_edit", args=[time.pk])).content.decode()
    assert "这项指标是草案" in page

    data = _indicator_post(code=time.code, name="开办企业时间", kind="time", best="0.5", worst="20", order="2")
    response = client.post(reverse("bizenv:indicator_edit", args=[time.pk]), data)

    time.refresh_from_db()
    assert response.status_code == 302
    assert (time.parameters["worst"], time.is_draft) == (20, False)
    assert time.parameters["source"].startswith("世界银行DB2020")


def test_publishing_asks_to_confirm_the_drafts_then_freezes(client, bizenv_keeper, draft):
    services.update_indicator(
        indicator=draft.indicators.get(code="01.02"), by=bizenv_keeper, parameters={"best": 1, "worst": 18}
    )
    client.force_login(bizenv_keeper)
    url = reverse("bizenv:methodology_publish", args=[draft.pk])

    refused = client.post(url, {})
    published = client.post(url, {"confirm_drafts": "on"})

    assert "还有 2 项指标是草案" in refused.content.decode()
    assert published.status_code == 302
    draft.refresh_from_db()
    assert draft.status == "published"
    detail = client.get(reverse("bizenv:methodology_detail", args=[draft.pk])).content.decode()
    assert reverse("bizenv:indicator_create", args=[draft.pk]) not in detail
    assert reverse("bizenv:methodology_copy", args=[draft.pk]) in detail


def test_a_published_version_refuses_edits_in_chinese(client, bizenv_keeper, draft):
    services.update_indicator(
        indicator=draft.indicators.get(code="01.02"), by=bizenv_keeper, parameters={"best": 1, "worst": 18}
    )
    services.publish_methodology(methodology=draft, by=bizenv_keeper, confirm_drafts=True)
    client.force_login(bizenv_keeper)
    indicator = draft.indicators.get(code="01.01")

    response = client.post(reverse("bizenv:indicator_edit", args=[indicator.pk]), _indicator_post(code="01.01"))

    assert "已发布，不能再修改" in response.content.decode()
    indicator.refresh_from_db()
    assert indicator.name == "开办企业时间"


def test_the_keeper_copies_a_version(client, bizenv_keeper, draft):
    client.force_login(bizenv_keeper)

    response = client.post(reverse("bizenv:methodology_copy", args=[draft.pk]), {"code": "T2", "name": "副本"})

    copy = Methodology.objects.get(code="T2")
    assert response["Location"] == reverse("bizenv:methodology_detail", args=[copy.pk])
    assert (copy.based_on, copy.indicators.count()) == (draft, 3)


def test_an_import_with_errors_lists_them_and_writes_nothing(client, bizenv_keeper, draft):
    client.force_login(bizenv_keeper)
    url = reverse("bizenv:tree_import", args=[draft.pk])

    response = client.post(url, {"file": _xlsx(["01", "新名称"], ["09.01", "无上级"])})

    text = response.content.decode()
    assert text.count('data-testid="import-error"') == 1
    assert "找不到上级指标“09”" in text
    assert draft.indicators.get(code="01").name == "开办企业"


def test_a_clean_import_is_written_and_said(client, bizenv_keeper, draft):
    client.force_login(bizenv_keeper)

    response = client.post(
        reverse("bizenv:tree_import", args=[draft.pk]), {"file": _xlsx(["01", "新名称"])}, follow=True
    )

    assert "已导入 1 行：新增 0 项，更新 1 项。" in response.content.decode()
    assert draft.indicators.get(code="01").name == "新名称"


def test_deleting_an_indicator_with_children_says_why(client, bizenv_keeper, draft):
    client.force_login(bizenv_keeper)
    first = draft.indicators.get(code="01")

    response = client.post(reverse("bizenv:indicator_delete", args=[first.pk]), follow=True)

    assert "请先删除“开办企业”的下级指标。" in response.content.decode()
    assert draft.indicators.filter(code="01").exists()


def test_the_menu_shows_the_indicator_system_to_readers(client, reader, hotline):
    client.force_login(reader)
    assert reverse("bizenv:methodology_list") in client.get("/").content.decode()

    client.force_login(hotline)
    assert reverse("bizenv:methodology_list") not in client.get("/").content.decode()
