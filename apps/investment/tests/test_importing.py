"""The project ledger import: checks by row and column, all-or-nothing commits, scope, stages, the task path."""

from datetime import date, timedelta
from decimal import Decimal
from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from apps.core.errors import BusinessRuleError
from apps.core.models import LedgerImport
from apps.enterprises.matching.normalize import forget_regions
from apps.enterprises.models import DuplicateSuggestion, Enterprise
from apps.enterprises.tests.factories import make_enterprise, valid_uscc
from apps.investment import importing
from apps.investment.importing import HEADERS, KIND, check_import, commit_import, start_commit, upload_ledger
from apps.investment.models import Claim, ClaimConflict, Project, Stage, StageChange
from apps.investment.selectors.projects import waiting_confirmation
from apps.investment.services.workflow import confirm_stage
from apps.investment.tasks import check_ledger_import, commit_ledger_import
from apps.investment.tests.factories import lead
from apps.org import roles
from apps.org.tests.factories import UserFactory

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
#: a lead needs only this
LEAD = {"项目名称": "智能装备制造项目", "投资企业": "示范市甲科技有限公司", "线索来源": "专业招商", "阶段": "线索"}
#: a signed project with what the default gates ask for up to signing
SIGNED = {
    **LEAD, "阶段": "签约", "签约日期": "2025-03-01", "所属行业（代码）": "39", "计划投资（万元）": "60000",
    "协议投资（万元）": "50000", "用地（亩）": "100",
}  # fmt: skip


@pytest.fixture(autouse=True)
def _fresh_regions(db):
    """Each test's units are the matcher's regions: forget those a previous test loaded."""
    forget_regions()
    yield
    forget_regions()


def workbook(rows, headers=HEADERS) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(list(headers))
    for row in rows:
        sheet.append([row.get(h, "") for h in headers] if isinstance(row, dict) else list(row))
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def uploaded(content: bytes, user, *, kind: str = KIND) -> LedgerImport:
    return LedgerImport.objects.create(
        kind=kind, unit=user.unit, filename="项目台账.xlsx", content=content, created_by=user
    )


def checked(rows, user) -> LedgerImport:
    return check_import(uploaded(workbook(rows), user))


def errors_of(result: LedgerImport) -> dict[int, list[tuple[str, str]]]:
    return {row["number"]: [(e["column"], e["message"]) for e in row["errors"]] for row in result.rows}


def committed(rows, user) -> LedgerImport:
    result = checked(rows, user)
    assert errors_of(result) == {row["number"]: [] for row in result.rows}
    return commit_import(result)


# ---- checking ---------------------------------------------------------------------------------


def test_the_template_checks_clean_and_commits_at_the_ledgers_stages(officer_a):
    result = check_import(uploaded(workbook(importing.template_rows()), officer_a))
    assert result.can_commit

    commit_import(result)

    assert result.status == LedgerImport.Status.COMMITTED
    assert result.summary == {"projects": 2, "enterprises_created": 2, "enterprises_linked": 0, "pending": 1}
    started = Project.objects.get(name="年产 50 万台智能终端生产线")
    assert (started.unit, started.stage, started.counted_stage) == (officer_a.unit, Stage.STARTED, Stage.NEGOTIATION)
    assert (started.signed_on, started.started_on) == (date(2025, 3, 18), date(2025, 9, 1))
    assert started.investor_out_of_province is True
    assert started.contracted_investment == Decimal(60000)
    assert started.description == "建设智能终端生产线及研发中心\n备注：市重点项目"
    assert started.enterprise.uscc == "91990101MA5HX0001A"
    imported = started.changes.get(kind=StageChange.Kind.IMPORT)
    assert (imported.from_stage, imported.to_stage, imported.happened_on) == (
        "negotiation",
        "started",
        date(2025, 9, 1),
    )
    assert imported.approval == StageChange.Approval.PENDING
    talks = Project.objects.get(name="农产品冷链物流园")
    assert (talks.stage, talks.counted_stage) == (Stage.NEGOTIATION, Stage.NEGOTIATION)
    assert talks.changes.get(kind=StageChange.Kind.IMPORT).approval == StageChange.Approval.NOT_REQUIRED
    assert Claim.objects.filter(unit=officer_a.unit, status=Claim.Status.ACTIVE).count() == 2
    assert result.rows[0]["project"]["code"] == started.code


