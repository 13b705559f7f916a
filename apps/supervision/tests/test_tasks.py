from datetime import date, datetime, timedelta
from io import BytesIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from apps.core.errors import BusinessRuleError
from apps.core.models import Notice
from apps.supervision.models import ProgressReport, SupervisionTask, TaskReminder
from apps.supervision.services import tasks as services
from apps.supervision.services.scans import scan_supervision
from apps.supervision.services.task_periods import (
    Period,
    due_periods,
    missing_periods,
    monthly_overdue,
    period_of,
    reportable_periods,
)

Status = SupervisionTask.Status
TEN, MONTH = SupervisionTask.Cycle.TEN_DAY, SupervisionTask.Cycle.MONTHLY
SHANGHAI = ZoneInfo("Asia/Shanghai")


def _at(day: date, hour: int = 9) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=SHANGHAI)


@pytest.fixture
def make_task(supervisor):
    """A task assigned today by the city's office, due in 40 days, reported on every 旬 unless told otherwise."""

    def make(unit, *, title="推进园区标准厂房建设", cycle=TEN, due_on=None, **extra):
        fields = {
            "content": "按市政府常务会议要求，年底前建成标准厂房10万平方米。", "source": "standing_meeting",
            "document_title": "市政府第12次常务会议纪要", "document_number": "示府纪〔2026〕12号",
            "document_date": timezone.localdate() - timedelta(days=3), **extra,
        }  # fmt: skip
        due_on = due_on or timezone.localdate() + timedelta(days=40)
        return services.create_task(title=title, unit=unit, due_on=due_on, cycle=cycle, by=supervisor, **fields)

    return make


def _task(unit, office, *, assigned_on, due_on, cycle=TEN, status=Status.IN_PROGRESS, completed_on=None, code=None,
          title="事项"):  # fmt: skip
    """A task written straight to the table, for dates the services would not take (the past)."""
    closed = {"closed_at": _at(completed_on)} if status == Status.CLOSED else {}
    return SupervisionTask.objects.create(
        code=code or f"DB2026-{SupervisionTask.objects.count() + 1:04d}", title=title, content="内容",
        source="instruction", leader="张市长", document_title="批示件", document_date=assigned_on, unit=unit,
        supervising_unit=office, assigned_on=assigned_on, due_on=due_on, cycle=cycle, status=status,
        completed_on=completed_on, **closed,
    )  # fmt: skip


# ---- periods ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "cycle", "start", "end", "label"),
    [
        (date(2026, 3, 1), TEN, date(2026, 3, 1), date(2026, 3, 10), "2026年3月上旬"),
        (date(2026, 3, 10), TEN, date(2026, 3, 1), date(2026, 3, 10), "2026年3月上旬"),
        (date(2026, 3, 11), TEN, date(2026, 3, 11), date(2026, 3, 20), "2026年3月中旬"),
        (date(2026, 3, 21), TEN, date(2026, 3, 21), date(2026, 3, 31), "2026年3月下旬"),
        (date(2026, 4, 30), TEN, date(2026, 4, 21), date(2026, 4, 30), "2026年4月下旬"),
        (date(2026, 2, 25), TEN, date(2026, 2, 21), date(2026, 2, 28), "2026年2月下旬"),
        (date(2024, 2, 29), TEN, date(2024, 2, 21), date(2024, 2, 29), "2024年2月下旬"),
        (date(2026, 2, 14), MONTH, date(2026, 2, 1), date(2026, 2, 28), "2026年2月"),
        (date(2024, 2, 1), MONTH, date(2024, 2, 1), date(2024, 2, 29), "2024年2月"),
        (date(2026, 12, 31), MONTH, date(2026, 12, 1), date(2026, 12, 31), "2026年12月"),
    ],
)
def test_the_period_of_a_day(day, cycle, start, end, label):
    period = period_of(day, cycle)

    assert (period.start, period.end) == (start, end)
    assert period.label == label


