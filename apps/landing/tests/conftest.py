"""Fixtures of the landing tests; each area keeps its own marked section."""

import pytest


# ---- reviews ----
@pytest.fixture
def review_departments(city):
    """Four of the city's departments that joint reviews ask (自然资源, 生态环境, 应急管理, 住房城乡建设)."""
    from apps.org.models import Unit
    from apps.org.tests.factories import make_unit

    names = {
        "resources": ("示范市自然资源和规划局", "990100R01"),
        "ecology": ("示范市生态环境局", "990100R02"),
        "emergency": ("示范市应急管理局", "990100R03"),
        "housing": ("示范市住房和城乡建设局", "990100R04"),
    }
    return {
        key: make_unit(parent=city, name=name, kind=Unit.Kind.DEPARTMENT, code=code)
        for key, (name, code) in names.items()
    }


@pytest.fixture
def review_handlers(review_departments):
    """One department handler (部门经办人) in each of the review departments, by the same keys."""
    from apps.org import roles
    from apps.org.tests.factories import UserFactory

    return {
        key: UserFactory(
            username=f"review_{key}", name=f"{unit.name}经办人", unit=unit, roles=[roles.DEPARTMENT_HANDLER]
        )
        for key, unit in review_departments.items()
    }


@pytest.fixture
def review_project(officer_a):
    """东城区's project in talks (洽谈), ready for a joint review."""
    from datetime import timedelta

    from django.utils import timezone

    from apps.investment.models import Stage
    from apps.investment.tests.factories import advance_to, lead, ready_to_sign

    project = ready_to_sign(lead(officer_a, name="东城新能源电池项目"), officer_a)
    return advance_to(project, Stage.NEGOTIATION, by=officer_a, start=timezone.localdate() - timedelta(days=10))


