"""A sample for the URL walker that the KPI pages count: a signed project with funds in place this month."""

import itertools
from decimal import Decimal

from django.utils import timezone

from apps.core.tests.samples import sample
from apps.enterprises.tests.factories import make_enterprise
from apps.investment.models import Channel, FundRecord, Project, Stage
from apps.org.models import Unit, User

_serial = itertools.count(1)


@sample(FundRecord)
def make_fund_record_sample(unit: Unit, marker: str) -> FundRecord:
    """The project carries the marker as its name, so a drill-down that leaks it shows the marker."""
    serial = next(_serial)
    user = User.objects.create(username=f"kpi-sample-{serial}", unit=unit, name=f"指标样本填报人{serial}")
    today = timezone.localdate()
    project = Project.objects.create(
        code=f"KPI-SAMPLE-{serial}",
        name=marker,
        unit=unit,
        enterprise=make_enterprise(f"示范市指标样本第{serial}号科技有限公司"),
        channel=Channel.PROFESSIONAL,
        contracted_investment=Decimal(20000),
        stage=Stage.STARTED,
        counted_stage=Stage.STARTED,
        signed_on=today,
        started_on=today,
        investor_out_of_province=True,
        investor_foreign=True,
        created_by=user,
    )
    return FundRecord.objects.create(
        project=project,
        month=today.replace(day=1),
        amount=Decimal(5000),
        out_of_province=Decimal(3000),
        foreign=Decimal(1000),
        note=marker,
        entered_by=user,
    )
