"""The scheme pages: the list, a new scheme, a scheme with its items and targets matrix, the targets' import."""

from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from apps.assessment.models import Metric, Scheme, SchemeItem, Target
from apps.assessment.services.periods import period_of
from apps.assessment.services.snapshots import take_snapshot
from apps.org.models import Unit
from apps.org.tests.factories import make_unit

pytestmark = pytest.mark.django_db

HEADER = ["单位代码", "单位名称", "签约项目数", "招商政策兑现率", "重大项目谋划储备数"]


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def _detail(scheme) -> str:
    return reverse("assessment:scheme_detail", args=[scheme.pk])


def _workbook(*rows, header=HEADER) -> SimpleUploadedFile:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(list(row))
    buffer = BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile("目标.xlsx", buffer.getvalue())


def _targets(scheme) -> dict:
    rows = Target.objects.filter(item__scheme=scheme).values_list("unit__code", "item__metric__code", "value")
    return {(code, metric): value for code, metric, value in rows}


# ---- the list and a new scheme --------------------------------------------------------------


def test_the_list_shows_the_visible_schemes_and_filters_them(client_for, clock, scheme, keeper, city, county_b):
    Scheme.objects.create(
        year=2025, group=Scheme.Group.DEPARTMENT, name="2025年度市直部门考核", unit=city, created_by=keeper
    )
    Scheme.objects.create(year=2024, group=Scheme.Group.COUNTY, name="西城区自定考核", unit=county_b, created_by=keeper)
    client = client_for(keeper)
    url = reverse("assessment:scheme_list")

    page = client.get(url).content.decode()
    filtered = client.get(url, {"year": 2025}).content.decode()
    by_group = client.get(url, {"group": "county"}).content.decode()
    nothing = client.get(url, {"year": 2025, "group": "county"}).content.decode()

    table = page.split('data-testid="scheme-list"')[1]
    assert "2026年度县区招商引资考核" in table
    assert "2025年度市直部门考核" in table
    assert "西城区自定考核" in table  # the city sees what its counties run
    assert "新建考核方案" in page
    assert "2025年度市直部门考核" in filtered
    assert "2026年度县区招商引资考核" not in filtered
    assert "2026年度县区招商引资考核" in by_group
    assert "2025年度市直部门考核" not in by_group
    assert "没有符合条件的考核方案" in nothing


def test_a_county_sees_the_schemes_it_is_assessed_in_and_no_new_button(client_for, clock, scheme, county_keeper_a,
                                                                       county_b, keeper):  # fmt: skip
    Scheme.objects.create(year=2024, group=Scheme.Group.COUNTY, name="西城区自定考核", unit=county_b, created_by=keeper)

    page = client_for(county_keeper_a).get(reverse("assessment:scheme_list")).content.decode()

    assert "2026年度县区招商引资考核" in page
    assert "西城区自定考核" not in page
    assert "新建考核方案" not in page


def test_a_keeper_creates_a_scheme_for_the_own_unit(client_for, clock, keeper, city):
    client = client_for(keeper)
    url = reverse("assessment:scheme_create")
    form = client.get(url).context["form"]
    assert (form["unit"].value(), form["year"].value()) == (city.pk, 2026)

    data = {
        "year": 2027, "group": "department", "name": "2027年度市直部门考核", "unit": city.pk, "praise_top": 2,
        "admonish_bottom": 1, "snapshot_kinds": ["quarter", "year"], "bulletin_prefix": "示考",
    }  # fmt: skip
    response = client.post(url, data, follow=True)

    scheme = Scheme.objects.get(year=2027)
    assert (scheme.group, scheme.unit, scheme.snapshot_kinds, scheme.praise_top, scheme.created_by) == (
        "department", city, ["quarter", "year"], 2, keeper,
    )  # fmt: skip
    assert response.redirect_chain == [(_detail(scheme), 302)]
    assert _messages(response) == ["已建立考核方案“2027年度市直部门考核”，请添加考核项目。"]
    assert "季、年" in response.content.decode()


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"year": 2026}, "year", "2026年度已有该类考核方案。"),
        ({"snapshot_kinds": []}, "snapshot_kinds", "请选择快照周期。"),
        ({"name": ""}, "name", "这个字段是必填项。"),
    ],
)
def test_a_new_scheme_shows_the_rule_on_its_field(client_for, clock, scheme, keeper, city, changes, field, message):
    data = {
        "year": 2027, "group": "county", "name": "新方案", "unit": city.pk, "praise_top": 3, "admonish_bottom": 3,
        "snapshot_kinds": ["month"], **changes,
    }  # fmt: skip

    response = client_for(keeper).post(reverse("assessment:scheme_create"), data)

    assert response.status_code == 200
    assert response.context["form"].errors == {field: [message]}
    assert f'<div class="invalid-feedback d-block">{message}</div>' in response.content.decode()
    assert Scheme.objects.count() == 1


