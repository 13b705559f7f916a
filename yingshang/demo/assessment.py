"""The demo city's assessment: this year's schemes for the counties and for the city's departments.

Targets are set from each unit's pace so far (some ahead of the time-progress, some behind); the
units enter their manual figures at every month's end with a ledger as evidence; a few deductions
for projects signed long ago and not started. The daily scan freezes every ended month, quarter and
half-year into snapshots; one county re-enters a figure after a ranking came out, so the last
snapshot shows a correction with its reason; the admonition talks of the earlier rankings are
recorded and most of them followed up. The latest rankings are issued as bulletins (Word and PDF), one
of them in a second version.
"""

from datetime import date, timedelta
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db import connection
from django.db.models import Q
from django.utils import timezone

from apps.assessment.models import (
    Admonition,
    Bulletin,
    BulletinTemplate,
    Correction,
    Deduction,
    ManualValue,
    Metric,
    PlanPoint,
    Scheme,
    SchemeItem,
    Snapshot,
    SnapshotRow,
    Target,
)
from apps.assessment.services import bulletins
from apps.assessment.services.periods import ended_periods, period_of
from apps.assessment.services.snapshots import read_actuals, take_snapshot
from apps.investment.models import Project, Stage
from apps.org.models import Unit, User
from yingshang.demo.context import DemoContext
from yingshang.demo.investment.saving import pdf_bytes
from yingshang.demo.org import INVESTMENT_BUREAU

#: what clear() deletes, in this order
TABLES = (
    Bulletin, BulletinTemplate, Admonition, Correction, SnapshotRow, Snapshot, Deduction, ManualValue, PlanPoint,
    Target, SchemeItem, Scheme,
)  # fmt: skip
COUNTY_ITEMS = (
    ("signed_count", 20), ("contracted", 25), ("funds_in_place", 25), ("out_of_province", 10),
    ("over_1yi_count", 10), ("policy_delivery", 10),
)  # fmt: skip
DEPARTMENT_ITEMS = (("department_answers_on_time", 50), ("policy_delivery", 25), ("major_reserve", 25))
SNAPSHOT_KINDS = ["month", "quarter", "half", "year"]
LEADERS = ("市政府副市长 王建国", "市政府副市长 刘海燕", "市委常委、常务副市长 陈志强")


def counts() -> int:
    return Snapshot.objects.count()


def build(ctx: DemoContext) -> None:
    today = timezone.localdate()
    rng = ctx.rng("assessment")
    keeper = User.objects.get(username="kaohe")
    bureau = Unit.objects.get(code=INVESTMENT_BUREAU)
    city = Unit.objects.get(depth=1)
    year = today.year
    areas = list(Unit.objects.filter(parent_path(city), kind__in=("county", "zone")).order_by("path"))
    departments = list(Unit.objects.filter(parent_path(city), kind="department").order_by("path"))
    counties = _scheme(
        year, Scheme.Group.COUNTY, f"{year}年度县（市、区）招商引资目标责任考核", bureau, keeper, "示招考"
    )
    offices = _scheme(year, Scheme.Group.DEPARTMENT, f"{year}年度市直部门服务项目落地考核", bureau, keeper, "示招服")
    for scheme, specs, units in ((counties, COUNTY_ITEMS, areas), (offices, DEPARTMENT_ITEMS, departments)):
        items = _items(scheme, specs)
        _targets(rng, items, units, today)
        _manual_values(rng, items, units, today, keeper)
    _deductions(rng, counties, areas, today, keeper)
    _snapshots(rng, (counties, offices), areas, today, keeper)
    _talks(rng, keeper, today)
    _bulletins((counties, offices), keeper, today)


def parent_path(unit: Unit) -> Q:
    return Q(path__startswith=unit.path, depth=unit.depth + 1)


def _scheme(year, group, name, unit, keeper, prefix) -> Scheme:
    return Scheme.objects.create(
        year=year, group=group, name=name, unit=unit, snapshot_kinds=SNAPSHOT_KINDS, bulletin_prefix=prefix,
        created_by=keeper,
    )  # fmt: skip


def _items(scheme: Scheme, specs) -> list[SchemeItem]:
    metrics = {m.code: m for m in Metric.objects.filter(code__in=[code for code, _weight in specs])}
    return [
        SchemeItem.objects.create(scheme=scheme, metric=metrics[code], order=n, weight=Decimal(weight))
        for n, (code, weight) in enumerate(specs, 1)
    ]