def test_periods_follow_each_other_across_month_and_year_ends():
    assert period_of(date(2026, 12, 25), TEN).following() == Period(date(2027, 1, 1), date(2027, 1, 10), TEN)
    assert period_of(date(2026, 2, 28), TEN).following() == Period(date(2026, 3, 1), date(2026, 3, 10), TEN)
    assert period_of(date(2026, 12, 1), MONTH).following() == Period(date(2027, 1, 1), date(2027, 1, 31), MONTH)
    with pytest.raises(ValueError, match="no reporting periods"):
        period_of(date(2026, 1, 1), SupervisionTask.Cycle.ONCE)


def test_the_full_periods_are_due_from_the_first_that_starts_on_or_after_the_assignment(county_a, office):
    on_first = _task(county_a, office, assigned_on=date(2026, 2, 1), due_on=date(2026, 6, 30))
    on_second = _task(county_a, office, assigned_on=date(2026, 2, 2), due_on=date(2026, 6, 30))
    monthly = _task(county_a, office, assigned_on=date(2026, 1, 15), due_on=date(2026, 6, 30), cycle=MONTH)

    starts = [p.start for p in due_periods(on_first, date(2026, 3, 1))]
    assert starts == [date(2026, 2, 1), date(2026, 2, 11), date(2026, 2, 21)]
    assert [p.start for p in due_periods(on_second, date(2026, 3, 1))] == [date(2026, 2, 11), date(2026, 2, 21)]
    assert [p.label for p in due_periods(monthly, date(2026, 3, 31))] == ["2026年2月"]  # March ends today: not yet
    assert [p.label for p in due_periods(monthly, date(2026, 4, 1))] == ["2026年2月", "2026年3月"]


def test_no_period_is_due_after_the_unit_asked_for_closure(county_a, office):
    task = _task(county_a, office, assigned_on=date(2026, 2, 1), due_on=date(2026, 6, 30), status=Status.CLOSING,
                 completed_on=date(2026, 2, 15))  # fmt: skip

    assert [p.start for p in due_periods(task, date(2026, 5, 1))] == [date(2026, 2, 1)]


def test_reportable_periods_are_the_begun_unreported_ones_latest_first(county_a, office):
    task = _task(county_a, office, assigned_on=date(2026, 2, 5), due_on=date(2026, 6, 30))

    periods = reportable_periods(task, date(2026, 2, 21), filed=[date(2026, 2, 11)])

    assert [p.start for p in periods] == [date(2026, 2, 21), date(2026, 2, 1)]


# ---- lifecycle and roles ------------------------------------------------------------------------------------


def test_the_lifecycle_reports_closure_return_and_close(make_task, county_a, county_handler_a, supervisor):
    task = make_task(county_a)
    assert task.status == Status.IN_PROGRESS
    assert task.code.startswith(f"DB{timezone.localdate().year}-")
    assert task.supervising_unit == supervisor.unit
    period = period_of(timezone.localdate(), TEN)

    services.file_report(task=task, period_start=period.start, text="完成选址", percent=20, by=county_handler_a)
    services.request_closure(task=task, report="厂房已建成", by=county_handler_a)
    assert task.status == Status.CLOSING
    assert task.completed_on == timezone.localdate()
    services.return_task(task=task, reason="验收材料不全", by=supervisor)
    assert (task.status, task.completed_on) == (Status.IN_PROGRESS, None)
    services.request_closure(task=task, report="已补齐验收材料", by=county_handler_a)
    services.close_task(task=task, note="经核实已办结", by=supervisor)

    task.refresh_from_db()
    assert task.status == Status.CLOSED
    assert task.closed_by == supervisor
    actions = list(task.events.values_list("action", flat=True))
    assert actions == ["create", "report", "request_close", "return", "request_close", "close"]


