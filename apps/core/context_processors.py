from apps.core import navigation


def navigation_menu(request) -> dict:
    return {"main_menu": navigation.menu_for(request.user)}
