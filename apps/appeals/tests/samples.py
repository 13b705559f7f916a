"""URL-walker samples: a ticket recorded by a unit; the marker is its title (shown on every ticket page)."""

import itertools

from django.utils import timezone

from apps.appeals.models import Appeal, Category, TimeLimitPolicy
from apps.core.tests.samples import sample
from apps.org.models import Unit

_serial = itertools.count(1)


@sample(Appeal)
def make_appeal_sample(unit: Unit, marker: str) -> Appeal:
    return Appeal.objects.create(
        number=f"SQW{next(_serial):08d}", query_code="ABC234", channel="hotline", appeal_type="complaint",
        category=Category.objects.get(code="010301"), title=marker, content=marker, citizen_name=marker,
        phone="13812345678", unit=unit, policy=TimeLimitPolicy.objects.filter(appeal_type="complaint").first(),
        created_at=timezone.now(),
    )  # fmt: skip
