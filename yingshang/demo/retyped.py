"""The records the duplicate review screen is for: enterprises typed in a second time, unlinked group members.

Another team types an enterprise the registry already has: region dropped, added or changed,
有限责任公司 for 有限公司, the short name as the name, a branch without its parent's full name,
half-width brackets and a space — mostly without the USCC (sometimes the first record lacks it and
the second has it). Other records are members of a group registered as independent enterprises.
"""

from typing import TYPE_CHECKING

from yingshang.demo import company_names as vocabulary
from yingshang.demo.company_names import FORM_SWAPS, GROUPS, LOCAL_REGIONS, OUT_OF_TOWN_REGIONS, GroupSpec, Region
from yingshang.demo.org import STREET_NAMES

if TYPE_CHECKING:
    from yingshang.demo.enterprises import Planned, RegistryPlan

CITY = LOCAL_REGIONS[0]
#: what a group's unlinked members do besides the group's own lines of business
LOOKALIKE_INDUSTRIES = (("科技", "65"), ("商贸", "51"), ("物流", "58"), ("销售", "52"), ("技术服务", "75"))


def add_near_duplicates(plan: "RegistryPlan", count: int) -> None:
    """Enterprises typed in again by another team, mostly without the USCC."""
    originals = plan.rng.sample([p for p in plan.planned if not p.copy], count * 2)
    added = 0
    for original in originals:
        if added == count:
            break
        name = typed_variant(plan, original)
        if name and _copy_of(plan, original, name) is not None:
            added += 1


def typed_variant(plan: "RegistryPlan", original: "Planned") -> str:
    """The name as someone else typed it; "" when no variant applies or it is already taken."""
    variants = []
    if original.branch:
        variants.append(f"{original.group_short}{original.branch}")
        variants.append(f"{original.parent_name} {original.branch}")
    elif original.trade and original.form:
        rest = f"{original.trade}{original.industry}"
        prefixes = [p for p, _w in _region(original).prefixes if p != original.prefix]
        variants += [f"{p}{rest}{original.form}" for p in (*prefixes, "")]
        if original.form in FORM_SWAPS:
            variants.append(f"{original.prefix}{rest}{FORM_SWAPS[original.form]}")
        variants.append(rest if plan.rng.random() < 0.5 else f"{original.prefix[:2]}{original.trade}")
        spaced = f"{original.prefix} {rest}{original.form}" if original.prefix else f"{rest} {original.form}"
        variants.append(spaced.replace("（", "(").replace("）", ")"))
    taken = plan.names | (plan.short_names - set(original.short_names))
    variants = [v for v in variants if v and v not in taken and len(v) >= 4]
    return plan.rng.choice(variants) if variants else ""


def _region(planned: "Planned") -> Region:
    code = planned.enterprise.region_code
    return next((r for r in (*LOCAL_REGIONS, *OUT_OF_TOWN_REGIONS) if r.code == code), CITY)


def _copy_of(plan: "RegistryPlan", original: "Planned", name: str) -> "Planned | None":
    source = original.enterprise
    keep = plan.rng.random() < 0.5
    copy = plan.add(
        name,
        (source.region_code, source.region_name),
        "",
        registered_capital=source.registered_capital if keep else None,
        founded_on=source.founded_on if keep else None,
        copy=True,
    )
    if copy is None:
        return None
    copy.enterprise.industry_id = source.industry_id if plan.rng.random() < 0.7 else None
    if source.uscc and plan.rng.random() < 0.15:  # the first team typed it without the code, the second with it
        copy.enterprise.uscc, source.uscc = source.uscc, None
    original.copy = True
    return copy


def add_group_lookalikes(plan: "RegistryPlan", count: int) -> None:
    """Members of a group registered as independent enterprises, with no link to their parent."""
    parents = [p for p in plan.planned if p.group_short and not p.parent and p.enterprise.group_role != "branch"]
    added = 0
    for _ in range(count * 5):
        if added == count:
            break
        parent = plan.rng.choice(parents)
        spec = next(s for s in GROUPS if s.parent == parent.enterprise.name)
        added += _lookalike(plan, spec, parent) is not None


def _lookalike(plan: "RegistryPlan", spec: GroupSpec, parent: "Planned") -> "Planned | None":
    region = plan.rng.choice(LOCAL_REGIONS[1:])
    if spec.bank or plan.rng.random() < 0.3:
        word = "支行" if spec.bank else "分公司"
        name, division = f"{spec.parent}示范{plan.rng.choice(STREET_NAMES)}{word}", spec.division
    else:
        unused = [(w, d) for w, d in spec.industries + LOOKALIKE_INDUSTRIES if w not in plan.group_words[spec.trade]]
        if not unused:
            return None
        word, division = plan.rng.choice(unused)
        plan.group_words[spec.trade].add(word)
        prefix = "" if spec.trade.startswith("示范") else "示范"
        name = f"{prefix}{spec.trade}{word}有限公司"
    founded = vocabulary.founded_on(plan.rng, after=parent.enterprise.founded_on)
    uscc = plan.uscc(region.code, founded) if plan.rng.random() < 0.6 else None
    return plan.add(name, region, division, founded_on=founded, uscc=uscc, copy=True)
