"""URL-walker samples: a problem belongs to its responsible unit; the marker is its title (and the milestone's
and the evidence's text)."""

import itertools
from datetime import date

from django.core.files.base import ContentFile

from apps.core.tests.samples import sample
from apps.enterprises.models import Enterprise
from apps.org.models import Unit
from apps.supervision.models import Evidence, InvestorCommitment, Milestone, Problem

_numbers = itertools.count(1)


@sample(Problem)
def make_problem_sample(unit: Unit, marker: str) -> Problem:
    return Problem.objects.create(
        code=f"ZG2000-{next(_numbers):04d}", title=marker, source=Problem.Source.INSPECTION, unit=unit,
        supervising_unit=unit, due_on=date(2099, 12, 31), measures=marker,
    )  # fmt: skip


@sample(Milestone)
def make_milestone_sample(unit: Unit, marker: str) -> Milestone:
    problem = make_problem_sample(unit, marker)
    return Milestone.objects.create(problem=problem, title=marker, due_on=date(2099, 12, 1))


@sample(Evidence)
def make_evidence_sample(unit: Unit, marker: str) -> Evidence:
    problem = make_problem_sample(unit, marker)
    return Evidence.objects.create(problem=problem, file=ContentFile(b"%PDF-1.4", name="zm.pdf"), description=marker)


@sample(InvestorCommitment)
def make_commitment_sample(unit: Unit, marker: str) -> InvestorCommitment:
    enterprise = Enterprise.objects.create(name=f"承诺样本{next(_numbers)}号有限公司")
    return InvestorCommitment.objects.create(
        enterprise=enterprise, kind=InvestorCommitment.Kind.SUBSIDY, content=marker, unit=unit, supervising_unit=unit,
        legal_basis=marker, committed_on=date(2099, 1, 1), due_on=date(2099, 12, 31), fulfilment_note=marker,
        evidence=ContentFile(b"%PDF-1.4", name="cn.pdf"),
    )  # fmt: skip
