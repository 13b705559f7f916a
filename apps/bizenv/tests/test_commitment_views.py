"""The time-limit commitment pages: who sees and changes what, filters, exports, the import's error report."""

from datetime import date
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from apps.bizenv.models import Case, Commitment
from apps.bizenv.services import cases as services
from apps.org import roles
from apps.org.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def kaiban(db) -> Commitment:
    return Commitment.objects.get(code="kaiban")


@pytest.fixture
def county_admin_b(county_b):
    return UserFactory(username="county_admin_b", name="西城区管理员", unit=county_b, roles=[roles.COUNTY_ADMIN])


@pytest.fixture
def hotline(city):
    return UserFactory(username="hotline", name="热线坐席", unit=city, roles=[roles.HOTLINE_AGENT])


def _case(commitment, unit, number, received, completed=None, *, applicant=None) -> Case:
    return services.record_case(
        commitment=commitment, unit=unit, number=number, applicant_name=applicant or f"{unit.name}申请人{number}",
        received_on=received, completed_on=completed, by=None,
    )  # fmt: skip


@pytest.fixture
def ledger(kaiban, county_a, county_b):
    """东城区: one on time (2 days), one late (6 days, unexplained); 西城区: one late (5 days)."""
    return {
        "a_on_time": _case(kaiban, county_a, "DC-1", date(2024, 9, 2), date(2024, 9, 4), applicant="东城甲公司"),
        "a_late": _case(kaiban, county_a, "DC-2", date(2024, 9, 2), date(2024, 9, 10), applicant="东城乙公司"),
        "b_late": _case(kaiban, county_b, "XC-1", date(2024, 9, 2), date(2024, 9, 9), applicant="西城丙公司"),
    }


def _xlsx(header, *rows) -> SimpleUploadedFile:
    workbook = Workbook()
    workbook.active.append(list(header))
    for row in rows:
        workbook.active.append(list(row))
    buffer = BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile("办件.xlsx", buffer.getvalue())


def _cells(response) -> list[list]:
    return [list(row) for row in load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True)]


SEPTEMBER = {"starts_on": "2024-09-01", "ends_on": "2024-09-30"}


# ---- reading --------------------------------------------------------------------------------------


def test_the_bureau_sees_every_countys_statistics(client, bizenv_keeper, kaiban, ledger):
    client.force_login(bizenv_keeper)

    text = client.get(reverse("bizenv:commitment_detail", args=[kaiban.pk]), SEPTEMBER).content.decode()

    assert "东城区" in text
    assert "西城区" in text
    assert "东城乙公司" in text  # the late list
    assert "西城丙公司" in text
    assert "2 件未说明" in text


def test_a_county_sees_only_its_own_cases_and_figures(client, county_admin_a, kaiban, ledger):
    client.force_login(county_admin_a)

    detail = client.get(reverse("bizenv:commitment_detail", args=[kaiban.pk]), SEPTEMBER).content.decode()
    cases = client.get(reverse("bizenv:case_list")).content.decode()
    other = client.get(reverse("bizenv:case_detail", args=[ledger["b_late"].pk]))

    assert "东城乙公司" in detail
    assert "西城" not in detail
    assert "DC-1" in cases
    assert "XC-1" not in cases
    assert other.status_code == 404


def test_the_commitment_list_shows_each_commitments_figures(client, bizenv_keeper, kaiban, ledger):
    client.force_login(bizenv_keeper)

    response = client.get(reverse("bizenv:commitment_list"), SEPTEMBER)
    exported = _cells(client.get(reverse("bizenv:commitment_list"), {**SEPTEMBER, "export": "xlsx"}))

    assert response.status_code == 200
    assert "开办企业" in response.content.decode()
    # 开办企业: 3 cases, 1 on time → 33.3 %, mean (2 + 6 + 5) / 3 = 4.3, median 5, P90 6, 2 late
    assert exported[1][:8] == ["开办企业", 4, 3, 33.3, 4.3, 5, 6, 2]


