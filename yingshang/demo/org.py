"""The demo city's units and people.

示范市 (administrative code 990100; no province uses 99, so every code is fictional) has four
districts, two counties and a development zone, each with its towns and departments, and the
city's own departments. People are generated per post: a unit, the role its staff hold and how
many of them there are; ``--scale`` multiplies the staff of departments, towns and enterprises.

Two placements follow the data scope rather than the org chart: the three administrators and the
city leaders belong to the city itself (the three administrators must, see
``apps.org.services.assign_roles``), and each county's administrators — the staff of its 营商办
who keep the county's data — belong to the county, so that their scope is the whole county.
"""

import math
import random
from collections import Counter
from dataclasses import dataclass

from django.db.models import Q

from apps.org import roles
from apps.org.models import Role, Unit, User
from apps.org.services import sync_builtin_roles
from yingshang.demo.context import DemoContext
from yingshang.demo.fake import Fake
from yingshang.demo.tree import TreePlan

CITY_CODE = "990100"
CITY_NAME = "示范市"
CITY_SEAT = "示范市东城区"
#: 市投资促进局, which also runs the investment assessment (考核办)
INVESTMENT_BUREAU = "990100D02"
BIZENV_BUREAU = "990100D03"  # 市营商环境建设局
SUPERVISION_OFFICE = "990100D22"  # 市人民政府办公室 (its 督查室 supervises the rectification ledger)
ENTERPRISE_USERNAMES = Q(username="qiye") | Q(username__regex=r"^qy[0-9]+$")


@dataclass(frozen=True)
class DepartmentSpec:
    name: str
    short_name: str
    role: str = roles.DEPARTMENT_HANDLER
    staff: tuple[int, int] = (2, 5)
    children: tuple["DepartmentSpec", ...] = ()
    phone: str = ""


@dataclass(frozen=True)
class CountySpec:
    code: str
    name: str
    short_name: str
    kind: str = Unit.Kind.COUNTY
    #: how its departments' short names begin (东城区发改局, 经开区招商局)
    prefix: str = ""

    @property
    def has_streets(self) -> bool:
        """Districts and the zone have 街道; counties have 镇 and 乡."""
        return not self.name.endswith("县")


HOTLINE_CODE = "990100D18"
HOTLINE = DepartmentSpec("市12345政务服务便民热线中心", "市12345热线", roles.HOTLINE_AGENT, staff=(5, 8), phone="12345")
CITY_DEPARTMENTS = (
    DepartmentSpec("市发展和改革委员会", "市发改委"),
    DepartmentSpec("市投资促进局", "市投促局（招商局）", roles.INVESTMENT_OFFICER, staff=(4, 6)),
    DepartmentSpec("市营商环境建设局", "市营商局", staff=(3, 5)),
    DepartmentSpec("市市场监督管理局", "市市场监管局"),
    DepartmentSpec("市自然资源和规划局", "市自然资源局"),
    DepartmentSpec("市生态环境局", "市生态环境局"),
    DepartmentSpec("市住房和城乡建设局", "市住建局"),
    DepartmentSpec("市应急管理局", "市应急局"),
    DepartmentSpec("市水务局", "市水务局"),
    DepartmentSpec("国家税务总局示范市税务局", "市税务局"),
    DepartmentSpec("市人力资源和社会保障局", "市人社局"),
    DepartmentSpec("市财政局", "市财政局"),
    DepartmentSpec("市工业和信息化局", "市工信局"),
    DepartmentSpec("市商务局", "市商务局"),
    DepartmentSpec("市科学技术局", "市科技局"),
    DepartmentSpec("市司法局", "市司法局"),
    DepartmentSpec("市政务服务和数据管理局", "市数据局", children=(HOTLINE,)),
    DepartmentSpec("市交通运输局", "市交通局"),
    DepartmentSpec("市农业农村局", "市农业农村局"),
    DepartmentSpec("国网示范市供电公司", "市供电公司"),
)
COUNTY_DEPARTMENTS = (
    DepartmentSpec("{name}发展和改革局", "{prefix}发改局"),
    DepartmentSpec("{name}投资促进局", "{prefix}投促局", roles.INVESTMENT_OFFICER),
    DepartmentSpec("{name}市场监督管理局", "{prefix}市场监管局"),
    DepartmentSpec("{name}优化营商环境办公室", "{prefix}营商办"),
)
ZONE_DEPARTMENTS = (
    DepartmentSpec("{name}经济发展局", "{prefix}经发局"),
    DepartmentSpec("{name}招商局", "{prefix}招商局", roles.INVESTMENT_OFFICER),
    DepartmentSpec("{name}优化营商环境办公室", "{prefix}营商办"),
)
COUNTIES = (
    CountySpec("990101", "东城区", "东城", prefix="东城区"),
    CountySpec("990102", "西城区", "西城", prefix="西城区"),
    CountySpec("990103", "南湖区", "南湖", prefix="南湖区"),
    CountySpec("990104", "北山区", "北山", prefix="北山区"),
    CountySpec("990121", "青河县", "青河", prefix="青河县"),
    CountySpec("990122", "云岭县", "云岭", prefix="云岭县"),
)
ZONE = CountySpec("990171", "示范经济技术开发区", "示范经开区", Unit.Kind.ZONE, prefix="经开区")