def test_only_the_office_assigns_and_closes_and_only_the_unit_reports(
    make_task, county_a, county_handler_a, county_handler_b, supervisor
):
    with pytest.raises(BusinessRuleError, match="只有督办单位"):
        services.create_task(
            title="x", content="x", source="assigned", document_title="x", document_date=timezone.localdate(),
            unit=county_a, due_on=timezone.localdate(), cycle=MONTH, by=county_handler_a,
        )  # fmt: skip
    task = make_task(county_a)
    start = period_of(timezone.localdate(), TEN).start
    with pytest.raises(BusinessRuleError, match="只有责任单位"):
        services.file_report(task=task, period_start=start, text="x", percent=1, by=supervisor)
    with pytest.raises(BusinessRuleError, match="只有责任单位"):
        services.file_report(task=task, period_start=start, text="x", percent=1, by=county_handler_b)
    with pytest.raises(BusinessRuleError, match="只有责任单位可以申请办结"):
        services.request_closure(task=task, report="x", by=supervisor)
    services.request_closure(task=task, report="完成", by=county_handler_a)
    with pytest.raises(BusinessRuleError, match="只有督办单位可以办结"):
        services.close_task(task=task, by=county_handler_a)
    with pytest.raises(BusinessRuleError, match="请填写退回原因"):
        services.return_task(task=task, reason=" ", by=supervisor)
    assert SupervisionTask.objects.get(pk=task.pk).status == Status.CLOSING


def test_the_rules_of_a_task_and_its_reports(make_task, county_a, county_handler_a):
    with pytest.raises(BusinessRuleError, match="请填写批示领导"):
        make_task(county_a, source="instruction", leader="")
    with pytest.raises(BusinessRuleError, match="配合单位不能包括责任单位"):
        make_task(county_a, co_units=[county_a])
    task = make_task(county_a)
    today = timezone.localdate()
    current = period_of(today, TEN)
    with pytest.raises(BusinessRuleError, match="0 到 100"):
        services.file_report(task=task, period_start=current.start, text="x", percent=101, by=county_handler_a)
    with pytest.raises(BusinessRuleError, match="已开始的报告期"):
        services.file_report(task=task, period_start=current.following().start, text="x", percent=1,
                             by=county_handler_a)  # fmt: skip
    with pytest.raises(BusinessRuleError, match="请选择报告期"):
        services.file_report(task=task, period_start=current.start + timedelta(days=1), text="x", percent=1,
                             by=county_handler_a)  # fmt: skip
    services.file_report(task=task, period_start=current.start, text="进展", percent=10, by=county_handler_a)
    with pytest.raises(BusinessRuleError, match="进展已报送"):
        services.file_report(task=task, period_start=current.start, text="再报", percent=20, by=county_handler_a)
    with pytest.raises(BusinessRuleError, match="佐证材料只能是"):
        services.file_report(task=task, period_start=current.start, text="x", percent=1,
                             attachment=SimpleUploadedFile("a.exe", b"MZ"), by=county_handler_a)  # fmt: skip


def test_closure_needs_every_missing_report_first(county_a, office, county_handler_a):
    today = timezone.localdate()
    task = _task(county_a, office, assigned_on=today - timedelta(days=70), due_on=today + timedelta(days=10),
                 cycle=MONTH)  # fmt: skip
    missing = missing_periods(task, today, [])
    assert missing

    with pytest.raises(BusinessRuleError, match="请先补报缺报的进展报告"):
        services.request_closure(task=task, report="完成", by=county_handler_a)
    for period in missing:
        services.file_report(task=task, period_start=period.start, text="补报", percent=50, by=county_handler_a)
    services.request_closure(task=task, report="完成", by=county_handler_a)

    assert ProgressReport.objects.filter(task=task).count() == len(missing)
    assert all(report.is_late for report in ProgressReport.objects.filter(task=task))
    assert SupervisionTask.objects.get(pk=task.pk).status == Status.CLOSING


# ---- the daily scan -----------------------------------------------------------------------------------------


