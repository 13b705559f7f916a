"""The demo city's enterprise registry: about 3,000 enterprises per unit of ``--scale``.

Names are built like registered ones (company_names.py): mostly local firms (示范市华锐电子科技有限公司,
青河县禾丰种植农民专业合作社), some out-of-town investors (深圳市…), and 25 groups — eight local ones
and seventeen famous investors (比亚迪, 华为, 中国建设银行 …) with their local subsidiaries (示范比亚迪汽车有限公司)
and branches (中国建设银行股份有限公司示范东城支行). Every enterprise has a valid USCC except about one in
twenty, typed in by staff without one.

Then come the records the duplicate review screen is for: enterprises typed in a second time by
another team (region dropped or added, 有限责任公司 for 有限公司, the short name as the name, a branch
without its parent's full name, brackets and spaces) and members of a group registered as if they
were independent (retyped.py). The registry's own batch scan (apps.enterprises.scanning) then
fills the review queue.

The registry of a demo database is the demo's: ``clear()`` deletes all of it (the demo is only
ever built into a database without units, see runner.build_demo).
"""

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db import connection

from apps.enterprises.index import fill_enterprise_fields, fill_name_fields, rebuild_name_index
from apps.enterprises.matching.normalize import forget_regions
from apps.enterprises.models import (
    Contact,
    DuplicateScan,
    DuplicateSuggestion,
    Enterprise,
    EnterpriseName,
    GramStat,
    Industry,
    Merge,
    NameGram,
    RegistryImport,
    Tag,
)
from apps.enterprises.scanning import run_duplicate_scan
from apps.org.models import Unit
from yingshang.demo import company_names as vocabulary
from yingshang.demo import retyped
from yingshang.demo.company_names import (
    COOPERATIVE,
    GROUPS,
    INDUSTRY_WORDS,
    LOCAL_REGIONS,
    OUT_OF_TOWN_REGIONS,
    PARTNERSHIP,
    GroupSpec,
    IndustryWord,
    Region,
)
from yingshang.demo.context import DemoContext
from yingshang.demo.fake import Fake

ENTERPRISES_PER_SCALE = 3000
NEAR_DUPLICATES_PER_SCALE = 60
GROUP_LOOKALIKES_PER_SCALE = 20
OUT_OF_TOWN_SHARE = 0.12
WITHOUT_USCC_SHARE = 0.05
SHORT_NAME_SHARE = 0.3
FORMER_NAME_SHARE = 0.03
CONTACT_SHARE = 1 / 3
#: the investment-promotion department of the city and of each county (投资促进局, the zone's 招商局)
PROMOTION_DEPARTMENT = "{code}D02"
CONTACT_TITLES = ("董事长", "总经理", "副总经理", "办公室主任", "财务总监", "行政经理", "项目经理", "投资总监", "董事会秘书")  # fmt: skip
CITY = LOCAL_REGIONS[0]


@dataclass
class Planned:
    """An enterprise to save, with what it is linked to and how its name was made."""

    enterprise: Enterprise
    parent: "Planned | None" = None
    short_names: list[str] = field(default_factory=list)
    former_names: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    #: the parts of the name (行政区划, 字号, 行业, 组织形式); a branch has its parent's name and its own part
    prefix: str = ""
    trade: str = ""
    industry: str = ""
    form: str = ""
    parent_name: str = ""
    branch: str = ""
    #: the short name of the group a branch belongs to (建设银行), for typed variants
    group_short: str = ""
    #: a record typed in a second time is not typed in a third
    copy: bool = False


# ---- reads ------------------------------------------------------------------------------------


def counts() -> int:
    """How many enterprises the registry has."""
    return Enterprise.objects.count()


# ---- build and clear ------------------------------------------------------------------------


def build(ctx: DemoContext) -> None:
    """Plan the registry, save it in bulk, index its names and scan it for duplicates."""
    forget_regions()  # the city and counties org.build just made are regions of the names from now on
    plan = RegistryPlan(ctx)
    plan.add_groups()
    target = ENTERPRISES_PER_SCALE * ctx.scale
    plan.add_independents(target - len(plan.planned))
    retyped.add_near_duplicates(plan, NEAR_DUPLICATES_PER_SCALE * ctx.scale)
    retyped.add_group_lookalikes(plan, GROUP_LOOKALIKES_PER_SCALE * ctx.scale)
    plan.save()
    rebuild_name_index()
    run_duplicate_scan(DuplicateScan.objects.create(total=0))


