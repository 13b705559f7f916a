"""Audit helpers: who did it (for service calls outside a request) and sensitive reads.

Changes to registered models are recorded by django-auditlog. In a web request its middleware
names the actor; services called from a command, a task or an import name the actor with
``@records_actor``, which takes it from their ``by`` argument.
"""

import functools
from collections.abc import Callable
from contextlib import contextmanager

from auditlog.context import auditlog_value, set_actor
from auditlog.middleware import AuditlogMiddleware
from auditlog.models import LogEntry
from django.db import models

from apps.core.http import client_ip


class ClientAddressAuditlogMiddleware(AuditlogMiddleware):
    """Records the same client address the login lockout uses (a forged X-Forwarded-For is ignored)."""

    @staticmethod
    def _get_remote_addr(request):
        return client_ip(request)


@contextmanager
def acting_as(by):
    """Changes made inside are recorded as made by ``by``, from the current request's address if any."""
    current = auditlog_value.get(None)
    if by is None:
        yield
        return
    try:
        with set_actor(by, remote_addr=current.get("remote_addr") if current else None):
            yield
    finally:
        if current is not None:
            auditlog_value.set(current)  # set_actor does not restore the request's own context


def records_actor(service: Callable) -> Callable:
    """Decorator for services: the keyword argument ``by`` becomes the audit entries' actor."""

    @functools.wraps(service)
    def wrapper(*args, **kwargs):
        with acting_as(kwargs.get("by")):
            return service(*args, **kwargs)

    return wrapper


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
