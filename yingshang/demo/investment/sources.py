"""What the pipeline plan draws on: the calendar, the demo people, the registry's investors, amounts."""

import math
import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone
from stdnum.cn import ric

from apps.core.workdays import CalendarNotCovered, WorkdayCalendar
from apps.enterprises.matching.normalize import parse_name
from apps.enterprises.models import Enterprise, EnterpriseName
from apps.investment.models import (
    Claim,
    FundRecord,
    NegotiationRound,
    Project,
    ProjectParticipant,
    ScreeningResult,
    Stage,
    StageChange,
)
from apps.org.models import Unit, User
from yingshang.demo import project_names as words

#: the investment-promotion department that owns an area's projects (投资促进局, the zone's 招商局)
PROMOTION_DEPARTMENT = "{code}D02"
#: the area's development and reform bureau (the zone's 经济发展局), which serves its major projects
REFORM_DEPARTMENT = "{code}D01"
#: tags that make an enterprise an investor for a major project
BIG_TAGS = ("世界500强", "中国500强", "中国民营500强", "行业龙头", "链主")
STAGES = Stage.ordered()
#: where introducers' ID numbers were issued (the demo city's own codes are fictional, which ID checks refuse)
ID_AREAS = ("110105", "110108", "310104", "320106", "330102", "420106", "440304", "510107", "610113", "370202")


class Clock:
    """The demo's calendar: the two calendar years up to today, working days, times in office hours."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.now = timezone.now()
        self.today = timezone.localdate(self.now)
        self.start = date(self.today.year - 1, 1, 1)
        self.span = (self.today - self.start).days
        self.workdays = WorkdayCalendar.load()

    def is_workday(self, day: date) -> bool:
        try:
            return self.workdays.is_workday(day)
        except CalendarNotCovered:  # a year the calendar does not know yet: the weekend rule
            return day.weekday() < 5

    def add_working_days(self, day: date, n: int) -> date:
        try:
            return self.workdays.add_working_days(day, n)
        except CalendarNotCovered:
            return day + timedelta(days=n * 7 // 5)

    def workday(self, day: date) -> date:
        """``day`` or the working day after it, but never after today."""
        while day < self.today and not self.is_workday(day):
            day += timedelta(days=1)
        return min(day, self.today)

    def at(self, day: date, *, after: datetime | None = None) -> datetime:
        """A time in office hours on ``day`` (later than ``after``), never later than now."""
        minutes = self.rng.randint(8 * 60 + 30, 17 * 60 + 30)
        stamp = timezone.make_aware(datetime.combine(day, time(minutes // 60, minutes % 60)))
        if after is not None and stamp <= after:
            stamp = after + timedelta(minutes=self.rng.randint(5, 90))
        return min(stamp, self.now)

    def later(self, stamp: datetime, low_minutes: int, high_minutes: int) -> datetime:
        return min(stamp + timedelta(minutes=self.rng.randint(low_minutes, high_minutes)), self.now)


@dataclass(frozen=True)
class Person:
    pk: int
    name: str
    title: str


class Staff:
    """The demo people of each unit (by unit code) in the order they were generated: the head comes first."""

    def __init__(self, city: Unit) -> None:
        self.by_unit: defaultdict[str, list[Person]] = defaultdict(list)
        rows = User.objects.filter(unit__path__startswith=city.path, is_active=True).order_by("pk")
        for pk, code, name, title in rows.values_list("pk", "unit__code", "name", "title"):
            self.by_unit[code].append(Person(pk, name, title))

    def of(self, code: str) -> list[Person]:
        return self.by_unit.get(code, [])


@dataclass(frozen=True)
class Investor:
    pk: int
    name: str
    division: str
    region_code: str
    region_name: str
    #: registered outside the province, or a local subsidiary of a group that is
    outside: bool
    #: a group member, a famous or leading enterprise, or one with a large registered capital
    big: bool
    #: how project names call it (比亚迪, 华锐科技)
    short: str


class Investors:
    """The registry's enterprises that may invest (not branches, not merged), each used by one project."""

    def __init__(self) -> None:
        big_ids = set(
            Enterprise.tags.through.objects.filter(tag__name__in=BIG_TAGS).values_list("enterprise_id", flat=True)
        )
        shorts: dict[int, str] = {}
        for pk, name in (
            EnterpriseName.objects.filter(kind=EnterpriseName.Kind.SHORT)
            .order_by("pk")
            .values_list("enterprise_id", "name")
        ):
            shorts.setdefault(pk, name)
        rows = (
            Enterprise.objects.active()
            .exclude(group_role=Enterprise.GroupRole.BRANCH)
            .exclude(legal_form__startswith="合伙企业")
            .order_by("name")
            .values_list(
                "pk",
                "name",
                "industry__code",
                "region_code",
                "region_name",
                "parent__region_code",
                "registered_capital",
            )
        )
        self.all: list[Investor] = []
        self.by_division: defaultdict[str, list[Investor]] = defaultdict(list)
        for pk, name, division, region, region_name, parent_region, capital in rows:
            outside = not region.startswith("99") or bool(parent_region and not parent_region.startswith("99"))
            big = pk in big_ids or parent_region is not None or (capital or 0) >= 50000
            short = shorts.get(pk) or parse_name(name, numerals=False).trade_name
            investor = Investor(pk, name, division or "", region, region_name, outside, big, short)
            self.all.append(investor)
            self.by_division[investor.division].append(investor)
        self.used: set[int] = set()

    def pick(self, rng: random.Random, divisions: tuple[str, ...], *, big: bool, outside: bool) -> Investor:
        """An unused enterprise of the divisions (big, from outside the province, as wanted where there is one)."""
        in_divisions = [i for d in divisions for i in self.by_division[d] if i.pk not in self.used]
        tries = (
            lambda: [i for i in in_divisions if i.big == big and i.outside == outside],
            lambda: [i for i in in_divisions if i.outside == outside],
            lambda: in_divisions,
            lambda: [i for i in self.all if i.pk not in self.used and i.outside == outside],
            lambda: [i for i in self.all if i.pk not in self.used],
        )
        pool = next(candidates for candidates in (candidates() for candidates in tries) if candidates)
        investor = rng.choice(pool)
        self.used.add(investor.pk)
        return investor


