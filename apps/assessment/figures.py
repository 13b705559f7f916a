"""Figures of the assessment as they read, on pages and in bulletins: counts as 个, amounts in 万元/亿元,
rates and completion as %."""

from decimal import Decimal

from django.utils.translation import gettext as _

from apps.core.templatetags.amounts import wan_yuan


def figure(value, kind: str) -> str:
    """A metric's figure by its kind (count / amount / rate)."""
    if value in (None, ""):
        return "—"
    number = Decimal(value)
    if kind == "amount":
        return wan_yuan(number)
    if kind == "rate":
        return f"{number:.1f}%"
    return _("%(n)s 个") % {"n": f"{number.normalize():f}"}


def percent(value) -> str:
    """A share (0.8534) as 85.3%; "—" when there is none (no target)."""
    if value in (None, ""):
        return "—"
    return f"{Decimal(value) * 100:.1f}%"


def arrow(change: str) -> str:
    return {"up": "↑", "down": "↓", "same": "→"}.get(change, _("新"))
