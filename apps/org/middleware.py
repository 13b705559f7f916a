"""Session and password rules applied on every request (等保 身份鉴别 a, b)."""

from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

SESSION_STARTED_KEY = "session_started_at"


class SessionLimitMiddleware:
    """Ends a session that has lasted longer than SESSION_ABSOLUTE_HOURS, however active.

    The idle limit needs no code: SESSION_COOKIE_AGE with SESSION_SAVE_EVERY_REQUEST expires a
    session SESSION_IDLE_MINUTES after its last request.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated and self._expired(request):
            logout(request)
            messages.info(
                request, _("登录已超过 %(hours)d 小时，请重新登录。") % {"hours": settings.SESSION_ABSOLUTE_HOURS}
            )
            return redirect(settings.LOGIN_URL)
        response = self.get_response(request)
        if request.user.is_authenticated:  # also true right after the login view ran
            request.session.setdefault(SESSION_STARTED_KEY, timezone.now().timestamp())
        return response

    @staticmethod
    def _expired(request) -> bool:
        started = request.session.get(SESSION_STARTED_KEY)
        limit = timedelta(hours=settings.SESSION_ABSOLUTE_HOURS).total_seconds()
        return started is not None and timezone.now().timestamp() - started > limit


class PasswordPolicyMiddleware:
    """Sends a user who must change their password (first login, reset, expiry) to the change page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and password_change_required(user):
            allowed = {reverse("org:password_change"), reverse("org:logout"), reverse("set_language")}
            if request.path not in allowed and not request.path.startswith(settings.STATIC_URL):
                return redirect("org:password_change")
        return self.get_response(request)


def password_change_required(user) -> bool:
    """True when the user must set a new password before doing anything else."""
    if user.must_change_password:
        return True
    if settings.PASSWORD_EXPIRY_DAYS and user.password_changed_at:
        return timezone.now() - user.password_changed_at > timedelta(days=settings.PASSWORD_EXPIRY_DAYS)
    return False
