"""Keeping the chain maps (产业链图谱维护): chains and their links, with the rules a map must meet.

A link's parent is a link of the same chain that is neither the link itself nor one of its sub-links (no cycle),
and a sub-link sits where its parent sits (upstream, midstream or downstream): moving a link moves its sub-links.
Industry codes must be sections or divisions of the registry's GB/T 4754 table; keywords are kept without blanks
or duplicates. A link (with its sub-links) or a chain is deleted only while no enterprise is confirmed on it and no
lead was opened from it: those are a team's work and must not vanish with a map edit. Every change is audited
(apps/chains/audit.py), with ``by`` as the actor.
"""

import re
from collections.abc import Iterable

from django.db import transaction
from django.utils.translation import gettext as _

from apps.chains.models import Chain, Link, LinkLead, Placement, Segment
from apps.core.audit import records_actor
from apps.core.errors import BusinessRuleError, required_text
from apps.enterprises.models import Industry
from apps.org.models import User

CHAIN_FIELDS = ("name", "description", "weak_below", "is_active", "order")
LINK_FIELDS = ("name", "segment", "parent", "description", "industry_codes", "keywords", "weak_below", "order")
#: how people separate terms in a form or a cell: 、 , ， ; ； and any whitespace
TERM_SEPARATORS = re.compile(r"[、,，;；\s]+")
MAX_TERMS = 30


def split_terms(text: str) -> list[str]:
    """The terms of a text such as "电芯、锂离子电池, BMS" (blanks and repeats dropped, order kept)."""
    return clean_terms(TERM_SEPARATORS.split(text or ""))


def clean_terms(terms: Iterable[str]) -> list[str]:
    """Terms stripped, without blanks or duplicates, in their first order."""
    seen: dict[str, None] = {}
    for term in terms:
        text = str(term).strip()
        if text:
            seen.setdefault(text, None)
    return list(seen)


def check_industry_codes(codes: Iterable[str]) -> list[str]:
    """The codes cleaned (upper-case sections); a BusinessRuleError naming those the registry does not know."""
    cleaned = clean_terms(str(code).upper() for code in codes)
    known = set(Industry.objects.filter(code__in=cleaned).values_list("code", flat=True))
    unknown = [code for code in cleaned if code not in known]
    if unknown:
        message = _("行业代码“%(codes)s”不存在，请填写国民经济行业分类的门类字母（如 C）或两位大类代码（如 36）。")
        raise BusinessRuleError(message % {"codes": "、".join(unknown)}, field="industry_codes")
    return cleaned


def _check_chain(chain: Chain) -> None:
    chain.name = required_text(chain.name, "name", _("请填写产业链名称。"))
    if Chain.objects.filter(name=chain.name).exclude(pk=chain.pk).exists():
        raise BusinessRuleError(_("产业链“%(name)s”已存在。") % {"name": chain.name}, field="name")
    if chain.weak_below is None or chain.weak_below < 1:
        raise BusinessRuleError(_("薄弱环节阈值须是不小于 1 的整数。"), field="weak_below")


def _assign(obj, names: tuple[str, ...], values: dict) -> None:
    unknown = set(values) - set(names)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    for name, value in values.items():
        setattr(obj, name, value.strip() if isinstance(value, str) else value)


@records_actor
@transaction.atomic
def create_chain(*, by: User | None, **values) -> Chain:
    """Add a chain (its links come next, one by one or from an Excel workbook)."""
    chain = Chain(updated_by=by)
    _assign(chain, CHAIN_FIELDS, values)
    _check_chain(chain)
    chain.full_clean()
    chain.save()
    return chain


@records_actor
@transaction.atomic
def update_chain(*, chain: Chain, by: User | None, **values) -> Chain:
    """Change a chain's name, description, threshold, order or whether it is in use."""
    _assign(chain, CHAIN_FIELDS, values)
    chain.updated_by = by
    _check_chain(chain)
    chain.full_clean()
    chain.save()
    return chain


@records_actor
@transaction.atomic
def delete_chain(*, chain: Chain, by: User | None) -> None:
    """Delete a chain with its links, unless a team's work hangs on one of them."""
    _refuse_if_worked(Link.objects.filter(chain=chain), _("产业链“%(name)s”") % {"name": chain.name})
    chain.delete()


