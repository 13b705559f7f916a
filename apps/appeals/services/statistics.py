"""The appeals indicators: numerators and denominators per handling unit and month, scores and snapshots.

The base of a month is every ticket whose current lead assignment (主办) was dispatched in that month; merged
tickets count through their master. Per lead unit:

- 按时签收率: signed for by the sign-for due date / signed for, or due before the moment of counting;
- 响应率: first contact with the appellant by the contact due date / contacted, or due before that moment;
- 按时办结率: replied by the reply due date / replied, or due before that moment;
- 解决率: 解决 + 部分解决 × the scheme's weight / followed up;
- 满意率: satisfaction at or above the scheme's level / followed up with a satisfaction, leaving out the
  mediation and enforcement categories (不片面追求满意率);
- 回退率: lead assignments dispatched in the month and returned (approved 退单) / all lead assignments
  dispatched to the unit in the month, the returned ones included;
- 重办率: tickets redone at least once / followed up;
- 差评整改率: named, real, not excluded bad ratings of the unit given in the month and closed after the
  rater's callback (and the rectification) / those ratings (services/ratings.bad_rating_rectification).

The due dates are the ticket's current ones (after re-dispatch, extension or redo), so a redone ticket is
judged by its last round. A unit's score is the weighted mean of its rates over the indicators it has a
denominator for (100 minus the rate where lower is better), the weights normalised to those indicators.
"""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db import transaction
from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.appeals.models import Assignment
from apps.appeals.models.appeals import State
from apps.appeals.models.statistics import (
    LOWER_IS_BETTER,
    Indicator,
    KpiScheme,
    KpiWeight,
    MonthlyFigure,
    MonthlySnapshot,
)
from apps.appeals.services.ratings import bad_rating_rectification_by_unit
from apps.core.errors import BusinessRuleError
from apps.core.workdays import chinese_date
from apps.org.models import Unit

HUNDRED = Decimal(100)


@dataclass(frozen=True)
class Fraction:
    numerator: Decimal
    denominator: int

    def __add__(self, other: "Fraction") -> "Fraction":
        return Fraction(self.numerator + other.numerator, self.denominator + other.denominator)

    @property
    def rate(self) -> Decimal | None:
        """The percentage, two decimals; None when nothing was counted."""
        if not self.denominator:
            return None
        return (self.numerator * HUNDRED / self.denominator).quantize(Decimal("0.01"))


ZERO = Fraction(Decimal(0), 0)

#: unit id → indicator → fraction
Figures = dict[int, dict[str, Fraction]]


def month_start(day: date) -> date:
    return day.replace(day=1)


def next_month(month: date) -> date:
    return date(month.year + (month.month == 12), month.month % 12 + 1, 1)


def previous_month(day: date) -> date:
    """The first day of the month before ``day``'s."""
    return month_start(month_start(day) - timedelta(days=1))


def chinese_month(month: date) -> str:
    return _("%(year)s年%(month)s月") % {"year": month.year, "month": month.month}


def day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def scheme_for(day: date) -> KpiScheme:
    """The scheme in force on ``day``; an error in plain words when none is configured."""
    scheme = KpiScheme.objects.valid_on(day).order_by("-valid_from").first()
    if scheme is None:
        raise BusinessRuleError(_("%(day)s没有适用的诉求考核口径，请先配置。") % {"day": chinese_date(day)})
    return scheme


