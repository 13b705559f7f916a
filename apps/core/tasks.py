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
