"""The landing permissions matrix: which landing rights each role holds, and what each persona gets from the pages.

Part one reads apps/org/roles.py through ``has_perm``: one row per built-in role, one column per permission of
apps/landing/permissions.py, written out as a yes/no table so that a change of the roles shows here.

Part two walks a representative set of landing pages as each persona: the answer (200, 302 to the login page,
403, 404; for a list, whether 东城区's record is on it) and, for the actions, that the change was made exactly when
it was allowed. 东城区's records are out of 西城区's scope, so ``officer_b`` gets 404 for every one of them.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from apps.investment.models import Project, Stage
from apps.investment.tests.factories import advance_to, lead, ready_to_sign
from apps.landing import permissions as perms
from apps.landing.models import (
    BatchStart,
    ChecklistStep,
    JointReview,
    ProgressReport,
    ProjectProblem,
    ReviewOpinion,
    StepStatus,
    Verdict,
)
from apps.landing.services.problems import raise_problem
from apps.landing.services.reviews import open_review
from apps.org import roles
from apps.org.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

Y, N = True, False

# ---- part one: the roles ----------------------------------------------------------------------------

#: the columns of ROLE_TABLE, in its order (看 view, 发 open, 意 opinion, 维 keep, 办 handle, 模 templates,
#: 提 raise, 答 answer, 填 report, 登 register)
PERMISSION_COLUMNS = (
    perms.VIEW_REVIEW, perms.OPEN_REVIEW, perms.GIVE_OPINION,
    perms.VIEW_CHECKLIST, perms.CHANGE_CHECKLIST, perms.HANDLE_STEP, perms.MANAGE_TEMPLATES,
    perms.VIEW_TASK_FORCE, perms.CHANGE_TASK_FORCE,
    perms.VIEW_PROBLEM, perms.RAISE_PROBLEM, perms.ANSWER_PROBLEM,
    perms.VIEW_PROGRESS, perms.REPORT_PROGRESS,
    perms.VIEW_BATCH, perms.CHANGE_BATCH,
)  # fmt: skip

ROLE_TABLE = {
    #                          联审      手续清单     专班   问题      进度   集中开工
    #                          看 发 意  看 维 办 模  看 维  看 提 答  看 填  看 登
    roles.INVESTMENT_OFFICER: (Y, Y, N,  Y, Y, Y, Y,  Y, Y,  Y, Y, Y,  Y, Y,  Y, Y),
    roles.COUNTY_ADMIN:       (Y, Y, N,  Y, Y, Y, N,  Y, Y,  Y, Y, Y,  Y, Y,  Y, Y),
    roles.CITY_LEADER:        (Y, N, N,  Y, N, N, N,  Y, N,  Y, N, N,  Y, N,  Y, N),
    roles.DEPARTMENT_HANDLER: (Y, N, Y,  Y, N, Y, N,  Y, N,  Y, N, Y,  Y, N,  Y, N),
    roles.ASSESSMENT_ADMIN:   (Y, N, N,  Y, N, N, N,  Y, N,  Y, N, N,  Y, N,  Y, N),
    roles.BIZENV_ADMIN:       (N, N, N,  N, N, N, N,  N, N,  N, N, N,  N, N,  N, N),
    roles.SUPERVISION_OFFICER: (N, N, N, N, N, N, N,  N, N,  N, N, N,  N, N,  N, N),
    roles.POLICY_OFFICER:     (N, N, N,  N, N, N, N,  N, N,  N, N, N,  N, N,  N, N),
    roles.LEGAL_REVIEWER:     (N, N, N,  N, N, N, N,  N, N,  N, N, N,  N, N,  N, N),
    roles.SERVICE_WINDOW:     (N, N, N,  N, N, N, N,  N, N,  N, N, N,  N, N,  N, N),
    roles.HOTLINE_AGENT:      (N, N, N,  N, N, N, N,  N, N,  N, N, N,  N, N,  N, N),
    roles.HOTLINE_ADMIN:      (N, N, N,  N, N, N, N,  N, N,  N, N, N,  N, N,  N, N),
    roles.ENTERPRISE_USER:    (N, N, N,  N, N, N, N,  N, N,  N, N, N,  N, N,  N, N),
    roles.SYSTEM_ADMIN:       (N, N, N,  N, N, N, N,  N, N,  N, N, N,  N, N,  N, N),
    roles.SECURITY_ADMIN:     (N, N, N,  N, N, N, N,  N, N,  N, N, N,  N, N,  N, N),
    roles.AUDIT_ADMIN:        (N, N, N,  N, N, N, N,  N, N,  N, N, N,  N, N,  N, N),
}  # fmt: skip

ROLE_CASES = [
    (role, permission, held)
    for role, row in ROLE_TABLE.items()
    for permission, held in zip(PERMISSION_COLUMNS, row, strict=True)
]


def test_the_table_covers_every_role_and_every_landing_permission():
    declared = {value for name, value in vars(perms).items() if name.isupper() and str(value).startswith("landing.")}

    assert set(PERMISSION_COLUMNS) == declared
    assert len(PERMISSION_COLUMNS) == len(declared)
    assert set(ROLE_TABLE) == {role.code for role in roles.BUILTIN_ROLES}


def test_every_landing_permission_exists():
    """A role cannot hold a permission the database lacks: every name in permissions.py is a real permission."""
    existing = set(Permission.objects.filter(content_type__app_label="landing").values_list("codename", flat=True))

    assert {name.split(".", 1)[1] for name in PERMISSION_COLUMNS} - existing == set()


@pytest.mark.parametrize(("role", "permission", "held"), ROLE_CASES, ids=[f"{r}-{p}" for r, p, _ in ROLE_CASES])
def test_what_each_role_holds(county_a, role, permission, held):
    user = UserFactory(username=f"perm_{role}", unit=county_a, roles=[role])

    assert user.has_perm(permission) is held


def test_a_person_without_a_role_holds_no_landing_permission(county_a):
    user = UserFactory(username="perm_nobody", unit=county_a)

    assert [permission for permission in PERMISSION_COLUMNS if user.has_perm(permission)] == []


# ---- part two: the pages ----------------------------------------------------------------------------


@dataclass
class Scene:
    """东城区's landing records on Monday 12 October 2026, each touching 示范市生态环境局 (the handler's unit)."""

    started: Project  # signed 24 September, started 29 September; its checklist came from the template
    step: ChecklistStep  # the started project's 环评批复, 示范市生态环境局's step, waiting
    problem: ProjectProblem  # raised on the started project, given to 示范市生态环境局, open
    review: JointReview  # on a project in talks, asking 示范市生态环境局 and 自然资源和规划局, open
    opinion: ReviewOpinion  # 示范市生态环境局's, not yet given
    in_talks: Project  # another project in talks without a review: no department takes part in it yet


def _in_talks(officer, name: str) -> Project:
    return advance_to(ready_to_sign(lead(officer, name=name), officer), Stage.NEGOTIATION, by=officer)


@pytest.fixture
def scene(county_a, county_b, checklists_project, checklists_departments, checklists_coordinator, officer_a):
    """Both counties come before any department: units are sorted by kind, so a later county would move them."""
    ecology = checklists_departments["ecology"]
    started = advance_to(
        checklists_project, Stage.STARTED, by=officer_a, confirmer=checklists_coordinator, start=date(2026, 9, 29)
    )
    reviewed = _in_talks(officer_a, "东城新能源电池项目")
    review = open_review(
        project=reviewed,
        subject="东城新能源电池项目联评联审",
        departments=[ecology, checklists_departments["resources"]],
        time_limit_days=5,
        by=officer_a,
    )
    problem = raise_problem(
        project=started, title="施工用电接入滞后", category="utilities", department=ecology, by=officer_a
    )
    return Scene(
        started=started,
        step=ChecklistStep.objects.get(checklist__project=started, code="eia"),
        problem=problem,
        review=review,
        opinion=review.opinions.get(department=ecology),
        in_talks=_in_talks(officer_a, "东城生物医药项目"),
    )


@pytest.fixture
def handler(checklists_handlers):
    """示范市生态环境局's handler (部门经办人): asked by the review, given the step and the problem."""
    return checklists_handlers["ecology"]