def test_the_missing_report_scan_is_idempotent_over_time(county_a, office, handler, county_handler_a):
    with time_machine.travel(_at(date(2026, 3, 2)), tick=False) as traveller:
        task = _task(county_a, office, assigned_on=date(2026, 3, 1), due_on=date(2026, 9, 30))

        traveller.move_to(_at(date(2026, 3, 11)))
        assert scan_supervision()["missing_reports"] == 1  # 上旬
        assert scan_supervision()["missing_reports"] == 0
        traveller.move_to(_at(date(2026, 3, 15)))
        assert scan_supervision()["missing_reports"] == 0  # still only 上旬, reminded already
        services.file_report(task=task, period_start=date(2026, 3, 11), text="中旬进展", percent=30,
                             by=county_handler_a)  # fmt: skip
        traveller.move_to(_at(date(2026, 4, 1)))
        assert scan_supervision()["missing_reports"] == 1  # 下旬 (中旬 filed, 上旬 reminded)
        assert scan_supervision()["missing_reports"] == 0

    reminders = TaskReminder.objects.filter(task=task, level="missing_report")
    assert sorted(reminders.values_list("about", flat=True)) == [date(2026, 3, 1), date(2026, 3, 21)]
    assert task.events.filter(action="missing_report").count() == 2
    assert Notice.objects.filter(recipient=county_handler_a, key__contains=".missing_report.").count() == 2


def test_the_scan_reminds_then_urges_a_task_once_per_due_date(county_a, office, county_handler_a, supervisor):
    task = _task(county_a, office, assigned_on=date(2026, 3, 2), due_on=date(2026, 3, 20), cycle="once")

    assert scan_supervision(today=date(2026, 3, 18))["task_remind"] == 1
    assert scan_supervision(today=date(2026, 3, 19))["task_remind"] == 0
    assert scan_supervision(today=date(2026, 3, 23))["task_urge"] == 1
    assert scan_supervision(today=date(2026, 3, 24))["task_urge"] == 0

    assert Notice.objects.filter(recipient=supervisor, key__contains=".urge.").count() == 1
    assert Notice.objects.filter(recipient=county_handler_a, key__contains=f"task.{task.pk}.remind.").count() == 1


# ---- the month's overdue list -------------------------------------------------------------------------------


def test_the_months_overdue_tasks_and_missing_reports(county_a, county_b, office):
    today = date(2026, 4, 15)
    still_open = _task(county_a, office, assigned_on=date(2026, 2, 1), due_on=date(2026, 3, 10), title="仍未办结")
    late = _task(county_a, office, assigned_on=date(2026, 2, 1), due_on=date(2026, 3, 5), status=Status.CLOSED,
                 completed_on=date(2026, 3, 8), title="三月迟办结")  # fmt: skip
    _task(county_a, office, assigned_on=date(2026, 1, 5), due_on=date(2026, 2, 10), status=Status.CLOSED,
          completed_on=date(2026, 2, 20), title="二月已办结")  # fmt: skip
    _task(county_a, office, assigned_on=date(2026, 2, 1), due_on=date(2026, 3, 31), title="月末到期")
    first_day = _task(county_b, office, assigned_on=date(2026, 1, 5), due_on=date(2026, 2, 15),
                      status=Status.CLOSING, completed_on=date(2026, 3, 1), title="三月一日完成")  # fmt: skip
    _task(county_b, office, assigned_on=date(2026, 3, 1), due_on=date(2026, 4, 10), title="四月逾期")
    reported = _task(county_b, office, assigned_on=date(2026, 2, 25), due_on=date(2026, 12, 31), title="旬报事项")
    ProgressReport.objects.create(task=reported, period_start=date(2026, 3, 1), period_end=date(2026, 3, 10),
                                  text="按时", percent=10, filed_at=_at(date(2026, 3, 10)))  # fmt: skip
    ProgressReport.objects.create(task=reported, period_start=date(2026, 3, 11), period_end=date(2026, 3, 20),
                                  text="迟报", percent=20, filed_at=_at(date(2026, 3, 25)))  # fmt: skip

    result = monthly_overdue(year=2026, month=3, today=today, tasks=SupervisionTask.objects.exclude(cycle="once"))

    rows = {item.task.title: (item.overdue_days, item.still_open) for item in result.tasks}
    assert rows == {"仍未办结": (15, True), "三月迟办结": (1, False), "三月一日完成": (5, False)}
    assert {still_open.pk, late.pk, first_day.pk} == {item.task.pk for item in result.tasks}
    missing = [(m.task.title, m.period.label, m.late_report is not None) for m in result.missing]
    assert ("旬报事项", "2026年3月中旬", True) in missing
    assert ("旬报事项", "2026年3月下旬", False) in missing
    assert ("旬报事项", "2026年3月上旬", False) not in missing
    assert all(m.period.end.month == 3 for m in result.missing)
    assert monthly_overdue(year=2026, month=5, today=today).tasks == []  # a month to come