def test_the_case_list_filters_and_exports_what_it_shows(client, bizenv_keeper, kaiban, ledger, county_a):
    client.force_login(bizenv_keeper)
    url = reverse("bizenv:case_list")

    late = client.get(url, {"status": "unexplained", "unit": county_a.pk}).content.decode()
    searched = client.get(url, {"q": "丙公司"}).content.decode()
    empty = client.get(url, {"q": "不存在的公司"}).content.decode()
    exported = _cells(client.get(url, {"status": "late", "export": "xlsx"}))

    assert "DC-2" in late
    assert "DC-1" not in late
    assert "XC-1" not in late
    assert "XC-1" in searched
    assert "DC-1" not in searched
    assert "没有符合条件的办件" in empty
    assert sorted(row[1] for row in exported[1:]) == ["DC-2", "XC-1"]
    assert exported[0][:3] == ["承诺事项", "办件编号", "办理地区"]


def test_the_detail_export_gives_the_county_figures_and_the_total(client, bizenv_keeper, kaiban, ledger):
    client.force_login(bizenv_keeper)

    rows = _cells(client.get(reverse("bizenv:commitment_detail", args=[kaiban.pk]), {**SEPTEMBER, "export": "xlsx"}))

    assert rows[1:] == [["东城区", 2, 50, 4, 4, 6, 1], ["西城区", 1, 0, 5, 5, 5, 1], ["合计", 3, 33.3, 4.3, 5, 6, 2]]


def test_the_public_page_lists_the_committed_times_and_the_explanations_without_applicants(
    client, hotline, bizenv_keeper, ledger
):
    services.explain_delay(case=ledger["a_late"], explanation="银行开户需核实实际控制人身份，延误两个工作日。", by=bizenv_keeper)  # fmt: skip
    client.force_login(hotline)  # any member of staff reads what is published

    text = client.get(reverse("bizenv:commitment_public")).content.decode()

    assert "开办企业：4 个工作日内办结" in text
    assert "银行开户需核实实际控制人身份" in text
    assert "DC-2" in text
    assert "东城乙公司" not in text


def test_lists_take_the_same_queries_for_more_cases(client, bizenv_keeper, kaiban, county_a, count_queries):
    client.force_login(bizenv_keeper)
    for n in range(3):
        _case(kaiban, county_a, f"Q{n}", date(2024, 9, 2), date(2024, 9, 10 if n else 3))

    def pages():
        client.get(reverse("bizenv:case_list"))
        client.get(reverse("bizenv:commitment_list"))
        client.get(reverse("bizenv:commitment_detail", args=[kaiban.pk]), SEPTEMBER)

    few = count_queries(pages)
    for n in range(3, 20):
        _case(kaiban, county_a, f"Q{n}", date(2024, 9, 2), date(2024, 9, 10 if n % 2 else 3))
    assert count_queries(pages) == few


# ---- permissions ----------------------------------------------------------------------------------


def test_anonymous_is_sent_to_login_and_staff_without_the_permission_get_403(client, hotline, kaiban, ledger):
    urls = [reverse("bizenv:commitment_list"), reverse("bizenv:case_list")]
    assert all(client.get(url).status_code == 302 for url in urls)
    client.force_login(hotline)

    assert [client.get(url).status_code for url in urls] == [403, 403]
    assert client.get(reverse("bizenv:case_detail", args=[ledger["a_late"].pk])).status_code == 403


@pytest.mark.parametrize(
    ("who", "status"), [("anonymous", 302), ("county_admin_b", 404), ("city_leader", 403), ("county_admin_a", 302)]
)
def test_only_the_countys_recorder_explains_its_late_case(client, request, ledger, who, status):
    case = ledger["a_late"]
    if who != "anonymous":
        client.force_login(request.getfixturevalue(who))

    response = client.post(reverse("bizenv:case_explain", args=[case.pk]), {"explanation": "窗口人员调整导致延误三个工作日，已整改。"})  # fmt: skip

    assert response.status_code == status
    case.refresh_from_db()
    assert case.is_explained is (who == "county_admin_a")


