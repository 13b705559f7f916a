"""Reads behind the reviews pages (联评联审): who may do what, the list's filters, deadlines, the panel."""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Exists, Min, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.pending import PendingItem
from apps.core.workdays import CalendarNotCovered, working_days_between
from apps.investment.models import Project, Stage
from apps.investment.permissions import owns
from apps.landing import permissions
from apps.landing.models import JointReview, OpinionChange, ReviewOpinion, Verdict
from apps.org.models import Unit

#: how strict each answer is: the review's conclusion is the strictest one given
STRICTNESS = {Verdict.PENDING: 0, Verdict.AGREE: 1, Verdict.CONDITIONAL: 2, Verdict.DISAGREE: 3}
#: the areas whose departments a project's review may ask
GROUP_KINDS = (Unit.Kind.COUNTY, Unit.Kind.ZONE)


# ---- who may do what -------------------------------------------------------------------------


def can_open_review(user, project: Project) -> bool:
    """The project's owning side holding the right to open reviews."""
    return user.has_perm(permissions.OPEN_REVIEW) and owns(user, project)


def is_reviewable(project: Project) -> bool:
    """A review is opened before signing: on a project in talks that is still moving."""
    return project.stage == Stage.NEGOTIATION and project.status == Project.Status.ACTIVE


def can_answer(user, opinion: ReviewOpinion) -> bool:
    """A person of the asked department (or a unit below it) holding the right to give opinions."""
    return user.has_perm(permissions.GIVE_OPINION) and permissions.in_unit(user, opinion.department)


def is_stricter(new: str, old: str) -> bool:
    """True when ``new`` objects more than ``old`` did (同意 → 有条件同意 → 不同意)."""
    return old != Verdict.PENDING and STRICTNESS[Verdict(new)] > STRICTNESS[Verdict(old)]


def strictest(verdicts) -> str:
    """The strictest answer given, or 待反馈 when nobody answered."""
    return max(verdicts, key=lambda v: STRICTNESS[Verdict(v)], default=Verdict.PENDING)


# ---- the departments a review may ask -----------------------------------------------------------


@dataclass(frozen=True)
class DepartmentGroup:
    area: Unit
    departments: list[Unit]


def department_groups(project: Project) -> list[DepartmentGroup]:
    """The city's departments, then those of the project's own county or zone (the form's checkboxes)."""
    unit = project.unit
    prefixes = [unit.path[:n] for n in range(Unit.steplen, len(unit.path) + 1, Unit.steplen)]
    ancestors = list(Unit.objects.filter(path__in=prefixes).order_by("depth"))
    city = ancestors[0]
    county = next((unit for unit in reversed(ancestors) if unit.kind in GROUP_KINDS), None)
    departments = Unit.objects.active().filter(kind=Unit.Kind.DEPARTMENT)
    # the city's own departments: under the city but not under one of its counties or zones
    city_departments = departments.filter(path__startswith=city.path)
    for area_path in Unit.objects.filter(path__startswith=city.path, kind__in=GROUP_KINDS).values_list(
        "path", flat=True
    ):
        city_departments = city_departments.exclude(path__startswith=area_path)
    groups = [DepartmentGroup(city, list(city_departments))]
    if county is not None:
        groups.append(DepartmentGroup(county, list(departments.filter(path__startswith=county.path))))
    return [group for group in groups if group.departments]


# ---- the list ----------------------------------------------------------------------------------


def _own_opinions(user) -> QuerySet:
    """Opinions addressed to the user's unit or a unit below it."""
    unit = getattr(user, "unit", None)
    if unit is None:
        return ReviewOpinion.objects.none()
    return ReviewOpinion.objects.filter(department__path__startswith=unit.path)


def answers_for(user) -> bool:
    """The user answers reviews (a department's handler) rather than opens them."""
    return user.has_perm(permissions.GIVE_OPINION) and getattr(user, "unit", None) is not None


def list_reviews(user) -> QuerySet:
    """The reviews the user sees, with their answer counts and the user's own department's answer."""
    reviews = permissions.visible_reviews(user).select_related("project__unit", "project__enterprise")
    reviews = reviews.annotate(
        asked=Count("opinions"),
        answered=Count("opinions", filter=~Q(opinions__verdict=Verdict.PENDING)),
        late_count=Count("opinions", filter=Q(opinions__late=True)),
    )
    if answers_for(user):
        mine = _own_opinions(user).filter(review=OuterRef("pk"))
        reviews = reviews.annotate(
            mine_asked=Exists(mine),
            mine_pending=Exists(mine.filter(verdict=Verdict.PENDING)),
        )
    return reviews.order_by("-opened_on", "-id")


