from django.urls import include, path
from django.views.i18n import set_language

urlpatterns = [
    path("i18n/setlang/", set_language, name="set_language"),
    path("org/", include("apps.org.urls")),
    path("enterprises/", include("apps.enterprises.urls")),
    path("investment/", include("apps.investment.urls")),
    path("landing/", include("apps.landing.urls")),
    path("assessment/", include("apps.assessment.urls")),
    path("bizenv/", include("apps.bizenv.urls")),
    path("appeals/", include("apps.appeals.urls")),
    path("open311/v2/", include("apps.appeals.urls_open311")),
    path("supervision/", include("apps.supervision.urls")),
    path("policies/", include("apps.policies.urls")),
    path("chains/", include("apps.chains.urls")),
    path("api/", include("apps.api.urls")),
    path("cockpit/", include("apps.cockpit.urls")),
    path("", include("apps.core.urls")),
]