ROW_ERRORS = [
    ({"责任单位": "不存在的单位"}, "责任单位", "没有名为“不存在的单位”的单位"),
    ({"责任单位": "西城区"}, "责任单位", "“西城区”不在本单位（东城区）的管辖范围内"),
    ({"所属行业（代码）": "99"}, "所属行业（代码）", "“99”不是国民经济行业分类"),
    ({"线索来源": "朋友介绍"}, "线索来源", "“朋友介绍”不是可选值，可填：专业招商"),
    ({"阶段": "已签约"}, "阶段", "“已签约”不是可选值"),
    ({"阶段": ""}, "阶段", "必填"),
    ({"项目名称": ""}, "项目名称", "必填"),
    ({"计划投资（万元）": "五千"}, "计划投资（万元）", "“五千”不是数字"),
    ({"固定资产投资（万元）": "-5"}, "固定资产投资（万元）", "不能为负数"),
    ({"用地（亩）": "123456789"}, "用地（亩）", "超出可记录的范围"),
    ({"预计就业（人）": "12.5"}, "预计就业（人）", "“12.5”不是人数"),
    ({"外资（是/否）": "对"}, "外资（是/否）", "请填“是”或“否”"),
    ({"统一社会信用代码": "914403001922038217"}, "统一社会信用代码", "校验位不正确"),
    ({"此前已统计投资（万元）": "100"}, "此前已统计投资（万元）", "新建项目没有此前已统计的投资"),
    ({"签约日期": ""}, "签约日期", "阶段为“签约”，须填写签约日期"),
    ({"签约日期": "去年春天"}, "签约日期", "“去年春天”无法识别"),
    ({"签约日期": (TODAY + timedelta(days=1)).isoformat()}, "签约日期", "晚于今天"),
    ({"开工日期": "2025-04-01"}, "开工日期", "阶段为“签约”，尚未开工，不应填写开工日期"),
    (
        {"阶段": "开工", "开工日期": "2025-02-01", "固定资产投资（万元）": "1000"},
        "开工日期",
        "开工日期（2025-02-01）早于签约日期（2025-03-01）",
    ),
    ({"协议投资（万元）": ""}, "协议投资（万元）", "阶段为“签约”，须填写协议投资（万元）"),
    ({"项目名称": "高尔夫球场项目"}, "项目名称", "市场准入负面清单"),
]


@pytest.mark.parametrize(("changes", "column", "message"), ROW_ERRORS)
def test_each_error_is_reported_with_its_row_and_column(officer_a, county_b, changes, column, message):
    result = checked([LEAD, {**SIGNED, "项目名称": "第二个项目", **changes}], officer_a)

    errors = errors_of(result)
    assert errors[2] == []
    assert any(c == column and message in m for c, m in errors[3]), errors[3]
    assert not result.can_commit
    assert result.error_rows == 1


def test_full_width_or_ascii_brackets_and_excel_dates_read_alike(officer_a):
    headers = [h.replace("（", "(").replace("）", ")") for h in HEADERS]
    row = {h.replace("（", "(").replace("）", ")"): v for h, v in SIGNED.items()} | {"签约日期": date(2025, 3, 1)}

    result = check_import(uploaded(workbook([row], headers=headers), officer_a))

    assert errors_of(result) == {2: []}
    assert result.rows[0]["data"]["dates"] == {"signed": "2025-03-01"}
    assert result.rows[0]["data"]["contracted_investment"] == "50000.00"


def test_rows_repeating_each_other_are_errors(officer_a, county_a):
    code = valid_uscc()
    rows = [
        {**LEAD, "统一社会信用代码": code},
        {**LEAD, "项目名称": "智能装备制造项目 "},
        {**LEAD, "项目名称": "二期项目", "责任单位": "东城区东风街道"},
        {**LEAD, "项目名称": "三期项目", "统一社会信用代码": valid_uscc()},
        {**LEAD, "项目名称": "四期项目"},
    ]

    errors = errors_of(checked(rows, officer_a))

    assert errors[3] == [("项目名称", "与第 2 行重复：同一企业的同名项目。")]
    assert errors[4] == [("责任单位", "与第 2 行是同一企业，责任单位却不同：一家企业由一个单位首报，请统一责任单位。")]
    assert errors[5] == [("统一社会信用代码", "与第 2 行企业名称相同，统一社会信用代码却不同，请核对。")]
    assert errors[6] == []


