from django.contrib.auth import views as auth_views
from django.urls import path

from apps.core.scope import global_path, scoped_path
from apps.org import views
from apps.org.models import Role, Unit, User

app_name = "org"

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", views.password_change, name="password_change"),
    path("units/", views.unit_list, name="unit_list"),
    path("units/new/", views.unit_create, name="unit_create"),
    scoped_path("units/<int:pk>/", views.unit_detail, name="unit_detail", model=Unit),
    scoped_path("units/<int:pk>/edit/", views.unit_edit, name="unit_edit", model=Unit),
    path("people/", views.person_list, name="person_list"),
    path("people/new/", views.person_create, name="person_create"),
    scoped_path("people/<int:pk>/", views.person_detail, name="person_detail", model=User),
    scoped_path("people/<int:pk>/edit/", views.person_edit, name="person_edit", model=User),
    scoped_path("people/<int:pk>/phone/", views.person_reveal_phone, name="person_reveal_phone", model=User),
    scoped_path("people/<int:pk>/password/", views.person_reset_password, name="person_reset_password", model=User),
    scoped_path("people/<int:pk>/active/", views.person_set_active, name="person_set_active", model=User),
    scoped_path("people/<int:pk>/unlock/", views.person_unlock, name="person_unlock", model=User),
    scoped_path("people/<int:pk>/roles/", views.person_roles, name="person_roles", model=User),
    path("roles/", views.role_list, name="role_list"),
    path("roles/new/", views.role_form, name="role_create"),
    global_path("roles/<int:pk>/", views.role_detail, name="role_detail", model=Role),
    global_path("roles/<int:pk>/edit/", views.role_form, name="role_edit", model=Role),
    global_path("roles/<int:pk>/delete/", views.role_delete, name="role_delete", model=Role),
]
