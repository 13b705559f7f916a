"""Reads behind the progress pages: a project's reports and milestones, the monthly ledger, batch starts."""

from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery, Sum
from django.utils import timezone

from apps.investment import permissions as pipeline
from apps.investment.models import Project, Stage
from apps.investment.selectors.projects import list_projects
from apps.landing import permissions
from apps.landing.models import BatchStart, ProgressPhoto, ProgressReport
from apps.landing.selectors import gantt
from apps.landing.selectors.milestones import project_milestones
from apps.landing.services.progress import can_report

#: projects under construction, which report every month (a later one appears in a month it reported)
BUILDING_STAGES = (Stage.STARTED, Stage.COMPLETED)
REPORTING_STAGES = [stage for stage in Stage if stage.rank >= Stage.STARTED.rank]


def previous_month(today: date | None = None) -> date:
    """The first day of last month: the month whose report is due now."""
    first = (today or timezone.localdate()).replace(day=1)
    return (first - timedelta(days=1)).replace(day=1)


def _month_after(month: date) -> date:
    return (month.replace(day=28) + timedelta(days=4)).replace(day=1)


def share_of(amount: Decimal | None, whole: Decimal | None) -> Decimal | None:
    """``amount`` as a percentage of ``whole`` (one decimal), None when either is missing."""
    if amount is None or not whole:
        return None
    return (amount * 100 / whole).quantize(Decimal("0.1"))


def panel(project, user) -> dict:
    """What the project's landing page shows of progress (the context of landing/_progress_panel.html)."""
    reports = list(project.progress_reports.select_related("reported_by").order_by("-month")[:3])
    total = reports[0].invested_to_date if reports else None
    photos = ProgressPhoto.objects.filter(report__project=project).select_related("report").order_by("-uploaded_at")
    return {
        "progress_reports": reports,
        "progress_total": total,
        "progress_share": share_of(total, project.contracted_investment),
        "progress_photos": list(photos[:6]),
        "progress_milestones": project_milestones(project),
        "progress_chart": gantt.project_chart(project),
        "progress_can_report": can_report(user, project),
        #: before signing there is nothing to build: the page keeps the panel out of the way
        "progress_signed": Stage(project.stage).rank >= Stage.SIGNED.rank,
    }


def project_reports(project) -> QuerySet:
    """A project's reports, newest month first, with their photos."""
    return project.progress_reports.select_related("reported_by").prefetch_related("photos").order_by("-month")


# ---- the monthly ledger --------------------------------------------------------------------


def ledger_projects(user, month: date, data: dict) -> QuerySet:
    """Started projects in scope with the month's report (or none: 未填报) and the cumulative figure."""
    this_month = ProgressReport.objects.filter(project=OuterRef("pk"), month=month)
    up_to = ProgressReport.objects.filter(project=OuterRef("pk"), month__lte=month).order_by("-month")
    projects = (
        list_projects(user)
        .filter(stage__in=REPORTING_STAGES)
        .exclude(status=Project.Status.DROPPED)
        .annotate(
            reported=Exists(this_month),
            month_report=Subquery(this_month.values("pk")[:1]),
            month_invested=Subquery(this_month.values("invested_in_month")[:1]),
            month_description=Subquery(this_month.values("description")[:1]),
            to_date=Subquery(up_to.values("invested_to_date")[:1]),
        )
        # a project started after the month owes nothing for it (as the landing status counts)
        .filter(
            Q(reported=True)
            | Q(stage__in=BUILDING_STAGES, started_on=None)
            | Q(stage__in=BUILDING_STAGES, started_on__lt=_month_after(month))
        )
        .order_by("unit__path", "name", "id")
    )
    if data.get("unit"):
        projects = projects.in_unit(data["unit"])
    if data.get("reported") == "yes":
        projects = projects.filter(reported=True)
    elif data.get("reported") == "no":
        projects = projects.filter(reported=False)
    return projects


def ledger_totals(projects: QuerySet) -> dict:
    """How many projects, how many reported, and the month's investment, over the whole filtered ledger."""
    totals = projects.order_by().aggregate(
        count=Count("pk"), reported_count=Count("pk", filter=Q(reported=True)), invested=Sum("month_invested")
    )
    return {**totals, "invested": totals["invested"] or Decimal(0)}


# ---- batch starts --------------------------------------------------------------------------


def visible_batches(user) -> QuerySet:
    """The batch starts of the user's unit subtree, with the totals the list shows."""
    return (
        permissions.visible_batches(user)
        .select_related("unit")
        .annotate(total=Sum("projects__contracted_investment"), project_count=Count("projects"))
        .order_by("-held_on", "-id")
    )


def batch_projects(batch: BatchStart) -> QuerySet:
    """The projects of a batch in the order the printed list gives them."""
    return batch.projects.select_related("unit", "enterprise").order_by("unit__path", "name", "id")


def batch_total(batch: BatchStart) -> Decimal:
    """The batch's total investment: the sum of its projects' contracted investment (万元)."""
    return batch.projects.aggregate(total=Sum("contracted_investment"))["total"] or Decimal(0)


# ---- scope of reports and photos -----------------------------------------------------------


def visible_reports(user) -> QuerySet:
    """Reports of the projects the user sees (the pipeline's scope: owners, participants, the bureau)."""
    return ProgressReport.objects.filter(project__in=pipeline.visible_projects(user)).select_related("project__unit")


def visible_photos(user) -> QuerySet:
    """Photos of those reports: what the project page's thumbnails and the download URL serve."""
    return ProgressPhoto.objects.filter(report__project__in=pipeline.visible_projects(user)).select_related(
        "report__project__unit"
    )