_STREETS = (
    "东风 西湖 南门 北关 新华 人民 朝阳 和平 光明 文化 解放 建设 胜利 滨河 站前 友谊 前进 兴华 长安 永安 "
    "龙泉 凤凰 锦绣 翠湖 清泉 白塔 金桥 府前 花园 望江 春华 东关 西关 南关 学府 新城 老城 湖滨 江滨 青年 "
    "团结 五一 红星 星火 向阳 明珠 紫荆 桂花 丹桂 银杏 梧桐 玉兰 海棠 荷花 芙蓉 月湖 日新 振兴 高新 科创"
)
_TOWNS = (
    "柳林 桃源 杏花 梨园 河口 马坊 石桥 高庄 李集 王庄 张店 沙河 双河 三里 龙门 白马 黄土 红旗 大营 小店 "
    "新集 古城 白云 清水 黑山 金沙 松林 竹园 花溪 长岭 安乐 太平 丰收 万福 永丰 兴隆 富民 青石 石门 两河 "
    "三岔 五里 七里 九龙 卧龙 盘龙 凤鸣 鹤鸣 莲花 桑园 稻香 茶园 果园 梅岭 枫林 松涛 水口 杨柳 槐树 桥头"
)
STREET_NAMES = tuple(_STREETS.split())
TOWN_NAMES = tuple(_TOWNS.split())
MAX_EXTRA_TOWNS = 12

CLERK_TITLES = ("科长", "副科长", "科员", "科员", "一级科员", "四级主任科员")
COMPANY_TITLES = ("部门经理", "专责", "客户经理")
HOTLINE_TITLES = ("坐席班长", "话务员", "话务员", "话务员")
TOWN_TITLES = ("经济发展办主任", "便民服务中心主任", "党政办科员", "综合办科员", "科员")
ENTERPRISE_TITLES = ("总经理", "办公室主任", "财务经理", "行政专员", "项目经理")
LEADER_TITLES = ("市长", "常务副市长", "副市长", "副市长", "市政府秘书长")
HEAD_TITLES = (("委员会", "主任"), ("中心", "主任"), ("办公室", "主任"), ("公司", "总经理"), ("局", "局长"))


@dataclass(frozen=True)
class DemoAccount:
    role: str
    username: str
    #: the unit whose first person with ``role`` gets this username (None: an enterprise user)
    unit_code: str | None


