"""The 诉求办理 menu section."""

from django.utils.translation import gettext_lazy as _

from apps.appeals import permissions
from apps.core import navigation
from apps.core.navigation import NavItem

VIEW = "appeals.view_appeal"


def register() -> None:
    items: list[NavItem] = [
        NavItem(_("登记诉求"), "appeals:create", permissions.RECORD_APPEAL),
        NavItem(_("工单列表"), "appeals:list", VIEW),
        NavItem(_("考核统计"), "appeals:statistics", VIEW),
        NavItem(_("热点分析"), "appeals:hot_spots", VIEW),
        NavItem(_("回访工作台"), "appeals:follow_up_list", permissions.FOLLOW_UP_APPEAL),
        NavItem(_("知识库"), "appeals:article_list", VIEW),
        NavItem(_("派单目录"), "appeals:catalogue_list", VIEW),
        NavItem(_("时限配置"), "appeals:policy_list", VIEW),
        NavItem(_("登记评价"), "appeals:rating_create", permissions.RECORD_RATING),
        NavItem(_("好差评台账"), "appeals:rating_list", permissions.VIEW_RATING),
        NavItem(_("差评整改"), "appeals:bad_rating_list", permissions.VIEW_RATING),
        NavItem(_("好差评统计"), "appeals:rating_summary", permissions.VIEW_RATING),
        NavItem(_("好差评推送"), "appeals:rating_push_list", permissions.VERIFY_RATING),
        NavItem(_("企业评议部门"), "appeals:evaluation_list", permissions.VIEW_CAMPAIGN),
        NavItem(_("评议意见审核"), "appeals:evaluation_comments", permissions.REVIEW_EVALUATION_COMMENT),
    ]
    navigation.register("appeals", _("诉求办理"), 45, items)