def _counts(start: date, end: date, as_of: datetime, scheme: KpiScheme) -> dict[int, dict[str, int]]:
    """The raw counts of the current lead assignments dispatched in [start, end), by unit: one query."""
    appeal = "appeal__"
    followed = ~Q(**{f"{appeal}solved": ""})
    rated = Q(**{f"{appeal}satisfaction__isnull": False, f"{appeal}category__is_mediation_or_enforcement": False})

    def due(stage: str, done: str) -> Q:
        return Q(**{f"{done}__isnull": False}) | Q(**{f"{appeal}{stage}_due__lt": as_of})

    def on_time(stage: str, done: str) -> Q:
        return Q(**{f"{done}__lte": F(f"{appeal}{stage}_due")})

    rows = (
        Assignment.objects.filter(
            role=Assignment.Role.LEAD, created_at__gte=day_start(start), created_at__lt=day_start(end)
        )
        .exclude(state=Assignment.State.RETURNED)
        .exclude(appeal__state=State.MERGED)
        .order_by()
        .values("unit")
        .annotate(
            sign_for_due=Count("pk", filter=due("sign_for", "signed_at")),
            signed_on_time=Count("pk", filter=on_time("sign_for", "signed_at")),
            contact_due=Count("pk", filter=due("contact", "contacted_at")),
            contacted_on_time=Count("pk", filter=on_time("contact", "contacted_at")),
            reply_due=Count("pk", filter=due("reply", "replied_at")),
            replied_on_time=Count("pk", filter=on_time("reply", "replied_at")),
            followed=Count("pk", filter=followed),
            solved=Count("pk", filter=Q(appeal__solved="solved")),
            partly=Count("pk", filter=Q(appeal__solved="partly")),
            rated=Count("pk", filter=rated),
            satisfied=Count("pk", filter=rated & Q(appeal__satisfaction__gte=scheme.satisfied_min_level)),
            redone=Count("pk", filter=followed & Q(appeal__redo_count__gt=0)),
        )
    )
    counts = {row.pop("unit"): row for row in rows}
    returns = (
        Assignment.objects.filter(
            role=Assignment.Role.LEAD, created_at__gte=day_start(start), created_at__lt=day_start(end)
        )
        .exclude(appeal__state=State.MERGED)
        .order_by()
        .values("unit")
        .annotate(dispatched=Count("pk"), returned=Count("pk", filter=Q(state=Assignment.State.RETURNED)))
    )
    for row in returns:
        counts.setdefault(row["unit"], {}).update(dispatched=row["dispatched"], returned=row["returned"])
    return counts


def _fractions(row: dict[str, int], scheme: KpiScheme) -> dict[str, Fraction]:
    def of(numerator: int | Decimal, denominator_key: str) -> Fraction:
        return Fraction(Decimal(numerator), row.get(denominator_key, 0))

    solved = Decimal(row.get("solved", 0)) + Decimal(row.get("partly", 0)) * scheme.partly_solved_weight
    return {
        Indicator.SIGN_FOR_ON_TIME: of(row.get("signed_on_time", 0), "sign_for_due"),
        Indicator.RESPONSE: of(row.get("contacted_on_time", 0), "contact_due"),
        Indicator.RESOLVED_ON_TIME: of(row.get("replied_on_time", 0), "reply_due"),
        Indicator.RESOLUTION: of(solved, "followed"),
        Indicator.SATISFACTION: of(row.get("satisfied", 0), "rated"),
        Indicator.RETURN: of(row.get("returned", 0), "dispatched"),
        Indicator.REDO: of(row.get("redone", 0), "followed"),
        Indicator.BAD_RATING_RECTIFICATION: ZERO,
    }


def count_figures(start: date, end: date, scheme: KpiScheme, as_of: datetime | None = None) -> Figures:
    """Each handling unit's fractions for the tickets dispatched in [start, end), counted at ``as_of``; and
    差评整改率 of the named bad ratings given in those days (services/ratings.py)."""
    as_of = as_of or timezone.now()
    counts = _counts(start, end, as_of, scheme)
    figures = {unit_id: _fractions(row, scheme) for unit_id, row in counts.items()}
    rectified = bad_rating_rectification_by_unit(start, end - timedelta(days=1), as_of=as_of)
    for unit_id, (numerator, denominator) in rectified.items():
        fractions = figures.setdefault(unit_id, _fractions({}, scheme))
        fractions[Indicator.BAD_RATING_RECTIFICATION] = Fraction(Decimal(numerator), denominator)
    return figures


def summed(figures: Figures, units: Iterable[Unit]) -> Figures:
    """Each of ``units`` with the sum of its subtree's fractions (a county with its towns and departments)."""
    units = list(units)
    paths = dict(Unit.objects.filter(pk__in=figures).values_list("pk", "path"))
    totals: Figures = {unit.pk: defaultdict(lambda: ZERO) for unit in units}
    for unit_id, fractions in figures.items():
        path = paths.get(unit_id, "")
        for unit in units:
            if path.startswith(unit.path):
                for indicator, fraction in fractions.items():
                    totals[unit.pk][indicator] += fraction
    return {pk: dict(values) for pk, values in totals.items()}


def score(fractions: dict[str, Fraction], weights: dict[str, Decimal]) -> Decimal | None:
    """The weighted mean of the rates the unit has a denominator for; None when it has none."""
    total_weight, total = Decimal(0), Decimal(0)
    for indicator, weight in weights.items():
        rate = fractions.get(indicator, ZERO).rate
        if rate is None or not weight:
            continue
        total += weight * (HUNDRED - rate if indicator in LOWER_IS_BETTER else rate)
        total_weight += weight
    if not total_weight:
        return None
    return (total / total_weight).quantize(Decimal("0.01"))


