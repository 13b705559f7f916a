from django.urls import path

from apps.core.scope import global_path, scoped_path
from apps.investment.models import Project
from apps.landing.models import (  # the progress section
    BatchStart,
    ChecklistStep,
    ChecklistTemplate,
    JointReview,
    ProgressPhoto,
    ProgressReport,
    ProjectProblem,
    ReviewOpinion,
    TaskForce,
    TemplateStep,
)
from apps.landing.views import batches as batch_views  # the progress section
from apps.landing.views import checklists as checklist_views  # the checklists section
from apps.landing.views import problems, projects, reviews, taskforces
from apps.landing.views import progress as progress_views  # the progress section
from apps.landing.views import templates as template_views  # the checklists section

app_name = "landing"

urlpatterns = [
    path("", projects.project_list, name="project_list"),
    scoped_path("projects/<int:pk>/", projects.project_landing, name="project_landing", model=Project),
    # ---- reviews ----
    path("reviews/", reviews.review_list, name="review_list"),
    scoped_path("reviews/<int:pk>/", reviews.review_detail, name="review_detail", model=JointReview),
    scoped_path("reviews/<int:pk>/summary/", reviews.review_summary, name="review_summary", model=JointReview),
    scoped_path(
        "reviews/opinions/<int:pk>/answer/", reviews.opinion_answer, name="opinion_answer", model=ReviewOpinion
    ),
    scoped_path("projects/<int:pk>/reviews/new/", reviews.review_open, name="review_open", model=Project),
    # ---- end reviews ----
    # ---- checklists ----
    path("steps/", checklist_views.step_list, name="step_list"),
    scoped_path("steps/<int:pk>/", checklist_views.step_detail, name="step_detail", model=ChecklistStep),
    scoped_path("steps/<int:pk>/move/", checklist_views.step_move, name="step_move", model=ChecklistStep),
    scoped_path(
        "steps/<int:pk>/department/", checklist_views.step_department, name="step_department", model=ChecklistStep
    ),
    scoped_path(
        "projects/<int:pk>/checklist/new/", checklist_views.checklist_create, name="checklist_create", model=Project
    ),
    scoped_path(
        "projects/<int:pk>/checklist/template/",
        checklist_views.checklist_change_template,
        name="checklist_change_template",
        model=Project,
    ),
    scoped_path("projects/<int:pk>/checklist/steps/new/", checklist_views.step_add, name="step_add", model=Project),
    path("templates/", template_views.template_list, name="template_list"),
    path("templates/new/", template_views.template_create, name="template_create"),
    global_path("templates/<int:pk>/", template_views.template_detail, name="template_detail", model=ChecklistTemplate),
    global_path(
        "templates/<int:pk>/steps/new/",
        template_views.template_step_add,
        name="template_step_add",
        model=ChecklistTemplate,
    ),
    global_path(
        "template-steps/<int:pk>/", template_views.template_step_edit, name="template_step_edit", model=TemplateStep
    ),
    global_path(
        "template-steps/<int:pk>/delete/",
        template_views.template_step_delete,
        name="template_step_delete",
        model=TemplateStep,
    ),
    # ---- end checklists ----
    # ---- task forces and problems ----
    path("leader/", taskforces.leader_page, name="leader"),
    path("task-forces/", taskforces.task_force_list, name="task_force_list"),
    scoped_path("projects/<int:pk>/task-force/", taskforces.task_force_form, name="task_force_form", model=Project),
    scoped_path(
        "task-forces/<int:pk>/members/", taskforces.task_force_members, name="task_force_members", model=TaskForce
    ),
    scoped_path(
        "task-forces/<int:pk>/members/change/",
        taskforces.task_force_member_change,
        name="task_force_member_change",
        model=TaskForce,
    ),
    scoped_path(
        "task-forces/<int:pk>/members/remove/",
        taskforces.task_force_member_remove,
        name="task_force_member_remove",
        model=TaskForce,
    ),
    path("problems/", problems.problem_list, name="problem_list"),
    scoped_path("problems/<int:pk>/", problems.problem_detail, name="problem_detail", model=ProjectProblem),
    scoped_path("problems/<int:pk>/answer/", problems.problem_answer, name="problem_answer", model=ProjectProblem),
    scoped_path("problems/<int:pk>/close/", problems.problem_close, name="problem_close", model=ProjectProblem),
    scoped_path("problems/<int:pk>/reopen/", problems.problem_reopen, name="problem_reopen", model=ProjectProblem),
    scoped_path(
        "problems/<int:pk>/reassign/", problems.problem_reassign, name="problem_reassign", model=ProjectProblem
    ),
    scoped_path("projects/<int:pk>/problems/new/", problems.problem_create, name="problem_create", model=Project),
    # ---- end task forces and problems ----
    # ---- progress ----
    path("progress/", progress_views.progress_ledger, name="progress_ledger"),
    scoped_path("projects/<int:pk>/progress/", progress_views.project_progress, name="project_progress", model=Project),
    scoped_path("progress/<int:pk>/photos/", progress_views.photo_add, name="photo_add", model=ProgressReport),
    scoped_path("photos/<int:pk>/", progress_views.photo_view, name="photo_view", model=ProgressPhoto),
    scoped_path("photos/<int:pk>/delete/", progress_views.photo_delete, name="photo_delete", model=ProgressPhoto),
    scoped_path(
        "projects/<int:pk>/milestones/", progress_views.project_milestone_plan, name="project_milestones", model=Project
    ),
    scoped_path(
        "projects/<int:pk>/milestones/reach/", progress_views.milestone_reach, name="milestone_reach", model=Project
    ),
    path("gantt/", progress_views.gantt_chart, name="gantt"),
    path("batches/", batch_views.batch_list, name="batch_list"),
    path("batches/new/", batch_views.batch_create, name="batch_create"),
    scoped_path("batches/<int:pk>/", batch_views.batch_detail, name="batch_detail", model=BatchStart),
    scoped_path("batches/<int:pk>/edit/", batch_views.batch_edit, name="batch_edit", model=BatchStart),
    scoped_path(
        "batches/<int:pk>/projects/", batch_views.batch_add_projects, name="batch_add_projects", model=BatchStart
    ),
    scoped_path(
        "batches/<int:pk>/projects/remove/",
        batch_views.batch_remove_project,
        name="batch_remove_project",
        model=BatchStart,
    ),
    scoped_path("batches/<int:pk>/register/", batch_views.batch_register, name="batch_register", model=BatchStart),
    scoped_path("batches/<int:pk>/print/", batch_views.batch_print, name="batch_print", model=BatchStart),
    # ---- end progress ----
]
