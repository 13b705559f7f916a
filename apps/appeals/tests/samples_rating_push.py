"""URL-walker sample: a failed push of a rating kept by a unit (the marker is its 办件编号 and last error)."""

from django.utils import timezone

from apps.appeals.models import RatingPush
from apps.appeals.tests.samples_ratings import make_rating_sample
from apps.core.tests.samples import sample
from apps.org.models import Unit


@sample(RatingPush)
def make_rating_push_sample(unit: Unit, marker: str) -> RatingPush:
    rating = make_rating_sample(unit, marker)
    payload = {"project_no": marker, "dept_code": unit.code}
    return RatingPush.objects.create(
        rating=rating, rectification_state="closed", payload=payload, state="failed", attempts=1, last_error=marker,
        created_at=timezone.now(),
    )  # fmt: skip
