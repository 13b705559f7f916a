app_name = "assessment"

urlpatterns = [
    # ---- keeping schemes ----
    # ---- end keeping schemes ----
    # ---- rankings ----
    # ---- end rankings ----
]
