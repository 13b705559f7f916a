"""Targets from Excel: all or nothing, with each error's row and column."""

from decimal import Decimal
from io import BytesIO

import pytest
from openpyxl import Workbook, load_workbook

from apps.assessment.models import Target
from apps.assessment.services.target_import import import_targets, template_workbook
from apps.core.errors import BusinessRuleError

pytestmark = pytest.mark.django_db

HEADER = ["单位代码", "单位名称", "签约项目数", "招商政策兑现率", "重大项目谋划储备数"]


def _workbook(*rows, header=HEADER) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(list(row))
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _targets(scheme) -> dict:
    rows = Target.objects.filter(item__scheme=scheme).values_list("unit__code", "item__metric__code", "value")
    return {(code, metric): value for code, metric, value in rows}


def test_the_template_lists_the_units_and_their_targets(clock, scheme, keeper):
    sheet = load_workbook(BytesIO(template_workbook(scheme))).active

    rows = list(sheet.iter_rows(values_only=True))

    assert list(rows[0]) == HEADER
    assert [row[:3] for row in rows[1:]] == [
        ("990101", "东城区", 12),
        ("990102", "西城区", 12),
        ("990103", "南湖区", 12),
    ]


def test_a_clean_workbook_sets_every_target(clock, scheme, keeper):
    content = _workbook(
        ("990101", "东城区", 20, 98, 6), ("990102", "西城区", "15", 95.5, 4), ("990103", "南湖区", 10, 90, 3)
    )

    report = import_targets(scheme=scheme, content=content, by=keeper)

    assert (report.ok, report.rows, report.targets) == (True, 3, 9)
    targets = _targets(scheme)
    assert targets[("990101", "signed_count")] == Decimal(20)
    assert targets[("990102", "policy_delivery")] == Decimal("95.50")


def test_one_bad_cell_writes_nothing_and_every_error_is_reported(clock, scheme, keeper):
    before = _targets(scheme)
    content = _workbook(
        ("990101", "东城区", 20, 98, 6),
        ("990102", "西城区", "十五", 120, 4),
        ("990199", "北区", 1, 1, 1),
        ("990101", "东城区", 3, 3, 3),
        ("990103", "西城区", 10, 90, None),
    )

    report = import_targets(scheme=scheme, content=content, by=keeper)

    assert not report.ok
    assert [(e.row, e.column) for e in report.errors] == [
        (3, "签约项目数"), (3, "招商政策兑现率"), (4, "单位代码"), (5, "单位代码"), (6, "单位名称"), (6, "重大项目谋划储备数"),
    ]  # fmt: skip
    assert "不能超过100" in report.errors[1].message
    assert "第 2 行" in report.errors[3].message
    assert _targets(scheme) == before


def test_a_wrong_file_or_header_is_refused(clock, scheme, keeper, county_keeper_a):
    with pytest.raises(BusinessRuleError, match="xlsx"):
        import_targets(scheme=scheme, content=b"not a workbook", by=keeper)
    with pytest.raises(BusinessRuleError, match="不是本方案的考核指标"):
        import_targets(scheme=scheme, content=_workbook(("990101", "东城区", 1), header=["单位代码", "单位名称", "税收"]),
                       by=keeper)  # fmt: skip
    with pytest.raises(BusinessRuleError, match="没有数据行"):
        import_targets(scheme=scheme, content=_workbook(), by=keeper)
    with pytest.raises(BusinessRuleError, match="只有考核单位"):
        import_targets(scheme=scheme, content=_workbook(("990101", "东城区", 1, 1, 1)), by=county_keeper_a)
