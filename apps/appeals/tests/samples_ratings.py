"""URL-walker samples: a bad rating kept and rated inside a unit, with evidence, and an appeal against it.

The marker is the service item's name (shown on every rating page) and the appeal's reason.
"""

from django.core.files.base import ContentFile
from django.utils import timezone

from apps.appeals.models import RatingAppeal, ServiceRating
from apps.core.tests.samples import sample
from apps.org.models import Unit, User


@sample(ServiceRating)
def make_rating_sample(unit: Unit, marker: str) -> ServiceRating:
    rating = ServiceRating.objects.create(
        kind="service", office=unit, unit=unit, service_name=marker, staff_name=marker, channel="offline", level=2,
        comment=marker, rater_name="赵六", rater_phone="13812345678", state="rectifying", rated_at=timezone.now(),
        measures=marker,
    )  # fmt: skip
    rating.evidence.save("evidence.txt", ContentFile(marker.encode()))
    return rating


@sample(RatingAppeal)
def make_rating_appeal_sample(unit: Unit, marker: str) -> RatingAppeal:
    rating = make_rating_sample(unit, marker)
    person = User.objects.create(username=f"rating-appeal-{unit.code}-{RatingAppeal.objects.count()}", unit=unit)
    appeal = RatingAppeal(rating=rating, reason=marker, filed_by=person, filed_at=timezone.now())
    appeal.evidence.save("appeal.txt", ContentFile(marker.encode()))
    return appeal
