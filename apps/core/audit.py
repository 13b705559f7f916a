"""Audit helpers: who did it (for service calls outside a request) and sensitive reads.

Changes to registered models are recorded by django-auditlog. In a web request its middleware
names the actor; services called from a command, a task or an import name the actor with
``@records_actor``, which takes it from their ``by`` argument.
"""

import functools
from collections.abc import Callable, Sequence
from contextlib import contextmanager

from auditlog.cid import get_cid
from auditlog.context import auditlog_value, set_actor
from auditlog.diff import model_instance_diff
from auditlog.middleware import AuditlogMiddleware
from auditlog.models import LogEntry
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
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


def record_created(objects: Sequence[models.Model], *, batch_size: int = 2000) -> int:
    """The audit entries of rows made with ``bulk_create`` (which sends no signal to django-auditlog): the same
    CREATE entry, with every field's value, that saving each row would have written, in bulk. The rows must have
    their primary keys (PostgreSQL and SQLite return them from bulk_create). No actor: the bulk writers are batch
    jobs (the policy matcher), whose own records say which run made the rows."""
    if not objects:
        return 0
    content_type = ContentType.objects.get_for_model(objects[0])
    cid = get_cid()
    entries = [
        LogEntry(
            content_type=content_type,
            object_pk=str(obj.pk),
            object_id=obj.pk if isinstance(obj.pk, int) else None,
            object_repr=str(obj),
            action=LogEntry.Action.CREATE,
            changes=model_instance_diff(None, obj, use_json_for_changes=settings.AUDITLOG_STORE_JSON_CHANGES),
            cid=cid,
        )
        for obj in objects
    ]
    LogEntry.objects.bulk_create(entries, batch_size=batch_size)
    return len(entries)
