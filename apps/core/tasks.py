"""Background work shared by every app: the scheduled scans, run by the task worker."""

import logging

from django_tasks import task

logger = logging.getLogger(__name__)


@task()
def run_scheduled_scan(name: str) -> str:
    """Run one registered scan (apps/core/scans.py) and log what it did."""
    from apps.core.scans import run_scan

    outcome = run_scan(name)
    logger.info("scan %s: %s", name, outcome)
    return outcome


@task()
def deliver_notices() -> str:
    """Send the notice deliveries that are due (e-mail, group robots); retries are picked up by later runs."""
    from apps.core.notice_delivery import deliver_due

    outcome = deliver_due()
    logger.info("notice deliveries: %s", outcome)
    return str(outcome)
