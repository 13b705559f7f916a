"""Amounts as Chinese offices write them: 万元 below one 亿, 亿元 from there (500 万元, 12.5 亿元)."""

from decimal import Decimal, InvalidOperation

from django import template
from django.utils.translation import gettext as _

register = template.Library()
WAN_PER_YI = Decimal(10000)


@register.filter
def wan_yuan(value) -> str:
    """An amount held in 万元, written with its unit; "" for no amount."""
    if value in (None, ""):
        return ""
    try:
        amount = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        return str(value)
    if abs(amount) >= WAN_PER_YI:
        return _("%(amount)s 亿元") % {"amount": _trim(amount / WAN_PER_YI, 2)}
    return _("%(amount)s 万元") % {"amount": _trim(amount, 2)}


def _trim(amount: Decimal, places: int) -> str:
    text = f"{amount:,.{places}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text