def test_a_project_already_in_the_pipeline_is_not_imported_twice(officer_a):
    code = valid_uscc()
    enterprise = make_enterprise("示范市甲科技有限公司", uscc=code)
    existing = lead(officer_a, enterprise=enterprise, name="智能装备制造项目")

    errors = errors_of(checked([{**LEAD, "统一社会信用代码": code}], officer_a))

    assert errors[2] == [("项目名称", f"该企业已有同名项目（{existing.code}），请勿重复导入。")]


def test_an_enterprise_another_unit_holds_is_an_error_not_a_waiting_claim(officer_a, officer_b):
    code = valid_uscc()
    held = make_enterprise("示范市甲科技有限公司", uscc=code)
    lead(officer_b, enterprise=held)
    own = make_enterprise("示范市乙科技有限公司")
    lead(officer_a, enterprise=own, name="一期项目")
    rows = [{**LEAD, "统一社会信用代码": code}, {**LEAD, "投资企业": "示范市乙科技有限公司", "项目名称": "二期项目"}]

    result = checked(rows, officer_a)

    [(column, message)] = errors_of(result)[2]
    assert column == "投资企业"
    assert message.startswith(f"该企业已由西城区于 {TODAY:%Y-%m-%d} 首报")
    assert errors_of(result)[3] == []
    assert result.rows[1]["enterprise"]["id"] == own.pk
    assert not ClaimConflict.objects.exists()


def test_a_county_imports_only_its_own_units_and_the_city_any_county(officer_a, city, county_b):
    rows = [{**LEAD, "责任单位": "西城区"}]
    assert errors_of(checked(rows, officer_a))[2][0][0] == "责任单位"
    city_officer = UserFactory(username="city_officer", unit=city, roles=[roles.INVESTMENT_OFFICER])

    result = committed(rows, city_officer)

    assert result.status == LedgerImport.Status.COMMITTED
    assert Project.objects.get().unit == county_b


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"not a workbook", "无法读取该文件"),
        (workbook([], headers=["名称", "阶段"]), "第 1 行缺少表头“项目名称、投资企业”"),
        (workbook([]), "没有数据行"),
    ],
)
def test_file_level_problems(officer_a, content, message):
    result = check_import(uploaded(content, officer_a))

    assert result.status == LedgerImport.Status.CHECKED
    assert message in result.errors[0]
    assert not result.can_commit


# ---- enterprises ------------------------------------------------------------------------------


def test_enterprises_are_linked_by_code_or_a_sure_name_and_registered_otherwise(officer_a):
    code = valid_uscc()
    by_code = make_enterprise("示范市东城区华兴电子有限公司", uscc=code)
    by_name = make_enterprise("示范市云岭县绿源农业开发有限公司")
    rows = [
        {**LEAD, "项目名称": "甲", "投资企业": "华兴电子（名称写法不同）", "统一社会信用代码": code},
        {**LEAD, "项目名称": "乙", "投资企业": "示范市云岭县绿源农业开发有限责任公司"},
        {**LEAD, "项目名称": "丙", "投资企业": "绿源农业"},
        {**LEAD, "项目名称": "丁", "投资企业": "示范市北山区全新机械有限公司"},
        {**LEAD, "项目名称": "戊", "投资企业": "示范市北山区全新机械有限公司"},
    ]

    result = committed(rows, officer_a)

    linked = [(row["enterprise"]["action"], row["enterprise"]["id"]) for row in result.rows]
    assert linked[:2] == [("link", by_code.pk), ("link", by_name.pk)]
    assert [action for action, _id in linked[2:]] == ["create", "create", "create"]
    assert result.summary["enterprises_created"] == 2
    assert result.summary["enterprises_linked"] == 2
    new = Enterprise.objects.get(name="示范市北山区全新机械有限公司")
    assert set(Project.objects.filter(enterprise=new).values_list("name", flat=True)) == {"丁", "戊"}
    suggestion = DuplicateSuggestion.objects.get(source="import")
    assert {suggestion.first, suggestion.second} == {Enterprise.objects.get(name="绿源农业"), by_name}
    assert Project.objects.get(name="甲").enterprise == by_code