def _targets(rng, items: list[SchemeItem], units: list[Unit], today: date) -> None:
    """A year's target from the pace so far: completion at the time-progress ranges from about 70 % to 130 %."""
    yesterday = today - timedelta(days=1)
    share = Decimal((yesterday - date(today.year, 1, 1)).days + 1) / 365
    live = [item for item in items if item.metric.source == Metric.Source.LIVE and item.metric.kind != "rate"]
    actuals = read_actuals(live, units, yesterday) if live else {}
    targets = []
    for item in items:
        for unit in units:
            if item.metric.kind == Metric.Kind.RATE:
                value = Decimal(rng.choice((90, 95, 98, 100)))
            elif item.pk in actuals:
                pace = actuals[item.pk][unit.pk] / share
                value = max(pace * Decimal(rng.uniform(0.75, 1.4)), Decimal(3 if item.metric.kind == "count" else 5000))
                value = value.quantize(Decimal(1) if item.metric.kind == "count" else Decimal(100))
            else:
                value = Decimal(rng.randint(3, 8))
            targets.append(Target(item=item, unit=unit, value=value, plan=Target.Plan.EVEN))
    Target.objects.bulk_create(targets)


def _manual_values(rng, items, units, today: date, keeper: User) -> None:
    """Each unit's manual figures at every ended month, with the ledger as evidence."""
    manual = [item for item in items if item.metric.source == Metric.Source.MANUAL]
    targets = {(t.item_id, t.unit_id): t for t in Target.objects.filter(item__in=manual)}
    people = {u.unit_id: u for u in User.objects.filter(unit__in=units).order_by("-pk")}
    for item in manual:
        for unit in units:
            target, value = targets[(item.pk, unit.pk)], Decimal(0)
            pace = rng.uniform(0.6, 1.3)
            for month in ended_periods("month", today.year, today):
                if item.metric.kind == Metric.Kind.RATE:
                    value = min(
                        Decimal(100), (target.value * Decimal(rng.uniform(0.85, 1.03))).quantize(Decimal("0.1"))
                    )
                else:
                    value += Decimal(rng.random() < pace * float(target.value) / 12)
                evidence = ContentFile(
                    pdf_bytes([f"{unit.code} {item.metric.code} {month.ends_on}"]), name="ledger.pdf"
                )
                ManualValue.objects.create(
                    target=target, as_of=month.ends_on, value=value, evidence=evidence,
                    note=f"{month.label}{item.metric.name}台账", entered_by=people.get(unit.pk, keeper),
                )  # fmt: skip


def _deductions(rng, scheme: Scheme, areas: list[Unit], today: date, keeper: User) -> None:
    """签约超期未开工: a few projects signed over a year ago and still at 签约."""
    late = Project.objects.filter(stage=Stage.SIGNED, signed_on__lt=today - timedelta(days=365)).order_by("pk")
    for project in list(late)[:4]:
        area = next((a for a in areas if project.unit.path.startswith(a.path)), None)
        if area is None:
            continue
        Deduction.objects.create(
            scheme=scheme, unit=area, kind=Deduction.Kind.LATE_START, points=Decimal(2), project=project,
            happened_on=date(today.year, rng.randint(3, 9), 15), recorded_by=keeper,
            reason=f"“{project.name}”{project.signed_on:%Y年%m月}签约，超过协议约定开工期限仍未开工",
        )  # fmt: skip


def _snapshots(rng, schemes, areas, today: date, keeper: User) -> None:
    """Every ended period but the last month first; then a re-entered figure; then the last month."""
    last = period_of("month", today.replace(day=1) - timedelta(days=1))
    for scheme in schemes:
        for kind in scheme.snapshot_kinds:
            for period in ended_periods(kind, scheme.year, today):
                if not (kind == "month" and period.ends_on == last.ends_on):
                    take_snapshot(scheme=scheme, period=period, by=keeper)
    before = period_of("month", last.starts_on - timedelta(days=1))
    county = areas[-1]
    target = Target.objects.get(item__scheme=schemes[0], item__metric__code="policy_delivery", unit=county)
    ManualValue.objects.create(
        target=target, as_of=before.ends_on, value=Decimal(100), note=f"{before.label}政策兑现台账（补报）",
        evidence=ContentFile(pdf_bytes(["corrected ledger"]), name="ledger.pdf"), entered_by=keeper,
    )  # fmt: skip
    for scheme in schemes:
        snapshot = take_snapshot(scheme=scheme, period=last, by=keeper)
        for correction in snapshot.corrections.all():
            correction.reason = f"{county.name}补报{before.label}兑现的招商政策，经核实予以更正"
            correction.explained_by, correction.explained_at = keeper, timezone.now()
            correction.save()


