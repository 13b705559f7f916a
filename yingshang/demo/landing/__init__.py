"""The demo city's project landing: reviews, checklists, task forces, problems, progress, batch starts.

Built on the pipeline the investment module made, up to the day of the build: projects in talks have
joint reviews running (some departments late), about half the signed projects went through a closed
review before signing; every signed project has its checklist, created by the landing service from
the template of its kind (conditions of the review included) and walked through time — the started
ones complete, the others part-way with a few steps overrunning their limit; major projects have a
leader in charge, a task force, a work plan with milestones and some problems, open and closed;
started projects report monthly progress, some with a site photo; a few batch starts, one coming up.
Records are written with the models where history must be back-dated (a service stamps today) and
follow what the services write. The daily landing scan runs at the end, so overdue steps and
problems have been escalated and the inbox of the people concerned holds the notices.
"""

from django.db import connection
from django.utils import timezone

from apps.core.models import Notice
from apps.core.workdays import WorkdayCalendar
from apps.investment.models import Project, Stage
from apps.landing.models import (
    BatchStart,
    Checklist,
    ChecklistStep,
    JointReview,
    Milestone,
    OpinionChange,
    ProblemEvent,
    ProgressPhoto,
    ProgressReport,
    ProjectProblem,
    ReviewOpinion,
    TaskForce,
    TaskForceMember,
)
from apps.landing.services.scans import scan_landing
from apps.org.models import Unit, User
from yingshang.demo.context import DemoContext
from yingshang.demo.landing.calendar import clear_declared, declare_next_year
from yingshang.demo.landing.checklists import ChecklistMaker, started_days
from yingshang.demo.landing.follow_up import FollowUpMaker, major_projects
from yingshang.demo.landing.reviews import ReviewMaker, city_departments, negotiation_projects

#: what clear() deletes, in this order (what refers to a record goes before it)
LANDING_TABLES = (
    ProgressPhoto, ProgressReport, BatchStart.projects.through, BatchStart, ProblemEvent, ProjectProblem,
    Milestone, TaskForceMember, TaskForce, ChecklistStep.documents.through, ChecklistStep.prerequisites.through,
    ChecklistStep, Checklist, OpinionChange, ReviewOpinion, JointReview,
)  # fmt: skip
LANDING_STAGES = [stage for stage in Stage if stage.rank >= Stage.SIGNED.rank]


def counts() -> int:
    """How many projects have a checklist."""
    return Checklist.objects.count()


def build(ctx: DemoContext) -> None:
    today = timezone.localdate()
    declare_next_year(today)
    rng, calendar = ctx.rng("landing"), WorkdayCalendar.load()
    city = Unit.objects.get(depth=1)
    departments = city_departments(city)
    signed = list(
        Project.objects.filter(stage__in=LANDING_STAGES)
        .exclude(status=Project.Status.DROPPED)
        .exclude(signed_on=None)
        .select_related("unit", "enterprise", "created_by")
        .order_by("pk")
    )
    reviews = ReviewMaker(rng, calendar, today, departments)
    reviews.running(negotiation_projects(rng, 24))
    reviews.historic(rng.sample(signed, len(signed) // 2))
    ChecklistMaker(rng, calendar, today).make(signed)
    leaders = sorted(User.objects.filter(roles__code="city_leader"), key=lambda u: (u.username != "leader", u.pk))
    follow_up = FollowUpMaker(rng, calendar, today, leaders)
    major = major_projects(signed)
    follow_up.task_forces(major)
    follow_up.problems(major + rng.sample(signed, min(30, len(signed))), departments)
    starts = started_days(signed)
    follow_up.progress(signed, starts)
    follow_up.batch_starts(signed, starts)
    scan_landing(today=today)


def clear() -> None:
    """Delete every landing record, the photos' files and the notices; templates stay."""
    storage = ProgressPhoto._meta.get_field("image").storage
    for name in ProgressPhoto.objects.values_list("image", flat=True):
        storage.delete(name)
    for model in LANDING_TABLES:
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {connection.ops.quote_name(model._meta.db_table)}")  # noqa: S608 - a model's own table
    Notice.objects.filter(key__startswith="landing.").delete()
    clear_declared()
