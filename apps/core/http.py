from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str | None:
    """The client's address: behind our nginx (which overwrites X-Forwarded-For) the header, else the socket.

    The header is trusted only when BEHIND_TLS_PROXY says a proxy sets it; otherwise a client could
    choose its own address and escape the login lockout. django-auditlog reads the same header.
    """
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if settings.BEHIND_TLS_PROXY and forwarded:
        return forwarded.split(",")[0].strip()
    return request.META.get("REMOTE_ADDR")
