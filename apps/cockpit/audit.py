from auditlog.registry import auditlog


def register_models() -> None:
    """Every uploaded map and its activation is recorded: the cockpit of every leader draws from it."""
    from apps.cockpit.models import RegionMap

    auditlog.register(RegionMap, exclude_fields=["geojson"])