DEMO_ACCOUNTS = (
    DemoAccount(roles.SYSTEM_ADMIN, "sysadmin", CITY_CODE),
    DemoAccount(roles.SECURITY_ADMIN, "secadmin", CITY_CODE),
    DemoAccount(roles.AUDIT_ADMIN, "auditor", CITY_CODE),
    DemoAccount(roles.CITY_LEADER, "leader", CITY_CODE),
    DemoAccount(roles.INVESTMENT_OFFICER, "zhaoshang", INVESTMENT_BUREAU),
    DemoAccount(roles.ASSESSMENT_ADMIN, "kaohe", INVESTMENT_BUREAU),
    DemoAccount(roles.BIZENV_ADMIN, "yingshang", BIZENV_BUREAU),
    DemoAccount(roles.SUPERVISION_OFFICER, "ducha", SUPERVISION_OFFICE),
    DemoAccount(roles.COUNTY_ADMIN, "dongcheng", "990101"),
    DemoAccount(roles.DEPARTMENT_HANDLER, "bumen", "990100D04"),
    DemoAccount(roles.DEPARTMENT_HANDLER, "ziran", "990100D05"),
    DemoAccount(roles.HOTLINE_AGENT, "rexian", "990100D18"),
    DemoAccount(roles.HOTLINE_ADMIN, "rexianban", "990100D18"),
    DemoAccount(roles.POLICY_OFFICER, "zhengce", "990100D01"),
    DemoAccount(roles.LEGAL_REVIEWER, "fazhi", "990100D16"),
    DemoAccount(roles.SERVICE_WINDOW, "chuangkou", "990100D17"),
    DemoAccount(roles.ENTERPRISE_USER, "qiye", None),
)


@dataclass(frozen=True)
class Post:
    """A group of people to generate: where they work, the role they hold, how many and their titles."""

    unit: Unit | None
    role: str
    staff: tuple[int, int]
    scaled: bool = True
    lead_titles: tuple[str, ...] = ()
    other_titles: tuple[str, ...] = CLERK_TITLES


# ---- reads ------------------------------------------------------------------------------------


def demo_city() -> Unit | None:
    """The demo city's root unit, if it has been built."""
    return Unit.objects.filter(depth=1, code=CITY_CODE).first()


def demo_people(city: Unit):
    """Everyone the generator made: the city's staff and the demo enterprise users."""
    return User.objects.filter(Q(unit__path__startswith=city.path) | (Q(unit=None) & ENTERPRISE_USERNAMES))


def counts() -> tuple[int, int]:
    """How many units and people the demo city has."""
    city = demo_city()
    if city is None:
        return 0, 0
    return Unit.objects.filter(path__startswith=city.path).count(), demo_people(city).count()


# ---- build and clear ------------------------------------------------------------------------


def build(ctx: DemoContext) -> None:
    """Create the city's units, then its people."""
    posts = build_units(ctx)
    build_people(ctx, posts)


def clear() -> None:
    """Delete the demo people, then the city with its whole subtree."""
    city = demo_city()
    if city is None:
        return
    demo_people(city).delete()
    Unit.objects.filter(path__startswith=city.path).delete()


def build_units(ctx: DemoContext) -> list[Post]:
    """Lay out every unit, save them in one bulk insert and return the posts to staff."""
    plan = UnitPlan(Fake(ctx.rng("org.units")))
    city = plan.add(None, CITY_SEAT, name=CITY_NAME, short_name=CITY_NAME, kind=Unit.Kind.CITY, code=CITY_CODE)
    posts = _city_posts(city)
    posts += _add_departments(plan, city, CITY_DEPARTMENTS, CITY_SEAT, f"{CITY_CODE}D")
    bureau = next(post.unit for post in posts if post.unit is not None and post.unit.code == INVESTMENT_BUREAU)
    posts.append(Post(bureau, roles.ASSESSMENT_ADMIN, (2, 2), scaled=False, lead_titles=("考核科科长", "考核科副科长")))
    bizenv = next(post.unit for post in posts if post.unit is not None and post.unit.code == BIZENV_BUREAU)
    posts.append(Post(bizenv, roles.BIZENV_ADMIN, (2, 2), scaled=False, lead_titles=("评价科科长", "评价科副科长")))
    for spec in (*COUNTIES, ZONE):
        fields = {"name": spec.name, "short_name": spec.short_name, "kind": spec.kind, "code": spec.code}
        county = plan.add(city, f"示范市{spec.name}", **fields)
        posts.append(Post(county, roles.COUNTY_ADMIN, (2, 2), scaled=False, lead_titles=("营商办主任", "营商办副主任")))
        templates = ZONE_DEPARTMENTS if spec.kind == Unit.Kind.ZONE else COUNTY_DEPARTMENTS
        departments = [_county_department(d, spec) for d in templates]
        posts += _add_departments(plan, county, departments, f"示范市{spec.name}", f"{spec.code}D")
        posts += _add_towns(plan, county, spec, ctx.scale)
    posts.append(_supervision_office(plan, city))
    ctx.units.update((unit.code, unit) for unit in plan.save())
    # last, so that everyone generated before keeps their name and phone
    posts.append(Post(ctx.units[HOTLINE_CODE], roles.HOTLINE_ADMIN, (1, 1), scaled=False, lead_titles=("热线办主任",)))
    posts += _policy_posts(ctx.units)
    return posts


