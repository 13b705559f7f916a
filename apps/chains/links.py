"""What the chains app shows on an enterprise's page (apps/enterprises/links.py): the links it is placed on."""

from django.urls import reverse
from django.utils.translation import gettext as _

from apps.chains import permissions
from apps.chains.models import Placement
from apps.enterprises.links import LinkedRecord, LinkSection


def placement_section(enterprise, user):
    """所在产业链环节: the enterprise's confirmed and suggested placements, chain leaders first."""
    if not permissions.can_view(user):
        return None
    placements = (
        Placement.objects.filter(enterprise=enterprise)
        .exclude(status=Placement.Status.REJECTED)
        .select_related("link__chain")
        .order_by("-is_chain_leader", "status", "link__chain__order", "link__order", "pk")
    )
    records = [_record(placement) for placement in placements]
    if not records:
        return None
    return LinkSection(_("所在产业链环节"), records, total=len(records))


def _record(placement: Placement) -> LinkedRecord:
    label = f"{placement.link.chain.name} · {placement.link.name}"
    if placement.is_chain_leader:
        label += _("（链主）")
    status = placement.get_status_display()
    detail = f"{status}：{'；'.join(placement.reasons)}" if placement.reasons else status
    return LinkedRecord(label, reverse("chains:link_detail", args=[placement.link_id]), detail)
