"""Who opens the cockpit and who keeps its maps.

The cockpit shows figures only: each panel reads its domain's own scoped selectors, so a viewer sees there
exactly what the domain's pages would show them (a county its own county). VIEW_COCKPIT opens the page;
MANAGE_MAP uploads a region's GeoJSON and makes it the active map (the system administrator: a map is
reference data, not business data).
"""

VIEW_COCKPIT = "cockpit.view_cockpit"
MANAGE_MAP = "cockpit.manage_regionmap"


def _staff(user) -> bool:
    return user.is_authenticated and user.is_active and getattr(user, "unit", None) is not None


def can_view(user) -> bool:
    return _staff(user) and user.has_perm(VIEW_COCKPIT)


def can_manage_maps(user) -> bool:
    return _staff(user) and user.has_perm(MANAGE_MAP)


#: a panel is shown to those who may open the pages its figures link to
PANEL_PERMISSIONS = {
    "investment": "investment.view_kpi",
    "pipeline": "investment.view_project",
    "lights": "landing.view_checklist",
    "appeals": "appeals.view_appeal",
    "bizenv": "bizenv.view_round",
}


def panels_for(user) -> set[str]:
    """The panels the user may see."""
    return {panel for panel, permission in PANEL_PERMISSIONS.items() if user.has_perm(permission)}
