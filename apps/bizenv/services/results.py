"""A round's results: computed from its raw values by the scoring engine, stored with what reproduces them.

``compute`` (a preview while the round is under way) and ``publish_round`` replace the round's results and
indicator scores: overall score, rank and movement against the previous published round per county, and
every indicator's score and rank, flagged when under its alert threshold (default 70) against its lead unit.
Movement compares ranks only between rounds of the same methodology version (a new version is a break).
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.bizenv import scoring
from apps.bizenv.models import Entry, Indicator, Reference, Result, Round, Score
from apps.bizenv.services.rounds import (
    indicators_of,
    require,
    require_organiser,
    require_status,
    scoring_tree,
    unreviewed,
)
from apps.core.audit import records_actor
from apps.org.models import Unit

CENT = Decimal("0.01")


def raw_values(round_: Round, *, approved_only: bool = False) -> dict[int, dict[str, str]]:
    """Each county's raw values by indicator code (every county of the round, even with none)."""
    values: dict[int, dict[str, str]] = {unit_id: {} for unit_id in round_.units.values_list("pk", flat=True)}
    entries = Entry.objects.filter(round=round_)
    if approved_only:
        entries = entries.filter(status=Entry.Status.APPROVED)
    for unit_id, code, value in entries.values_list("unit_id", "indicator__code", "value"):
        values.setdefault(unit_id, {})[code] = value
    return values


def previous_round(round_: Round) -> Round | None:
    """The latest published round before this one on the same methodology version."""
    earlier = Round.objects.filter(methodology=round_.methodology, status=Round.Status.PUBLISHED)
    earlier = earlier.exclude(pk=round_.pk).filter(year__lte=round_.year).order_by("-year", "-quarter")
    for candidate in earlier:
        if (candidate.year, candidate.quarter or 5) < (round_.year, round_.quarter or 5):
            return candidate
    return None


def _movement(rank: int | None, previous: int | None) -> str:
    if rank is None or previous is None:
        return Result.Movement.NEW
    if rank < previous:
        return Result.Movement.UP
    return Result.Movement.SAME if rank == previous else Result.Movement.DOWN


def _scored(round_: Round, values: dict[int, dict[str, str]]) -> dict[int, scoring.GroupResult]:
    tree = scoring_tree(indicators_of(round_.methodology))
    return scoring.score_units(tree, values, aggregation=round_.aggregation, threshold=round_.threshold)


@transaction.atomic
def _store(round_: Round, results: dict[int, scoring.GroupResult]) -> list[Result]:
    previous = previous_round(round_)
    ranks = scoring.competition_ranks({unit: result.score for unit, result in results.items()})
    before = dict(previous.results.values_list("unit_id", "rank")) if previous else {}
    round_.results.all().delete()
    round_.scores.all().delete()
    stored = Result.objects.bulk_create(
        Result(
            round=round_,
            unit_id=unit_id,
            score=result.score,
            rank=ranks[unit_id],
            previous_rank=before.get(unit_id),
            movement=_movement(ranks[unit_id], before.get(unit_id)),
            reason=(result.reason or "")[:200],
            details=result.as_json(),
        )
        for unit_id, result in results.items()
    )
    Score.objects.bulk_create(_scores(round_, results, previous))
    round_.scoring_version, round_.computed_at = scoring.VERSION, timezone.now()
    round_.save(update_fields=["scoring_version", "computed_at"])
    return stored


def _scores(round_: Round, results: dict[int, scoring.GroupResult], previous: Round | None) -> list[Score]:
    indicators = {indicator.code: indicator for indicator in indicators_of(round_.methodology)}
    by_code: dict[str, dict[int, scoring.IndicatorResult | scoring.GroupResult]] = defaultdict(dict)
    for unit_id, result in results.items():
        for node in result.walk():
            if node.code:
                by_code[node.code][unit_id] = node
    before = {}
    if previous:
        before = {(s.unit_id, s.indicator.code): s.rank for s in previous.scores.select_related("indicator")}
    scores = []
    for code, nodes in by_code.items():
        indicator = indicators[code]
        ranks = scoring.competition_ranks({unit_id: node.score for unit_id, node in nodes.items()})
        for unit_id, node in nodes.items():
            raw = getattr(node, "raw", None)
            scores.append(
                Score(
                    round=round_,
                    unit_id=unit_id,
                    indicator=indicator,
                    raw="" if raw is None else str(raw),
                    score=node.score,
                    rank=ranks[unit_id],
                    previous_rank=before.get((unit_id, code)),
                    flagged=node.score is not None and node.score < indicator.alert_threshold,
                )
            )
    return scores


@records_actor
def compute(*, round_: Round, by: AbstractBaseUser) -> list[Result]:
    """A preview of the results from the values entered so far (not shown to the counties)."""
    require_organiser(by)
    require_status(round_, Round.Status.OPEN, Round.Status.CLOSED)
    return _store(round_, _scored(round_, raw_values(round_)))


@records_actor
@transaction.atomic
def publish_round(*, round_: Round, by: AbstractBaseUser) -> Round:
    """Compute the final results from the approved values and freeze the round."""
    require_organiser(by)
    Round.objects.select_for_update().get(pk=round_.pk)
    round_.refresh_from_db()
    require_status(round_, Round.Status.CLOSED)
    waiting = unreviewed(round_)
    require(
        not waiting,
        _("还有 %(n)s 个数据未审核通过（已保存未报送、待审核或已退回），全部审核后才能发布。")
        % {"n": sum(waiting.values())},
    )
    _store(round_, _scored(round_, raw_values(round_, approved_only=True)))
    round_.status, round_.published_by, round_.published_at = Round.Status.PUBLISHED, by, timezone.now()
    round_.save(update_fields=["status", "published_by", "published_at"])
    return round_


