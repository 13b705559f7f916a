"""Helpers of the fulfilment tests: uploaded files, an application, a case moved along to a state."""

from datetime import timedelta
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from apps.policies.models import Fulfilment
from apps.policies.services import fulfilment as services
from apps.supervision.models import CreditEffectRule, CreditEntry


def pdf(name: str = "申请表.pdf", size: int = 0) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4 " + b"0" * size, content_type="application/pdf")


def submit_online(item, portal_user, **values) -> Fulfilment:
    enterprise = portal_user.enterprise_account.enterprise
    fields = {"contact_name": "张经理", "contact_phone": "13812345678", "declared_amount": Decimal("180"),
              "materials": [("申请表", pdf())], **values}  # fmt: skip
    return services.apply(item, enterprise, by=portal_user, channel=Fulfilment.Channel.ONLINE, **fields)


def submit_at_window(item, enterprise, window_officer, **values) -> Fulfilment:
    fields = {"contact_name": "李会计", "contact_phone": "13987654321", "declared_amount": Decimal("120"),
              "materials": [("申请表", pdf())], **values}  # fmt: skip
    return services.apply(item, enterprise, by=window_officer, channel=Fulfilment.Channel.WINDOW, **fields)


def to_legal_review(case, reviewer, amount=Decimal("150")) -> Fulfilment:
    return services.move(case, "propose", by=reviewer, amount=amount, note="材料齐全，符合条件")


def to_awaiting_payment(case, reviewer, legal, amount=Decimal("150")) -> Fulfilment:
    case = to_legal_review(case, reviewer, amount)
    return services.move(case, "pass", by=legal, amount=amount, note="合法合规")


def pay_fields(amount=Decimal("150"), **values) -> dict:
    return {"amount": amount, "paid_on": timezone.localdate(), "payment_method": "transfer",
            "voucher_number": "YH20260001", **values}  # fmt: skip


def black_list(enterprise, recording_unit) -> CreditEntry:
    """A court's black-list entry in force, with the rule that blocks a fulfilment."""
    CreditEffectRule.objects.update_or_create(
        kind="black", place="fulfilment", defaults={"effect": "block", "basis": "联合惩戒备忘录"}
    )
    decided = timezone.localdate() - timedelta(days=10)
    return CreditEntry.objects.create(
        enterprise=enterprise, kind="black", source="court", reason="拒不履行生效判决", legal_basis="失信被执行人规定",
        document_number="（2026）示01执9号", decided_on=decided, effective_from=decided, recording_unit=recording_unit,
    )  # fmt: skip