def test_the_current_month_counts_up_to_today(county_a, office):
    _task(county_a, office, assigned_on=date(2026, 4, 1), due_on=date(2026, 4, 14), cycle=MONTH, title="昨日到期")
    _task(county_a, office, assigned_on=date(2026, 4, 1), due_on=date(2026, 4, 15), cycle=MONTH, title="今日到期")

    result = monthly_overdue(year=2026, month=4, today=date(2026, 4, 15))

    assert [item.task.title for item in result.tasks] == ["昨日到期"]
    assert result.as_of == date(2026, 4, 15)
    assert result.missing == []  # April's period has not ended


# ---- pages --------------------------------------------------------------------------------------------------


def test_the_ledger_is_scoped_and_another_countys_task_is_a_404(
    client_for, make_task, county_a, county_b, county_handler_a, supervisor
):
    make_task(county_a, title="东城督办事项")
    other = make_task(county_b, title="西城督办事项")

    county_page = client_for(county_handler_a).get(reverse("supervision:task_list")).content.decode()
    office_page = client_for(supervisor).get(reverse("supervision:task_list")).content.decode()

    assert "东城督办事项" in county_page
    assert "西城督办事项" not in county_page
    assert "东城督办事项" in office_page
    assert "西城督办事项" in office_page
    assert client_for(county_handler_a).get(reverse("supervision:task_detail", args=[other.pk])).status_code == 404


def test_a_co_unit_sees_the_task_but_does_not_report(client_for, make_task, department, county_a, county_handler_a):
    task = make_task(department, co_units=[county_a])
    client = client_for(county_handler_a)

    assert client.get(reverse("supervision:task_detail", args=[task.pk])).status_code == 200
    assert client.get(reverse("supervision:task_report", args=[task.pk])).status_code == 403


def test_the_list_filters_shows_overdue_red_and_exports(client_for, county_a, office, supervisor):
    today = timezone.localdate()
    _task(
        county_a, office, assigned_on=today - timedelta(days=40), due_on=today - timedelta(days=2), title="逾期事项甲"
    )
    _task(county_a, office, assigned_on=today, due_on=today + timedelta(days=60), cycle=MONTH, title="正常事项乙")
    client = client_for(supervisor)
    url = reverse("supervision:task_list")

    red = client.get(url, {"light": "red"}).content.decode()
    monthly = client.get(url, {"cycle": "monthly"}).content.decode()
    export = client.get(url, {"light": "red", "export": "xlsx"})

    assert "逾期事项甲" in red
    assert "正常事项乙" not in red
    assert "text-bg-danger" in red
    assert "缺报" in red  # 40 days of 旬 without a report
    assert "正常事项乙" in monthly
    assert "逾期事项甲" not in monthly
    sheet = load_workbook(BytesIO(export.content)).active
    assert [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)] == ["逾期事项甲"]
    assert "没有符合条件的督办事项" in client.get(url, {"q": "不存在"}).content.decode()