def clear() -> None:
    """Delete the whole registry (its industries and built-in tags stay), what refers to it first.

    Plain DELETE statements: the ORM would load every row and send its delete signals (the audit
    log listens to enterprises and names), which took 15 s for 10,000 enterprises on PostgreSQL.
    """
    for model in (DuplicateSuggestion, Merge, DuplicateScan, RegistryImport, Contact, NameGram, GramStat):
        _delete_all(model)
    _delete_all(EnterpriseName)
    _delete_all(Enterprise.tags.through)
    Enterprise.objects.exclude(parent=None, merged_into=None).update(parent=None, merged_into=None)
    _delete_all(Enterprise)
    rebuild_name_index()  # also forgets the cached registry size


def _delete_all(model) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {connection.ops.quote_name(model._meta.db_table)}")  # noqa: S608 - a model's own table


class RegistryPlan:
    """The enterprises to generate, drawn from seeded generators, kept in memory until ``save()``."""

    def __init__(self, ctx: DemoContext) -> None:
        self.ctx = ctx
        self.rng = ctx.rng("enterprises")
        self.fake = Fake(ctx.rng("enterprises.people"))
        self.industries = dict(Industry.objects.filter(level=Industry.Level.DIVISION).values_list("code", "id"))
        self.planned: list[Planned] = []
        self.names: set[str] = set()
        self.usccs: set[str] = set()
        self.short_names: set[str] = set()
        #: a group's 字号 → the 行业 words its members' names already use
        self.group_words: defaultdict[str, set[str]] = defaultdict(set)
        # the written 字号 first, then the combinations, each list in an order of its own
        allowed, written = vocabulary.trade_names(), set(vocabulary.TRADE_NAMES)
        curated, combined = [t for t in allowed if t in written], [t for t in allowed if t not in written]
        self.rng.shuffle(curated)
        self.rng.shuffle(combined)
        self.trades = curated + combined
        self.next_trade = 0
        self.more_trades: Iterator[str] | None = None

    # ---- one enterprise

    def add(self, name: str, region: Region | tuple[str, str], division: str, **fields) -> Planned | None:
        """Plan an enterprise named ``name`` registered in ``region``; None when the name is taken."""
        if name in self.names:
            return None
        self.names.add(name)
        code, area = (region.code, region.area) if isinstance(region, Region) else region
        planned_fields = {key: fields.pop(key) for key in list(fields) if key in PLANNED_FIELDS}
        enterprise = Enterprise(
            name=name,
            region_code=code,
            region_name=area,
            address=self.fake.address(area),
            industry_id=self.industries.get(division),
            **fields,
        )
        planned = Planned(enterprise, **planned_fields)
        self.planned.append(planned)
        return planned

    def add_short_name(self, planned: Planned, short: str) -> None:
        """A 简称 for the enterprise, unless another enterprise is already known by it."""
        if short not in self.short_names and short not in self.names:
            self.short_names.add(short)
            planned.short_names.append(short)

    def uscc(self, region_code: str, founded, *, category: str = "1") -> str | None:
        """A new valid code, or None for the records typed in without one."""
        if self.rng.random() < WITHOUT_USCC_SHARE:
            return None
        new_style = founded.year >= vocabulary.NEW_CODES_SINCE
        return vocabulary.unique_uscc(self.rng, self.usccs, region_code, category=category, new_style=new_style)

    def trade(self) -> str:
        """The next unused 字号: the written ones, two-character ones, then three-character ones."""
        if self.next_trade < len(self.trades):
            self.next_trade += 1
            return self.trades[self.next_trade - 1]
        if self.more_trades is None:
            self.more_trades = vocabulary.more_trade_names(self.ctx.rng("enterprises.trades"))
        return next(self.more_trades)

    # ---- groups

    def add_groups(self) -> None:
        """Every group's parent, then its local subsidiaries and branches."""
        for spec in GROUPS:
            parent = self._group_parent(spec)
            if spec.industries:
                for subsidiary in self._subsidiaries(spec, parent):
                    if self.rng.random() < 0.3:
                        self._branches(spec, subsidiary, 1)
            self._branches(spec, parent, self.rng.randint(3, 6) if spec.bank else self.rng.randint(1, 3))

    def _group_parent(self, spec: GroupSpec) -> Planned:
        founded = date(self.rng.randint(1990, 2012), self.rng.randint(1, 12), self.rng.randint(1, 28))
        code = vocabulary.unique_uscc(self.rng, self.usccs, spec.region_code, new_style=False)
        planned = self.add(
            spec.parent,
            (spec.region_code, spec.area),
            spec.division,
            legal_form=spec.legal_form,
            registered_capital=Decimal(spec.capital),
            founded_on=founded,
            uscc=code,
            tags=list(spec.tags),
        )
        self.add_short_name(planned, spec.short)
        planned.trade, planned.group_short = spec.trade, spec.short
        return planned

    def _subsidiaries(self, spec: GroupSpec, parent: Planned) -> list[Planned]:
        wanted = self.rng.randint(2, max(2, len(spec.industries))) * self.ctx.scale
        choices = list(spec.industries)
        self.rng.shuffle(choices)
        found: list[Planned] = []
        for attempt in range(wanted * 4):
            if len(found) == wanted:
                break
            word, division = choices[attempt] if attempt < len(choices) else self._any_industry()
            if word in self.group_words[spec.trade]:
                continue  # one subsidiary per line of business: two would share a core
            self.group_words[spec.trade].add(word)
            planned = self._subsidiary(spec, parent, word, division)
            if planned is not None:
                found.append(planned)
        if found and any(tag in spec.tags for tag in vocabulary.FAMOUS_TAGS[:1]):
            found[0].tags.append("链主")
        return found

    def _any_industry(self) -> tuple[str, str]:
        industry = vocabulary.pick_industry(self.rng)
        return industry.word, industry.divisions[0]

    def _subsidiary(self, spec: GroupSpec, parent: Planned, word: str, division: str) -> Planned | None:
        region = vocabulary.pick_region(self.rng, LOCAL_REGIONS)
        prefix = vocabulary.pick_prefix(self.rng, region)
        if spec.style == "plain":
            prefix, name = "", f"{spec.trade}{word}有限公司"
        elif spec.style == "bracket":
            prefix, name = "", f"{spec.trade}{word}（示范）有限公司"
        else:
            name = f"{prefix}{spec.trade}{word}有限公司"
        founded = vocabulary.founded_on(self.rng, after=parent.enterprise.founded_on)
        planned = self.add(
            name,
            region,
            division,
            legal_form="有限公司",
            registered_capital=vocabulary.registered_capital(self.rng, 1000, max(spec.capital / 10, 2000)),
            founded_on=founded,
            uscc=self.uscc(region.code, founded),
            parent=parent,
            tags=list(spec.tags),
            prefix=prefix,
            trade=spec.trade,
            industry=word,
            form="有限公司",
        )
        if planned is not None:
            planned.enterprise.group_role = Enterprise.GroupRole.SUBSIDIARY
            planned.group_short = f"{spec.trade}{word}"
            if self.rng.random() < SHORT_NAME_SHARE:
                self.add_short_name(planned, f"示范{spec.trade}" if self.rng.random() < 0.5 else planned.group_short)
        return planned

    def _branches(self, spec: GroupSpec, parent: Planned, count: int) -> None:
        city_branch = None
        if spec.bank:
            city_branch = self._branch(spec, parent, CITY, "示范市分行")
            count -= 1
        for _ in range(count * self.ctx.scale * 2):
            if count <= 0:
                break
            region = self.rng.choice(LOCAL_REGIONS[1:])
            if spec.bank:
                made = self._branch(spec, city_branch, region, f"示范{region.short}支行")
            else:
                made = self._branch(spec, parent, region, self._branch_part(region, parent))
            count -= made is not None

    def _branch_part(self, region: Region, parent: Planned) -> str:
        local_parent = parent.enterprise.region_code.startswith("99")
        options = [f"示范{region.short}分公司", "示范市分公司", "示范分公司"]
        if local_parent:
            options.append(f"{region.short}分公司")
        return self.rng.choice(options)

    def _branch(self, spec: GroupSpec, parent: Planned, region: Region, part: str) -> Planned | None:
        base = parent.parent_name or parent.enterprise.name  # a 支行 is named after the bank, not its 分行
        name = base + part
        founded = vocabulary.founded_on(self.rng, after=parent.enterprise.founded_on)
        word = "支行" if part.endswith("支行") else "分行" if part.endswith("分行") else "分公司"
        planned = self.add(
            name,
            region,
            "",
            legal_form=word,
            founded_on=founded,
            uscc=self.uscc(region.code, founded),
            parent=parent,
            tags=list(spec.tags),
            parent_name=base,
            branch=part,
            group_short=parent.group_short or spec.short,
        )
        if planned is not None:
            planned.enterprise.group_role = Enterprise.GroupRole.BRANCH
            planned.enterprise.industry_id = parent.enterprise.industry_id
        return planned

    # ---- independent enterprises

    def add_independents(self, count: int) -> None:
        """Ordinary firms, local or out-of-town, each with a 字号 of its own while they last."""
        added = 0
        while added < count:
            out_of_town = self.rng.random() < OUT_OF_TOWN_SHARE
            region = vocabulary.pick_region(self.rng, OUT_OF_TOWN_REGIONS if out_of_town else LOCAL_REGIONS)
            industry = vocabulary.pick_industry(self.rng)
            planned = self._independent(region, industry, self.trade())
            if planned is not None:
                self._decorate(planned, industry)
                added += 1

    def _independent(self, region: Region, industry: IndustryWord, trade: str) -> Planned | None:
        prefix = vocabulary.pick_prefix(self.rng, region)
        capital = vocabulary.registered_capital(self.rng)
        category = "1"
        if industry.farming and region.rural and self.rng.random() < 0.5:
            form, category = COOPERATIVE, "3"
            prefix = region.area.removeprefix("示范市") + self._town(region)
            capital = vocabulary.registered_capital(self.rng, 10, 800)
        elif industry.fund and self.rng.random() < 0.5:
            form = PARTNERSHIP
        else:
            form = self._legal_form(capital)
        founded = vocabulary.founded_on(self.rng)
        return self.add(
            f"{prefix}{trade}{industry.word}{form}",
            region,
            self.rng.choice(industry.divisions),
            legal_form=form,
            registered_capital=capital,
            founded_on=founded,
            uscc=self.uscc(region.code, founded, category=category),
            prefix=prefix,
            trade=trade,
            industry=industry.word,
            form=form,
        )

    def _legal_form(self, capital) -> str:
        form = vocabulary.pick_legal_form(self.rng)
        if form == "集团有限公司" and capital < 5000 or form == "股份有限公司" and capital < 500:
            return "有限公司"
        return form

    def _town(self, region: Region) -> str:
        """A town (镇, 乡) of the county, or "" (a county-wide co-operative) when the org module made none."""
        towns = [
            u.short_name for u in self.ctx.units.values() if u.kind == Unit.Kind.TOWN and u.code.startswith(region.code)
        ]
        return self.rng.choice(sorted(towns)) if towns and self.rng.random() < 0.7 else ""

    def _decorate(self, planned: Planned, industry: IndustryWord) -> None:
        """Tags, a short name and a former name, each for the share of enterprises that have one."""
        planned.tags = self._tags(planned.enterprise, industry)
        if self.rng.random() < SHORT_NAME_SHARE:
            self.add_short_name(planned, self._short_name(planned))
        if self.rng.random() < FORMER_NAME_SHARE:
            former = self._former_name(planned)
            if former not in self.names:
                self.names.add(former)
                planned.former_names.append(former)

    def _tags(self, enterprise: Enterprise, industry: IndustryWord) -> list[str]:
        capital = float(enterprise.registered_capital or 0)
        manufacturing = any("13" <= division <= "43" for division in industry.divisions)
        chances = (
            ("高新技术企业", 0.26 if industry.tech else 0.01),
            ("专精特新", 0.1 if (industry.tech or manufacturing) and 300 <= capital <= 50000 else 0.002),
            ("瞪羚", 0.015 if industry.tech and enterprise.founded_on.year >= 2012 else 0.0),
            ("独角兽", 0.006 if industry.tech and enterprise.founded_on.year >= 2015 and capital >= 1000 else 0.0),
            ("行业龙头", 0.05 if capital >= 20000 else 0.0),
            ("链主", 0.01 if capital >= 50000 else 0.0),
        )
        return [tag for tag, chance in chances if self.rng.random() < chance]

    def _short_name(self, planned: Planned) -> str:
        """字号 + 行业 (华锐科技), or the city's short name + 字号 (示范华锐, 深圳华锐)."""
        city = planned.prefix[:2] if planned.form != COOPERATIVE else ""
        if city and self.rng.random() < 0.4:
            return city + planned.trade
        return planned.trade + planned.industry

    def _former_name(self, planned: Planned) -> str:
        """Another 行业 word, or another 字号 (the firm was renamed)."""
        if self.rng.random() < 0.5:
            other = self.rng.choice([i.word for i in INDUSTRY_WORDS if i.word != planned.industry])
            return f"{planned.prefix}{planned.trade}{other}{planned.form}"
        return f"{planned.prefix}{self.trade()}{planned.industry}{planned.form}"

    # ---- saving

    def save(self) -> None:
        """Enterprises parents first (a branch's parent may itself be a branch), then names, tags, contacts."""
        pending = self.planned
        while pending:
            ready = [p for p in pending if p.parent is None or p.parent.enterprise.pk is not None]
            if not ready:
                raise RuntimeError("企业的上级企业不在生成的名录中。")
            for planned in ready:
                if planned.parent is not None:
                    planned.enterprise.parent_id = planned.parent.enterprise.pk
                fill_enterprise_fields(planned.enterprise)
            Enterprise.objects.bulk_create([p.enterprise for p in ready], batch_size=1000)
            pending = [p for p in pending if p.enterprise.pk is None]
        EnterpriseName.objects.bulk_create(self._names(), batch_size=2000)
        tags = dict(Tag.objects.values_list("name", "id"))
        through = Enterprise.tags.through
        links = [
            through(enterprise_id=p.enterprise.pk, tag_id=tags[t]) for p in self.planned for t in dict.fromkeys(p.tags)
        ]
        through.objects.bulk_create(links, batch_size=2000)
        Contact.objects.bulk_create(self._contacts(), batch_size=2000)

    def _names(self) -> list[EnterpriseName]:
        rows = []
        for planned in self.planned:
            enterprise = planned.enterprise
            kinds = [(enterprise.name, EnterpriseName.Kind.FULL)]
            kinds += [(n, EnterpriseName.Kind.SHORT) for n in planned.short_names]
            kinds += [(n, EnterpriseName.Kind.FORMER) for n in planned.former_names]
            seen = set()
            for name, kind in kinds:
                if name in seen:
                    continue
                seen.add(name)
                row = EnterpriseName(enterprise=enterprise, name=name, kind=kind)
                fill_name_fields(row)
                rows.append(row)
        return rows

    def _contacts(self) -> list[Contact]:
        rng = self.ctx.rng("enterprises.contacts")
        units = self._promotion_units()
        contacts = []
        for planned in self.planned:
            if rng.random() >= CONTACT_SHARE:
                continue
            code = planned.enterprise.region_code
            unit = units.get(code) if code in units and rng.random() < 0.7 else units[CITY.code]
            contacts.append(
                Contact(
                    enterprise=planned.enterprise,
                    unit=unit,
                    name=self.fake.person_name(),
                    title=rng.choice(CONTACT_TITLES),
                    phone=self.fake.mobile(),
                )
            )
        return contacts

    def _promotion_units(self) -> dict[str, Unit]:
        """Region code → the investment-promotion department that keeps its enterprises' contacts."""
        wanted = {region.code: PROMOTION_DEPARTMENT.format(code=region.code) for region in LOCAL_REGIONS}
        known = self.ctx.units or Unit.objects.in_bulk(list(wanted.values()), field_name="code")
        return {region: known[code] for region, code in wanted.items() if code in known}


#: keyword arguments of RegistryPlan.add that describe the plan rather than the Enterprise row
PLANNED_FIELDS = {f for f in Planned.__dataclass_fields__ if f != "enterprise"}