@pytest.fixture
def review_clock():
    """Time stands still at 9:00 on Monday 16 November 2026 (a year the calendar covers); ``move_to`` moves it."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    import time_machine

    with time_machine.travel(datetime(2026, 11, 16, 9, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False) as traveller:
        yield traveller


# ---- end reviews ----


# ---- task forces and problems ----
@pytest.fixture
def taskforce_clock():
    """Time stands still at 9:00 on Monday 2 March 2026 (a year the calendar covers)."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    import time_machine

    with time_machine.travel(datetime(2026, 3, 2, 9, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False) as traveller:
        yield traveller


@pytest.fixture
def taskforce_departments(city, county_a):
    """Departments problems go to: two of the city's and one of 东城区's."""
    from apps.org.models import Unit
    from apps.org.tests.factories import make_unit

    return {
        "land": make_unit(parent=city, name="示范市自然资源局", kind=Unit.Kind.DEPARTMENT, code="990100T01"),
        "power": make_unit(parent=city, name="示范市供电公司", kind=Unit.Kind.DEPARTMENT, code="990100T02"),
        "county": make_unit(
            parent=county_a, name="东城区住房和城乡建设局", kind=Unit.Kind.DEPARTMENT, code="990101T01"
        ),
    }


@pytest.fixture
def taskforce_handlers(taskforce_departments):
    """A department handler (部门经办人) in each of those departments, by the same keys."""
    from apps.org import roles
    from apps.org.tests.factories import UserFactory

    return {
        key: UserFactory(username=f"tf_{key}", name=f"{unit.name}经办人", unit=unit, roles=[roles.DEPARTMENT_HANDLER])
        for key, unit in taskforce_departments.items()
    }


@pytest.fixture
def taskforce_leader(county_a):
    """东城区's deputy head, who reads the landing pages and leads task forces."""
    from apps.org import roles
    from apps.org.tests.factories import UserFactory

    return UserFactory(username="tf_leader", name="东城区副区长", unit=county_a, roles=[roles.CITY_LEADER])


@pytest.fixture
def taskforce_project(taskforce_clock, officer_a):
    """东城区's signed project (协议投资 5 亿元, below the major threshold of 10 亿元)."""
    from datetime import timedelta

    from django.utils import timezone

    from apps.investment.models import Stage
    from apps.investment.tests.factories import advance_to, lead, ready_to_sign

    project = ready_to_sign(lead(officer_a, name="东城智能装备产业园项目"), officer_a)
    return advance_to(project, Stage.SIGNED, by=officer_a, start=timezone.localdate() - timedelta(days=20))


@pytest.fixture
def taskforce(taskforce_project, taskforce_leader, county_a, officer_a):
    """The project's task force led by 东城区副区长, with 东城区 leading."""
    from datetime import date

    from apps.landing.services.taskforces import set_up_task_force

    return set_up_task_force(
        project=taskforce_project,
        leader=taskforce_leader,
        lead_unit=county_a,
        plan="三月完成土地挂牌，六月开工。",
        established_on=date(2026, 2, 20),
        by=officer_a,
    )


# ---- end task forces and problems ----


# ---- checklists ----
@pytest.fixture
def checklists_clock():
    """Time stands still at 9:00 on Monday 12 October 2026, after the National Day holiday."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    import time_machine

    with time_machine.travel(datetime(2026, 10, 12, 9, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False) as traveller:
        yield traveller


@pytest.fixture
def checklists_departments(city, county_a):
    """Every department the seeded templates name, under the city; 东城区 has its own 自然资源 and 住建."""
    from apps.org.models import Unit
    from apps.org.tests.factories import make_unit

    names = {
        "reform": (city, "示范市发展和改革委员会", "990100K01"),
        "resources": (city, "示范市自然资源和规划局", "990100K02"),
        "ecology": (city, "示范市生态环境局", "990100K03"),
        "emergency": (city, "示范市应急管理局", "990100K04"),
        "housing": (city, "示范市住房和城乡建设局", "990100K05"),
        "power": (city, "国网示范市供电公司", "990100K06"),
        "water": (city, "示范市水务局", "990100K07"),
        "county_resources": (county_a, "东城区自然资源分局", "990101K01"),
        "county_housing": (county_a, "东城区住房和城乡建设局", "990101K02"),
    }
    return {
        key: make_unit(parent=parent, name=name, kind=Unit.Kind.DEPARTMENT, code=code)
        for key, (parent, name, code) in names.items()
    }


@pytest.fixture
def checklists_handlers(checklists_departments):
    """A department handler (部门经办人) in each of those departments, by the same keys."""
    from apps.org import roles
    from apps.org.tests.factories import UserFactory

    return {
        key: UserFactory(username=f"ck_{key}", name=f"{unit.name}经办人", unit=unit, roles=[roles.DEPARTMENT_HANDLER])
        for key, unit in checklists_departments.items()
    }


@pytest.fixture
def checklists_coordinator(city):
    """An investment officer of 示范市投资促进局, the coordinating unit: keeps the templates."""
    from apps.investment.models import PipelineSettings
    from apps.org import roles
    from apps.org.models import Unit
    from apps.org.tests.factories import UserFactory, make_unit

    bureau = make_unit(parent=city, name="示范市投资促进局", kind=Unit.Kind.DEPARTMENT, code="990100K90")
    PipelineSettings.objects.update_or_create(pk=1, defaults={"coordinating_unit": bureau})
    return UserFactory(username="ck_coordinator", name="市投促局专员", unit=bureau, roles=[roles.INVESTMENT_OFFICER])


@pytest.fixture
def checklists_project(checklists_clock, checklists_departments, checklists_coordinator, officer_a):
    """东城区's new-build project, signed on 24 September 2026 (so its checklist came from 新建项目（新供地）)."""
    from datetime import date

    from apps.investment.models import Stage
    from apps.investment.tests.factories import advance_to, lead, ready_to_sign

    project = ready_to_sign(lead(officer_a, name="东城高端装备制造项目"), officer_a)
    return advance_to(project, Stage.SIGNED, by=officer_a, confirmer=checklists_coordinator, start=date(2026, 9, 22))


# ---- end checklists ----


# ---- progress ----
@pytest.fixture
def progress_clock():
    """Time stands still at 9:00 on Wednesday 18 November 2026 (last month: October 2026)."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    import time_machine

    with time_machine.travel(datetime(2026, 11, 18, 9, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False) as traveller:
        yield traveller


@pytest.fixture
def progress_media(settings, tmp_path):
    """Uploaded photos go to a temporary MEDIA_ROOT."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def progress_coordinator(city, county_a, county_b):
    """An investment officer of 示范市投资促进局 (the coordinating unit), who confirms the counties' stages.

    The counties come first: units are kept sorted by kind, so a county added after the bureau would move the
    bureau's path in the database and leave this user's unit stale in memory.
    """
    from apps.investment.models import PipelineSettings
    from apps.org import roles
    from apps.org.models import Unit
    from apps.org.tests.factories import UserFactory, make_unit

    bureau = make_unit(parent=city, name="示范市投资促进局", kind=Unit.Kind.DEPARTMENT, code="990100P90")
    PipelineSettings.objects.update_or_create(pk=1, defaults={"coordinating_unit": bureau})
    return UserFactory(username="pg_coordinator", name="市投促局专员", unit=bureau, roles=[roles.INVESTMENT_OFFICER])


@pytest.fixture
def progress_handler(city):
    """A city department's handler: sees the landing pages of projects it takes part in, reports nothing."""
    from apps.org import roles
    from apps.org.models import Unit
    from apps.org.tests.factories import UserFactory, make_unit

    unit = make_unit(parent=city, name="示范市住房和城乡建设局", kind=Unit.Kind.DEPARTMENT, code="990100P05")
    return UserFactory(username="pg_handler", name="住建局经办人", unit=unit, roles=[roles.DEPARTMENT_HANDLER])


@pytest.fixture
def progress_viewer_a(county_a):
    """Someone of 东城区 who reads the landing pages but reports nothing (the leader's role)."""
    from apps.org import roles
    from apps.org.tests.factories import UserFactory

    return UserFactory(username="pg_viewer_a", name="东城区领导", unit=county_a, roles=[roles.CITY_LEADER])


@pytest.fixture
def progress_make(progress_clock, progress_coordinator):
    """Make a project of the officer's unit at a stage, signed on ``signed`` (confirmed by the bureau)."""
    from datetime import date

    from apps.investment.models import Stage
    from apps.investment.tests.factories import advance_to, lead, ready_to_sign

    def make(officer, stage=Stage.STARTED, *, name=None, signed=date(2026, 6, 1), confirm=True, **details):
        project = ready_to_sign(lead(officer, **({"name": name} if name else {})), officer)
        for field, value in details.items():
            setattr(project, field, value)
        project.save()
        advance_to(project, Stage.NEGOTIATION, by=officer, start=signed.replace(day=1) - date.resolution * 20)
        confirmer = progress_coordinator if confirm else None
        return advance_to(project, stage, by=officer, confirmer=confirmer, start=signed)

    return make


@pytest.fixture
def progress_project(progress_make, officer_a):
    """东城区's project (协议投资 5 亿元), signed on 1 June 2026 and started on 2 June, both confirmed."""
    return progress_make(officer_a, name="东城精密轴承项目")


# ---- end progress ----