def test_the_ledger_makes_the_same_queries_for_more_tasks(client_for, make_task, supervisor, department, county_a,
                                                          count_queries):  # fmt: skip
    client = client_for(supervisor)
    url = reverse("supervision:task_list")
    make_task(department, co_units=[county_a])
    client.get(url)
    few = count_queries(lambda: client.get(url))
    for number in range(6):
        task = make_task(county_a, title=f"事项{number}", co_units=[department])
        ProgressReport.objects.create(task=task, period_start=period_of(task.assigned_on, TEN).start,
                                      period_end=period_of(task.assigned_on, TEN).end, text="x", percent=5)  # fmt: skip

    assert count_queries(lambda: client.get(url)) == few


def test_the_monthly_page_and_export(client_for, county_a, county_b, office, county_handler_a):
    today = timezone.localdate()
    first = today.replace(day=1)
    _task(county_a, office, assigned_on=first - timedelta(days=60), due_on=first - timedelta(days=10), title="东城逾期")
    _task(county_b, office, assigned_on=first - timedelta(days=60), due_on=first - timedelta(days=10), title="西城逾期")
    client = client_for(county_handler_a)
    url = reverse("supervision:task_overdue")
    previous = (first - timedelta(days=1)).strftime("%Y-%m")

    page = client.get(url, {"month": previous}).content.decode()
    export = client.get(url, {"month": previous, "export": "xlsx"})
    bad = client.get(url, {"month": "2026-13"})

    assert "东城逾期" in page
    assert "西城逾期" not in page
    rows = list(load_workbook(BytesIO(export.content)).active.iter_rows(min_row=2, values_only=True))
    assert [row[2] for row in rows if row[0] == "逾期事项"] == ["东城逾期"]
    assert bad.status_code == 200
    assert "请选择正确的月份" in bad.content.decode()


@pytest.mark.parametrize("who", ["anonymous", "other_county", "unit", "office"])
def test_close_by_the_office_only(client, client_for, make_task, county_a, who, request):
    unit_user = request.getfixturevalue("county_handler_a")
    task = make_task(county_a)
    services.request_closure(task=task, report="完成", by=unit_user)
    users = {"other_county": "county_handler_b", "unit": "county_handler_a", "office": "supervisor"}
    browser = client if who == "anonymous" else client_for(request.getfixturevalue(users[who]))

    response = browser.post(reverse("supervision:task_close", args=[task.pk]), {"note": "同意办结"})

    assert response.status_code == {"anonymous": 302, "other_county": 404, "unit": 403, "office": 302}[who]
    assert (SupervisionTask.objects.get(pk=task.pk).status == Status.CLOSED) == (who == "office")


@pytest.mark.parametrize("who", ["other_county", "office", "unit"])
def test_reports_are_filed_by_the_unit_through_the_page(client_for, make_task, county_a, who, request):
    task = make_task(county_a)
    users = {"other_county": "county_handler_b", "unit": "county_handler_a", "office": "supervisor"}
    data = {"period_start": period_of(timezone.localdate(), TEN).start.isoformat(), "percent": "35",
            "text": "完成土地平整", "attachment": SimpleUploadedFile("jz.pdf", b"%PDF-1.4")}  # fmt: skip

    browser = client_for(request.getfixturevalue(users[who]))
    form = browser.get(reverse("supervision:task_report", args=[task.pk]))
    response = browser.post(reverse("supervision:task_report", args=[task.pk]), data)

    assert response.status_code == {"other_county": 404, "office": 403, "unit": 302}[who]
    assert form.status_code == {"other_county": 404, "office": 403, "unit": 200}[who]
    assert ProgressReport.objects.filter(task=task).exists() == (who == "unit")
    if who == "unit":
        assert period_of(timezone.localdate(), TEN).label in form.content.decode()
        page = browser.get(reverse("supervision:task_detail", args=[task.pk])).content.decode()
        assert "完成土地平整" in page
        report = ProgressReport.objects.get(task=task)
        assert browser.get(reverse("supervision:report_attachment", args=[report.pk])).status_code == 200


