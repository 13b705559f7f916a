from apps.chains.models.chains import Chain, Link, Segment
from apps.chains.models.placements import LinkLead, Placement

__all__ = ["Chain", "Link", "LinkLead", "Placement", "Segment"]
