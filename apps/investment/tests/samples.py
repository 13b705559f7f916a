import itertools
from datetime import timedelta

from django.core.files.base import ContentFile
from django.utils import timezone

from apps.core.tests.samples import sample
from apps.enterprises.tests.factories import make_enterprise
from apps.investment.models import Claim, ClaimConflict, Project, ProjectDocument, ScreeningRule
from apps.investment.services.projects import register_lead
from apps.org.models import Unit, User

_serial = itertools.count(1)


def _user(unit: Unit) -> User:
    return User.objects.create(username=f"recorder{next(_serial)}", unit=unit, name="样本登记人")


@sample(Project)
def make_project_sample(unit: Unit, marker: str) -> Project:
    enterprise = make_enterprise(f"项目样本{next(_serial)}号科技有限公司")
    return register_lead(enterprise=enterprise, unit=unit, by=_user(unit), name=marker, channel="professional").project


@sample(ProjectDocument)
def make_document_sample(unit: Unit, marker: str) -> ProjectDocument:
    project = make_project_sample(unit, marker)
    return ProjectDocument.objects.create(
        project=project,
        kind=ProjectDocument.Kind.CONTRACT,
        title=marker,
        file=ContentFile(b"%PDF-1.4 sample", name="sample.pdf"),
        uploaded_by=project.created_by,
    )


@sample(ClaimConflict)
def make_conflict_sample(unit: Unit, marker: str) -> ClaimConflict:
    """A conflict between two projects of the unit's own subtree; the marker is the coordinator's note."""
    enterprise = make_enterprise(f"协调样本{next(_serial)}号有限公司")
    holder_project = register_lead(
        enterprise=enterprise, unit=unit, by=_user(unit), name=marker, channel="other"
    ).project
    holder = Claim.objects.get(project=holder_project)
    challenger_project = Project.objects.create(
        code=f"SAMPLE{next(_serial)}", name=marker, unit=unit, enterprise=enterprise, channel="other",
        created_by=holder_project.created_by,
    )  # fmt: skip
    today = timezone.localdate()
    challenger = Claim.objects.create(
        enterprise=enterprise, unit=unit, project=challenger_project, status=Claim.Status.WAITING,
        starts_on=today, expires_on=today + timedelta(days=180),
    )  # fmt: skip
    return ClaimConflict.objects.create(enterprise=enterprise, holder=holder, challenger=challenger, note=marker)


@sample(ScreeningRule, shared=True)
def make_screening_rule_sample(unit: Unit, marker: str) -> ScreeningRule:
    """Screening rules are the city's: every administrator of the pipeline sees them."""
    return ScreeningRule.objects.create(name=marker, kind="negative_list", action="warn", keywords="样本")
