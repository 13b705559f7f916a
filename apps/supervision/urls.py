from django.urls import path

from apps.core.scope import global_path, scoped_path
from apps.supervision.models import (
    CaseSource,
    CreditEffectRule,
    CreditEntry,
    CreditRepair,
    Evidence,
    InvestorCommitment,
    Milestone,
    Problem,
    ProgressReport,
    SupervisionTask,
    TypicalCase,
)
from apps.supervision.views import cases, commitments, credit, defaults, imports, tasks
from apps.supervision.views import problems as views

app_name = "supervision"

urlpatterns = [
    path("", views.problem_list, name="problem_list"),
    path("new/", views.problem_create, name="problem_create"),
    path("import/", imports.problem_import, name="problem_import"),
    path("import/template/", imports.import_template, name="import_template"),
    scoped_path("<int:pk>/", views.problem_detail, name="problem_detail", model=Problem),
    scoped_path("<int:pk>/edit/", views.problem_edit, name="problem_edit", model=Problem),
    scoped_path("<int:pk>/start/", views.problem_start, name="problem_start", model=Problem),
    scoped_path("<int:pk>/report/", views.problem_report, name="problem_report", model=Problem),
    scoped_path("<int:pk>/return/", views.problem_return, name="problem_return", model=Problem),
    scoped_path("<int:pk>/sign-off/", views.problem_sign_off, name="problem_sign_off", model=Problem),
    scoped_path("<int:pk>/milestones/new/", views.milestone_create, name="milestone_create", model=Problem),
    scoped_path("<int:pk>/evidence/new/", views.evidence_create, name="evidence_create", model=Problem),
    scoped_path("<int:pk>/notice.docx", views.problem_notice, name="problem_notice", model=Problem),
    scoped_path("milestones/<int:pk>/done/", views.milestone_done, name="milestone_done", model=Milestone),
    scoped_path("evidence/<int:pk>/", views.evidence_download, name="evidence_download", model=Evidence),
    path("defaults/", defaults.default_list, name="default_list"),
    path("defaults/new/", defaults.default_create, name="default_create"),
    scoped_path("<int:pk>/clearance/", defaults.clearance_create, name="clearance_create", model=Problem),
    path("credit/", credit.credit_list, name="credit_list"),
    path("credit/new/", credit.credit_create, name="credit_create"),
    path("credit/import/", credit.credit_import, name="credit_import"),
    path("credit/import/template/", credit.credit_import_template, name="credit_import_template"),
    path("credit/rules/", credit.credit_rules, name="credit_rules"),
    global_path("credit/rules/<int:pk>/", credit.credit_rule_edit, name="credit_rule_edit", model=CreditEffectRule),
    global_path("credit/<int:pk>/", credit.credit_detail, name="credit_detail", model=CreditEntry),
    global_path("credit/<int:pk>/edit/", credit.credit_edit, name="credit_edit", model=CreditEntry),
    global_path(
        "credit/<int:pk>/repair/", credit.credit_repair_request, name="credit_repair_request", model=CreditEntry
    ),
    global_path(
        "credit/repairs/<int:pk>/decide/", credit.credit_repair_decide, name="credit_repair_decide", model=CreditRepair
    ),
    global_path(
        "credit/repairs/<int:pk>/evidence/",
        credit.credit_repair_evidence,
        name="credit_repair_evidence",
        model=CreditRepair,
    ),  # fmt: skip
    path("commitments/", commitments.commitment_list, name="commitment_list"),
    path("commitments/new/", commitments.commitment_create, name="commitment_create"),
    scoped_path(
        "commitments/<int:pk>/", commitments.commitment_detail, name="commitment_detail", model=InvestorCommitment
    ),
    scoped_path(
        "commitments/<int:pk>/edit/", commitments.commitment_edit, name="commitment_edit", model=InvestorCommitment
    ),
    scoped_path(
        "commitments/<int:pk>/fulfil/",
        commitments.commitment_fulfil,
        name="commitment_fulfil",
        model=InvestorCommitment,
    ),  # fmt: skip
    scoped_path(
        "commitments/<int:pk>/cancel/",
        commitments.commitment_cancel,
        name="commitment_cancel",
        model=InvestorCommitment,
    ),  # fmt: skip
    scoped_path(
        "commitments/<int:pk>/evidence/",
        commitments.commitment_evidence,
        name="commitment_evidence",
        model=InvestorCommitment,
    ),  # fmt: skip
    # supervision tasks (督办事项)
    path("tasks/", tasks.task_list, name="task_list"),
    path("tasks/new/", tasks.task_create, name="task_create"),
    path("tasks/overdue/", tasks.task_overdue, name="task_overdue"),
    scoped_path("tasks/<int:pk>/", tasks.task_detail, name="task_detail", model=SupervisionTask),
    scoped_path("tasks/<int:pk>/edit/", tasks.task_edit, name="task_edit", model=SupervisionTask),
    scoped_path("tasks/<int:pk>/report/", tasks.task_report, name="task_report", model=SupervisionTask),
    scoped_path(
        "tasks/<int:pk>/request-close/", tasks.task_request_close, name="task_request_close", model=SupervisionTask
    ),
    scoped_path("tasks/<int:pk>/return/", tasks.task_return, name="task_return", model=SupervisionTask),
    scoped_path("tasks/<int:pk>/close/", tasks.task_close, name="task_close", model=SupervisionTask),
    scoped_path("tasks/<int:pk>/document/", tasks.task_document, name="task_document", model=SupervisionTask),
    scoped_path(
        "tasks/reports/<int:pk>/attachment/", tasks.report_attachment, name="report_attachment", model=ProgressReport
    ),
    # typical cases (典型案例)
    path("cases/", cases.case_list, name="case_list"),
    path("cases/new/", cases.case_create, name="case_create"),
    scoped_path("cases/<int:pk>/", cases.case_detail, name="case_detail", model=TypicalCase),
    scoped_path("cases/<int:pk>/edit/", cases.case_edit, name="case_edit", model=TypicalCase),
    scoped_path("cases/<int:pk>/sources/new/", cases.case_source_add, name="case_source_add", model=TypicalCase),
    scoped_path("cases/<int:pk>/publish/", cases.case_publish, name="case_publish", model=TypicalCase),
    scoped_path("cases/<int:pk>/withdraw/", cases.case_withdraw, name="case_withdraw", model=TypicalCase),
    scoped_path("cases/<int:pk>/redraft/", cases.case_redraft, name="case_redraft", model=TypicalCase),
    scoped_path(
        "cases/sources/<int:pk>/remove/", cases.case_source_remove, name="case_source_remove", model=CaseSource
    ),
]
