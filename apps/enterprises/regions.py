"""The deployment's own divisions as regions for the name normaliser: its city, counties and zones."""

from django.db import DatabaseError

from apps.org.models import Unit

AREA_KINDS = (Unit.Kind.CITY, Unit.Kind.COUNTY, Unit.Kind.ZONE)


def local_regions() -> list[tuple[str, str]]:
    """(code, name) of every area unit with a six-digit division code; none before the tables exist."""
    try:
        units = list(Unit.objects.filter(kind__in=AREA_KINDS, code__regex=r"^\d{6}$").values_list("code", "name"))
    except DatabaseError:
        return []
    return units