def test_a_county_cannot_change_a_commitment(client, county_admin_a, kaiban):
    client.force_login(county_admin_a)

    assert client.get(reverse("bizenv:commitment_edit", args=[kaiban.pk])).status_code == 403
    assert client.post(reverse("bizenv:commitment_sync", args=[kaiban.pk])).status_code == 403
    assert client.get(reverse("bizenv:commitment_create")).status_code == 403


def test_the_bureau_edits_the_chain(client, bizenv_keeper, kaiban, market_bureau):
    client.force_login(bizenv_keeper)
    data = {
        "code": "kaiban", "name": "开办企业", "limit_days": "3", "order": "1", "is_active": "on",
        "steps-TOTAL_FORMS": "6", "steps-INITIAL_FORMS": "4",
        "steps-0-name": "设立登记", "steps-0-department": market_bureau.pk, "steps-0-limit_days": "1",
        "steps-1-name": "公章刻制", "steps-1-limit_days": "1",
    }  # fmt: skip

    response = client.post(reverse("bizenv:commitment_edit", args=[kaiban.pk]), data)

    assert response.status_code == 302
    kaiban.refresh_from_db()
    assert kaiban.limit_days == 3
    assert list(kaiban.steps.values_list("name", "department", "limit_days")) == [
        ("设立登记", market_bureau.pk, 1), ("公章刻制", None, 1),
    ]  # fmt: skip


# ---- the case form --------------------------------------------------------------------------------


def _case_post(**fields) -> dict:
    data = {
        "number": "DC-9", "applicant_name": "东城丁公司", "received_on": "2024-09-27", "completed_on": "2024-10-08",
        "steps-TOTAL_FORMS": "4", "steps-INITIAL_FORMS": "0",
        "steps-0-started_on": "2024-09-27", "steps-0-ended_on": "2024-09-30",
        "stops-TOTAL_FORMS": "2", "stops-INITIAL_FORMS": "0",
        "stops-0-reason": "correction", "stops-0-starts_on": "2024-09-29", "stops-0-ends_on": "2024-09-30",
    }  # fmt: skip
    return {**data, **fields}


def test_a_county_records_a_case_with_steps_and_a_clock_stop(client, county_admin_a, county_a, kaiban):
    client.force_login(county_admin_a)

    response = client.post(reverse("bizenv:case_create", args=[kaiban.pk]), _case_post(unit=county_a.pk))

    case = Case.objects.get(number="DC-9")
    assert response.status_code == 302
    # 29 Sep (make-up Sunday), 30 Sep and 8 Oct, minus the stop (30 Sep)
    assert (case.working_days, case.stopped_days, case.created_by) == (2, 1, county_admin_a)
    assert case.steps.get(name="设立登记").working_days == 1
    assert "2 个工作日" in client.get(reverse("bizenv:case_detail", args=[case.pk])).content.decode()


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"completed_on": "2024-09-20"}, "办结日期不能早于受理日期"),
        ({"stops-0-ends_on": "2024-10-20"}, "应在受理日期与办结日期之间"),
        ({"stops-0-ends_on": ""}, "暂停计时须填写原因、暂停日期和恢复日期"),
        ({"steps-0-started_on": "2024-09-20"}, "开始日期不能早于受理日期"),
        ({"applicant_uscc": "91110000000000000X"}, "统一社会信用代码无效"),
    ],
)
def test_the_case_form_refuses_bad_dates_in_chinese(client, county_admin_a, county_a, kaiban, fields, message):
    client.force_login(county_admin_a)

    response = client.post(reverse("bizenv:case_create", args=[kaiban.pk]), _case_post(unit=county_a.pk, **fields))

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Case.objects.exists()