@dataclass
class Planned:
    """A project to save, with the day it reached each stage and what its timeline holds besides."""

    project: Project
    #: the county, zone or city the project belongs to
    area: Unit
    investor: Investor
    sector: words.Sector
    template: words.Template
    officer: Person
    #: days[i]: the day the project reached STAGES[i] (days[0]: the day it was registered)
    days: list[date]
    #: (StageChange.Kind.PAUSE or DROP, day, reason) after its last stage
    end: tuple[str, date, str] | None = None
    #: a pause and its resumption between two stages: (paused on, resumed on, reasons)
    pause: tuple[date, date, tuple[str, str]] | None = None
    #: a stage claimed once and sent back before it was confirmed: (stage rank, the day it was claimed)
    returned: tuple[int, date] | None = None
    #: the last stage waits for the level above
    pending: bool = False
    #: how an overdue lead is late (see OVERDUE_PER_SCALE), "" for the others
    overdue: str = ""
    #: for the second registration of a held enterprise: (holder, decision or "" while it waits)
    challenges: "tuple[Planned, str] | None" = None
    claim: Claim | None = None
    changes: list[StageChange] = field(default_factory=list)
    talks: list[NegotiationRound] = field(default_factory=list)
    funds: list[FundRecord] = field(default_factory=list)
    participants: list[ProjectParticipant] = field(default_factory=list)
    #: (kind, title, uploaded at) of the documents the stage gates asked for
    documents: list[tuple[str, str, datetime]] = field(default_factory=list)
    screenings: list[ScreeningResult] = field(default_factory=list)

    @property
    def rank(self) -> int:
        return len(self.days) - 1


def log_uniform(rng: random.Random, low: float, high: float) -> float:
    return low * (high / low) ** rng.random()


def rounded(value: float, digits: int = 2) -> Decimal:
    """``value`` to ``digits`` significant figures, as amounts are announced (35000, 8500, 120000)."""
    if value <= 0:
        return Decimal(0)
    places = digits - 1 - math.floor(math.log10(value))
    return Decimal(str(round(value, places))).quantize(Decimal("0.01"))


def money(value: float) -> Decimal:
    """A monthly amount as reported: whole 万元, with one decimal below 100 万元."""
    return Decimal(round(value) if value >= 100 else round(value, 1)).quantize(Decimal("0.01"))


def yuan(amount: Decimal) -> str:
    """万元 as written in a description: 3.5亿元, 8500万元."""
    if amount >= 10000:
        return f"{amount / 10000:.2f}".rstrip("0").rstrip(".") + "亿元"
    return f"{amount:.0f}万元"


def id_number(rng: random.Random, region: str, born: date) -> str:
    """An 18-digit resident ID number of ``region`` and ``born``, with its GB 11643 check character."""
    body = f"{region}{born:%Y%m%d}{rng.randrange(1000):03d}"
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    return body + "10X98765432"[sum(int(c) * w for c, w in zip(body, weights, strict=True)) % 11]


def person_id(rng: random.Random, taken: set[str]) -> str:
    """An ID number the introducer pages accept (python-stdnum's check of the area code for the birth year),
    not one of ``taken``; shown masked like every ID number, and paired with a made-up name."""
    while True:
        born = date(rng.randint(1960, 1992), rng.randint(1, 12), rng.randint(1, 28))
        number = id_number(rng, rng.choice(ID_AREAS), born)
        if number not in taken and ric.is_valid(number):
            taken.add(number)
            return number
