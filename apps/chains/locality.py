"""Which enterprises are local: registered in the deployment's city (its division code's first four digits).

The city is the root unit of kind CITY; its six-digit division code (e.g. 990100) gives the prefix 9901 that
every county and district code of the city shares. Enterprises outside the prefix (and those with no registered
region, which cannot be shown to be local) are the outside pool that target recommendations draw on.
"""

from django.db.models import Q

from apps.org.models import Unit


def city_prefix() -> str:
    """The four-digit division prefix of the city ('' when the city has no division code)."""
    code = Unit.objects.filter(kind=Unit.Kind.CITY).values_list("code", flat=True).first() or ""
    return code[:4] if code[:6].isdigit() else ""


def local_condition(prefix: str | None = None, *, through: str = "") -> Q:
    """Enterprises registered in the city; ``through`` names the relation from another model ("enterprise__")."""
    prefix = city_prefix() if prefix is None else prefix
    if not prefix:
        return Q(**{f"{through}pk__in": []})
    return Q(**{f"{through}region_code__startswith": prefix})


def outside_condition(prefix: str | None = None, *, through: str = "") -> Q:
    """Enterprises registered outside the city (the target pool)."""
    prefix = city_prefix() if prefix is None else prefix
    return ~Q(**{f"{through}region_code__startswith": prefix}) if prefix else Q()
