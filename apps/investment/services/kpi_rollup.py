"""Keeping FundMonthTotal, the KPI page's monthly fund totals, in step with the fund records and projects.

Every write that can change a total — a fund record entered or corrected; a counted project's kind,
contracted or counted-before investment, confirmed stage, signing date or exclusion from statistics —
calls ``refresh_units`` with the project's unit (or ``refresh_for`` with the project), inside the
write's transaction and after it. A refresh recomputes rows from the records (delete them, group the
records in one query, insert the groups), so it is right whatever changed; bulk loads (the demo, the
benchmark) call ``rebuild_all`` once at the end.

A unit's rows are a few hundred, made from tens of thousands of records, so a refresh recomputes
only the months that can have changed: a fund record only its month's rows (``months``), a change
to a project only the rows of the months it has records in (``refresh_for``) — whatever the project
was before the change, its funds were in those rows and no others. Without ``months``, every row of
the units.

Two refreshes of one unit take turns on the unit's row lock (FOR NO KEY UPDATE, which does not block
the foreign-key checks of inserts): the second one's statements then see the first one's committed
records, and the unique constraint never sees a row twice. SQLite writes one at a time anyway.
"""

from collections.abc import Iterable
from datetime import date

from django.db import transaction
from django.db.models import BooleanField, Case, Count, F, QuerySet, Sum, Value, When
from django.db.models.functions import TruncMonth

from apps.investment.models import FundMonthTotal, FundRecord, Project, Stage
from apps.investment.selectors.kpis import new_signing, stages_from
from apps.org.models import Unit

#: FundMonthTotal's attributes, in the order of ``totals_of``'s values
ATTRIBUTES = (
    "unit_id", "month", "signed_month", "new_signing", "amount", "out_of_province", "foreign", "fixed_asset", "projects",
)  # fmt: skip


@transaction.atomic
def refresh_units(unit_ids: Iterable[int | None], *, months: Iterable[date] | None = None) -> None:
    """Recompute the totals of the projects owned by these units (each unit itself, not its subtree).

    ``months`` (first days): only the records of these months changed, so only their rows are recomputed.
    """
    ids = sorted({pk for pk in unit_ids if pk is not None})
    if not ids:
        return
    _lock(Unit.objects.filter(pk__in=ids))
    totals = FundMonthTotal.objects.filter(unit_id__in=ids)
    records = FundRecord.objects.filter(project__unit_id__in=ids)
    if months is not None:
        months = sorted(set(months))
        totals, records = totals.filter(month__in=months), records.filter(month__in=months)
    totals.delete()  # one DELETE: nothing listens to or refers to these rows
    _insert(records)


@transaction.atomic
def refresh_for(project: Project) -> None:
    """After a change to a project (its details or its stages): its unit's totals of the months it has funds in.

    Only a project confirmed at 签约 or later can be in the totals: its confirmed stage only ever moves
    on, so one below 签约 now was below it before the change too. Its funds are in the rows of the
    months of its records, read under the unit's lock, so that a month entered meanwhile is among them.
    """
    if Stage(project.counted_stage).rank < Stage.SIGNED.rank:
        return
    _lock(Unit.objects.filter(pk=project.unit_id))
    months = set(FundRecord.objects.filter(project=project).values_list("month", flat=True))
    if months:
        refresh_units({project.unit_id}, months=months)


@transaction.atomic
def rebuild_all() -> int:
    """Recompute every total from every fund record (after a bulk load); returns the number of rows."""
    _lock(Unit.objects.all())
    FundMonthTotal.objects.all().delete()  # one DELETE: nothing listens to or refers to these rows
    return _insert(FundRecord.objects.all())


def _lock(units: QuerySet) -> None:
    list(units.select_for_update(no_key=True).order_by("pk").values_list("pk", flat=True))


def totals_of(records: QuerySet) -> QuerySet:
    """What FundMonthTotal holds for ``records``: their sums by owning unit, month, signing month and
    new signing, over the counted projects only — as value rows in the order of ATTRIBUTES."""
    counted = records.filter(
        project__counted_stage__in=stages_from(Stage.SIGNED), project__excluded_from_statistics=False
    )
    is_new = Case(When(new_signing("project__"), then=Value(True)), default=Value(False), output_field=BooleanField())
    return (
        counted.order_by()
        .annotate(
            total_unit=F("project__unit_id"), total_signed_month=TruncMonth("project__signed_on"), total_new=is_new
        )
        .values("total_unit", "month", "total_signed_month", "total_new")
        .annotate(
            total_amount=Sum("amount"),
            total_out_of_province=Sum("out_of_province"),
            total_foreign=Sum("foreign"),
            total_fixed_asset=Sum("fixed_asset"),
            total_projects=Count("pk"),
        )
        .values_list(
            "total_unit",
            "month",
            "total_signed_month",
            "total_new",
            "total_amount",
            "total_out_of_province",
            "total_foreign",
            "total_fixed_asset",
            "total_projects",
        )  # fmt: skip
    )


def _insert(records: QuerySet) -> int:
    """Read the groups, then insert them a thousand per statement: the read may run in parallel on
    PostgreSQL, which an INSERT … SELECT may not, and a unit has a few hundred groups."""
    rows = [FundMonthTotal(**dict(zip(ATTRIBUTES, row, strict=True))) for row in totals_of(records)]
    FundMonthTotal.objects.bulk_create(rows, batch_size=1000)
    return len(rows)