# ---- one scheme -----------------------------------------------------------------------------


def test_the_scheme_shows_its_settings_items_and_targets(client_for, clock, scheme, keeper):
    response = client_for(keeper).get(_detail(scheme))

    page = response.content.decode()
    header = page.split('data-testid="scheme-header"')[1].split("</dl>")[0]
    assert "2026" in header
    assert "县（市、区）" in header
    assert "示范市" in header
    assert "前 1 名通报表扬，后 1 名约谈" in header
    assert "月" in header
    assert "示招考" in header
    items = page.split('data-testid="items"')[1].split("</table>")[0]
    assert ["签约项目数" in items, "招商政策兑现率" in items, "按完成率计分" in items] == [True, True, True]
    assert '<td class="text-end" data-testid="total-weight">100</td>' in items
    rows = page.split('data-testid="target-row"')[1:]
    assert [("东城区" in r, "西城区" in r, "南湖区" in r) for r in rows] == [
        (True, False, False), (False, True, False), (False, False, True),
    ]  # fmt: skip
    target = Target.objects.get(item__scheme=scheme, item__metric__code="major_reserve", unit__name="东城区")
    assert f'href="{reverse("assessment:target_detail", args=[target.pk])}">10 个</a>' in rows[0]
    assert "100.0%" in rows[0]  # 政策兑现率 is a rate
    assert "下载目标模板" in page
    assert "导入目标" in page
    assert "添加考核项目" in page
    assert "还没有考核快照" in page


def test_a_county_sees_only_its_own_targets_and_no_forms(client_for, clock, scheme, county_keeper_a):
    page = client_for(county_keeper_a).get(_detail(scheme)).content.decode()

    rows = page.split('data-testid="target-row"')[1:]
    assert len(rows) == 1
    assert "东城区" in rows[0]
    assert "西城区" not in page
    assert "导入目标" not in page
    assert "添加考核项目" not in page


def test_a_unit_without_a_target_shows_in_the_keepers_matrix(client_for, clock, scheme, keeper, city):
    make_unit(parent=city, name="北湖区", kind=Unit.Kind.COUNTY, code="990104")

    rows = client_for(keeper).get(_detail(scheme)).content.decode().split('data-testid="target-row"')[1:]

    assert "北湖区" in rows[3]
    assert rows[3].count("未设目标") == 3


def test_an_item_is_added_through_the_page(client_for, clock, scheme, keeper):
    client = client_for(keeper)
    metric = Metric.objects.get(code="funds_in_place")
    choices = client.get(_detail(scheme)).context["form"].fields["metric"].queryset
    assert metric in choices
    assert not choices.filter(code__in=["signed_count", "policy_delivery", "major_reserve"]).exists()

    data = {"metric": metric.pk, "method": "ranking", "weight": "10", "cap": "1.5"}
    response = client.post(_detail(scheme), data, follow=True)

    item = SchemeItem.objects.get(scheme=scheme, metric=metric)
    assert (item.method, item.weight, item.cap, item.order) == ("ranking", Decimal(10), Decimal("1.50"), 4)
    assert _messages(response) == [f"已添加考核项目“{metric.name}”。"]
    assert 'data-testid="total-weight">110</td>' in response.content.decode()


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"weight": "0"}, "weight", "分值须大于0。"),
        ({"cap": "0.8"}, "cap", "完成率封顶不能低于100%。"),
        ({"weight": "十"}, "weight", "输入一个数字。"),
    ],
)
def test_an_item_error_shows_on_its_field(client_for, clock, scheme, keeper, changes, field, message):
    metric = Metric.objects.get(code="funds_in_place")
    data = {"metric": metric.pk, "method": "completion", "weight": "10", "cap": "1.2", **changes}

    response = client_for(keeper).post(_detail(scheme), data)

    assert response.context["form"].errors == {field: [message]}
    assert f'<div class="invalid-feedback d-block">{message}</div>' in response.content.decode()
    assert scheme.items.count() == 3


