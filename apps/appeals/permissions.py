"""Who may see and act on tickets.

A ticket belongs to the unit that recorded it (the hotline centre or an area): that unit's subtree sees it,
and so do the units it is assigned to (the scope's participants). The hotline office (MANAGE_DISPATCH, in
the owning unit or above it) dispatches and reviews returns and extensions; only an assigned unit's
handler (HANDLE_APPEAL, working in that very unit) signs for, contacts and replies. Phone and ID numbers
are masked unless the user holds VIEW_PERSONAL_DATA, and every unmasked read is recorded.
"""

from dataclasses import dataclass

from django.http import Http404

from apps.appeals.models import Appeal, Assignment, ServiceRating
from apps.core.audit import record_access
from apps.org.models import Unit

RECORD_APPEAL = "appeals.record_appeal"
MANAGE_DISPATCH = "appeals.manage_dispatch"
HANDLE_APPEAL = "appeals.handle_appeal"
FOLLOW_UP_APPEAL = "appeals.follow_up_appeal"
VIEW_PERSONAL_DATA = "appeals.view_appellant_data"
MAINTAIN_CODES = "appeals.maintain_codes"


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


def can_maintain_codes(user) -> bool:
    """The hotline office's administrator, who publishes new versions of the catalogue and the time limits.

    The catalogue and the limits are the whole city's: only a city-level unit (the city or a department of
    it, such as the 12345 centre under the data bureau) keeps them, never a county's or a town's people."""
    if not (_staff(user) and user.has_perm(MAINTAIN_CODES)):
        return False
    local, unit = (Unit.Kind.COUNTY, Unit.Kind.ZONE, Unit.Kind.TOWN), user.unit
    ancestors = [unit.path[:end] for end in range(Unit.steplen, len(unit.path), Unit.steplen)]
    return unit.kind not in local and not Unit.objects.filter(path__in=ancestors, kind__in=local).exists()


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


def statistics_units(user):
    """Units whose figures the user reads: the hotline office at city level reads every unit it dispatches to,
    everyone else their own subtree."""
    from apps.org.models import Unit

    if _staff(user) and user.has_perm(MANAGE_DISPATCH) and user.unit.is_city_level:
        return Unit.objects.all()
    return Unit.objects.visible_to(user)


# ---- service ratings (好差评) ------------------------------------------------------------------------------
#
# A rating belongs to the office that keeps it (owner) and is seen by the rated unit (participant). The
# verification role (VERIFY_RATING in the office or above) calls back, classifies, feeds back and reviews
# appeals, but never on a rating of its own unit's subtree; only the rated unit's people (RECTIFY_RATING,
# working in that very unit) rectify and appeal. The rater's identity is shown only with VIEW_RATER_DATA
# and never to the rated unit, and every unmasked read is recorded.

VIEW_RATING = "appeals.view_servicerating"
RECORD_RATING = "appeals.record_rating"
VERIFY_RATING = "appeals.verify_rating"
RECTIFY_RATING = "appeals.rectify_rating"
VIEW_RATER_DATA = "appeals.view_rater_data"


def visible_ratings(user):
    """Ratings kept by the user's subtree and those of a rated unit in it."""
    return ServiceRating.objects.visible_to(user)


def get_rating_for_user(user, pk: int):
    """A rating in the user's scope; 404 like a missing id otherwise."""
    rating = visible_ratings(user).select_related("appeal", "unit", "office", "indicator_set").filter(pk=pk).first()
    if rating is None:
        raise Http404
    return rating


def in_rated_unit(user, rating) -> bool:
    """The user works in the rated unit or below it."""
    return _staff(user) and user.unit.path.startswith(rating.unit.path)


def acts_for_rating_office(user, rating, permission: str) -> bool:
    """The user holds ``permission`` in the office keeping the rating (or above) and is not the rated unit."""
    return (
        _staff(user)
        and user.has_perm(permission)
        and rating.office.path.startswith(user.unit.path)
        and not in_rated_unit(user, rating)
    )


def acts_for_rated_unit(user, rating) -> bool:
    """The user is one of the rated unit's own people who answer for its ratings."""
    return _staff(user) and user.has_perm(RECTIFY_RATING) and user.unit_id == rating.unit_id


def may_see_rater(user, rating) -> bool:
    """Whether the rater's identity is shown: the verification role, never the rated unit."""
    return _staff(user) and user.has_perm(VIEW_RATER_DATA) and not in_rated_unit(user, rating)


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


# ---- 知识库 (the hotline's knowledge base) ------------------------------------------------------------------
# An article belongs to the department answering for its content (its owner). Everyone who reads tickets reads
# the published articles (one knowledge base for the whole city); drafts and withdrawn articles are seen by the
# owner's subtree and by the hotline office at city level, which publishes and withdraws. Only the owner's own
# people holding MAINTAIN_KNOWLEDGE write and revise its articles.

MAINTAIN_KNOWLEDGE = "appeals.maintain_knowledge"


def can_publish_knowledge(user) -> bool:
    """The hotline office at city level (MANAGE_DISPATCH) publishes and withdraws articles."""
    return _staff(user) and user.has_perm(MANAGE_DISPATCH) and user.unit.is_city_level


def visible_articles(user):
    """Published articles for every ticket reader; the rest for the owner's subtree and the hotline office."""
    from django.db.models import Q

    from apps.appeals.models import Article
    from apps.appeals.models.knowledge import ArticleState

    if not (_staff(user) and user.has_perm("appeals.view_appeal")):
        return Article.objects.none()
    if can_publish_knowledge(user):
        return Article.objects.all()
    own = Article.objects.visible_to(user).values("pk")
    return Article.objects.filter(Q(state=ArticleState.PUBLISHED) | Q(pk__in=own))


def get_article_for_user(user, pk: int):
    """An article the user may read; 404 like a missing id otherwise."""
    article = visible_articles(user).select_related("category", "owner", "updated_by").filter(pk=pk).first()
    if article is None:
        raise Http404
    return article


def can_maintain_article(user, article=None) -> bool:
    """MAINTAIN_KNOWLEDGE in the article's owner unit itself (or, without an article, in the user's unit)."""
    if not (_staff(user) and user.has_perm(MAINTAIN_KNOWLEDGE)):
        return False
    return article is None or article.owner_id == user.unit_id
