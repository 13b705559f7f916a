from apps.chains.models.chains import Chain, Link, Segment
from apps.chains.models.placements import LinkLead, Placement
from apps.chains.models.runs import PlacementRun

__all__ = ["Chain", "Link", "LinkLead", "Placement", "PlacementRun", "Segment"]
