from django.urls import path

from apps.assessment import models as keeping  # the keeping schemes section
from apps.assessment.models import Bulletin, Correction, Scheme, Snapshot  # the rankings section
from apps.assessment.views import admonitions as admonition_views  # the keeping schemes section
from apps.assessment.views import bulletins as bulletin_views  # the bulletins section
from apps.assessment.views import deductions as deduction_views  # the keeping schemes section
from apps.assessment.views import rankings  # the rankings section
from apps.assessment.views import schemes as scheme_views  # the keeping schemes section
from apps.assessment.views import targets as target_views  # the keeping schemes section
from apps.core.scope import scoped_path

app_name = "assessment"

urlpatterns = [
    # ---- keeping schemes ----
    path("", scheme_views.scheme_list, name="scheme_list"),
    path("schemes/new/", scheme_views.scheme_create, name="scheme_create"),
    scoped_path("schemes/<int:pk>/", scheme_views.scheme_detail, name="scheme_detail", model=keeping.Scheme),
    scoped_path(
        "schemes/<int:pk>/template/", scheme_views.target_template, name="target_template", model=keeping.Scheme
    ),
    scoped_path("schemes/<int:pk>/import/", scheme_views.target_import, name="target_import", model=keeping.Scheme),
    scoped_path("targets/<int:pk>/", target_views.target_detail, name="target_detail", model=keeping.Target),
    scoped_path(
        "manual-values/<int:pk>/evidence/",
        target_views.manual_value_evidence,
        name="manual_value_evidence",
        model=keeping.ManualValue,
    ),
    path("deductions/", deduction_views.deduction_list, name="deduction_list"),
    scoped_path(
        "schemes/<int:pk>/deductions/new/",
        deduction_views.deduction_create,
        name="deduction_create",
        model=keeping.Scheme,
    ),
    scoped_path(
        "deductions/<int:pk>/revoke/",
        deduction_views.deduction_revoke,
        name="deduction_revoke",
        model=keeping.Deduction,
    ),
    path("admonitions/", admonition_views.admonition_list, name="admonition_list"),
    scoped_path(
        "admonitions/<int:pk>/",
        admonition_views.admonition_detail,
        name="admonition_detail",
        model=keeping.Admonition,
    ),
    # ---- end keeping schemes ----
    # ---- rankings ----
    path("leader/", rankings.leader, name="leader"),
    path("rankings/", rankings.snapshot_list, name="snapshot_list"),
    scoped_path("rankings/<int:pk>/", rankings.snapshot_detail, name="snapshot_detail", model=Snapshot),
    scoped_path(
        "corrections/<int:pk>/explain/", rankings.correction_explain, name="correction_explain", model=Correction
    ),
    scoped_path("schemes/<int:pk>/standing/", rankings.standing, name="standing", model=Scheme),
    scoped_path("schemes/<int:pk>/snapshots/new/", rankings.snapshot_take, name="snapshot_take", model=Scheme),
    # ---- end rankings ----
    # ---- bulletins ----
    path("bulletins/", bulletin_views.bulletin_list, name="bulletin_list"),
    scoped_path("rankings/<int:pk>/bulletin/", bulletin_views.bulletin_create, name="bulletin_create", model=Snapshot),
    scoped_path("bulletins/<int:pk>/", bulletin_views.bulletin_detail, name="bulletin_detail", model=Bulletin),
    scoped_path(
        "bulletins/<int:pk>/download/<str:fmt>/",
        bulletin_views.bulletin_download,
        name="bulletin_download",
        model=Bulletin,
        example_kwargs={"fmt": "pdf"},
    ),  # fmt: skip
    scoped_path("bulletins/<int:pk>/retry/", bulletin_views.bulletin_retry, name="bulletin_retry", model=Bulletin),
    path("bulletin-templates/", bulletin_views.template_list, name="template_list"),
    scoped_path(
        "bulletin-templates/<str:kind>/",
        bulletin_views.template_download,
        name="template_download",
        model=None,
        example_kwargs={"kind": "monthly"},
    ),  # fmt: skip
    scoped_path(
        "bulletin-templates/<str:kind>/upload/",
        bulletin_views.template_upload,
        name="template_upload",
        model=None,
        example_kwargs={"kind": "monthly"},
    ),  # fmt: skip
    scoped_path(
        "bulletin-templates/<str:kind>/reset/",
        bulletin_views.template_reset,
        name="template_reset",
        model=None,
        example_kwargs={"kind": "monthly"},
    ),  # fmt: skip
    # ---- end bulletins ----
]
