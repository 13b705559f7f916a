"""Sample joint reviews for the URL walker: a review of a project of the unit, asking a department of the unit."""

import itertools
from datetime import timedelta

from django.utils import timezone

from apps.core.tests.samples import sample
from apps.investment.tests.samples import make_project_sample
from apps.landing.models import JointReview, ReviewOpinion
from apps.org.models import Unit
from apps.org.tests.factories import make_unit

_serial = itertools.count(1)


@sample(JointReview)
def make_review_sample(unit: Unit, marker: str) -> JointReview:
    project = make_project_sample(unit, marker)
    department = make_unit(
        parent=unit, name=f"{marker}审查部门", kind=Unit.Kind.DEPARTMENT, code=f"RV{next(_serial):05d}"
    )
    today = timezone.localdate()
    review = JointReview.objects.create(
        project=project, subject=marker, note=marker, opened_on=today, time_limit_days=5,
        due_on=today + timedelta(days=7), opened_by=project.created_by,
    )  # fmt: skip
    ReviewOpinion.objects.create(review=review, department=department)
    return review


@sample(ReviewOpinion)
def make_opinion_sample(unit: Unit, marker: str) -> ReviewOpinion:
    """The opinion of a sample review; the marker is the review's subject and the opinion's conditions."""
    opinion = make_review_sample(unit, marker).opinions.get()
    ReviewOpinion.objects.filter(pk=opinion.pk).update(conditions=marker)
    return opinion
