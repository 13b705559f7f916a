"""Taking a snapshot: read every assessed unit's figures as of the period's end, freeze them with the
inputs they came from, score them, and list the figures of the previous snapshot that the source data
now give differently (corrections, explained before the next bulletin)."""

from datetime import date
from decimal import Decimal

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.assessment import sources
from apps.assessment.models import Correction, Deduction, ManualValue, Metric, Scheme, Snapshot, SnapshotRow, Target
from apps.assessment.services import scoring
from apps.assessment.services.admonitions import plan_admonitions
from apps.assessment.services.periods import AssessmentPeriod
from apps.assessment.services.timeprogress import expected
from apps.core.audit import records_actor
from apps.core.errors import BusinessRuleError
from apps.org.models import Unit


@records_actor
@transaction.atomic
def take_snapshot(*, scheme: Scheme, period: AssessmentPeriod, by: AbstractBaseUser | None = None) -> Snapshot:
    """Freeze the scheme's figures at the end of ``period`` (cumulative from 1 January) and rank the units."""
    if period.ends_on.year != scheme.year:
        raise BusinessRuleError(_("周期不在方案年度（%(year)s年）内。") % {"year": scheme.year})
    if period.ends_on >= timezone.localdate():
        raise BusinessRuleError(_("%(label)s尚未结束，不能生成快照。") % {"label": period.label})
    if Snapshot.objects.filter(scheme=scheme, kind=period.kind, ends_on=period.ends_on).exists():
        raise BusinessRuleError(_("%(label)s的考核快照已经生成，不能重复生成。") % {"label": period.label})
    previous = (
        Snapshot.objects.filter(scheme=scheme, kind=period.kind, ends_on__lt=period.ends_on)
        .order_by("-ends_on")
        .first()
    )
    inputs = gather_inputs(scheme, period.ends_on, previous=previous)
    snapshot = Snapshot.objects.create(
        scheme=scheme,
        kind=period.kind,
        starts_on=period.starts_on,
        ends_on=period.ends_on,
        label=period.label,
        scoring_version=scoring.VERSION,
        inputs=inputs,
        taken_by=by,
    )
    SnapshotRow.objects.bulk_create(_rows(snapshot, scoring.score(inputs)))
    if previous is not None:
        Correction.objects.bulk_create(_corrections(snapshot, previous))
    plan_admonitions(snapshot, by=by or scheme.created_by)
    return snapshot


def _rows(snapshot: Snapshot, results: list[scoring.RowResult]) -> list[SnapshotRow]:
    return [
        SnapshotRow(
            snapshot=snapshot,
            unit_id=result.unit,
            score=result.score,
            deducted=result.deducted,
            rank=result.rank,
            previous_rank=result.previous_rank,
            change=result.change,
            praised=result.praised,
            admonish=result.admonish,
            accountability=result.accountability,
            items=[item.as_json() for item in result.items],
        )
        for result in results
    ]


def assessed_units(scheme: Scheme) -> list[Unit]:
    """The units with a target in the scheme, in the tree's order."""
    ids = Target.objects.filter(item__scheme=scheme).values("unit")
    return list(Unit.objects.filter(pk__in=ids).order_by("path"))


def gather_inputs(scheme: Scheme, ends_on: date, *, previous: Snapshot | None = None) -> dict:
    """Everything a snapshot's rows are computed from, as JSON."""
    units = assessed_units(scheme)
    items = list(scheme.items.select_related("metric").order_by("order", "pk"))
    targets = {
        (t.item_id, t.unit_id): t for t in Target.objects.filter(item__scheme=scheme).prefetch_related("plan_points")
    }
    actuals = read_actuals(items, units, ends_on)
    values: dict[str, dict] = {}
    for unit in units:
        values[str(unit.pk)] = {}
        for item in items:
            target = targets.get((item.pk, unit.pk))
            goal = target.value if target else Decimal(0)
            points = [(p.ends_on, p.value) for p in target.plan_points.all()] if target else []
            plan = target.plan if target else "even"
            is_rate = item.metric.kind == Metric.Kind.RATE
            values[str(unit.pk)][str(item.pk)] = {
                "actual": str(actuals[item.pk][unit.pk]),
                "target": str(goal),
                "expected": str(expected(goal, plan=plan, points=points, day=ends_on, is_rate=is_rate)),
            }
    return {
        "version": scoring.VERSION,
        "as_of": ends_on.isoformat(),
        "units": [{"id": unit.pk, "name": unit.name} for unit in units],
        "items": [
            {
                "id": item.pk,
                "metric": item.metric.code,
                "name": item.metric.name,
                "kind": item.metric.kind,
                "weight": str(item.weight),
                "method": item.method,
                "cap": str(item.cap),
            }
            for item in items
        ],
        "values": values,
        "deductions": _deductions(scheme, ends_on),
        "previous": _previous(previous),
        "praise_top": scheme.praise_top,
        "admonish_bottom": scheme.admonish_bottom,
        "amber_share": str(scheme.amber_share),
    }


