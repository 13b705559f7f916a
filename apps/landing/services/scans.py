"""The daily landing scan: reviews past their deadline close, overdue steps and problems are escalated.

Each part is idempotent (it marks what it has handled and notices carry an event key), so running
the scan twice sends one notice per event.
"""

from datetime import date

from django.utils import timezone


def scan_landing(*, today: date | None = None) -> dict[str, int]:
    """Run every part of the scan; returns how many records each part handled."""
    today = today or timezone.localdate()
    counts: dict[str, int] = {}
    # ---- reviews ----
    from apps.landing.services.reviews import close_expired_reviews

    counts["联审到期结束"] = close_expired_reviews(today=today)
    # ---- end reviews ----
    # ---- checklists ----
    from apps.landing.services.checklists import escalate_overdue_steps

    counts["逾期手续"] = escalate_overdue_steps(today=today)
    # ---- end checklists ----
    # ---- task forces and problems ----
    from apps.landing.services.problems import escalate_overdue_problems

    counts["逾期问题升级"] = escalate_overdue_problems(today=today)
    # ---- end task forces and problems ----
    return counts


def scan_landing_summary() -> str:
    """The scan as the task worker runs it, in one line."""
    counts = scan_landing()
    return "；".join(f"{name} {count}" for name, count in counts.items()) or "无待处理事项"
