"""Every error body has a ``detail`` key: DRF's own for 401/403/404/429, and for a 400 a summary with the
field errors beside it. A service's refusal (BusinessRuleError) is a 400 like the form error a page shows."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.views import exception_handler

from apps.core.errors import BusinessRuleError

NON_FIELD = "non_field_errors"


def _as_validation_error(exc: Exception) -> Exception:
    if isinstance(exc, BusinessRuleError):
        return exceptions.ValidationError({exc.field or NON_FIELD: [exc.message]})
    if isinstance(exc, DjangoValidationError):
        errors = exc.message_dict if hasattr(exc, "error_dict") else {NON_FIELD: exc.messages}
        return exceptions.ValidationError(errors)
    return exc


def _summary(errors) -> str:
    """The first message, so that a client showing only ``detail`` still says what is wrong."""
    while isinstance(errors, dict | list) and errors:
        errors = next(iter(errors.values())) if isinstance(errors, dict) else errors[0]
    return str(errors) if errors else _("提交的数据有误。")


def api_exception_handler(exc: Exception, context: dict):
    exc = _as_validation_error(exc)
    response = exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        errors = response.data if isinstance(response.data, dict) else {NON_FIELD: response.data}
        response.data = {"detail": _summary(errors), "errors": errors}
    elif not (isinstance(response.data, dict) and "detail" in response.data):
        response.data = {"detail": _summary(response.data)}
    return response