def test_a_county_cannot_record_a_case_for_another_county(client, county_admin_a, county_b, kaiban):
    client.force_login(county_admin_a)

    response = client.post(reverse("bizenv:case_create", args=[kaiban.pk]), _case_post(unit=county_b.pk))

    assert response.status_code == 200  # the other county is not among the choices
    assert not Case.objects.exists()


# ---- import ---------------------------------------------------------------------------------------

HEADER = (
    "办件编号",
    "办理地区",
    "申请人",
    "统一社会信用代码",
    "受理日期",
    "办结日期",
    "暂停计时",
    "设立登记开始",
    "设立登记完成",
)


def test_an_import_with_errors_writes_nothing_and_names_each_row_and_column(client, county_admin_a, kaiban, ledger):
    client.force_login(county_admin_a)
    upload = _xlsx(
        HEADER,
        ("DC-10", "东城区", "东城戊公司", "", "2024-09-02", "2024-09-05", "补正材料 2024-09-03至2024-09-04"),
        ("DC-11", "西城区", "东城己公司", "", "2024-09-02", "2024-09-05"),
        ("DC-12", "东城区", "东城庚公司", "", "2024年9月5日", "2024-09-02"),
        ("DC-10", "东城区", "重复", "", "2024-09-02"),
        ("XC-1", "东城区", "改别人的", "", "2024-09-02"),
        ("DC-13", "东城区", "东城辛公司", "", "9月2日", "", "停电 2024-09-03至2024-09-04"),
    )

    response = client.post(reverse("bizenv:case_import", args=[kaiban.pk]), {"file": upload})

    text = response.content.decode()
    assert response.status_code == 200
    assert "未导入任何数据" in text
    errors = [
        ("3", "办理地区", "“西城区”不是您可以登记办件的地区"),
        ("4", "办结日期", "办结日期不能早于受理日期（2024年9月5日）"),
        ("5", "办件编号", "与第 2 行编号重复"),
        ("6", "办件编号", "该编号的办件属于其他地区"),
        ("7", "受理日期", "“9月2日”不是日期"),
        ("7", "暂停计时", "暂停原因应为"),
    ]
    for row, column, message in errors:
        assert f"<td>{row}</td><td>{column}</td><td>{message}" in text
    assert not Case.objects.filter(number="DC-10").exists()


def test_an_import_records_new_cases_and_updates_known_ones(client, county_admin_a, kaiban, ledger):
    client.force_login(county_admin_a)
    upload = _xlsx(
        HEADER,
        ("DC-10", "东城区", "东城戊公司", "", "2024-09-02", "2024-09-05", "补正材料 2024-09-03至2024-09-04", "2024-09-02", "2024-09-03"),
        ("DC-2", "990101", "东城乙公司", "", "2024-09-02", "2024-09-06"),
    )  # fmt: skip

    response = client.post(reverse("bizenv:case_import", args=[kaiban.pk]), {"file": upload})

    assert response.status_code == 302
    new = Case.objects.get(number="DC-10")
    assert (new.working_days, new.stopped_days, new.source) == (2, 1, "import")
    assert new.steps.get(name="设立登记").working_days == 1
    ledger["a_late"].refresh_from_db()
    assert ledger["a_late"].working_days == 4


def test_the_import_template_has_the_chain_columns_and_the_users_cases(client, county_admin_a, kaiban, ledger):
    client.force_login(county_admin_a)

    rows = _cells(client.get(reverse("bizenv:case_import", args=[kaiban.pk]), {"export": "xlsx"}))

    assert rows[0][:9] == list(HEADER)
    assert sorted(row[0] for row in rows[1:]) == ["DC-1", "DC-2"]


def test_a_file_that_is_not_excel_is_refused(client, county_admin_a, kaiban):
    client.force_login(county_admin_a)

    response = client.post(reverse("bizenv:case_import", args=[kaiban.pk]), {"file": SimpleUploadedFile("a.xlsx", b"nope")})  # fmt: skip

    assert "无法读取该文件" in response.content.decode()
