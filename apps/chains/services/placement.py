"""Placing enterprises on a chain's links (企业图谱定位): suggestions with an explained score, decided by a person.

``fit`` scores how well an enterprise's facts fit a link, 0–100, with a Chinese reason for every point won: its
industry code under one of the link's codes (a division match says much, a section match little), each of the
link's keywords in its name or business scope, and the keywords among its tags. ``suggest_for_chain`` keeps the
SUGGESTED placements of the chain's local enterprises up to date: the candidates come from one SQL query that
applies every link's codes and keywords at once (the registry is never read row by row), their tags from a second,
and the existing placements from a third; confirmed and rejected placements are a person's decision and are never
touched. Suggestions are written in bulk (the audit log records the people's decisions, not the machine's guesses).
"""

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.chains import permissions
from apps.chains.locality import local_condition
from apps.chains.models import Chain, Link, Placement
from apps.core.audit import records_actor
from apps.core.errors import BusinessRuleError
from apps.enterprises.models import Enterprise

#: points won by the industry code: one of the link's divisions (or below it), or only its section
DIVISION_POINTS, SECTION_POINTS = 50, 20
#: points won by each keyword of the link found in the enterprise's name, business scope or tags
NAME_POINTS, SCOPE_POINTS, TAG_POINTS = 30, 20, 20
#: the keywords can win at most this much together (a long business scope names many things)
KEYWORD_CAP = 60
#: a suggestion needs at least this score: a division match, a keyword in the name, or two weaker signs (a keyword
#: in the scope or tags with another, or with the section); a single word in a long business scope is not enough
MIN_SCORE = 30

#: rows written per statement
WRITE_CHUNK = 500

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class Facts:
    """What placement reads about an enterprise."""

    name: str
    scope: str = ""
    industry_code: str = ""
    industry_name: str = ""
    section: str = ""
    tags: frozenset[str] = field(default_factory=frozenset)


def facts_of(enterprise: Enterprise) -> Facts:
    """The placement facts of one enterprise (reads its industry and tags)."""
    industry = enterprise.industry
    codes = []
    node = industry
    while node is not None:
        codes.append(node.code)
        node = node.parent
    return Facts(
        name=enterprise.name,
        scope=enterprise.business_scope,
        industry_code=industry.code if industry else "",
        industry_name=industry.name if industry else "",
        section=_section(codes),
        tags=frozenset(enterprise.tags.values_list("name", flat=True)),
    )


def _section(codes: Iterable[str | None]) -> str:
    return next((code for code in codes if code and code.isalpha()), "")


def fit(link: Link, facts: Facts) -> tuple[int, list[str]]:
    """How well the enterprise fits the link (0–100) and why, one reason per point won."""
    score, reasons = _industry_fit(link, facts)
    points, keyword_reasons = _keyword_fit(link, facts)
    return min(100, score + min(points, KEYWORD_CAP)), reasons + keyword_reasons


def _industry_fit(link: Link, facts: Facts) -> tuple[int, list[str]]:
    if not facts.industry_code:
        return 0, []
    label = f"{facts.industry_code} {facts.industry_name}"
    codes = [code.strip().upper() for code in link.industry_codes if code.strip()]
    if any(not code.isalpha() and facts.industry_code.startswith(code) for code in codes):
        return DIVISION_POINTS, [_("行业代码 %(industry)s 属于本环节") % {"industry": label}]
    if facts.section and facts.section in codes:
        return SECTION_POINTS, [_("行业代码 %(industry)s 属于本环节所在门类 %(section)s") % {
            "industry": label, "section": facts.section}]  # fmt: skip
    return 0, []


def _keyword_fit(link: Link, facts: Facts) -> tuple[int, list[str]]:
    points, reasons = 0, []
    name, scope = facts.name.casefold(), facts.scope.casefold()
    tags = [tag.casefold() for tag in facts.tags]
    for keyword in _keywords(link):
        word = keyword.casefold()
        if word in name:
            points += NAME_POINTS
            reasons.append(_("企业名称含“%(keyword)s”") % {"keyword": keyword})
        if word in scope:
            points += SCOPE_POINTS
            reasons.append(_("经营范围含“%(keyword)s”") % {"keyword": keyword})
        if any(word in tag for tag in tags):
            points += TAG_POINTS
            reasons.append(_("企业标签含“%(keyword)s”") % {"keyword": keyword})
    return points, reasons


def _keywords(link: Link) -> list[str]:
    return [word.strip() for word in link.keywords if word.strip()]