def test_after_the_first_snapshot_the_items_are_closed(client_for, clock, scheme, ranked, keeper):
    ranked()
    take_snapshot(scheme=scheme, period=period_of("month", date(2026, 9, 1)), by=keeper)
    client = client_for(keeper)
    metric = Metric.objects.get(code="funds_in_place")

    page = client.get(_detail(scheme)).content.decode()
    response = client.post(_detail(scheme), {"metric": metric.pk, "method": "completion", "weight": "5", "cap": "1.2"},
                           follow=True)  # fmt: skip

    assert "添加考核项目" not in page
    assert "方案已生成考核快照，考核项目和分值不再改变。" in page
    assert "2026年9月" in page.split('data-testid="snapshots"')[1]
    assert _messages(response) == ["方案已生成考核快照，不能再增删考核项目或修改分值。"]
    assert scheme.items.count() == 3


def test_the_matrix_exports_to_excel(client_for, clock, scheme, keeper):
    response = client_for(keeper).get(_detail(scheme), {"export": "xlsx"})

    rows = list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))
    assert list(rows[0]) == HEADER
    assert rows[1:] == [
        ("990101", "东城区", 12, 100, 10), ("990102", "西城区", 12, 100, 10), ("990103", "南湖区", 12, 100, 10),
    ]  # fmt: skip


def test_a_countys_export_holds_only_its_own_row(client_for, clock, scheme, county_keeper_a):
    response = client_for(county_keeper_a).get(_detail(scheme), {"export": "xlsx"})

    rows = list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))
    assert [row[1] for row in rows[1:]] == ["东城区"]


def test_the_matrix_takes_the_same_queries_for_3_and_6_units(client_for, clock, scheme, keeper, city, count_queries):
    client = client_for(keeper)
    url = _detail(scheme)
    client.get(url)
    three = count_queries(lambda: client.get(url))
    for n in range(4, 7):
        unit = make_unit(parent=city, name=f"第{n}区", kind=Unit.Kind.COUNTY, code=f"99010{n}")
        for item in scheme.items.all():
            Target.objects.create(item=item, unit=unit, value=Decimal(n), plan="quarter" if n % 2 else "even")

    response = client.get(url)
    six = count_queries(lambda: client.get(url))

    assert len(response.content.decode().split('data-testid="target-row"')) == 7
    assert three == six


# ---- targets from Excel ---------------------------------------------------------------------


def test_the_template_holds_the_units_and_their_targets(client_for, clock, scheme, keeper):
    response = client_for(keeper).get(reverse("assessment:target_template", args=[scheme.pk]))

    assert response["Content-Disposition"].startswith("attachment; filename*=UTF-8''")
    rows = list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))
    assert list(rows[0]) == HEADER
    assert [row[:3] for row in rows[1:]] == [
        ("990101", "东城区", 12),
        ("990102", "西城区", 12),
        ("990103", "南湖区", 12),
    ]


def test_a_clean_workbook_sets_every_target(client_for, clock, scheme, keeper):
    upload = _workbook(
        ("990101", "东城区", 20, 98, 6), ("990102", "西城区", 15, 95, 4), ("990103", "南湖区", 10, 90, 3)
    )

    response = client_for(keeper).post(
        reverse("assessment:target_import", args=[scheme.pk]), {"file": upload}, follow=True
    )

    assert response.redirect_chain == [(_detail(scheme), 302)]
    assert _messages(response) == ["已导入 3 个单位的 9 项考核目标。"]
    assert _targets(scheme)[("990101", "signed_count")] == Decimal(20)
    assert _targets(scheme)[("990103", "major_reserve")] == Decimal(3)


