"""The 督办通知单 (supervision notice) of a problem, as a Word document from notice_templates/default.docx.

The template may use: issuing_unit, number, unit, opening, code, title, description, source, co_units,
measures, due_on, state, milestones (rows of number, title, due_on, done), requirement, issued_on.
"""

from datetime import date
from pathlib import Path

from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.documents import render_docx
from apps.core.workdays import WorkdayCalendar, chinese_date
from apps.supervision.models import Problem
from apps.supervision.services import deadlines

TEMPLATE = Path(__file__).resolve().parent.parent / "notice_templates" / "default.docx"


def notice_context(problem: Problem, today: date) -> dict:
    """The values of the notice, dates as the offices write them."""
    overdue = deadlines.overdue_working_days(problem.due_on, today, WorkdayCalendar.load())
    source = problem.get_source_display()
    if problem.kind:
        source = f"{source}（{problem.get_kind_display()}）"
    if problem.source_reference:
        source = f"{source}：{problem.source_reference}"
    return {
        "issuing_unit": problem.supervising_unit.name,
        "number": _("督办〔%(year)s〕%(code)s号") % {"year": today.year, "code": problem.code},
        "unit": problem.unit.name,
        "opening": _opening(problem, overdue),
        "code": problem.code,
        "title": problem.title,
        "description": problem.description or "—",
        "source": source,
        "co_units": "、".join(unit.name for unit in problem.co_units.all()) or "—",
        "measures": problem.measures or "—",
        "due_on": chinese_date(problem.due_on),
        "state": problem.get_status_display(),
        "milestones": [
            {
                "number": number,
                "title": milestone.title,
                "due_on": chinese_date(milestone.due_on),
                "done": chinese_date(milestone.done_on) + _("完成") if milestone.done_on else _("未完成"),
            }
            for number, milestone in enumerate(problem.milestones.all(), start=1)
        ],
        "requirement": _(
            "请你单位高度重视，对照整改措施和时间表抓紧整改，于%(day)s前将整改完成情况及佐证材料报送%(office)s。"
            "逾期未完成的，将按规定通报并约谈。"
        )
        % {"day": chinese_date(max(problem.due_on, today)), "office": problem.supervising_unit.name},
        "issued_on": chinese_date(today),
    }


def _opening(problem: Problem, overdue: int) -> str:
    if overdue:
        return _("下列问题已超过整改时限 %(days)s 个工作日，现予督办：") % {"days": overdue}
    return _("下列问题须按时限完成整改，现予督办：")


def notice_docx(problem: Problem, *, today: date | None = None) -> bytes:
    """The notice as a .docx file."""
    return render_docx(TEMPLATE, notice_context(problem, today or timezone.localdate()))
