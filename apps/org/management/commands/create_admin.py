"""Create one of the three administrators on a new installation (there is no superuser).

    manage.py create_admin --role system_admin --username sysadmin --name 张三 \\
        --city-name 示范市 --city-code 990100

The password is read from YINGSHANG_ADMIN_PASSWORD or asked for twice; the administrator must
change it at first login. The city (root unit) is created when the database has none yet.
"""

import getpass
import os

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from apps.core.errors import BusinessRuleError
from apps.org import services
from apps.org.models import Role, Unit
from apps.org.roles import ADMINISTRATOR_CODES


class Command(BaseCommand):
    help = "创建系统管理员、安全管理员或审计管理员账号（本系统不设超级用户）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--role", required=True, choices=sorted(ADMINISTRATOR_CODES))
        parser.add_argument("--username", required=True)
        parser.add_argument("--name", required=True, help="姓名")
        parser.add_argument("--city-name", help="数据库中还没有根单位时，新建的市的名称")
        parser.add_argument("--city-code", help="新建的市的 6 位行政区划代码")

    def handle(
        self, *args, role: str, username: str, name: str, city_name: str | None, city_code: str | None, **options
    ):
        password = os.environ.get("YINGSHANG_ADMIN_PASSWORD") or self._ask_password()
        try:
            with transaction.atomic():
                city = self._city(city_name, city_code)
                person = services.create_person(username=username, password=password, by=None, name=name, unit=city)
                services.assign_roles(person=person, roles=Role.objects.filter(code=role), by=None)
        except BusinessRuleError as error:
            raise CommandError(error.message) from error
        self.stdout.write(
            self.style.SUCCESS(f"已创建 {person}，角色：{Role.objects.get(code=role).name}；首次登录须修改密码。")
        )

    def _city(self, city_name: str | None, city_code: str | None) -> Unit:
        city = Unit.objects.filter(depth=1).first()
        if city is not None:
            return city
        if not (city_name and city_code):
            raise CommandError("数据库中还没有根单位，请用 --city-name 和 --city-code 指定要新建的市。")
        return services.create_unit(parent=None, by=None, name=city_name, kind=Unit.Kind.CITY, code=city_code)

    def _ask_password(self) -> str:
        first = getpass.getpass("初始密码：")
        if first != getpass.getpass("再次输入："):
            raise CommandError("两次输入的密码不一致。")
        return first
