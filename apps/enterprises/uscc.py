"""统一社会信用代码 (GB 32100-2015): normalising what people type and checking the check character.

python-stdnum (``stdnum.cn.uscc``) computes the MOD 31-3 check character; its ``validate()`` also
insists that the first eight characters be digits, which refuses real codes of registration
authorities written with letters (A 中央军委改革和编制办公室, N 农业, Y 其他). So the structure is
checked here and the check character by stdnum.
"""

import re
import unicodedata

from django.utils.translation import gettext as _
from stdnum.cn import uscc as stdnum_uscc

from apps.core.errors import BusinessRuleError

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
AUTHORITIES = "123456789ANY"
STRUCTURE = re.compile(rf"^[{AUTHORITIES}][{ALPHABET}]\d{{6}}[{ALPHABET}]{{10}}$")
FORBIDDEN = set("IOSVZ")


def normalize_uscc(value: str) -> str:
    """Full-width to half-width, separators and spaces dropped, upper case: what people paste."""
    return stdnum_uscc.compact(unicodedata.normalize("NFKC", value or "").replace("\u3000", ""))


def uscc_problem(value: str) -> str | None:
    """Why a (normalised) code is not a valid USCC, in words for the person who typed it; None when valid."""
    if len(value) != 18:
        return _("统一社会信用代码应为 18 位，现为 %(length)s 位。") % {"length": len(value)}
    wrong = sorted({ch for ch in value if ch not in ALPHABET})
    if wrong:
        letters = "、".join(wrong)
        if set(wrong) <= FORBIDDEN:
            return _("统一社会信用代码不使用字母 I、O、S、V、Z，请检查“%(letters)s”（常与数字 1、0、5 混淆）。") % {
                "letters": letters
            }
        return _("统一社会信用代码含有不允许的字符“%(letters)s”。") % {"letters": letters}
    if not STRUCTURE.match(value):
        return _("统一社会信用代码格式不正确：第 1 位是登记管理部门代码，第 3—8 位是行政区划代码（数字）。")
    if stdnum_uscc.calc_check_digit(value[:17]) != value[17]:
        return _("统一社会信用代码的校验位不正确，请核对是否有字符录错。")
    return None


def is_valid_uscc(value: str) -> bool:
    """True for a normalised, valid code."""
    return uscc_problem(value) is None


def clean_uscc(value: str) -> str:
    """The normalised code, or BusinessRuleError explaining what is wrong; "" stays ""."""
    code = normalize_uscc(value)
    if not code:
        return ""
    problem = uscc_problem(code)
    if problem:
        raise BusinessRuleError(problem, field="uscc")
    return code
