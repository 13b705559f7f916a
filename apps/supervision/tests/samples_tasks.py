"""URL-walker samples of supervision tasks and typical cases: a task belongs to its responsible unit; a case
sample is a draft, which only the office that wrote it sees (a published case is read city-wide)."""

import itertools
from datetime import date

from django.core.files.base import ContentFile

from apps.core.tests.samples import sample
from apps.org.models import Unit
from apps.supervision.models import CaseSource, ProgressReport, SupervisionTask, TypicalCase
from apps.supervision.tests.samples import make_problem_sample

_numbers = itertools.count(1)


@sample(SupervisionTask)
def make_task_sample(unit: Unit, marker: str) -> SupervisionTask:
    return SupervisionTask.objects.create(
        code=f"DB2000-{next(_numbers):04d}", title=marker, content=marker, source=SupervisionTask.Source.INSTRUCTION,
        document_title=marker, document_date=date(2099, 1, 1), leader=marker, unit=unit, supervising_unit=unit,
        assigned_on=date(2099, 1, 1), due_on=date(2099, 12, 31), cycle=SupervisionTask.Cycle.MONTHLY,
        document_file=ContentFile(b"%PDF-1.4", name="wj.pdf"),
    )  # fmt: skip


@sample(ProgressReport)
def make_report_sample(unit: Unit, marker: str) -> ProgressReport:
    task = make_task_sample(unit, marker)
    return ProgressReport.objects.create(
        task=task, period_start=date(2099, 1, 1), period_end=date(2099, 1, 31), text=marker, percent=10,
        attachment=ContentFile(b"%PDF-1.4", name="jz.pdf"),
    )  # fmt: skip


@sample(TypicalCase)
def make_case_sample(unit: Unit, marker: str) -> TypicalCase:
    return TypicalCase.objects.create(
        title=marker, kind=TypicalCase.Kind.NEGATIVE, summary=marker, body=marker, unit=unit, author_unit=unit
    )


@sample(CaseSource)
def make_case_source_sample(unit: Unit, marker: str) -> CaseSource:
    case = make_case_sample(unit, marker)
    return CaseSource.objects.create(case=case, problem=make_problem_sample(unit, marker))
