"""The comparer's reasons in words, for screens, exports and the match_names command."""

from django.utils.translation import gettext as _

from apps.enterprises.matching.compare import Reason

TEMPLATES = {
    "uscc_equal": lambda d: _("统一社会信用代码相同"),
    "uscc_differs": lambda d: _("统一社会信用代码不同，不是同一法人"),
    "name_equal": lambda d: _("名称相同"),
    "core_equal": lambda d: _("字号和行业相同（%(core)s）") % d,
    "region_missing": lambda d: _("一方未写注册地"),
    "region_conflict": lambda d: _("注册地不同（%(first)s / %(second)s）") % d,
    "legal_form_differs": lambda d: _("组织形式不同（%(first)s / %(second)s）") % d,
    "short_name": lambda d: _("“%(short)s”可能是“%(full)s”的简称") % d,
    "region_abbreviation": lambda d: _("“%(abbreviation)s”是%(region)s的简称") % d,
    "same_trade_name": lambda d: _("字号相同（%(trade)s）") % d,
    "common_trade_name": lambda d: _("字号“%(trade)s”常见，不能说明同属一个集团") % d,
    "branch_of": lambda d: _("“%(branch)s”是“%(parent)s”的分支机构") % d,
    "sibling_branches": lambda d: _("同一企业（%(parent)s）的不同分支机构") % d,
    "same_branch": lambda d: _("同一分支机构"),
    "similar": lambda d: _("名称相似度 %(percent)s%%") % d,
    "same_pinyin": lambda d: _("拼音首字母匹配（%(initials)s）") % d,
    "group_member": lambda d: _("同属集团“%(group)s”") % d,
}


def describe(reason: Reason) -> str:
    """One reason as a short Chinese phrase."""
    template = TEMPLATES.get(reason.code)
    return template(reason.detail) if template else reason.code


def describe_all(reasons) -> str:
    """Reasons joined for one table cell: 字号和行业相同（华为技术）；一方未写注册地."""
    return "；".join(describe(r if isinstance(r, Reason) else Reason(r["code"], r.get("detail", {}))) for r in reasons)
