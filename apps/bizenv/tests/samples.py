"""URL-walker samples: the indicator system is city-wide reference data, so its records are shared —
every user holding the read permission sees them. The marker is the version's or the indicator's name."""

import itertools

from apps.bizenv.models import Case, Commitment, Entry, Indicator, Methodology, Result, Round, Score
from apps.core.tests.samples import sample
from apps.org.models import Unit

_codes = itertools.count(1)


@sample(Methodology, shared=True)
def make_methodology_sample(unit: Unit, marker: str) -> Methodology:
    return Methodology.objects.create(code=f"W{next(_codes)}", name=marker)


@sample(Indicator, shared=True)
def make_indicator_sample(unit: Unit, marker: str) -> Indicator:
    methodology = make_methodology_sample(unit, marker)
    return Indicator.objects.create(methodology=methodology, level=1, code="01", name=marker, lead_unit=unit)


def _published_round(marker: str) -> Round:
    from datetime import date

    from django.utils import timezone

    methodology = Methodology.objects.create(
        code=f"W{next(_codes)}", name=marker, status=Methodology.Status.PUBLISHED, published_at=timezone.now()
    )
    year = 2000 + next(_codes)
    return Round.objects.create(
        methodology=methodology, name=marker, year=year, opens_on=date(year, 1, 1), closes_on=date(year, 1, 31),
        status=Round.Status.PUBLISHED, published_at=timezone.now(),
    )  # fmt: skip


@sample(Round, shared=True)
def make_round_sample(unit: Unit, marker: str) -> Round:
    return _published_round(marker)


@sample(Entry)
def make_entry_sample(unit: Unit, marker: str) -> Entry:
    round_ = _published_round("样本评价轮次")
    indicator = Indicator.objects.create(methodology=round_.methodology, level=1, code="01", name="开办企业")
    return Entry.objects.create(round=round_, unit=unit, indicator=indicator, value="5", note=marker)


@sample(Result)
def make_result_sample(unit: Unit, marker: str) -> Result:
    round_ = _published_round("样本评价轮次")
    indicator = Indicator.objects.create(methodology=round_.methodology, level=1, code="01", name="开办企业")
    Score.objects.create(round=round_, unit=unit, indicator=indicator, raw=marker[:40], score=50, rank=1, flagged=True)
    return Result.objects.create(round=round_, unit=unit, score=50, rank=1, reason=marker, details={})


# ---- time-limit commitments: commitments are published city-wide, cases belong to their area ----


@sample(Commitment, shared=True)
def make_commitment_sample(unit: Unit, marker: str) -> Commitment:
    return Commitment.objects.create(code=f"w{next(_codes)}", name=marker, limit_days=3)


@sample(Case)
def make_case_sample(unit: Unit, marker: str) -> Case:
    """A late case in the county with one step and one clock stop; the marker is the applicant."""
    from datetime import date

    commitment = Commitment.objects.get(code="kaiban")
    case = Case.objects.create(
        commitment=commitment, unit=unit, number=f"WALK-{next(_codes)}", applicant_name=marker,
        received_on=date(2024, 9, 2), completed_on=date(2024, 9, 12), limit_days=4, working_days=8,
    )  # fmt: skip
    case.steps.create(order=1, name="设立登记", limit_days=2, started_on=date(2024, 9, 2), ended_on=date(2024, 9, 5), working_days=3)  # fmt: skip
    case.stops.create(reason="correction", starts_on=date(2024, 9, 3), ends_on=date(2024, 9, 4))
    return case