def _policy_posts(units: dict) -> list[Post]:
    """The policy office, the legal office and the payment window of the policies (惠企政策兑现), last again."""
    return [
        Post(units["990100D01"], roles.POLICY_OFFICER, (2, 2), scaled=False, lead_titles=("政策研究室主任", "政策研究室科员")),
        Post(units["990100D16"], roles.LEGAL_REVIEWER, (2, 2), scaled=False, lead_titles=("合法性审查科科长", "合法性审查科科员")),
        Post(units["990100D17"], roles.SERVICE_WINDOW, (3, 3), scaled=False,
             lead_titles=("政策兑现窗口负责人", "窗口工作人员", "窗口工作人员")),
    ]  # fmt: skip


def _supervision_office(plan: "UnitPlan", city: Unit) -> Post:
    """The city government office with its 督查室, planned after every other unit so that their generated
    phones, addresses and towns stay as they were."""
    fields = {"name": "示范市人民政府办公室", "short_name": "市政府办", "kind": Unit.Kind.DEPARTMENT}
    office = plan.add(city, CITY_SEAT, code=SUPERVISION_OFFICE, **fields)
    return Post(office, roles.SUPERVISION_OFFICER, (2, 2), scaled=False, lead_titles=("督查室主任", "督查室副主任"))


class UnitPlan(TreePlan):
    """The city's units, each with an office phone and an address drawn from ``fake``."""

    def __init__(self, fake: Fake) -> None:
        super().__init__(Unit)
        self.fake = fake

    def add(self, parent: Unit | None, area: str, *, phone: str = "", **fields) -> Unit:
        """Plan a unit under ``parent`` with an address in ``area``."""
        unit = Unit(phone=phone or self.fake.office_phone(), address=self.fake.address(area), **fields)
        return super().add(parent, unit)


def _county_department(template: DepartmentSpec, county: CountySpec) -> DepartmentSpec:
    names = {"name": county.name, "prefix": county.prefix}
    return DepartmentSpec(template.name.format(**names), template.short_name.format(**names), template.role)


def _add_departments(plan: UnitPlan, parent: Unit, specs, area: str, code_prefix: str, start: int = 1) -> list[Post]:
    """Departments numbered D01, D02 … in order; a department's children take the numbers after it."""
    posts = []
    number = start
    for spec in specs:
        fields = {"name": spec.name, "short_name": spec.short_name, "kind": Unit.Kind.DEPARTMENT}
        unit = plan.add(parent, area, phone=spec.phone, code=f"{code_prefix}{number:02d}", **fields)
        posts.append(_department_post(unit, spec))
        posts += _add_departments(plan, unit, spec.children, area, code_prefix, number + 1)
        number += _size(spec)
    return posts


def _size(spec: DepartmentSpec) -> int:
    return 1 + sum(_size(child) for child in spec.children)


def _department_post(unit: Unit, spec: DepartmentSpec) -> Post:
    head = next(title for suffix, title in HEAD_TITLES if unit.name.endswith(suffix))
    if spec.role == roles.HOTLINE_AGENT:
        others = HOTLINE_TITLES
    elif head == "总经理":
        others = COMPANY_TITLES
    else:
        others = CLERK_TITLES
    return Post(unit, spec.role, spec.staff, lead_titles=(head, f"副{head}"), other_titles=others)


def _add_towns(plan: UnitPlan, county: Unit, spec: CountySpec, scale: int) -> list[Post]:
    """街道 numbered 001…, or 城关镇 and 镇 numbered 100…, 乡 200… (the statistical code convention)."""
    rng = plan.fake.rng
    total = rng.randint(4, 8) + min(MAX_EXTRA_TOWNS, int(2 * math.log2(scale)))
    if spec.has_streets:
        towns = [(f"{stem}街道", f"{spec.code}{i + 1:03d}") for i, stem in enumerate(rng.sample(STREET_NAMES, total))]
    else:
        towns = _county_towns(rng, spec.code, total)
    posts = []
    for short_name, code in towns:
        fields = {"name": f"{spec.name}{short_name}", "short_name": short_name, "kind": Unit.Kind.TOWN, "code": code}
        town = plan.add(county, f"示范市{spec.name}{short_name}", **fields)
        posts.append(Post(town, roles.DEPARTMENT_HANDLER, (1, 2), other_titles=TOWN_TITLES))
    return posts