def test_a_bad_workbook_shows_each_error_and_writes_nothing(client_for, clock, scheme, keeper):
    before = _targets(scheme)
    upload = _workbook(
        ("990101", "东城区", 20, 98, 6), ("990102", "西城区", "十五", 120, 4), ("990199", "北区", 1, 1, 1)
    )

    response = client_for(keeper).post(reverse("assessment:target_import", args=[scheme.pk]), {"file": upload})

    page = response.content.decode()
    assert response.status_code == 200
    assert "未导入任何数据：请修改后重新上传" in page
    report = page.split('data-testid="import-errors"')[1]
    assert "<th>行</th><th>列</th><th>问题</th>" in report
    errors = [cell.split("</tr>")[0] for cell in report.split('data-testid="import-error">')[1:]]
    assert errors == [
        "<td>3</td><td>签约项目数</td><td>缺少目标或不是数字。</td>",
        "<td>3</td><td>招商政策兑现率</td><td>“招商政策兑现率”是比率，目标不能超过100。</td>",
        "<td>4</td><td>单位代码</td><td>找不到代码为“990199”的单位。</td>",
    ]
    assert "共检查 3 行，发现 3 处问题。" in page
    assert _targets(scheme) == before


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("目标.xls", b"old excel"), "请上传 .xlsx 格式的 Excel 文件。"),
        (SimpleUploadedFile("目标.xlsx", b"x" * (5 * 1024 * 1024 + 1)), "文件不能超过 5 MB。"),
    ],
)
def test_a_wrong_file_is_refused_on_the_form(client_for, clock, scheme, keeper, upload, message):
    response = client_for(keeper).post(reverse("assessment:target_import", args=[scheme.pk]), {"file": upload})

    assert response.context["form"].errors == {"file": [message]}
    assert f'<div class="invalid-feedback d-block">{message}</div>' in response.content.decode()


def test_a_workbook_that_is_not_excel_is_refused_with_the_services_message(client_for, clock, scheme, keeper):
    upload = SimpleUploadedFile("目标.xlsx", b"not a workbook")

    response = client_for(keeper).post(reverse("assessment:target_import", args=[scheme.pk]), {"file": upload})

    assert response.context["form"].non_field_errors() == ["无法读取该文件，请上传 .xlsx 格式的 Excel 文件。"]
    assert "无法读取该文件" in response.content.decode()


# ---- who may ---------------------------------------------------------------------------------


def test_a_county_cannot_reach_the_keepers_forms(client_for, clock, scheme, county_keeper_a, city):
    client = client_for(county_keeper_a)
    metric = Metric.objects.get(code="funds_in_place")
    before = _targets(scheme)

    statuses = [
        client.get(reverse("assessment:scheme_create")).status_code,
        client.post(reverse("assessment:scheme_create"), {"year": 2027, "group": "county", "name": "x",
                                                          "unit": city.pk, "snapshot_kinds": ["month"]}).status_code,
        client.get(reverse("assessment:target_template", args=[scheme.pk])).status_code,
        client.get(reverse("assessment:target_import", args=[scheme.pk])).status_code,
        client.post(reverse("assessment:target_import", args=[scheme.pk]),
                    {"file": _workbook(("990101", "东城区", 1, 1, 1))}).status_code,
        client.post(_detail(scheme), {"metric": metric.pk, "method": "completion", "weight": "5",
                                      "cap": "1.2"}).status_code,
    ]  # fmt: skip

    assert statuses == [403] * 6
    assert (Scheme.objects.count(), scheme.items.count(), _targets(scheme)) == (1, 3, before)


def test_a_scheme_outside_the_scope_is_not_found(client_for, clock, keeper, county_b, county_keeper_a):
    other = Scheme.objects.create(
        year=2024, group=Scheme.Group.COUNTY, name="西城区自定考核", unit=county_b, created_by=keeper
    )
    client = client_for(county_keeper_a)

    for name in ("scheme_detail", "target_template", "target_import"):
        assert client.get(reverse(f"assessment:{name}", args=[other.pk])).status_code == 404


def test_an_anonymous_visitor_is_sent_to_log_in(client, clock, scheme):
    for url in (reverse("assessment:scheme_list"), _detail(scheme), reverse("assessment:scheme_create")):
        response = client.get(url)
        assert response.status_code == 302
        assert reverse("org:login") in response["Location"]
