"""URL-walker samples for 企业评议部门: a campaign organised by the unit (its title is the marker) and a comment
on it (its text is the marker), so the review queue and the campaign pages are checked for leaks."""

from datetime import date

from django.utils import timezone

from apps.appeals.models import Campaign, EvaluationComment
from apps.core.tests.samples import sample
from apps.org.models import Unit


@sample(Campaign)
def make_campaign_sample(unit: Unit, marker: str) -> Campaign:
    campaign = Campaign.objects.create(
        title=marker, year=2026, unit=unit, opens_on=date(2026, 1, 1), closes_on=date(2026, 12, 31),
        created_at=timezone.now(),
    )  # fmt: skip
    campaign.departments.set([unit])
    return campaign


@sample(EvaluationComment)
def make_evaluation_comment_sample(unit: Unit, marker: str) -> EvaluationComment:
    campaign = make_campaign_sample(unit, f"{marker}·活动")
    return EvaluationComment.objects.create(campaign=campaign, department=unit, text=marker)
