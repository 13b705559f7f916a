from datetime import date, datetime
from io import BytesIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from apps.core.models import CalendarDay, CalendarYear
from apps.org.models import Role
from apps.org.tests.factories import UserFactory

pytestmark = pytest.mark.shipped_calendar

SHANGHAI = ZoneInfo("Asia/Shanghai")
HEADERS = ("日期", "是否工作日", "说明")


def xlsx_upload(rows, headers=HEADERS, name="2031年节假日安排.xlsx") -> SimpleUploadedFile:
    workbook = Workbook()
    workbook.active.append(list(headers))
    for row in rows:
        workbook.active.append(list(row))
    buffer = BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


@pytest.fixture
def override(db):
    return CalendarDay.objects.create(date=date(2024, 10, 8), is_workday=False, note="临时停工")


@pytest.fixture
def calendar_viewer(city):
    """Someone who may read the calendar but not change it."""
    role = Role.objects.create(code="calendar_viewer", name="日历查看")
    role.permissions.add(Permission.objects.get(codename="view_calendarday"))
    user = UserFactory(username="viewer", unit=city)
    user.roles.add(role)
    return user


# ---- permissions ---------------------------------------------------------------------------

READ_PAGES = [
    ("core:calendar", {}),
    ("core:calendar_year", {"year": 2024}),
    ("core:calendar_day_list", {}),
    ("core:calendar_calculate", {}),
]
WRITE_PAGES = [
    ("core:calendar_day_create", {}),
    ("core:calendar_year_declare", {}),
    ("core:calendar_import", {}),
    ("core:calendar_import_template", {}),
]


@pytest.mark.parametrize(("name", "kwargs"), READ_PAGES + WRITE_PAGES)
def test_system_admin_opens_every_calendar_page(client_for, system_admin, name, kwargs):
    assert client_for(system_admin).get(reverse(name, kwargs=kwargs)).status_code == 200


@pytest.mark.parametrize(("name", "kwargs"), READ_PAGES + WRITE_PAGES)
def test_officer_gets_403_on_every_calendar_page(client_for, officer_a, name, kwargs):
    assert client_for(officer_a).get(reverse(name, kwargs=kwargs)).status_code == 403


@pytest.mark.parametrize(("name", "kwargs"), READ_PAGES)
def test_anonymous_is_sent_to_login(client, db, name, kwargs):
    response = client.get(reverse(name, kwargs=kwargs))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("org:login"))


@pytest.mark.parametrize(("name", "kwargs"), WRITE_PAGES)
def test_view_permission_alone_cannot_change(client_for, calendar_viewer, name, kwargs):
    assert client_for(calendar_viewer).get(reverse(name, kwargs=kwargs)).status_code == 403


@pytest.mark.parametrize("persona", ["officer_a", "calendar_viewer"])
def test_writes_are_refused_and_change_nothing(client_for, override, persona, request):
    client = client_for(request.getfixturevalue(persona))
    declared = CalendarYear.objects.create(year=2031, source="通知")

    responses = [
        client.post(reverse("core:calendar_day_create"), {"date": "2024-10-09", "is_workday": "0"}),
        client.post(reverse("core:calendar_day_edit", args=[override.pk]), {"date": "2024-10-08", "is_workday": "1"}),
        client.post(reverse("core:calendar_day_delete", args=[override.pk])),
        client.post(reverse("core:calendar_year_withdraw", args=[declared.pk])),
        client.post(reverse("core:calendar_import"), {"action": "commit"}),
    ]

    assert [r.status_code for r in responses] == [403] * 5
    assert list(CalendarDay.objects.values_list("date", "is_workday")) == [(date(2024, 10, 8), False)]
    assert CalendarYear.objects.count() == 1


def test_viewer_sees_the_calendar_without_edit_buttons(client_for, calendar_viewer):
    html = client_for(calendar_viewer).get(reverse("core:calendar_year", args=[2024])).content.decode()

    assert "国庆节" in html
    assert reverse("core:calendar_day_create") not in html


# ---- year page -----------------------------------------------------------------------------


def test_year_page_shows_library_holidays_and_marks_database_overrides(client_for, system_admin, override):
    html = client_for(system_admin).get(reverse("core:calendar_year", args=[2024])).content.decode()

    assert "2024 年工作日历" in html
    assert "内置的 chinese-calendar 数据" in html
    assert "2024年10月1日" in html
    assert "国庆节调休上班" in html
    assert "临时停工" in html
    assert reverse("core:calendar_day_edit", args=[override.pk]) in html
    assert "数据库" in html


def test_year_page_of_an_uncovered_year_says_so(client_for, system_admin):
    html = client_for(system_admin).get(reverse("core:calendar_year", args=[2031])).content.decode()

    assert "2031 年的节假日安排尚未录入，请系统管理员在“工作日历”中录入。" in html
    assert reverse("core:calendar_year_declare") + "?year=2031" in html


