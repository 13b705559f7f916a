"""Who may see and act on tickets.

A ticket belongs to the unit that recorded it (the hotline centre or an area): that unit's subtree sees it,
and so do the units it is assigned to (the scope's participants). The hotline office (MANAGE_DISPATCH, in
the owning unit or above it) dispatches and reviews returns and extensions; only an assigned unit's
handler (HANDLE_APPEAL, working in that very unit) signs for, contacts and replies. Phone and ID numbers
are masked unless the user holds VIEW_PERSONAL_DATA, and every unmasked read is recorded.
"""

from dataclasses import dataclass

from django.http import Http404

from apps.appeals.models import Appeal, Assignment
from apps.core.audit import record_access

RECORD_APPEAL = "appeals.record_appeal"
MANAGE_DISPATCH = "appeals.manage_dispatch"
HANDLE_APPEAL = "appeals.handle_appeal"
FOLLOW_UP_APPEAL = "appeals.follow_up_appeal"
VIEW_PERSONAL_DATA = "appeals.view_appellant_data"


def _staff(user) -> bool:
    return user.is_authenticated and user.is_active and getattr(user, "unit", None) is not None


def visible_appeals(user):
    """Tickets of the user's subtree and those assigned to a unit in it."""
    return Appeal.objects.visible_to(user)


def get_appeal_for_user(user, pk: int) -> Appeal:
    """A ticket in the user's scope; 404 like a missing id otherwise."""
    appeal = visible_appeals(user).filter(pk=pk).first()
    if appeal is None:
        raise Http404
    return appeal


def acts_for_owner(user, appeal: Appeal, permission: str) -> bool:
    """The user holds ``permission`` in the ticket's owning unit or above it (the hotline office)."""
    return _staff(user) and user.has_perm(permission) and appeal.unit.path.startswith(user.unit.path)


def acts_for_assignment(user, assignment: Assignment) -> bool:
    """The user is a handler of the assigned unit itself."""
    return _staff(user) and user.has_perm(HANDLE_APPEAL) and user.unit_id == assignment.unit_id


@dataclass(frozen=True)
class Contact:
    name: str
    phone: str
    id_number: str
    masked: bool


def appellant_contact(user, appeal: Appeal) -> Contact:
    """The appellant's contact data as this user may see it; an unmasked read is recorded in the audit log."""
    if _staff(user) and user.has_perm(VIEW_PERSONAL_DATA):
        record_access(appeal, by=user, what="appellant_contact")
        return Contact(appeal.citizen_name, appeal.phone, appeal.id_number, masked=False)
    return Contact(appeal.citizen_name, appeal.masked_phone, appeal.masked_id_number, masked=True)


# ---- 企业评议部门 (anonymous evaluation of departments by enterprises) -----------------------------------------
# A campaign belongs to its organising unit; the departments it evaluates take part in it (the data scope).
# The organiser's people holding MANAGE_EVALUATION manage it and preview its results once closed; everyone else
# who sees it reads only the published results of the departments in their own subtree. Comments are reviewed
# by the organiser's REVIEW_EVALUATION_COMMENT holders.

VIEW_CAMPAIGN = "appeals.view_campaign"
MANAGE_EVALUATION = "appeals.manage_evaluation"
REVIEW_EVALUATION_COMMENT = "appeals.review_evaluation_comment"


def visible_campaigns(user):
    """Campaigns the user's subtree organises or is evaluated in."""
    from apps.appeals.models import Campaign

    return Campaign.objects.visible_to(user)


def get_campaign_for_user(user, pk: int, queryset=None):
    """A campaign in the user's scope; 404 like a missing id otherwise."""
    campaign = (visible_campaigns(user) if queryset is None else queryset).filter(pk=pk).first()
    if campaign is None:
        raise Http404
    return campaign


def can_organise_evaluations(user) -> bool:
    """May create campaigns (organised by the user's unit)."""
    return _staff(user) and user.has_perm(MANAGE_EVALUATION)


def can_manage_campaign(user, campaign) -> bool:
    """MANAGE_EVALUATION in the campaign's organising unit or above it."""
    return can_organise_evaluations(user) and campaign.unit.path.startswith(user.unit.path)


def result_departments(user, campaign) -> list | None:
    """Whose results the user may read: None for every department (the organiser), else the user's own."""
    if can_manage_campaign(user, campaign):
        return None
    if not _staff(user) or campaign.state != "published":
        return []
    return [unit for unit in campaign.departments.all() if unit.path.startswith(user.unit.path)]


def visible_comments(user):
    """Comments of campaigns organised in the user's subtree, for reviewers only."""
    from apps.appeals.models import EvaluationComment

    if not (_staff(user) and user.has_perm(REVIEW_EVALUATION_COMMENT)):
        return EvaluationComment.objects.none()
    return EvaluationComment.objects.visible_to(user)


def can_review_comment(user, comment) -> bool:
    """REVIEW_EVALUATION_COMMENT in the campaign's organising unit or above it."""
    return (
        _staff(user)
        and user.has_perm(REVIEW_EVALUATION_COMMENT)
        and comment.campaign.unit.path.startswith(user.unit.path)
    )
