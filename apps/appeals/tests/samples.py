"""URL-walker samples: a ticket recorded by a unit; the marker is its title (shown on every ticket page)."""

import itertools
from datetime import timedelta

from django.utils import timezone

from apps.appeals.models import Appeal, Article, Category, TimeLimitPolicy
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


@sample(Article)
def make_article_sample(unit: Unit, marker: str) -> Article:
    """A draft (drafts are seen by the owner's subtree only; published articles are the whole city's)."""
    from apps.org.models import User

    author = User.objects.filter(unit=unit).first() or User.objects.create(username=f"kb{next(_serial)}", unit=unit)
    return Article.objects.create(
        title=marker, questions=marker, answer=marker, category=Category.objects.get(code="010301"), owner=unit,
        review_on=timezone.localdate() + timedelta(days=180), updated_by=author, updated_at=timezone.now(),
    )  # fmt: skip
