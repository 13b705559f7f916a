"""URL-walker samples of the credit lists: city-wide public information (shared records), the marker in the
reason and the document number."""

import itertools
from datetime import date

from django.core.files.base import ContentFile

from apps.core.tests.samples import sample
from apps.enterprises.models import Enterprise
from apps.org.models import Unit, User
from apps.supervision.models import CreditEffectRule, CreditEntry, CreditRepair

_numbers = itertools.count(1)


@sample(CreditEntry, shared=True)
def make_credit_entry_sample(unit: Unit, marker: str) -> CreditEntry:
    enterprise = Enterprise.objects.create(name=f"信用样本{next(_numbers)}号有限公司")
    return CreditEntry.objects.create(
        enterprise=enterprise, kind="black", source="court", reason=marker, legal_basis=marker,
        document_number=marker, decided_on=date(2026, 1, 5), effective_from=date(2026, 1, 5), recording_unit=unit,
    )  # fmt: skip


@sample(CreditRepair, shared=True)
def make_credit_repair_sample(unit: Unit, marker: str) -> CreditRepair:
    entry = make_credit_entry_sample(unit, marker)
    person = User.objects.create(username=f"credit-repair-{next(_numbers)}", unit=unit, name="修复申请人")
    return CreditRepair.objects.create(
        entry=entry, reason=marker, evidence=ContentFile(b"%PDF-1.4", name="xf.pdf"), requested_by=person
    )


@sample(CreditEffectRule, shared=True)
def make_credit_rule_sample(unit: Unit, marker: str) -> CreditEffectRule:
    rule, _created = CreditEffectRule.objects.update_or_create(
        kind="black", place="display", defaults={"effect": "flag", "basis": marker}
    )
    return rule