def test_a_new_enterprise_that_may_be_one_another_unit_holds_carries_a_note(officer_a, officer_b):
    held = make_enterprise("示范市云岭县绿源农业开发有限公司")
    lead(officer_b, enterprise=held)

    result = checked([{**LEAD, "投资企业": "绿源农业"}], officer_a)

    assert errors_of(result) == {2: []}
    assert result.rows[0]["enterprise"]["action"] == "create"
    assert any(
        note.startswith("可能与“示范市云岭县绿源农业开发有限公司”为同一企业") for note in result.rows[0]["notes"]
    )
    assert any("已由西城区" in note for note in result.rows[0]["notes"])


# ---- all or nothing ---------------------------------------------------------------------------


def test_a_file_with_an_error_cannot_be_committed(officer_a):
    result = checked([LEAD, {**LEAD, "项目名称": "二期", "阶段": "谈判中"}], officer_a)

    with pytest.raises(BusinessRuleError, match="还有错误"):
        start_commit(result)

    assert LedgerImport.objects.get(pk=result.pk).status == LedgerImport.Status.CHECKED
    assert not Project.objects.exists()


def test_a_code_registered_between_check_and_commit_fails_the_whole_import(officer_a):
    code = valid_uscc()
    result = checked(
        [LEAD, {**LEAD, "项目名称": "乙项目", "投资企业": "示范市乙科技有限公司", "统一社会信用代码": code}], officer_a
    )
    enterprises = Enterprise.objects.count()
    make_enterprise("示范市先登记的科技有限公司", uscc=code)

    commit_import(result)

    assert result.status == LedgerImport.Status.FAILED
    assert result.errors[0].startswith("第 3 行：统一社会信用代码")
    assert "未导入任何数据" in result.errors[0]
    assert Enterprise.objects.count() == enterprises + 1  # only the one registered meanwhile
    assert not Project.objects.exists()
    assert not Claim.objects.exists()
    assert not StageChange.objects.exists()


def test_a_claim_taken_between_check_and_commit_fails_the_whole_import(officer_a, officer_b):
    enterprise = make_enterprise("示范市乙科技有限公司")
    result = checked([LEAD, {**LEAD, "项目名称": "乙项目", "投资企业": "示范市乙科技有限公司"}], officer_a)
    lead(officer_b, enterprise=enterprise)

    commit_import(result)

    assert result.status == LedgerImport.Status.FAILED
    assert result.errors[0].startswith("第 3 行：该企业已由西城区")
    assert not Project.objects.filter(unit=officer_a.unit).exists()
    assert not ClaimConflict.objects.exists()


# ---- stages -----------------------------------------------------------------------------------


def test_a_countys_imported_stage_waits_for_confirmation_then_counts_with_the_ledgers_dates(officer_a, coordinator):
    row = {**SIGNED, "阶段": "开工", "开工日期": "2025-06-01", "固定资产投资（万元）": "40000"}
    committed([row], officer_a)
    project = Project.objects.get()
    change = project.changes.get(approval=StageChange.Approval.PENDING)
    assert (project.stage, project.counted_stage) == (Stage.STARTED, Stage.NEGOTIATION)
    assert list(waiting_confirmation(coordinator)) == [change]

    confirm_stage(change=change, opinion="已核实开工", by=coordinator)

    project.refresh_from_db()
    assert (project.counted_stage, project.signed_on, project.started_on) == (
        Stage.STARTED, date(2025, 3, 1), date(2025, 6, 1),
    )  # fmt: skip