# --- reading the results ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Gap:
    """A county's score on one indicator beside the references: the city, the province and the best county."""

    indicator: Indicator
    score: Score
    city: Decimal | None
    province: Decimal | None
    best: Decimal | None
    counties_mean: Decimal | None

    @staticmethod
    def _minus(score: Decimal | None, other: Decimal | None) -> Decimal | None:
        return None if score is None or other is None else score - other

    @property
    def to_city(self) -> Decimal | None:
        return self._minus(self.score.score, self.city if self.city is not None else self.counties_mean)

    @property
    def to_province(self) -> Decimal | None:
        return self._minus(self.score.score, self.province)

    @property
    def to_best(self) -> Decimal | None:
        return self._minus(self.score.score, self.best)


def reference_scores(round_: Round, indicators: dict[int, Indicator]) -> dict[tuple[int, str], Decimal]:
    """The references' scores by (indicator id, level), scored as a county's value would be."""
    scores = {}
    for reference in Reference.objects.filter(round=round_):
        indicator = indicators.get(reference.indicator_id)
        if indicator is None:
            continue
        params = {**indicator.parameters, "direction": indicator.direction}
        try:
            scores[(indicator.pk, reference.level)] = scoring.normalise(indicator.method, reference.value, params).score
        except scoring.ScoringError:
            continue
    return scores


def _summary(round_: Round) -> tuple[dict[int, Decimal], dict[int, Decimal]]:
    best: dict[int, Decimal] = {}
    totals: dict[int, list[Decimal]] = defaultdict(list)
    for indicator_id, score in Score.objects.filter(round=round_, score__isnull=False).values_list(
        "indicator_id", "score"
    ):
        totals[indicator_id].append(score)
        best[indicator_id] = max(best.get(indicator_id, score), score)
    means = {pk: (sum(values) / len(values)).quantize(CENT) for pk, values in totals.items()}
    return best, means


def gaps(round_: Round, unit: Unit) -> list[Gap]:
    """The county's every indicator score with its gaps, in code order (a fixed number of queries)."""
    scores = list(Score.objects.filter(round=round_, unit=unit).select_related("indicator__lead_unit"))
    indicators = {score.indicator_id: score.indicator for score in scores}
    references = reference_scores(round_, indicators)
    best, means = _summary(round_)
    rows = [
        Gap(
            score.indicator,
            score,
            references.get((score.indicator_id, Reference.Level.CITY)),
            references.get((score.indicator_id, Reference.Level.PROVINCE)),
            best.get(score.indicator_id),
            means.get(score.indicator_id),
        )
        for score in scores
    ]
    return sorted(rows, key=lambda row: row.indicator.code)


@dataclass(frozen=True)
class LeadUnitFlags:
    """The indicators a lead unit answers for that scored under their threshold, with the counties."""

    lead_unit: Unit | None
    flags: list[tuple[Indicator, list[Score]]]

    @property
    def count(self) -> int:
        return sum(len(scores) for _indicator, scores in self.flags)


def flags_by_lead_unit(scores: Iterable[Score]) -> list[LeadUnitFlags]:
    """Flagged scores grouped by lead unit, then indicator; the units with most flags first."""
    grouped: dict[Unit | None, dict[Indicator, list[Score]]] = defaultdict(lambda: defaultdict(list))
    for score in scores:
        grouped[score.indicator.lead_unit][score.indicator].append(score)
    result = [
        LeadUnitFlags(lead, sorted(by_indicator.items(), key=lambda item: item[0].code))
        for lead, by_indicator in grouped.items()
    ]
    return sorted(result, key=lambda item: (-item.count, str(item.lead_unit or "")))


@dataclass(frozen=True)
class TrendPoint:
    round: Round
    score: Decimal | None
    rank: int | None
    #: the methodology version changed since the point before: scores are not strictly comparable
    is_break: bool


def trend(unit: Unit, rounds: Iterable[Round], *, indicator_code: str = "") -> list[TrendPoint]:
    """The county's overall (or one indicator's) score over the given rounds, oldest first, with breaks."""
    rounds = sorted(rounds, key=lambda r: (r.year, r.quarter or 5))
    if indicator_code:
        found = Score.objects.filter(round__in=rounds, unit=unit, indicator__code=indicator_code)
    else:
        found = Result.objects.filter(round__in=rounds, unit=unit)
    by_round = {row.round_id: row for row in found}
    points, version = [], None
    for round_ in rounds:
        row = by_round.get(round_.pk)
        points.append(
            TrendPoint(
                round_,
                row.score if row else None,
                row.rank if row else None,
                version is not None and round_.methodology_id != version,
            )
        )
        version = round_.methodology_id
    return points


def robustness(round_: Round) -> scoring.Robustness:
    """Would the ranking change under equal weights or a geometric mean? From the values the results used."""
    values = raw_values(round_, approved_only=round_.is_published)
    tree = scoring_tree(indicators_of(round_.methodology))
    return scoring.rank_robustness(tree, values, threshold=round_.threshold)
