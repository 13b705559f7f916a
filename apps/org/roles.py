"""Built-in roles and the permissions each holds.

The three administrator roles (三员分立) are mutually exclusive and exclude every other role:
the system administrator keeps units, people and the calendar; the security administrator
keeps roles, role assignments and lockouts; the audit administrator reads the audit trail.
None of them holds a permission on business data. Later apps add their permissions to the
business roles here.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class BuiltinRole:
    code: str
    name: str
    description: str
    permissions: tuple[str, ...]
    is_administrator: bool = False


SYSTEM_ADMIN = "system_admin"
SECURITY_ADMIN = "security_admin"
AUDIT_ADMIN = "audit_admin"
CITY_LEADER = "city_leader"
INVESTMENT_OFFICER = "investment_officer"
COUNTY_ADMIN = "county_admin"
DEPARTMENT_HANDLER = "department_handler"
HOTLINE_AGENT = "hotline_agent"
HOTLINE_ADMIN = "hotline_admin"
ENTERPRISE_USER = "enterprise_user"
ASSESSMENT_ADMIN = "assessment_admin"
BIZENV_ADMIN = "bizenv_admin"
SUPERVISION_OFFICER = "supervision_officer"
POLICY_OFFICER = "policy_officer"
LEGAL_REVIEWER = "legal_reviewer"
SERVICE_WINDOW = "service_window"

ORG_READ = ("org.view_unit", "org.view_user")
ENTERPRISE_READ = ("enterprises.view_enterprise", "enterprises.view_contact")
ENTERPRISE_WRITE = (
    *ENTERPRISE_READ,
    "enterprises.add_enterprise",
    "enterprises.change_enterprise",
    "enterprises.add_contact",
    "enterprises.change_contact",
    "enterprises.delete_contact",
)
PROJECT_READ = ("investment.view_project", "investment.view_kpi")
PROJECT_WRITE = (
    *PROJECT_READ,
    "investment.add_project",
    "investment.change_project",
    "investment.approve_stage",
    "investment.import_project",
    "investment.view_claim",
    "investment.view_team",
    "investment.add_team",
    "investment.change_team",
    "investment.view_event",
    "investment.add_event",
    "investment.change_event",
    "investment.view_introducer",
    "investment.add_introducer",
    "investment.change_introducer",
    "investment.view_rewardclaim",
    "investment.add_rewardclaim",
    "investment.confirm_reward",
)
LANDING_READ = (
    "landing.view_jointreview",
    "landing.view_checklist",
    "landing.view_taskforce",
    "landing.view_projectproblem",
    "landing.view_progressreport",
    "landing.view_batchstart",
)
#: the project's own side: opens reviews, keeps checklists, task forces, problems and progress
LANDING_WRITE = (
    *LANDING_READ,
    "landing.add_jointreview",
    "landing.change_checklist",
    "landing.handle_step",
    "landing.add_taskforce",
    "landing.change_taskforce",
    "landing.add_projectproblem",
    "landing.answer_problem",
    "landing.add_progressreport",
    "landing.add_batchstart",
    "landing.change_batchstart",
)
#: a department asked for an opinion, given a step or a problem
LANDING_DEPARTMENT = (*LANDING_READ, "landing.give_opinion", "landing.handle_step", "landing.answer_problem")
#: every assessed unit reads its targets, rankings and bulletins
ASSESSMENT_READ = ("assessment.view_snapshot", "assessment.view_target", "assessment.view_bulletin")
#: an assessed unit enters its manual figures and time-progress plans
ASSESSMENT_UNIT = (*ASSESSMENT_READ, "assessment.enter_manual_value")
#: the 考核办: schemes, targets, snapshots, deductions, admonitions, bulletins and their templates
ASSESSMENT_KEEPER = (
    *ASSESSMENT_READ,
    "assessment.manage_scheme",
    "assessment.take_snapshot",
    "assessment.record_deduction",
    "assessment.record_admonition",
    "assessment.issue_bulletin",
    "assessment.manage_bulletin_template",
)
#: everyone who reads the business-environment indicator system (city-wide reference data)
BIZENV_READ = ("bizenv.view_methodology", "bizenv.view_round", "bizenv.view_case")
#: counties and departments that handle the cases of the time-limit commitments (承诺时限办件)
BIZENV_CASES = ("bizenv.record_case",)
#: a lead unit (牵头单位) enters the counties' raw values of the indicators it leads
BIZENV_LEAD = (*BIZENV_READ, "bizenv.enter_value")
#: the 营商环境建设局: keeps the indicator system's versions (edit drafts, publish, copy, import)
BIZENV_KEEPER = (
    *BIZENV_LEAD,
    "bizenv.manage_methodology",
    "bizenv.manage_round",
    "bizenv.view_all_results",
    "bizenv.manage_commitment",
    *BIZENV_CASES,
)
#: everyone who reads the rectification ledger (within their data scope)
SUPERVISION_READ = ("supervision.view_problem",)
#: a responsible unit: records its problems' progress, uploads evidence, reports completion
SUPERVISION_UNIT = (*SUPERVISION_READ, "supervision.report_progress")
#: the supervising office (督查室): opens problems, verifies, signs off, returns, imports
SUPERVISION_KEEPER = (*SUPERVISION_UNIT, "supervision.manage_problem")
#: everyone who sees enterprises reads the credit red/black lists (city-wide public information)
CREDIT_READ = ("supervision.view_creditentry",)
#: the supervising office keeps the lists: entries, imports, repairs (decided by a second person), effect rules
CREDIT_KEEPER = (*CREDIT_READ, "supervision.manage_credit", "supervision.approve_credit_repair")
#: every unit that handles tickets dispatched to it (主办/协办): sign for, contact, reply, ask for return or extension;
#: rectify its bad ratings and appeal against mistaken ones
APPEALS_HANDLER = (
    "appeals.view_appeal",
    "appeals.handle_appeal",
    "appeals.view_servicerating",
    "appeals.rectify_rating",
)
#: the 12345 hotline office: records, dispatches, reviews returns and extensions, follows up; sees callers' data;
#: records ratings, verifies bad ones, reviews appeals against them and sees the raters (the verification role)
APPEALS_OFFICE = (
    "appeals.view_appeal",
    "appeals.record_appeal",
    "appeals.manage_dispatch",
    "appeals.follow_up_appeal",
    "appeals.view_appellant_data",
    "appeals.manage_statistics",
    "appeals.view_servicerating",
    "appeals.record_rating",
    "appeals.verify_rating",
    "appeals.view_rater_data",
)
#: the units evaluated by enterprises (and their leaders) read their own published evaluation results
EVALUATION_READ = ("appeals.view_campaign",)
#: the business-environment bureau organises the anonymous evaluations of departments and reviews the comments
EVALUATION_KEEPER = (*EVALUATION_READ, "appeals.manage_evaluation", "appeals.review_evaluation_comment")
#: everyone who works with enterprises reads the policy registry (city-wide reference information)
POLICY_READ = ("policies.view_policy",)
#: a responsible department: reviews the applications for its items, proposes amounts, confirms 免申即享 cases
POLICY_DEPARTMENT = (*POLICY_READ, "policies.view_fulfilment", "policies.review_fulfilment")
#: the policy office: keeps the registry and its rules, runs the matching, reads the review (回头看)
POLICY_KEEPER = (*POLICY_DEPARTMENT, "policies.manage_policy", "policies.run_matching", "policies.view_review")
#: who reads the chain maps, their coverage, gaps and recommended targets (city-wide reference information)
CHAIN_READ = ("chains.view_chain",)
#: the investment bureau keeps the chain maps and confirms where enterprises sit on them
CHAIN_KEEPER = (*CHAIN_READ, "chains.manage_chain", "chains.place_enterprise")
#: the leaders' cockpit (驾驶舱): figures of every domain, each within the viewer's own scope
COCKPIT_READ = ("cockpit.view_cockpit",)
#: keepers of the registry: bulk imports and merging duplicates
ENTERPRISE_KEEPER = (
    *ENTERPRISE_WRITE,
    "enterprises.import_enterprise",
    "enterprises.merge_enterprise",
    "enterprises.view_duplicatesuggestion",
)
#: who configures the group robots of their unit subtree and reads (and retries) its notice deliveries
NOTICE_KEEPER = ("core.manage_robot", "core.view_delivery", "core.change_delivery")

BUILTIN_ROLES = (
    BuiltinRole(
        SYSTEM_ADMIN,
        _("系统管理员"),
        _("维护单位、人员账号、工作日历、企业标签和数据共享接口令牌；不分配角色，不查看审计日志和业务数据。"),
        (
            *ORG_READ,
            "org.manage_unit",
            "org.manage_user",
            "core.view_calendarday",
            "core.manage_calendar",
            *NOTICE_KEEPER,
            "enterprises.manage_tag",
            "api.manage_token",
            "cockpit.manage_regionmap",
        ),
        is_administrator=True,
    ),
    BuiltinRole(
        SECURITY_ADMIN,
        _("安全管理员"),
        _("维护角色及其权限、为人员分配角色、解除登录锁定；不维护账号，不查看审计日志和业务数据。"),
        ("org.view_user", "org.view_role", "org.manage_role", "org.assign_role", "org.unlock_user"),
        is_administrator=True,
    ),
    BuiltinRole(
        AUDIT_ADMIN,
        _("审计管理员"),
        _("查询、导出审计日志和登录日志；不维护账号和角色，不查看业务数据。"),
        ("auditlog.view_logentry", "axes.view_accesslog", "axes.view_accessfailurelog"),
        is_administrator=True,
    ),
    BuiltinRole(
        CITY_LEADER,
        _("市领导"),
        _("查看全市数据、排名和通报。"),
        (
            *ORG_READ,
            *ENTERPRISE_READ,
            *PROJECT_READ,
            *LANDING_READ,
            *ASSESSMENT_READ,
            *BIZENV_READ,
            "bizenv.view_all_results",
            *SUPERVISION_READ,
            "appeals.view_appeal",
            *EVALUATION_READ,
            *CREDIT_READ,
            *POLICY_READ,
            "policies.view_fulfilment",
            "policies.view_review",
            *CHAIN_READ,
            *COCKPIT_READ,
        ),
    ),
    BuiltinRole(
        INVESTMENT_OFFICER,
        _("招商专员"),
        _("投资促进局（招商局）工作人员，办理招商项目，维护企业库。"),
        (
            *ORG_READ,
            *ENTERPRISE_KEEPER,
            *PROJECT_WRITE,
            *LANDING_WRITE,
            "investment.decide_claim",
            "investment.manage_pipeline",
            "landing.add_checklisttemplate",
            "landing.change_checklisttemplate",
            *BIZENV_READ,
            *CREDIT_READ,
            *POLICY_READ,
            *CHAIN_KEEPER,
            *COCKPIT_READ,
        ),
    ),
    BuiltinRole(
        COUNTY_ADMIN,
        _("区县管理员"),
        _("区县（开发区）牵头部门工作人员，管理本区县数据，维护企业库。"),
        (
            *ORG_READ,
            *ENTERPRISE_KEEPER,
            *PROJECT_WRITE,
            *LANDING_WRITE,
            *ASSESSMENT_UNIT,
            *BIZENV_READ,
            *BIZENV_CASES,
            *APPEALS_HANDLER,
            *SUPERVISION_UNIT,
            *EVALUATION_READ,
            *CREDIT_READ,
            *POLICY_DEPARTMENT,
            *CHAIN_READ,
            *NOTICE_KEEPER,
            *COCKPIT_READ,  # the county's own cockpit: its figures only
        ),
    ),
    BuiltinRole(
        DEPARTMENT_HANDLER,
        _("部门经办人"),
        _("职能部门工作人员，办理转办事项。"),
        (
            "org.view_unit",
            *ENTERPRISE_READ,
            "investment.view_project",
            "investment.add_project",
            *LANDING_DEPARTMENT,
            *ASSESSMENT_UNIT,
            *BIZENV_LEAD,
            *BIZENV_CASES,
            *APPEALS_HANDLER,
            "appeals.maintain_knowledge",  # its own unit's articles only (appeals/permissions.py)
            *SUPERVISION_UNIT,
            *EVALUATION_READ,
            *CREDIT_READ,
            *POLICY_DEPARTMENT,
            *CHAIN_READ,
        ),
    ),
    BuiltinRole(
        HOTLINE_AGENT,
        _("热线坐席"),
        _("12345 热线话务员，登记和转办诉求。"),
        ("org.view_unit", *ENTERPRISE_WRITE, "investment.add_project", *APPEALS_OFFICE, *POLICY_READ),
    ),
    BuiltinRole(
        HOTLINE_ADMIN,
        _("热线办管理员"),
        _("12345 热线办负责人，除坐席的工作外，维护派单目录和办理时限（以新版本及生效日期发布）。"),
        ("org.view_unit", *ENTERPRISE_WRITE, *APPEALS_OFFICE, "appeals.maintain_codes"),
    ),
    BuiltinRole(
        ASSESSMENT_ADMIN,
        _("考核管理员"),
        _("考核单位工作人员，制定考核方案和目标，生成排名，登记扣分和约谈，印发考核通报。"),
        (*ORG_READ, *PROJECT_READ, *LANDING_READ, *ASSESSMENT_KEEPER, *BIZENV_READ),
    ),
    BuiltinRole(
        BIZENV_ADMIN,
        _("营商环境管理员"),
        _(
            "营商环境建设局工作人员，维护营商环境评价指标体系的版本，组织评价轮次：审核、退回各牵头单位填报的数据，发布评价结果。"
        ),
        (*ORG_READ, *BIZENV_KEEPER, *EVALUATION_KEEPER, *COCKPIT_READ),
    ),
    BuiltinRole(
        SUPERVISION_OFFICER,
        _("督查专员"),
        _("政府办公室督查室工作人员，建立问题整改台账，核验责任单位的整改结果，销号或退回，发出督办通知。"),
        (
            *ORG_READ,
            *SUPERVISION_KEEPER,
            *CREDIT_KEEPER,
            *ENTERPRISE_READ,
            *POLICY_READ,
            "policies.view_fulfilment",
            "policies.view_review",
        ),
    ),
    BuiltinRole(
        POLICY_OFFICER,
        _("政策管理员"),
        _(
            "政策制定部门（发改、工信等）工作人员，维护惠企政策、条款和资格规则，发起政策匹配，审核本部门条款的兑现申请，查看回头看统计。"
        ),
        (*ORG_READ, *ENTERPRISE_READ, *POLICY_KEEPER, *CREDIT_READ),
    ),
    BuiltinRole(
        LEGAL_REVIEWER,
        _("法制审核员"),
        _("司法行政部门工作人员，对各部门提出的兑现意见进行法制审核（法制把关）。"),
        (
            "org.view_unit",
            *ENTERPRISE_READ,
            *POLICY_READ,
            "policies.view_fulfilment",
            "policies.legal_review_fulfilment",
        ),
    ),
    BuiltinRole(
        SERVICE_WINDOW,
        _("政务服务窗口"),
        _("政务服务中心惠企政策兑现窗口工作人员，受理企业的窗口申报，登记兑付。"),
        (
            "org.view_unit",
            *ENTERPRISE_READ,
            *POLICY_READ,
            "policies.view_fulfilment",
            "policies.apply_fulfilment",
            "policies.pay_fulfilment",
        ),
    ),
    BuiltinRole(ENTERPRISE_USER, _("企业用户"), _("企业经办人，通过企业门户提交诉求和评价。"), ()),
)

ADMINISTRATOR_CODES = frozenset(role.code for role in BUILTIN_ROLES if role.is_administrator)
