"""Scheduled scans (定时扫描): idempotent jobs that each app registers in AppConfig.ready().

Once a working day, cron or a systemd timer runs ``manage.py enqueue_scans``, which puts one task per
scan on the task worker's queue (docs/deploy.md). Every scan can also be run at once through its own
management command. A scan must be safe to run twice: the second run changes nothing and sends nothing.
"""

from collections.abc import Callable

#: name → a function that runs the scan and says in one line what it did
_scans: dict[str, Callable[[], str]] = {}


def register(name: str, run: Callable[[], str]) -> None:
    _scans[name] = run


def names() -> list[str]:
    return sorted(_scans)


def run_scan(name: str) -> str:
    """Run one registered scan; unknown names are an error (a typo in a schedule must not pass silently)."""
    return _scans[name]()
