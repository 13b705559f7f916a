"""URL-walker samples of the policies app: documents and items are city-wide reference records (shared); a
fulfilment case belongs to its responsible department, with the marker in its contact name (enterprise names are
public)."""

import itertools
from datetime import date

from django.core.files.base import ContentFile

from apps.core.tests.samples import sample
from apps.enterprises.models import Enterprise
from apps.org.models import Unit, User
from apps.policies.models import Fulfilment, FulfilmentEvent, FulfilmentMaterial, MatchRun, Policy, PolicyItem

_numbers = itertools.count(1)


@sample(Policy, shared=True)
def make_policy_sample(unit: Unit, marker: str) -> Policy:
    return Policy.objects.create(
        title=marker, document_number=f"{marker}〔2026〕{next(_numbers)}号", issuing_unit=unit,
        issued_on=date(2026, 1, 5), effective_from=date(2026, 1, 5),
    )  # fmt: skip


@sample(PolicyItem, shared=True)
def make_item_sample(unit: Unit, marker: str) -> PolicyItem:
    policy = make_policy_sample(unit, marker)
    return PolicyItem.objects.create(
        policy=policy, number="第一条", title=marker, benefit_kind="subsidy", benefit=marker, beneficiaries=marker,
        conditions=marker, department=unit,
    )  # fmt: skip


@sample(Fulfilment)
def make_fulfilment_sample(unit: Unit, marker: str) -> Fulfilment:
    item = make_item_sample(unit, f"条款样本{next(_numbers)}")
    enterprise = Enterprise.objects.create(name=f"兑现样本企业{next(_numbers)}号")
    return Fulfilment.objects.create(
        number=f"ZC{next(_numbers):08d}", item=item, enterprise=enterprise, unit=unit, channel="window",
        state="submitted", contact_name=marker, voucher=ContentFile(b"%PDF-1.4", name="pz.pdf"),
    )  # fmt: skip


@sample(FulfilmentEvent)
def make_event_sample(unit: Unit, marker: str) -> FulfilmentEvent:
    fulfilment = make_fulfilment_sample(unit, marker)
    return FulfilmentEvent.objects.create(fulfilment=fulfilment, action="submit", to_state="submitted", note=marker)


@sample(FulfilmentMaterial)
def make_material_sample(unit: Unit, marker: str) -> FulfilmentMaterial:
    fulfilment = make_fulfilment_sample(unit, marker)
    person = User.objects.create(username=f"policy-material-{next(_numbers)}", unit=unit, name="材料上传人")
    return FulfilmentMaterial.objects.create(
        fulfilment=fulfilment, name=marker, file=ContentFile(b"%PDF-1.4", name="cl.pdf"), uploaded_by=person
    )


@sample(MatchRun, shared=True)
def make_match_run_sample(unit: Unit, marker: str) -> MatchRun:
    return MatchRun.objects.create(status="finished", stage=marker)