def overdue_opinions(today: date) -> QuerySet:
    """Opinions marked late, or still awaited after their review's deadline."""
    return ReviewOpinion.objects.filter(Q(late=True) | Q(verdict=Verdict.PENDING, review__due_on__lt=today))


def filter_reviews(reviews: QuerySet, data: dict, *, user, today: date | None = None) -> QuerySet:
    """Apply the list's filters (the keys of ReviewFilterForm)."""
    today = today or timezone.localdate()
    status = data.get("status")
    if status in (JointReview.Status.OPEN, JointReview.Status.CLOSED):
        reviews = reviews.filter(status=status)
    concerned = ReviewOpinion.objects.all()
    if status == "awaiting":
        concerned = _own_opinions(user).filter(verdict=Verdict.PENDING)
        reviews = reviews.filter(pk__in=concerned.values("review"))
    if data.get("overdue"):
        late = concerned.filter(pk__in=overdue_opinions(today).values("pk"))
        reviews = reviews.filter(pk__in=late.values("review"))
    if data.get("department"):
        asked = ReviewOpinion.objects.filter(department__path__startswith=data["department"].path)
        reviews = reviews.filter(pk__in=asked.values("review"))
    if data.get("q"):
        named = Project.objects.filter(name__icontains=data["q"].strip()).values("pk")
        reviews = reviews.filter(project__in=named)
    return reviews


def filter_departments(user) -> QuerySet:
    """The departments the list can be filtered by: those asked in the reviews the user sees."""
    asked = permissions.visible_opinions(user).values("department")
    return Unit.objects.filter(pk__in=asked).order_by("path")


def waiting_opinions(user) -> QuerySet:
    """Opinions the user's department still owes (the pending items)."""
    if not (answers_for(user) and user.has_perm(permissions.VIEW_REVIEW)):
        return ReviewOpinion.objects.none()
    return _own_opinions(user).filter(verdict=Verdict.PENDING)


def pending_review_items(user) -> Iterator[PendingItem]:
    """待反馈的联审意见 of the user's department, in red once one is past its deadline."""
    waiting = waiting_opinions(user).aggregate(count=Count("pk"), first_due=Min("review__due_on"))
    if not waiting["count"]:
        return
    overdue = waiting["first_due"] < timezone.localdate()
    url = f"{reverse('landing:review_list')}?status=awaiting"
    level = "danger" if overdue else "warning"
    yield PendingItem(_("待反馈的联审意见"), url, waiting["count"], due=waiting["first_due"], level=level)


# ---- one review ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Deadline:
    due_on: date
    days_left: int | None  # working days from today to the deadline; negative once it has passed
    overdue: bool

    @property
    def overdue_days(self) -> int | None:
        """Working days past the deadline (0 when the deadline was a rest day just past)."""
        return None if self.days_left is None else -self.days_left


def deadline_of(review: JointReview, today: date | None = None) -> Deadline:
    """The review's deadline, counted in working days from today (None for a year the calendar lacks)."""
    today = today or timezone.localdate()
    try:
        days_left = working_days_between(today, review.due_on)
    except CalendarNotCovered:
        days_left = None
    return Deadline(review.due_on, days_left, today > review.due_on)


def review_opinions(review: JointReview) -> list[ReviewOpinion]:
    """The review's opinions in department order, with who answered."""
    return list(review.opinions.select_related("department", "answered_by").order_by("department__path"))


def review_changes(review: JointReview) -> QuerySet:
    """The changes of answers given in the review, oldest first."""
    return OpinionChange.objects.filter(opinion__review=review).select_related("opinion__department", "by")


def review_conditions(project: Project) -> list[ReviewOpinion]:
    """The 有条件同意 opinions of the project's reviews, oldest review first.

    The checklist turns each into an item at signing: ``opinion.department`` set the condition
    ``opinion.conditions`` in ``opinion.review``.
    """
    opinions = ReviewOpinion.objects.filter(review__project=project, verdict=Verdict.CONDITIONAL)
    return list(
        opinions.select_related("review", "department").order_by("review__opened_on", "review_id", "department__path")
    )


def panel(project, user) -> dict:
    """What the project's landing page shows of reviews (the context of landing/_reviews_panel.html)."""
    reviews = list(
        permissions.visible_reviews(user)
        .filter(project=project)
        .annotate(asked=Count("opinions"), answered=Count("opinions", filter=~Q(opinions__verdict=Verdict.PENDING)))
        .order_by("-opened_on", "-id")
    )
    has_open = any(review.status == JointReview.Status.OPEN for review in reviews)
    allowed = user.has_perm(permissions.VIEW_REVIEW)
    return {
        "reviews_shown": allowed,
        "latest_review": reviews[0] if reviews and allowed else None,
        "earlier_reviews": reviews[1:] if allowed else [],
        "can_open_review": can_open_review(user, project) and is_reviewable(project) and not has_open,
    }
