"""Raw values the platform computes from its own ledgers instead of a lead unit entering them (无感评价).

An indicator whose data source is "本平台计算" takes, for each county, the median working days of the
time-limit commitments that name it (services/commitments.indicator_values) over the round's period. The
values are stored as entries from the platform, already submitted, and go through the same review as the
others; a county without cases in the period gets none (missing data, never 0).
"""

from datetime import date

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction

from apps.bizenv.models import Entry, Indicator, Round
from apps.bizenv.services import commitments
from apps.bizenv.services.rounds import indicators_of, leaves, require_organiser, require_status, save_entry
from apps.core.audit import records_actor


def period(round_: Round) -> tuple[date, date]:
    """The first and last day the round evaluates: its year, or its quarter."""
    if not round_.quarter:
        return date(round_.year, 1, 1), date(round_.year, 12, 31)
    first_month = 3 * round_.quarter - 2
    starts = date(round_.year, first_month, 1)
    ends = date(round_.year + 1, 1, 1) if round_.quarter == 4 else date(round_.year, first_month + 3, 1)
    return starts, date.fromordinal(ends.toordinal() - 1)


def computed_indicators(round_: Round) -> list[Indicator]:
    return [i for i in leaves(indicators_of(round_.methodology)) if i.data_source == Indicator.Source.PLATFORM]


@records_actor
@transaction.atomic
def fill_from_platform(*, round_: Round, by: AbstractBaseUser) -> int:
    """Enter every value the platform can compute for the round; how many were entered or changed."""
    require_organiser(by)
    require_status(round_, Round.Status.OPEN, Round.Status.CLOSED)
    units = list(round_.units.all())
    starts, ends = period(round_)
    changed = 0
    for indicator in computed_indicators(round_):
        values = commitments.indicator_values(indicator.code, units, starts, ends)
        for unit in units:
            if unit.pk not in values:
                continue
            before = Entry.objects.filter(round=round_, unit=unit, indicator=indicator).values_list("value", flat=True)
            value = format(values[unit.pk].normalize(), "f")  # 3.0 → "3", 30 → "30"
            if list(before) != [value]:
                save_entry(
                    round_=round_, unit=unit, indicator=indicator, value=value, by=by, source=Entry.Source.PLATFORM,
                    note="按承诺时限办件记录计算的中位数（工作日）",
                )  # fmt: skip
                changed += 1
    return changed