def weights_of(scheme: KpiScheme) -> dict[str, Decimal]:
    return {w.indicator: w.weight for w in scheme.weights.all()}


@dataclass
class Row:
    unit: Unit
    fractions: dict[str, Fraction]
    score: Decimal | None
    rank: int | None = None
    cells: list[Fraction] = field(default_factory=list)


def ranking(figures: Figures, units: Sequence[Unit], weights: dict[str, Decimal]) -> list[Row]:
    """The units with figures, best score first, ranked (equal scores share a rank); unscored ones last."""
    rows = [
        Row(unit, figures[unit.pk], score(figures[unit.pk], weights))
        for unit in units
        if any(f.denominator for f in figures.get(unit.pk, {}).values())
    ]
    rows.sort(key=lambda row: (row.score is None, -(row.score or 0), row.unit.path))
    previous, rank = None, 0
    for position, row in enumerate(rows, start=1):
        if row.score is None:
            break
        if row.score != previous:
            rank, previous = position, row.score
        row.rank = rank
    for row in rows:
        row.cells = [row.fractions.get(indicator, ZERO) for indicator in Indicator.values]
    return rows


def snapshot_figures(snapshot: MonthlySnapshot) -> Figures:
    figures: Figures = defaultdict(dict)
    for figure in snapshot.figures.all():
        figures[figure.unit_id][figure.indicator] = Fraction(figure.numerator, figure.denominator)
    return dict(figures)


@transaction.atomic
def take_snapshot(
    month: date, *, by=None, scheme: KpiScheme | None = None, now: datetime | None = None
) -> MonthlySnapshot:
    """Compute and keep a finished month's figures; a month already kept is replaced (the audit log has both)."""
    month, now = month_start(month), now or timezone.now()
    if next_month(month) > timezone.localtime(now).date():
        raise BusinessRuleError(_("%(month)s尚未结束，不能生成月度快照。") % {"month": chinese_month(month)})
    scheme = scheme or scheme_for(month)
    MonthlySnapshot.objects.filter(month=month).delete()
    snapshot = MonthlySnapshot.objects.create(month=month, scheme=scheme, computed_at=now, computed_by=by)
    figures = count_figures(month, next_month(month), scheme, as_of=now)
    MonthlyFigure.objects.bulk_create(
        MonthlyFigure(
            snapshot=snapshot,
            unit_id=unit_id,
            indicator=indicator,
            numerator=fraction.numerator,
            denominator=fraction.denominator,
        )
        for unit_id, fractions in figures.items()
        for indicator, fraction in fractions.items()
    )
    return snapshot


def scan_snapshots(now: datetime | None = None) -> str:
    """The scheduled scan: keep last month's figures once (a month already kept is left as it is)."""
    now = now or timezone.now()
    last_month = previous_month(timezone.localtime(now).date())
    if MonthlySnapshot.objects.filter(month=last_month).exists():
        return _("%(month)s的月度快照已存在，未重新生成") % {"month": chinese_month(last_month)}
    try:
        snapshot = take_snapshot(last_month, now=now)
    except BusinessRuleError as error:
        return str(error)
    figures = snapshot.figures.count()
    return _("已生成%(month)s的月度快照：%(figures)s 项统计数") % {
        "month": chinese_month(last_month),
        "figures": figures,
    }


@transaction.atomic
def add_scheme(fields: dict, weights: dict[str, Decimal]) -> KpiScheme:
    """A new version of the scheme from ``fields['valid_from']``; the version before it ends that day."""
    valid_from = fields["valid_from"]
    latest = KpiScheme.objects.select_for_update().order_by("-valid_from").first()
    if latest is not None and valid_from <= latest.valid_from:
        raise BusinessRuleError(
            _("新口径的生效日期应晚于现行口径的生效日期（%(day)s）。") % {"day": chinese_date(latest.valid_from)}
        )
    KpiScheme.objects.filter(Q(valid_to__isnull=True) | Q(valid_to__gt=valid_from)).update(valid_to=valid_from)
    scheme = KpiScheme.objects.create(**fields)
    KpiWeight.objects.bulk_create(
        KpiWeight(scheme=scheme, indicator=key, weight=value) for key, value in weights.items()
    )
    return scheme
