"""Who sees and keeps the business-environment evaluation.

The indicator system is city-wide reference data: everyone holding the read permission sees every
version (there is no unit scope to apply). Only the business-environment bureau's keepers
(MANAGE_METHODOLOGY) change a draft version, publish it or copy it into a new one.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404

from apps.bizenv.models import Case, Commitment, Entry, Indicator, Methodology, Result, Round, Score
from apps.org.models import Unit

VIEW_METHODOLOGY = "bizenv.view_methodology"
MANAGE_METHODOLOGY = "bizenv.manage_methodology"
VIEW_ROUND = "bizenv.view_round"
MANAGE_ROUND = "bizenv.manage_round"
ENTER_VALUE = "bizenv.enter_value"
VIEW_ALL_RESULTS = "bizenv.view_all_results"


def visible_methodologies(user):
    """Every version for a live user (shared data: no unit scope); pages still check VIEW_METHODOLOGY (403)."""
    if not (user.is_authenticated and user.is_active):
        return Methodology.objects.none()
    return Methodology.objects.all()


def visible_indicators(user):
    return Indicator.objects.filter(methodology__in=visible_methodologies(user))


def can_manage(user) -> bool:
    return user.is_authenticated and user.is_active and user.has_perm(MANAGE_METHODOLOGY)


def get_for_user(queryset, user, pk: int, *, permission: str = VIEW_METHODOLOGY):
    """A record of the visible queryset (404 otherwise) that the user holds the permission for (403)."""
    record = queryset.filter(pk=pk).first()
    if record is None:
        raise Http404
    if not user.has_perm(permission):
        raise PermissionDenied
    return record


# --- evaluation rounds ----------------------------------------------------------------------------------------
#
# Rounds are city-wide (every holder of VIEW_ROUND sees the list). The organiser (MANAGE_ROUND) and holders of
# VIEW_ALL_RESULTS (leaders), when they work at city level, see every county's values and results at any time;
# in a county the same permissions stop at the data scope. A lead unit sees the values
# of the indicators it leads. A county sees its own values, and its results once the round is published; the
# other counties' results only when the round's disclosure is city-wide.


def _live(user) -> bool:
    return user.is_authenticated and user.is_active and getattr(user, "unit", None) is not None


def can_manage_rounds(user) -> bool:
    return _live(user) and user.has_perm(MANAGE_ROUND) and _city_level(user.unit)


def _city_level(unit: Unit) -> bool:
    """The unit sits in no county, zone or town (the city itself or a city department)."""
    return unit.is_city_level


def sees_all(user) -> bool:
    """The organiser and the city's leaders: city-level people holding the permission see every county."""
    allowed = _live(user) and (user.has_perm(MANAGE_ROUND) or user.has_perm(VIEW_ALL_RESULTS))
    return allowed and _city_level(user.unit)


def visible_rounds(user):
    return Round.objects.all() if _live(user) else Round.objects.none()


def leads(user, indicator: Indicator) -> bool:
    """The user works in the indicator's lead unit (or above it) and may enter values."""
    lead = indicator.lead_unit
    return _live(user) and user.has_perm(ENTER_VALUE) and lead is not None and lead.path.startswith(user.unit.path)


def visible_entries(user, round_: Round):
    entries = Entry.objects.filter(round=round_)
    return entries if sees_all(user) else entries.visible_to(user)


def _published_scope(user, round_: Round, queryset):
    if sees_all(user):
        return queryset
    if not round_.is_published:
        return queryset.none()
    if round_.disclosure == Round.Disclosure.CITY_WIDE:
        return queryset if _live(user) else queryset.none()
    return queryset.visible_to(user)


def visible_results(user, round_: Round):
    """The counties' overall results the user may read in this round."""
    return _published_scope(user, round_, Result.objects.filter(round=round_))


def visible_scores(user, round_: Round):
    """Indicator scores: as the results, plus (by the scope's participants) the indicators a unit leads."""
    return _published_scope(user, round_, Score.objects.filter(round=round_))


def require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


# --- time-limit commitments (承诺时限) ----------------------------------------------------------------------
#
# Commitments are city-wide (published times): everyone holding VIEW_CASE reads them. Cases belong to the
# area (city, county or zone) that handled them: a county sees its own, a department the cases it owns a
# step of, the business-environment bureau (MANAGE_COMMITMENT) every case. RECORD_CASE records and corrects
# cases in the user's subtree or taking part; MANAGE_COMMITMENT keeps the commitments and their chains.

VIEW_CASE = "bizenv.view_case"
RECORD_CASE = "bizenv.record_case"
MANAGE_COMMITMENT = "bizenv.manage_commitment"
#: the kinds of unit a case is handled in (市本级, 区县, 开发区)
CASE_UNIT_KINDS = ("city", "county", "zone")


def _staff(user) -> bool:
    return user.is_authenticated and user.is_active and getattr(user, "unit", None) is not None


def _at_city_level(user) -> bool:
    """The user works for the city itself or a city department, not inside a county, zone or town."""
    return user.unit.is_city_level


def can_manage_commitments(user) -> bool:
    """The city's business-environment bureau: keeps the commitments and sees every case (a keeper placed in a
    county keeps nothing city-wide)."""
    return _staff(user) and user.has_perm(MANAGE_COMMITMENT) and _at_city_level(user)


def commitment_departments(user):
    """Departments to name on a commitment's chain: the city's own and those in the user's subtree."""
    from apps.org.models import Unit

    if not _staff(user):
        return Unit.objects.none()
    city_level = Q(depth=2) | Q(path__startswith=user.unit.path)
    return Unit.objects.filter(city_level, kind="department", is_active=True).order_by("path")


def visible_commitments(user):
    """Every commitment for a live user (published times, no unit scope); pages check VIEW_CASE."""
    if not (user.is_authenticated and user.is_active):
        return Commitment.objects.none()
    return Commitment.objects.all()


def visible_cases(user):
    """Every case for the bureau; otherwise the user's subtree's cases and those it owns a step of."""
    if can_manage_commitments(user):
        return Case.objects.all()
    return Case.objects.visible_to(user) if _staff(user) else Case.objects.none()


def case_units(user):
    """The areas the user may record cases for: 市本级, counties and zones, in their subtree (all for the bureau)."""
    from apps.org.models import Unit

    units = Unit.objects.filter(kind__in=CASE_UNIT_KINDS, is_active=True)
    if can_manage_commitments(user):
        return units
    if not (_staff(user) and user.has_perm(RECORD_CASE)):
        return units.none()
    return units.filter(path__startswith=user.unit.path)


def can_record_in(user, unit) -> bool:
    """The user may record a new case handled in ``unit``."""
    return case_units(user).filter(pk=unit.pk).exists()


def can_record(user, case: Case) -> bool:
    """The user may correct the case and explain its delay: bureau, or RECORD_CASE and the case in scope."""
    if can_manage_commitments(user):
        return True
    return _staff(user) and user.has_perm(RECORD_CASE) and visible_cases(user).filter(pk=case.pk).exists()
