"""The deduction pages: recording one on a scheme (with a project picked by its code), the ledger with its
filters and export, revoking, and who may."""

from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from openpyxl import load_workbook

from apps.assessment.models import Deduction
from apps.assessment.services.schemes import record_deduction, revoke_deduction
from apps.investment.tests.factories import lead

pytestmark = pytest.mark.django_db

LIST = "assessment:deduction_list"


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def _create_url(scheme) -> str:
    return reverse("assessment:deduction_create", args=[scheme.pk])


def _deduct(
    scheme, unit, by, *, points=2, kind=Deduction.Kind.LATE_REPORT, reason="10月报表迟报", day=date(2026, 10, 15)
):
    return record_deduction(
        scheme=scheme, unit=unit, kind=kind, points=Decimal(points), happened_on=day, reason=reason, by=by
    )


def _rows(response) -> list[str]:
    return response.content.decode().split('data-testid="deduction-row"')[1:]


# ---- recording ------------------------------------------------------------------------------


def test_the_keeper_records_a_deduction_on_a_project(client_for, clock, scheme, keeper, county_a, officer_a):
    project = lead(officer_a, name="东城区新材料产业园项目")
    client = client_for(keeper)
    form = client.get(_create_url(scheme)).context["form"]
    assert [unit.name for unit in form.fields["unit"].queryset] == ["东城区", "西城区", "南湖区"]
    data = {
        "unit": county_a.pk, "kind": "late_start", "points": "3", "happened_on": "2026-11-02",
        "reason": "签约满六个月未开工", "project": project.code,
    }  # fmt: skip

    response = client.post(_create_url(scheme), data, follow=True)

    deduction = Deduction.objects.get()
    assert (deduction.unit, deduction.kind, deduction.points, deduction.project, deduction.recorded_by) == (
        county_a, "late_start", Decimal(3), project, keeper,
    )  # fmt: skip
    assert response.redirect_chain == [(f"{reverse(LIST)}?scheme={scheme.pk}", 302)]
    assert _messages(response) == ["已登记东城区扣 3 分（签约超期未开工）。"]
    row = _rows(response)[0]
    assert "签约满六个月未开工" in row
    assert project.code in row
    assert "东城区新材料产业园项目" in row


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"points": "0"}, "points", "扣分须大于0。"),
        ({"happened_on": "2026-11-20"}, "happened_on", "认定日期须在2026年内且不晚于今天。"),
        ({"reason": "  "}, "reason", "这个字段是必填项。"),
        ({"project": "XM-404"}, "project", "找不到编号为“XM-404”的项目。"),
    ],
)
def test_a_wrong_deduction_shows_the_rule_on_its_field(client_for, clock, scheme, keeper, county_a, changes, field,
                                                       message):  # fmt: skip
    data = {"unit": county_a.pk, "kind": "other", "points": "1", "happened_on": "2026-11-02", "reason": "迟报",
            **changes}  # fmt: skip

    response = client_for(keeper).post(_create_url(scheme), data)

    assert response.context["form"].errors == {field: [message]}
    assert f'<div class="invalid-feedback d-block">{message}</div>' in response.content.decode()
    assert not Deduction.objects.exists()


def test_a_project_of_another_unit_is_refused(client_for, clock, scheme, keeper, county_a, officer_b):
    project = lead(officer_b, name="西城区物流项目")
    data = {"unit": county_a.pk, "kind": "fake", "points": "5", "happened_on": "2026-11-02", "reason": "虚报",
            "project": project.code}  # fmt: skip

    response = client_for(keeper).post(_create_url(scheme), data)

    assert response.context["form"].errors == {"project": ["涉及项目不属于“东城区”。"]}
    assert not Deduction.objects.exists()


# ---- the ledger -----------------------------------------------------------------------------


def test_the_ledger_filters_by_unit_kind_and_state(client_for, clock, scheme, keeper, county_a, county_b):
    _deduct(scheme, county_a, keeper, reason="东城迟报", day=date(2026, 10, 20))
    revoked = _deduct(scheme, county_b, keeper, kind=Deduction.Kind.FAKE, reason="西城虚报")
    revoke_deduction(deduction=revoked, reason="经复核不属实", by=keeper)
    client = client_for(keeper)

    def reasons(**params) -> list[bool]:
        rows = _rows(client.get(reverse(LIST), params))
        return [("东城迟报" in r, "西城虚报" in r) for r in rows]

    assert reasons() == [(True, False), (False, True)]
    assert reasons(unit=county_b.pk) == [(False, True)]
    assert reasons(kind="late_report") == [(True, False)]
    assert reasons(revoked="no") == [(True, False)]
    assert reasons(revoked="yes") == [(False, True)]
    assert reasons(scheme=scheme.pk, kind="late_start") == []
    page = client.get(reverse(LIST), {"revoked": "yes"}).content.decode()
    assert "经复核不属实" in page
    assert "没有符合条件的扣分记录" in client.get(reverse(LIST), {"kind": "late_start"}).content.decode()


