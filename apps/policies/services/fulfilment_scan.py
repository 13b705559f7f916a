"""The daily scan of fulfilment cases: who holds a case's current step is told once when it is due within
DUE_SOON_WORKING_DAYS working days and once when it is overdue (the notice key names the case, the state and the
step's due date, so a second run sends nothing and a new step starts afresh).

The step's holders: the responsible department's reviewers (待审核, 待确认), the legal office (法制审核), the
window (待兑付) — the same people permissions.can_review / can_legal_review / can_pay let act.
"""

from datetime import date

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.notices import NoticeItem, notify_many
from apps.core.workdays import add_working_days, chinese_date
from apps.policies import permissions
from apps.policies.models import Fulfilment, FulfilmentState
from apps.supervision.services.problems import people_holding

DUE_SOON_WORKING_DAYS = 2
OVERDUE, DUE_SOON = "overdue", "due_soon"
REVIEW_STATES = (FulfilmentState.SUBMITTED, FulfilmentState.PENDING_CONFIRMATION)


class Holders:
    """Who holds each step, read once per scan (per department for reviewers, once for the city-wide offices)."""

    def __init__(self) -> None:
        self._reviewers: dict[int, list] = {}
        self._legal = list(people_holding(permissions.LEGAL_REVIEW, Q(unit__isnull=False)).select_related("unit"))
        self._payers = list(people_holding(permissions.PAY, Q(unit__isnull=False)).select_related("unit"))

    def of(self, case: Fulfilment) -> list:
        if case.state in REVIEW_STATES:
            if case.unit_id not in self._reviewers:
                units = Q(unit__path__startswith=case.unit.path)
                self._reviewers[case.unit_id] = list(people_holding(permissions.REVIEW, units))
            return self._reviewers[case.unit_id]
        if case.state == FulfilmentState.LEGAL_REVIEW:
            return [person for person in self._legal if permissions.can_legal_review(person, case)]
        if case.state == FulfilmentState.AWAITING_PAYMENT:
            return [person for person in self._payers if permissions.can_pay(person, case)]
        return []


def notice_for(case: Fulfilment, level: str, holders: list) -> NoticeItem:
    values = {"number": case.number, "enterprise": case.enterprise.name, "day": chinese_date(case.step_due),
              "state": case.get_state_display()}  # fmt: skip
    if level == OVERDUE:
        title = _("兑现件已逾期：%(number)s %(enterprise)s（%(state)s，%(day)s到期）") % values
    else:
        title = _("兑现件即将到期：%(number)s %(enterprise)s（%(state)s，%(day)s到期）") % values
    key = f"policies.fulfilment.{case.pk}.{case.state}.{case.step_due:%Y%m%d}.{level}"
    return NoticeItem(holders, key, title, reverse("policies:fulfilment_detail", args=[case.pk]))


def scan_fulfilments(*, today: date | None = None) -> dict[str, int]:
    """Tell the holders of the cases overdue or due soon; returns how many notices of each level were sent."""
    today = today or timezone.localdate()
    soon = add_working_days(today, DUE_SOON_WORKING_DAYS)
    cases = (
        Fulfilment.objects.open()
        .filter(step_due__isnull=False, step_due__lte=soon)
        .select_related("unit", "window_unit", "enterprise")
        .order_by("id")
    )
    holders = Holders()
    items = {OVERDUE: [], DUE_SOON: []}
    for case in cases.iterator(chunk_size=500):
        level = OVERDUE if case.step_due < today else DUE_SOON
        people = holders.of(case)
        if people:
            items[level].append(notice_for(case, level, people))
    return {level: notify_many(batch) for level, batch in items.items()}


def scan_fulfilments_summary() -> str:
    """The scan as the task worker runs it, in one line."""
    sent = scan_fulfilments()
    return _("兑现件逾期提醒 %(overdue)s；即将到期提醒 %(soon)s") % {"overdue": sent[OVERDUE], "soon": sent[DUE_SOON]}