def _check_parent(link: Link) -> None:
    parent = link.parent
    if parent is None:
        return
    if parent.chain_id != link.chain_id:
        raise BusinessRuleError(_("上级环节须是同一产业链的环节。"), field="parent")
    if link.pk and (parent.pk == link.pk or parent.pk in descendant_ids(link)):
        raise BusinessRuleError(_("上级环节不能是该环节本身或它的下级环节。"), field="parent")
    if link.segment != parent.segment:
        message = _("子环节须与上级环节“%(parent)s”处于同一位置（%(segment)s）。")
        raise BusinessRuleError(
            message % {"parent": parent.name, "segment": parent.get_segment_display()}, field="segment"
        )


def check_link(link: Link) -> None:
    """The rules a link must meet (raises BusinessRuleError naming the field); cleans its codes and keywords."""
    link.name = required_text(link.name, "name", _("请填写环节名称。"))
    if link.segment not in Segment.values:
        raise BusinessRuleError(_("请选择环节所处位置（上游、中游或下游）。"), field="segment")
    if Link.objects.filter(chain_id=link.chain_id, name=link.name).exclude(pk=link.pk).exists():
        raise BusinessRuleError(_("本产业链已有环节“%(name)s”。") % {"name": link.name}, field="name")
    _check_parent(link)
    link.industry_codes = check_industry_codes(link.industry_codes or [])
    link.keywords = clean_terms(link.keywords or [])
    if len(link.keywords) > MAX_TERMS or len(link.industry_codes) > MAX_TERMS:
        raise BusinessRuleError(_("行业代码和关键词各不超过 %(n)s 个。") % {"n": MAX_TERMS}, field="keywords")
    if link.weak_below is not None and link.weak_below < 1:
        raise BusinessRuleError(_("薄弱阈值须是不小于 1 的整数，或留空使用产业链的阈值。"), field="weak_below")


def descendant_ids(link: Link) -> set[int]:
    """The ids of every sub-link below the link, at any depth (one query for the chain)."""
    children: dict[int | None, list[int]] = {}
    for pk, parent_id in Link.objects.filter(chain_id=link.chain_id).values_list("pk", "parent_id"):
        children.setdefault(parent_id, []).append(pk)
    found: set[int] = set()
    waiting = list(children.get(link.pk, []))
    while waiting:
        pk = waiting.pop()
        if pk not in found:
            found.add(pk)
            waiting.extend(children.get(pk, []))
    return found


@records_actor
@transaction.atomic
def create_link(*, chain: Chain, by: User | None, **values) -> Link:
    """Add a link (or, with ``parent``, a sub-link) to a chain."""
    link = Link(chain=chain)
    _assign(link, LINK_FIELDS, values)
    check_link(link)
    link.full_clean()
    link.save()
    _touch(chain, by)
    return link


@records_actor
@transaction.atomic
def update_link(*, link: Link, by: User | None, **values) -> Link:
    """Change a link; when its position changes, its sub-links move with it."""
    _assign(link, LINK_FIELDS, values)
    check_link(link)
    link.full_clean()
    link.save()
    for child in Link.objects.filter(pk__in=descendant_ids(link)).exclude(segment=link.segment):
        child.segment = link.segment
        child.save(update_fields=["segment"])  # one by one, so that the audit log records each move
    _touch(link.chain, by)
    return link


@records_actor
@transaction.atomic
def delete_link(*, link: Link, by: User | None) -> None:
    """Delete a link with its sub-links, unless an enterprise is confirmed on one of them or a lead came from it."""
    _refuse_if_worked(
        Link.objects.filter(pk__in={link.pk} | descendant_ids(link)), _("环节“%(name)s”") % {"name": link.name}
    )
    link.delete()
    _touch(link.chain, by)


def _refuse_if_worked(links, what: str) -> None:
    confirmed = Placement.objects.filter(link__in=links, status=Placement.Status.CONFIRMED).count()
    leads = LinkLead.objects.filter(link__in=links).count()
    if confirmed or leads:
        message = _("%(what)s已有 %(confirmed)s 家确认企业、%(leads)s 条招商线索，不能删除。")
        raise BusinessRuleError(message % {"what": what, "confirmed": confirmed, "leads": leads})


def _touch(chain: Chain, by: User | None) -> None:
    """The chain records who last changed its map, and when."""
    chain.updated_by = by
    chain.save(update_fields=["updated_by", "updated_at"])
