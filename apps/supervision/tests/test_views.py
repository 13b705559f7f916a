from datetime import timedelta
from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import timezone
from docx import Document
from openpyxl import Workbook, load_workbook

from apps.supervision.models import Problem
from apps.supervision.services import problems as services


def test_the_office_sees_every_problem_and_a_county_only_its_own(
    client_for, make_problem, supervisor, county_a, county_b, county_handler_a
):
    make_problem(county_a, title="东城问题")
    make_problem(county_b, title="西城问题")

    office_page = client_for(supervisor).get(reverse("supervision:problem_list")).content.decode()
    county_page = client_for(county_handler_a).get(reverse("supervision:problem_list")).content.decode()

    assert "东城问题" in office_page
    assert "西城问题" in office_page
    assert "东城问题" in county_page
    assert "西城问题" not in county_page


def test_a_co_unit_sees_the_problem_it_helps_with(client_for, make_problem, department, county_a, county_handler_a):
    problem = make_problem(department, title="协办问题", co_units=[county_a])

    client = client_for(county_handler_a)
    assert client.get(reverse("supervision:problem_detail", args=[problem.pk])).status_code == 200
    assert client.get(reverse("supervision:problem_report", args=[problem.pk])).status_code == 403


def test_another_countys_problem_is_a_404(client_for, make_problem, county_b, county_handler_a):
    problem = make_problem(county_b)

    assert client_for(county_handler_a).get(reverse("supervision:problem_detail", args=[problem.pk])).status_code == 404


@pytest.mark.parametrize("who", ["anonymous", "other_county", "unit", "office"])
def test_sign_off_by_the_office_only(client, client_for, make_problem, county_a, who, request):
    from django.core.files.uploadedfile import SimpleUploadedFile

    unit_user = request.getfixturevalue("county_handler_a")
    problem = make_problem(county_a)
    services.add_evidence(problem=problem, file=SimpleUploadedFile("a.pdf", b"%PDF"), description="材料", by=unit_user)
    services.report_completion(problem=problem, report="完成", by=unit_user)
    users = {"other_county": "county_handler_b", "unit": "county_handler_a", "office": "supervisor"}
    browser = client if who == "anonymous" else client_for(request.getfixturevalue(users[who]))

    response = browser.post(reverse("supervision:problem_sign_off", args=[problem.pk]), {"note": "核验属实"})

    expected = {"anonymous": 302, "other_county": 404, "unit": 403, "office": 302}[who]
    assert response.status_code == expected
    problem.refresh_from_db()
    assert (problem.status == Problem.Status.SIGNED_OFF) == (who == "office")


def test_the_create_form_refuses_a_past_due_date_in_chinese(client_for, supervisor, department):
    yesterday = timezone.localdate() - timedelta(days=1)
    data = {"title": "问题", "source": "inspection", "unit": department.pk, "due_on": yesterday.isoformat()}

    response = client_for(supervisor).post(reverse("supervision:problem_create"), data)

    assert response.status_code == 200
    assert "整改时限不能早于今天。" in response.content.decode()
    assert not Problem.objects.exists()


def test_the_ledger_makes_the_same_queries_for_more_problems(
    client_for, make_problem, supervisor, department, county_a, count_queries
):
    client = client_for(supervisor)
    url = reverse("supervision:problem_list")
    make_problem(department, co_units=[county_a])
    client.get(url)
    few = count_queries(lambda: client.get(url))
    for n in range(12):
        problem = make_problem(department, title=f"问题{n}", co_units=[county_a])
        services.add_milestone(problem=problem, title="节点", due_on=problem.due_on, by=supervisor)

    assert count_queries(lambda: client.get(url)) == few
    assert count_queries(lambda: client.get(url, {"export": "xlsx"})) <= few + 3


def test_the_export_has_the_current_state(client_for, make_problem, supervisor, department):
    make_problem(department, title="导出的问题")

    response = client_for(supervisor).get(reverse("supervision:problem_list"), {"export": "xlsx"})

    rows = list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0][:2] == ("问题编号", "问题")
    assert rows[1][1] == "导出的问题"
    assert rows[1][11] == "待整改"
    assert rows[1][12] == "绿灯（正常）"


def test_the_word_notice_opens_and_names_the_problem(client_for, make_problem, supervisor, department):
    problem = make_problem(department, title="窗口人员推诿扯皮")
    services.add_milestone(problem=problem, title="建立首问负责制", due_on=problem.due_on, by=supervisor)

    response = client_for(supervisor).get(reverse("supervision:problem_notice", args=[problem.pk]))

    assert response.status_code == 200
    document = Document(BytesIO(response.content))
    text = "\n".join(p.text for p in document.paragraphs) + "".join(
        cell.text for table in document.tables for row in table.rows for cell in row.cells
    )
    assert "窗口人员推诿扯皮" in text
    assert "督办通知单" in text
    assert "建立首问负责制" in text
    assert "{{" not in text


def _sheet(*rows) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(
        ["问题", "具体表现", "问题来源", "自查类别", "来源说明", "责任单位", "配合单位", "整改措施", "整改时限"]
    )
    for row in rows:
        sheet.append(list(row))
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _upload(content: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("wenti.xlsx", content)


def test_import_preview_then_commit(client_for, supervisor, department, county_a):
    due = (timezone.localdate() + timedelta(days=30)).isoformat()
    content = _sheet(
        ("审批超时", "", "自查表", "不规范", "2026年第一轮自查", "市市场监督管理局", "东城区", "限时办结", due),
        ("推诿扯皮", "", "明察暗访", "", "", "990101", "", "", due),
    )
    client = client_for(supervisor)
    url = reverse("supervision:problem_import")

    preview = client.post(url, {"file": _upload(content)})

    assert preview.status_code == 200
    assert "审批超时" in preview.content.decode()
    assert not Problem.objects.exists()
    committed = client.post(url, {"confirm": "1"})
    assert committed.status_code == 302
    assert Problem.objects.count() == 2
    assert list(Problem.objects.get(title="审批超时").co_units.all()) == [county_a]


def test_import_lists_every_error_by_row_and_writes_nothing(client_for, supervisor, department):
    due = (timezone.localdate() + timedelta(days=30)).isoformat()
    past = (timezone.localdate() - timedelta(days=1)).isoformat()
    content = _sheet(
        ("好的一行", "", "明察暗访", "", "", "市市场监督管理局", "", "", due),
        ("", "", "听说的", "", "", "不存在的局", "", "", "明天"),
        ("过期", "", "自查表", "", "", "市市场监督管理局", "", "", past),
    )

    response = client_for(supervisor).post(reverse("supervision:problem_import"), {"file": _upload(content)})

    page = response.content.decode()
    assert "“听说的”不是可选的值" in page
    assert "找不到单位“不存在的局”" in page
    assert "不是日期" in page
    assert "整改时限不能早于今天" in page
    assert 'data-testid="import-preview"' not in page
    assert not Problem.objects.exists()


def test_import_is_for_the_office_only(client_for, county_handler_a):
    assert client_for(county_handler_a).get(reverse("supervision:problem_import")).status_code == 403
