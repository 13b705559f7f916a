"""Helpers of the credit tests: valid credit codes, enterprises carrying them, entries made by the office."""

import itertools
from datetime import timedelta

from django.utils import timezone
from stdnum.cn import uscc as stdnum_uscc

from apps.enterprises.tests.factories import make_enterprise
from apps.supervision.services.credit import create_entry

_serial = itertools.count(1)


def valid_uscc(number: int) -> str:
    """A code that passes the GB 32100 check: 91 (enterprise), 440101, nine digits, the check character."""
    body = f"91440101{number:09d}"
    return body + stdnum_uscc.calc_check_digit(body)


def enterprise_with_code(name: str = ""):
    number = next(_serial)
    return make_enterprise(name or f"信用测试{number}号建材有限公司", uscc=valid_uscc(1000 + number))


def list_enterprise(enterprise, *, by, kind="black", source=None, days_ago=10, **values):
    """Put the enterprise on a list, effective some days ago, by the office ``by``."""
    decided = timezone.localdate() - timedelta(days=days_ago)
    fields = {
        "kind": kind,
        "source": source or ("court" if kind == "black" else "tax_a"),
        "reason": "有履行能力而拒不履行生效法律文书确定的义务" if kind == "black" else "2025年度纳税信用A级",
        "legal_basis": "《最高人民法院关于公布失信被执行人名单信息的若干规定》",
        "document_number": f"（2026）示01执{next(_serial)}号",
        "decided_on": decided,
        "effective_from": decided,
        **values,
    }
    return create_entry(uscc=enterprise.uscc, by=by, **fields)
