import time

from django.core.management.base import BaseCommand, CommandError, CommandParser

from yingshang.demo import runner
from yingshang.demo.context import DEFAULT_SEED
from yingshang.demo.table import format_table

#: two years of a city's 12345 tickets (issue 8); the tests build the demo with fewer
DEMO_TICKETS = 50_000


class Command(BaseCommand):
    help = "生成虚构的示范市演示数据（区县、乡镇街道、部门、各角色人员、演示账号、企业名录和招商项目）；已存在时只列出演示账号。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="随机种子：相同的种子和规模生成相同的数据")
        parser.add_argument("--scale", type=int, default=1, help="规模倍数：人员数量乘以该数（并适当增加乡镇街道）")
        parser.add_argument("--tickets", type=int, default=DEMO_TICKETS, help="12345诉求工单数（两年内）")
        parser.add_argument("--reset", action="store_true", help="删除已生成的示范市数据后重新生成")

    def handle(self, *args, seed: int, scale: int, tickets: int, reset: bool, **options) -> None:
        if scale < 1:
            raise CommandError("--scale 必须是不小于 1 的整数。")
        if tickets < 100:
            raise CommandError("--tickets 不能少于 100。")
        other = runner.foreign_root()
        if other is not None:
            raise CommandError(f"数据库中已有根单位「{other.name}」，示范市只能在空库或演示库中生成。")
        if runner.demo_exists() and not reset:
            found = runner.summary()
            self.stdout.write(
                f"示范市已存在（单位 {found.units} 个、人员 {found.people} 人、企业 {found.enterprises} 家、招商项目 {found.projects} 个），未重新生成；加 --reset 可重建。"
            )
        else:
            self._build(seed=seed, scale=scale, tickets=tickets, reset=reset)
        self._print_accounts()

    def _build(self, *, seed: int, scale: int, tickets: int, reset: bool) -> None:
        started = time.perf_counter()
        if reset:
            runner.clear_demo()
        built = runner.build_demo(seed=seed, scale=scale, tickets=tickets)
        elapsed = time.perf_counter() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"已生成示范市（种子 {seed}，规模 {scale}）：单位 {built.units} 个、人员 {built.people} 人、企业 {built.enterprises} 家、招商项目 {built.projects} 个，"
                f"用时 {elapsed:.1f} 秒。"
            )
        )

    def _print_accounts(self) -> None:
        self.stdout.write("\n演示账号（首次登录无需修改密码）：")
        self.stdout.write(format_table(("角色", "账号", "密码", "所属单位"), runner.demo_accounts()))