# ---- suggestions for a whole chain ----------------------------------------------------------------


def candidate_condition(links: Iterable[Link]) -> Q:
    """Enterprises any of the links could fit: by industry code, keyword in name or scope, or keyword tag."""
    links = list(links)
    condition = Q(pk__in=[])
    codes = {code.strip().upper() for link in links for code in link.industry_codes if code.strip()}
    for code in sorted(codes):
        if code.isalpha():
            condition |= Q(industry__code=code) | Q(industry__parent__code=code)
        else:
            condition |= Q(industry__code__startswith=code)
    keywords = sorted({keyword for link in links for keyword in _keywords(link)})
    if keywords:
        tag_words = Q()
        for keyword in keywords:
            condition |= Q(name__icontains=keyword) | Q(business_scope__icontains=keyword)
            tag_words |= Q(tag__name__icontains=keyword)
        condition |= Exists(Enterprise.tags.through.objects.filter(tag_words, enterprise=OuterRef("pk")))
    return condition


def candidate_facts(links: list[Link]) -> dict[int, Facts]:
    """The facts of the local, active enterprises that could fit one of the links: two queries."""
    candidates = Enterprise.objects.active().filter(local_condition()).filter(candidate_condition(links))
    rows = candidates.values_list(
        "pk", "name", "business_scope", "industry__code", "industry__name", "industry__parent__code",
        "industry__parent__parent__code",
    )  # fmt: skip
    tags: dict[int, set[str]] = defaultdict(set)
    # the candidates again as a subquery: thousands of ids would overflow a database's parameter limit
    through = Enterprise.tags.through.objects.filter(enterprise_id__in=candidates.values("pk"))
    for enterprise_id, tag in through.values_list("enterprise_id", "tag__name"):
        tags[enterprise_id].add(tag)
    return {
        pk: Facts(name=name, scope=scope or "", industry_code=code or "", industry_name=industry or "",
                  section=_section((code, parent, grandparent)), tags=frozenset(tags[pk]))
        for pk, name, scope, code, industry, parent, grandparent in rows
    }  # fmt: skip


@dataclass
class _Changes:
    new: list[Placement] = field(default_factory=list)
    changed: list[Placement] = field(default_factory=list)
    fitting: set[tuple[int, int]] = field(default_factory=set)


def suggest_for_chain(chain: Chain, *, progress: Progress | None = None) -> int:
    """Create or refresh the SUGGESTED placements of local enterprises reaching MIN_SCORE on the chain's links, and
    remove the suggestions that no longer fit; returns how many suggestions were created. The scoring runs outside
    a transaction so that the progress reported per link is seen by the run's page; the writes are one."""
    links = list(Link.objects.filter(chain=chain).select_related("chain"))
    facts = candidate_facts(links) if links else {}
    existing = {
        (placement.link_id, placement.enterprise_id): placement
        for placement in Placement.objects.filter(link__chain=chain).only(
            "id", "link_id", "enterprise_id", "status", "score", "reasons"
        )
    }
    changes = _Changes()
    for done, link in enumerate(links, start=1):
        _score_link(link, facts, existing, changes)
        if progress is not None:
            progress(done, len(links))
    stale = [
        p.pk for key, p in existing.items() if p.status == Placement.Status.SUGGESTED and key not in changes.fitting
    ]
    _write(changes, stale)
    return len(changes.new)


def _score_link(link: Link, facts: dict[int, Facts], existing: dict, changes: _Changes) -> None:
    for enterprise_id, enterprise_facts in facts.items():
        score, reasons = fit(link, enterprise_facts)
        if score < MIN_SCORE:
            continue
        key = (link.pk, enterprise_id)
        changes.fitting.add(key)
        placement = existing.get(key)
        if placement is None:
            changes.new.append(Placement(link=link, enterprise_id=enterprise_id, score=score, reasons=reasons))
        elif placement.status == Placement.Status.SUGGESTED and (placement.score, placement.reasons) != (
            score,
            reasons,
        ):
            placement.score, placement.reasons = score, reasons
            changes.changed.append(placement)


@transaction.atomic
def _write(changes: _Changes, stale: list[int]) -> None:
    # a decision taken while the run scored wins: only rows still SUGGESTED are removed or refreshed
    for start in range(0, len(stale), WRITE_CHUNK):
        Placement.objects.filter(pk__in=stale[start : start + WRITE_CHUNK], status=Placement.Status.SUGGESTED).delete()
    Placement.objects.bulk_update(changes.changed, ["score", "reasons"], batch_size=WRITE_CHUNK)
    Placement.objects.bulk_create(changes.new, batch_size=WRITE_CHUNK, ignore_conflicts=True)