@pytest.fixture
def other_handler(checklists_handlers):
    """示范市自然资源和规划局's handler: asked by the same review, given nothing of the started project."""
    return checklists_handlers["resources"]


@pytest.fixture
def coordinator(checklists_coordinator):
    """示范市投资促进局's investment officer: the coordinating unit, which sees every project and keeps templates."""
    return checklists_coordinator


@pytest.fixture
def hotline_a(county_a):
    """Someone of 东城区 without a landing role (a hotline agent)."""
    return UserFactory(username="pm_hotline_a", name="东城热线坐席", unit=county_a, roles=[roles.HOTLINE_AGENT])


@dataclass(frozen=True)
class Page:
    url: Callable[[Scene], str]
    method: str = "get"
    #: the form posted (for the persona, None when anonymous)
    data: Callable[[Scene, object], dict] | None = None
    #: for a list: text of 东城区's record that the list shows to those who see it
    needle: str = ""
    #: for an action: the state it changes, read before and after the request
    state: Callable[[Scene], object] | None = None
    #: for an action: that state once the action was made
    done: object = None


def _url(name: str, record: str = "") -> Callable[[Scene], str]:
    return lambda scene: reverse(f"landing:{name}", args=[getattr(scene, record).pk] if record else [])


def _refreshed(attribute: str, field: str) -> Callable[[Scene], object]:
    def read(scene: Scene) -> object:
        record = getattr(scene, attribute)
        return type(record).objects.values_list(field, flat=True).get(pk=record.pk)

    return read