def test_a_city_units_imported_stage_counts_at_once(coordinator):
    row = {
        **SIGNED, "阶段": "投产", "开工日期": "2025-04-01", "竣工日期": "2025-10-01", "投产日期": "2025-11-01",
        "固定资产投资（万元）": "40000",
    }  # fmt: skip

    result = committed([row], coordinator)

    project = Project.objects.get()
    assert (project.stage, project.counted_stage) == (Stage.PRODUCING, Stage.PRODUCING)
    assert (project.completed_on, project.producing_on, project.at_capacity_on) == (
        date(2025, 10, 1), date(2025, 11, 1), None,
    )  # fmt: skip
    assert not project.changes.filter(approval=StageChange.Approval.PENDING).exists()
    assert result.summary["pending"] == 0
    assert "导入后请上传阶段材料：投资协议（合同）、开工现场照片、竣工验收材料、投产证明。" in result.rows[0]["notes"]


# ---- the task worker --------------------------------------------------------------------------


def test_the_check_and_the_commit_run_on_the_task_worker(officer_a, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        ledger_import = upload_ledger(filename="东城台账.xlsx", content=workbook([LEAD]), by=officer_a)
    ledger_import.refresh_from_db()
    assert (ledger_import.status, ledger_import.processed_rows) == (LedgerImport.Status.CHECKED, 1)

    with django_capture_on_commit_callbacks(execute=True):
        start_commit(ledger_import)
    ledger_import.refresh_from_db()

    assert ledger_import.status == LedgerImport.Status.COMMITTED
    assert ledger_import.committed_at is not None
    assert Project.objects.get().created_by == officer_a


def test_the_tasks_are_idempotent_and_keep_to_their_kind(officer_a):
    done = committed([LEAD], officer_a)
    other_kind = uploaded(workbook([LEAD]), officer_a, kind="supervision.problems")

    check_ledger_import.enqueue(done.pk)
    commit_ledger_import.enqueue(done.pk)
    check_ledger_import.enqueue(other_kind.pk)

    assert Project.objects.count() == 1
    assert LedgerImport.objects.get(pk=other_kind.pk).status == LedgerImport.Status.QUEUED


def test_a_second_commit_of_one_file_is_refused(officer_a):
    result = checked([LEAD], officer_a)
    stale = LedgerImport.objects.get(pk=result.pk)  # a second page still showing the file as checked
    start_commit(result)

    with pytest.raises(BusinessRuleError, match="已在导入中或已导入"):
        start_commit(stale)


# ---- the pages --------------------------------------------------------------------------------


def _upload(client, rows, name="东城台账.xlsx"):
    upload = BytesIO(workbook(rows))
    upload.name = name
    return client.post(reverse("investment:import_list"), {"file": upload})


def test_importing_through_the_pages(client_for, officer_a, django_capture_on_commit_callbacks):
    client = client_for(officer_a)
    template = load_workbook(BytesIO(client.get(reverse("investment:import_template")).content))
    assert template.worksheets[0]["A1"].value == "项目名称"
    assert template.worksheets[1].title == "填写说明"

    with django_capture_on_commit_callbacks(execute=True):
        response = _upload(client, [LEAD])
    ledger_import = LedgerImport.objects.get()
    detail = client.get(response["Location"]).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("investment:import_commit", args=[ledger_import.pk]))
    after = client.get(response["Location"]).content.decode()

    assert 'data-testid="import-ready"' in detail
    assert 'data-testid="import-committed"' in after
    project = Project.objects.get()
    assert reverse("investment:project_detail", args=[project.pk]) in after
    assert ledger_import.unit == officer_a.unit


def test_rows_in_error_are_shown_and_the_report_downloads(client_for, officer_a, django_capture_on_commit_callbacks):
    client = client_for(officer_a)
    with django_capture_on_commit_callbacks(execute=True):
        _upload(client, [LEAD, {**LEAD, "项目名称": "二期", "线索来源": "朋友介绍"}])
    ledger_import = LedgerImport.objects.get()
    url = reverse("investment:import_detail", args=[ledger_import.pk])

    html = client.get(url).content.decode()
    report = load_workbook(BytesIO(client.get(url, {"export": "xlsx"}).content)).active

    assert 'data-testid="import-errors"' in html
    assert "<strong>线索来源</strong>：“朋友介绍”不是可选值" in html
    assert html.count('data-testid="import-row"') == 1  # the rows in error are shown first
    assert report["A1"].value == "行号"
    assert report.cell(row=1, column=report.max_column).value == "检查结果"
    assert report.cell(row=3, column=report.max_column).value.startswith("线索来源：“朋友介绍”不是可选值")
    assert report.cell(row=2, column=report.max_column).value.startswith("通过")


