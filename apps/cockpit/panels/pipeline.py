"""The pipeline funnel (projects in progress by stage) and the major projects' red / amber / green status.

The funnel counts the viewer's projects in progress by their current stage, as the project list filtered by that
stage shows them. The lights are landing's own rules (apps/landing/selectors/status.py) on the major projects
past negotiation, counted in SQL by ``filter_by_level``: three counts, whatever the number of projects.
"""

from dataclasses import dataclass
from datetime import date
from urllib.parse import urlencode

from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext as _

from apps.cockpit import charts
from apps.investment.models import Project, Stage
from apps.investment.permissions import visible_projects
from apps.landing.selectors.projects import landing_projects
from apps.landing.selectors.status import AMBER, GREEN, LEVELS, RED, filter_by_level
from apps.landing.services.taskforces import major_projects_q

ACTIVE = Project.Status.ACTIVE
LIGHT_COLOURS = ("#dc3545", "#ffc107", "#198754")


@dataclass(frozen=True)
class Light:
    level: str
    label: str
    count: int
    url: str


@dataclass(frozen=True)
class PipelinePanel:
    funnel_chart: dict
    in_progress: int
    lights: list[Light]
    lights_chart: dict

    @property
    def majors(self) -> int:
        return sum(light.count for light in self.lights)


def _url(name: str, **query) -> str:
    return f"{reverse(name)}?{urlencode(query)}"


def stage_counts(user) -> dict[str, int]:
    """The viewer's projects in progress by current stage: one grouped query."""
    rows = visible_projects(user).filter(status=ACTIVE).order_by().values("stage").annotate(n=Count("pk"))
    return {row["stage"]: row["n"] for row in rows}


def major_lights(user, today: date) -> list[Light]:
    """How many of the viewer's major landing projects in progress are red, amber and green."""
    majors = landing_projects(user).filter(major_projects_q(), status=ACTIVE)
    return [
        Light(level, str(LEVELS[level]), filter_by_level(majors, level, today=today).count(),
              _url("landing:project_list", major="on", status=ACTIVE, level=level))
        for level in (RED, AMBER, GREEN)
    ]  # fmt: skip


def pipeline_panel(user, today: date, *, lights: bool = True) -> PipelinePanel:
    """The funnel, and the major projects' lights when ``lights`` (the viewer may open the landing list)."""
    counts = stage_counts(user)
    points = [
        charts.point(counts.get(stage, 0), _url("investment:project_list", stage=stage, status=ACTIVE), stage.label)
        for stage in Stage
    ]
    lights = major_lights(user, today) if lights else []
    light_points = [charts.point(light.count, light.url, light.label) for light in lights]
    return PipelinePanel(
        funnel_chart=charts.funnel(_("推进中项目"), points),
        in_progress=sum(counts.values()),
        lights=lights,
        lights_chart=charts.pie(_("重大项目"), light_points, colours=LIGHT_COLOURS),
    )
