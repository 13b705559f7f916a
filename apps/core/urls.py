from auditlog.models import LogEntry
from django.urls import path

from apps.core.models import CalendarDay, CalendarYear, Delivery, GroupRobot
from apps.core.scope import global_path, scoped_path
from apps.core.views import audit, calendar, deliveries, home, notice_settings, notices

app_name = "core"

urlpatterns = [
    path("audit/log/", audit.log_list, name="audit_log_list"),
    global_path("audit/log/<int:pk>/", audit.log_detail, name="audit_log_detail", model=LogEntry),
    path("audit/logins/", audit.login_list, name="audit_login_list"),
    path("calendar/", calendar.calendar_home, name="calendar"),
    scoped_path(
        "calendar/<int:year>/", calendar.calendar_year, name="calendar_year", model=None, example_kwargs={"year": 2024}
    ),
    path("calendar/days/", calendar.calendar_day_list, name="calendar_day_list"),
    path("calendar/days/new/", calendar.calendar_day_create, name="calendar_day_create"),
    global_path(
        "calendar/days/<int:pk>/edit/", calendar.calendar_day_edit, name="calendar_day_edit", model=CalendarDay
    ),
    global_path(
        "calendar/days/<int:pk>/delete/", calendar.calendar_day_delete, name="calendar_day_delete", model=CalendarDay
    ),
    path("calendar/years/new/", calendar.calendar_year_declare, name="calendar_year_declare"),
    global_path(
        "calendar/years/<int:pk>/withdraw/",
        calendar.calendar_year_withdraw,
        name="calendar_year_withdraw",
        model=CalendarYear,
    ),
    path("calendar/calculate/", calendar.calendar_calculate, name="calendar_calculate"),
    path("calendar/import/", calendar.calendar_import, name="calendar_import"),
    path("calendar/import/template/", calendar.calendar_import_template, name="calendar_import_template"),
    path("notices/", notices.notice_list, name="notice_list"),
    path("notices/read/", notices.notice_read, name="notice_read"),
    path("notices/settings/", notice_settings.notice_settings, name="notice_settings"),
    path("notices/robots/", notice_settings.robot_list, name="robot_list"),
    path("notices/robots/new/", notice_settings.robot_create, name="robot_create"),
    scoped_path("notices/robots/<int:pk>/edit/", notice_settings.robot_edit, name="robot_edit", model=GroupRobot),
    scoped_path(
        "notices/robots/<int:pk>/deactivate/",
        notice_settings.robot_deactivate,
        name="robot_deactivate",
        model=GroupRobot,
    ),
    path("notices/deliveries/", deliveries.delivery_list, name="delivery_list"),
    scoped_path("notices/deliveries/<int:pk>/retry/", deliveries.delivery_retry, name="delivery_retry", model=Delivery),
    path("", home.home, name="home"),
]