def test_the_progress_fragment_polls_while_checking_and_refreshes_when_done(client_for, officer_a):
    client = client_for(officer_a)
    running = uploaded(workbook([LEAD]), officer_a)
    url = reverse("investment:import_detail", args=[running.pk])
    headers = {"HX-Request": "true", "HX-Target": "import-progress"}

    fragment = client.get(url, headers=headers)
    check_import(running)
    done = client.get(url, headers=headers)

    assert 'data-testid="import-running"' in fragment.content.decode()
    assert "<html" not in fragment.content.decode()
    assert done.headers["HX-Refresh"] == "true"


@pytest.mark.parametrize("name", ["investment:import_list", "investment:import_template"])
def test_who_may_import(client, client_for, officer_a, department_handler, city_leader, name):
    assert client.get(reverse(name)).status_code == 302
    assert client_for(department_handler).get(reverse(name)).status_code == 403
    assert client_for(city_leader).get(reverse(name)).status_code == 403
    assert client_for(officer_a).get(reverse(name)).status_code == 200


def test_another_countys_import_can_be_neither_opened_nor_committed(client_for, officer_a, officer_b, county_admin_a):
    result = checked([LEAD], officer_a)

    assert client_for(officer_b).get(reverse("investment:import_detail", args=[result.pk])).status_code == 404
    assert client_for(officer_b).post(reverse("investment:import_commit", args=[result.pk])).status_code == 404
    assert client_for(county_admin_a).get(reverse("investment:import_detail", args=[result.pk])).status_code == 200
    assert LedgerImport.objects.get(pk=result.pk).status == LedgerImport.Status.CHECKED
    assert not Project.objects.exists()


def test_the_list_filters_and_exports_what_it_shows(client_for, officer_a, officer_b):
    committed([LEAD], officer_a)
    checked([{**LEAD, "阶段": "乱填"}], officer_a)
    LedgerImport.objects.filter(status=LedgerImport.Status.CHECKED).update(filename="有错误的台账.xlsx")
    uploaded(workbook([LEAD]), officer_b)
    LedgerImport.objects.filter(unit=officer_b.unit).update(filename="西城台账.xlsx")
    client = client_for(officer_a)

    everything = client.get(reverse("investment:import_list")).content.decode()
    only_done = client.get(reverse("investment:import_list"), {"status": "committed"}).content.decode()
    searched = client.get(reverse("investment:import_list"), {"q": "有错误"}).content.decode()
    export = load_workbook(BytesIO(client.get(reverse("investment:import_list"), {"export": "xlsx"}).content)).active

    assert "有错误的台账.xlsx" in everything
    assert "项目台账.xlsx" in everything
    assert "西城台账" not in everything
    assert "有错误的台账.xlsx" not in only_done
    assert "项目台账.xlsx" in only_done
    assert "有错误的台账.xlsx" in searched
    assert "项目台账.xlsx" not in searched
    assert sorted(row[0] for row in export.iter_rows(min_row=2, values_only=True)) == [
        "有错误的台账.xlsx",
        "项目台账.xlsx",
    ]
    nothing = client_for(officer_b).get(reverse("investment:import_list"), {"q": "东城"}).content.decode()
    assert "没有符合条件的导入记录" in nothing


def test_the_list_query_count_does_not_grow_with_imports(client_for, officer_a, county_admin_a, count_queries):
    client = client_for(officer_a)
    uploaded(workbook([LEAD]), officer_a)
    client.get(reverse("investment:import_list"))
    few = count_queries(lambda: client.get(reverse("investment:import_list")))
    for n in range(15):
        uploaded(b"", county_admin_a if n % 2 else officer_a)

    assert count_queries(lambda: client.get(reverse("investment:import_list"))) == few
