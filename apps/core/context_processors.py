from apps.core import navigation, notices


def navigation_menu(request) -> dict:
    if not request.user.is_authenticated:
        return {"main_menu": []}
    return {"main_menu": navigation.menu_for(request.user), "unread_notices": notices.unread_count(request.user)}