def _county_towns(rng: random.Random, code: str, total: int) -> list[tuple[str, str]]:
    stems = rng.sample(TOWN_NAMES, total - 1)
    townships = min(rng.randint(0, 2), total - 2)
    towns = [("城关镇", f"{code}100")]
    towns += [(f"{stem}镇", f"{code}{101 + i}") for i, stem in enumerate(stems[: total - 1 - townships])]
    towns += [(f"{stem}乡", f"{code}{200 + i}") for i, stem in enumerate(stems[total - 1 - townships :])]
    return towns


def _city_posts(city: Unit) -> list[Post]:
    administrators = (
        (roles.SYSTEM_ADMIN, "系统管理员"),
        (roles.SECURITY_ADMIN, "安全管理员"),
        (roles.AUDIT_ADMIN, "审计管理员"),
    )
    posts = [Post(city, code, (1, 1), scaled=False, lead_titles=(title,)) for code, title in administrators]
    posts.append(Post(city, roles.CITY_LEADER, (5, 5), scaled=False, lead_titles=LEADER_TITLES))
    posts.append(Post(None, roles.ENTERPRISE_USER, (10, 10), other_titles=ENTERPRISE_TITLES))
    return posts


# ---- people -----------------------------------------------------------------------------------


def build_people(ctx: DemoContext, posts: list[Post]) -> None:
    """Generate everyone in ``posts``, rename the demo accounts, then save people and roles in bulk."""
    people = _generate_people(ctx, posts)
    _name_demo_accounts(people)
    for person, _role in people:
        domain = "qiye.example" if person.unit is None else "shifan.example"
        person.email = f"{person.username}@{domain}"
    User.objects.bulk_create([person for person, _role in people], batch_size=1000)
    _save_roles(people)


def _generate_people(ctx: DemoContext, posts: list[Post]) -> list[tuple[User, str]]:
    rng = ctx.rng("org.people")
    fake = Fake(rng)
    numbers: Counter[str] = Counter()
    people = []
    for post in posts:
        headcount = rng.randint(*post.staff) * (ctx.scale if post.scaled else 1)
        for index in range(headcount):
            title = post.lead_titles[index] if index < len(post.lead_titles) else rng.choice(post.other_titles)
            person = User(
                username=_next_username(post.unit, numbers),
                name=fake.person_name(),
                unit=post.unit,
                title=title,
                phone=fake.mobile(),
                password=ctx.password_hash,
                must_change_password=False,
            )
            people.append((person, post.role))
    return people


def _next_username(unit: Unit | None, numbers: Counter) -> str:
    """Staff accounts are the unit code and a number (990101d02-003); enterprise users qy0001, qy0002 …"""
    key = unit.code.lower() if unit is not None else "qy"
    numbers[key] += 1
    return f"qy{numbers[key]:04d}" if unit is None else f"{key}-{numbers[key]:03d}"


def _name_demo_accounts(people: list[tuple[User, str]]) -> None:
    for account in DEMO_ACCOUNTS:
        person = next(
            person
            for person, role in people
            if role == account.role and (person.unit.code if person.unit else None) == account.unit_code
        )
        person.username = account.username


def _save_roles(people: list[tuple[User, str]]) -> None:
    if Role.objects.filter(is_builtin=True).count() < len(roles.BUILTIN_ROLES):
        sync_builtin_roles()
    role_ids = dict(Role.objects.values_list("code", "id"))
    if any(person.pk is None for person, _role in people):  # a database that cannot return ids from bulk inserts
        ids = dict(User.objects.values_list("username", "id"))
        for person, _role in people:
            person.pk = ids[person.username]
    through = User.roles.through
    links = [through(user_id=person.pk, role_id=role_ids[role]) for person, role in people]
    through.objects.bulk_create(links, batch_size=1000)
