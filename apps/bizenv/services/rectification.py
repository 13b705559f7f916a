"""From a lead-unit flag to the supervision ledger: an indicator under its alert threshold in a published round
becomes a rectification problem (整改问题) of its lead unit, in one click, once per round and indicator.

The problem names the round and the indicator in its source reference (营商环境评价预警) and lists the
counties behind the flag with their scores; the supervising office is the one of the person who opens it
(apps/supervision decides who may). Its due date is RECTIFY_WORKING_DAYS working days from today.
"""

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.bizenv.models import Indicator, Round, Score
from apps.core.errors import BusinessRuleError
from apps.core.workdays import add_working_days
from apps.supervision.models import Problem
from apps.supervision.services.problems import create_problem

RECTIFY_WORKING_DAYS = 20


def reference(round_: Round, indicator: Indicator) -> str:
    return f"{round_.name} · {indicator.code} {indicator.name}"


def opened(round_: Round, problems=None) -> dict[str, Problem]:
    """The problems already opened from this round's flags (of ``problems``: all by default), by reference."""
    problems = Problem.objects.all() if problems is None else problems
    found = problems.filter(source=Problem.Source.BIZENV_FLAG, source_reference__startswith=f"{round_.name} · ")
    return {problem.source_reference: problem for problem in found}


@transaction.atomic
def open_rectification(*, round_: Round, indicator: Indicator, by: AbstractBaseUser) -> Problem:
    """The flagged indicator's problem on the ledger, against its lead unit (refused when there is one)."""
    if not round_.is_published:
        raise BusinessRuleError(_("评价结果发布后才能据预警登记整改问题。"))
    if indicator.lead_unit is None:
        raise BusinessRuleError(_("指标“%(code)s”没有牵头单位，无法登记整改问题。") % {"code": indicator.code})
    existing = opened(round_).get(reference(round_, indicator))
    if existing is not None:
        raise BusinessRuleError(_("该预警已登记为整改问题 %(code)s。") % {"code": existing.code})
    flagged = list(
        Score.objects.filter(round=round_, indicator=indicator, flagged=True).select_related("unit").order_by("score")
    )
    if not flagged:
        raise BusinessRuleError(_("指标“%(code)s”在本轮次没有低于预警阈值的得分。") % {"code": indicator.code})
    counties = "、".join(f"{score.unit.name}（{score.score}）" for score in flagged)
    description = _("%(round)s中，指标“%(code)s %(name)s”低于预警阈值 %(threshold)s 分的区县：%(counties)s。") % {
        "round": round_.name,
        "code": indicator.code,
        "name": indicator.name,
        "threshold": indicator.alert_threshold,
        "counties": counties,
    }
    return create_problem(
        title=_("%(name)s得分低于预警阈值") % {"name": indicator.name},
        source=Problem.Source.BIZENV_FLAG,
        unit=indicator.lead_unit,
        due_on=add_working_days(timezone.localdate(), RECTIFY_WORKING_DAYS),
        description=description,
        source_reference=reference(round_, indicator),
        by=by,
    )