def read_actuals(items, units: list[Unit], ends_on: date) -> dict[int, dict[int, Decimal]]:
    """Each item's cumulative figure per unit as of ``ends_on``: live sources read once for all units."""
    period = sources.year_to_date(ends_on)
    actuals: dict[int, dict[int, Decimal]] = {}
    manual = _manual_values(items, ends_on)
    with sources.shared_scans():  # the pipeline's items are read from one scan, not one each
        for item in items:
            actuals[item.pk] = _actual(item, units, period, manual)
    return actuals


def _actual(item, units: list[Unit], period, manual: dict[tuple[int, int], Decimal]) -> dict[int, Decimal]:
    """One item's figure per unit: from its live source, or the latest manual entries."""
    if item.metric.source != Metric.Source.LIVE:
        return {unit.pk: manual.get((item.pk, unit.pk), Decimal(0)) for unit in units}
    source = sources.SOURCES.get(item.metric.source_key)
    if source is None:
        raise BusinessRuleError(
            _("指标“%(name)s”的取数口径“%(key)s”不存在。") % {"name": item.metric.name, "key": item.metric.source_key}
        )
    read = source.read(units, period)
    return {unit.pk: read.get(unit.pk, Decimal(0)) for unit in units}


def _manual_values(items, ends_on: date) -> dict[tuple[int, int], Decimal]:
    """The latest entry as of ``ends_on`` of every manual item and unit."""
    entries = (
        ManualValue.objects.filter(target__item__in=items, as_of__lte=ends_on, as_of__year=ends_on.year)
        .order_by("target", "-as_of", "-pk")
        .values_list("target__item_id", "target__unit_id", "value")
    )
    latest: dict[tuple[int, int], Decimal] = {}
    for item_id, unit_id, value in entries:
        latest.setdefault((item_id, unit_id), value)
    return latest


def _deductions(scheme: Scheme, ends_on: date) -> dict[str, list[dict]]:
    """The deductions in force on ``ends_on``: made by then and not revoked."""
    found: dict[str, list[dict]] = {}
    rows = Deduction.objects.filter(scheme=scheme, happened_on__lte=ends_on, revoked_at=None).order_by(
        "happened_on", "pk"
    )
    for deduction in rows:
        found.setdefault(str(deduction.unit_id), []).append(
            {
                "id": deduction.pk,
                "kind": deduction.kind,
                "points": str(deduction.points),
                "reason": deduction.reason,
                "happened_on": deduction.happened_on.isoformat(),
            }
        )
    return found


def _previous(previous: Snapshot | None) -> dict[str, dict]:
    if previous is None:
        return {}
    rows = previous.rows.values_list("unit_id", "rank", "admonish")
    return {str(unit): {"rank": rank, "admonish": admonish} for unit, rank, admonish in rows}


def _corrections(snapshot: Snapshot, previous: Snapshot) -> list[Correction]:
    """The previous snapshot's figures as the source data give them now, where they differ."""
    items = list(
        snapshot.scheme.items.select_related("metric").filter(pk__in=[i["id"] for i in previous.inputs["items"]])
    )
    units = list(Unit.objects.filter(pk__in=[u["id"] for u in previous.inputs["units"]]).order_by("path"))
    now = read_actuals(items, units, previous.ends_on)
    found = []
    for item in items:
        for unit in units:
            published = Decimal(previous.inputs["values"][str(unit.pk)][str(item.pk)]["actual"])
            corrected = now[item.pk][unit.pk]
            if corrected != published:
                found.append(
                    Correction(
                        snapshot=snapshot,
                        corrects=previous,
                        unit=unit,
                        metric=item.metric,
                        published=published,
                        corrected=corrected,
                    )
                )
    return found


def recompute(snapshot: Snapshot) -> list[scoring.RowResult]:
    """The snapshot's rows computed again from its stored inputs (same scoring version): its proof."""
    if snapshot.scoring_version != scoring.VERSION:
        raise BusinessRuleError(
            _("快照按第%(version)s版计分规则生成，当前为第%(current)s版。")
            % {"version": snapshot.scoring_version, "current": scoring.VERSION}
        )
    return scoring.score(snapshot.inputs)


@records_actor
@transaction.atomic
def explain_correction(*, correction: Correction, reason: str, by: AbstractBaseUser) -> Correction:
    """Record why a published figure changed; the next bulletin prints it."""
    if not reason.strip():
        raise BusinessRuleError(_("请填写更正理由。"), field="reason")
    correction.reason = reason.strip()
    correction.explained_by = by
    correction.explained_at = timezone.now()
    correction.save(update_fields=["reason", "explained_by", "explained_at"])
    return correction
