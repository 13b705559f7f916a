"""Sensitive reads for the audit trail (changes are recorded by django-auditlog on registered models)."""

from auditlog.models import LogEntry
from django.db import models


def record_access(obj: models.Model, *, by, what: str, **details: object) -> LogEntry:
    """Record that ``by`` read something sensitive about ``obj`` (unmasked data, an export)."""
    return LogEntry.objects.log_create(
        obj,
        force_log=True,
        action=LogEntry.Action.ACCESS,
        actor=by,
        changes={},
        additional_data={"what": what, **details},
    )
