import itertools

from stdnum.cn import uscc as stdnum_uscc

from apps.enterprises.models import Enterprise
from apps.enterprises.services import EnterpriseData, register_enterprise

_serial = itertools.count(1)


def valid_uscc(body: str | None = None) -> str:
    """A USCC with a correct check character: the given 17 characters, or a fresh 91990101… one."""
    body = body or f"91990101MA{next(_serial):07d}"
    return body + stdnum_uscc.calc_check_digit(body)


def make_enterprise(name: str, *, uscc: str = "", by=None, **fields) -> Enterprise:
    """An enterprise registered through the service, so that its names and index are in place."""
    return register_enterprise(data=EnterpriseData(name=name, uscc=uscc, **fields), by=by)
