"""Reads of a campaign's results: per department and dimension, the mean, the distribution and the count.

The k rule is applied here, once, for pages and exports alike: a department with fewer than ``k_threshold``
responses gets no figures and no comments at all (only "样本不足 k 份，不予公布"). These figures are the
enterprises' evaluation of departments and never enter the 好差评 statistics.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count
from django.utils.translation import gettext as _

from apps.appeals.models import Campaign, EvaluationAnswer, EvaluationComment, Invitation, UsedToken
from apps.appeals.models.evaluations import CommentStatus, Score
from apps.org.models import Unit

LEVELS = tuple(sorted(Score.values, reverse=True))  # 5 … 1


@dataclass(frozen=True)
class DimensionResult:
    name: str
    answers: int
    mean: float
    #: [(score, count, percent)] from 5 down to 1
    distribution: list[tuple[int, int, int]]


@dataclass
class DepartmentResult:
    department: Unit
    responses: int
    published: bool
    dimensions: list[DimensionResult] = field(default_factory=list)
    mean: float | None = None
    comments: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Progress:
    invited: int
    answered: int

    @property
    def percent(self) -> int:
        return round(100 * self.answered / self.invited) if self.invited else 0


def progress(campaign: Campaign) -> Progress:
    """How many enterprises were invited and how many answered: counts only, never who."""
    invited = Invitation.objects.filter(campaign=campaign).count()
    return Progress(invited=invited, answered=UsedToken.objects.filter(campaign=campaign).count())


def insufficient_label(campaign: Campaign) -> str:
    return _("样本不足 %(k)d 份，不予公布") % {"k": campaign.k_threshold}


def _mean(counts: dict[int, int]) -> tuple[int, float]:
    total = sum(counts.values())
    return total, (sum(score * n for score, n in counts.items()) / total if total else 0.0)


def department_results(campaign: Campaign, departments: list[Unit] | None = None) -> list[DepartmentResult]:
    """Results of the campaign's departments (or only of ``departments``), best mean first, k rule applied."""
    units = list(campaign.departments.order_by("path")) if departments is None else list(departments)
    answers = EvaluationAnswer.objects.filter(response__campaign=campaign, department__in=units)
    counts: dict[int, dict[int, dict[int, int]]] = defaultdict(lambda: defaultdict(dict))
    for row in answers.values("department", "question__dimension", "score").annotate(n=Count("id")):
        counts[row["department"]][row["question__dimension"]][row["score"]] = row["n"]
    responses = dict(
        answers.values("department").annotate(n=Count("response", distinct=True)).values_list("department", "n")
    )
    comments = defaultdict(list)
    approved = EvaluationComment.objects.filter(campaign=campaign, department__in=units, status=CommentStatus.APPROVED)
    for department, text in approved.order_by("id").values_list("department", "text"):
        comments[department].append(text)
    dimensions = list(campaign.dimensions.order_by("position"))
    results = [
        _department(campaign, unit, responses.get(unit.pk, 0), counts[unit.pk], dimensions, comments[unit.pk])
        for unit in units
    ]
    return sorted(results, key=lambda r: (not r.published, -(r.mean or 0), r.department.path))


def _department(campaign, unit, responses, counts, dimensions, comments) -> DepartmentResult:
    if responses < campaign.k_threshold:
        return DepartmentResult(unit, responses, published=False)
    rows, overall = [], defaultdict(int)
    for dimension in dimensions:
        by_score = counts.get(dimension.pk, {})
        total, mean = _mean(by_score)
        for score, n in by_score.items():
            overall[score] += n
        distribution = [
            (s, by_score.get(s, 0), round(100 * by_score.get(s, 0) / total) if total else 0) for s in LEVELS
        ]
        rows.append(DimensionResult(dimension.name, total, round(mean, 2), distribution))
    return DepartmentResult(unit, responses, True, rows, round(_mean(overall)[1], 2), comments)


def export_headers() -> list[str]:
    return [
        _("排名"), _("部门"), _("维度"), _("答卷数"), _("平均分"), _("非常满意(5)"), _("满意(4)"), _("基本满意(3)"),
        _("不满意(2)"), _("非常不满意(1)"),
    ]  # fmt: skip


def export_rows(campaign: Campaign, results: list[DepartmentResult]) -> list[list]:
    """One row per published department and dimension plus its overall row; a below-k department says so."""
    rows, rank = [], 0
    for result in results:
        name = result.department.name
        if not result.published:
            rows.append(["", name, _("综合"), "", insufficient_label(campaign), "", "", "", "", ""])
            continue
        rank += 1
        rows.append([rank, name, _("综合"), result.responses, result.mean, "", "", "", "", ""])
        for dimension in result.dimensions:
            counts = [n for _score, n, _percent in dimension.distribution]
            rows.append(["", name, dimension.name, result.responses, dimension.mean, *counts])
    return rows
