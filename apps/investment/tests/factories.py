import itertools
from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from apps.enterprises.models import Industry
from apps.enterprises.tests.factories import make_enterprise
from apps.investment.models import Channel, ProjectDocument, Stage
from apps.investment.services.projects import add_document, register_lead
from apps.investment.services.workflow import advance_project, confirm_stage

_serial = itertools.count(1)


def lead(by, *, unit=None, enterprise=None, **details):
    """A registered lead of ``by``'s unit on a fresh enterprise (or the one given)."""
    enterprise = enterprise or make_enterprise(f"示范市第{next(_serial)}号测试科技有限公司")
    details.setdefault("name", f"{enterprise.name}新建项目")
    details.setdefault("channel", Channel.PROFESSIONAL)
    return register_lead(enterprise=enterprise, unit=unit or by.unit, by=by, responded=True, **details).project


SIGNING_DETAILS = {"contracted_investment": Decimal(50000), "land_area": Decimal(100)}


def ready_to_sign(project, by):
    """Fill what the default gates ask for up to signing (industry, amounts, land, the contract)."""
    project.industry = Industry.objects.get(code="39")
    project.planned_investment = Decimal(60000)
    for name, value in SIGNING_DETAILS.items():
        setattr(project, name, value)
    project.fixed_asset_investment = Decimal(40000)
    project.save()
    for kind in (ProjectDocument.Kind.CONTRACT, ProjectDocument.Kind.START_PHOTO):
        add_document(project=project, kind=kind, upload=_file(), by=by)
    return project


def _file():
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("证明.pdf", b"%PDF-1.4 test", content_type="application/pdf")


def advance_to(project, stage: Stage, *, by, confirmer=None, start: date | None = None):
    """Advance step by step to ``stage``, a day apart, confirming each step that waits for it."""
    day = start or timezone.localdate() - timedelta(days=30)
    while Stage(project.stage).rank < Stage(stage).rank:
        change = advance_project(project=project, happened_on=day, by=by)
        if change.approval == "pending" and confirmer is not None:
            confirm_stage(change=change, by=confirmer)
        day += timedelta(days=1)
    project.refresh_from_db()
    return project