def test_the_office_assigns_through_the_page_and_errors_speak_chinese(client_for, supervisor, county_a):
    today = timezone.localdate()
    url = reverse("supervision:task_create")
    bad = client_for(supervisor).post(url, {"title": "", "source": "instruction", "unit": county_a.pk,
                                            "document_date": (today + timedelta(days=1)).isoformat(),
                                            "due_on": (today - timedelta(days=1)).isoformat(), "cycle": "monthly"})  # fmt: skip
    page = bad.content.decode()
    assert bad.status_code == 200
    assert "请填写督办事项。" in page
    assert "办结时限不能早于今天。" in page
    assert "文件日期不能晚于今天。" in page
    assert not SupervisionTask.objects.exists()

    good = client_for(supervisor).post(url, {
        "title": "协调解决企业用地问题", "content": "请于月底前解决", "source": "instruction", "leader": "李市长",
        "document_title": "市长批示件", "document_date": today.isoformat(), "unit": county_a.pk,
        "due_on": (today + timedelta(days=30)).isoformat(), "cycle": "monthly",
        "document_file": SimpleUploadedFile("pishi.pdf", b"%PDF-1.4"),
    })  # fmt: skip

    task = SupervisionTask.objects.get()
    assert good.status_code == 302
    assert (task.leader, task.unit, task.cycle) == ("李市长", county_a, MONTH)
    assert client_for(supervisor).get(reverse("supervision:task_document", args=[task.pk])).status_code == 200


def test_the_monthly_page_makes_the_same_queries_for_more_tasks(client_for, county_a, office, supervisor,
                                                                count_queries):  # fmt: skip
    today = timezone.localdate()
    first = today.replace(day=1)
    client = client_for(supervisor)
    url = reverse("supervision:task_overdue")
    month = (first - timedelta(days=1)).strftime("%Y-%m")
    _task(county_a, office, assigned_on=first - timedelta(days=70), due_on=first - timedelta(days=10))
    client.get(url, {"month": month})
    few = count_queries(lambda: client.get(url, {"month": month}))
    for number in range(5):
        task = _task(county_a, office, assigned_on=first - timedelta(days=70), due_on=first - timedelta(days=12),
                     title=f"逾期{number}")  # fmt: skip
        start = period_of(first - timedelta(days=5), TEN)
        ProgressReport.objects.create(task=task, period_start=start.start, period_end=start.end, text="x", percent=5)

    assert count_queries(lambda: client.get(url, {"month": month})) == few


def test_the_office_corrects_a_task_but_not_its_cycle_once_reported(
    client_for, make_task, county_a, department, county_handler_a, supervisor
):
    task = make_task(county_a)
    services.file_report(task=task, period_start=period_of(timezone.localdate(), TEN).start, text="进展", percent=10,
                         by=county_handler_a)  # fmt: skip
    new_due = timezone.localdate() + timedelta(days=50)

    with pytest.raises(BusinessRuleError, match="不能更改报告周期"):
        services.update_task(task=SupervisionTask.objects.get(pk=task.pk), cycle=MONTH, by=supervisor)
    with pytest.raises(BusinessRuleError, match="只有督办单位可以修改"):
        services.update_task(task=task, due_on=new_due, by=county_handler_a)
    services.update_task(task=task, due_on=new_due, co_units=[department], by=supervisor)

    task.refresh_from_db()
    assert task.due_on == new_due
    assert list(task.co_units.all()) == [department]
    assert task.events.filter(action="update").count() == 1
    assert client_for(supervisor).get(reverse("supervision:task_edit", args=[task.pk])).status_code == 200
    assert client_for(county_handler_a).get(reverse("supervision:task_edit", args=[task.pk])).status_code == 403