def _talks(rng, keeper: User, today: date) -> None:
    """The talks of every ranking but the latest month's are held; most of them followed up."""
    latest = Snapshot.objects.filter(kind="month").order_by("-ends_on").values_list("ends_on", flat=True).first()
    for admonition in Admonition.objects.select_related("snapshot", "unit").exclude(snapshot__ends_on=latest):
        held = min(admonition.snapshot.ends_on + timedelta(days=rng.randint(8, 15)), today - timedelta(days=1))
        admonition.held_on, admonition.leader = held, rng.choice(LEADERS)
        admonition.attendees = f"{admonition.unit.name}主要负责同志、分管负责同志"
        admonition.issues = f"{admonition.snapshot.label}排名靠后：签约项目不足、资金到位滞后于序时进度"
        admonition.commitments = "一个月内新签约亿元以上项目1个，到位资金赶上序时进度"
        if held + timedelta(days=30) < today and rng.random() < 0.8:
            admonition.status, admonition.followed_on = Admonition.Status.DONE, held + timedelta(days=30)
            admonition.follow_up = "已新签约项目并加快资金到位，整改完成"
        else:
            admonition.status = Admonition.Status.RECTIFYING
        admonition.save()


def _bulletins(schemes, keeper: User, today: date) -> None:
    """The counties' last three monthly bulletins, their last quarterly analysis and half-year summary, the
    departments' last monthly one; the counties' second-last monthly bulletin reissued as a second version.

    The files are made here rather than by the worker (the demo is built before it starts), the PDFs in one
    LibreOffice run; without
    LibreOffice a bulletin is left failed with the reason, as it would be on a server without it.
    """
    counties, offices = schemes
    months = list(counties.snapshots.filter(kind="month").order_by("-ends_on")[:3])
    chosen = [*reversed(months)]
    for kind in ("half", "quarter"):
        chosen += list(counties.snapshots.filter(kind=kind).order_by("-ends_on")[:1])
    chosen += list(offices.snapshots.filter(kind="month").order_by("-ends_on")[:1])
    ordered = sorted(chosen, key=lambda s: (s.ends_on, s.kind != "month"))
    bulletins.generate_all([_request(snapshot, keeper, today) for snapshot in ordered])
    if len(months) > 1:
        reason = f"{months[1].label}排名表中一处得分的小数位印错，予以更正"
        bulletins.generate(_request(months[1], keeper, today, revision_reason=reason))


def _request(snapshot: Snapshot, keeper: User, today: date, revision_reason: str = "") -> Bulletin:
    draft = bulletins.draft(snapshot, today=today)
    issued_on = min(snapshot.ends_on + timedelta(days=7 if revision_reason else 5), today)
    requirements = (
        "各单位要对照序时进度逐项查找差距，落后的指标要拿出赶超措施。\n"
        "被约谈单位要在十个工作日内报送整改方案，整改情况纳入下一期考核。"
    )
    return bulletins.request_bulletin(
        snapshot=snapshot, title=draft.title, recipients=draft.recipients, summary=draft.summary,
        requirements=requirements, issued_on=issued_on, by=keeper, revision_reason=revision_reason,
    )  # fmt: skip


def clear() -> None:
    """Delete every assessment record and the evidence and bulletin files; the metrics stay."""
    for model, fields in ((ManualValue, ["evidence"]), (Bulletin, ["docx", "pdf"]), (BulletinTemplate, ["file"])):
        for field in fields:
            storage = model._meta.get_field(field).storage
            for name in model.objects.exclude(**{field: ""}).values_list(field, flat=True):
                storage.delete(name)
    for model in TABLES:
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {connection.ops.quote_name(model._meta.db_table)}")  # noqa: S608 - a model's own table
