"""The business-environment panel: the counties' overall scores of the last published evaluation round, as far as
the round's disclosure lets the viewer read them (apps/bizenv/permissions.visible_results)."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext as _

from apps.bizenv import permissions
from apps.bizenv.models import Round
from apps.cockpit import charts


@dataclass(frozen=True)
class BizenvPanel:
    round: Round | None
    chart: dict
    count: int


def last_round() -> Round | None:
    return Round.objects.filter(status=Round.Status.PUBLISHED).order_by("-published_at", "-pk").first()


def bizenv_panel(user) -> BizenvPanel:
    round_ = last_round()
    if round_ is None:
        return BizenvPanel(None, {}, 0)
    results = list(
        permissions.visible_results(user, round_).filter(score__isnull=False).select_related("unit").order_by("rank")
    )
    points = [charts.point(result.score, reverse("bizenv:result_unit", args=[result.pk])) for result in results]
    chart = charts.horizontal_bars([result.unit.display_name for result in results], _("总分"), points)
    return BizenvPanel(round_, chart, len(results))