def _batch_form(scene: Scene, user) -> dict:
    unit = user.unit if user is not None else scene.started.unit
    return {"name": "2026年冬季重大项目集中开工", "unit": unit.pk, "held_on": "2026-12-08", "venue": "高新区"}


PAGES = {
    # ---- lists ----
    "project_list": Page(_url("project_list"), needle="东城高端装备制造项目"),
    "review_list": Page(_url("review_list"), needle="东城新能源电池项目联评联审"),
    "step_list": Page(_url("step_list"), needle="东城高端装备制造项目"),
    "problem_list": Page(_url("problem_list"), needle="施工用电接入滞后"),
    "progress_ledger": Page(_url("progress_ledger"), needle="东城高端装备制造项目"),
    # ---- one record ----
    "project_landing": Page(_url("project_landing", "started")),
    "review_detail": Page(_url("review_detail", "review")),
    "step_detail": Page(_url("step_detail", "step")),
    "problem_detail": Page(_url("problem_detail", "problem")),
    "progress_page": Page(_url("project_progress", "started")),
    # ---- pages of their own ----
    "template_list": Page(_url("template_list")),
    "leader": Page(_url("leader")),
    # ---- actions ----
    "review_open": Page(
        _url("review_open", "in_talks"),
        method="post",
        data=lambda scene, user: {
            "subject": "东城生物医药项目联评联审",
            "departments": [scene.opinion.department_id],
            "time_limit_days": 5,
        },
        state=lambda scene: JointReview.objects.filter(project=scene.in_talks).count(),
        done=1,
    ),
    "opinion_answer": Page(
        _url("opinion_answer", "opinion"),
        method="post",
        data=lambda scene, user: {"verdict": Verdict.AGREE},
        state=_refreshed("opinion", "verdict"),
        done=Verdict.AGREE,
    ),
    "step_move": Page(
        _url("step_move", "step"),
        method="post",
        data=lambda scene, user: {"move": "start", "started_on": "2026-10-09"},
        state=_refreshed("step", "status"),
        done=StepStatus.IN_PROGRESS,
    ),
    "problem_create": Page(
        _url("problem_create", "started"),
        method="post",
        data=lambda scene, user: {
            "title": "施工用水接入",
            "category": "utilities",
            "source": "staff",
            "department": scene.problem.department_id,
        },
        state=lambda scene: ProjectProblem.objects.filter(project=scene.started).count(),
        done=2,
    ),
    "problem_answer": Page(
        _url("problem_answer", "problem"),
        method="post",
        data=lambda scene, user: {"answer": "已协调供电公司，十月底前接入。"},
        state=_refreshed("problem", "status"),
        done=ProjectProblem.Status.ANSWERED,
    ),
    "progress_report": Page(
        _url("project_progress", "started"),
        method="post",
        data=lambda scene, user: {"month": "2026-09", "invested_in_month": "1200", "description": "场地平整"},
        state=lambda scene: ProgressReport.objects.filter(project=scene.started).count(),
        done=1,
    ),
    "batch_create": Page(
        _url("batch_create"),
        method="post",
        data=_batch_form,
        state=lambda scene: BatchStart.objects.count(),
        done=1,
    ),
}

LOGIN = "login"  # 302 to the login page
SEEN = "seen"  # 200, and 东城区's record is on the list
UNSEEN = "unseen"  # 200, and 东城区's record is not on it
DONE = "done"  # 302 after the change was made

#: the matrix's columns: anon = not logged in, off_a = officer_a, adm_a = county_admin_a, leader = city_leader,
#: dept = handler, dept2 = other_handler, coord = coordinator, sys = system_admin, hot_a = hotline_a, off_b = officer_b
PERSONAS = (
    "anonymous", "officer_a", "county_admin_a", "city_leader", "handler", "other_handler", "coordinator",
    "system_admin", "hotline_a", "officer_b",
)  # fmt: skip