def test_year_page_of_a_declared_year_names_its_source(client_for, system_admin):
    CalendarYear.objects.create(year=2031, source="国办发明电〔2030〕5号", entered_by=system_admin)

    html = client_for(system_admin).get(reverse("core:calendar_year", args=[2031])).content.decode()

    assert "国办发明电〔2030〕5号" in html
    assert "尚未录入" not in html


# ---- overrides -----------------------------------------------------------------------------


def test_system_admin_adds_an_override(client_for, system_admin):
    response = client_for(system_admin).post(
        reverse("core:calendar_day_create"), {"date": "2024-10-09", "is_workday": "0", "note": "台风停工"}
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("core:calendar_year", args=[2024])
    assert CalendarDay.objects.get(date=date(2024, 10, 9)).note == "台风停工"


def test_adding_a_date_twice_shows_the_rule_on_the_form(client_for, system_admin, override):
    response = client_for(system_admin).post(
        reverse("core:calendar_day_create"), {"date": "2024-10-08", "is_workday": "1"}
    )

    assert response.status_code == 200
    assert "2024年10月8日 已有日历调整，请直接编辑。" in response.content.decode()
    assert CalendarDay.objects.get().is_workday is False


def test_system_admin_edits_and_deletes_an_override(client_for, system_admin, override):
    client = client_for(system_admin)

    client.post(
        reverse("core:calendar_day_edit", args=[override.pk]), {"date": "2024-10-08", "is_workday": "1", "note": "改"}
    )
    override.refresh_from_db()
    assert (override.is_workday, override.note) == (True, "改")

    response = client.post(reverse("core:calendar_day_delete", args=[override.pk]))
    assert response.status_code == 302
    assert not CalendarDay.objects.exists()


def test_override_list_shows_chinese_dates_and_filters_by_year(client_for, system_admin, override):
    CalendarDay.objects.create(date=date(2025, 1, 2), is_workday=False, note="另一年")

    html = client_for(system_admin).get(reverse("core:calendar_day_list"), {"year": 2024}).content.decode()

    assert "2024年10月8日" in html
    assert "另一年" not in html


def test_export_returns_the_overrides_as_xlsx(client_for, system_admin, override):
    response = client_for(system_admin).get(reverse("core:calendar_day_list"), {"export": "xlsx"})

    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0][:3] == HEADERS
    assert rows[1][:3] == (datetime(2024, 10, 8), "否", "临时停工")  # noqa: DTZ001 - Excel dates are naive


def test_an_exported_file_can_be_imported_again(client_for, system_admin, override):
    client = client_for(system_admin)
    exported = client.get(reverse("core:calendar_day_list"), {"export": "xlsx"}).content

    upload = SimpleUploadedFile("导出.xlsx", exported)
    html = client.post(reverse("core:calendar_import"), {"action": "preview", "file": upload}).content.decode()

    assert "全部 1 行检查通过" in html


# ---- declared years ------------------------------------------------------------------------


def test_system_admin_declares_an_entered_year(client_for, system_admin):
    CalendarDay.objects.create(date=date(2031, 1, 1), is_workday=False, note="元旦")

    response = client_for(system_admin).post(
        reverse("core:calendar_year_declare"), {"year": "2031", "source": "国办发明电〔2030〕5号"}
    )

    assert response.status_code == 302
    assert CalendarYear.objects.get(year=2031).entered_by == system_admin


def test_declaring_a_library_year_is_refused_on_the_form(client_for, system_admin):
    response = client_for(system_admin).post(reverse("core:calendar_year_declare"), {"year": "2024", "source": "通知"})

    assert "已内置，无需声明" in response.content.decode()
    assert not CalendarYear.objects.exists()


def test_system_admin_withdraws_a_declaration(client_for, system_admin):
    declared = CalendarYear.objects.create(year=2031, source="通知")

    client_for(system_admin).post(reverse("core:calendar_year_withdraw", args=[declared.pk]))

    assert not CalendarYear.objects.exists()


# ---- calculator ----------------------------------------------------------------------------


def test_calculator_adds_working_days(client_for, calendar_viewer):
    query = {"op": "add", "add-start": "2024-09-27", "add-days": "3"}

    html = client_for(calendar_viewer).get(reverse("core:calendar_calculate"), query).content.decode()

    assert "2024年9月27日 起第 3 个工作日是 <strong>2024年10月8日</strong>" in html


def test_calculator_counts_working_days_between(client_for, calendar_viewer):
    query = {"op": "between", "between-start": "2024-09-27", "between-end": "2024-10-14"}

    html = client_for(calendar_viewer).get(reverse("core:calendar_calculate"), query).content.decode()

    assert "共 <strong>8</strong> 个工作日" in html


def test_calculator_answers_htmx_with_the_panel_only(client_for, calendar_viewer):
    query = {"op": "add", "add-start": "2024-09-27", "add-days": "3"}

    response = client_for(calendar_viewer).get(reverse("core:calendar_calculate"), query, HTTP_HX_REQUEST="true")

    html = response.content.decode()
    assert html.lstrip().startswith('<div id="add-panel">')
    assert "2024年10月8日" in html