# ---- a person's decisions -------------------------------------------------------------------------


def _require_placer(by) -> None:
    if not permissions.can_place(by):
        raise PermissionDenied


def _locked(placement: Placement) -> Placement:
    return Placement.objects.select_for_update().select_related("link", "enterprise").get(pk=placement.pk)


def _decide(placement: Placement, status: str, by) -> Placement:
    placement.status = status
    placement.decided_by = by
    placement.decided_at = timezone.now()
    if status != Placement.Status.CONFIRMED:
        placement.is_chain_leader = False
    placement.full_clean()
    placement.save()
    return placement


@records_actor
@transaction.atomic
def confirm_placement(*, placement: Placement, by) -> Placement:
    """A person confirms that the enterprise sits on the link (a suggestion, or one rejected before)."""
    _require_placer(by)
    placement = _locked(placement)
    if placement.status == Placement.Status.CONFIRMED:
        raise BusinessRuleError(_("%(enterprise)s 已确认在本环节。") % {"enterprise": placement.enterprise.name})
    return _decide(placement, Placement.Status.CONFIRMED, by)


@records_actor
@transaction.atomic
def reject_placement(*, placement: Placement, by) -> Placement:
    """A person says the enterprise does not sit on the link; later suggestion runs leave it rejected."""
    _require_placer(by)
    placement = _locked(placement)
    if placement.status == Placement.Status.REJECTED:
        raise BusinessRuleError(_("%(enterprise)s 已被否定在本环节。") % {"enterprise": placement.enterprise.name})
    return _decide(placement, Placement.Status.REJECTED, by)


@records_actor
@transaction.atomic
def mark_chain_leader(*, placement: Placement, by, leader: bool = True) -> Placement:
    """Mark (or unmark) a confirmed placement's enterprise as a chain leader (链主) of the link."""
    _require_placer(by)
    placement = _locked(placement)
    if placement.status != Placement.Status.CONFIRMED:
        raise BusinessRuleError(_("只有已确认在本环节的企业才能标为链主。"))
    if placement.is_chain_leader == leader:
        return placement
    placement.is_chain_leader = leader
    placement.full_clean()
    placement.save()
    return placement


def _bulk(placements: Iterable[Placement], decide: Callable, by) -> int:
    done = 0
    for placement in placements:
        try:
            decide(placement=placement, by=by)
        except BusinessRuleError:
            continue  # already in that state: nothing to do
        done += 1
    return done


@transaction.atomic
def confirm_placements(*, placements: Iterable[Placement], by) -> int:
    """Confirm several placements at once; returns how many changed (those already confirmed are skipped)."""
    _require_placer(by)
    return _bulk(placements, confirm_placement, by)


@transaction.atomic
def reject_placements(*, placements: Iterable[Placement], by) -> int:
    """Reject several placements at once; returns how many changed (those already rejected are skipped)."""
    _require_placer(by)
    return _bulk(placements, reject_placement, by)


@records_actor
@transaction.atomic
def place_enterprise(*, link: Link, enterprise: Enterprise, by) -> Placement:
    """A person places a local enterprise on the link by hand: confirmed at once, with its fit as the score."""
    _require_placer(by)
    if enterprise.status != Enterprise.Status.ACTIVE:
        raise BusinessRuleError(
            _("%(enterprise)s 已合并到其他企业，请定位合并后的企业。") % {"enterprise": enterprise.name}
        )
    if not Enterprise.objects.filter(local_condition(), pk=enterprise.pk).exists():
        raise BusinessRuleError(
            _("只能定位本地企业：%(enterprise)s 的注册地不在本市。") % {"enterprise": enterprise.name}
        )
    score, reasons = fit(link, facts_of(enterprise))
    placement = Placement.objects.select_for_update().filter(link=link, enterprise=enterprise).first()
    if placement is None:
        placement = Placement(link=link, enterprise=enterprise)
    elif placement.status == Placement.Status.CONFIRMED:
        raise BusinessRuleError(_("%(enterprise)s 已确认在本环节。") % {"enterprise": enterprise.name})
    placement.score, placement.reasons = score, [_("人工定位"), *reasons]
    return _decide(placement, Placement.Status.CONFIRMED, by)
