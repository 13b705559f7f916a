"""URL-walker samples of the target part: a lead opened for a link belongs to its project's unit, with the marker
in the project's name (the link and its chain are city-wide, named after the marker too)."""

import itertools

from apps.chains.models import Chain, Link, LinkLead, Segment
from apps.core.tests.samples import sample
from apps.enterprises.models import Enterprise
from apps.investment.models import Project
from apps.org.models import Unit, User

_numbers = itertools.count(1)


@sample(LinkLead)
def make_link_lead_sample(unit: Unit, marker: str) -> LinkLead:
    number = next(_numbers)
    chain = Chain.objects.create(name=f"线索样本链{number}")
    link = Link.objects.create(chain=chain, segment=Segment.UPSTREAM, name=f"线索样本环节{number}")
    person = User.objects.create(username=f"chain-lead-{number}", unit=unit, name="转线索人")
    enterprise = Enterprise.objects.create(name=f"线索样本企业{number}号", region_code="440305")
    project = Project.objects.create(
        code=f"LL{number:06d}", name=marker, unit=unit, enterprise=enterprise, channel="professional",
        created_by=person,
    )  # fmt: skip
    return LinkLead.objects.create(link=link, project=project, created_by=person)
