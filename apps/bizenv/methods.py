"""What each scoring method needs: the names of its parameters in ``Indicator.parameters``.

- 前沿距离法 (frontier): ``best`` and ``worst``, fixed for the version; the score is
  100 × (worst − y) / (worst − best), clipped to [0, 100]. For a lower-is-better indicator best < worst.
- 功效系数法 (efficacy): ``satisfactory`` (满意值) and ``unacceptable`` (不允许值);
  60 + 40 × (x − unacceptable) / (satisfactory − unacceptable).
- 标准值扣分法 (standard): ``standard`` (标准值 = full marks) and ``step`` (points deducted per unit
  of deviation on the worse side of the standard).
- 是否 (yes_no): none; yes scores 100, no scores 0.

Other keys (e.g. ``source``, where the values come from) are kept and ignored by the check.
"""

from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.bizenv.models import Indicator
from apps.core.errors import BusinessRuleError

PARAMETERS: dict[str, tuple[str, ...]] = {
    Indicator.Method.FRONTIER: ("best", "worst"),
    Indicator.Method.EFFICACY: ("satisfactory", "unacceptable"),
    Indicator.Method.STANDARD: ("standard", "step"),
    Indicator.Method.YES_NO: (),
}
LABELS = {
    "best": gettext_lazy("前沿最优值"),
    "worst": gettext_lazy("前沿最差值"),
    "satisfactory": gettext_lazy("满意值"),
    "unacceptable": gettext_lazy("不允许值"),
    "standard": gettext_lazy("标准值"),
    "step": gettext_lazy("每单位扣分"),
}
ALL_KEYS = tuple(LABELS)


def number(value) -> Decimal | None:
    """A finite number from a cell, a form or JSON; None for blank or not a number."""
    if value is None or isinstance(value, bool) or value == "":
        return None
    try:
        result = Decimal(str(value).strip().replace(",", ""))
    except InvalidOperation:
        return None
    return result if result.is_finite() else None


def clean_parameters(method: str, direction: str, parameters: dict, *, required: bool) -> dict:
    """The parameters with numbers as JSON numbers, or a Chinese refusal.

    ``required``: every parameter of the method must be given (a leaf indicator at publication); when
    False the method's parameters may all be absent (a parent scored from its sub-indicators), but not
    only some of them.
    """
    if method not in PARAMETERS:
        raise BusinessRuleError(_("未知的计分方法。"), field="method")
    names = PARAMETERS[method]
    cleaned = {key: value for key, value in (parameters or {}).items() if key not in ALL_KEYS}
    given = {name: parameters.get(name) for name in names if (parameters or {}).get(name) not in (None, "")}
    if not given and not required:
        return cleaned
    missing = [str(LABELS[name]) for name in names if name not in given]
    if missing:
        raise BusinessRuleError(_("计分方法需要参数：%(names)s。") % {"names": "、".join(missing)}, field="parameters")
    for name, value in given.items():
        parsed = number(value)
        if parsed is None:
            raise BusinessRuleError(_("“%(name)s”须为数字。") % {"name": LABELS[name]}, field="parameters")
        cleaned[name] = int(parsed) if parsed == parsed.to_integral_value() else float(parsed)
    _check_order(method, direction, cleaned)
    return cleaned


def _check_order(method: str, direction: str, values: dict) -> None:
    lower = direction == Indicator.Direction.LOWER_BETTER
    if method == Indicator.Method.FRONTIER:
        good, bad = values["best"], values["worst"]
        if good == bad or (good < bad) != lower:
            raise BusinessRuleError(
                _("前沿最优值须%(side)s前沿最差值。") % {"side": _("小于") if lower else _("大于")}, field="parameters"
            )
    elif method == Indicator.Method.EFFICACY:
        good, bad = values["satisfactory"], values["unacceptable"]
        if good == bad or (good < bad) != lower:
            raise BusinessRuleError(
                _("满意值须%(side)s不允许值。") % {"side": _("小于") if lower else _("大于")}, field="parameters"
            )
    elif method == Indicator.Method.STANDARD and values["step"] < 0:
        raise BusinessRuleError(_("每单位扣分不能为负数。"), field="parameters")