#: Cells worth a word. sys: the system administrator's unit is the city, so 东城区's records are in its scope, but it
#: holds no landing right (403, not 404). dept2: a department sees what is addressed to it — the review, not the
#: project, its step or its problem, and of the review's opinions only its own. coord: the coordinating bureau sees
#: every project and keeps the templates, yet owns no county's project, so it opens, raises and reports nothing there.
MATRIX = {
    #                   anon    off_a   adm_a   leader  dept    dept2   coord   sys     hot_a   off_b
    "project_list":    (LOGIN,  SEEN,   SEEN,   SEEN,   SEEN,   UNSEEN, SEEN,   403,    403,    UNSEEN),
    "review_list":     (LOGIN,  SEEN,   SEEN,   SEEN,   SEEN,   SEEN,   SEEN,   403,    403,    UNSEEN),
    "step_list":       (LOGIN,  SEEN,   SEEN,   SEEN,   SEEN,   UNSEEN, SEEN,   403,    403,    UNSEEN),
    "problem_list":    (LOGIN,  SEEN,   SEEN,   SEEN,   SEEN,   UNSEEN, SEEN,   403,    403,    UNSEEN),
    "progress_ledger": (LOGIN,  SEEN,   SEEN,   SEEN,   SEEN,   UNSEEN, SEEN,   403,    403,    UNSEEN),
    "project_landing": (LOGIN,  200,    200,    200,    200,    404,    200,    403,    403,    404),
    "review_detail":   (LOGIN,  200,    200,    200,    200,    200,    200,    403,    403,    404),
    "step_detail":     (LOGIN,  200,    200,    200,    200,    404,    200,    403,    403,    404),
    "problem_detail":  (LOGIN,  200,    200,    200,    200,    404,    200,    403,    403,    404),
    "progress_page":   (LOGIN,  200,    200,    200,    200,    404,    200,    403,    403,    404),
    "template_list":   (LOGIN,  403,    403,    403,    403,    403,    200,    403,    403,    403),
    "leader":          (LOGIN,  200,    200,    200,    200,    200,    200,    403,    403,    200),
    "review_open":     (LOGIN,  DONE,   DONE,   403,    404,    404,    403,    403,    403,    404),
    "opinion_answer":  (LOGIN,  403,    403,    403,    DONE,   404,    403,    403,    403,    404),
    "step_move":       (LOGIN,  DONE,   DONE,   403,    DONE,   404,    403,    403,    403,    404),
    "problem_create":  (LOGIN,  DONE,   DONE,   403,    403,    404,    403,    403,    403,    404),
    "problem_answer":  (LOGIN,  403,    403,    403,    DONE,   404,    403,    403,    403,    404),
    "progress_report": (LOGIN,  DONE,   DONE,   403,    403,    404,    403,    403,    403,    404),
    "batch_create":    (LOGIN,  DONE,   DONE,   403,    403,    403,    DONE,   403,    403,    DONE),
}  # fmt: skip


def test_the_matrix_has_a_row_for_every_page_it_names():
    assert list(MATRIX) == list(PAGES)


def _outcome(spec: Page, response, before, after) -> object:
    """What the persona got, in the matrix's terms; a refused action that changed something says so."""
    status = response.status_code
    if status == 302 and response["Location"].startswith(reverse("org:login")):
        outcome = LOGIN
    elif status == 302 and spec.state is not None:
        outcome = DONE if after == spec.done else f"302, ending as {after!r}"
    elif status == 200 and spec.needle:
        outcome = SEEN if spec.needle in response.content.decode() else UNSEEN
    else:
        outcome = status
    if spec.state is not None and outcome != DONE and after != before:
        outcome = f"{outcome}, yet changed"
    return outcome


@pytest.mark.parametrize("persona", PERSONAS)
def test_what_each_persona_gets_from_each_page(request, client, scene, persona):
    """One persona walks every page (the reads first, then the actions, each on its own record)."""
    user = None if persona == "anonymous" else request.getfixturevalue(persona)
    if user is not None:
        client.force_login(user)
    column = PERSONAS.index(persona)
    got = {}
    for name, spec in PAGES.items():
        before = spec.state(scene) if spec.state else None
        assert before != spec.done or spec.state is None, f"{name}: the scene already shows the change"
        if spec.method == "post":
            response = client.post(spec.url(scene), spec.data(scene, user))
        else:
            response = client.get(spec.url(scene))
        got[name] = _outcome(spec, response, before, spec.state(scene) if spec.state else None)

    assert got == {name: row[column] for name, row in MATRIX.items()}
