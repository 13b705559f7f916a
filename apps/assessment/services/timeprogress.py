"""Time-progress (序时进度): how much of a year's target should be done by a day.

Evenly by day, or by the unit's plan: cumulative figures for the end of each 旬, month or quarter
(以旬保月、以月保季、以季保年), with a straight line between them. A rate (an on-time share, say) does
not accumulate: its time-progress is the target itself.
"""

from collections.abc import Sequence
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")


def even_progress(target: Decimal, day: date) -> Decimal:
    """The share of the year gone by the end of ``day``, times the target."""
    start = date(day.year, 1, 1)
    days_in_year = (date(day.year + 1, 1, 1) - start).days
    elapsed = (day - start).days + 1
    return (target * elapsed / days_in_year).quantize(CENT, ROUND_HALF_UP)


def planned_progress(target: Decimal, points: Sequence[tuple[date, Decimal]], day: date) -> Decimal:
    """The plan's cumulative figure at ``day``: between two plan points, a straight line by days.

    Before the first point the line starts from zero on 31 December of the year before; after the
    last point the plan's last figure holds. With no points, the even spread.
    """
    if not points:
        return even_progress(target, day)
    previous_day, previous_value = date(day.year - 1, 12, 31), Decimal(0)
    for ends_on, value in sorted(points):
        if day <= ends_on:
            span = (ends_on - previous_day).days
            share = Decimal((day - previous_day).days) / span
            return (previous_value + (value - previous_value) * share).quantize(CENT, ROUND_HALF_UP)
        previous_day, previous_value = ends_on, value
    return previous_value.quantize(CENT, ROUND_HALF_UP)


def expected(
    target: Decimal, *, plan: str, points: Sequence[tuple[date, Decimal]], day: date, is_rate: bool
) -> Decimal:
    """The time-progress of a target on ``day``."""
    if is_rate:
        return target
    if plan == "even":
        return even_progress(target, day)
    return planned_progress(target, points, day)
