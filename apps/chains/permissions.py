"""Who reads and keeps the chain maps.

Chains, their links, placements and target recommendations are city-wide reference information: every holder of
VIEW_CHAIN reads them all (a county sees where the city is weak, and where its neighbours already work a link).
The investment bureau keeps the maps (MANAGE_CHAIN) and confirms where enterprises sit (PLACE_ENTERPRISE). Turning
a target into a lead is the investment pipeline's own act: it needs ``investment.add_project`` and the lead is the
user's unit's, under that pipeline's claim rules.
"""

VIEW_CHAIN = "chains.view_chain"
MANAGE_CHAIN = "chains.manage_chain"
PLACE_ENTERPRISE = "chains.place_enterprise"
ADD_LEAD = "investment.add_project"


def _staff(user) -> bool:
    return user.is_authenticated and user.is_active and getattr(user, "unit", None) is not None


def can_view(user) -> bool:
    return _staff(user) and user.has_perm(VIEW_CHAIN)


def can_manage(user) -> bool:
    return _staff(user) and user.has_perm(MANAGE_CHAIN)


def can_place(user) -> bool:
    return _staff(user) and user.has_perm(PLACE_ENTERPRISE)


def can_open_lead(user) -> bool:
    return _staff(user) and user.has_perm(VIEW_CHAIN) and user.has_perm(ADD_LEAD)
