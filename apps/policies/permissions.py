"""Who reads and acts on policies and their fulfilment cases.

The registry (documents and items) is city-wide reference information: every holder of VIEW_POLICY reads it
all; the issuing unit's policy officers (or the city's policy office) edit a document. A fulfilment case belongs
to the item's responsible department and the window that recorded it takes part (the data scope); the city-level
offices that see every case are the policy office, the legal office and the payment window (their permission at
city level; the same permission inside a county stops at the county). Portal users act only on their own
enterprise's cases (``account_enterprise``). Out of scope is a 404 like a missing id; in scope without the right
is a 403.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from apps.org.models import Unit
from apps.policies.models import Fulfilment, Policy

VIEW_POLICY = "policies.view_policy"
MANAGE_POLICY = "policies.manage_policy"
RUN_MATCHING = "policies.run_matching"
VIEW_REVIEW = "policies.view_review"
VIEW_FULFILMENT = "policies.view_fulfilment"
APPLY = "policies.apply_fulfilment"
REVIEW = "policies.review_fulfilment"
LEGAL_REVIEW = "policies.legal_review_fulfilment"
PAY = "policies.pay_fulfilment"

#: holding one of these at city level shows every case
CITY_WIDE = (MANAGE_POLICY, LEGAL_REVIEW, PAY, VIEW_REVIEW)


def _live(user) -> bool:
    return user.is_authenticated and user.is_active and getattr(user, "unit", None) is not None


def in_unit(user, unit: Unit | None) -> bool:
    """The user works in the unit or a unit below it."""
    own = getattr(user, "unit", None)
    return own is not None and unit is not None and unit.path.startswith(own.path)


def sees_all(user) -> bool:
    """A city-level policy office, legal office or payment window (cached on the user for one request)."""
    cached = getattr(user, "_policies_sees_all", None)
    if cached is None:
        cached = _live(user) and user.unit.is_city_level and any(user.has_perm(perm) for perm in CITY_WIDE)
        user._policies_sees_all = cached
    return cached


def visible_fulfilments(user):
    """The cases the user may read: all for the city-wide offices, else the data scope."""
    if not _live(user) or not user.has_perm(VIEW_FULFILMENT):
        return Fulfilment.objects.none()
    if sees_all(user):
        return Fulfilment.objects.all()
    return Fulfilment.objects.visible_to(user)


def get_fulfilment_for_user(user, pk: int, *, permission: str = VIEW_FULFILMENT) -> Fulfilment:
    """A case of the user's scope (404 otherwise) that the user holds the permission for (403)."""
    fulfilment = visible_fulfilments(user).filter(pk=pk).first()
    if fulfilment is None:
        raise Http404
    if not user.has_perm(permission):
        raise PermissionDenied
    return fulfilment


def can_edit_policy(user, policy: Policy) -> bool:
    """The issuing unit's policy officers, or the city's policy office."""
    if not _live(user) or not user.has_perm(MANAGE_POLICY):
        return False
    return user.unit.is_city_level or in_unit(user, policy.issuing_unit)


def can_review(user, fulfilment: Fulfilment) -> bool:
    """The responsible department's reviewers (or a city-level policy office acting for it)."""
    if not _live(user) or not user.has_perm(REVIEW):
        return False
    return in_unit(user, fulfilment.unit) or (user.has_perm(MANAGE_POLICY) and user.unit.is_city_level)


def can_legal_review(user, fulfilment: Fulfilment) -> bool:
    return _live(user) and user.has_perm(LEGAL_REVIEW) and (sees_all(user) or in_unit(user, fulfilment.unit))


def can_pay(user, fulfilment: Fulfilment) -> bool:
    return _live(user) and user.has_perm(PAY) and (sees_all(user) or in_unit(user, fulfilment.window_unit))


def account_enterprise(user):
    """The enterprise a portal user acts for, or None (staff, or an account not yet linked)."""
    if not user.is_authenticated or not user.is_active or getattr(user, "unit", None) is not None:
        return None
    account = getattr(user, "enterprise_account", None)
    return account.enterprise if account is not None else None
