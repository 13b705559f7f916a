"""Which projects landing follows: signed and beyond, and those under joint review before signing."""

from django.db.models import Q, QuerySet

from apps.investment.models import Stage
from apps.investment.selectors.projects import list_projects
from apps.landing.models import JointReview

LANDING_STAGES = [stage for stage in Stage if stage.rank >= Stage.SIGNED.rank]


def landing_projects(user) -> QuerySet:
    """The user's projects that are signed or further, or have had a joint review, newest first."""
    reviewed = JointReview.objects.values("project")
    return list_projects(user).filter(Q(stage__in=LANDING_STAGES) | Q(pk__in=reviewed))
