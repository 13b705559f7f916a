from django.apps import AppConfig


class YingshangConfig(AppConfig):
    """The project package as an app: it holds cross-app management commands such as ``demo``."""

    name = "yingshang"
    verbose_name = "Yingshang"