def test_calculator_explains_an_uncovered_year(client_for, calendar_viewer):
    query = {"op": "add", "add-start": "2031-03-03", "add-days": "3"}

    html = client_for(calendar_viewer).get(reverse("core:calendar_calculate"), query).content.decode()

    assert "2031 年的节假日安排尚未录入" in html


# ---- Excel import --------------------------------------------------------------------------


def test_import_previews_then_commits(client_for, system_admin):
    client = client_for(system_admin)
    upload = xlsx_upload([("2031-01-01", "否", "元旦"), (datetime(2031, 1, 4), "是", "调休上班")])  # noqa: DTZ001

    preview = client.post(reverse("core:calendar_import"), {"action": "preview", "file": upload}).content.decode()

    assert "全部 2 行检查通过" in preview
    assert not CalendarDay.objects.exists()

    response = client.post(reverse("core:calendar_import"), {"action": "commit"})

    assert response.status_code == 302
    assert dict(CalendarDay.objects.values_list("date", "is_workday")) == {
        date(2031, 1, 1): False,
        date(2031, 1, 4): True,
    }


def test_import_with_a_bad_row_writes_nothing_and_names_the_row(client_for, system_admin):
    client = client_for(system_admin)
    upload = xlsx_upload([("2031-01-01", "否", "元旦"), ("2031-02-30", "否", "春节"), ("2031-01-04", "也许", "")])

    html = client.post(reverse("core:calendar_import"), {"action": "preview", "file": upload}).content.decode()

    assert "第 3 行" in html
    assert "日期“2031-02-30”无法识别" in html
    assert "第 4 行" in html
    assert "是否工作日：只能填“是”或“否”。" in html
    assert 'value="commit"' not in html
    client.post(reverse("core:calendar_import"), {"action": "commit"})
    assert not CalendarDay.objects.exists()


def test_import_flags_a_date_given_twice(client_for, system_admin):
    upload = xlsx_upload([("2031-01-01", "否", "元旦"), ("2031/1/1", "否", "元旦")])

    html = client_for(system_admin).post(reverse("core:calendar_import"), {"file": upload}).content.decode()

    assert "与第 2 行的日期重复" in html
    assert 'value="commit"' not in html


def test_import_names_a_missing_column(client_for, system_admin):
    upload = xlsx_upload([("2031-01-01", "元旦")], headers=("日期", "说明"))

    html = client_for(system_admin).post(reverse("core:calendar_import"), {"file": upload}).content.decode()

    assert "第 1 行缺少表头“是否工作日”" in html


def test_import_refuses_a_file_that_is_not_a_workbook(client_for, system_admin):
    upload = SimpleUploadedFile("假的.xlsx", b"not a workbook")

    html = client_for(system_admin).post(reverse("core:calendar_import"), {"file": upload}).content.decode()

    assert "无法读取该文件" in html


def test_commit_without_a_preview_writes_nothing(client_for, system_admin):
    response = client_for(system_admin).post(reverse("core:calendar_import"), {"action": "commit"}, follow=True)

    assert "没有待确认的导入数据" in response.content.decode()
    assert not CalendarDay.objects.exists()


def test_import_template_is_an_xlsx_with_the_headers(client_for, system_admin):
    response = client_for(system_admin).get(reverse("core:calendar_import_template"))

    rows = list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0] == HEADERS


# ---- menu and pending items ----------------------------------------------------------------


def test_menu_shows_the_calendar_to_the_system_admin_only(client_for, system_admin, officer_a):
    assert reverse("core:calendar") in client_for(system_admin).get(reverse("core:home")).content.decode()
    assert reverse("core:calendar") not in client_for(officer_a).get(reverse("core:home")).content.decode()


def _home_at(client_for, user, moment: datetime) -> str:
    with time_machine.travel(moment, tick=False):
        return client_for(user).get(reverse("core:home")).content.decode()


def test_from_november_next_years_missing_arrangement_is_pending(client_for, system_admin):
    html = _home_at(client_for, system_admin, datetime(2026, 11, 2, 9, tzinfo=SHANGHAI))

    assert "录入 2027 年节假日安排" in html
    assert reverse("core:calendar_year", args=[2027]) in html


def test_before_november_nothing_is_pending(client_for, system_admin):
    html = _home_at(client_for, system_admin, datetime(2026, 10, 31, 9, tzinfo=SHANGHAI))

    assert "节假日安排" not in html


def test_an_uncovered_current_year_is_urgent(client_for, system_admin):
    html = _home_at(client_for, system_admin, datetime(2027, 1, 4, 9, tzinfo=SHANGHAI))

    assert "2027 年的节假日安排尚未录入" in html
    assert "text-bg-danger" in html


def test_a_declared_next_year_is_no_longer_pending(client_for, system_admin):
    CalendarYear.objects.create(year=2027, source="通知")

    html = _home_at(client_for, system_admin, datetime(2026, 11, 2, 9, tzinfo=SHANGHAI))

    assert "节假日安排" not in html


def test_officers_get_no_calendar_pending_items(client_for, officer_a):
    html = _home_at(client_for, officer_a, datetime(2027, 1, 4, 9, tzinfo=SHANGHAI))

    assert "节假日安排" not in html
