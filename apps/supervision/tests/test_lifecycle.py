from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from apps.core.errors import BusinessRuleError
from apps.core.models import Notice
from apps.supervision.models import Problem, ProblemEvent
from apps.supervision.services import problems as services

Status = Problem.Status


def _pdf(name="zhenggai.pdf", size=10) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF" + b"0" * size, content_type="application/pdf")


def _reported(problem, handler):
    services.add_evidence(problem=problem, file=_pdf(), description="整改前后对比照片", by=handler)
    return services.report_completion(problem=problem, report="已完成专项整治", by=handler)


def test_a_problem_gets_a_code_and_the_unit_is_told(
    make_problem, department, handler, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        problem = make_problem(department)

    assert problem.code == f"ZG{timezone.localdate().year}-0001"
    assert problem.status == Status.PENDING
    assert problem.events.get().action == ProblemEvent.Action.CREATE
    assert Notice.objects.filter(recipient=handler, key__contains="assigned").exists()


def test_the_full_lifecycle_with_a_return(make_problem, department, handler, supervisor):
    problem = make_problem(department)
    milestone = services.add_milestone(problem=problem, title="制定整改方案", due_on=problem.due_on, by=handler)
    services.complete_milestone(milestone=milestone, by=handler)
    problem.refresh_from_db()
    assert problem.status == Status.IN_PROGRESS

    problem = _reported(problem, handler)
    assert problem.status == Status.REPORTED
    assert problem.reported_by == handler
    problem = services.return_problem(problem=problem, reason="佐证材料不足", by=supervisor)
    assert problem.status == Status.IN_PROGRESS
    problem = services.report_completion(problem=problem, report="补充了材料", by=handler)
    problem = services.sign_off_problem(problem=problem, note="核验属实", by=supervisor)

    assert problem.status == Status.SIGNED_OFF
    assert problem.signed_off_by == supervisor
    assert problem.signed_off_at is not None
    actions = list(problem.events.values_list("action", flat=True))
    assert actions == ["create", "start", "milestone", "evidence", "report", "return", "report", "sign_off"]
    assert problem.events.get(action="return").note == "佐证材料不足"


def test_a_return_needs_a_reason(make_problem, department, handler, supervisor):
    problem = _reported(make_problem(department), handler)

    with pytest.raises(BusinessRuleError, match="请填写退回原因"):
        services.return_problem(problem=problem, reason="  ", by=supervisor)
    problem.refresh_from_db()
    assert problem.status == Status.REPORTED


def test_only_the_supervising_office_signs_off(make_problem, department, handler):
    problem = _reported(make_problem(department), handler)

    with pytest.raises(BusinessRuleError, match="只有督办单位可以销号"):
        services.sign_off_problem(problem=problem, by=handler)
    with pytest.raises(BusinessRuleError, match="只有督办单位可以退回"):
        services.return_problem(problem=problem, reason="不行", by=handler)
    problem.refresh_from_db()
    assert problem.status == Status.REPORTED


def test_only_the_responsible_unit_reports(make_problem, department, supervisor, county_handler_a):
    problem = make_problem(department)

    for someone in (supervisor, county_handler_a):
        with pytest.raises(BusinessRuleError, match="只有责任单位可以"):
            services.report_completion(problem=problem, report="完成", by=someone)
        with pytest.raises(BusinessRuleError, match="只有责任单位可以报送整改进展"):
            services.add_evidence(problem=problem, file=_pdf(), description="材料", by=someone)


def test_a_report_needs_every_milestone_and_evidence(make_problem, department, handler):
    problem = make_problem(department)
    services.add_milestone(problem=problem, title="建立制度", due_on=problem.due_on, by=handler)

    with pytest.raises(BusinessRuleError, match="还有 1 个整改节点未完成"):
        services.report_completion(problem=problem, report="完成", by=handler)
    services.complete_milestone(milestone=problem.milestones.get(), by=handler)
    with pytest.raises(BusinessRuleError, match="请先上传佐证材料"):
        services.report_completion(problem=problem, report="完成", by=handler)


def test_a_signed_off_problem_cannot_be_signed_off_twice(make_problem, department, handler, supervisor):
    problem = services.sign_off_problem(problem=_reported(make_problem(department), handler), by=supervisor)

    with pytest.raises(BusinessRuleError, match="当前为“已销号”，不能销号"):
        services.sign_off_problem(problem=problem, by=supervisor)


def test_a_due_date_before_today_is_refused(make_problem, department):
    with pytest.raises(BusinessRuleError, match="整改时限不能早于今天"):
        make_problem(department, due_on=timezone.localdate() - timedelta(days=1))


def test_milestones_stay_inside_the_timetable(make_problem, department, handler):
    problem = make_problem(department)

    with pytest.raises(BusinessRuleError, match="节点时限须在整改时间表内"):
        services.add_milestone(problem=problem, title="晚了", due_on=problem.due_on + timedelta(days=1), by=handler)
    with pytest.raises(BusinessRuleError, match="节点时限须在整改时间表内"):
        services.add_milestone(
            problem=problem, title="早了", due_on=timezone.localdate() - timedelta(days=1), by=handler
        )


def test_a_self_check_problem_needs_its_kind(make_problem, department):
    with pytest.raises(BusinessRuleError, match="请选择自查类别"):
        make_problem(department, source="self_check")

    assert make_problem(department, source="self_check", kind="inaction").get_kind_display() == "不担当"


@pytest.mark.parametrize(
    ("name", "size", "message"), [("a.exe", 10, "只能是"), ("a.pdf", 21 * 1024 * 1024, "不能超过 20 MB")]
)
def test_evidence_type_and_size_are_checked(make_problem, department, handler, name, size, message):
    problem = make_problem(department)

    with pytest.raises(BusinessRuleError, match=message):
        services.add_evidence(problem=problem, file=_pdf(name, size), description="材料", by=handler)
    assert not problem.evidence.exists()


def test_a_unit_that_only_helps_cannot_act(make_problem, department, county_a, county_handler_a):
    problem = make_problem(department, co_units=[county_a])

    assert services.allowed_moves(problem, county_handler_a) == []
    with pytest.raises(BusinessRuleError):
        services.start_problem(problem=problem, by=county_handler_a)
