"""The monthly fund totals behind the KPI page (到位资金汇总), kept so that the page reads a few thousand rows
instead of every fund record.

Derived data: services/kpi_rollup.py rebuilds a unit's rows from its projects' FundRecords whenever
a write can change them; nothing here is entered by hand, and it is not audited (the records are).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

AMOUNT = {"max_digits": 16, "decimal_places": 2, "default": 0}


class FundMonthTotal(models.Model):
    """The funds in place of one unit's counted projects in one month, by the projects' signing month.

    Only projects that count hold funds here: confirmed at 签约 or later and not 不纳入招商统计.
    ``new_signing`` is the 不重复统计 test of a signing (a new project, or an expansion or upgrade with
    an increment), so that 当期签约项目到位资金 is a sum of these rows too.
    """

    unit = models.ForeignKey("org.Unit", verbose_name=_("责任单位"), on_delete=models.CASCADE, related_name="+")
    month = models.DateField(_("月份"), help_text=_("该月第一天"))
    signed_month = models.DateField(_("签约月份"), null=True, help_text=_("项目签约日期所在月的第一天"))
    new_signing = models.BooleanField(_("计入签约"))
    amount = models.DecimalField(_("到位资金（万元）"), **AMOUNT)
    out_of_province = models.DecimalField(_("其中省外资金（万元）"), **AMOUNT)
    foreign = models.DecimalField(_("其中外资（万元）"), **AMOUNT)
    fixed_asset = models.DecimalField(_("完成固定资产投资（万元）"), **AMOUNT)
    projects = models.PositiveIntegerField(_("项目数"), default=0)

    class Meta:
        verbose_name = _("到位资金月度汇总")
        verbose_name_plural = _("到位资金月度汇总")
        constraints = [
            # also the index of a unit's refresh (delete by unit) and of the KPI page's read by unit
            models.UniqueConstraint(
                fields=["unit", "month", "signed_month", "new_signing"], name="one_fund_total_per_group"
            )
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} · {self.month:%Y-%m}"
