"""What the policies app shows on an enterprise's page (apps/enterprises/links.py)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from apps.enterprises.links import LinkedRecord, LinkSection
from apps.policies import permissions
from apps.policies.services.eligibility import eligible_items

#: reasons shown per item on the enterprise's page (the item's page explains in full)
REASON_CHARS = 160


def eligible_section(enterprise, user):
    """可享受的惠企政策: the in-force items whose rule the enterprise meets today, with the reasons."""
    if not user.has_perm(permissions.VIEW_POLICY) or getattr(user, "unit", None) is None:
        return None
    found = eligible_items(enterprise)
    records = []
    for match in found:
        item = match.item
        reasons = "；".join(line.text for line in match.explanation.lines if line.passed)
        label = f"{item.policy.title} {item.number} {item.title}"
        if item.auto_grant:
            label += _("（免申即享）")
        detail = reasons if len(reasons) <= REASON_CHARS else reasons[: REASON_CHARS - 1] + "…"
        records.append(LinkedRecord(label, reverse("policies:item_matches", args=[item.pk]), detail))
    return LinkSection(_("可享受的惠企政策"), records, total=len(records))