def test_the_ledger_exports_what_it_shows(client_for, clock, scheme, keeper, county_a, county_b, officer_a):
    project = lead(officer_a, name="东城区新材料产业园项目")
    record_deduction(
        scheme=scheme, unit=county_a, kind="late_start", points=Decimal("1.5"), happened_on=date(2026, 10, 8),
        reason="签约超期未开工", project=project, by=keeper,
    )  # fmt: skip
    _deduct(scheme, county_b, keeper, reason="西城迟报")

    response = client_for(keeper).get(reverse(LIST), {"unit": county_a.pk, "export": "xlsx"})

    rows = list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0][:6] == ("考核方案", "单位", "扣分事项", "扣分", "认定日期", "扣分理由")
    assert len(rows) == 2
    assert rows[1][:8] == (
        "2026年度县区招商引资考核", "东城区", "签约超期未开工", 1.5, rows[1][4], "签约超期未开工", project.code,
        "东城区新材料产业园项目",
    )  # fmt: skip
    assert rows[1][4].date() == date(2026, 10, 8)
    assert rows[1][10] == "有效"


def test_a_county_sees_only_its_own_deductions_and_cannot_revoke(client_for, clock, scheme, keeper, county_a,
                                                                  county_b, county_keeper_a):  # fmt: skip
    own = _deduct(scheme, county_a, keeper, reason="东城迟报")
    other = _deduct(scheme, county_b, keeper, reason="西城迟报")
    client = client_for(county_keeper_a)

    page = client.get(reverse(LIST)).content.decode()
    export = client.get(reverse(LIST), {"export": "xlsx"})

    assert "东城迟报" in page
    assert "西城迟报" not in page
    assert "确认撤销" not in page
    cells = [c for row in load_workbook(BytesIO(export.content)).active.iter_rows(values_only=True) for c in row]
    assert "东城迟报" in cells
    assert "西城迟报" not in cells
    assert client.post(reverse("assessment:deduction_revoke", args=[own.pk]), {"reason": "x"}).status_code == 403
    assert client.post(reverse("assessment:deduction_revoke", args=[other.pk]), {"reason": "x"}).status_code == 404
    assert client.get(_create_url(scheme)).status_code == 403
    assert client.post(_create_url(scheme), {"unit": county_a.pk, "kind": "other", "points": "1",
                                             "happened_on": "2026-11-02", "reason": "x"}).status_code == 403  # fmt: skip
    assert Deduction.objects.filter(revoked_at__isnull=True).count() == 2
    assert Deduction.objects.count() == 2


def test_the_ledger_takes_the_same_queries_for_3_and_6_rows(client_for, clock, scheme, keeper, county_a, county_b,
                                                            county_c, officer_a, count_queries):  # fmt: skip
    client = client_for(keeper)
    project = lead(officer_a)

    def grow() -> None:
        for unit in (county_a, county_b, county_c):
            deduction = record_deduction(
                scheme=scheme, unit=unit, kind="late_start", points=Decimal(1), happened_on=date(2026, 10, 8),
                reason="迟报", by=keeper, project=project if unit == county_a else None,
            )  # fmt: skip
            if unit == county_b:
                revoke_deduction(deduction=deduction, reason="撤销", by=keeper)

    grow()
    client.get(reverse(LIST))
    three = count_queries(lambda: client.get(reverse(LIST)))
    grow()
    six = count_queries(lambda: client.get(reverse(LIST)))

    assert len(_rows(client.get(reverse(LIST)))) == 6
    assert three == six


# ---- revoking -------------------------------------------------------------------------------


def test_the_keeper_revokes_a_deduction_with_the_reason(client_for, clock, scheme, keeper, county_a):
    deduction = _deduct(scheme, county_a, keeper)
    client = client_for(keeper)
    assert "确认撤销" in client.get(reverse(LIST)).content.decode()

    response = client.post(
        reverse("assessment:deduction_revoke", args=[deduction.pk]), {"reason": "已补报"}, follow=True
    )

    deduction.refresh_from_db()
    assert deduction.revoked_reason == "已补报"
    assert deduction.revoked_at is not None
    assert _messages(response) == ["已撤销东城区的扣分（报送不及时 2 分）。"]
    assert "确认撤销" not in response.content.decode()


def test_a_revoke_needs_a_reason_and_happens_once(client_for, clock, scheme, keeper, county_a):
    deduction = _deduct(scheme, county_a, keeper)
    client = client_for(keeper)
    url = reverse("assessment:deduction_revoke", args=[deduction.pk])

    empty = client.post(url, {"reason": ""}, follow=True)
    deduction.refresh_from_db()
    assert deduction.revoked_at is None
    client.post(url, {"reason": "已补报"}, follow=True)
    again = client.post(url, {"reason": "再次撤销"}, follow=True)

    assert _messages(empty) == ["请填写撤销理由。"]
    assert _messages(again) == ["该扣分已撤销。"]
    deduction.refresh_from_db()
    assert deduction.revoked_reason == "已补报"
    assert client.get(url).status_code == 405
